/**
 * TensorBoard event files: TFRecord framing (uint64 length, masked CRC-32C
 * of the length, data, masked CRC-32C of the data) around `Event` protocol
 * buffers. Field numbers are those of tensorboard/compat/proto/event.proto
 * and summary.proto:
 *   Event { double wall_time = 1; int64 step = 2; string file_version = 3;
 *           Summary summary = 5; SessionLog session_log = 7; }
 *   Summary { repeated Value value = 1; }
 *   Summary.Value { string tag = 1; float simple_value = 2; Image image = 4; }
 *   Summary.Image { int32 height = 1; int32 width = 2; int32 colorspace = 3;
 *                   bytes encoded_image_string = 4; }
 *   SessionLog { SessionStatus status = 1; }   // START = 1
 */
import { maskedCrc32c } from './crc32c';
import { ProtoWriter } from './protobuf';

/** The version string every event file starts with. */
export const FILE_VERSION = 'brain.Event:2';

/** One value of a summary: a scalar or an encoded (PNG) image. */
export type SummaryValue =
  | { tag: string; scalar: number }
  | { tag: string; image: { png: Uint8Array; width: number; height: number; channels: 1 | 2 | 3 | 4 } };

/** What one event carries besides its time and step. */
export type EventBody = { fileVersion: string } | { summary: SummaryValue[] } | { sessionStart: true };

/** The Event protobuf bytes. */
export function encodeEvent(wallTime: number, step: number, body: EventBody): Uint8Array {
  const event = new ProtoWriter().double(1, wallTime);
  if (step !== 0) event.varint(2, step);
  if ('fileVersion' in body) return event.string(3, body.fileVersion).finish();
  if ('sessionStart' in body) return event.message(7, new ProtoWriter().varint(1, 1)).finish();
  const summary = new ProtoWriter();
  for (const value of body.summary) summary.message(1, encodeValue(value));
  return event.message(5, summary).finish();
}

function encodeValue(value: SummaryValue): ProtoWriter {
  const out = new ProtoWriter().string(1, value.tag);
  if ('scalar' in value) return out.float(2, value.scalar);
  const { png, width, height, channels } = value.image;
  // Colorspace numbers are channel counts: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
  return out.message(4, new ProtoWriter().varint(1, height).varint(2, width).varint(3, channels).bytes(4, png));
}

/** One TFRecord: the data framed with its length and both masked CRCs. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(record.subarray(0, 8)), true);
  record.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return record;
}
