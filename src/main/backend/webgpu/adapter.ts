/**
 * WebGPU adapters as the studio sees them: what kind of device an adapter is
 * (hardware or a software emulation such as llvmpipe) and how to name it.
 * Pure functions over GPUAdapterInfo-shaped data, so they test without a GPU.
 */
import { adapterVendor } from '../../../shared/doctor';

/** The adapter fields the studio reads (a subset of GPUAdapterInfo). */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** GPUAdapterInfo.isFallbackAdapter (Chrome 2024+, Dawn): the browser's own software adapter. */
  isFallbackAdapter: boolean;
}

// CPU renderers that expose themselves as Vulkan/Metal/D3D devices.
const SOFTWARE_RENDERERS = /llvmpipe|lavapipe|softpipe|swiftshader|warp|microsoft basic render/i;

/** True for an adapter that runs on the CPU: slower than wasm, so `auto` skips it. */
export function isSoftwareAdapter(facts: AdapterFacts): boolean {
  if (facts.isFallbackAdapter) return true;
  if (facts.architecture.toLowerCase() === 'software') return true;
  return SOFTWARE_RENDERERS.test(`${facts.vendor} ${facts.device} ${facts.description}`);
}

/** "mesa software, llvmpipe: Mesa 25.0.7…" — vendor, architecture and the driver's own description. */
export function adapterName(facts: AdapterFacts): string {
  const name = adapterVendor(facts);
  const detail = facts.description || facts.device;
  return detail ? `${name}, ${detail}` : name;
}

/** "GPU (WebGPU: mesa software, llvmpipe: …; software adapter)" — the device line of a backend report. */
export function describeAdapter(facts: AdapterFacts): string {
  return `GPU (WebGPU: ${adapterName(facts)}; ${isSoftwareAdapter(facts) ? 'software' : 'hardware'} adapter)`;
}

/** Reads the facts from a GPUAdapter's `info` (older adapters may lack fields). */
export function adapterFacts(info: Partial<Record<keyof AdapterFacts, unknown>> | undefined): AdapterFacts {
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  return {
    vendor: text(info?.vendor),
    architecture: text(info?.architecture),
    device: text(info?.device),
    description: text(info?.description),
    isFallbackAdapter: info?.isFallbackAdapter === true,
  };
}
