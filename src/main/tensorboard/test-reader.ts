/**
 * An event-file reader for tests, written apart from the writer on purpose:
 * records are checked with @node-rs/crc32's CRC-32C (native, not our table)
 * and decoded by protobufjs from a schema in .proto syntax with TensorBoard's
 * field numbers, so a wrong field number, wire type or CRC in the writer fails.
 */
import { crc32c } from '@node-rs/crc32';
import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package tensorboard;
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    bytes graph_def = 4;
    Summary summary = 5;
    SessionLog session_log = 7;
  }
}
message SessionLog {
  enum SessionStatus { STATUS_UNSPECIFIED = 0; START = 1; STOP = 2; CHECKPOINT = 3; }
  SessionStatus status = 1;
  string checkpoint_path = 2;
  string msg = 3;
}
message Summary {
  message Image {
    int32 height = 1;
    int32 width = 2;
    int32 colorspace = 3;
    bytes encoded_image_string = 4;
  }
  message Value {
    string node_name = 7;
    string tag = 1;
    oneof value {
      float simple_value = 2;
      bytes obsolete_old_style_histogram = 3;
      Image image = 4;
    }
  }
  repeated Value value = 1;
}
`;

const EventType = protobuf.parse(SCHEMA).root.lookupType('tensorboard.Event');

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  sessionLog?: { status: string };
  summary?: { value: { tag: string; simpleValue?: number; image?: { height: number; width: number; colorspace: number; encodedImageString: Uint8Array } }[] };
}

function masked(bytes: Uint8Array): number {
  const crc = crc32c(Buffer.from(bytes)) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Every event of a file; throws on a bad length, CRC or trailing garbage. */
export async function readEventFile(path: string): Promise<DecodedEvent[]> {
  const bytes = await readFile(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: DecodedEvent[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new Error(`${path}: truncated record header at byte ${offset}`);
    const length = Number(view.getBigUint64(offset, true));
    if (view.getUint32(offset + 8, true) !== masked(bytes.subarray(offset, offset + 8))) throw new Error(`${path}: bad length CRC at byte ${offset}`);
    const data = bytes.subarray(offset + 12, offset + 12 + length);
    if (data.length !== length || offset + 16 + length > bytes.length) throw new Error(`${path}: truncated record at byte ${offset}`);
    if (view.getUint32(offset + 12 + length, true) !== masked(data)) throw new Error(`${path}: bad data CRC at byte ${offset}`);
    const message = EventType.decode(data);
    events.push(EventType.toObject(message, { longs: Number, enums: String, defaults: false, oneofs: false }) as DecodedEvent);
    offset += 16 + length;
  }
  return events.map((event) => ({ ...event, wallTime: event.wallTime ?? 0, step: event.step ?? 0 }));
}

/** scalar tag → [step, value] pairs, in file order. */
export function scalarSeries(events: DecodedEvent[]): Map<string, [number, number][]> {
  const series = new Map<string, [number, number][]>();
  for (const event of events) {
    for (const value of event.summary?.value ?? []) {
      if (value.simpleValue === undefined) continue;
      if (!series.has(value.tag)) series.set(value.tag, []);
      series.get(value.tag)!.push([event.step, value.simpleValue]);
    }
  }
  return series;
}
