/**
 * The Keras model zoo the importer is tested on: the small models committed
 * under test/fixtures/models/ and the large applications generated into
 * .cache/keras-zoo/ by the test setup (scripts/setup/keras-zoo.mjs). Each
 * model has `<key>.keras`, maybe `<key>.h5`, and `<key>.io.json` with the
 * inputs and Keras 3.15.1's predictions.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const SMALL_DIR = join(ROOT, 'test', 'fixtures', 'models');
export const LARGE_DIR = join(ROOT, '.cache', 'keras-zoo');
export const LARGE_MODELS = ['mobilenet_v3_small', 'efficientnet_b0'];
export const KERAS2_DIR = join(ROOT, 'test', 'fixtures', 'keras2');

/** Keras-side tolerance for the import: |tfjs − keras| ≤ ATOL + RTOL·|keras|. */
export const ATOL = 1e-5;
export const RTOL = 1e-4;

export interface ZooInput {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array;
}

export interface ZooModel {
  key: string;
  /** Directory relative to the repository root (for URLs in the browser suite). */
  dir: string;
  files: string[];
  inputs: ZooInput[];
  output: {shape: number[]; data: Float32Array};
}

export function decode(s: string): Float32Array {
  if (!s.startsWith('f32:')) throw new Error(`not f32 data: ${s.slice(0, 8)}`);
  const b = Buffer.from(s.slice(4), 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function load(dir: string, rel: string, key: string): ZooModel {
  const io = JSON.parse(readFileSync(join(dir, `${key}.io.json`), 'utf8'));
  const files = ['keras', 'h5'].map(e => `${key}.${e}`).filter(f => existsSync(join(dir, f)));
  return {
    key,
    dir: rel,
    files,
    inputs: io.inputs.map((i: {shape: number[]; dtype?: string; data: string}) => ({
      shape: i.shape,
      dtype: i.dtype === 'int32' ? 'int32' : 'float32',
      data: decode(i.data),
    })),
    output: {shape: io.outputs[0].shape, data: decode(io.outputs[0].data)},
  };
}

/** Every zoo model; the large ones must exist (the test setup generates them). */
export function zoo({large = true} = {}): ZooModel[] {
  const small = readdirSync(SMALL_DIR)
    .filter(f => f.endsWith('.keras'))
    .map(f => f.replace(/\.keras$/, ''))
    .sort()
    .map(k => load(SMALL_DIR, 'test/fixtures/models', k));
  const keras2 = readdirSync(KERAS2_DIR)
    .filter(f => f.endsWith('.h5'))
    .map(f => f.replace(/\.h5$/, ''))
    .sort()
    .map(k => load(KERAS2_DIR, 'test/fixtures/keras2', k));
  small.push(...keras2);
  if (!large) return small;
  for (const k of LARGE_MODELS) {
    if (!existsSync(join(LARGE_DIR, `${k}.keras`))) {
      throw new Error(`${LARGE_DIR}/${k}.keras is missing: run 'node scripts/setup/keras-zoo.mjs' (npm test does)`);
    }
  }
  return [...small, ...LARGE_MODELS.map(k => load(LARGE_DIR, '.cache/keras-zoo', k))];
}

/** Largest |a − b| and the number of elements outside the tolerance. */
export function compare(got: ArrayLike<number>, want: Float32Array): {maxDiff: number; bad: number} {
  if (got.length !== want.length) throw new Error(`length ${got.length} ≠ ${want.length}`);
  let maxDiff = 0,
    bad = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= maxDiff)) maxDiff = d; // NaN propagates
    if (!(d <= ATOL + RTOL * Math.abs(want[i]))) bad++;
  }
  return {maxDiff, bad};
}
