/**
 * The cpu kernels' use of the WebAssembly SIMD module: for tensors of at
 * least `SIMD_MIN_SIZE` elements, the input is copied in chunks through a
 * fixed buffer in a small memory of the module's own, computed there and
 * copied out. Only for activations whose `wasm` bodies are exact (basic
 * IEEE operations in float64, as the JS definitions compute them), so the
 * results are bit-identical to the JS loops, which run for small tensors
 * and wherever WebAssembly SIMD is unavailable.
 */
import type {Constants, ElementwiseActivation} from '../definition';
import {instantiate, type WasmLoops} from './wasm_module';
import {WASM_BLOCK, wasmExact, wasmExports} from './wasm_source';

/** Elements per chunk (64 KB per buffer: x, dy and the output stay in L2). */
export const CHUNK = 16384;
/**
 * Below this size the JS loop is as fast (the module call and the copies
 * cost more than the loop saves): measured with `npm run bench` on cpu,
 * see docs/wasm.md.
 */
export const SIMD_MIN_SIZE = 4096;

const X = 0,
  DY = CHUNK * 4,
  OUT = CHUNK * 8;

interface Chunked {
  loops: WasmLoops;
  x: Float32Array;
  dy: Float32Array;
  out: Float32Array;
}

let chunked: Chunked | null | undefined;
let disabled = false;

function buffer(): Chunked | null {
  if (chunked !== undefined) return chunked;
  if (disabled || typeof WebAssembly !== 'object') return (chunked = null);
  const memory = new WebAssembly.Memory({initial: 3});
  const loops = instantiate(memory);
  if (loops === null) return null; // not compiled yet (browser, asynchronously) or unavailable: JS loops
  const b = memory.buffer;
  return (chunked = {
    loops,
    x: new Float32Array(b, X, CHUNK),
    dy: new Float32Array(b, DY, CHUNK),
    out: new Float32Array(b, OUT, CHUNK),
  });
}

/** Turns the SIMD path of the cpu kernels off (or back on): for tests and benchmarks. */
export function setCpuSimd(enabled: boolean): void {
  disabled = !enabled;
  chunked = undefined;
}

/** True when the cpu kernels would use the module for this activation at this size. */
export function cpuSimdApplies(def: ElementwiseActivation, size: number): boolean {
  return size >= SIMD_MIN_SIZE && def.wasm?.cpu !== false && wasmExact(def) && buffer() !== null;
}

// the loops take multiples of WASM_BLOCK (the rest of the buffer is scratch)
const roundUp = (n: number) => Math.ceil(n / WASM_BLOCK) * WASM_BLOCK;
const pad = (u: Constants): [number, number, number, number] => [u[0] ?? 0, u[1] ?? 0, u[2] ?? 0, u[3] ?? 0];

/** f(x) through the module, or undefined when the JS loop should run. */
export function simdForward(def: ElementwiseActivation, xs: Float32Array, u: Constants): Float32Array | undefined {
  if (!cpuSimdApplies(def, xs.length)) return undefined;
  const c = chunked!,
    fn = c.loops[wasmExports(def).forward],
    k = pad(u);
  const out = new Float32Array(xs.length);
  for (let o = 0; o < xs.length; o += CHUNK) {
    const n = Math.min(CHUNK, xs.length - o);
    c.x.set(xs.subarray(o, o + n));
    // 1: bit-identical bodies only
    fn(X, OUT, roundUp(n), 1, ...k);
    out.set(n === CHUNK ? c.out : c.out.subarray(0, n), o);
  }
  return out;
}

/** dy·f⁽ⁿ⁾(x) through the module, or undefined when the JS loop should run. */
export function simdBackward(
  def: ElementwiseActivation,
  order: number,
  xs: Float32Array,
  dys: Float32Array,
  u: Constants,
): Float32Array | undefined {
  const e = wasmExports(def),
    name = order === 1 ? e.derivative : undefined; // f″ (tf.grad of tf.grad): the JS loop
  if (name === undefined || !cpuSimdApplies(def, xs.length)) return undefined;
  const c = chunked!,
    fn = c.loops[name],
    k = pad(u);
  const out = new Float32Array(xs.length);
  for (let o = 0; o < xs.length; o += CHUNK) {
    const n = Math.min(CHUNK, xs.length - o);
    c.x.set(xs.subarray(o, o + n));
    c.dy.set(dys.subarray(o, o + n));
    fn(X, DY, OUT, roundUp(n), 1, ...k);
    out.set(n === CHUNK ? c.out : c.out.subarray(0, n), o);
  }
  return out;
}
