/**
 * The published shape of the package: `npm pack`, install the tarball into a
 * fresh scratch project with tfjs, and use it from `require`, from `import`
 * and from strict TypeScript.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';

const root = resolve(__dirname, '..');
const npm = process.env.npm_execpath;
function runNpm(args: string[], cwd: string): string {
  const [cmd, pre] = npm ? [process.execPath, [npm]] : ['npm', []];
  return execFileSync(cmd, [...pre, ...args], {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}
function node(args: string[], cwd: string): string {
  return execFileSync(process.execPath, args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfa-pack-'));
  runNpm(['pack', '--pack-destination', dir, '--ignore-scripts'], root);
  const tarball = readdirSync(dir).find(f => f.endsWith('.tgz'))!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'scratch', private: true, version: '1.0.0'}));
  writeFileSync(join(dir, '.npmrc'), 'ignore-scripts=true\n');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  runNpm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      `./${tarball}`,
      `@tensorflow/tfjs-core@${pkg.devDependencies['@tensorflow/tfjs-core']}`,
      `@tensorflow/tfjs-layers@${pkg.devDependencies['@tensorflow/tfjs-layers']}`,
      `@tensorflow/tfjs-backend-cpu@${pkg.devDependencies['@tensorflow/tfjs-backend-cpu']}`,
      `typescript@${pkg.devDependencies.typescript}`,
    ],
    dir,
  );
}, 300000);

afterAll(() => rmSync(dir, {recursive: true, force: true}));

test('the tarball holds the builds, the types and the README, and no sources or tests', () => {
  const listing = runNpm(['pack', '--dry-run', '--json', '--ignore-scripts'], root);
  const files = (JSON.parse(listing)[0].files as Array<{path: string}>).map(f => f.path);
  for (const f of [
    'dist/esm/index.js',
    'dist/cjs/index.js',
    'dist/types/index.d.ts',
    'dist/browser/tfjs-activations.min.js',
    'README.md',
    'package.json',
  ]) {
    expect(files).toContain(f);
  }
  expect(files.filter(f => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
});

test('require() works', () => {
  writeFileSync(
    join(dir, 'cjs.js'),
    `
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    const tfl = require('@tensorflow/tfjs-layers');
    const tfa = require('tfjs-activations');
    tf.setBackend('cpu').then(() => {
      const y = tfa.squareplus(tf.tensor1d([-0.5, 3]), {b: 4}).dataSync();
      const m = tfl.sequential({layers: [tfl.layers.dense({units: 2, inputShape: [1], activation: 'soft_shrink'})]});
      console.log(JSON.stringify({y: Array.from(y), act: m.layers[0].getConfig().activation}));
    });`,
  );
  const out = JSON.parse(node(['cjs.js'], dir).trim().split('\n').pop()!);
  expect(out.y[0]).toBeCloseTo(0.780776, 6);
  expect(out.y[1]).toBeCloseTo(3.302776, 6);
  expect(out.act).toBe('softShrink');
});

test('import works', () => {
  writeFileSync(
    join(dir, 'esm.mjs'),
    `
    import * as tf from '@tensorflow/tfjs-core';
    import '@tensorflow/tfjs-backend-cpu';
    import {squareplus, glu, layers} from 'tfjs-activations';
    await tf.setBackend('cpu');
    const y = squareplus([0, 1]).dataSync();
    const g = glu([[-1, 0, 1, 2, 3, 4]]).shape;
    console.log(JSON.stringify({y: Array.from(y), g, layer: layers.squareplus({b: 2}).getClassName()}));`,
  );
  const out = JSON.parse(node(['esm.mjs'], dir).trim().split('\n').pop()!);
  expect(out.y).toEqual([1, Math.fround((1 + Math.sqrt(5)) / 2)]);
  expect(out.g).toEqual([1, 3]);
  expect(out.layer).toBe('SquareplusActivation');
});

test('strict TypeScript compiles typed ops and ids, and rejects wrong options', () => {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'commonjs',
        target: 'es2019',
        moduleResolution: 'node',
        esModuleInterop: true,
        lib: ['es2020', 'dom'],
        types: [],
        // tfjs 4.22's own .d.ts files do not pass strict checks; users set this too
        skipLibCheck: true,
      },
      files: ['main.ts'],
    }),
  );
  writeFileSync(
    join(dir, 'main.ts'),
    `
    import * as tf from '@tensorflow/tfjs-core';
    import * as tfl from '@tensorflow/tfjs-layers';
    import * as tfa from 'tfjs-activations';
    const x: tf.Tensor = tf.tensor1d([1, 2]);
    const a: tf.Tensor = tfa.squareplus(x, {b: 2});
    const b: tf.Tensor = tfa.relu(x, {negativeSlope: 0.1, maxValue: null, threshold: 0.5});
    const c: tf.Tensor = tfa.threshold(x, {threshold: 1, defaultValue: 0});
    const d: tf.Tensor = tfa.softmax([[1, 2]], {axis: [0, 1]});
    const e: tf.Tensor = tfa.gelu(x, {approximate: true});
    const id: tfa.ActivationId = 'hard_swish';
    const dense = tfl.layers.dense({units: 4, activation: tfa.activationId('squareplus')});
    const layer = tfa.layers.softShrink({threshold: 0.3, name: 'shrink'});
    // @ts-expect-error b must be a number
    tfa.squareplus(x, {b: 'two'});
    // @ts-expect-error unknown option
    tfa.softShrink(x, {b: 1});
    // @ts-expect-error threshold needs its two values
    tfa.threshold(x);
    // @ts-expect-error not an activation id
    tfa.activationId('squarepluss');
    export {a, b, c, d, e, id, dense, layer};`,
  );
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  try {
    node([tsc, '-p', 'tsconfig.json'], dir);
  } catch (e) {
    output = String((e as {stdout?: string}).stdout) + String((e as {stderr?: string}).stderr);
  }
  expect(output).toBe('');
});

test('the Keras import works from the tarball: loadKerasModel from require() and import, and the convert bin', () => {
  const model = join(root, 'test', 'fixtures', 'models', 'f_mlp_two_inputs.keras');
  writeFileSync(
    join(dir, 'keras.cjs'),
    `
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    const tfa = require('tfjs-activations');
    tf.setBackend('cpu').then(async () => {
      const m = await tfa.loadKerasModel(${JSON.stringify(model)});
      console.log(JSON.stringify({cjs: m.outputs[0].shape}));
    });`,
  );
  writeFileSync(
    join(dir, 'keras.mjs'),
    `
    import * as tf from '@tensorflow/tfjs-core';
    import '@tensorflow/tfjs-backend-cpu';
    import {loadKerasModel} from 'tfjs-activations';
    await tf.setBackend('cpu');
    const m = await loadKerasModel(${JSON.stringify(model)});
    console.log(JSON.stringify({esm: m.outputs[0].shape}));`,
  );
  expect(JSON.parse(node(['keras.cjs'], dir).trim().split('\n').pop()!)).toEqual({cjs: [null, 5]});
  expect(JSON.parse(node(['keras.mjs'], dir).trim().split('\n').pop()!)).toEqual({esm: [null, 5]});
  const out = node(
    [join(dir, 'node_modules', '.bin', 'tfjs-activations'), 'convert', model, join(dir, 'web_model')],
    dir,
  );
  expect(out).toMatch(/parameters\s+201/);
  expect(readdirSync(join(dir, 'web_model')).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
});
