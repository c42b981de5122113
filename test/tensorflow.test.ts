/**
 * The tensorflow (tfjs-node) backend: every activation's native composition
 * against the float64 truth of its definition, the number of libtensorflow
 * ops each kernel launches, gradients through tf.grad (first and second
 * order), a model trained, saved to disk and loaded back, and tensor leaks
 * (tfjs tensors and libtensorflow handles).
 *
 * These are the op chains: the native op library is turned off here
 * (test/native.test.ts runs this file again with it on).
 *
 * tfjs-node must load: the project's setup builds it
 * (`node scripts/setup/tfjs-node.mjs`). If it cannot, every test here fails
 * with the reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {runInThisContext} from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfa from '../src';
import type {AxisActivation, ElementwiseActivation} from '../src';
import {isSubnormal, MAX_FLOAT, MIN_NORMAL, nanAtNaN, nativeOpsDuring, stepUlp, truthError} from './helpers';
import {contiguous, layoutOf, resolveAxes} from '../src/layout';
import {normalizeParams} from '../src/params';
import {axisCasesOf, constantsFor, kinksOf, variantsOf} from './variants';
import {nativeOpsStatus, setNativeOps} from '../src/backends/tensorflow_native';

/** test/native.test.ts runs this suite again with the native op library on: one launch per kernel. */
const NATIVE = (globalThis as {tfaNativeSuite?: boolean}).tfaNativeSuite === true;
setNativeOps(NATIVE);

process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL ?? '2';
let loadError: string | undefined;
let tfnode: {loadLayersModel: typeof tfl.loadLayersModel} | undefined;
try {
  tfnode = require('@tensorflow/tfjs-node'); // in try: a missing addon fails the tests, not the file
} catch (e) {
  loadError = (e as Error).message.split('\n').slice(0, 3).join(' ');
}

function needBackend(): void {
  if (loadError !== undefined) {
    throw new Error(`@tensorflow/tfjs-node could not be loaded (run 'node scripts/setup/tfjs-node.mjs'): ${loadError}`);
  }
  if (tf.getBackend() !== 'tensorflow') throw new Error(`backend is '${tf.getBackend()}', not 'tensorflow'`);
  if (NATIVE) {
    const status = nativeOpsStatus((tf.backend() as unknown as {binding: never}).binding);
    if (!status.loaded) throw new Error(`the native op library is not loaded: ${status.reason}`);
  }
}

// ---------------------------------------------------------------------------
// Counting libtensorflow op launches: every op goes through binding.executeOp.

function nativeTensors(): number {
  return (tf.backend() as unknown as {binding: {getNumOfTensors(): number}}).binding.getNumOfTensors();
}

/** Native op launches of one call of fn (after a warm-up call, so cached constants exist). */
function countLaunches(fn: () => tf.Tensor): number {
  nativeOpsDuring(() => tf.dispose(fn()));
  return nativeOpsDuring(() => tf.dispose(fn())).ops.length;
}

beforeAll(async () => {
  if (loadError !== undefined) return;
  await tf.setBackend('tensorflow');
});

test('tfjs-node loads and the tensorflow backend is active', () => {
  needBackend();
  expect(tf.getBackend()).toBe('tensorflow');
});

// ---------------------------------------------------------------------------
// Truth and error measure.

type Scalar = (x: number, u: ArrayLike<number>) => number;

/** f(x) from the definition in float64, with the limit at ±inf where the formula gives inf·0. */
function truthAt(f: Scalar, x: number, u: number[]): number {
  if (x !== x) return NaN;
  const t = f(x, u);
  if (t === t || Number.isFinite(x)) return t;
  return f(x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE, u);
}

/**
 * The error at x, where libtensorflow reads a subnormal input as ±0
 * (TensorFlow runs with denormals-are-zero): for a subnormal x the value
 * at ±0 is accepted too.
 */
function errorAt(r: number, x: number, truth: (x: number) => number): number {
  const e = truthError(r, truth(x));
  return isSubnormal(x) ? Math.min(e, truthError(r, truth(x > 0 ? 0 : -0))) : e;
}

// ---------------------------------------------------------------------------
// Elementwise activations.

type Params = Record<string, number | boolean | null>;

