/**
 * Strict parameters (ops, layer factories, loaded layer configs and
 * activation objects all validate through src/params.ts) and errors that
 * name the real cause.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfa from '../../src';
import {noLeak, useBackend} from '../helpers';

beforeAll(() => useBackend('cpu'));

const x = () => tf.tensor1d([-1, 0, 1]);
const call =
  (f: unknown, ...args: unknown[]) =>
  () =>
    (f as (...a: unknown[]) => unknown)(...args);

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

/** A one-layer model topology as a saved model.json holds it (Keras snake_case keys). */
function topology(layer: {class_name: string; config: Record<string, unknown>}) {
  return {
    class_name: 'Sequential',
    config: {
      name: 'seq',
      layers: [
        {class_name: 'InputLayer', config: {batch_input_shape: [null, 3], dtype: 'float32', name: 'in'}},
        {...layer, config: {name: 'act', trainable: true, dtype: 'float32', ...layer.config}},
      ],
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}
const load = (layer: {class_name: string; config: Record<string, unknown>}) =>
  tfl.loadLayersModel(tf.io.fromMemory({modelTopology: topology(layer)}));

describe('ops', () => {
  test.each([
    [
      'misspelled key',
      call(tfa.softShrink, x(), {threshhold: 2}),
      /soft_shrink: unknown parameter 'threshhold' \(did you mean 'threshold'\?\)/,
    ],
    ['snake/camel mix-up', call(tfa.leakyRelu, x(), {negativeslope: 0.1}), /did you mean 'negativeSlope'/],
    [
      'both spellings',
      call(tfa.threshold, x(), {threshold: 0, defaultValue: 1, default_value: 2}),
      /threshold: parameter 'defaultValue' \(Keras 'default_value'\) is given twice/,
    ],
    [
      'a number as options',
      call(tfa.squareplus, x(), 2),
      /squareplus: options must be a plain object such as \{b: \.\.\.\}, got number 2/,
    ],
    [
      'a string as options',
      call(tfa.squareplus, x(), 'b'),
      /squareplus: options must be a plain object.*got string "b"/,
    ],
    [
      'a Map as options',
      call(tfa.squareplus, x(), new Map([['b', 2]])),
      /squareplus: options must be a plain object.*got a Map/,
    ],
    ['an array as options', call(tfa.elu, x(), [1]), /elu: options must be a plain object/],
    ['a class instance as options', call(tfa.elu, x(), new Date(0)), /elu: options must be a plain object/],
    [
      'inherited keys do not count',
      call(tfa.squareplus, x(), Object.create({b: -5})),
      /squareplus: options must be a plain object/,
    ],
    [
      'invalid value names activation, parameter and range',
      call(tfa.squareplus, x(), {b: -1}),
      /squareplus: parameter 'b' \(Keras 'b'\) must be >= 0, got -1/,
    ],
    [
      'subnormal parameter',
      call(tfa.leakyRelu, x(), {negativeSlope: 1e-45}),
      /leaky_relu: parameter 'negativeSlope'.*must be 0 or at least 1\.1754944e-38 in magnitude/,
    ],
    [
      'BigInt parameter',
      call(tfa.elu, x(), {alpha: BigInt(2)}),
      /elu: parameter 'alpha'.*finite number, got 2n \(a BigInt/,
    ],
    [
      'BigInt axis',
      call(tfa.softmax, tf.zeros([2, 2]), {axis: BigInt(1)}),
      /softmax: parameter 'axis'.*got 1n \(a BigInt/,
    ],
    [
      'BigInt in an axis list',
      call(tfa.softmax, tf.zeros([2, 2]), {axis: [0, BigInt(1)]}),
      /softmax: parameter 'axis'.*\[0, 1n \(a BigInt/,
    ],
    [
      'a parameter for a parameterless activation',
      call(tfa.sigmoid, x(), {alpha: 1}),
      /sigmoid: unknown parameter 'alpha' \(it takes none\)/,
    ],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(message);
  });

  test('null and undefined options mean the defaults', () => {
    const a = tfa.squareplus(x(), undefined),
      b = (tfa.squareplus as (t: tf.Tensor, o: unknown) => tf.Tensor)(x(), null);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  });
});

describe('errors that name the real cause', () => {
  test.each([
    [
      'non-number element',
      call(tfa.relu, [1, 'a']),
      /relu: expects a tensor or a \(nested\) array of numbers, got the string "a" at index \[1\]/,
    ],
    [
      'nested object',
      call(tfa.relu, [
        [1, 2],
        [3, {}],
      ]),
      /relu: .*got an object \(Object\) at index \[1\]\[1\]/,
    ],
    ['undefined hole', call(tfa.relu, [1, undefined]), /relu: .*got undefined at index \[1\]/],
    [
      'BigInt element',
      call(tfa.relu, [1, BigInt(2)]),
      /relu: .*got the BigInt 2n \(convert it with Number\(\)\) at index \[1\]/,
    ],
    ['BigInt scalar', call(tfa.relu, BigInt(2)), /relu: .*got the BigInt 2n/],
    ['BigInt64Array', call(tfa.relu, new BigInt64Array(2)), /relu: .*got a BigInt64Array \(BigInt values\)/],
    ['boolean element', call(tfa.relu, [true, false]), /relu: .*got boolean true at index \[0\]/],
    ['string tensor', call(tfa.relu, tf.tensor(['a'])), /relu: expects a float32 or int32 tensor, got a string tensor/],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(message);
  });

  test('a disposed tensor', () => {
    const t = tf.tensor1d([1, 2]);
    t.dispose();
    expect(() => tfa.gelu(t)).toThrow(/gelu: the input tensor \(id \d+, shape \[2\]\) has already been disposed/);
  });

  test('errors leak nothing', async () => {
    const t = x();
    await noLeak(() => {
      expect(() => tfa.relu([1, 'a'] as never)).toThrow();
      expect(() => tfa.squareplus(t, 2 as never)).toThrow();
      expect(() => tfa.softShrink(t, {threshhold: 1} as never)).toThrow();
    });
    t.dispose();
  });
});

describe('layer factories', () => {
  test.each([
    [
      'misspelled parameter',
      () => tfa.layers.softShrink({threshhold: 2} as never),
      /soft_shrink: unknown layer argument 'threshhold' \(did you mean 'threshold'\?\) for SoftShrinkActivation/,
    ],
    ['misspelled layer argument', () => tfa.layers.squareplus({inputshape: [3]} as never), /did you mean 'inputShape'/],
    [
      'invalid value',
      () => tfa.layers.squareplus({b: -1}),
      /squareplus: parameter 'b' \(Keras 'b'\) must be >= 0, got -1/,
    ],
    [
      'both spellings',
      () => tfa.layers.threshold({threshold: 0, defaultValue: 1, default_value: 1} as never),
      /given twice/,
    ],
    [
      'not a plain object',
      () => tfa.layers.elu(new Map() as never),
      /elu: layer arguments must be a plain object.*got a Map/,
    ],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(message);
  });

  test('valid arguments still work, in either spelling', () => {
    expect(tfa.layers.softShrink({threshold: 2}).params).toEqual({threshold: 2});
    expect(tfa.layers.threshold({threshold: 1, default_value: 3} as never).params).toEqual({
      threshold: 1,
      defaultValue: 3,
    });
  });
});

describe('loaded layer configs', () => {
  test('a valid config loads', async () => {
    const m = await load({class_name: 'ThresholdActivation', config: {threshold: 0, default_value: -1}});
    const y = m.predict(tf.tensor2d([[-1, 0, 2]])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([-1, -1, 2]);
  });
  test.each([
    [
      'misspelled key',
      {class_name: 'ThresholdActivation', config: {threshold: 0, defualt_value: -1}},
      /did you mean 'defaultValue'\?/,
    ],
    ['extra key', {class_name: 'SquareplusActivation', config: {b: 1, c: 2}}, /squareplus: unknown layer argument 'c'/],
    [
      'invalid value',
      {class_name: 'SquareplusActivation', config: {b: -1}},
      /squareplus: parameter 'b'.*must be >= 0, got -1/,
    ],
  ])('%s is an error', async (_, layer, message) => {
    await expect(load(layer)).rejects.toThrow(message);
  });
  test("both spellings in one config (deserialised without tfjs-layers' key conversion) are an error", () => {
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap.ThresholdActivation;
    expect(() => fromConfig(cls, {threshold: 0, default_value: 1, defaultValue: 2})).toThrow(
      /threshold: parameter 'defaultValue' \(Keras 'default_value'\) is given twice/,
    );
  });
});

describe('activation objects', () => {
  const dense = (activation: unknown) =>
    tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 3,
          inputShape: [3],
          activation: activation as never,
          kernelInitializer: 'identity',
          useBias: false,
        }),
      ],
    });

  test('parameters inside an activation object apply and round-trip', async () => {
    const model = dense({className: 'squareplus', config: {b: 0}});
    const xs = tf.tensor2d([[-2, 0, 3]]);
    // squareplus with b = 0 is (x + |x|)/2 = relu; the default b = 4 is not
    expect(Array.from((model.predict(xs) as tf.Tensor).dataSync())).toEqual([0, 0, 3]);
    const {loaded, json} = await roundTrip(model);
    expect(json).toContain('"activation":{"class_name":"squareplus","config":{"b":0}}');
    expect(Array.from((loaded.predict(xs) as tf.Tensor).dataSync())).toEqual([0, 0, 3]);
  });

  test('default parameters save as the plain name', async () => {
    const {json} = await roundTrip(dense({className: 'squareplus', config: {b: 4}}));
    expect(json).toContain('"activation":"squareplus"');
  });

  test('required parameters can come from the activation object', async () => {
    const model = dense({className: 'threshold', config: {threshold: 0, default_value: -1}});
    const {loaded, json} = await roundTrip(model);
    expect(json).toContain('"activation":{"class_name":"threshold","config":{"threshold":0,"default_value":-1}}');
    expect(Array.from((loaded.predict(tf.tensor2d([[-2, 0, 3]])) as tf.Tensor).dataSync())).toEqual([-1, -1, 3]);
  });

  test.each([
    [
      'misspelled',
      {className: 'squareplus', config: {bb: 0}},
      /squareplus: unknown parameter 'bb' \(did you mean 'b'\?\) in its activation config/,
    ],
    ['invalid', {className: 'squareplus', config: {b: -2}}, /squareplus: parameter 'b'.*must be >= 0, got -2/],
    ['glu as an activation object', {className: 'glu', config: {axis: -1}}, /GluActivation|layers\.glu/],
  ])('%s activation object is an error', (_, activation, message) => {
    expect(() => dense(activation)).toThrow(message);
  });
});

describe('activationId', () => {
  test.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('rejects the inherited name %s', name => {
    expect(() => tfa.activationId(name as never)).toThrow(/Unknown activation/);
  });
  test('rejects a non-string', () => {
    expect(() => tfa.activationId(3 as never)).toThrow(/expects an activation name/);
  });
  test('accepts own names', () => {
    expect(tfa.activationId('squareplus')).toBe('squareplus');
    expect(tfa.activationId('relu')).toBe('relu');
  });
});
