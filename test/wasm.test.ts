/**
 * The wasm backend (tfjs-backend-wasm) and the package's WebAssembly SIMD
 * module:
 * (a) the module attaches to the backend's heap in Node (which build runs
 *     and which memory mode is reported), and to a shared memory as the
 *     threaded build's would be;
 * (b) every elementwise activation × parameter variants, forward and both
 *     derivative orders, on inputs spanning the whole float32 range,
 *     against the float64 definitions: ≤ 4 ULP forward, ≤ 16 ULP for the
 *     derivatives, NaN/±0/±∞/subnormals as on cpu, with the module and with
 *     the JS loops on the heap views (its fallback);
 * (c) results stay correct after the heap grows;
 * (d) axis activations along any axis, forward and gradient: the module's rows
 *     within 4/16 ULP of cpu (float64), rows with NaN/±inf and the JS loops equal;
 * (e) cpu with the SIMD module (chunked) and with its JS loops: bit-identical;
 * (f) a model with new activations fits, saves and loads back bit-identical
 *     on wasm, and nothing leaks.
 * Writes the worst ULP per activation to .cache/wasm/ulp.json (docs/wasm.md).
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm';
import * as tfa from '../src';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation} from '../src';
import {gradKernelName, kernelName} from '../src/catalogue';
import {normalizeParams} from '../src/params';
import {setWasmSimd, wasmAttachment} from '../src/backends/wasm';
import {instantiate, wasmModule} from '../src/backends/wasm_module';
import {wasmExact, wasmExports} from '../src/backends/wasm_source';
import {CHUNK, cpuSimdApplies, setCpuSimd, SIMD_MIN_SIZE} from '../src/backends/cpu_simd';
import {WASM_BASE64} from '../src/generated/wasm_module';
import {nanAtNaN, ulp} from './helpers';

type Params = Record<string, unknown>;
const f32 = new Float32Array(1),
  i32 = new Int32Array(f32.buffer);

/** v moved by `steps` float32 ULPs. */
function step(v: number, steps: number): number {
  f32[0] = v;
  if (f32[0] === 0) {
    i32[0] = Math.abs(steps);
    return steps > 0 ? f32[0] : -f32[0];
  }
  i32[0] += (f32[0] > 0 ? 1 : -1) * steps;
  return f32[0];
}

/** Inputs over the whole float32 range: a dense grid, every binade, specials, kinks ±2 ULP, an odd count. */
function inputs(kinks: number[]): Float32Array {
  const v: number[] = [];
  for (let x = -12; x <= 12; x += 1 / 256) v.push(x);
  for (let x = 12; x <= 120; x += 1 / 16) v.push(x, -x);
  const bits = new Uint32Array(1),
    f = new Float32Array(bits.buffer);
  for (let b = 0; b < 0x7f800000; b += 0x7f800000 / 8192) {
    bits[0] = b;
    v.push(f[0], -f[0]);
  }
  for (let e = -45; e <= 38; e += 0.05) v.push(10 ** e, -(10 ** e));
  v.push(
    0,
    -0,
    3.4028234663852886e38,
    -3.4028234663852886e38,
    1e-40,
    -1e-40,
    1.4e-45,
    -1.4e-45,
    88.72,
    88.73,
    -87.3,
    -103.9,
    709.8,
    -745.2,
    Infinity,
    -Infinity,
    NaN,
    NaN,
  );
  for (const k of kinks) for (let d = -2; d <= 2; d++) v.push(step(k, d));
  if (v.length % 4 === 0) v.push(0.5); // the module's tail block
  return new Float32Array(v);
}