/**
 * Every elementwise activation × its test variants (the definitions' `test`), with the definition's
 * bound on libtensorflow launches of [forward, dy·f', dy·f''].
 */
const elementwise: Array<[string, Params, readonly number[]]> = tfa.definitions.flatMap(d =>
  d.kind !== 'elementwise'
    ? []
    : variantsOf(d).map(v => [d.id, v as Params, d.budget!.tensorflowLaunches!] as [string, Params, readonly number[]]),
);

function elementwiseInputs(ks: number[]): Float32Array {
  const v: number[] = [];
  for (let x = -12; x <= 12; x += 1 / 128) v.push(x); // dense grid
  for (let e = -300; e <= 300; e++) v.push(10 ** (e / 10), -(10 ** (e / 10))); // 1e-30..1e30, both signs
  for (let x = 80; x <= 110; x += 0.25) v.push(x, -x); // around exp's float32 overflow (88.72)
  v.push(
    0,
    -0,
    MAX_FLOAT,
    -MAX_FLOAT,
    3e38,
    -3e38,
    1e38,
    -1e38,
    1e19,
    -1e19,
    1.8e19,
    -1.8e19,
    2e19,
    -2e19,
    88.72,
    88.73,
    -87.3,
    -103.9,
    1e-40,
    -1e-40,
    1.4e-45,
    -1.4e-45,
    Infinity,
    -Infinity,
    NaN,
  );
  // where libtensorflow's float32 kernels are measured > 4 ULP off (Tanh, Sigmoid, Softplus, Expm1, Erf, Erfc)
  for (const w of [
    4.103862762451172, 7.907991409301758, -1.1342443227767944, -50.718387603759766, -13.942429542541504,
    -13.948206901550293, -0.26901593804359436, 3.7385427951812744, 8.8907470703125, 9.158203125,
  ]) {
    v.push(w, -w, w * Math.SQRT2, -w * Math.SQRT2); // also where gelu evaluates erf/erfc at x/√2
  }
  for (const k of ks) {
    for (const base of k === 0 ? [0, -0] : [k]) for (let d = -2; d <= 2; d++) v.push(stepUlp(base, d)); // kinks ±1, ±2 ULP
  }
  const bits = new Uint32Array(1),
    f = new Float32Array(bits.buffer);
  for (let b = 0; b < 0x7f800000; b += 0x7f800000 / 4096) {
    // every binade
    bits[0] = b;
    v.push(f[0], -f[0]);
  }
  return new Float32Array(v);
}

const DY = [1, -0.75, 1.5, 0.3, 1e-3, 37, -2, 1e-20, 2e15];

interface Worst {
  ulp: number;
  x?: number;
  got?: number;
  want?: number;
}

/**
 * The worst error of `got` against the truth, skipping `skip`ped inputs. One
 * pass over typed arrays (the per-element function calls of \`error\` are
 * slow under jest); subnormal inputs get the DAZ allowance of \`errorAt\`.
 */
function worstOf(
  xs: Float32Array,
  got: ArrayLike<number>,
  truth: (x: number, i: number) => number,
  skip: (x: number) => boolean = () => false,
): Worst {
  const n = xs.length;
  const want = new Float64Array(n);
  for (let i = 0; i < n; i++) want[i] = truth(xs[i], i);
  const w32 = Float32Array.from(want),
    g32 = Float32Array.from(got);
  const wi = new Int32Array(w32.buffer),
    gi = new Int32Array(g32.buffer);
  let w: Worst = {ulp: 0};
  for (let i = 0; i < n; i++) {
    const t = want[i],
      r = g32[i],
      t32 = w32[i];
    let e: number;
    if (t !== t) e = r !== r ? 0 : Infinity;
    else if (t32 === Infinity || t32 === -Infinity) e = r === t32 ? 0 : Infinity;
    else if (Math.abs(t32) >= MIN_NORMAL) {
      if (r !== r || r === Infinity || r === -Infinity) e = Infinity;
      else {
        const a = wi[i] < 0 ? -(wi[i] & 0x7fffffff) : wi[i],
          b = gi[i] < 0 ? -(gi[i] & 0x7fffffff) : gi[i];
        e = Math.abs(a - b);
      }
    } else e = Math.abs(r - t) <= MIN_NORMAL ? 0 : Infinity;
    if (e > w.ulp && !skip(xs[i])) {
      if (isSubnormal(xs[i]))
        e = Math.min(
          e,
          errorAt(r, xs[i], x => truth(x, i)),
        );
      if (e > w.ulp) w = {ulp: e, x: xs[i], got: r, want: t};
    }
  }
  return w;
}

