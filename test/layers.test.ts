/** tfjs-layers integration: string ids, save/load round trips, parameterised layers. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfa from '../src';
import {noLeak, useBackend} from './helpers';
import {variantsOf} from './variants';

beforeAll(() => useBackend('cpu'));

async function roundTrip(model: tfl.LayersModel): Promise<{loaded: tfl.LayersModel; json: string}> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async a => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
  );
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
  return {loaded, json: JSON.stringify(artifacts!.modelTopology)};
}

function savedActivations(json: string): string[] {
  return [...json.matchAll(/"activation":"([^"]+)"/g)].map(m => m[1]);
}

function expectBitIdentical(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  const x = new Uint32Array(a.dataSync().buffer.slice(0)),
    y = new Uint32Array(b.dataSync().buffer.slice(0));
  expect(Array.from(x)).toEqual(Array.from(y));
}

const input = () =>
  tf.tensor2d([
    [-3, -0.5, 0, 0.25],
    [1, 2.5, -7, 40],
  ]);

/** tfjs-layers' own activation ids (tfjs 4.22): they keep tfjs's behaviour and are not re-registered. */
const TFJS_IDS = new Set([
  'elu',
  'hardSigmoid',
  'linear',
  'relu',
  'relu6',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
  'logSoftmax',
]);

/**
 * Keras snake_case name each id saves as, from the catalogue: every name of an activation usable as a bare
 * string (its parameters all have defaults and it keeps its axis), except tfjs's own ids and hard_sigmoid
 * (opt-in); plus tfjs's 'geluNew'.
 */
const expectedSaved: Record<string, string> = Object.fromEntries([
  ...tfa.definitions
    .filter(d => d.id !== 'hardSigmoid' && !(d.kind === 'axis' && d.halvesAxis) && d.params.every(p => 'default' in p))
    .flatMap(d =>
      [d.id, d.keras, ...(d.aliases ?? []).flatMap(a => [a, a.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())])]
        .filter(n => !TFJS_IDS.has(n))
        .map(n => [n, d.keras]),
    ),
  ['geluNew', 'gelu_new'],
]);

test('the typed id list is exactly what is registered', () => {
  expect([...tfa.newActivationIds].sort()).toEqual([...tfa.registeredIds].sort());
  expect(Object.keys(expectedSaved).sort()).toEqual([...tfa.registeredIds].sort());
});

describe.each(Object.entries(expectedSaved))('activation id %s', (id, saved) => {
  test(`saves as '${saved}' and loads back with bit-identical predictions`, async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({units: 6, inputShape: [4], activation: tfa.activationId(id as tfa.ActivationId)}),
        tfl.layers.activation({activation: tfa.activationId(id as tfa.ActivationId)}),
      ],
    });
    const {loaded, json} = await roundTrip(model);
    expect(savedActivations(json)).toEqual([saved, saved]);
    const x = input();
    const a = model.predict(x) as tf.Tensor,
      b = loaded.predict(x) as tf.Tensor;
    expectBitIdentical(a, b);
    // The layer really computes this package's activation (checked against the op).
    if (id !== 'geluNew' && id !== 'log_softmax') {
      const pre = tfl.sequential({
        layers: [tfl.layers.dense({units: 6, inputShape: [4], weights: model.layers[0].getWeights()})],
      });
      const def = tfa.lookup(id);
      const ref = (tfa as unknown as Record<string, (t: tf.Tensor) => tf.Tensor>)[def.id];
      const p = pre.predict(x) as tf.Tensor;
      const r = ref(ref(p));
      expectBitIdentical(a, r);
      tf.dispose([p, r]);
    }
    tf.dispose([x, a, b]);
  });
});

test("tfjs's own ids keep tfjs's behaviour; 'swish' stays tfjs's", () => {
  const x = input();
  for (const id of [
    'elu',
    'relu',
    'relu6',
    'selu',
    'sigmoid',
    'softplus',
    'softsign',
    'tanh',
    'swish',
    'mish',
    'gelu',
    'hardSigmoid',
  ]) {
    const layer = tfl.layers.activation({activation: id as 'relu'});
    const y = layer.apply(x) as tf.Tensor;
    expect(layer.getConfig().activation).toBe(id === 'hardSigmoid' ? 'hardSigmoid' : id);
    y.dispose();
  }
  // tfjs's hardSigmoid is the Keras 2 form 0.2x + 0.5.
  const h = tfl.layers.activation({activation: 'hardSigmoid'}).apply(tf.tensor1d([1])) as tf.Tensor;
  expect(h.dataSync()[0]).toBeCloseTo(0.7, 6);
  tf.dispose([x, h]);
});

