// Interleaved A/B timings for the WebAssembly SIMD kernels, in one process (the shared-machine noise hits
// every variant alike): on `wasm`, ours against tf.relu and the stock composite (forward and tf.grad); on
// `cpu`, ours through the chunked module against the JS loops (setCpuSimd(false)) and a Float32Array copy.
// Each round runs every variant once (a batch of calls), in a new random order; medians over the rounds.
//
//   node scripts/bench-wasm-ab.mjs --backend wasm --only relu6,hard_tanh --size 1M,64K --rounds 30
//
// Prints one line per activation and size: median ms per call and the ratios.
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {requireFromSources} from './build-wasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const backend = opt('--backend', 'wasm');
const only = opt('--only', '').split(',').filter(Boolean);
const sizes = opt('--size', '1M,64K')
  .split(',')
  .map(s => Math.round(parseFloat(s) * (s.endsWith('M') ? 1 << 20 : s.endsWith('K') ? 1 << 10 : 1)));
const rounds = Number(opt('--rounds', '30'));
const grad = !args.includes('--no-grad');

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-backend-wasm');
require('@tensorflow/tfjs-layers');
// The package from its sources, with the switches the public API does not export.
const tfa = await requireFromSources(
  "export * from './src/index';\nexport {setCpuSimd} from './src/backends/cpu_simd';\n" +
    "export {setWasmSimd} from './src/backends/wasm';\n",
  'bench-ab',
);
const core = require(join(root, 'bench', 'core.js'));
await tf.setBackend(backend);
await tf.ready();
if (backend === 'wasm') console.log(`wasm: module ${await tfa.wasmSimd()}`);

const median = a => {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
};
const comps = core.composites(tf, tfa);
const defs = tfa.definitions.filter(d => only.length === 0 || only.includes(d.keras) || only.includes(d.id));
for (const n of sizes) {
  for (const def of defs) {
    const params = def.bench ? def.bench.params : undefined;
    const shape = def.kind === 'axis' ? [n / 256, 256] : [n];
    const x = tf.tidy(() => tf.randomNormal(shape, 0, 2, 'float32', 7));
    const yShape = def.halvesAxis ? [shape[0], shape[1] / 2] : shape;
    const dy = tf.tidy(() => tf.randomNormal(yShape, 0, 1, 'float32', 11));
    const dyRelu = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', 11));
    const ours = () => tfa[def.id](x, params);
    const comp = comps[def.id];
    const compFn = comp.needsDetached ? xx => comp.fn(xx, x) : xx => comp.fn(xx, xx);
    const gOurs = tf.grad(xx => tfa[def.id](xx, params)),
      gComp = tf.grad(compFn),
      gRelu = tf.grad(xx => tf.relu(xx));
    const src = x.dataSync().slice();
    let sink;
    const variants = {
      ours: () => ours(),
      relu: () => tf.relu(x),
      composite: () => tf.tidy(() => compFn(x)),
    };
    if (backend === 'cpu') {
      // the JS loops: the module is switched off around the whole batch (see `timed` below)
      variants.js = () => ours();
      variants.copy = () => {
        sink = src.slice();
        return null;
      };
    }
    if (grad) {
      variants.gOurs = () => gOurs(x, dy);
      variants.gComp = () => gComp(x, dy);
      variants.gRelu = () => gRelu(x, dyRelu);
    }
    // a stock composite without a gradient in tfjs (e.g. through tf.greater): left out
    const keys = Object.keys(variants).filter(k => {
      try {
        const y = variants[k]();
        if (y !== null) y.dispose();
        return true;
      } catch {
        return false;
      }
    });
    const calls = Math.max(1, Math.round((1 << 18) / n) * 4);
    const times = Object.fromEntries(keys.map(k => [k, []]));
    // A new order every round (seeded): a fixed cyclic order would always time one variant right after the same
    // other one (at 1M, ours right after tf.grad(relu), which evicts the caches, and tf.relu right after ours).
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / (1 << 24);
    for (let r = -10; r < rounds; r++) {
      const order = [...keys];
      for (let j = order.length - 1; j > 0; j--) {
        const i = Math.floor(rand() * (j + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const k of order) {
        if (k === 'js') tfa.setCpuSimd(false);
        const t0 = performance.now();
        for (let c = 0; c < calls; c++) {
          const y = variants[k]();
          if (y !== null) y.dispose();
        }
        if (r >= 0) times[k].push((performance.now() - t0) / calls);
        if (k === 'js') {
          tfa.setCpuSimd(true);
          ours().dispose(); // the chunk buffer back (a new instance), untimed
        }
      }
    }
    if (sink !== undefined && sink.length !== src.length) throw new Error('copy');
    const m = Object.fromEntries(Object.keys(variants).map(k => [k, keys.includes(k) ? median(times[k]) : NaN]));
    const f = v => (v < 0.1 ? v.toFixed(4) : v.toFixed(3));
    let line = `${backend} ${n >= 1 << 20 ? n / (1 << 20) + 'M' : n / 1024 + 'K'} ${def.keras}: ours ${f(m.ours)} ms`;
    line += ` ×relu ${(m.ours / m.relu).toFixed(2)} comp/ours ${(m.composite / m.ours).toFixed(2)}`;
    if (backend === 'cpu') line += ` ours/js ${(m.ours / m.js).toFixed(2)} ×copy ${(m.ours / m.copy).toFixed(2)}`;
    if (grad) line += ` | grad ${f(m.gOurs)} ms comp/ours ${(m.gComp / m.gOurs).toFixed(2)}`;
    console.log(line);
    [x, dy, dyRelu].forEach(t => t.dispose());
  }
}