const measured: Array<{id: string; params: string; ops: number[]; ulp: number[]}> = [];

describe.each(elementwise)('%s %j', (id, params, ops) => {
  const def = tfa.lookup(id) as ElementwiseActivation;
  const u = () => constantsFor(def, params);
  const ks = kinksOf(def, params);
  const nearKink = (x: number) =>
    ks.some(k => Math.abs(x - k) <= Math.abs(stepUlp(k, 1) - Math.fround(k)) || (k === 0 && isSubnormal(x)));
  const op = (tfa as unknown as Record<string, (t: tf.Tensor, o?: object) => tf.Tensor>)[def.id];
  const opts = Object.keys(params).length > 0 ? params : undefined;

  test('forward within 4 ULP, gradients within 16 ULP away from kinks, NaN in → NaN out', () => {
    needBackend();
    const xs = elementwiseInputs(ks);
    const dys = Float32Array.from(xs, (_, i) => DY[i % DY.length]);
    const x = tf.tensor1d(xs),
      dy = tf.tensor1d(dys);
    const c = u();
    const y = op(x, opts);
    const fwd = worstOf(xs, y.dataSync(), t => truthAt(def.forward, t, c));
    const grad = (order: number, fn: Scalar) => {
      const g = tf.engine().runKernel(tfa.gradKernelName(def), {dy, x}, {u: c, order}) as tf.Tensor;
      const at = (t: number) => (t !== t && !nanAtNaN(def, order) ? fn(t, c) : truthAt(fn, t, c)); // linear′(NaN) = 1
      const w = worstOf(xs, g.dataSync(), (t, i) => (t !== t && nanAtNaN(def, order) ? NaN : dys[i] * at(t)), nearKink);
      g.dispose();
      return w;
    };
    const d1 = grad(1, def.derivative),
      d2 = grad(2, def.second!);
    measured.push({
      id,
      params: JSON.stringify(params),
      ops: NATIVE ? ops.map(o => Math.min(o, 1)) : [...ops], // native: one launch, none where the budget has none
      ulp: [fwd.ulp, d1.ulp, d2.ulp],
    });
    tf.dispose([x, dy, y]);
    expect({
      forward: fwd.ulp <= 4 ? 'ok' : fwd,
      derivative: d1.ulp <= 16 ? 'ok' : d1,
      second: d2.ulp <= 16 ? 'ok' : d2,
    }).toEqual({forward: 'ok', derivative: 'ok', second: 'ok'});
  });

  test(`launches at most ${ops[0]} / ${ops[1]} / ${ops[2]} libtensorflow ops (forward / dy·f' / dy·f'')`, () => {
    needBackend();
    const x = tf.tensor1d([-2, -0.5, 0, 0.5, 2, 7]),
      dy = tf.onesLike(x);
    const c = u();
    const grad = (order: number) => () =>
      tf.engine().runKernel(tfa.gradKernelName(def), {dy, x}, {u: c, order}) as tf.Tensor;
    const launched = [countLaunches(() => op(x, opts)), countLaunches(grad(1)), countLaunches(grad(2))];
    const bound = NATIVE ? [def.identity ? 0 : 1, 1, 1] : ops;
    expect(launched.map((l, k) => (l <= bound[k] ? 'ok' : `${l} > ${bound[k]}`))).toEqual(['ok', 'ok', 'ok']);
    tf.dispose([x, dy]);
  });
});

// ---------------------------------------------------------------------------
// Axis activations: truth in float64 from the cpu loops (softmax, glu,
// sparsemax) or, where those cancel, from formulas that do not.

function slices(outer: number, n: number, inner: number, fn: (base: number) => void): void {
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) fn(o * n * inner + i);
}

