/**
 * Keras's own golden values (from keras/src/activations/activations_test.py,
 * as quoted in the project spec), checked at Keras's tolerance on cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../src';
import {close, useBackend} from './helpers';

const A = [-1, 0, 1, 2, 3];
const B = [-0.5, 0, 1, 2, 3];
const cases: Array<[string, (x: tf.Tensor) => tf.Tensor, number[], number[]]> = [
  ['celu', x => tfa.celu(x), A, [-0.63212055, 0, 1, 2, 3]],
  ['tanh_shrink', x => tfa.tanhShrink(x), A, [-0.238406, 0, 0.238406, 1.035972, 2.004945]],
  ['log_sigmoid', x => tfa.logSigmoid(x), A, [-1.3132616, -0.6931472, -0.31326166, -0.126928, -0.04858732]],
  ['hard_sigmoid', x => tfa.hardSigmoid(x), A, [0.33333334, 0.5, 0.6666667, 0.8333334, 1]],
  ['silu', x => tfa.silu(x), A, [-0.26894143, 0, 0.7310586, 1.7615942, 2.8577223]],
  ['squareplus', x => tfa.squareplus(x), B, [0.780776, 1, 1.618034, 2.414214, 3.302776]],
  ['soft_shrink', x => tfa.softShrink(x), B, [0, 0, 0.5, 1.5, 2.5]],
  ['sparse_plus', x => tfa.sparsePlus(x), B, [0.0625, 0.25, 1, 2, 3]],
  ['hard_shrink', x => tfa.hardShrink(x), B, [0, 0, 1, 2, 3]],
  ['glu', x => tfa.glu(x), [-1, 0, 1, 2, 3, 4], [-0.8807971, 0, 0.98201376]],
  ['hard_silu', x => tfa.hardSilu(x), [-3, -2, -1, 0, 1, 2, 3], [-0, -0.333333, -0.333333, 0, 0.6666667, 1.6666667, 3]],
];

beforeAll(() => useBackend('cpu'));

describe.each(cases)('%s matches Keras golden values', (name, f, xs, expected) => {
  test(name, () => {
    const y = f(tf.tensor1d(xs));
    const got = Array.from(y.dataSync());
    y.dispose();
    expect(got).toHaveLength(expected.length);
    got.forEach((v, i) => expect(close(v, expected[i])).toBe(true));
  });
});

test('hard_silu(-3) is -0 and the correct sparsemax rows sum to 1', () => {
  expect(Object.is(tfa.hardSilu([-3]).dataSync()[0], -0)).toBe(true);
  const y = tfa.sparsemax([[0.1, 0.2, 0.3, 0.4, 0.5]]);
  const v = Array.from(y.dataSync());
  [0, 0.1, 0.2, 0.3, 0.4].forEach((e, i) => expect(close(v[i], e)).toBe(true));
  expect(Math.abs(v.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
});
