// Runs the benchmark core on one Node backend, in its own process so that
// backends never share a heap or a thread pool, and writes the result as JSON.
//
//   node bench/node.cjs --backend cpu|tensorflow --sizes 1048576,65536 --out FILE [--quick] [--only a,b]
'use strict';
const fs = require('fs');
const path = require('path');
const core = require('./core.js');

const root = path.join(__dirname, '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

function loadTf(backend) {
  if (backend === 'cpu') {
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    require('@tensorflow/tfjs-layers'); // registers tfjs's gradients
    return tf;
  }
  if (backend === 'tensorflow') return require('@tensorflow/tfjs-node');
  if (backend === 'wasm') {
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-wasm');
    require('@tensorflow/tfjs-layers'); // registers tfjs's gradients
    return tf;
  }
  throw new Error(`unknown Node backend '${backend}' (cpu or tensorflow)`);
}

/**
 * Counts native op launches. The tfjs-node backend sends every op through
 * `executeSingleOutput` / `executeMultipleOutputs`, which call the N-API
 * binding's `executeOp`; kernels may also call `binding.executeOp` directly.
 * The binding's properties are read-only, so the backend gets a stand-in
 * binding whose `executeOp` counts (everything else is inherited): that
 * counts both paths. Failing that, the two backend methods are wrapped.
 */
function installNativeCounter(tfBackend) {
  let count = 0;
  const counted = original =>
    function (...a) {
      count++;
      return original.apply(this, a);
    };
  const binding = tfBackend.binding;
  if (binding && typeof binding.executeOp === 'function') {
    const original = binding.executeOp;
    const standIn = Object.create(binding);
    Object.defineProperty(standIn, 'executeOp', {
      value: (...a) => {
        count++;
        return original.apply(binding, a);
      },
    });
    tfBackend.binding = standIn;
    if (tfBackend.binding === standIn) return () => count;
  }
  for (const name of ['executeSingleOutput', 'executeMultipleOutputs']) {
    if (typeof tfBackend[name] !== 'function') return undefined;
    tfBackend[name] = counted(tfBackend[name]);
  }
  return () => count;
}

async function main() {
  const backend = arg('backend', 'cpu');
  const out = arg('out');
  const sizes = core.parseSizes(arg('sizes', '1M,64K'));
  const only = arg('only') ? arg('only').split(',') : undefined;
  const quick = process.argv.includes('--quick');
  // --no-wasm: the package loads without WebAssembly, so cpu runs its JS loops (the A/B of docs/wasm.md)
  if (process.argv.includes('--no-wasm')) globalThis.WebAssembly = undefined;
  const meta = {backend, node: process.version};
  let result;
  try {
    const tf = loadTf(backend);
    if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
    await tf.ready();
    const tfa = require(path.join(root, 'dist', 'cjs', 'index.js'));
    meta.tfjs = tf.version_core;
    if (backend === 'tensorflow') {
      meta.tfjsNode = tf.version && tf.version['tfjs-node'];
      meta.libtensorflow = tf.backend().binding && tf.backend().binding.TF_Version;
    }
    const countNative = backend === 'tensorflow' ? installNativeCounter(tf.backend()) : undefined;
    result = await core.run({
      tf,
      tfa,
      backend,
      sizes,
      quick,
      only,
      // the copy floors only where a target uses them (cpu): elsewhere their 4 MB JS arrays per call
      // only leave garbage that the next variant's allocations pay for
      copy: backend === 'cpu',
      countNative,
      log: msg => process.stderr.write(`[bench] ${msg}\n`),
    });
    result.meta = meta;
  } catch (e) {
    result = {backend, error: String((e && e.stack) || e), meta};
  }
  const json = JSON.stringify(result);
  if (out) fs.writeFileSync(out, json);
  else process.stdout.write(json + '\n');
}

main().catch(e => {
  process.stderr.write(String((e && e.stack) || e) + '\n');
  process.exit(1);
});