function probabilities(x: Float32Array, base: number, n: number, inner: number): number[] {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, x[base + j * inner]);
  const e = Array.from({length: n}, (_, j) => Math.exp(x[base + j * inner] - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map(v => v / s);
}

type AxisTruth = (x: Float32Array, out: Float64Array, outer: number, n: number, inner: number) => void;
type AxisGradTruth = (
  x: Float32Array,
  dy: Float32Array,
  dx: Float64Array,
  outer: number,
  n: number,
  inner: number,
) => void;

const axisTruth: Record<string, {forward?: AxisTruth; backward?: AxisGradTruth}> = {
  logSoftmax: {
    // z − log1p(Σ over all but the first maximum of e^z)
    forward(x, out, outer, n, inner) {
      slices(outer, n, inner, base => {
        let max = -Infinity,
          arg = 0;
        for (let j = 0; j < n; j++) if (x[base + j * inner] > max) [max, arg] = [x[base + j * inner], j];
        let d = 0;
        for (let j = 0; j < n; j++) if (j !== arg) d += Math.exp(x[base + j * inner] - max);
        for (let j = 0; j < n; j++) out[base + j * inner] = x[base + j * inner] - max - Math.log1p(d);
      });
    },
    // dy_i·Σ_{j≠i} p_j − p_i·Σ_{j≠i} dy_j
    backward(x, dy, dx, outer, n, inner) {
      slices(outer, n, inner, base => {
        const p = probabilities(x, base, n, inner);
        for (let i = 0; i < n; i++) {
          let q = 0,
            r = 0;
          for (let j = 0; j < n; j++) {
            if (j !== i) {
              q += p[j];
              r += dy[base + j * inner];
            }
          }
          dx[base + i * inner] = dy[base + i * inner] * q - p[i] * r;
        }
      });
    },
  },
  softmax: {
    // p_i·Σ_j (dy_i − dy_j)·p_j
    backward(x, dy, dx, outer, n, inner) {
      slices(outer, n, inner, base => {
        const p = probabilities(x, base, n, inner);
        for (let i = 0; i < n; i++) {
          let t = 0;
          for (let j = 0; j < n; j++) t += (dy[base + i * inner] - dy[base + j * inner]) * p[j];
          dx[base + i * inner] = p[i] * t;
        }
      });
    },
  },
};

let seed = 12345;
function random(): number {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
}
const normal = (s: number) => s * Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());

/** Random slices at three scales, plus (along the last axis) a dominant logit, ties, −inf, NaN and a wide spread. */
function axisInput(id: string, shape: number[], axes: number[], scale: number): Float32Array {
  const v = Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => normal(scale));
  const n = shape[shape.length - 1];
  if (axes.length === 1 && axes[0] === shape.length - 1 && shape.length === 2 && shape[0] >= 5 && id !== 'glu') {
    for (let j = 0; j < n; j++) {
      v[j] = j === 0 ? 10 : -15 - j; // 1 − softmax ≈ 1e-11 at the maximum
      v[n + j] = j < 2 ? 3 : -1; // tied maxima
      if (j === 3) v[2 * n + j] = -Infinity;
      v[4 * n + j] = j * 7 - 30;
    }
    v[3 * n + 2] = NaN;
  }
  return v;
}

/** [id, shape, params]; the launch bounds are the definitions' (`budget.tensorflowLaunches`). */
const axisCases: Array<[string, number[], Params | {axis: number[] | null}]> = tfa.definitions.flatMap(d =>
  axisCasesOf(d)
    // the kernels take contiguous axes (the op transposes the others around them)
    .filter(c => contiguous(resolveAxes(d as AxisActivation, normalizeParams(d, c.options), c.shape.length)))
    .map(c => [d.id, [...c.shape], c.options as Params] as [string, number[], Params]),
);