/** Activations × parameter sets, with the points where the derivative jumps. */
const VARIANTS: Array<[string, Params, number[]]> = [
  ['celu', {}, [0]],
  ['celu', {alpha: 0.3}, [0]],
  ['celu', {alpha: 3}, [0]],
  ['elu', {}, [0]],
  ['elu', {alpha: 0.5}, [0]],
  ['exponential', {}, []],
  ['gelu', {}, []],
  ['gelu', {approximate: true}, []],
  ['hardShrink', {}, [-0.5, 0.5]],
  ['hardShrink', {threshold: 0}, []],
  ['hardShrink', {threshold: 0.1}, [-0.1, 0.1]],
  ['hardSigmoid', {}, [-3, 3]],
  ['hardSilu', {}, [-3, 3]],
  ['hardTanh', {}, [-1, 1]],
  ['leakyRelu', {}, [0]],
  ['leakyRelu', {negativeSlope: 0.01}, [0]],
  ['leakyRelu', {negativeSlope: -1.7}, [0]],
  ['linear', {}, []],
  ['logSigmoid', {}, []],
  ['mish', {}, []],
  ['relu', {}, [0]],
  ['relu', {negativeSlope: 0.1}, [0]],
  ['relu', {maxValue: 6}, [0, 6]],
  ['relu', {threshold: 0.3}, [0.3]],
  ['relu', {negativeSlope: 0.2, maxValue: 4.5, threshold: -1.1}, [-1.1, 0, 4.5]],
  ['relu6', {}, [0, 6]],
  ['selu', {}, [0]],
  ['sigmoid', {}, []],
  ['silu', {}, []],
  ['softShrink', {}, [-0.5, 0.5]],
  ['softShrink', {threshold: 0}, []],
  ['softShrink', {threshold: 0.3}, [-0.3, 0.3]],
  ['softplus', {}, []],
  ['softsign', {}, [0]],
  ['sparsePlus', {}, [-1, 1]],
  ['sparseSigmoid', {}, [-1, 1]],
  ['squareplus', {}, []],
  ['squareplus', {b: 0}, [0]],
  ['squareplus', {b: 0.25}, []],
  ['squareplus', {b: 100}, []],
  ['squareplus', {b: 1e-20}, []],
  ['tanh', {}, []],
  ['tanhShrink', {}, []],
  ['threshold', {threshold: 0, defaultValue: 0}, [0]],
  ['threshold', {threshold: 0.1, defaultValue: 0.7}, [0.1]],
  ['threshold', {threshold: -2, defaultValue: 5}, [-2]],
];

const elementwiseDefs = tfa.definitions.filter((d): d is ElementwiseActivation => d.kind === 'elementwise');
const BUDGET = [4, 16, 16];

function constantsOf(def: ActivationDefinition, p: Params): number[] {
  const full = normalizeParams(def, p as Record<string, never>);
  return def.constants ? def.constants(full) : [];
}

function runOrder(
  def: ElementwiseActivation,
  xs: Float32Array,
  dys: Float32Array,
  u: number[],
  order: number,
): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor1d(xs);
    const y =
      order === 0
        ? (tf.engine().runKernel(kernelName(def), {x}, {u}) as tf.Tensor)
        : (tf.engine().runKernel(gradKernelName(def), {x, dy: tf.tensor1d(dys)}, {u, order}) as tf.Tensor);
    return y.dataSync() as Float32Array;
  });
}

/** Worst ULP of `got` against the float64 definition; NaN in, NaN out; kinks (the derivative's jump) skipped. */
function worstUlp(
  fn: (x: number) => number,
  xs: Float32Array,
  dys: Float32Array | undefined,
  got: Float32Array,
  kinks: number[],
  nanIn = true,
): {ulp: number; x?: number} {
  const near = (x: number) => kinks.some(k => Math.abs(x - k) <= Math.abs(step(k, 3) - k) + 1e-45);
  let worst = {ulp: 0} as {ulp: number; x?: number};
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (dys !== undefined && near(x)) continue;
    const want = x !== x && nanIn ? NaN : dys === undefined ? fn(x) : dys[i] * fn(x);
    const e = ulp(got[i], want);
    if (e > worst.ulp) worst = {ulp: e, x};
  }
  return worst;
}

const worstPerActivation: Record<string, number[]> = {};
let wasm: BackendWasm;

beforeAll(async () => {
  expect(await tf.setBackend('wasm')).toBe(true);
  wasm = tf.backend() as unknown as BackendWasm;
});

afterAll(() => {
  setWasmSimd(true);
  setCpuSimd(true);
  if (Object.keys(worstPerActivation).length === tfa.definitions.length) {
    const dir = join(__dirname, '..', '.cache', 'wasm');
    mkdirSync(dir, {recursive: true});
    writeFileSync(
      join(dir, 'ulp.json'),
      JSON.stringify({bytes: Buffer.from(WASM_BASE64, 'base64').length, activations: worstPerActivation}, null, 1),
    );
  }
});

