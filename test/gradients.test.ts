/**
 * Gradients: the fused backward kernels (tf.grad) against central finite
 * differences of the float64 forward math, and the second derivative
 * (tf.grad of tf.grad) against finite differences of the float64 first
 * derivative. Points at kinks (where left and right differences disagree)
 * are skipped. The analytic truth from mpmath is checked in test/parity/.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as tfa from '../src';
import type {AxisActivation, ElementwiseActivation, ScalarFn} from '../src/definition';
import {normalizeParams, constantsOf} from '../src/params';
import {applyActivation, resolveAxes} from '../src/apply';
import {axesLast, layoutOf} from '../src/layout';
import {transposeInto} from './arrays';
import {useBackend} from './helpers';
import {axisCasesOf, variantsOf} from './variants';
import {loadFixture} from './parity/fixtures';

beforeAll(() => useBackend('cpu'));

const xs = Array.from({length: 60}, (_, i) => -11 + i * 0.371);

/** f'(x) by central differences in float64; undefined at kinks. */
function centralDiff(f: (x: number) => number, x: number): number | undefined {
  const h = 1e-6 * Math.max(1, Math.abs(x));
  const fx = f(x),
    left = (fx - f(x - h)) / h,
    right = (f(x + h) - fx) / h;
  const scale = Math.max(1e-6, Math.abs(left), Math.abs(right));
  if (Math.abs(left - right) > 1e-3 * scale + 1e-9) return undefined;
  return (f(x + h) - f(x - h)) / (2 * h);
}

function closeRel(got: number, want: number, rtol: number, atol: number): boolean {
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

const elementwise = tfa.definitions.filter((d): d is ElementwiseActivation => d.kind === 'elementwise');

describe.each(elementwise.flatMap(d => variantsOf(d).map(v => [`${d.id} ${JSON.stringify(v)}`, d, v] as const)))(
  '%s',
  (_, def, options) => {
    const params = normalizeParams(def, options);
    const u = constantsOf(def, params);
    const f = (x: number) => def.forward(x, u);
    const df = (x: number) => def.derivative(x, u);
    const op = (t: tf.Tensor) => applyActivation(def, t, params);

    test('tf.grad matches finite differences of the forward', () => {
      const g = tf.tidy(() => tf.grad(op)(tf.tensor1d(xs)).dataSync());
      let checked = 0;
      xs.forEach((x, i) => {
        const want = centralDiff(f, Math.fround(x));
        if (want === undefined) return;
        checked++;
        if (!closeRel(g[i], want, 2e-4, 1e-6)) throw new Error(`x=${x}: tf.grad ${g[i]}, finite difference ${want}`);
      });
      expect(checked).toBeGreaterThan(xs.length / 2);
    });

    const second = def.second as ScalarFn | undefined;
    test('tf.grad of tf.grad matches finite differences of the derivative', () => {
      expect(second).toBeDefined();
      const gg = tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.grad(op)(t))(tf.tensor1d(xs))
          .dataSync(),
      );
      let checked = 0;
      xs.forEach((x, i) => {
        const want = centralDiff(df, Math.fround(x));
        if (want === undefined) return;
        checked++;
        if (!closeRel(gg[i], want, 2e-4, 1e-6))
          throw new Error(`x=${x}: second derivative ${gg[i]}, finite difference ${want}`);
      });
      expect(checked).toBeGreaterThan(xs.length / 3);
    });

    test('a third derivative is refused clearly', () => {
      const third = () =>
        tf.tidy(() => tf.grad((t: tf.Tensor) => tf.grad((v: tf.Tensor) => tf.grad(op)(v))(t))(tf.tensor1d([0.3])));
      expect(third).toThrow(new RegExp(`${def.keras}: derivative of order 3 is not available`));
    });
  },
);

// Axis activations: directional derivatives of L(x) = Σ f(x)·w in float64.
// The definitions' axis cases (`test.axisCases`), without those with ties: a finite difference needs a smooth point.
// The inputs have the case's spread (`scale`, default 4).
const axisCases: Array<[string, number[], Record<string, unknown>, number]> = tfa.definitions.flatMap(d =>
  axisCasesOf(d)
    .filter(c => !c.ties)
    .map(c => [d.id, [...c.shape], c.options, c.scale ?? 4] as [string, number[], Record<string, unknown>, number]),
);

function rand(n: number, seed: number, scale: number): Float64Array {
  let s = seed;
  return Float64Array.from({length: n}, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.fround((s / 2147483648 - 0.5) * scale);
  });
}

/** Transposes a row-major array of `shape` by `perm`. */
function permute(a: Float64Array, shape: number[], perm: number[]): Float64Array {
  return transposeInto(a, shape, perm, new Float64Array(a.length));
}