describe.each(axisCases)('%s %j %j', (id, shape, params) => {
  const def = tfa.lookup(id) as AxisActivation;
  const [fwdOps, bwdOps] = def.budget!.tensorflowLaunches!;
  const op = (tfa as unknown as Record<string, (t: tf.Tensor, o?: object) => tf.Tensor>)[def.id];
  const axes = resolveAxes(def, normalizeParams(def, params), shape.length);
  const {outer, n, inner} = layoutOf(shape, axes);

  test.each([1, 4, 30])('scale %d: forward within 4 ULP, backward within 16 ULP', scale => {
    needBackend();
    const xs = axisInput(id, shape, axes, scale);
    const x = tf.tensor(xs, shape);
    const y = op(x, params);
    const want = new Float64Array(y.size);
    (axisTruth[id]?.forward ?? (def.cpu.forward as unknown as AxisTruth))(xs, want, outer, n, inner);
    const dys = Float32Array.from({length: y.size}, () => normal(1));
    const dy = tf.tensor(dys, y.shape);
    const g = tf.engine().runKernel(tfa.gradKernelName(def), {x, dy}, {axes}) as tf.Tensor;
    const dwant = new Float64Array(g.size);
    (axisTruth[id]?.backward ?? (def.cpu.backward as unknown as AxisGradTruth))(xs, dys, dwant, outer, n, inner);
    const ys = y.dataSync(),
      gs = g.dataSync();
    let fw = 0,
      bw = 0;
    for (let i = 0; i < ys.length; i++) fw = Math.max(fw, truthError(ys[i], want[i]));
    for (let i = 0; i < gs.length; i++) bw = Math.max(bw, truthError(gs[i], dwant[i]));
    measured.push({
      id,
      params: JSON.stringify({shape, ...params, scale}),
      ops: NATIVE ? [1, 1] : [fwdOps, bwdOps],
      ulp: [fw, bw],
    });
    tf.dispose([x, y, dy, g]);
    expect({forward: fw <= 4 ? 'ok' : fw, backward: bw <= 16 ? 'ok' : bw}).toEqual({forward: 'ok', backward: 'ok'});
  });

  test(`launches at most ${fwdOps} / ${bwdOps} libtensorflow ops (forward / backward)`, () => {
    needBackend();
    const x = tf.randomNormal(shape, 0, 2, 'float32', 3);
    const y = op(x, params);
    const dy = tf.onesLike(y);
    const bwd = () => tf.engine().runKernel(tfa.gradKernelName(def), {x, dy}, {axes}) as tf.Tensor;
    const launched = [countLaunches(() => op(x, params)), countLaunches(bwd)];
    const bound = NATIVE ? [1, 1] : [fwdOps, bwdOps];
    expect(launched.map((l, k) => (l <= bound[k] ? 'ok' : `${l} > ${bound[k]}`))).toEqual(['ok', 'ok']);
    tf.dispose([x, y, dy]);
  });
});

// ---------------------------------------------------------------------------
// Gradients through tf.grad, first and second order.

/** Points away from every kink (and from 0), where f' and f'' exist. */
const smooth = [-7.3, -3.5, -2.2, -1.3, -0.7, -0.2, 0.15, 0.6, 1.2, 2.7, 3.9, 8.1];

describe.each(tfa.definitions.filter(d => d.kind === 'elementwise').map(d => [d.id, d] as const))(
  'tf.grad of %s',
  (id, d) => {
    const def = d as ElementwiseActivation;
    const params = variantsOf(def)[0] as Params;
    const op = (tfa as unknown as Record<string, (t: tf.Tensor, o?: object) => tf.Tensor>)[id];

    test('first and second derivatives match the definition', () => {
      needBackend();
      const c = constantsFor(def, params);
      const x = tf.tensor1d(smooth);
      const f = (t: tf.Tensor) => op(t, params);
      const g1 = tf.grad(f)(x);
      const g2 = tf.grad(t => tf.grad(f)(t))(x);
      const w1 = worstOf(new Float32Array(smooth), g1.dataSync(), t => def.derivative(t, c));
      const w2 = worstOf(new Float32Array(smooth), g2.dataSync(), t => def.second!(t, c));
      tf.dispose([x, g1, g2]);
      expect({first: w1.ulp <= 16 ? 'ok' : w1, second: w2.ulp <= 16 ? 'ok' : w2}).toEqual({first: 'ok', second: 'ok'});
    });
  },
);