test("the module attaches to the wasm backend's heap in Node (the SIMD build, plain memory)", async () => {
  await tf.setBackend('wasm');
  const a = wasmAttachment(wasm);
  expect(a.mode).toBe('plain');
  expect(a.loops).not.toBeNull();
  for (const def of elementwiseDefs) {
    if (def.wasm === undefined) continue;
    const e = wasmExports(def);
    expect(typeof a.loops![e.forward]).toBe('function');
    expect(typeof a.loops![e.derivative]).toBe('function');
  }
});

test('every elementwise activation has a wasm body (the module is generated from the definitions)', () => {
  expect(elementwiseDefs.filter(d => d.wasm === undefined).map(d => d.keras)).toEqual([]);
});

test("the module runs on a shared memory (as the threaded build's heap), and in place on any memory", () => {
  expect(wasmModule(true)).not.toBeNull();
  const memory = new WebAssembly.Memory({initial: 4, maximum: 64, shared: true} as WebAssembly.MemoryDescriptor);
  expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  const loops = instantiate(memory)!;
  expect(loops).not.toBeNull();
  const n = 1000,
    x = new Float32Array(memory.buffer, 64, n),
    out = new Float32Array(memory.buffer, 64 + 4 * n, n);
  for (let i = 0; i < n; i++) x[i] = (i - 500) / 100;
  loops[wasmExports(tfa.definitions.find(d => d.id === 'hardTanh') as ElementwiseActivation).forward](
    64,
    64 + 4 * n,
    n,
    0,
    0,
    0,
    0,
    0,
  );
  for (let i = 0; i < n; i++) expect(out[i]).toBe(Math.min(1, Math.max(-1, x[i])));
});

