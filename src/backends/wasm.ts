/**
 * wasm (tfjs-backend-wasm) kernels. The backend keeps every tensor on its
 * Emscripten heap; the package's SIMD module (src/backends/wasm_module.ts),
 * instantiated on that heap's `WebAssembly.Memory`, runs each elementwise
 * loop in place there: x and dy are read and the output written at their
 * heap offsets, with no copy. Where the module cannot attach (no SIMD in
 * this engine, a memory it cannot find, an activation without a `wasm`
 * body) the JS loops run on views of the heap instead, as do the axis
 * activations (softmax, log_softmax, glu, sparsemax) along any axis.
 *
 * Nothing is imported from the backend package: kernels get the backend
 * object at run time.
 */
import {engine} from '@tensorflow/tfjs-core';
import type {KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';
import {scalarLoops} from './scalar_loops';
import {instantiate, wasmModuleReady, type WasmLoop, type WasmLoops} from './wasm_module';
import {WASM_BLOCK, wasmExports} from './wasm_source';
import {wasmAxisExports} from './wasm_axis_source';

/** Where the SIMD module runs for one backend instance: its loops on the heap, or why not. */
export interface WasmAttachment {
  loops: WasmLoops | null;
  /** 'plain' or 'shared' (the threaded build's memory) when attached; otherwise the reason for the JS loops. */
  mode: string;
}

const attachments = new WeakMap<object, WasmAttachment>();
const PENDING = 'compiling, or no WebAssembly SIMD in this engine';
let enabled = true;

/** Turns the module off on the wasm backend (JS loops on the heap views) or back on: for tests and benchmarks. */
export function setWasmSimd(on: boolean): void {
  enabled = on;
}

/** The heap's `WebAssembly.Memory`: feature-detected on the Emscripten module (its location is internal). */
export function heapMemory(backend: BackendWasm): WebAssembly.Memory | undefined {
  const w = backend.wasm as unknown as Record<string, unknown> & {HEAPU8?: Uint8Array};
  const heap = w.HEAPU8?.buffer;
  const candidates = [w.asm, w.wasmMemory, w];
  for (const c of candidates) {
    if (c === null || typeof c !== 'object') continue;
    const o = c as Record<string, unknown>;
    if (o instanceof WebAssembly.Memory && o.buffer === heap) return o;
    for (const k of ['memory', 'wasmMemory', ...Object.keys(o)]) {
      const m = o[k];
      if (m instanceof WebAssembly.Memory && (heap === undefined || m.buffer === heap)) return m;
    }
  }
  return undefined;
}

/** The SIMD module on this backend's heap (instantiated once per backend instance). */
export function wasmAttachment(backend: BackendWasm): WasmAttachment {
  if (!enabled) return {loops: null, mode: 'turned off'};
  let a = attachments.get(backend);
  if (a !== undefined && a.loops !== null) return a;
  if (a !== undefined && a.mode !== PENDING) return a; // retried while the module may still be compiling
  const memory = heapMemory(backend);
  if (memory === undefined) {
    a = {loops: null, mode: 'no WebAssembly.Memory found on the backend'};
  } else {
    const loops = instantiate(memory);
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    a =
      loops !== null
        ? {loops, mode: shared ? 'shared' : 'plain'}
        : {loops: null, mode: typeof WebAssembly === 'object' ? PENDING : 'no WebAssembly'};
  }
  attachments.set(backend, a);
  return a;
}

/**
 * How the activations run on the wasm backend: `'plain'` or `'shared'` when
 * the package's SIMD module runs in place on the backend's heap (a plain
 * memory, or the threaded build's shared one), otherwise why the JS loops
 * on the heap views run instead. Waits for the module's compilation (a
 * browser compiles it asynchronously; until then the JS loops run).
 */
export async function wasmSimd(): Promise<string> {
  let b: BackendWasm | undefined;
  try {
    b = engine().findBackend('wasm') as unknown as BackendWasm | undefined;
  } catch (e) {
    return `the wasm backend failed to initialize: ${(e as Error).message}`;
  }
  if (b == null) {
    return "the wasm backend is not ready (import @tensorflow/tfjs-backend-wasm, await tf.setBackend('wasm'))";
  }
  const memory = heapMemory(b);
  if (memory !== undefined) {
    await wasmModuleReady(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer);
  }
  if (attachments.get(b)?.loops === null) attachments.delete(b);
  return wasmAttachment(b).mode;
}

const offset = (b: BackendWasm, t: TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const f32 = (b: BackendWasm, t: TensorInfo) => b.typedArrayFromHeap(t) as Float32Array;

/**
 * Runs a module loop over n elements at the byte offsets `at` (inputs, then
 * output, a new tensor: never one of the inputs). The loops take multiples
 * of WASM_BLOCK (16); the last n mod 16 elements are covered by running the
 * last 16 again (overlapping, same values). Where the output is not 16-byte
 * aligned (the heap's allocations are 8-byte aligned), the first 16 run
 * apart and the main loop starts at the first aligned output element (also
 * overlapping): a v128.store across a cache line made the memory-bound loops
 * a third slower (relu per 1M 92 → 122 µs; a misaligned input costs
 * nothing measurable). Returns false for n < 16, where the JS loop runs
 * instead.
 */
function runLoop(fn: WasmLoop, at: number[], n: number, u: number[]): boolean {
  if (n < WASM_BLOCK) return false;
  const u0 = u[0] ?? 0,
    u1 = u[1] ?? 0,
    u2 = u[2] ?? 0,
    u3 = u[3] ?? 0;
  const two = at.length === 2;
  const run = (start: number, count: number) => {
    const o = start * 4;
    // 0: float32 bodies within their ULP bound may run
    if (two) fn(at[0] + o, at[1] + o, count, 0, u0, u1, u2, u3);
    else fn(at[0] + o, at[1] + o, at[2] + o, count, 0, u0, u1, u2, u3);
  };
  const skew = (-at[at.length - 1] & 15) >> 2; // elements before the first aligned output element
  let start = 0;
  if (skew !== 0 && n >= WASM_BLOCK + skew) {
    run(0, WASM_BLOCK);
    start = skew;
  }
  const m = n - start,
    main = m - (m % WASM_BLOCK);
  run(start, main);
  if (main !== m) run(n - WASM_BLOCK, WASM_BLOCK);
  return true;
}

function elementwiseKernels(def: ElementwiseActivation): KernelConfig[] {
  const loops = scalarLoops(def);
  const names = def.wasm !== undefined ? wasmExports(def) : undefined;
  const loopName = (order: number) => (names === undefined || order !== 1 ? undefined : names.derivative); // f″: the JS loops on the heap views
  return [
    {
      kernelName: kernelName(def),
      backendName: 'wasm',
      kernelFunc: ({inputs, backend, attrs}) => {
        const b = backend as BackendWasm;
        const x = inputs.x as TensorInfo;
        const u = attrs!.u as number[];
        const out = b.makeOutput(x.shape, 'float32');
        const n = sizeOf(x.shape);
        if (n === 0) return out;
        const simd = names !== undefined ? wasmAttachment(b).loops?.[names.forward] : undefined;
        if (simd === undefined || !runLoop(simd, [offset(b, x), offset(b, out)], n, u)) {
          loops.forwardInto(f32(b, x), f32(b, out), u); // views taken after the output's allocation
        }
        return out;
      },
    },
    {
      kernelName: gradKernelName(def),
      backendName: 'wasm',
      kernelFunc: ({inputs, backend, attrs}) => {
        const b = backend as BackendWasm;
        const x = inputs.x as TensorInfo,
          dy = inputs.dy as TensorInfo;
        const u = attrs!.u as number[],
          order = attrs!.order as number;
        const out = b.makeOutput(x.shape, 'float32');
        const n = sizeOf(x.shape);
        if (n === 0) return out;
        const name = loopName(order);
        const simd = name !== undefined ? wasmAttachment(b).loops?.[name] : undefined;
        if (simd === undefined || !runLoop(simd, [offset(b, x), offset(b, dy), offset(b, out)], n, u)) {
          loops.backwardInto(order, f32(b, x), f32(b, dy), f32(b, out), u);
        }
        return out;
      },
    },
  ];
}

/**
 * Runs a module row loop over `outer` contiguous rows of n (the last axis): `at` are the byte offsets of the
 * inputs and the output. The module stops at a row without a finite maximum; `js(row)` does that one.
 */
function runRows(fn: WasmLoop, at: number[], outer: number, n: number, halves: boolean, js: (row: number) => void) {
  let r = 0;
  while (r < outer) {
    const o = r * n * 4,
      h = halves ? o / 2 : o; // glu: the output's (and dy's) rows are half as long
    r += at.length === 2 ? fn(at[0] + o, at[1] + h, outer - r, n) : fn(at[0] + o, at[1] + h, at[2] + o, outer - r, n);
    if (r < outer) js(r++);
  }
}

function axisKernels(def: AxisActivation): KernelConfig[] {
  const names = def.wasm !== undefined ? wasmAxisExports(def) : undefined;
  // rows along the last axis; glu's rows are whole outer slabs (its halves are contiguous along any axis)
  const halves = def.halvesAxis === true;
  const rowLoop = (b: BackendWasm, inner: number, name: 'forward' | 'backward') =>
    names !== undefined && (inner === 1 || halves) ? wasmAttachment(b).loops?.[names[name]] : undefined;
  return [
    {
      kernelName: kernelName(def),
      backendName: 'wasm',
      kernelFunc: ({inputs, backend, attrs}) => {
        const b = backend as BackendWasm;
        const x = inputs.x as TensorInfo;
        const axes = attrs!.axes as number[];
        const {outer, n, inner} = layoutOf(x.shape, axes);
        const out = b.makeOutput(axisOutputShape(def, x.shape, axes), 'float32');
        if (sizeOf(x.shape) === 0) return out;
        const simd = rowLoop(b, inner, 'forward');
        if (simd === undefined) {
          def.cpu.forward(f32(b, x), f32(b, out), outer, n, inner);
        } else {
          // (a row without a finite maximum: the JS loop; glu's rows never stop)
          runRows(simd, [offset(b, x), offset(b, out)], outer, n * inner, halves, r =>
            def.cpu.forward(f32(b, x).subarray(r * n, r * n + n), f32(b, out).subarray(r * n, r * n + n), 1, n, 1),
          );
        }
        return out;
      },
    },
    {
      kernelName: gradKernelName(def),
      backendName: 'wasm',
      kernelFunc: ({inputs, backend, attrs}) => {
        const b = backend as BackendWasm;
        const x = inputs.x as TensorInfo;
        const axes = attrs!.axes as number[];
        const {outer, n, inner} = layoutOf(x.shape, axes);
        const dy = inputs.dy as TensorInfo;
        const dx = b.makeOutput(x.shape, 'float32');
        if (sizeOf(x.shape) === 0) return dx;
        const simd = rowLoop(b, inner, 'backward');
        if (simd === undefined) {
          def.cpu.backward(f32(b, x), f32(b, dy), f32(b, dx), outer, n, inner);
        } else {
          const row = (t: TensorInfo, r: number) => f32(b, t).subarray(r * n, r * n + n);
          runRows(simd, [offset(b, x), offset(b, dy), offset(b, dx)], outer, n * inner, halves, r =>
            def.cpu.backward(row(x, r), row(dy, r), row(dx, r), 1, n, 1),
          );
        }
        return dx;
      },
    },
  ];
}

/** Forward and backward kernels of one activation for the wasm backend. */
export function wasmKernels(def: ActivationDefinition): KernelConfig[] {
  return def.kind === 'elementwise' ? elementwiseKernels(def) : axisKernels(def);
}
