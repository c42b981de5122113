/**
 * Without the native op library (missing, not a library, or built for
 * another libtensorflow, as with stock tfjs-node on libtensorflow 2.9.1) the
 * tensorflow backend runs its op chains: one warning per process saying
 * why, and the same results. Each case runs the built package (dist/cjs) in
 * a child process with TFJS_ACTIVATIONS_NATIVE pointing somewhere else.
 */
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tfa from '../src';
import type {ElementwiseActivation} from '../src';
import {ulp} from './helpers';

const root = path.join(__dirname, '..');
const CHILD = `
const tf = require('@tensorflow/tfjs-node');
const tfa = require('./dist/cjs/index.js');
const warnings = [];
console.warn = (...a) => warnings.push(a.join(' '));
const x = tf.tensor1d([-30, -3, -0.5, -0, 0, 1e-3, 2, 50]);
const out = {
  squareplus: Array.from(tfa.squareplus(x).dataSync()),
  elu: Array.from(tf.grad(t => tfa.elu(t, {alpha: 0.1}))(x).dataSync()),
  softmax: Array.from(tfa.softmax(tf.reshape(x, [2, 4]), {axis: 0}).dataSync()),
};
tfa.mish(x);
tfa.logSoftmax(x);
process.stdout.write('\\nRESULT ' + JSON.stringify({warnings, out}) + '\\n');
`;
const X = [-30, -3, -0.5, -0, 0, 1e-3, 2, 50];

interface Result {
  warnings: string[];
  out: {squareplus: number[]; elu: number[]; softmax: number[]};
}

function runChild(native: string): Result {
  const out = execFileSync(process.execPath, ['-e', CHILD], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, TFJS_ACTIVATIONS_NATIVE: native, TF_CPP_MIN_LOG_LEVEL: '2'},
  });
  const line = out.split('\n').find(l => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no result from the child process:\n${out}`);
  return JSON.parse(line.slice('RESULT '.length)) as Result;
}

/** The results are the float64 definitions' within 4 ULP, signs of zero included. */
function checkValues(r: Result): void {
  const sp = tfa.lookup('squareplus') as ElementwiseActivation,
    elu = tfa.lookup('elu') as ElementwiseActivation;
  const worst = (got: number[], want: number[]) =>
    Math.max(
      ...got.map((g, i) => (Object.is(Math.fround(want[i]), -0) !== Object.is(g, -0) ? Infinity : ulp(g, want[i]))),
    );
  expect(
    worst(
      r.out.squareplus,
      X.map(v => sp.forward(v, [4])),
    ),
  ).toBeLessThanOrEqual(4);
  expect(
    worst(
      r.out.elu,
      X.map(v => elu.derivative(v, [0.1])),
    ),
  ).toBeLessThanOrEqual(4);
  // softmax over axis 0 of [[-30, -3, -0.5, -0], [0, 1e-3, 2, 50]]
  const sm = X.map((v, i) => Math.exp(v) / (Math.exp(X[i % 4]) + Math.exp(X[4 + (i % 4)])));
  expect(worst(r.out.softmax, sm)).toBeLessThanOrEqual(4);
}

let dir: string;
beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {cwd: root}); // dist/ up to date
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfa-native-'));
}, 120000);
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

test('a missing library: one warning naming it, then the op chains', () => {
  const r = runChild(path.join(dir, 'missing', 'tfa_ops.node'));
  expect(r.warnings).toHaveLength(1);
  expect(r.warnings[0]).toMatch(/native TensorFlow ops are not available .*tfa_ops\.node not found.*op chains/);
  checkValues(r);
}, 60000);

test('a file that is not a library: one warning that it does not load, then the op chains', () => {
  const file = path.join(dir, 'bogus', 'tfa_ops.node');
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, 'not a shared library\n');
  const r = runChild(file);
  expect(r.warnings).toHaveLength(1);
  expect(r.warnings[0]).toMatch(/native TensorFlow ops are not available .*does not load/);
  checkValues(r);
}, 60000);

test('a library built for another libtensorflow (stock 2.9.1): not loaded, one warning, the op chains', () => {
  const file = path.join(dir, 'other', 'tfa_ops.node');
  fs.mkdirSync(path.dirname(file), {recursive: true});
  // a would-be crash if it were loaded: it is refused from its metadata before require()
  fs.writeFileSync(file, 'built against another libtensorflow\n');
  fs.writeFileSync(file.replace(/\.node$/, '.json'), JSON.stringify({tensorflow: '2.9.1'}));
  const r = runChild(file);
  expect(r.warnings).toHaveLength(1);
  expect(r.warnings[0]).toMatch(/built for libtensorflow 2\.9\.1, but tfjs-node runs 2\.21\.0/);
  checkValues(r);
}, 60000);

test('the built package finds build/native/tfa_ops.node by itself: no warning', () => {
  const r = runChild('');
  expect(r.warnings).toEqual([]);
  checkValues(r);
}, 60000);

test('TFJS_ACTIVATIONS_NATIVE=0 turns the library off without a warning', () => {
  const r = runChild('0');
  expect(r.warnings).toEqual([]);
  checkValues(r);
}, 60000);
