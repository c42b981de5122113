// Coefficients of ta_exp64's polynomial in the WebAssembly SIMD module (src/backends/wasm_axis_source.ts):
// exp(r) ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2, P of degree DEG − 2, fitted by Remez exchange on the relative error
// (float64 arithmetic; the error is measured with expm1 on a grid of 200,001 points, against the Taylor
// polynomial of the same degree). Prints P's coefficients, lowest degree first.
//
//   node scripts/wasm/fit-exp64.mjs 9
const DEG = Number(process.argv[2] || 9),
  a = Math.LN2 / 2;
const K = DEG - 1; // P's coefficients c2..cDEG
function solve(A, b) {
  const n = b.length;
  A = A.map(r => [...r]);
  b = [...b];
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k < n; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  return b.map((v, i) => v / A[i][i]);
}
/** (1 + r + r²·P(r) − e^r)/e^r */
function err(c, r) {
  let q = 0;
  for (let j = c.length - 1; j >= 0; j--) q = q * r + c[j];
  return (r + r * r * q - Math.expm1(r)) / Math.exp(r);
}
let ref = Array.from({length: K + 1}, (_v, i) => -a * Math.cos((i * Math.PI) / K));
let c = [];
for (let it = 0; it < 40; it++) {
  // r²·P(r_i) + (−1)^i·E·e^(r_i) = expm1(r_i) − r_i
  const A = ref.map((r, i) => [...Array.from({length: K}, (_v, j) => r ** (j + 2)), (i & 1 ? 1 : -1) * Math.exp(r)]);
  c = solve(
    A,
    ref.map(r => Math.expm1(r) - r),
  ).slice(0, K);
  // the new reference: the largest |error| of each run of one sign
  const M = 20000,
    xs = Array.from({length: M + 1}, (_v, i) => -a + (2 * a * i) / M),
    es = xs.map(r => err(c, r));
  const ext = [];
  let best = 0;
  for (let i = 1; i <= M; i++) {
    if (Math.sign(es[i]) !== Math.sign(es[best])) {
      ext.push(best);
      best = i;
    } else if (Math.abs(es[i]) > Math.abs(es[best])) best = i;
  }
  ext.push(best);
  if (ext.length === K + 1) ref = ext.map(i => xs[i]);
}
const worst = cs => {
  let w = 0;
  for (let i = 0; i <= 200000; i++) w = Math.max(w, Math.abs(err(cs, -a + (2 * a * i) / 200000)));
  return Math.log2(w).toFixed(2);
};
const taylor = Array.from({length: K}, (_v, j) => {
  let f = 1;
  for (let q = 2; q <= j + 2; q++) f *= q;
  return 1 / f;
});
console.log(`degree ${DEG}: relative error 2^${worst(c)} (Taylor: 2^${worst(taylor)})`);
console.log(c.map(v => v.toPrecision(17)).join(', '));
