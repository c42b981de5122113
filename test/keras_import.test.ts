/**
 * loadKerasModel / convertKerasModel / `tfjs-activations convert` on the
 * Keras 3.15.1 model zoo (test/keras/zoo.ts), in Node on cpu and tensorflow
 * (tfjs-node): predictions against Keras's, tfjs save/load round trips,
 * the convert command's output, refusals, options and sources.
 * The webgl run is test/keras_webgl.test.ts.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {strFromU8, strToU8, unzipSync, zipSync} from 'fflate';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfa from '../src';
import {compare, ROOT, SMALL_DIR, zoo} from './keras/zoo';
import type {ZooModel} from './keras/zoo';

process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL ?? '2';
let tfnode: {loadLayersModel: typeof tfl.loadLayersModel} | undefined;
let tfnodeError = '';
try {
  tfnode = require('@tensorflow/tfjs-node');
} catch (e) {
  tfnodeError = (e as Error).message.split('\n')[0];
}

const MODELS = zoo();
const results: Array<{backend: string; file: string; maxDiff: number; importMs: number}> = [];

function inputsOf(m: ZooModel): tf.Tensor[] {
  return m.inputs.map(i => tf.tensor(i.dtype === 'int32' ? Int32Array.from(i.data) : i.data, i.shape, i.dtype));
}

function predict(model: tfl.LayersModel, m: ZooModel): Float32Array {
  return tf.tidy(() => {
    const xs = inputsOf(m);
    const y = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
    expect(y.shape).toEqual(m.output.shape);
    return y.dataSync() as Float32Array;
  });
}

function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

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

afterAll(() => {
  if (results.length === 0) return;
  const lines = results.map(
    r =>
      `${r.backend.padEnd(10)} ${r.file.padEnd(32)} max |Δ| ${r.maxDiff.toExponential(2)}  ` +
      `import ${r.importMs} ms`,
  );
  mkdirSync(join(ROOT, '.cache'), {recursive: true});
  writeFileSync(join(ROOT, '.cache', `keras-import-${process.pid}.txt`), lines.join('\n') + '\n');
  console.log(`Keras zoo against Keras 3.15.1 predictions (keras2_*: Keras 2.21 predictions):\n${lines.join('\n')}`);
});

describe.each(['cpu', 'tensorflow'])('zoo on %s', backend => {
  beforeAll(async () => {
    if (backend === 'tensorflow' && tfnode === undefined) {
      throw new Error(
        `@tensorflow/tfjs-node could not be loaded (run 'node scripts/setup/tfjs-node.mjs'): ${tfnodeError}`,
      );
    }
    expect(await tf.setBackend(backend)).toBe(true);
  });

  const cases = MODELS.flatMap(m => m.files.map(f => [f, m] as const));
  test.each(cases)(
    '%s matches Keras, and a tfjs save/load reloads it bit-identically',
    async (file, m) => {
      const before = tf.memory().numTensors;
      const t0 = Date.now();
      const model = await tfa.loadKerasModel(join(ROOT, m.dir, file));
      const importMs = Date.now() - t0;
      const y = predict(model, m);
      const {maxDiff, bad} = compare(y, m.output.data);
      results.push({backend, file, maxDiff, importMs});
      expect({file, bad}).toEqual({file, bad: 0});
      if (backend === 'cpu') {
        // (tfjs-node's typed arrays come from another realm than jest's, which tfjs's in-memory saving rejects;
        // the tensorflow backend is round-tripped through file:// in the convert tests)
        const {loaded} = await roundTrip(model);
        expect(bits(predict(loaded, m))).toEqual(bits(y));
        loaded.dispose();
      }
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
    300000,
  );
});

// ---------------------------------------------------------------------------

describe('convert command', () => {
  const out = mkdtempSync(join(tmpdir(), 'tfa-convert-'));
  afterAll(() => rmSync(out, {recursive: true, force: true}));
  beforeAll(() => {
    // the bin runs the built package
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {cwd: ROOT, stdio: 'ignore'});
  });

  test.each(['j_hard_sigmoid_rnn.keras', 'l_nested.h5', 'n_ops_nodes.keras', 'g_conv_bn.keras'])(
    '%s: model.json + shards load with tf.loadLayersModel and predict the same',
    async file => {
      const m = MODELS.find(z => z.files.includes(file))!;
      const dir = join(out, file.replace('.', '_'));
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'bin', 'tfjs-activations.mjs'), 'convert', join(SMALL_DIR, file), dir],
        {encoding: 'utf8'},
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/layers/);
      expect(r.stdout).toMatch(/parameters/);
      await tf.setBackend('cpu');
      const imported = await tfa.loadKerasModel(join(SMALL_DIR, file));
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      const weights = json.weightsManifest[0].paths.map((p: string) => readFileSync(join(dir, p)));
      const data = Buffer.concat(weights);
      const loaded = await tfl.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
        }),
      );
      const y = predict(loaded, m);
      expect(bits(y)).toEqual(bits(predict(imported, m)));
      expect(compare(y, m.output.data).bad).toBe(0);
      if (tfnode !== undefined) {
        // and from disk with tfjs-node's file:// loader
        await tf.setBackend('tensorflow');
        const fromDisk = await tfnode.loadLayersModel(pathToFileURL(join(dir, 'model.json')).href);
        expect(compare(predict(fromDisk, m), m.output.data).bad).toBe(0);
        fromDisk.dispose();
        await tf.setBackend('cpu');
      }
      loaded.dispose();
      imported.dispose();
    },
    120000,
  );

  test('errors exit non-zero with the message', () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'tfjs-activations.mjs'), 'convert', join(SMALL_DIR, 'a_sequential.io.json'), join(out, 'bad')],
      {encoding: 'utf8'},
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/neither a Keras 3 '.keras' archive/);
    const u = spawnSync(process.execPath, [join(ROOT, 'bin', 'tfjs-activations.mjs'), 'frobnicate'], {
      encoding: 'utf8',
    });
    expect(u.status).not.toBe(0);
    expect(u.stderr).toMatch(/usage/i);
  });
});

// ---------------------------------------------------------------------------

/** A fixture archive with its config edited (and optionally its weights replaced). */
function edited(
  file: string,
  edit: (cfg: {config: {layers: Array<Record<string, unknown>>}}) => void,
  weights?: Uint8Array,
): Uint8Array {
  const z = unzipSync(readFileSync(join(SMALL_DIR, file)));
  const cfg = JSON.parse(strFromU8(z['config.json']));
  edit(cfg);
  return zipSync({
    ...z,
    'config.json': strToU8(JSON.stringify(cfg)),
    ...(weights ? {'model.weights.h5': weights} : {}),
  });
}