describe.each(axisCases)('%s on %j with %j (inputs ×%d)', (id, shape, options, scale) => {
  const def = tfa.lookup(id) as AxisActivation;
  const params = normalizeParams(def, options);
  const op = (t: tf.Tensor) => applyActivation(def, t, params);
  const size = shape.reduce((a, b) => a * b, 1);
  const x = rand(size, 7, scale),
    v = rand(size, 11, 1);
  const y0 = tf.tidy(() => op(tf.tensor(Float32Array.from(x), shape)));
  const yShape = y0.shape;
  y0.dispose();
  const w = rand(
    yShape.reduce((a, b) => a * b, 1),
    13,
    1,
  );

  /** Σ f(x)·w in float64, with the definition's own loops run on float64 arrays (axes moved last). */
  function loss(xv: Float64Array): number {
    const axes = resolveAxes(def, params, shape.length);
    const {perm, last} = axesLast(shape.length, axes);
    const pShape = perm.map(i => shape[i]);
    const {outer, n, inner} = layoutOf(pShape, last);
    const o = new Float64Array(w.length);
    def.cpu.forward(permute(xv, shape, perm) as unknown as Float32Array, o as unknown as Float32Array, outer, n, inner);
    const wp = permute(w, yShape, perm);
    let s = 0;
    for (let i = 0; i < o.length; i++) s += o[i] * wp[i];
    return s;
  }

  test('tf.grad matches a directional finite difference', () => {
    const g = tf.tidy(() =>
      tf
        .grad(op)(tf.tensor(Float32Array.from(x), shape), tf.tensor(Float32Array.from(w), yShape))
        .dataSync(),
    );
    const h = 1e-6;
    const fd = (loss(x.map((xi, i) => xi + h * v[i])) - loss(x.map((xi, i) => xi - h * v[i]))) / (2 * h);
    const dot = Array.from(g).reduce((s, gi, i) => s + gi * v[i], 0);
    expect(Math.abs(dot - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
  });

  test('tf.grad of tf.grad matches a directional finite difference of the gradient', () => {
    // d/dh <∇L(x + h·v), v> = vᵀ H v
    const gradAt = (xv: Float64Array) =>
      tf.tidy(() => {
        const g = tf
          .grad(op)(tf.tensor(Float32Array.from(xv), shape), tf.tensor(Float32Array.from(w), yShape))
          .dataSync();
        return Array.from(g).reduce((s, gi, i) => s + gi * v[i], 0);
      });
    const hvp = tf.tidy(() => {
      const vt = tf.tensor(Float32Array.from(v), shape),
        wt = tf.tensor(Float32Array.from(w), yShape);
      const inner = (t: tf.Tensor) => tf.sum(tf.mul(tf.grad(op)(t, wt), vt));
      return tf
        .grad(inner)(tf.tensor(Float32Array.from(x), shape))
        .dataSync();
    });
    const got = Array.from(hvp).reduce((s, hi, i) => s + hi * v[i], 0);
    const h = 1e-3;
    const fd = (gradAt(x.map((xi, i) => xi + h * v[i])) - gradAt(x.map((xi, i) => xi - h * v[i]))) / (2 * h);
    expect(Math.abs(got - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
  });
});

test("linear's gradient is dy itself, NaN x included, as Keras's autodiff gives it, sharing dy's data", () => {
  const c = loadFixture('linear.json.gz').cases[0]; // x has NaN and ±inf; dx32 is Keras's dy·1
  expect(c.x.some(v => Number.isNaN(v))).toBe(true);
  const x = tf.tensor1d(c.x),
    dy = tf.tensor1d(c.dy),
    dyOdd = tf.tensor1d(c.x.map((_v, i) => [1, -0.5, NaN, -0, 3e38, -Infinity][i % 6]));
  const before = tf.memory();
  const dx = tf.grad(t => tfa.linear(t))(x, dy),
    dxOdd = tf.grad(t => tfa.linear(t))(x, dyOdd);
  expect(Array.from(dx.dataSync())).toEqual(Array.from(c.dx32));
  expect(Array.from(dxOdd.dataSync())).toEqual(Array.from(dyOdd.dataSync())); // bit for bit, −0 and NaN included
  expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers); // no new data: the gradients share dy's
  // the second derivative stays on the tape (0 where x is finite)
  const small = tf.tensor1d([-2, 0, 5]);
  const ddx = tf.grad(t => tf.sum(tf.grad(s => tfa.linear(s))(t, tf.onesLike(t))))(small);
  expect(Array.from(ddx.dataSync())).toEqual([0, 0, 0]);
  tf.dispose([x, dy, dyOdd, dx, dxOdd, small, ddx]);
});
