/**
 * The package's WebAssembly SIMD module at run time: compiled once from the
 * bytes embedded by the build (src/generated/wasm_module.ts), instantiated
 * on a memory it imports, either the wasm backend's heap (kernels run in
 * place on the tensors) or a small chunk buffer of its own (the cpu kernels
 * copy through it). Everything degrades to `null` where WebAssembly or its
 * SIMD instructions are missing, and the callers then run the JS loops.
 */
import {WASM_BASE64} from '../generated/wasm_module';

/** A module loop: the element loops return nothing, the row loops the number of rows done. */
export type WasmLoop = (...args: number[]) => number;
export type WasmLoops = Record<string, WasmLoop>;

let bytes: Uint8Array<ArrayBuffer> | undefined;
/** Compiled modules: [0] imports a plain memory, [1] a shared one. `null`: cannot be compiled here. */
const modules: Array<WebAssembly.Module | null | undefined> = [undefined, undefined];
const pending: Array<Promise<void> | undefined> = [undefined, undefined];

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as {Buffer?: {from(s: string, e: string): Uint8Array}}).Buffer;
  if (B !== undefined) return new Uint8Array(B.from(b64, 'base64'));
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/**
 * The same module declaring its imported memory shared (limits flag 3, the
 * wasm32 maximum as maximum): a shared memory (the threaded tfjs build) can
 * only be imported by a module that says so. Loads and stores are the same.
 */
export function sharedVariant(plain: Uint8Array): Uint8Array<ArrayBuffer> {
  const parts: number[][] = [Array.from(plain.subarray(0, 8))];
  let p = 8;
  const readLeb = () => {
    let r = 0,
      s = 0,
      b: number;
    do {
      b = plain[p++];
      r += (b & 0x7f) * 2 ** s;
      s += 7;
    } while (b & 0x80);
    return r;
  };
  while (p < plain.length) {
    const id = plain[p++];
    const size = readLeb();
    const start = p,
      end = p + size;
    if (id !== 2) {
      parts.push([id, ...leb(size), ...plain.subarray(start, end)]);
    } else {
      const body: number[] = [];
      const count = readLeb();
      body.push(...leb(count));
      for (let i = 0; i < count; i++) {
        const from = p;
        const moduleName = readLeb();
        p += moduleName;
        const fieldName = readLeb();
        p += fieldName;
        const kind = plain[p++];
        body.push(...plain.subarray(from, p));
        if (kind !== 2) throw new Error('the wasm module imports something other than its memory');
        const flags = plain[p++];
        const min = readLeb();
        if (flags & 1) readLeb();
        body.push(3, ...leb(min), ...leb(65536));
      }
      parts.push([id, ...leb(body.length), ...body]);
    }
    p = end;
  }
  return new Uint8Array(parts.flat());
}

/**
 * The compiled module (`shared`: for a shared memory), or null while it is
 * compiling asynchronously (a browser's main thread refuses to compile
 * more than 4 KB synchronously) or when this engine cannot run it.
 */
export function wasmModule(shared = false): WebAssembly.Module | null {
  const i = shared ? 1 : 0;
  const m = modules[i];
  if (m !== undefined) return m;
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') return (modules[i] = null);
  bytes ??= decode(WASM_BASE64);
  let b: Uint8Array<ArrayBuffer>;
  try {
    b = shared ? sharedVariant(bytes) : bytes;
  } catch {
    return (modules[i] = null);
  }
  // No SIMD (or no threads for the shared variant): the JS loops run instead.
  if (!WebAssembly.validate(b)) return (modules[i] = null);
  try {
    return (modules[i] = new WebAssembly.Module(b));
  } catch {
    pending[i] ??= WebAssembly.compile(b).then(
      mod => {
        modules[i] = mod;
      },
      () => {
        modules[i] = null;
      },
    );
    return null;
  }
}

/** Resolves once the module is compiled (or known to be unavailable). */
export async function wasmModuleReady(shared = false): Promise<boolean> {
  wasmModule(shared);
  await pending[shared ? 1 : 0];
  return wasmModule(shared) !== null;
}

const isShared = (m: WebAssembly.Memory) =>
  typeof SharedArrayBuffer !== 'undefined' && m.buffer instanceof SharedArrayBuffer;

/** The module's loops on `memory`, or null where it cannot be instantiated there. */
export function instantiate(memory: WebAssembly.Memory): WasmLoops | null {
  const m = wasmModule(isShared(memory));
  if (m === null) return null;
  try {
    return new WebAssembly.Instance(m, {env: {memory}}).exports as unknown as WasmLoops;
  } catch {
    return null;
  }
}
