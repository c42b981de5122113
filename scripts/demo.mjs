// The main job: train a small model that uses new Keras 3 activations
// ('squareplus', 'soft_shrink', 'silu', a parameterised squareplus layer and
// a glu layer) on a synthetic regression task, save it to disk, load it
// back, and show that the predictions are identical — on cpu, and on the
// tensorflow backend (tfjs-node) when it is available.
import {createRequire} from 'node:module';
import {createServer} from 'node:http';
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2'; // keep TensorFlow's C++ info lines out of the table
let node = null;
try {
  node = require('@tensorflow/tfjs-node'); // registers 'tensorflow' and the file:// handlers
} catch (e) {
  console.log(`(tensorflow backend not available: ${e.message.split('\n')[0]})`);
}
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-cpu');
const tfa = require(join(root, 'dist', 'cjs', 'index.js'));

await tf.setBackend('cpu');
tf.backend().firstUse = false; // the cpu backend's one-time "install tfjs-node" hint: we did

// Synthetic task: y = |x0| − x1²/2 + sin(2·x0·x1)/4 on [−2, 2]².
function data(n, seed) {
  return tf.tidy(() => {
    const x = tf.randomUniform([n, 2], -2, 2, 'float32', seed);
    const [a, b] = tf.split(x, 2, 1);
    const y = tf
      .abs(a)
      .sub(b.square().div(2))
      .add(tf.sin(a.mul(b).mul(2)).div(4));
    return {x, y};
  });
}

function buildModel() {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        units: 32,
        inputShape: [2],
        activation: tfa.activationId('squareplus'),
        kernelInitializer: tf.initializers.glorotUniform({seed: 1}),
      }),
      tf.layers.dense({
        units: 32,
        activation: tfa.activationId('soft_shrink'),
        kernelInitializer: tf.initializers.glorotUniform({seed: 2}),
      }),
      tf.layers.dense({
        units: 32,
        activation: tfa.activationId('silu'),
        kernelInitializer: tf.initializers.glorotUniform({seed: 3}),
      }),
      tfa.layers.glu({axis: -1}), // 32 → 16
      tf.layers.dense({units: 16, kernelInitializer: tf.initializers.glorotUniform({seed: 4})}),
      tfa.layers.squareplus({b: 1}), // parameterised: b is saved with the model
      tf.layers.dense({units: 1, kernelInitializer: tf.initializers.glorotUniform({seed: 5})}),
    ],
  });
}

const train = data(512, 11);
const model = buildModel();
model.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError'});
const t0 = Date.now();
const history = await model.fit(train.x, train.y, {epochs: 60, batchSize: 64, verbose: 0, shuffle: false});
const losses = history.history.loss;
console.log(
  `Trained on cpu in ${((Date.now() - t0) / 1000).toFixed(1)} s: loss ${losses[0].toFixed(4)} → ${losses[losses.length - 1].toFixed(4)}`,
);
console.log(
  `Layers: ${model.layers.map(l => l.getClassName() + (l.activation ? `(${l.getConfig().activation})` : '')).join(' → ')}`,
);

// Save to disk.
const dir = join(root, 'demo-model');
rmSync(dir, {recursive: true, force: true});
mkdirSync(dir, {recursive: true});
const url = `file://${dir}`;
if (node) {
  await model.save(url);
} else {
  await model.save(
    tf.io.withSaveHandler(async a => {
      const {writeFileSync} = await import('node:fs');
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(a.weightData));
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          modelTopology: a.modelTopology,
          weightsManifest: [{paths: ['weights.bin'], weights: a.weightSpecs}],
        }),
      );
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
  );
}
const saved = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
const savedActs = saved.modelTopology.config.layers
  .map(l => l.config.activation ?? (l.config.b !== undefined ? `b=${l.config.b}` : l.class_name))
  .join(', ');
console.log(`Saved to ${dir}/model.json; activations as written: ${savedActs}`);

async function load() {
  if (node) return tf.loadLayersModel(`${url}/model.json`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const w = readFileSync(join(dir, 'weights.bin'));
  return tf.loadLayersModel(
    tf.io.fromMemory(
      json.modelTopology,
      json.weightsManifest[0].weights,
      w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength),
    ),
  );
}

const probe = [
  [-1.5, 0.5],
  [-0.25, -1],
  [0, 0],
  [0.7, 1.9],
  [1.8, -1.2],
];
const truth = probe.map(([a, b]) => Math.abs(a) - (b * b) / 2 + Math.sin(2 * a * b) / 4);
const predict = m => tf.tidy(() => Array.from(m.predict(tf.tensor2d(probe)).dataSync()));

const columns = {'target': truth, 'cpu trained': predict(model)};
const loadedCpu = await load();
columns['cpu loaded'] = predict(loadedCpu);
let tfCols = null;
if (node && (await tf.setBackend('tensorflow'))) {
  const loadedTf = await load();
  columns['tensorflow loaded'] = predict(loadedTf);
  tfCols = 'tensorflow loaded';
  await tf.setBackend('cpu');
}

