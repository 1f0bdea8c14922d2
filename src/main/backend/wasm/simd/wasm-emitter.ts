/**
 * A minimal WebAssembly binary emitter: just enough to write the studio's
 * SIMD kernels as TypeScript that generates code (so a kernel can be
 * specialised — register tile, FMA or not — without a toolchain or a build
 * step). One module imports one memory (tfjs-backend-wasm's heap) and
 * exports functions; functions are written with structured helpers
 * (`forRange`, `ifThen`) so branch depths never have to be counted by hand.
 */

export type ValType = 'i32' | 'f32' | 'f64' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** out.push(...bytes) for any length (a spread of a large function body overflows the stack). */
function append(out: number[], bytes: readonly number[]): void {
  for (const b of bytes) out.push(b);
}

/** Unsigned LEB128. */
function uleb(n: number, out: number[]): void {
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
}

/** Signed LEB128 for 32-bit integers. */
function sleb(n: number, out: number[]): void {
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** SIMD opcodes used by the kernels (prefix 0xfd). */
export const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  f32x4Splat: 0x13,
  f32x4ExtractLane: 0x1f,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Ge: 0x46,
  v128And: 0x4e,
  v128Bitselect: 0x52,
  f32x4Neg: 0xe1,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Sqrt: 0xe3,
  f32x4RelaxedMadd: 0x105,
  f32x4RelaxedNmadd: 0x106,
} as const;

/** Plain opcodes used by the kernels. */
export const OP = {
  i32Load: 0x28,
  f32Load: 0x2a,
  i32Store: 0x36,
  f32Store: 0x38,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  f32Lt: 0x5d,
  f32Gt: 0x5e,
  f32Ge: 0x60,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32And: 0x71,
  i32Shl: 0x74,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f32Div: 0x95,
  f32Sqrt: 0x91,
  f32Floor: 0x8e,
  f64Floor: 0x9c,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f32DemoteF64: 0xb6,
  select: 0x1b,
  drop: 0x1a,
} as const;

/** A function body under construction. Locals are numbered after the parameters. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    readonly params: readonly ValType[],
    readonly results: readonly ValType[] = [],
  ) {}

  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  get(index: number): this {
    this.code.push(0x20);
    uleb(index, this.code);
    return this;
  }

  set(index: number): this {
    this.code.push(0x21);
    uleb(index, this.code);
    return this;
  }

  tee(index: number): this {
    this.code.push(0x22);
    uleb(index, this.code);
    return this;
  }

  i32(value: number): this {
    this.code.push(0x41);
    sleb(value, this.code);
    return this;
  }

  f32(value: number): this {
    this.code.push(0x43, ...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }

  f64(value: number): this {
    this.code.push(0x44, ...new Uint8Array(new Float64Array([value]).buffer));
    return this;
  }

  op(...opcodes: number[]): this {
    this.code.push(...opcodes);
    return this;
  }

  /** A memory access: opcode, then alignment (log2 bytes) and a constant byte offset. */
  mem(opcode: number, align: number, offset = 0): this {
    this.code.push(opcode);
    uleb(align, this.code);
    uleb(offset, this.code);
    return this;
  }

  simd(opcode: number): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    return this;
  }

  /** A SIMD memory access (v128.load, v128.store, load32_splat). */
  simdMem(opcode: number, offset = 0, align = 2): this {
    this.simd(opcode);
    uleb(align, this.code);
    uleb(offset, this.code);
    return this;
  }

  laneOp(opcode: number, lane: number): this {
    this.simd(opcode);
    this.code.push(lane);
    return this;
  }

  /** local[i] += delta (i32). */
  addTo(index: number, delta: number | (() => void)): this {
    this.get(index);
    if (typeof delta === 'number') this.i32(delta);
    else delta();
    return this.op(OP.i32Add).set(index);
  }

  /**
   * `for (local = from; local < to; local += step) body()`; `from`/`to` are
   * emitters that leave an i32 on the stack (or constants), and `to` is
   * evaluated every iteration.
   */
  forRange(index: number, from: number | (() => void), to: number | (() => void), step: number | (() => void), body: () => void): this {
    const push = (v: number | (() => void)) => (typeof v === 'number' ? this.i32(v) : v());
    push(from);
    this.set(index);
    this.code.push(0x02, 0x40, 0x03, 0x40); // block, loop (no result)
    this.get(index);
    push(to);
    this.op(OP.i32GeS, 0x0d, 1); // br_if 1: leave the block
    body();
    this.addTo(index, () => push(step));
    this.op(0x0c, 0, 0x0b, 0x0b); // br 0 (loop), end loop, end block
    return this;
  }

  /** `if (condition) then() else otherwise()`; the condition is on the stack. */
  ifThen(then: () => void, otherwise?: () => void): this {
    this.code.push(0x04, 0x40);
    then();
    if (otherwise !== undefined) {
      this.code.push(0x05);
      otherwise();
    }
    this.code.push(0x0b);
    return this;
  }

  /** The function's encoded body (locals + code + end). */
  encode(): number[] {
    const body: number[] = [];
    const groups: [number, ValType][] = [];
    for (const type of this.locals) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    uleb(groups.length, body);
    for (const [count, type] of groups) {
      uleb(count, body);
      body.push(VALTYPE[type]);
    }
    append(body, this.code);
    body.push(0x0b);
    const out: number[] = [];
    uleb(body.length, out);
    return out.concat(body);
  }
}

/** Where the module's memory comes from: tfjs-backend-wasm's heap (shared when threaded). */
export interface MemoryImport {
  shared: boolean;
  /** Pages the memory has now (an import may not ask for more). */
  minimumPages: number;
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  append(out, content);
}

function name(text: string, out: number[]): void {
  const bytes = new TextEncoder().encode(text);
  uleb(bytes.length, out);
  out.push(...bytes);
}

/** Encodes a module importing `env.memory` and exporting `functions` by name. */
export function encodeModule(memory: MemoryImport, functions: Record<string, FunctionBuilder>): Uint8Array<ArrayBuffer> {
  const entries = Object.entries(functions);
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

  const types: number[] = [];
  uleb(entries.length, types);
  for (const [, f] of entries) {
    types.push(0x60);
    uleb(f.params.length, types);
    for (const p of f.params) types.push(VALTYPE[p]);
    uleb(f.results.length, types);
    for (const r of f.results) types.push(VALTYPE[r]);
  }
  section(1, types, out);

  const imports: number[] = [1];
  name('env', imports);
  name('memory', imports);
  imports.push(0x02); // memory
  if (memory.shared) {
    imports.push(0x03); // min and max, shared
    uleb(memory.minimumPages, imports);
    uleb(65536, imports);
  } else {
    imports.push(0x00); // min only
    uleb(memory.minimumPages, imports);
  }
  section(2, imports, out);

  const funcs: number[] = [];
  uleb(entries.length, funcs);
  entries.forEach((_, i) => uleb(i, funcs));
  section(3, funcs, out);

  const exports: number[] = [];
  uleb(entries.length, exports);
  entries.forEach(([exportName], i) => {
    name(exportName, exports);
    exports.push(0x00);
    uleb(i, exports);
  });
  section(7, exports, out);

  const code: number[] = [];
  uleb(entries.length, code);
  for (const [, f] of entries) append(code, f.encode());
  section(10, code, out);
  return new Uint8Array(out);
}
