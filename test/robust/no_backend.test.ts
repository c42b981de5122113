/** An op called before any backend is registered says so (no backend package is imported here). */
import * as tf from '@tensorflow/tfjs-core';
import * as tfa from '../../src';

test('no backend registered: the error names the missing backend, not the input', () => {
  expect(Object.keys(tf.engine().registryFactory)).toEqual([]);
  expect(() => tfa.squareplus([1, 2])).toThrow(/squareplus: no TensorFlow\.js backend is registered.*tfjs-backend-cpu/);
  expect(() => tfa.softmax([[1, 2]])).toThrow(/softmax: no TensorFlow\.js backend is registered/);
});
