// Builds dist/: ESM and CommonJS bundles of the package (tfjs external),
// a browser bundle for script tags (global `tfa`, tfjs from the global `tf`),
// and the .d.ts files. Skips the work when dist/ is newer than every source.
import {build} from 'esbuild';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {jsfiveInternals} from './esbuild-jsfive.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function buildPackage({force = false, log = console.log} = {}) {
  const sources = Math.max(
    newest(join(root, 'src')),
    statSync(join(root, 'package.json')).mtimeMs,
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    statSync(join(root, 'scripts', 'esbuild-jsfive.mjs')).mtimeMs,
  );
  const {buildWasm, generatedPath} = await import('./build-wasm.mjs');
  if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= sources && existsSync(generatedPath)) return false;
  await buildWasm({log});
  log('build: dist/ (esm, cjs, browser, types)');
  const external = [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-layers',
    '@tensorflow/tfjs-backend-*',
    '@tensorflow/tfjs-node',
  ];
  const common = {
    entryPoints: [join(root, 'src/index.ts')],
    bundle: true,
    external,
    target: 'es2019',
    sourcemap: true,
    logLevel: 'warning',
  };
  // The Keras import code (src/keras/import: fflate, jsfive, config translation) is its own file in every
  // format, loaded by loadKerasModel on first use: keras-import.js next to index.js, and
  // tfjs-activations-keras.min.js (global `tfaKeras`) next to the script-tag bundle.
  const kerasImport = mode => ({
    name: 'keras-import',
    setup(b) {
      b.onResolve({filter: /^\.\/import\/index$/}, a => {
        if (!a.importer.endsWith(join('keras', 'load.ts'))) return undefined;
        return mode === 'script'
          ? {path: 'keras-import', namespace: 'keras-stub'}
          : {path: './keras-import.js', external: true};
      });
      b.onLoad({filter: /.*/, namespace: 'keras-stub'}, () => ({contents: 'module.exports = {};'}));
    },
  });
  const kerasEntry = {...common, entryPoints: [join(root, 'src/keras/import/index.ts')], plugins: [jsfiveInternals]};
  await build({...kerasEntry, format: 'esm', outfile: join(root, 'dist/esm/keras-import.js')});
  await build({...kerasEntry, format: 'cjs', outfile: join(root, 'dist/cjs/keras-import.js')});
  common.plugins = [kerasImport('module')];
  await build({...common, format: 'esm', outfile: join(root, 'dist/esm/index.js')});
  writeFileSync(join(root, 'dist/esm/package.json'), '{"type": "module"}\n');
  await build({...common, format: 'cjs', outfile: join(root, 'dist/cjs/index.js')});
  writeFileSync(join(root, 'dist/cjs/package.json'), '{"type": "commonjs"}\n');
  // Script-tag bundle: every tfjs import resolves to the page's global `tf`.
  const tfGlobal = {
    name: 'tf-global',
    setup(b) {
      b.onResolve({filter: /^@tensorflow\//}, a => ({path: a.path, namespace: 'tf-global'}));
      b.onLoad({filter: /.*/, namespace: 'tf-global'}, () => ({contents: 'module.exports = globalThis.tf;'}));
    },
  };
  await build({
    ...common,
    external: [],
    plugins: [tfGlobal, kerasImport('script')],
    format: 'iife',
    globalName: 'tfa',
    minify: true,
    define: {__TFA_KERAS_SCRIPT__: '"tfjs-activations-keras.min.js"'},
    outfile: join(root, 'dist/browser/tfjs-activations.min.js'),
  });
  await build({
    ...kerasEntry,
    external: [],
    plugins: [tfGlobal, jsfiveInternals],
    format: 'iife',
    globalName: 'tfaKeras',
    minify: true,
    outfile: join(root, 'dist/browser/tfjs-activations-keras.min.js'),
  });
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
    {stdio: 'inherit'},
  );
  mkdirSync(dirname(stamp), {recursive: true});
  writeFileSync(stamp, new Date().toISOString() + '\n');
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPackage({force: process.argv.includes('--force')});
}