describe.each([
  ['module', true],
  ['JS loops on the heap', false],
] as const)('wasm with %s', (_, simd) => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    setWasmSimd(simd);
  });
  afterAll(() => setWasmSimd(true));

  test.each(VARIANTS.map(v => [`${v[0]} ${JSON.stringify(v[1])}`, ...v] as const))(
    '%s within 4/16/16 ULP of the float64 definition',
    (_name, id, params, kinks) => {
      const def = tfa.lookup(id) as ElementwiseActivation;
      const u = constantsOf(def, params);
      const xs = inputs(kinks);
      const dys = xs.map((_v, i) => [1, -0.75, 1.5, 1e-3, 37, -2][i % 6]);
      const before = tf.memory().numTensors;
      const fns = [def.forward, def.derivative, def.second];
      const errors: number[] = [];
      for (let order = 0; order < 3; order++) {
        const fn = fns[order];
        if (fn === undefined) continue;
        const got = runOrder(def, xs, dys, u, order);
        const w = worstUlp(x => fn(x, u), xs, order === 0 ? undefined : dys, got, kinks, nanAtNaN(def, order));
        if (w.ulp > BUDGET[order]) throw new Error(`${id} order ${order}: ${w.ulp} ULP at x = ${w.x}`);
        // float32 bodies that are not bit-identical keep to the bound they declare (0 for the others)
        const f32 = def.wasm?.float32,
          declared =
            f32 === undefined || f32.when !== undefined
              ? undefined
              : order === 1 && f32.derivative !== undefined
                ? (f32.derivativeUlp ?? BUDGET[1])
                : (f32.ulp ?? 0);
        if (simd && order < 2 && declared !== undefined && w.ulp > declared) {
          throw new Error(`${id} order ${order}: float32 body ${w.ulp} ULP at x = ${w.x}, declared ${declared}`);
        }
        errors.push(w.ulp);
        // NaN, ±0 and subnormal inputs as on cpu
        const specials = new Float32Array([NaN, 0, -0, 1e-40, -1e-40, 1.4e-45, -1.4e-45, Infinity, -Infinity]);
        const ds = new Float32Array(specials.length).fill(1);
        const mine = runOrder(def, specials, ds, u, order);
        const cpuOut = tf.tidy(() => {
          const prev = tf.getBackend();
          tf.setBackend('cpu');
          const r = runOrder(def, specials, ds, u, order);
          tf.setBackend(prev);
          return r;
        });
        for (let i = 0; i < specials.length; i++) {
          if (ulp(mine[i], cpuOut[i]) > BUDGET[order] || Object.is(cpuOut[i], -0) !== Object.is(mine[i], -0)) {
            throw new Error(`${id} order ${order} at ${specials[i]}: ${mine[i]} (cpu ${cpuOut[i]})`);
          }
        }
      }
      if (simd) {
        const w = worstPerActivation[def.keras] ?? [0, 0, 0];
        worstPerActivation[def.keras] = w.map((v, i) => Math.max(v, errors[i] ?? 0));
      }
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

test('results stay correct after the heap grows (the module reads the live memory)', async () => {
  await tf.setBackend('wasm');
  const def = tfa.lookup('silu') as ElementwiseActivation;
  const xs = inputs([]);
  const before = runOrder(def, xs, xs, [], 0);
  const memory = (wasm.wasm as unknown as {HEAPU8: Uint8Array}).HEAPU8.buffer.byteLength;
  const big = tf.zeros([(64 * 1024 * 1024) / 4 + 7]); // 64 MB: the heap must grow
  const grown = (wasm.wasm as unknown as {HEAPU8: Uint8Array}).HEAPU8.buffer.byteLength;
  const after = runOrder(def, xs, xs, [], 0);
  big.dispose();
  expect(grown).toBeGreaterThan(memory);
  expect(Buffer.from(after.buffer).equals(Buffer.from(before.buffer))).toBe(true);
});

// The float32 dy·f′ bodies fold dy into a float32 product (elu′ and selu′ as dy·(α·eˣ), with no range test on dy):
// dy over the whole float32 range, normal and subnormal, both signs, keeps them within their declared bound.
test.each([
  ['elu', {}],
  ['elu', {alpha: 0.5}],
  ['elu', {alpha: -0.3}],
  ['elu', {alpha: 1e-9}],
  ['elu', {alpha: 3e9}],
  ['selu', {}],
  ['sigmoid', {}],
  ['exponential', {}],
  ['tanh', {}],
  ['tanh_shrink', {}],
  ['silu', {}],
  ['softplus', {}],
  ['log_sigmoid', {}],
] as Array<[string, Params]>)(
  '%s %j: f′·dy for dy from 2^-149 to 2^127 within its declared bound',
  async (id, params) => {
    await tf.setBackend('wasm');
    const def = tfa.lookup(id) as ElementwiseActivation;
    const u = constantsOf(def, params);
    const declared = def.wasm!.float32!.derivativeUlp!;
    const xs = new Float32Array(4096),
      dys = new Float32Array(4096);
    for (let i = 0; i < xs.length; i++) {
      xs[i] = -90 + (95 * ((i * 2654435761) % 4096)) / 4096 + i / 1e4;
      dys[i] = (i % 2 ? -1 : 1) * 2 ** (-149 + ((i * 40503) % 277)) * (1 + (i % 7) / 8);
    }
    const got = runOrder(def, xs, dys, u, 1);
    const w = worstUlp(x => def.derivative(x, u), xs, dys, got, []);
    expect(w.ulp).toBeLessThanOrEqual(declared);
  },
);

describe('axis activations on wasm along any axis: the module within 4/16 ULP of cpu, the JS loops equal', () => {
  const cases: Array<[string, Params, number[]]> = [
    ['softmax', {}, [3, 4, 5]],
    ['softmax', {axis: 0}, [3, 4, 5]],
    ['softmax', {axis: 1}, [3, 4, 5]],
    ['softmax', {axis: [0, 2]}, [3, 4, 5]],
    ['softmax', {axis: null}, [3, 4, 5]],
    ['softmax', {}, [40, 257]],
    ['softmax', {}, [40, 256]],
    ['softmax', {}, [9, 1]],
    ['logSoftmax', {axis: 1}, [2, 6, 3]],
    ['logSoftmax', {axis: [1, 2]}, [2, 6, 3]],
    ['logSoftmax', {}, [40, 257]],
    ['logSoftmax', {}, [40, 256]],
    ['logSoftmax', {}, [11, 6]],
    ['glu', {}, [3, 8]],
    ['glu', {axis: 0}, [4, 5, 3]],
    ['glu', {axis: 1}, [3, 4, 5]],
    ['glu', {}, [40, 258]],
    ['glu', {axis: 0}, [40, 33]],
    ['sparsemax', {}, [4, 7]],
    ['sparsemax', {axis: 0}, [5, 3, 2]],
    ['sparsemax', {axis: 1}, [2, 6, 3]],
  ];
  /** Rows of ordinary values at several scales, and rows the module hands to the JS loop (non-finite). */
  function values(shape: number[]): Float32Array {
    const size = shape.reduce((a, b) => a * b, 1),
      last = shape[shape.length - 1];
    const xs = Float32Array.from({length: size}, (_v, i) => {
      const row = Math.floor(i / last);
      const scale = [3, 30, 300, 1e-3, 1e30][row % 5];
      return Math.sin(i * 1.7) * scale + (i % 5 === 0 ? 20 : 0);
    });
    if (shape.length === 2 && shape[0] >= 12) {
      xs[6 * last + 1] = NaN; // a NaN row
      xs[7 * last + 2] = Infinity; // a one-hot row
      xs[8 * last] = -Infinity; // −inf: a finite maximum, exp = 0 (the module)
      for (let j = 0; j < last; j++) xs[9 * last + j] = -Infinity; // only −inf: a NaN row
      xs[10 * last + 3] = xs[10 * last + 5] = Infinity; // two +inf: a NaN row
      xs[11 * last + 1] = xs[11 * last + 4] = 7; // ties at the maximum
      for (let j = 0; j < last; j++) if (xs[11 * last + j] > 7) xs[11 * last + j] = 6;
    }
    return xs;
  }
  test.each(cases.map(c => [`${c[0]} ${JSON.stringify(c[1])} ${c[2].join('x')}`, ...c] as const))(
    '%s',
    async (_n, id, params, shape) => {
      const xs = values(shape);
      const op = (tfa as unknown as Record<string, (x: tf.Tensor, o: Params) => tf.Tensor>)[id];
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const r = tf.tidy(() => {
          const x = tf.tensor(xs, shape);
          const y = op(x, params);
          const dy = tf.tensor(
            Float32Array.from({length: y.size}, (_v, i) => Math.cos(i) * [1, 1e3, 1e-3, 1e35][i % 4]),
            y.shape,
          );
          const g = tf.grad((t: tf.Tensor) => op(t, params))(x, dy);
          return [y.dataSync().slice(), g.dataSync().slice(), y.shape] as const;
        });
        expect(tf.memory().numTensors).toBe(before);
        return r;
      };
      const [yc, gc, sc] = await run('cpu');
      setWasmSimd(false);
      const [yj, gj] = await run('wasm');
      setWasmSimd(true);
      expect(Array.from(yj)).toEqual(Array.from(yc));
      expect(Array.from(gj)).toEqual(Array.from(gc));
      const [y, g, s] = await run('wasm');
      expect(s).toEqual(sc);
      const worst = [y, g].map((got, k) => {
        const want = [yc, gc][k];
        let w = 0;
        for (let i = 0; i < got.length; i++) {
          const e = ulp(got[i], want[i]);
          if (e > w) w = e;
          if (Number.isNaN(want[i]) !== Number.isNaN(got[i]) || (want[i] === 0 && !Object.is(want[i], got[i]))) {
            throw new Error(`${id} ${k ? 'gradient' : 'forward'} [${i}]: ${got[i]}, cpu ${want[i]}`);
          }
        }
        return w;
      });
      const keras = tfa.lookup(id).keras;
      if ((tfa.lookup(id) as AxisActivation).wasm === undefined) {
        expect(worst).toEqual([0, 0]); // the JS loops on the heap views
      } else {
        expect(worst[0]).toBeLessThanOrEqual(4);
        expect(worst[1]).toBeLessThanOrEqual(16);
      }
      const w = worstPerActivation[keras] ?? [0, 0, 0];
      worstPerActivation[keras] = [Math.max(w[0], worst[0]), Math.max(w[1], worst[1]), 0];
    },
  );
});

test('cpu: the SIMD module (chunked) and the JS loops give bit-identical results', async () => {
  await tf.setBackend('cpu');
  const exact = elementwiseDefs.filter(d => wasmExact(d));
  expect(exact.map(d => d.id)).toEqual(expect.arrayContaining(['hardTanh', 'leakyRelu', 'relu', 'squareplus']));
  const base = inputs([-3, -1, 0, 1, 3, 6, 0.5, -0.5, 0.1, -2]);
  const n = 2 * CHUNK + 1003; // several chunks and an odd tail
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) xs[i] = base[(i * 7919) % base.length];
  const dys = xs.map((_v, i) => [1, -0.75, 1.5, 1e-3, 37, -2][i % 6]);
  for (const [id, params] of VARIANTS) {
    const def = tfa.lookup(id) as ElementwiseActivation;
    if (!wasmExact(def) || def.wasm?.cpu === false) continue;
    const u = constantsOf(def, params);
    for (const size of [n, SIMD_MIN_SIZE + 1]) {
      const x = xs.subarray(0, size),
        dy = dys.subarray(0, size);
      setCpuSimd(true);
      expect(cpuSimdApplies(def, size)).toBe(true);
      const withSimd = [0, 1, 2].map(o => runOrder(def, x, dy, u, o));
      setCpuSimd(false);
      expect(cpuSimdApplies(def, size)).toBe(false);
      const withJs = [0, 1, 2].map(o => runOrder(def, x, dy, u, o));
      setCpuSimd(true);
      for (let o = 0; o < 3; o++) {
        const a = Buffer.from(withSimd[o].buffer),
          b = Buffer.from(withJs[o].buffer);
        if (!a.equals(b)) {
          const i = withSimd[o].findIndex((v, k) => !Object.is(v, withJs[o][k]));
          throw new Error(
            `${id} ${JSON.stringify(params)} order ${o} size ${size}: at x = ${x[i]}: ${withSimd[o][i]} vs ${withJs[o][i]}`,
          );
        }
      }
    }
  }
});