test.each(['softmax', 'logSoftmax', 'glu', 'sparsemax'])(
  'tf.grad and tf.grad of tf.grad of %s agree with the cpu backend',
  async id => {
    needBackend();
    const op = (tfa as unknown as Record<string, (t: tf.Tensor, o?: object) => tf.Tensor>)[id];
    const xs = Float32Array.from({length: 24}, () => normal(2));
    const ws = Float32Array.from({length: 24}, () => normal(1));
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(xs, [2, 3, 4]);
        const w = tf.tensor(ws.slice(0, id === 'glu' ? 12 : 24), id === 'glu' ? [2, 3, 2] : [2, 3, 4]);
        const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.square(op(t, {axis: -1})), w));
        const g1 = tf.grad(f)(x);
        const g2 = tf.grad(t => tf.sum(tf.mul(tf.grad(f)(t), tf.sin(t))))(x);
        return [g1.dataSync().slice(), g2.dataSync().slice()];
      });
    const [a1, a2] = run();
    await tf.setBackend('cpu');
    let b1: Float32Array | Int32Array | Uint8Array, b2: Float32Array | Int32Array | Uint8Array;
    try {
      [b1, b2] = run();
    } finally {
      await tf.setBackend('tensorflow');
    }
    for (let i = 0; i < a1.length; i++) {
      expect(Math.abs(a1[i] - b1[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(b1[i])));
      expect(Math.abs(a2[i] - b2[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(b2[i])));
    }
  },
);

// ---------------------------------------------------------------------------
// A model with new activations: fit, save to a directory, load back.

/**
 * jest runs this file in its own vm context, while tfjs-node's addon hands
 * out typed arrays of Node's main context, so tfjs-core's
 * `instanceof Float32Array` (in weight encoding) rejects them. Not a problem
 * outside jest; here the test context's typed-array globals are pointed at
 * the main context's while saving and loading.
 */
function useMainRealmTypedArrays(): () => void {
  const main = runInThisContext('({Float32Array, Int32Array, Uint8Array})');
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = {Float32Array: g.Float32Array, Int32Array: g.Int32Array, Uint8Array: g.Uint8Array};
  Object.assign(g, main);
  return () => Object.assign(g, saved);
}

test('a model with new activations trains with fit, saves to disk and loads back bit-identical', async () => {
  needBackend();
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({units: 8, inputShape: [3], activation: tfa.activationId('squareplus')}),
      tfa.layers.relu({negativeSlope: 0.1, maxValue: 6, threshold: 0.25}),
      tfl.layers.dense({units: 8, activation: tfa.activationId('soft_shrink')}),
      tfa.layers.squareplus({b: 0.25}),
      tfl.layers.dense({units: 8, activation: tfa.activationId('silu')}),
      tfa.layers.glu({axis: -1}),
      tfl.layers.dense({units: 6, activation: tfa.activationId('hard_silu')}),
      tfa.layers.celu({alpha: 0.5}),
      tfl.layers.dense({units: 3, activation: tfa.activationId('log_softmax')}),
    ],
  });
  model.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError'});
  const xs = tf.randomUniform([128, 3], -2, 2, 'float32', 1);
  const ys = tf.tidy(() =>
    tf.logSoftmax(
      tf.matMul(
        xs,
        tf.tensor2d([
          [1, -1, 0.5],
          [0.3, 2, -1],
          [-1, 0.2, 1],
        ]),
      ),
    ),
  );
  await model.fit(xs, ys, {epochs: 1, batchSize: 32, verbose: 0}); // creates the optimizer's state
  const tensors = tf.memory().numTensors,
    handles = nativeTensors();
  const history = await model.fit(xs, ys, {epochs: 25, batchSize: 32, verbose: 0});
  expect(tf.memory().numTensors).toBe(tensors);
  expect(nativeTensors()).toBe(handles);
  const loss = history.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(0.7 * loss[0]);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfa-tensorflow-'));
  const restore = useMainRealmTypedArrays();
  try {
    await model.save(`file://${dir}`);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = fs.readFileSync(path.join(dir, 'model.json'), 'utf8');
    for (const s of [
      '"squareplus"',
      '"soft_shrink"',
      '"silu"',
      '"hard_silu"',
      '"log_softmax"',
      'ReluActivation',
      'SquareplusActivation',
      'GluActivation',
      'CeluActivation',
      '"max_value":6',
      '"b":0.25',
    ]) {
      expect(json).toContain(s);
    }
    const loaded = await tfnode!.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    const a = model.predict(xs) as tf.Tensor,
      b = loaded.predict(xs) as tf.Tensor;
    expect(Array.from(new Uint32Array(b.dataSync().buffer.slice(0)))).toEqual(
      Array.from(new Uint32Array(a.dataSync().buffer.slice(0))),
    );
    tf.dispose([a, b]);
    loaded.dispose();
  } finally {
    restore();
    fs.rmSync(dir, {recursive: true, force: true});
  }
  tf.dispose([xs, ys]);
  model.dispose();
});

