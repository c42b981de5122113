/**
 * Gradients from the forward's output (`cpp.gradientFromOutput`): on the
 * tensorflow backend with the native op library, tf.grad of such an
 * activation runs one `Tfa<Id>GradY` op on x, y and dy. Where y is a normal
 * float32 that op gives dy·y; elsewhere (y 0, subnormal or infinite; NaN) it
 * recomputes from x. Checked against the float64 truth dy·f′(x) over both
 * regions, with the signs of zero and NaN of the float64 definition.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfa from '../src';
import type {ElementwiseActivation} from '../src';
import {nativeOpsDuring, ulp} from './helpers';
import {constantsFor} from './variants';
import {nativeOpsStatus, setNativeOps} from '../src/backends/tensorflow_native';
import {nativeOpNames} from '../src/catalogue';

process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL ?? '2';
require('@tensorflow/tfjs-node');
setNativeOps(true);

const defs = tfa.definitions.filter(
  (d): d is ElementwiseActivation => d.kind === 'elementwise' && d.cpp?.gradientFromOutput !== undefined,
);

// x over both regions of exponential's y (normal float32 between −87.3 and 88.7) and the edges; dy from 0 to 2e15
const XS = [
  -Infinity,
  -1e30,
  -800,
  -200,
  -104,
  -103.9,
  -100,
  -88,
  -87.34,
  -87.33,
  -87,
  -50,
  -10,
  -1,
  -0.5,
  -1e-30,
  -1e-40,
  -0,
  0,
  1e-40,
  1e-30,
  0.5,
  1,
  10,
  50,
  88,
  88.72,
  88.73,
  100,
  192,
  200,
  700,
  709.78,
  709.79,
  1e30,
  Infinity,
  NaN,
];
const DYS = [1, -1, 0, -0, 1e-20, -3.5, 2e15, 1e-40, 0.75];

function sweep(): {xs: Float32Array; dys: Float32Array} {
  const xs: number[] = [],
    dys: number[] = [];
  for (const x of XS) {
    for (const dy of DYS) {
      xs.push(x);
      dys.push(dy);
    }
  }
  let s = 7;
  for (let i = 0; i < 4000; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    xs.push((s / 2 ** 31 - 0.5) * 200);
    dys.push(DYS[i % DYS.length]);
  }
  return {xs: Float32Array.from(xs), dys: Float32Array.from(dys)};
}

beforeAll(async () => {
  await tf.setBackend('tensorflow');
  const status = nativeOpsStatus((tf.backend() as unknown as {binding: never}).binding);
  if (!status.loaded) throw new Error(`the native op library is not loaded: ${status.reason}`);
});

test('some definition uses it', () => {
  expect(defs.map(d => d.id)).toContain('exponential');
});

describe.each(defs.map(d => [d.id, d] as const))('%s', (id, def) => {
  test('tf.grad runs one GradY op, within 4 ULP of dy·f′(x), zeros and NaN as float64', () => {
    const {xs, dys} = sweep();
    const op = (tfa as unknown as Record<string, (t: tf.Tensor) => tf.Tensor>)[id];
    const {result: got, ops} = nativeOpsDuring(() =>
      tf.tidy(() => tf.grad(op)(tf.tensor1d(xs), tf.tensor1d(dys)).dataSync() as Float32Array),
    );
    const names = nativeOpNames(def);
    expect(ops.filter(o => o.startsWith('Tfa'))).toEqual([names.forward, names.gradFromOutput]);
    const u = constantsFor(def, {});
    let worst = {ulp: 0, x: 0, dy: 0, got: 0, want: 0};
    const bad: string[] = [];
    for (let i = 0; i < xs.length; i++) {
      const want = dys[i] * def.derivative(xs[i], u);
      const w32 = Math.fround(want);
      if (w32 === 0 || Number.isNaN(w32)) {
        if (!Object.is(got[i], w32)) bad.push(`x=${xs[i]} dy=${dys[i]}: ${got[i]}, want ${w32}`);
        continue;
      }
      const e = ulp(got[i], want);
      if (e > worst.ulp) worst = {ulp: e, x: xs[i], dy: dys[i], got: got[i], want: w32};
    }
    expect(bad).toEqual([]);
    expect(worst.ulp <= 4 ? 'ok' : worst).toBe('ok');
  });
});