test('cpu: hard_sigmoid through the module, (x + 3)·fl(1/6), equals the JS loop (x + 3)/6 on ties and near them', async () => {
  await tf.setBackend('cpu');
  const def = tfa.lookup('hardSigmoid') as ElementwiseActivation;
  const v: number[] = [];
  // x + 3 = 6m for float32 midpoints m (ties, rounded to even by the division), where x is a float32
  for (let j = 0; v.length < 40000; j++) {
    const e = -1 - (j % 24),
      k = 2 ** 23 + ((j * 2654435761) % 2 ** 23);
    const x = 6 * (2 * k + 1) * 2 ** (e - 24) - 3;
    if (Math.fround(x) === x && x > -3 && x < 3) v.push(x);
  }
  // runs of consecutive float32 around a few points (both sides of every rounding there)
  const bits = new Uint32Array(1),
    f = new Float32Array(bits.buffer);
  for (const c of [0, 1e-8, -1e-8, 0.1, -0.1, 1.5, -1.5, -2.9999998, 2.9999998, 1, -1]) {
    f[0] = c;
    const b0 = bits[0];
    for (let d = -4000; d < 4000; d++) {
      bits[0] = b0 + d;
      v.push(f[0]);
    }
  }
  const xs = Float32Array.from(v);
  expect(xs.length).toBeGreaterThan(SIMD_MIN_SIZE);
  setCpuSimd(true);
  expect(cpuSimdApplies(def, xs.length)).toBe(true);
  const withSimd = runOrder(def, xs, xs, [], 0);
  setCpuSimd(false);
  const withJs = runOrder(def, xs, xs, [], 0);
  setCpuSimd(true);
  const i = withSimd.findIndex((y, k) => !Object.is(y, withJs[k]));
  expect(i === -1 ? 'equal' : `x = ${xs[i]}: ${withSimd[i]} vs ${withJs[i]}`).toBe('equal');
  // the ties are real: (x + 3)/6 is a float32 midpoint there, and both rounded it to even
  const x0 = v[0],
    q = (x0 + 3) / 6;
  expect(Math.fround(q)).not.toBe(q);
});

