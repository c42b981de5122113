/**
 * The built Node bundle (dist/esm) imports the whole Keras zoo with jsfive's
 * cached struct helper (src/keras/import/jsfive-struct.ts, which the build
 * hooks into the bundled jsfive; the TypeScript sources the other suites run
 * use jsfive's own helper): every `.keras` and `.h5` model predicts within the
 * Keras tolerance, and reads the same weights as the sources do (predictions
 * bit-identical to an import through jsfive's own helper in this process).
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../src';
import {compare, ROOT, zoo} from './keras/zoo';
import type {ZooModel} from './keras/zoo';

const MODELS = zoo();
const cases = MODELS.flatMap(m => m.files.map(f => ({file: f, m})));

function inputsJson(m: ZooModel): unknown {
  return m.inputs.map(i => ({shape: i.shape, dtype: i.dtype, data: Array.from(i.data)}));
}

let results: {cached: boolean; rows: Array<{file: string; y: number[]}>};

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-keras-dist-'));
  try {
    writeFileSync(
      join(dir, 'cases.json'),
      JSON.stringify(cases.map(c => ({path: join(ROOT, c.m.dir, c.file), file: c.file, inputs: inputsJson(c.m)}))),
    );
    const script = `
      import {readFileSync} from 'node:fs';
      const tf = await import(${JSON.stringify(pathToFileURL(require.resolve('@tensorflow/tfjs-core')).href)});
      await import(${JSON.stringify(pathToFileURL(require.resolve('@tensorflow/tfjs-backend-cpu')).href)});
      const tfa = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'esm', 'index.js')).href)});
      const impl = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'esm', 'keras-import.js')).href)});
      await tf.setBackend('cpu');
      const rows = [];
      for (const c of JSON.parse(readFileSync(${JSON.stringify(join(dir, 'cases.json'))}, 'utf8'))) {
        const model = await tfa.loadKerasModel(new Uint8Array(readFileSync(c.path)));
        const y = tf.tidy(() => {
          const xs = c.inputs.map(i => tf.tensor(i.data, i.shape, i.dtype));
          return Array.from(model.predict(xs.length === 1 ? xs[0] : xs).dataSync());
        });
        model.dispose();
        rows.push({file: c.file, y});
      }
      process.stdout.write(JSON.stringify({cached: impl.jsfiveStructCached(), rows}));`;
    writeFileSync(join(dir, 'run.mjs'), script);
    const r = spawnSync(process.execPath, [join(dir, 'run.mjs')], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '2'},
    });
    if (r.status !== 0) throw new Error(`the dist import run failed: ${r.stderr}`);
    results = JSON.parse(r.stdout.slice(r.stdout.indexOf('{"cached"')));
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}, 600000);

test('the built import code runs jsfive with the cached struct helper', () => {
  expect(results.cached).toBe(true);
});

test.each(cases.map(c => [c.file, c.m] as const))(
  '%s through dist/ matches Keras and the sources bit for bit',
  async (file, m) => {
    const row = results.rows.find(r => r.file === file)!;
    expect(compare(row.y, m.output.data).bad).toBe(0);
    await tf.setBackend('cpu');
    const model = await tfa.loadKerasModel(join(ROOT, m.dir, file));
    const y = tf.tidy(() => {
      const xs = m.inputs.map(i => tf.tensor(i.dtype === 'int32' ? Int32Array.from(i.data) : i.data, i.shape, i.dtype));
      return Array.from((model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor).dataSync());
    });
    model.dispose();
    expect(new Uint32Array(new Float32Array(row.y).buffer)).toEqual(new Uint32Array(new Float32Array(y).buffer));
  },
  300000,
);
