// Checks that the SIMD module's exact hard_sigmoid body, the product (x + 3)·fl(1/6) clamped to [0, 1] (what the
// cpu kernels run through the module), equals the JS loop's (x + 3)/6 (the division) bit for bit on every float32
// in (−3.5, 3.5), both signs: about 2.2 G inputs, half a minute.
//
//   node scripts/check-hard-sigmoid-wasm.mjs
import {requireFromSources} from './build-wasm.mjs';

const {instantiate} = await requireFromSources(
  "export {instantiate} from './src/backends/wasm_module';\n",
  'check-hard-sigmoid',
);
const memory = new globalThis.WebAssembly.Memory({initial: 256});
const loops = instantiate(memory);
if (loops === null) throw new Error('no WebAssembly SIMD here');
const N = 1 << 20,
  OUT = 8 << 20;
const xb = new Uint32Array(memory.buffer, 0, N),
  x = new Float32Array(memory.buffer, 0, N),
  yb = new Uint32Array(memory.buffer, OUT, N);
const ref = new Float32Array(N),
  refb = new Uint32Array(ref.buffer);
const end = 0x40600000; // 3.5
let bad = 0,
  checked = 0;
for (const sign of [0, 0x80000000]) {
  for (let base = 0; base < end; base += N) {
    const n = Math.min(N, end - base);
    for (let i = 0; i < n; i++) xb[i] = (sign | (base + i)) >>> 0;
    loops.hard_sigmoid_f(0, OUT, Math.ceil(n / 16) * 16, 1, 0, 0, 0, 0); // 1: the exact body
    for (let i = 0; i < n; i++) {
      const v = x[i];
      ref[i] = v <= -3 ? 0 : v >= 3 ? 1 : (v + 3) / 6;
    }
    for (let i = 0; i < n; i++) {
      if (refb[i] !== yb[i] && bad++ < 5) console.log(`x = ${x[i]}: module ${yb[i]}, JS ${refb[i]} (bits)`);
    }
    checked += n;
  }
}
console.log(`hard_sigmoid: ${checked} float32 inputs checked, ${bad} differ`);
if (bad > 0) process.exitCode = 1;
