/** Op behaviour: inputs, dtypes, shapes, aliases, option names, axes. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as tfa from '../src';
import {noLeak, useBackend} from './helpers';

beforeAll(() => useBackend('cpu'));

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

test('int32 tensors and plain arrays are cast to float32, like tfjs unary ops', async () => {
  await noLeak(() => {
    const i = tf.tensor1d([-2, 0, 3], 'int32'),
      f = tf.tensor1d([-2, 0, 3]);
    const y = tfa.squareplus(i);
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual(values(tfa.squareplus(f)));
    expect(values(tfa.squareplus([-2, 0, 3]))).toEqual(values(tfa.squareplus(f)));
    const g = tf.grad((t: tf.Tensor) => tfa.silu(t))(f);
    expect(g.dtype).toBe('float32');
    tf.dispose([i, f, g]);
  });
});

test('shapes are kept, nested arrays work, the input is untouched', () => {
  const x = tf.tensor3d([
    [
      [1, -2],
      [3, -4],
    ],
  ]);
  const y = tfa.hardShrink(x, {threshold: 2.5});
  expect(y.shape).toEqual([1, 2, 2]);
  expect(values(y)).toEqual([0, 0, 3, -4]);
  expect(Array.from(x.dataSync())).toEqual([1, -2, 3, -4]);
  expect(
    tfa.celu([
      [1, 2],
      [3, 4],
    ]).shape,
  ).toEqual([2, 2]);
  x.dispose();
});

test('Keras snake_case option names are accepted and aliases are the same ops', () => {
  const x = tf.tensor1d([-3, -1, 0.5, 2]);
  expect(values(tfa.relu(x, {negative_slope: 0.1, max_value: 1} as never))).toEqual(
    values(tfa.relu(x, {negativeSlope: 0.1, maxValue: 1})),
  );
  expect(tfa.swish).toBe(tfa.silu);
  expect(tfa.hardSwish).toBe(tfa.hardSilu);
  expect(tfa.lookup('hard_swish')).toBe(tfa.lookup('hardSilu'));
  x.dispose();
});

test('relu covers each Keras branch', () => {
  const x = tf.tensor1d([-2, -0.5, 0, 0.5, 1, 7]);
  expect(values(tfa.relu(x))).toEqual([0, 0, 0, 0.5, 1, 7]);
  expect(values(tfa.relu(x, {negativeSlope: 0.5}))).toEqual([-1, -0.25, 0, 0.5, 1, 7]); // leaky
  expect(values(tfa.relu(x, {maxValue: 6}))).toEqual([0, 0, 0, 0.5, 1, 6]);
  expect(values(tfa.relu(x, {threshold: 0.5}))).toEqual([0, 0, 0, 0, 1, 7]); // x == t gives 0
  expect(values(tfa.relu(x, {threshold: -1}))).toEqual([0, -0.5, 0, 0.5, 1, 7]); // Keras keeps x > t
  expect(values(tfa.relu(x, {negativeSlope: 0.5, threshold: 1}))).toEqual([-1.5, -0.75, -0.5, -0.25, 0, 7]);
  x.dispose();
});

test('softmax over an axis, a tuple of axes and all axes normalises those axes', () => {
  const x = tf.randomNormal([2, 3, 4], 0, 2, 'float32', 5);
  const check = (axis: number | number[] | null, reduce: number[]) => {
    const s = tf.sum(tfa.softmax(x, {axis}), reduce);
    values(s).forEach(v => expect(v).toBeCloseTo(1, 5));
    const ls = tf.sum(tf.exp(tfa.logSoftmax(x, {axis})), reduce);
    values(ls).forEach(v => expect(v).toBeCloseTo(1, 5));
  };
  check(-1, [2]);
  check(0, [0]);
  check([0, 2], [0, 2]);
  check([1, -1], [1, 2]);
  check(null, [0, 1, 2]);
  x.dispose();
});

test('sparsemax projects onto the simplex along its axis', () => {
  const x = tf.randomNormal([3, 5, 2], 0, 1.5, 'float32', 9);
  const y = tfa.sparsemax(x, {axis: 1});
  values(tf.sum(y, 1)).forEach(v => expect(v).toBeCloseTo(1, 5));
  expect(Math.min(...Array.from(y.dataSync()))).toBeGreaterThanOrEqual(0);
  tf.dispose([x, y]);
});

test('glu splits the axis in halves', () => {
  const x = tf.tensor2d([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]);
  const y = tfa.glu(x, {axis: 0});
  expect(y.shape).toEqual([1, 4]);
  const want = [1, 2, 3, 4].map((a, i) => a / (1 + Math.exp(-(5 + i))));
  values(y).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  x.dispose();
});
