/**
 * A definition added at run time (registerActivation) reaches everything a
 * definition file reaches: the catalogue, the op, tfjs-layers (string ids,
 * a layer factory, save/load) and every backend (cpu and tensorflow here;
 * webgl in Chromium in test/browser/webgl.test.ts). Also: the lists the
 * package exports are the catalogue's, and a definition cannot declare more
 * than four constants.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfa from '../src';
import * as all from '../src/activations';
import {elementwise, MAX_CONSTANTS} from '../src/definition';
import {throwaway} from './throwaway';
import {nativeOpsDuring, truthError, useBackend} from './helpers';

process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL ?? '2';
let loadError: string | undefined;
try {
  require('@tensorflow/tfjs-node'); // registers 'tensorflow'
} catch (e) {
  loadError = (e as Error).message.split('\n')[0];
}

beforeAll(() => useBackend('cpu'));

test('every definition file is in the catalogue under its export name, and the layers are those with parameters', () => {
  const files = Object.entries(all);
  for (const [name, def] of files) expect({name, id: def.id}).toEqual({name, id: name});
  expect(files.map(([, d]) => d).every(d => tfa.definitions.includes(d))).toBe(true);
  expect(Object.keys(tfa.layers).sort()).toEqual(
    tfa.definitions
      .filter(d => d.params.length > 0)
      .map(d => d.id)
      .sort(),
  );
  expect([...tfa.newActivationIds].sort()).toEqual([...tfa.registeredIds].sort());
});

test(`a definition producing more than ${MAX_CONSTANTS} constants is refused where it is declared (type and call)`, () => {
  const five = elementwise({
    id: 'tooManyConstants',
    keras: 'too_many_constants',
    doc: '',
    formula: '',
    // @ts-expect-error five constants do not typecheck; from JavaScript, the call throws
    constants: () => [1, 2, 3, 4, 5],
    forward: x => x,
    derivative: () => 1,
  });
  expect(() => five.constants!({})).toThrow(/too_many_constants: its definition produces 5 constants; at most 4/);
});

describe('a definition registered at run time', () => {
  let op: ReturnType<typeof tfa.registerActivation<typeof throwaway.params>>;
  const xs = [-3, -0.5, 0, 0.25, 1.5, 7];
  const truth = (c: number) => xs.map(x => x + c * x * x);
  const dtruth = (c: number) => xs.map(x => 1 + 2 * c * x);

  beforeAll(() => {
    expect(() => tfa.lookup('throwaway_parabola')).toThrow(/Unknown activation/);
    op = tfa.registerActivation(throwaway);
  });

  test('is in the catalogue under all its names; its names cannot be taken again', () => {
    for (const name of ['throwawayParabola', 'throwaway_parabola', 'throwaway_bend', 'throwawayBend']) {
      expect(tfa.lookup(name)).toBe(throwaway);
    }
    expect(tfa.definitions).toContain(throwaway);
    expect(tfa.definitions.map(d => d.id)).toEqual([...tfa.definitions.map(d => d.id)].sort());
    expect(() => tfa.registerActivation({...throwaway, id: 'anotherOne'})).toThrow(
      /'throwaway_parabola'.*already belong/,
    );
    expect(() =>
      tfa.registerActivation({...throwaway, id: 'anotherOne', keras: 'another_one', aliases: ['squareplus']}),
    ).toThrow(/'squareplus' already belongs to squareplus/);
  });

  test('its op validates options and computes forward, gradient and second derivative (cpu)', () => {
    const x = tf.tensor1d(xs);
    const y = op(x, {c: 0.25});
    expect(Array.from(y.dataSync())).toEqual(truth(0.25).map(Math.fround));
    const g = tf.grad((t: tf.Tensor) => op(t))(x);
    expect(Array.from(g.dataSync())).toEqual(dtruth(0.5).map(Math.fround));
    const gg = tf.grad((t: tf.Tensor) => tf.grad((v: tf.Tensor) => op(v, {c: -2}))(t))(x);
    expect(Array.from(gg.dataSync())).toEqual(xs.map(() => -4));
    expect(() => op(x, {c: Infinity})).toThrow(/throwaway_parabola: parameter 'c'.*finite/);
    expect(() => op(x, {d: 1} as never)).toThrow(/unknown parameter 'd'/);
    tf.dispose([x, y, g, gg]);
  });

  test('its string ids save as its Keras name and load back bit-identical; its layer keeps c', async () => {
    for (const id of ['throwawayParabola', 'throwaway_parabola', 'throwaway_bend', 'throwawayBend']) {
      expect(tfa.registeredIds).toContain(id);
    }
    const layers = tfa.layers as unknown as Record<string, tfa.LayerFactory<typeof throwaway.params>>;
    expect(typeof layers.throwawayParabola).toBe('function');
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 3,
          inputShape: [2],
          activation: 'throwaway_bend' as never,
          kernelInitializer: 'glorotUniform',
        }),
        layers.throwawayParabola({c: -0.75}),
      ],
    });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async a => {
        artifacts = a;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
      }),
    );
    const json = JSON.stringify(artifacts!.modelTopology);
    expect(json).toContain('"activation":"throwaway_parabola"');
    expect(json).toMatch(/"class_name":"ThrowawayParabolaActivation","config":\{"c":-0.75/);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.tensor2d([
      [0.5, -1],
      [2, 3],
    ]);
    const a = model.predict(x) as tf.Tensor,
      b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(new Uint32Array(b.dataSync().buffer.slice(0)))).toEqual(
      Array.from(new Uint32Array(a.dataSync().buffer.slice(0))),
    );
    // the layers compute the definition: dense then throwaway (c = 0.5), then the layer with c = −0.75
    const pre = tf.matMul(x, model.layers[0].getWeights()[0]).add(model.layers[0].getWeights()[1]);
    const want = op(op(pre), {c: -0.75});
    expect(Array.from(a.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([x, a, b, pre, want]);
  });

  test('the tensorflow backend runs its libtensorflow composition', async () => {
    if (loadError !== undefined) throw new Error(`@tensorflow/tfjs-node could not be loaded: ${loadError}`);
    await useBackend('tensorflow');
    try {
      const x = tf.tensor1d(xs);
      const {
        result: [y, g],
        ops,
      } = nativeOpsDuring(() => [op(x, {c: 0.25}), tf.grad((t: tf.Tensor) => op(t))(x)]);
      expect(ops.length).toBeGreaterThan(0); // the composition, not the scalar fallback
      const ys = y.dataSync(),
        gs = g.dataSync();
      expect(xs.map((_, i) => truthError(ys[i], truth(0.25)[i]))).toEqual(xs.map(() => 0));
      expect(xs.map((_, i) => truthError(gs[i], dtruth(0.5)[i]))).toEqual(xs.map(() => 0));
      tf.dispose([x, y, g]);
    } finally {
      await useBackend('cpu');
    }
  });

  test('the wasm backend runs it (loops on the heap: a run-time definition is not in the built module)', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await useBackend('wasm');
    try {
      const x = tf.tensor1d(xs);
      const y = op(x, {c: 0.25});
      const g = tf.grad((t: tf.Tensor) => op(t))(x);
      const ys = y.dataSync(),
        gs = g.dataSync();
      expect(xs.map((_, i) => truthError(ys[i], truth(0.25)[i]))).toEqual(xs.map(() => 0));
      expect(xs.map((_, i) => truthError(gs[i], dtruth(0.5)[i]))).toEqual(xs.map(() => 0));
      tf.dispose([x, y, g]);
    } finally {
      await useBackend('cpu');
    }
  });
});
