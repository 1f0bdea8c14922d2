/**
 * The GPU host preload forwards the main process's one MessagePort to the
 * page, addressed to the page's own origin, exactly once, and exposes nothing.
 * Electron's ipcRenderer is mocked with a real EventEmitter (its once/on semantics).
 */
import type { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GPU_HOST_PORT_CHANNEL } from '../shared/gpu-host-protocol';

const electron = vi.hoisted(() => ({ exposed: [] as string[], ipc: undefined as unknown }));
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  electron.ipc = new Emitter();
  return {
    ipcRenderer: electron.ipc,
    contextBridge: { exposeInMainWorld: (key: string) => electron.exposed.push(key) },
  };
});
const posted: unknown[][] = [];
vi.stubGlobal('window', { location: { origin: 'app://studio' }, postMessage: (...args: unknown[]) => posted.push(args) });
afterAll(() => vi.unstubAllGlobals());

await import('./gpu-host');
const ipc = electron.ipc as EventEmitter;

describe('GPU host preload', () => {
  it('forwards the first port on its channel to the page origin, once, and exposes nothing', () => {
    expect(posted).toEqual([]);
    ipc.emit('some-other-channel', { ports: ['not ours'] });
    expect(posted).toEqual([]);

    const ports = [{ port: 'one' }];
    ipc.emit(GPU_HOST_PORT_CHANNEL, { ports });
    expect(posted).toEqual([[GPU_HOST_PORT_CHANNEL, 'app://studio', ports]]);
    expect(posted[0]![2]).toBe(ports); // the very ports, transferred, not copies

    ipc.emit(GPU_HOST_PORT_CHANNEL, { ports: [{ port: 'two' }] });
    expect(posted).toHaveLength(1);
    expect(ipc.listenerCount(GPU_HOST_PORT_CHANNEL)).toBe(0);
    expect(electron.exposed).toEqual([]);
  });
});