test('a model with new activations fits, saves and loads back bit-identical on wasm, with no leak', async () => {
  await tf.setBackend('wasm');
  const model = tfl.sequential();
  model.add(tfl.layers.dense({units: 12, inputShape: [6], activation: tfa.activationId('squareplus')}));
  model.add(tfl.layers.dense({units: 8, activation: tfa.activationId('mish')}));
  model.add(tfl.layers.dense({units: 8, activation: tfa.activationId('hard_tanh')}));
  model.add(tfl.layers.dense({units: 4, activation: tfa.activationId('softmax')}));
  model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
  const xs = tf.randomNormal([64, 6], 0, 1, 'float32', 7);
  const ys = tf.cast(tf.oneHot(tf.argMax(tf.slice(xs, [0, 0], [64, 4]), 1), 4), 'float32');
  const first = await model.fit(xs, ys, {epochs: 1, batchSize: 16, verbose: 0}); // creates the optimizer's state
  const tensors = tf.memory().numTensors;
  const h = await model.fit(xs, ys, {epochs: 20, batchSize: 16, verbose: 0});
  expect(tf.memory().numTensors).toBe(tensors);
  const loss0 = first.history.loss[0] as number,
    loss = h.history.loss[h.history.loss.length - 1] as number;
  expect(loss).toBeLessThan(loss0);
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async a => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
  );
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
  const a = model.predict(xs) as tf.Tensor,
    b = loaded.predict(xs) as tf.Tensor;
  expect(
    Buffer.from((a.dataSync() as Float32Array).buffer).equals(Buffer.from((b.dataSync() as Float32Array).buffer)),
  ).toBe(true);
  tf.dispose([a, b, xs, ys]);
  model.dispose();
  loaded.dispose();
  expect(tf.memory().numTensors).toBeLessThanOrEqual(tensors);
});