const GARBAGE = new Uint8Array(64).fill(7); // not HDF5: reading the weights would fail differently

describe('refusals come before any weight is read, naming layer, class and field', () => {
  beforeAll(() => tf.setBackend('cpu'));

  test('a Lambda layer', async () => {
    const bytes = edited(
      'e_mlp_sequential.keras',
      c => {
        c.config.layers.splice(2, 0, {
          module: 'keras.layers',
          class_name: 'Lambda',
          registered_name: null,
          config: {name: 'my_lambda', function: {class_name: '__lambda__', config: {}}},
        });
      },
      GARBAGE,
    );
    await expect(tfa.loadKerasModel(bytes)).rejects.toThrow(
      /layer 'my_lambda' \(class Lambda\): a Lambda layer holds Python code.*customObjects/,
    );
  });

  test('an unknown registered custom object, then mapped with options.customObjects', async () => {
    const rename = (c: {config: {layers: Array<Record<string, unknown>>}}) => {
      const d = c.config.layers[1];
      d.module = 'my_package';
      d.class_name = 'MyDense';
      d.registered_name = 'MyPackage>MyDense';
    };
    await expect(tfa.loadKerasModel(edited('e_mlp_sequential.keras', rename, GARBAGE))).rejects.toThrow(
      /layer 'd1' \(class MyDense\): registered custom object 'MyPackage>MyDense' is not supported.*options\.customObjects/,
    );
    const m = MODELS.find(z => z.key === 'e_mlp_sequential')!;
    const model = await tfa.loadKerasModel(edited('e_mlp_sequential.keras', rename), {
      customObjects: {'MyPackage>MyDense': 'Dense'},
    });
    expect(compare(predict(model, m), m.output.data).bad).toBe(0);
    model.dispose();
  });

  test('an unsupported field', async () => {
    const bytes = edited(
      'e_mlp_sequential.keras',
      c => {
        (c.config.layers[3].config as Record<string, unknown>).lora_rank = 4;
      },
      GARBAGE,
    );
    await expect(tfa.loadKerasModel(bytes)).rejects.toThrow(/layer 'd2' \(class Dense\), field 'lora_rank': only null/);
    const causal = edited(
      'm_conv1d_layernorm.keras',
      c => {
        (c.config.layers[3].config as Record<string, unknown>).padding = 'causal';
      },
      GARBAGE,
    );
    await expect(tfa.loadKerasModel(causal)).rejects.toThrow(/layer 'conv2' \(class Conv1D\), field 'padding'/);
  });

  test('an unknown activation, then mapped with options.customObjects', async () => {
    const custom = (c: {config: {layers: Array<Record<string, unknown>>}}) => {
      (c.config.layers[1].config as Record<string, unknown>).activation = {
        module: 'builtins',
        class_name: 'function',
        config: 'my_relu',
        registered_name: 'my_relu',
      };
    };
    await expect(tfa.loadKerasModel(edited('e_mlp_sequential.keras', custom, GARBAGE))).rejects.toThrow(
      /layer 'd1' \(class Dense\), field 'activation': unknown activation 'my_relu'/,
    );
    const m = MODELS.find(z => z.key === 'e_mlp_sequential')!;
    const model = await tfa.loadKerasModel(edited('e_mlp_sequential.keras', custom), {
      customObjects: {my_relu: 'relu'},
    });
    expect(compare(predict(model, m), m.output.data).bad).toBe(0);
    model.dispose();
  });

  test('a Keras 2 style config (nested-array inbound nodes, batch_input_shape, dtype strings) translates too', async () => {
    type J = Record<string, unknown>;
    const keras2 = (v: unknown): unknown => {
      // Keras 3 → Keras 2 config conventions
      if (Array.isArray(v)) return v.map(keras2);
      if (v === null || typeof v !== 'object') return v;
      const o = v as J;
      if (o.class_name === 'DTypePolicy') return (o.config as J).name;
      const out: J = {};
      for (const [k, x] of Object.entries(o)) {
        if (['module', 'registered_name', 'build_config', 'compile_config'].includes(k)) continue;
        if (k === 'batch_shape') out.batch_input_shape = x;
        else if (k === 'inbound_nodes') {
          out.inbound_nodes = (x as J[]).map(node =>
            (node.args as unknown[]).flat().map(a => {
              const h = ((a as J).config as J).keras_history as unknown[];
              return [h[0], h[1], h[2], {}];
            }),
          );
        } else out[k] = keras2(x);
      }
      return out;
    };
    const bytes = edited('f_mlp_two_inputs.keras', c => {
      const k2 = keras2(c) as J;
      k2.class_name = 'Model';
      Object.keys(c).forEach(k => delete (c as unknown as J)[k]);
      Object.assign(c, k2);
    });
    const cfg = JSON.parse(strFromU8(unzipSync(bytes)['config.json']));
    expect(JSON.stringify(cfg)).not.toMatch(/keras_history|batch_shape|DTypePolicy/);
    const m = MODELS.find(z => z.key === 'f_mlp_two_inputs')!;
    const model = await tfa.loadKerasModel(bytes);
    expect(compare(predict(model, m), m.output.data).bad).toBe(0);
    model.dispose();
  });

  test('a weights-only .h5 file and a file that is not a model', async () => {
    await expect(tfa.loadKerasModel(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).rejects.toThrow(/neither a Keras 3/);
  });
});

// ---------------------------------------------------------------------------

describe('options, sources and semantics', () => {
  beforeAll(() => tf.setBackend('cpu'));

  test('onProgress is called with rising fractions while weights are read', async () => {
    const seen: number[] = [];
    const model = await tfa.loadKerasModel(join(ROOT, '.cache', 'keras-zoo', 'mobilenet_v3_small.keras'), {
      onProgress: f => seen.push(f),
    });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    model.dispose();
  }, 120000);

  test('sources: Uint8Array, ArrayBuffer, Blob, path, file:// URL and http:// URL', async () => {
    const m = MODELS.find(z => z.key === 'f_mlp_two_inputs')!;
    const path = join(SMALL_DIR, 'f_mlp_two_inputs.keras');
    const buf = readFileSync(path);
    const server = createServer((_req, res) => res.end(buf));
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.keras`;
    try {
      const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      for (const source of [new Uint8Array(buf), ab, new Blob([buf]), path, pathToFileURL(path).href, url]) {
        const model = await tfa.loadKerasModel(source as tfa.KerasSource);
        expect(compare(predict(model, m), m.output.data).bad).toBe(0);
        model.dispose();
      }
    } finally {
      await new Promise(r => server.close(r));
    }
  });

  test("Keras 3 hard_sigmoid survives import and a tfjs round trip; tfjs's hardSigmoid stays tfjs's", async () => {
    const model = await tfa.loadKerasModel(join(SMALL_DIR, 'j_hard_sigmoid_rnn.keras'));
    const act = model.getLayer('act_hard_sigmoid');
    const x = tf.tensor1d([-4, -1, 0, 1, 2.5]);
    const keras3 = [0, 1 / 3, 0.5, 2 / 3, 11 / 12];
    const y1 = act.apply(x) as tf.Tensor;
    expect(Array.from(y1.dataSync()).map(v => +v.toFixed(6))).toEqual(keras3.map(v => +v.toFixed(6)));
    const {loaded, json} = await roundTrip(model);
    expect(json).toContain('"hard_sigmoid_keras3"');
    const y2 = loaded.getLayer('act_hard_sigmoid').apply(x) as tf.Tensor;
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
    // a tfjs model with tfjs's own 'hardSigmoid' (Keras 2's 0.2x + 0.5) keeps it
    const own = tfl.sequential({layers: [tfl.layers.activation({activation: 'hardSigmoid', inputShape: [5]})]});
    const {loaded: ownLoaded} = await roundTrip(own);
    const y3 = ownLoaded.predict(x.reshape([1, 5])) as tf.Tensor;
    expect(Array.from(y3.dataSync()).map(v => +v.toFixed(6))).toEqual([0, 0.3, 0.5, 0.7, 1]);
    tf.dispose([x, y1, y2, y3]);
    [model, loaded, own, ownLoaded].forEach(m => m.dispose());
  });

  test("a Keras 2 .h5 keeps Keras 2's hard_sigmoid, through a round trip and with the global Keras 3 opt-in", async () => {
    const file = join(ROOT, 'test', 'fixtures', 'keras2', 'keras2_functional.h5');
    const m = MODELS.find(z => z.key === 'keras2_functional')!;
    const {report} = await tfa.convertKerasModel(file);
    expect(report.kerasVersion).toMatch(/^2\./);
    const notes = report.layers.flatMap(l => l.notes).join('\n');
    expect(notes).toMatch(/'hard_sigmoid' → 'hard_sigmoid_keras2' \(Keras 2 semantics/);
    expect(notes).not.toMatch(/hard_sigmoid_keras3/);
    const x = tf.tensor1d([-4, -1, 0, 1, 2.4]);
    const keras2 = [0, 0.3, 0.5, 0.7, 0.98];
    const rounded = (t: tf.Tensor): number[] => Array.from(t.dataSync()).map(v => +v.toFixed(6));
    tfa.useKeras3HardSigmoid(true);
    try {
      const model = await tfa.loadKerasModel(file);
      const y1 = model.getLayer('act_hard_sigmoid').apply(x) as tf.Tensor;
      expect(rounded(y1)).toEqual(keras2);
      expect(compare(predict(model, m), m.output.data).bad).toBe(0);
      const {loaded, json} = await roundTrip(model);
      expect(json).toContain('"hard_sigmoid_keras2"');
      const y2 = loaded.getLayer('act_hard_sigmoid').apply(x) as tf.Tensor;
      expect(rounded(y2)).toEqual(keras2);
      expect(compare(predict(loaded, m), m.output.data).bad).toBe(0);
      tf.dispose([y1, y2]);
      [model, loaded].forEach(d => d.dispose());
    } finally {
      tfa.useKeras3HardSigmoid(false);
      x.dispose();
    }
  });

  test('the summary of convertKerasModel names layers, activations and what was mapped', async () => {
    const {report, modelJSON} = await tfa.convertKerasModel(join(SMALL_DIR, 'h_advanced_activations.keras'));
    expect(report.format).toBe('keras');
    expect(report.kerasVersion).toBe('3.15.1');
    const byName = Object.fromEntries(report.layers.map(l => [l.path.join('/'), l.tfjsClass]));
    expect(byName).toMatchObject({
      relu_p: 'ReluActivation',
      elu: 'EluActivation',
      softmax_axis1: 'SoftmaxActivation',
      leaky: 'LeakyReLU',
      prelu: 'PReLU',
    });
    expect(report.params).toBe(368);
    expect(modelJSON.format).toBe('layers-model');
  });
});
