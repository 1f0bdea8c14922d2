/**
 * The one place a transport (Electron IPC, the serve WebSocket) turns
 * "method name + untrusted args" into a StudioApi call: the name must be a
 * known call and the args must parse with that call's schema.
 */
import { studioCallSchemas, type StudioApi, type StudioCallName } from '../../shared/api';
import { InvalidArgumentError } from './errors';

/** Every call name of StudioApi (onEvent is a stream, not a call). */
export const STUDIO_CALL_NAMES = Object.keys(studioCallSchemas) as StudioCallName[];

/** True when `name` is a StudioApi call (own key of the schema table). */
export function isStudioCall(name: unknown): name is StudioCallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(studioCallSchemas, name);
}

/** Validate `args` against the call's schema; throws InvalidArgumentError naming each bad field. */
export function parseCallArgs(method: StudioCallName, args: unknown): unknown[] {
  const parsed = studioCallSchemas[method].safeParse(args);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.length ? `argument ${issue.path.join('.')}` : 'arguments'}: ${issue.message}`)
      .join('; ');
    throw new InvalidArgumentError(`Invalid arguments for ${method}: ${problems}`, 'This is a bug in the UI; please report it.');
  }
  return parsed.data as unknown[];
}

/** Validate then invoke one call on the service. */
export async function dispatchStudioCall(service: StudioApi, method: unknown, args: unknown): Promise<unknown> {
  if (!isStudioCall(method)) {
    throw new InvalidArgumentError(`Unknown call ${JSON.stringify(method)}: expected one of ${STUDIO_CALL_NAMES.join(', ')}.`);
  }
  const valid = parseCallArgs(method, args);
  const fn = service[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(service, valid);
}
