/**
 * loadKerasModel in a page (headless Chromium, webgl on SwiftShader) through
 * the script-tag bundle, which loads the import code
 * (tfjs-activations-keras.min.js) only when loadKerasModel is first called:
 * every model of the zoo (test/keras/zoo.ts) fetched by URL and compared with
 * Keras's predictions, a File source, and an indexeddb:// round trip.
 */
import type * as Tfjs from '@tensorflow/tfjs';
import type * as Tfa from '../src';
import {openSession} from './browser/harness';
import type {Session} from './browser/harness';
import {compare, zoo} from './keras/zoo';
import type {ZooModel} from './keras/zoo';

jest.setTimeout(600000);

const MODELS = zoo();
let s: Session;
const results: string[] = [];

beforeAll(async () => {
  s = await openSession();
});

afterAll(async () => {
  if (results.length > 0)
    console.log(`Keras zoo on webgl against Keras 3.15.1 predictions (keras2_*: Keras 2.21):\n${results.join('\n')}`);
  await s?.close();
});

interface PageResult {
  y: number[];
  shape: number[];
  importMs: number;
  roundTrip?: boolean;
  leaked: number;
  scripts: string[];
}

/** Imports a model in the page, predicts on the zoo inputs and optionally checks an indexeddb:// round trip. */
function runInPage(url: string, m: ZooModel, roundTrip: boolean, asFile: boolean): Promise<PageResult> {
  const inputs = m.inputs.map(i => ({shape: i.shape, dtype: i.dtype, data: Array.from(i.data)}));
  return s.page.evaluate(
    async ({url, inputs, roundTrip, asFile}) => {
      // the page's globals: tfjs's and this package's browser bundles
      const w = window as unknown as {tf: typeof Tfjs; tfa: typeof Tfa};
      const tf = w.tf,
        tfa = w.tfa;
      const before = tf.memory().numTensors;
      let source: string | File = url;
      if (asFile) source = new File([await (await fetch(url)).arrayBuffer()], url.split('/').pop() as string);
      const t0 = performance.now();
      const model = await tfa.loadKerasModel(source);
      const importMs = Math.round(performance.now() - t0);
      const run = (mod: Tfjs.LayersModel) =>
        tf.tidy(() => {
          const xs = inputs.map(i => tf.tensor(i.data, i.shape, i.dtype as Tfjs.DataType));
          const y = mod.predict(xs.length === 1 ? xs[0] : xs) as Tfjs.Tensor;
          return {y: Array.from(y.dataSync() as Float32Array), shape: y.shape};
        });
      const out = run(model);
      let same: boolean | undefined;
      if (roundTrip) {
        await model.save('indexeddb://keras-import-test');
        const loaded = await tf.loadLayersModel('indexeddb://keras-import-test');
        const again = run(loaded);
        const a = new Uint32Array(new Float32Array(out.y).buffer),
          b = new Uint32Array(new Float32Array(again.y).buffer);
        same = a.length === b.length && a.every((v, i) => v === b[i]);
        loaded.dispose();
        await tf.io.removeModel('indexeddb://keras-import-test');
      }
      model.dispose();
      const scripts = Array.from(document.scripts).map(e => e.src.split('/').pop() as string);
      return {...out, importMs, roundTrip: same, leaked: tf.memory().numTensors - before, scripts};
    },
    {url, inputs, roundTrip, asFile},
  );
}

test('the import code is not loaded until loadKerasModel is called', async () => {
  const scripts = await s.page.evaluate(() => Array.from(document.scripts).map(e => e.src.split('/').pop()));
  expect(scripts).not.toContain('tfjs-activations-keras.min.js');
  expect(await s.page.evaluate(() => typeof (window as unknown as {tfaKeras?: unknown}).tfaKeras)).toBe('undefined');
});

const cases = MODELS.flatMap(m => m.files.map(f => [f, m] as const));
test.each(cases)('%s matches Keras on webgl', async (file, m) => {
  const small = m.dir.startsWith('test/');
  const r = await runInPage(`${s.url}/${m.dir}/${file}`, m, small && file.endsWith('.keras'), false);
  expect(r.scripts).toContain('tfjs-activations-keras.min.js');
  expect(r.shape).toEqual(m.output.shape);
  const {maxDiff, bad} = compare(r.y, m.output.data);
  results.push(`webgl      ${file.padEnd(32)} max |Δ| ${maxDiff.toExponential(2)}  import ${r.importMs} ms`);
  expect({file, bad}).toEqual({file, bad: 0});
  if (r.roundTrip !== undefined) expect(r.roundTrip).toBe(true);
  expect(r.leaked).toBe(0);
  expect(s.errors).toEqual([]);
});

test('a URL relative to the page', async () => {
  const m = MODELS.find(z => z.key === 'i_glu')!;
  const r = await runInPage(`../fixtures/models/i_glu.keras`, m, false, false);
  expect(compare(r.y, m.output.data).bad).toBe(0);
});

test('a File source (what an <input type=file> gives)', async () => {
  const m = MODELS.find(z => z.key === 'j_hard_sigmoid_rnn')!;
  const r = await runInPage(`${s.url}/${m.dir}/j_hard_sigmoid_rnn.keras`, m, false, true);
  expect(compare(r.y, m.output.data).bad).toBe(0);
});