test('sizes 0 to 40 on wasm (JS loops below 16, an overlapping last block above) match cpu, forward and gradient', async () => {
  for (const id of ['hardTanh', 'silu', 'leakyRelu', 'gelu', 'softmax']) {
    const op = (tfa as unknown as Record<string, (x: tf.Tensor) => tf.Tensor>)[id];
    for (let n = 0; n <= 40; n++) {
      const xs = Float32Array.from({length: n}, (_v, i) => (i - 20.3) * 0.3);
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const x = tf.tensor1d(xs);
          return [Array.from(op(x).dataSync()), Array.from(tf.grad(op)(x).dataSync())];
        });
      };
      const [w, c] = [await run('wasm'), await run('cpu')];
      const def = tfa.lookup(id);
      const f32 = def.kind === 'elementwise' ? def.wasm?.float32 : undefined; // leaky_relu: 1
      for (const k of [0, 1]) {
        let allowed = (k === 1 && f32?.derivative !== undefined ? f32.derivativeUlp : f32?.ulp) ?? 0;
        if (def.kind === 'axis' && def.wasm !== undefined) allowed = BUDGET[k]; // softmax's rows in the module
        const worst = Math.max(0, ...w[k].map((v, i) => ulp(v, c[k][i])));
        if (worst > allowed) throw new Error(`${id} n = ${n} ${k ? 'gradient' : 'forward'}: ${worst} ULP from cpu`);
      }
    }
  }
});

test('outputs at every 16-byte alignment on the heap (the first block apart, then aligned) match cpu', async () => {
  const skews = new Set<number>();
  for (const id of ['relu', 'hardTanh', 'hardShrink', 'silu']) {
    const op = (tfa as unknown as Record<string, (x: tf.Tensor) => tf.Tensor>)[id];
    for (const n of [16, 17, 19, 35, 1001]) {
      const xs = Float32Array.from({length: n}, (_v, i) => Math.sin(i * 1.3) * 4);
      xs[n - 1] = NaN;
      xs[0] = -0;
      await tf.setBackend('cpu');
      const want = tf.tidy(() =>
        [op(tf.tensor1d(xs)), tf.grad(op)(tf.tensor1d(xs))].map(t => Array.from(t.dataSync())),
      );
      await tf.setBackend('wasm');
      const b = tf.backend() as unknown as BackendWasm;
      for (let pad = 1; pad <= 6; pad++) {
        const spacer = tf.zeros([pad]); // moves the next allocations by 8-byte steps
        const x = tf.tensor1d(xs);
        const y = op(x),
          g = tf.grad(op)(x);
        skews.add(b.dataIdMap.get(y.dataId)!.memoryOffset & 15);
        const got = [y, g].map(t => Array.from(t.dataSync()));
        const def = tfa.lookup(id) as ElementwiseActivation;
        const f32 = def.wasm?.float32;
        for (const k of [0, 1]) {
          const allowed = (k === 1 && f32?.derivative !== undefined ? f32.derivativeUlp : f32?.ulp) ?? 0;
          got[k].forEach((v, i) => {
            const w = want[k][i];
            if (Number.isNaN(w) !== Number.isNaN(v) || (w === 0 && !Object.is(w, v)) || ulp(v, w) > allowed) {
              throw new Error(`${id} n = ${n} pad ${pad} ${k ? 'gradient' : 'forward'} [${i}]: ${v}, cpu ${w}`);
            }
          });
        }
        tf.dispose([spacer, x, y, g]);
      }
    }
  }
  expect([...skews].some(s => s !== 0)).toBe(true); // the misaligned path ran
});
