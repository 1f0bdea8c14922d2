/**
 * The few protocol-buffer encodings an event file needs (proto3 wire
 * format): varints, 64-bit doubles, 32-bit floats and length-delimited
 * fields. Fields are appended in order; zero values may be left out by
 * the caller, as proto3 does.
 */

const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** Builds one message's bytes field by field. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  /** A non-negative integer up to 2⁵³ (int32/int64/enum fields). */
  varint(field: number, value: number): this {
    this.tag(field, WIRE.varint);
    this.parts.push(encodeVarint(value));
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, WIRE.fixed64);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.parts.push(bytes);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE.fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.parts.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE.bytes);
    this.parts.push(encodeVarint(value.length), value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message. */
  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.parts.push(encodeVarint(field * 8 + wireType));
  }
}

/** Base-128 varint, least significant group first. */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Expected a non-negative safe integer for a varint, got ${value}.`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}
