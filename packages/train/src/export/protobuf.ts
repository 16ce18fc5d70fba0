/**
 * A minimal Protocol Buffers writer: just the wire types ONNX needs (varint, 32-bit, length-delimited).
 * Messages are built bottom-up: each `Message` collects its encoded fields and `bytes()` concatenates
 * them, so a nested message is written as a length-delimited field of its own bytes.
 *
 * Wire format (https://protobuf.dev/programming-guides/encoding/): a field is `tag = field << 3 | wire`
 * as a varint, then the value: varints are little-endian base-128 with the high bit as continuation;
 * wire 2 is a varint length followed by the bytes; wire 5 is 4 little-endian bytes.
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const utf8 = new TextEncoder();

/**
 * Encodes a non-negative integer (up to 2⁶³ − 1) or a negative int64 (two's complement, 10 bytes) as a
 * base-128 varint.
 */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One protobuf message under construction; fields are appended in call order. */
export class Message {
  private readonly parts: Uint8Array[] = [];

  private tag(field: number, wire: number): void {
    this.parts.push(encodeVarint((field << 3) | wire));
  }

  /** An int32/int64/enum/bool field (negative values as 10-byte two's complement, as int64). */
  varint(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.parts.push(encodeVarint(value));
    return this;
  }

  /** A float field (4 little-endian bytes). */
  float(field: number, value: number): this {
    this.tag(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(b);
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.parts.push(encodeVarint(value.length), value);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** An embedded message field. */
  message(field: number, value: Message): this {
    return this.bytes(field, value.finish());
  }

  /** A packed repeated int64 field. */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    return this.bytes(field, concatBytes(values.map((v) => encodeVarint(v))));
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return concatBytes(this.parts);
  }
}