// wasm (tfjs-backend-wasm, with this package's SIMD module on its heap): the same saved files.
try {
  require('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  const loadedWasm = await load();
  columns['wasm loaded'] = predict(loadedWasm);
  console.log(
    `wasm: the activations run ${(await tfa.wasmSimd()) === 'plain' ? 'in place on the heap (SIMD module)' : 'as JS loops on the heap'}`,
  );
  await tf.setBackend('cpu');
} catch (e) {
  console.log(`(wasm backend not available: ${e.message.split('\n')[0]})`);
}

// webgl: the same saved files, loaded and run in headless Chromium (SwiftShader).
try {
  columns['webgl loaded'] = await predictInChromium();
} catch (e) {
  console.log(`(webgl in Chromium not available: ${e.message.split('\n')[0]})`);
}
// webgpu: the same again on WebGPU (SwiftShader's Vulkan); a browser without a WebGPU adapter is said so.
try {
  columns['webgpu loaded'] = await predictInChromium('webgpu');
} catch (e) {
  console.log(`(webgpu in Chromium not available: ${e.message.split('\n')[0]}; the other columns stand)`);
}

const names = Object.keys(columns);
const width = 18;
console.log('\n' + ['input'.padEnd(14), ...names.map(n => n.padStart(width))].join(''));
probe.forEach((p, i) => {
  console.log([`[${p.join(', ')}]`.padEnd(14), ...names.map(n => columns[n][i].toFixed(7).padStart(width))].join(''));
});
const bits = a => Array.from(new Uint32Array(new Float32Array(a).buffer));
const same = JSON.stringify(bits(columns['cpu trained'])) === JSON.stringify(bits(columns['cpu loaded']));
console.log(`\ncpu: predictions after save/load are ${same ? 'bit-identical' : 'DIFFERENT'}.`);
if (columns['webgl loaded']) {
  const diff = Math.max(...columns['webgl loaded'].map((v, i) => Math.abs(v - columns['cpu loaded'][i])));
  console.log(`webgl vs cpu: max |difference| ${diff.toExponential(2)} (GPU float32 matmul).`);
}
if (columns['webgpu loaded']) {
  const diff = Math.max(...columns['webgpu loaded'].map((v, i) => Math.abs(v - columns['cpu loaded'][i])));
  console.log(`webgpu vs cpu: max |difference| ${diff.toExponential(2)} (GPU float32 matmul).`);
}
if (columns['wasm loaded']) {
  const diff = Math.max(...columns['wasm loaded'].map((v, i) => Math.abs(v - columns['cpu loaded'][i])));
  console.log(`wasm vs cpu: max |difference| ${diff.toExponential(2)} (XNNPACK matmul).`);
}
if (tfCols) {
  const diff = Math.max(...columns[tfCols].map((v, i) => Math.abs(v - columns['cpu loaded'][i])));
  console.log(`tensorflow vs cpu: max |difference| ${diff.toExponential(2)} (different matmul kernels).`);
}
if (!same) process.exit(1);

// A model saved by Keras 3 itself, imported with tfa.loadKerasModel (scripts/demo-keras.mjs).
const kerasDiff = await (await import('./demo-keras.mjs')).kerasDemo({tf, tfa});
if (!(kerasDiff <= 1e-5)) process.exit(1);

/**
 * Serves the repo on 127.0.0.1, loads demo-model/ in a page on webgl (or webgpu), returns its
 * predictions. Throws, with the reason, when the backend cannot run (no WebGPU adapter...).
 */
async function predictInChromium(backend = 'webgl') {
  const {ensureChromium, CHROMIUM_ARGS, WEBGPU_ARGS} = await import('./setup/chromium.mjs');
  const executablePath = await ensureChromium({log: () => {}});
  const {chromium} = require('playwright-core');
  const types = {
    '.js': 'text/javascript',
    '.json': 'application/json',
    '.html': 'text/html',
    '.bin': 'application/octet-stream',
  };
  const page = `<!doctype html><script src="/node_modules/@tensorflow/tfjs/dist/tf.min.js"></script>
    <script src="/node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js"></script>
    <script src="/dist/browser/tfjs-activations.min.js"></script>`;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    if (path === '/demo.html') return res.end(page);
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, {'content-type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream'});
    res.end(readFileSync(file));
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const args = backend === 'webgpu' ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : [...CHROMIUM_ARGS];
  const browser = await chromium.launch({executablePath, headless: true, args});
  try {
    const tab = await browser.newPage();
    await tab.goto(`${base}/demo.html`);
    return await tab
      .evaluate(
        async ({url, probe, backend}) => {
          if (backend === 'webgpu' && !(navigator.gpu && (await navigator.gpu.requestAdapter()))) {
            throw new Error('this browser has no WebGPU adapter');
          }
          if (!(await tf.setBackend(backend))) throw new Error(`${backend} backend did not start`);
          const model = await tf.loadLayersModel(url);
          const out = model.predict(tf.tensor2d(probe));
          const values = Array.from(await out.data());
          return [values, tf.getBackend()];
        },
        {url: `${base}/demo-model/model.json`, probe, backend},
      )
      .then(([values, ran]) => {
        if (ran !== backend) throw new Error(`page ran on ${ran}`);
        return values;
      });
  } finally {
    await browser.close();
    server.close();
  }
}
