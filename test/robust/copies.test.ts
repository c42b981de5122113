/**
 * Two copies of the built package in one process (dist/cjs copied to two
 * directories, as two versions side by side or one bundled twice would be):
 * the first registers, the second warns once in one line naming the copy
 * that won, and both keep working. Runs in a child Node process, so that the
 * copies share one real tfjs-core as they would in an application.
 */
import {execFileSync} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ROOT, buildBrowserBundle} from '../browser/harness';
import {version} from '../../src/version';

test('src/version.ts matches package.json', () => {
  expect(version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
});

test('two copies register once, warn once, and both work', () => {
  buildBrowserBundle(); // builds dist/ (cjs included) when it is out of date
  const dir = mkdtempSync(join(tmpdir(), 'tfa-copies-'));
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const copy of ['first', 'second']) cpSync(join(ROOT, 'dist', 'cjs'), join(dir, copy), {recursive: true});
    writeFileSync(
      join(dir, 'run.js'),
      `
const warnings = [];
console.warn = (...a) => warnings.push(a.map(String).join(' '));
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const first = require('./first/index.js');
const second = require('./second/index.js');
(async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor2d([[-3, 0, 2, 50]]);
  const ops = [first, second].map(p => p.squareplus(x, {b: 1}).arraySync()[0]);
  const grads = [first, second].map(p => tf.grad(t => p.softmax(t))(x, tf.tensor2d([[1, 2, 3, 4]])).arraySync()[0]);
  const layer = second.layers.softShrink({threshold: 1});
  const model = tfl.sequential({layers: [tfl.layers.dense({units: 4, inputShape: [4], activation: second.activationId('squareplus'),
                                                         kernelInitializer: 'identity', useBias: false}), layer]});
  const fromModel = model.predict(x).arraySync()[0];
  let strict = '';
  try { second.squareplus(x, {bb: 1}); } catch (e) { strict = e.message; }
  process.stdout.write(JSON.stringify({warnings, ops, grads, fromModel, strict}));
})().catch(e => { process.stdout.write(JSON.stringify({error: String(e && e.stack || e)})); });
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'run.js')], {cwd: dir, encoding: 'utf8'}));
    expect(out.error).toBeUndefined();
    const ours = (out.warnings as string[]).filter(w => !/running TensorFlow\.js in Node\.js/.test(w));
    expect(ours).toHaveLength(1);
    expect(ours[0]).not.toContain('\n');
    expect(ours[0]).toMatch(
      new RegExp(
        `^tfjs-activations: another copy is already loaded \\(${version} from .*first.*\\); ` +
          `.*this copy \\(${version} from .*second.*\\) uses them\\.$`,
      ),
    );
    // both copies compute squareplus (float64 reference: (x + √(x² + b))/2) and the same softmax gradient
    const sq = (v: number, b = 1) => Math.fround((v + Math.sqrt(v * v + b)) / 2);
    for (const y of out.ops) expect(y).toEqual([-3, 0, 2, 50].map(v => sq(v)));
    expect(out.grads[0]).toEqual(out.grads[1]);
    // dense (identity kernel) → squareplus (Keras default b = 4) → softShrink(1)
    const shrink = (v: number) => (v > 1 ? v - 1 : v < -1 ? v + 1 : 0);
    expect(out.fromModel).toEqual([-3, 0, 2, 50].map(v => Math.fround(shrink(sq(v, 4)))));
    expect(out.strict).toMatch(/did you mean 'b'/);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}, 180000);
