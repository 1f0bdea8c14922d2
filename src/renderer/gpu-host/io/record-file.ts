/**
 * main/data/record-file.ts for the GPU host page: the main process keeps
 * the file open and reads a whole batch's records per call
 * (HostFiles 'handle.readRecords'), so a batch costs one round trip.
 */
import type { RecordFile } from '../../../main/data/record-file';
import { call } from '../host-call';

export type { RecordFile };

export async function openRecordFile(path: string): Promise<RecordFile> {
  const id = await call<number>('handle.open', path, 'r');
  return {
    read: (offsets, length) => call<Uint8Array>('handle.readRecords', id, [...offsets], length),
    close: async () => void (await call('handle.close', id)),
  };
}
