/**
 * An op called again with the same options object reuses its validated parameters only while the object holds
 * the same values: a changed, added or removed entry is validated again (and an invalid one throws).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../src';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

test('the same options object, changed between calls, gives the new values', () => {
  const x = tf.tensor1d([-2, -0.5, 0.5, 3]);
  const o: Record<string, unknown> = {maxValue: 1};
  expect(values(tfa.relu(x, o))).toEqual([0, 0, 0.5, 1]);
  expect(values(tfa.relu(x, o))).toEqual([0, 0, 0.5, 1]);
  o.maxValue = 2;
  expect(values(tfa.relu(x, o))).toEqual([0, 0, 0.5, 2]);
  o.negativeSlope = 0.5; // an entry added
  expect(values(tfa.relu(x, o))).toEqual([-1, -0.25, 0.5, 2]);
  delete o.maxValue; // one removed
  expect(values(tfa.relu(x, o))).toEqual([-1, -0.25, 0.5, 3]);
  o.negativeSlope = 'a lot'; // invalid now: validated again, and it throws
  expect(() => tfa.relu(x, o)).toThrow(/relu.*negative_?[sS]lope/);
  o.negativeSlope = 0.25;
  expect(values(tfa.relu(x, o))).toEqual([-0.5, -0.125, 0.5, 3]);
  const leaky = {negativeSlope: 0.5};
  expect(values(tfa.leakyRelu(x, leaky))).toEqual([-1, -0.25, 0.5, 3]);
  leaky.negativeSlope = 0.25;
  expect(values(tfa.leakyRelu(x, leaky))).toEqual([-0.5, -0.125, 0.5, 3]);
  x.dispose();
});

test('options holding an array (axes) are validated on every call', () => {
  const x = tf.tensor2d([
    [1, 2],
    [3, 5],
  ]);
  const axis = [0];
  const o = {axis};
  const a = values(tfa.softmax(x, o));
  axis[0] = 1; // mutated in place: the cached parameters would be stale
  const b = values(tfa.softmax(x, o));
  expect(b).not.toEqual(a);
  expect(b).toEqual(values(tfa.softmax(x, {axis: [1]})));
  x.dispose();
});
