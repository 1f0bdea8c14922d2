/** Vitest global setup: announce (or, under CI, refuse) a run without the browser e2e suite. */
import { e2eAvailability } from './e2e-availability';
import { hasChromium } from './browser';

export default function setup(): (() => void) | undefined {
  const availability = e2eAvailability(hasChromium(), process.env);
  if (availability.run) return undefined;
  console.warn(availability.banner);
  // Again after the run, so the line is not lost above hundreds of results.
  return () => console.warn(availability.banner);
}