test('useKeras3HardSigmoid opts in for layers (and LSTM defaults), and can be undone', async () => {
  tfa.useKeras3HardSigmoid();
  try {
    const one = tf.tensor1d([1]);
    for (const id of ['hardSigmoid', 'hard_sigmoid']) {
      const y = tfl.layers.activation({activation: id as 'hardSigmoid'}).apply(one) as tf.Tensor;
      expect(y.dataSync()[0]).toBeCloseTo(4 / 6, 6);
      y.dispose();
    }
    const lstm = tfl.layers.lstm({units: 2});
    const cellActivation = (lstm as unknown as {cell: {recurrentActivation: {apply(t: tf.Tensor): tf.Tensor}}}).cell
      .recurrentActivation;
    const r = cellActivation.apply(one);
    expect(r.dataSync()[0]).toBeCloseTo(4 / 6, 6);
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 3, inputShape: [2], activation: 'hard_sigmoid' as 'hardSigmoid'})],
    });
    const {loaded, json} = await roundTrip(model);
    expect(savedActivations(json)).toEqual(['hard_sigmoid']);
    const x = tf.tensor2d([[0.5, -2]]);
    expectBitIdentical(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor);
    tf.dispose([one, r, x]);
  } finally {
    tfa.useKeras3HardSigmoid(false);
  }
  const h = tfl.layers.activation({activation: 'hardSigmoid'}).apply(tf.tensor1d([1])) as tf.Tensor;
  expect(h.dataSync()[0]).toBeCloseTo(0.7, 6);
  expect(() => tfl.layers.activation({activation: 'hard_sigmoid' as 'hardSigmoid'})).toThrow(/useKeras3HardSigmoid/);
});

const parameterised: Array<[string, Record<string, unknown>]> = [
  ['squareplus', {b: 0.25}],
  ['softShrink', {threshold: 1.5}],
  ['hardShrink', {threshold: 2}],
  ['relu', {negativeSlope: 0.1, maxValue: 6, threshold: 0.5}],
  ['relu', {maxValue: null, threshold: -1}],
  ['leakyRelu', {negativeSlope: 0.01}],
  ['elu', {alpha: 0.5}],
  ['celu', {alpha: 3}],
  ['gelu', {approximate: true}],
  ['threshold', {threshold: 1, defaultValue: -1}],
  ['softmax', {axis: [1, 2]}],
  ['softmax', {axis: null}],
  ['logSoftmax', {axis: 1}],
  ['sparsemax', {axis: 1}],
  ['glu', {axis: 1}],
];

test.each(parameterised)('%s layer %j round-trips its config and predictions', async (id, params) => {
  const layer = (tfa.layers as unknown as Record<string, (a: object) => tfl.layers.Layer>)[id](params);
  const model = tfl.sequential({layers: [tfl.layers.dense({units: 4, inputShape: [2, 4]}), layer]});
  const {loaded, json} = await roundTrip(model);
  const restored = loaded.layers[1] as unknown as {params: Record<string, unknown>; getClassName(): string};
  expect(restored.getClassName()).toBe(tfa.layerClassName(tfa.lookup(id)));
  const def = tfa.lookup(id);
  for (const p of def.params) {
    expect(restored.params[p.name]).toEqual(p.name in params ? params[p.name] : p.default);
    expect(json).toContain(`"${p.keras}":`);
  }
  const x = tf.randomNormal([2, 2, 4], 0, 3, 'float32', 7);
  const a = model.predict(x) as tf.Tensor,
    b = loaded.predict(x) as tf.Tensor;
  expectBitIdentical(a, b);
  expect(a.shape).toEqual([2, ...(model.outputs[0].shape.slice(1) as number[])]);
  tf.dispose([x, a, b]);
});

test('glu layer reports the halved output shape in a functional model', () => {
  const inp = tfl.input({shape: [5, 8]});
  const out = tfa.layers.glu({axis: -1}).apply(inp) as tfl.SymbolicTensor;
  expect(out.shape).toEqual([null, 5, 4]);
  const out2 = tfa.layers.glu({axis: 1}).apply(tfl.input({shape: [6, 3]})) as tfl.SymbolicTensor;
  expect(out2.shape).toEqual([null, 3, 3]);
});

test('a model with new activations trains with fit, without leaking tensors', async () => {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({units: 8, inputShape: [2], activation: tfa.activationId('squareplus')}),
      tfl.layers.dense({units: 8, activation: tfa.activationId('soft_shrink')}),
      tfa.layers.glu(),
      tfl.layers.dense({units: 1, activation: tfa.activationId('log_sigmoid')}),
    ],
  });
  model.compile({optimizer: 'adam', loss: 'meanSquaredError'});
  const xs = tf.randomUniform([64, 2], -2, 2, 'float32', 1);
  const ys = tf.tidy(() => tf.neg(tf.abs(tf.sub(tf.slice(xs, [0, 0], [64, 1]), tf.slice(xs, [0, 1], [64, 1])))));
  await model.fit(xs, ys, {epochs: 1, batchSize: 16, verbose: 0}); // warm up (creates optimizer state)
  const before = tf.memory().numTensors;
  const h = await model.fit(xs, ys, {epochs: 30, batchSize: 16, verbose: 0});
  expect(tf.memory().numTensors).toBe(before);
  const loss = h.history.loss as number[];
  expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  tf.dispose([xs, ys]);
});

test('ops leak nothing and allocate only their output', async () => {
  const x = tf.randomNormal([3, 8], 0, 4, 'float32', 3);
  for (const def of tfa.definitions) {
    const op = (tfa as unknown as Record<string, (t: tf.Tensor, o?: object) => tf.Tensor>)[def.id];
    const opts = variantsOf(def)[0];
    await noLeak(() => {
      const bytes = tf.memory().numBytes;
      const y = op(x, opts);
      expect(tf.memory().numBytes - bytes).toBe(y.size * 4);
      y.dispose();
      const g = tf.grad((t: tf.Tensor) => op(t, opts))(x);
      g.dispose();
      const [gg] = tf.tidy(() => [tf.grad((t: tf.Tensor) => tf.grad((u: tf.Tensor) => op(u, opts))(t))(x)]);
      gg.dispose();
    });
  }
  x.dispose();
});
