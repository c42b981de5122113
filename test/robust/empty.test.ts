/**
 * Tensors with no elements (a dimension of size 0), forward and gradient, on
 * the Node backends: every activation returns an empty tensor of the right
 * shape (glu halves its axis) and leaks nothing. An axis activation over an
 * empty axis once read past its row in the native op library's gradient
 * and crashed the process (softmax of shape [0]).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../../src';
import type {ActivationDefinition} from '../../src/definition';
import {variantsOf} from '../variants';

const SHAPES = [[0], [0, 4], [4, 0], [2, 0, 3], [0, 0]];

/** [activation, shape, options] for every activation, shape and (for axis ones) axis of the shape. */
function cases(): Array<[ActivationDefinition, number[], object]> {
  const out: Array<[ActivationDefinition, number[], object]> = [];
  for (const def of tfa.definitions) {
    const options = variantsOf(def)[0]; // (threshold has required parameters)
    for (const shape of SHAPES) {
      if (def.kind !== 'axis') out.push([def, shape, options]);
      // (glu refuses an odd axis, test/errors.test.ts)
      else shape.forEach((n, axis) => !(def.halvesAxis && n % 2) && out.push([def, shape, {...options, axis}]));
    }
  }
  return out;
}

/** Problems for one backend, or []. */
function run(): string[] {
  const problems: string[] = [];
  for (const [def, shape, options] of cases()) {
    const op = (tfa as unknown as Record<string, (t: tf.Tensor, o: object) => tf.Tensor>)[def.id];
    const what = `${def.id}(${JSON.stringify(options)}) of [${shape}]`;
    const before = tf.memory().numTensors;
    try {
      const want =
        def.kind === 'axis' && def.halvesAxis
          ? shape.map((s, i) => (i === (options as {axis: number}).axis ? s / 2 : s))
          : shape;
      const [yShape, yn, dShape, dn] = tf.tidy(() => {
        const x = tf.zeros(shape);
        const y = op(x, options);
        const d = tf.grad(t => op(t, options))(x, tf.zeros(want));
        return [y.shape, y.dataSync().length, d.shape, d.dataSync().length];
      });
      if (JSON.stringify(yShape) !== JSON.stringify(want) || yn !== 0) problems.push(`${what}: y of shape [${yShape}]`);
      if (JSON.stringify(dShape) !== JSON.stringify(shape) || dn !== 0)
        problems.push(`${what}: dx of shape [${dShape}]`);
    } catch (e) {
      problems.push(`${what}: ${(e as Error).message}`);
    }
    if (tf.memory().numTensors !== before) problems.push(`${what}: ${tf.memory().numTensors - before} tensors leaked`);
  }
  return problems;
}

test('the sweep covers every activation, and every axis of each shape', () => {
  expect(new Set(cases().map(c => c[0].id)).size).toBe(tfa.definitions.length);
});

test('cpu', async () => {
  await tf.setBackend('cpu');
  expect(run()).toEqual([]);
});

for (const native of [true, false]) {
  test(`tensorflow ${native ? 'with the native op library' : 'op chains (no native library)'}`, async () => {
    await import('@tensorflow/tfjs-node');
    const {setNativeOps} = await import('../../src/backends/tensorflow_native');
    await tf.setBackend('tensorflow');
    setNativeOps(native);
    try {
      expect(run()).toEqual([]);
    } finally {
      setNativeOps(true);
    }
  });
}

test('wasm', async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  expect(await tf.setBackend('wasm')).toBe(true);
  expect(run()).toEqual([]);
});
