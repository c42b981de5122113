/** Bad input gets a clear error naming the activation and the problem. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfa from '../src';
import {noLeak, useBackend} from './helpers';

beforeAll(() => useBackend('cpu'));

const x = () => tf.tensor1d([-1, 0, 1]);

test.each([
  ['negative b', () => tfa.squareplus(x(), {b: -1}), /squareplus: parameter 'b'.*must be >= 0, got -1/],
  [
    'negative soft shrink threshold',
    () => tfa.softShrink(x(), {threshold: -0.5}),
    /soft_shrink: parameter 'threshold'.*>= 0/,
  ],
  [
    'negative hard shrink threshold',
    () => tfa.hardShrink(x(), {threshold: -2}),
    /hard_shrink: parameter 'threshold'.*>= 0/,
  ],
  ['celu alpha 0', () => tfa.celu(x(), {alpha: 0}), /celu: parameter 'alpha'.*must not be 0/],
  ['NaN parameter', () => tfa.elu(x(), {alpha: NaN}), /elu: parameter 'alpha'.*finite number, got NaN/],
  ['negative relu max', () => tfa.relu(x(), {maxValue: -1}), /relu: parameter 'maxValue'.*>= 0/],
  [
    'string parameter',
    () => tfa.leakyRelu(x(), {negativeSlope: '0.1' as unknown as number}),
    /leaky_relu: parameter 'negativeSlope'.*finite number/,
  ],
  [
    'non-boolean approximate',
    () => tfa.gelu(x(), {approximate: 1 as unknown as boolean}),
    /gelu: parameter 'approximate'.*true or false/,
  ],
  [
    'unknown parameter',
    () => tfa.squareplus(x(), {c: 1} as unknown as {b: number}),
    /squareplus: unknown parameter 'c' \(it takes 'b'\)/,
  ],
  [
    'parameter given twice',
    () => tfa.relu(x(), {maxValue: 1, max_value: 2} as unknown as {maxValue: number}),
    /given twice/,
  ],
  [
    'threshold without its values',
    () => (tfa.threshold as unknown as (t: tf.Tensor) => tf.Tensor)(x()),
    /threshold: parameter 'threshold'.*required/,
  ],
  [
    'threshold without default_value',
    () => tfa.threshold(x(), {threshold: 1} as unknown as {threshold: number; defaultValue: number}),
    /threshold: parameter 'defaultValue'.*required/,
  ],
  ['odd glu axis', () => tfa.glu(tf.zeros([2, 5])), /glu: the size of axis 1 must be even.*got 5/],
  [
    'glu axis out of range',
    () => tfa.glu(tf.zeros([2, 4]), {axis: 2}),
    /glu: axis 2 is out of range for a tensor of rank 2/,
  ],
  ['softmax axis out of range', () => tfa.softmax(tf.zeros([2, 4]), {axis: -3}), /softmax: axis -3 is out of range/],
  ['softmax repeated axis', () => tfa.softmax(tf.zeros([2, 4]), {axis: [1, -1]}), /softmax: axis 1 is repeated/],
  ['softmax non-integer axis', () => tfa.softmax(tf.zeros([2, 4]), {axis: 0.5}), /softmax: parameter 'axis'.*integer/],
  ['sparsemax of a scalar', () => tfa.sparsemax(tf.scalar(1)), /sparsemax: needs a tensor of rank >= 1/],
  [
    'bool input',
    () => tfa.squareplus(tf.tensor1d([1, 0], 'bool')),
    /squareplus: expects a float32 or int32 tensor, got a bool tensor/,
  ],
  [
    'string input',
    () => tfa.mish(tf.tensor1d(['a'], 'string')),
    /mish: expects a float32 or int32 tensor, got a string tensor/,
  ],
  [
    'complex input',
    () => tfa.silu(tf.complex([1], [1])),
    /silu: expects a float32 or int32 tensor, got a complex64 tensor/,
  ],
  ['array of strings', () => tfa.silu(['a', 'b'] as unknown as number[]), /silu: expects numbers, got strings/],
])('%s', (_, f, message) => {
  expect(f).toThrow(message);
});

test('errors leak no tensors', async () => {
  const t = tf.zeros([2, 5]);
  await noLeak(() => {
    expect(() => tfa.glu(t)).toThrow();
    expect(() => tfa.glu([[1, 2, 3]])).toThrow(/even/);
    expect(() => tfa.squareplus([1, 2], {b: -1})).toThrow();
  });
  t.dispose();
});

test('unknown layers activation names list the known ones', () => {
  expect(() => tfa.lookup('squareplu')).toThrow(/Unknown activation 'squareplu'. Known activations: .*squareplus/);
  expect(() => tfa.activationId('nope' as never)).toThrow(/Unknown activation 'nope'/);
});

test("'glu' and 'threshold' as layer activation strings point to their layers", () => {
  expect(() => tfl.layers.dense({units: 4, activation: 'glu' as never})).toThrow(/GluActivation|layers\.glu/);
  expect(() => tfl.layers.activation({activation: 'threshold' as never})).toThrow(
    /needs 'threshold' and 'defaultValue'.*layers\.threshold/,
  );
});

test("Keras 3 'hard_sigmoid' is refused until opted in", () => {
  expect(() => tfl.layers.dense({units: 2, activation: 'hard_sigmoid' as never})).toThrow(/useKeras3HardSigmoid/);
});

test('glu layer with an odd axis reports it when the model is built', () => {
  expect(() => tfl.sequential({layers: [tfl.layers.dense({units: 5, inputShape: [3]}), tfa.layers.glu()]})).toThrow(
    /glu: the size of axis 1 must be even.*got 5/,
  );
});