// ---------------------------------------------------------------------------
// Leaks, the fallback, and failures inside a composition.

test('no tfjs tensor and no libtensorflow handle is left behind by any kernel', () => {
  needBackend();
  const x = tf.tensor2d([
    [-3, -0.5, 0, 0.25],
    [1, 2.5, NaN, 40],
  ]);
  const all = () => {
    for (const def of tfa.definitions) {
      const op = (tfa as unknown as Record<string, (t: tf.Tensor, o?: object) => tf.Tensor>)[def.id];
      const o = variantsOf(def)[0];
      tf.dispose(op(x, o));
      tf.dispose(tf.grad((t: tf.Tensor) => op(t, o))(x));
      tf.dispose(tf.tidy(() => tf.grad((t: tf.Tensor) => tf.grad((v: tf.Tensor) => op(v, o))(t))(x)));
    }
  };
  all(); // creates the cached scalar constants
  const tensors = tf.memory().numTensors,
    handles = nativeTensors();
  all();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(nativeTensors()).toBe(handles);
  x.dispose();
});

(NATIVE ? test.skip : test)(
  'without a composition, a kernel runs the scalar definition on the tensor values (no native op)',
  () => {
    needBackend();
    const def = tfa.lookup('squareplus') as ElementwiseActivation;
    const saved = def.tensorflow;
    const x = tf.tensor1d([-1e20, -3, -0.5, 0, 0.5, 3, NaN]),
      dy = tf.onesLike(x);
    try {
      (def as {tensorflow?: unknown}).tensorflow = undefined;
      const launched = countLaunches(() => tfa.squareplus(x, {b: 2}));
      const y = tfa.squareplus(x, {b: 2});
      const g = tf.engine().runKernel(tfa.gradKernelName(def), {dy, x}, {u: [2], order: 1}) as tf.Tensor;
      expect(launched).toBe(0);
      expect(Array.from(y.dataSync())).toEqual(
        Array.from(x.dataSync(), v => Math.fround(v === v ? def.forward(v, [2]) : v)),
      );
      expect(Array.from(g.dataSync())).toEqual(
        Array.from(x.dataSync(), v => Math.fround(v === v ? def.derivative(v, [2]) : v)),
      );
      tf.dispose([y, g]);
    } finally {
      (def as {tensorflow?: unknown}).tensorflow = saved;
    }
    tf.dispose([x, dy]);
  },
);

(NATIVE ? test.skip : test)('an error inside a composition frees the handles it created', () => {
  needBackend();
  const def = tfa.lookup('softplus') as ElementwiseActivation;
  const saved = def.tensorflow!;
  const x = tf.tensor1d([1, 2, 3]);
  tf.dispose(tfa.softplus(x));
  const handles = nativeTensors();
  try {
    (def as {tensorflow?: unknown}).tensorflow = {
      ...saved,
      forward: (t, u, nat) => nat.op('NoSuchOpAnywhere', [nat.op('Softplus', [nat.f64(t)])]),
    } satisfies ElementwiseActivation['tensorflow'];
    expect(() => tfa.softplus(x)).toThrow(/NoSuchOpAnywhere/);
    expect(nativeTensors()).toBe(handles);
  } finally {
    (def as {tensorflow?: unknown}).tensorflow = saved;
  }
  x.dispose();
});

afterAll(() => {
  // The measured table (docs/tensorflow-backend.md), printed with TFA_REPORT=1.
  if (process.env.TFA_REPORT) {
    const lines = measured.map(m => `${m.id} ${m.params}: ops ${m.ops.join('/')} ulp ${m.ulp.join('/')}`);
    fs.writeFileSync(process.env.TFA_REPORT, lines.join('\n') + '\n');
  }
});
