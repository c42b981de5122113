// Import-time benchmark for Keras models (part of `npm run bench`; or run alone:
// `node bench/keras-import.mjs [--repeats N]`).
//
// In Node on the cpu backend, from bytes already in memory: tfa.loadKerasModel on
// EfficientNetB0's `.keras` archive (and its legacy `.h5`) against
// tf.loadLayersModel on the same model already converted (model.json + weights
// in memory, io.fromMemory). Median of N (21) alternating runs after one warm-up,
// each run starting after a full garbage collection (so that neither side
// pays for the other's garbage); wall time, and as other views on a loaded
// machine the process's CPU time (all threads, GC included) and the main
// thread's CPU time (mean). Target: loadKerasModel within 2× of
// loadLayersModel. Timings only report, they never fail anything. Writes
// bench/keras-import.json.
import {readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const repeats = Number(process.argv.includes('--repeats') ? process.argv[process.argv.indexOf('--repeats') + 1] : 21);
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
const tfl = await import('@tensorflow/tfjs-layers');
const tfa = await import(pathToFileURL(join(root, 'dist', 'esm', 'index.js')).href);
tf.env().set('PROD', true);
await tf.setBackend('cpu');

const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
// CPU time of the main thread alone (Linux: utime + stime of the thread in 10 ms ticks), summed over all
// runs: the least disturbed view on a loaded machine (no waiting for a core, no GC helper threads)
const mainThreadMs = () => {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return 10 * (Number(f[11]) + Number(f[12]));
  } catch {
    return NaN;
  }
};

async function measure(file) {
  const bytes = new Uint8Array(readFileSync(join(root, '.cache', 'keras-zoo', file)));
  const {modelJSON, shards} = await tfa.convertKerasModel(bytes);
  const total = shards.reduce((n, s) => n + s.data.length, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const s of shards) {
    weightData.set(s.data, off);
    off += s.data.length;
  }
  const artifacts = {
    modelTopology: modelJSON.modelTopology,
    weightSpecs: modelJSON.weightsManifest[0].weights,
    weightData: weightData.buffer,
  };
  const time = async f => {
    gc();
    const c0 = process.cpuUsage();
    const m0 = mainThreadMs();
    const t0 = performance.now();
    const m = await f();
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const mt = mainThreadMs() - m0;
    m.dispose();
    return [t, (c.user + c.system) / 1000, mt];
  };
  const keras = [],
    layers = [];
  for (let i = 0; i <= repeats; i++) {
    const a = await time(() => tfa.loadKerasModel(bytes));
    const b = await time(() => tfl.loadLayersModel(tf.io.fromMemory(artifacts)));
    if (i > 0) {
      // the first round warms up
      keras.push(a);
      layers.push(b);
    }
  }
  const row = {
    file,
    bytes: bytes.length,
    loadKerasModelMs: median(keras.map(k => k[0])),
    loadLayersModelMs: median(layers.map(l => l[0])),
    loadKerasModelCpuMs: median(keras.map(k => k[1])),
    loadLayersModelCpuMs: median(layers.map(l => l[1])),
    loadKerasModelMainThreadMs: keras.reduce((n, k) => n + k[2], 0) / keras.length,
    loadLayersModelMainThreadMs: layers.reduce((n, l) => n + l[2], 0) / layers.length,
  };
  row.ratio = row.loadKerasModelMs / row.loadLayersModelMs;
  row.cpuRatio = row.loadKerasModelCpuMs / row.loadLayersModelCpuMs;
  row.mainThreadRatio = row.loadKerasModelMainThreadMs / row.loadLayersModelMainThreadMs;
  return row;
}

const rows = [];
for (const file of ['efficientnet_b0.keras', 'efficientnet_b0.h5']) rows.push(await measure(file));
const lines = [
  '',
  '== Keras import, Node, cpu backend, from bytes in memory (median ms of ' + repeats + ')',
  'file                     MB    loadKerasModel  loadLayersModel(converted)  ratio  target ≤ 2×   CPU ms (ratio)' +
    '   main thread ms, mean (ratio)',
];
for (const r of rows) {
  lines.push(
    `${r.file.padEnd(22)} ${(r.bytes / 1e6).toFixed(1).padStart(5)}  ${r.loadKerasModelMs.toFixed(0).padStart(14)}` +
      `  ${r.loadLayersModelMs.toFixed(0).padStart(26)}  ${r.ratio.toFixed(2).padStart(5)}  ` +
      `${(r.ratio <= 2 ? 'met' : 'missed').padEnd(11)}  ${r.loadKerasModelCpuMs.toFixed(0)} / ` +
      `${r.loadLayersModelCpuMs.toFixed(0)} (${r.cpuRatio.toFixed(2)})`.padEnd(17) +
      `${r.loadKerasModelMainThreadMs.toFixed(0)} / ${r.loadLayersModelMainThreadMs.toFixed(0)} ` +
      `(${r.mainThreadRatio.toFixed(2)})`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
writeFileSync(join(root, 'bench', 'keras-import.json'), JSON.stringify({repeats, rows}, null, 2) + '\n');
