// softmax's forward row loop in the WebAssembly SIMD module against float64 truth: rows of 16 to 1024 elements
// drawn from N(0, s²) at scales s = 2^-6 … 2^6, run through the module's `softmax_rf` on a memory of its own,
// each output compared with fround(exp(x_j − max)/Σ exp(x_k − max)) in float64. Prints the ULP histogram.
// Build the module first (npm run build, or node scripts/build-wasm.mjs).
//
//   node scripts/wasm/softmax-ulp.mjs [outputs, default 93e6]
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const {WASM_BASE64} = createRequire(import.meta.url)(join(root, 'src', 'generated', 'wasm_module.js'));
const memory = new globalThis.WebAssembly.Memory({initial: 160});
const module = new globalThis.WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
const {softmax_rf: rows} = new globalThis.WebAssembly.Instance(module, {env: {memory}}).exports;
const N = 1 << 20,
  f32 = new Float32Array(memory.buffer);
let seed = 1;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-300)) * Math.cos(2 * Math.PI * rnd());
const bits = new Float32Array(1),
  ints = new Int32Array(bits.buffer);
const ordinal = v => ((bits[0] = v), ints[0] < 0 ? -(ints[0] & 0x7fffffff) : ints[0]);
const target = Number(process.argv[2] ?? 93e6),
  lengths = [16, 32, 64, 128, 256, 512, 1024, 48, 80, 1000],
  hist = new Map();
let total = 0;
for (let it = 0; total < target; it++) {
  const n = lengths[it % lengths.length],
    s = 2 ** ((it % 13) - 6),
    count = Math.floor(N / n);
  for (let i = 0; i < count * n; i++) f32[i] = gauss() * s;
  const done = rows(0, N * 4, count, n); // rows with a NaN or +inf stop it: there are none here
  for (let r = 0; r < done; r++) {
    const o = r * n;
    let m = -Infinity,
      sum = 0;
    for (let j = 0; j < n; j++) m = Math.max(m, f32[o + j]);
    for (let j = 0; j < n; j++) sum += Math.exp(f32[o + j] - m);
    for (let j = 0; j < n; j++) {
      const u = Math.abs(ordinal(f32[N + o + j]) - ordinal(Math.fround(Math.exp(f32[o + j] - m) / sum)));
      hist.set(u, (hist.get(u) ?? 0) + 1);
    }
  }
  total += done * n;
}
const line = [...hist].sort((a, b) => a[0] - b[0]).map(([u, c]) => `${u}: ${c}`);
console.log(`softmax forward, ${total} outputs, ULP against float64 truth: ${line.join(', ')}`);
