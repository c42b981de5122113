/**
 * Row kernels of the axis activations (softmax, log_softmax, glu) in the WebAssembly SIMD module: one exported
 * loop per definition and direction runs the definition's `wasm` row body over contiguous rows along the last
 * axis (glu: over whole outer slabs, its two halves contiguous along any axis), in place on the wasm backend's
 * heap. A row body returns 0 for a row without a finite maximum (a NaN or +inf
 * in it, or only −inf): the exported loop stops there and returns the number of rows done, the JS loop does
 * that row (docs/non-finite.md's rules live in one place) and calls the module again for the rest.
 *
 * The helpers below (`ta_row_*`) are the shared passes: the maximum (pmax lanes, NaN flagged separately), the
 * first index of the maximum, exp(x − max) with x − max split exactly (TwoSum) in float32 lanes, and the same
 * in float64 lanes for the gradients (whose sums cancel, so their exponentials must be better than float32).
 */
import type {ActivationDefinition, AxisActivation} from '../definition';

/** Exported function names of one axis activation's row loops. */
export function wasmAxisExports(def: AxisActivation): {forward: string; backward: string} {
  return {forward: `${def.keras}_rf`, backward: `${def.keras}_rb`};
}

/** The axis activations the module has row loops for. */
export function wasmAxisDefinitions(defs: readonly ActivationDefinition[]): AxisActivation[] {
  return defs.filter((d): d is AxisActivation => d.kind === 'axis' && d.wasm !== undefined);
}

export const WASM_AXIS_HELPERS = String.raw`
// ---- rows along the last axis (the axis activations' row bodies use these) ----
// Four float32 of p, or k < 4 of them in lanes 0..k−1 and pad in the others; and back (constant lanes: no stack).
WM F ldk(const float *p, int k, float pad) {
  if (k >= 4) return ld4(p);
  v128_t v = wasm_f32x4_splat(pad);
  if (k > 0) v = wasm_f32x4_replace_lane(v, 0, p[0]);
  if (k > 1) v = wasm_f32x4_replace_lane(v, 1, p[1]);
  if (k > 2) v = wasm_f32x4_replace_lane(v, 2, p[2]);
  return (F)v;
}
WM void stk(float *p, F v, int k) {
  if (k >= 4) return st4(p, v);
  if (k > 0) p[0] = v[0];
  if (k > 1) p[1] = v[1];
  if (k > 2) p[2] = v[2];
}
WM double hsum(D v) { return v[0] + v[1]; }
// The row in vectors of four: j the first index, k = n − j the elements left (the last vector: k < 4 of them,
// through ldk/stk). One copy of the body (the rows' bodies inline their exponentials).
#define ROW_LOOP(j, k) for (int j = 0, k = n; j < n; j += 4, k -= 4)
// The row's maximum; NaN when the row holds a NaN or +inf or only −inf (the JS loop does such rows). With Min, also
// the row's minimum in *mn (softmax's forward: which exact split its rows take, and whether a lane is far). With Min
// or !Nan, a NaN in the row is not looked for (pmax and pmin pass over it): the caller finds it in its sum of
// exponentials.
template <bool Min, bool Nan = !Min>
WM float ta_row_extremes(const float *x, int n, float *mn) {
  F m0 = F{} - INF, m1 = m0, n0 = F{} + INF, n1 = n0;
  I32 bad = I32{};
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    F a = ld4(x + j), b = ld4(x + j + 4);
    m0 = wm_pmax(m0, a);
    m1 = wm_pmax(m1, b);
    if (Min) {
      n0 = wm_pmin(n0, a);
      n1 = wm_pmin(n1, b);
    }
    if (Nan) bad |= (a != a) | (b != b);
  }
  for (; j + 4 <= n; j += 4) {
    F a = ld4(x + j);
    m0 = wm_pmax(m0, a);
    if (Min) n0 = wm_pmin(n0, a);
    if (Nan) bad |= a != a;
  }
  F a = ldk(x + j, n - j, -INF);
  m0 = wm_pmax(wm_pmax(m0, a), m1);
  if (Nan) bad |= a != a;
  m0 = wm_pmax(m0, __builtin_shufflevector(m0, m0, 2, 3, 0, 1));
  m0 = wm_pmax(m0, __builtin_shufflevector(m0, m0, 1, 0, 3, 2));
  if (Min) {
    F b = ldk(x + j, n - j, INF);
    n0 = wm_pmin(wm_pmin(n0, b), n1);
    n0 = wm_pmin(n0, __builtin_shufflevector(n0, n0, 2, 3, 0, 1));
    n0 = wm_pmin(n0, __builtin_shufflevector(n0, n0, 1, 0, 3, 2));
    *mn = n0[0];
  }
  float m = m0[0];
  return wasm_v128_any_true((v128_t)bad) || !(m > -INF && m < INF) ? __builtin_nanf("") : m;
}
WMC float ta_row_max(const float *x, int n) { return ta_row_extremes<false>(x, n, nullptr); }
// The same without the test for NaN (the caller's sum of exponentials finds it).
WM float ta_row_max_nonan(const float *x, int n) { return ta_row_extremes<false, false>(x, n, nullptr); }
// Inline: mn is the caller's.
WM float ta_row_maxmin(const float *x, int n, float &mn) { return ta_row_extremes<true>(x, n, &mn); }
// The first index of m in the row (m is in it).
WMC int ta_row_first(const float *x, int n, float m) {
  F mv = F{} + m;
  int j = 0;
  for (; j + 4 <= n; j += 4) if (wasm_v128_any_true((v128_t)(ld4(x + j) == mv))) break;
  while (x[j] != m) j++;
  return j;
}
// exp(x − m)·2^64 for x ≤ m (m finite) in float32 lanes: x − m = d + lo exactly (TwoSum), exp(d + lo) by the
// float32 exp with lo added to the reduced argument; 0 where x − m < −128 (also −inf). Scaled by 2^64, results
// stay normal down to x − m = −128 (one-step 2^k), so that a product with them is rounded once.
WM F ta_expshift(F x, F m) {
  F d = x - m, t = d - x;
  F lo = (x - (d - t)) + (-m - t);
  I32 far = d < -128.0f;
  F dc = wm_pmax(d, -128.0f);
  const float shift = 12582912.0f + 127 + 64;  // kd's low bits are k + 127 + 64
  F kd = dc * 1.44269504f + shift, k = kd - shift;
  F r = ((dc - k * 0.693359375f) - k * -2.12194440e-4f) + wm_andnot(lo, far);
  return wm_andnot(wm_exp_poly(r) * (F)((I32)kd << 23), far);
}
// The same for x − m ≥ −87 only (results normal; other lanes get some value, which the caller flags): no clamps.
// V = 0: lo by TwoSum (six operations); V = 1, when no |x| has a larger exponent than m's (every |x| < 2^(e + 1),
// 2^e ≤ |m| < 2^(e + 1)): by Fast2Sum(−m, x), exact under that exponent condition (Dekker), in three operations: the
// same exact lo, the same bits.
template <int V> WM F ta_expshift_near(F x, F m) {
  F d = x - m, lo;
  if (V == 1) {
    lo = x - (d + m);
  } else {
    F t = d - x;
    lo = (x - (d - t)) + (-m - t);
  }
  const float shift = 12582912.0f + 127 + 64;
  F kd = d * 1.44269504f + shift, k = kd - shift;
  // d − k·ln2_hi is exact; lo and k·ln2_lo are added first (one dependent step fewer, and r rounded once)
  // exp(r) as (1 + r) + r²·P(r), P of degree 4 the minimax fit of scripts/wasm/fit-exp64.mjs 6 (2^-27.8) in float32,
  // Estrin's form: one operation fewer than 1 + r·q(r) (softmax's forward 2.5 % faster; over 93 M outputs of rows of
  // 16 to 1024 at scales 2^-6…2^6 against float64 truth, 103 at 4 ULP where 1 + r·q(r) had 1, none above 4)
  F r = (d - k * 0.693359375f) + (lo - k * -2.12194440e-4f), r2 = r * r;
  F p = (1 + r) + r2 * ((0.49999998f + r * 0.16666506f) + r2 * ((0.04166709f + r * 0.008370263f) + r2 * 0.0013893403f));
  return p * (F)((I32)kd << 23);
}
// A row whose last pass is left for later: its outputs times scale (softmax's normalisation, which the next row's
// exponential pass or the row loop's end does: see ta_row_exp).
struct Pending {
  float *row;
  F scale;
};
// y *= iv over a row of n.
WM void ta_row_scale(float *y, int n, F iv) {
  if ((n & 15) == 0) {
    for (int j = 0; j < n; j += 16) {
      F a = ld4(y + j), b = ld4(y + j + 4), c = ld4(y + j + 8), d = ld4(y + j + 12);
      st4(y + j, a * iv), st4(y + j + 4, b * iv), st4(y + j + 8, c * iv), st4(y + j + 12, d * iv);
    }
  } else if ((n & 3) == 0) {
    for (int j = 0; j < n; j += 4) st4(y + j, ld4(y + j) * iv);
  } else {
    ROW_LOOP(j, k) stk(y + j, ldk(y + j, k, 0) * iv, k);
  }
}
// The same out of line (one copy), and the pending row's pass, if any (inline: the module uses no stack).
WMC void ta_row_scale_call(float *y, int n, F iv) { ta_row_scale(y, n, iv); }
WM void ta_settle(Pending &later, int n) {
  if (later.row != nullptr) ta_row_scale_call(later.row, n, later.scale);
  later.row = nullptr;
}
// Σ_j exp(x_j − m) (rest false), or rest = Σ over every j but the first maximum (rest true: the others at the
// maximum add exactly 1 each), float32 exponentials summed in float64; exp(x_j − m)·2^64 stored into e (float32).
// Rows of a multiple of 4 whose elements are all within 87 of m take a lean loop (no tails, no clamps; for a
// multiple of 16 and no rest, four vectors per iteration, all loaded before any is computed, as the elementwise
// loops: softmax 1.99 → 1.52 ms per 1M in rows of 256, the same sums; with rest, log_softmax's, it was slower;
// there, the four vectors are added in float32, (w0 + w1) + (w2 + w3), before one widening: two roundings of sums
// of positive terms); the others (or when a lane was far) the general one. Two vectors per iteration, or eight,
// were 0.86× as fast. With Later, the lean loop also does the pending row's pass (a row of n as well) on the same
// j: its loads and stores overlap the exponentials' arithmetic, where a pass of its own was bound by them
// (softmax 1.10 → 1.03 ms per 1M in rows of 256, the same outputs).
template <int V, bool Later> WM double ta_row_exp16(const float *x, float *e, int n, F mv, float *py, F piv) {
  D s0 = D{}, s1 = D{};
  F v[4];
  _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++) v[q] = ld4(x + 4 * q);
  for (int j = 0; j < n; j += 16) {
    F w[4];
    _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++) w[q] = ta_expshift_near<V>(v[q], mv);
    // the next block's x (this block's again at the end of the row) loaded before this block's stores: the heap
    // puts a new output 64 bytes past a multiple of 4096 from its input, where those loads came right after stores
    // with the same low 12 address bits (4K aliasing): rows of 1024 per 1M 1.045 → 0.988 ms, tf.softmax 0.995
    int k = j + 16 < n ? j + 16 : j;
    _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++) v[q] = ld4(x + k + 4 * q);
    _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++) st4(e + j + 4 * q, w[q]);
    if (Later) {
      _Pragma("clang loop unroll(full)") for (int q = 0; q < 4; q++) st4(py + j + 4 * q, ld4(py + j + 4 * q) * piv);
    }
    F p = (w[0] + w[1]) + (w[2] + w[3]);
    s0 += f64(p);
    s1 += f64(high(p));
  }
  return hsum(s0 + s1) * 0x1p-64;
}
// later (softmax's forward): a pending row's pass, done here (in the lean loop, or before the others).
WM double ta_row_exp(const float *x, float *e, int n, float m, bool rest, float mn = -INF, Pending *later = nullptr) {
  F mv = F{} + m;
  if (!rest && (n & 15) == 0) {
    // no lane far (mn: the row's minimum; the float32 difference is monotonic in x): the lean loop, without a far
    // test per vector, and with the cheaper exact split where its exponent condition holds for the whole row (every
    // x > −2^(e + 1): 98 % of the rows of 256 from N(0, 2²), against 50 % for |x| ≤ m; softmax 1.32 → 1.18 ms per 1M)
    if (!(mn - m < -87.0f)) {
      float lim = __builtin_bit_cast(float, (__builtin_bit_cast(int, m) & 0x7f800000) + 0x00800000);
      if (later != nullptr) {
        // (no pending row: this row's own outputs times 1, where a second copy of each loop would cost 1.1 KB)
        float *py = later->row != nullptr ? later->row : e;
        F piv = later->row != nullptr ? later->scale : F{} + 1;
        later->row = nullptr;
        if (mn > -lim) return ta_row_exp16<1, true>(x, e, n, mv, py, piv);
        return ta_row_exp16<0, true>(x, e, n, mv, py, piv);
      }
      if (mn > -lim) return ta_row_exp16<1, false>(x, e, n, mv, nullptr, mv);
      return ta_row_exp16<0, false>(x, e, n, mv, nullptr, mv);
    }
  }
  if (later != nullptr) ta_settle(*later, n);
  if ((rest || (n & 15) != 0) && (n & 3) == 0) {
    D s0 = D{}, s1 = D{};
    I32 far = I32{}, ties = I32{};
    for (int j = 0; j < n; j += 4) {
      F v = ld4(x + j), ev = ta_expshift_near<0>(v, mv);
      st4(e + j, ev);
      far |= v - mv < -87.0f;
      if (rest) {
        I32 eq = v == mv;
        ev = wm_andnot(ev, eq);
        ties -= eq;
      }
      s0 += f64(ev);
      s1 += f64(high(ev));
    }
    double t = rest ? (double)(ties[0] + ties[1] + ties[2] + ties[3] - 1) : 0;
    if (!wasm_v128_any_true((v128_t)far)) return hsum(s0 + s1) * 0x1p-64 + t;
  }
  D s = D{};
  I32 ties = I32{};
  ROW_LOOP(j, k) {
    F v = ldk(x + j, k, -INF), ev = ta_expshift(v, mv);
    stk(e + j, ev, k);
    if (rest) {
      I32 eq = v == mv;
      ev = wm_andnot(ev, eq);
      ties -= eq;
    }
    s += f64(ev) + f64(high(ev));
  }
  return hsum(s) * 0x1p-64 + (rest ? (double)(ties[0] + ties[1] + ties[2] + ties[3] - 1) : 0);
}
// exp(d) for d ≤ 0 in float64 lanes, 0 below −700 (exp(d) is under every float32 product the rows form there;
// exactly 0, as exp(−inf), so that sums and zero signs are cpu's): 1 + r + r²·P(r), P of degree 7 the minimax fit of
// scripts/wasm/fit-exp64.mjs (relative error 2^-44.8 on |r| ≤ ln2/2, against 2^-41.6 for the Taylor polynomial to
// r¹⁰ it replaces, with one multiply-add fewer), 2^k in one step.
WM D ta_exp64(D d) {
  const double shift = 6755399441055744.0 + 1023;  // 1.5·2^52 + the bias: kd's low bits are k + 1023
  D c = wm_pmax(d, D{} - 700.0);
  D kd = c * 1.4426950408889634 + shift;
  D k = kd - shift;
  D r = (c - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
  D r2 = r * r, r4 = r2 * r2;
  D p = (1 + r) + r2 * (((0.49999999999640643 + r * 0.16666666666633947) +
                         r2 * (0.04166666699571156 + r * 0.0083333333632610723)) +
                        r4 * ((0.0013888804235343331 + r * 0.00019841192900766047) +
                              r2 * (2.4884461949081419e-05 + r * 2.7632635149172468e-06)));
  return d < -700.0 ? 0 : p * (D)((I64)kd << 52);
}
// The same out of line, for rarely run paths (one copy).
WMC D ta_exp64_call(D d) { return ta_exp64(d); }
// The same rest with float64 exponentials (whole: Σ_j exp(x_j − m) over every j instead, which is 1 + rest and
// needs no tests of the lanes against m: softmax's gradient, 4.4 → 4.0 ms per 1M); acc = Σ (c − dy_j)·exp(x_j − m)
// and big = max |dy_j| (dy: null for none); exp(x_j − m)·2^64 stored into e (float32; e: null for none). Inline
// (acc and big are the caller's).
WM double ta_row_exp64(const float *x, const float *dy, float *e, int n, float m, double c, double &acc,
                       float &big, bool whole = false) {
  D mv = D{} + (double)m, cv = D{} + c, s = D{}, a = D{}, ties = D{};
  F g4 = F{};
  auto step = [&](F v, F g) __attribute__((always_inline)) {
    D lo = f64(v), hi = f64(high(v));
    D el = ta_exp64(lo - mv), eh = ta_exp64(hi - mv);
    if (whole) {
      s += el + eh;  // exp(0) is exactly 1
    } else {
      s += (lo < mv ? el : 0) + (hi < mv ? eh : 0);
      ties += (lo == mv ? D{} + 1 : 0) + (hi == mv ? D{} + 1 : 0);
    }
    if (dy) {
      a += (cv - f64(g)) * el + (cv - f64(high(g))) * eh;
      g4 = wm_pmax(g4, wm_abs(g));
    }
    return join2(f32(el * 0x1p64), f32(eh * 0x1p64));
  };
  if ((n & 7) == 0 && whole) {
    // softmax's gradient: two vectors per iteration, both loaded before either is computed (their exponentials
    // overlap: 4.07 → 3.74 ms per 1M; four vectors: 4.16, as V8 then spills); its other rows take the last loop
    for (int j = 0; j < n; j += 8) {
      F v0 = ld4(x + j), v1 = ld4(x + j + 4);
      F g0 = dy ? ld4(dy + j) : F{}, g1 = dy ? ld4(dy + j + 4) : F{};
      F e0 = step(v0, g0), e1 = step(v1, g1);
      if (e) st4(e + j, e0), st4(e + j + 4, e1);
    }
  } else if ((n & 3) == 0 && !whole) {
    // (no tails: 6.5 → 4.5 ms per 1M for softmax's gradient with the lean output pass, the same sums)
    for (int j = 0; j < n; j += 4) {
      F ev = step(ld4(x + j), dy ? ld4(dy + j) : F{});
      if (e) st4(e + j, ev);
    }
  } else {
    ROW_LOOP(j, k) {
      F ev = step(ldk(x + j, k, -INF), dy ? ldk(dy + j, k, 0) : F{});
      if (e) stk(e + j, ev, k);
    }
  }
  acc = hsum(a);
  g4 = wm_pmax(g4, __builtin_shufflevector(g4, g4, 2, 3, 0, 1));
  g4 = wm_pmax(g4, __builtin_shufflevector(g4, g4, 1, 0, 3, 2));
  big = g4[0];
  return whole ? hsum(s) : hsum(s) + hsum(ties) - 1;
}
// Σ p_j in float64.
WMC double ta_row_sum(const float *p, int n) {
  D s = D{};
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    F v = ld4(p + j);
    s += f64(v) + f64(high(v));
  }
  F v = ldk(p + j, n - j, 0);
  return hsum(s + f64(v) + f64(high(v)));
}
// log1p(s) for s ≥ 0 (float64): 2·atanh(s/(2 + s)) for s ≤ 1, else k·ln2 + log1p(m − 1) with 1 + s = m·2^k.
WMC double ta_log1p(double s) {
  if (s <= 1) return wm_log1p_unit(D{} + s)[0];
  unsigned long long b = __builtin_bit_cast(unsigned long long, 1 + s);
  int k = (int)(b >> 52) - 1023;
  double m = __builtin_bit_cast(double, (b & 0xfffffffffffffull) | 0x3ff0000000000000ull);
  return k * 0.6931471805599453 + (k * 2.3190468138462996e-17 + wm_log1p_unit(D{} + (m - 1))[0]);
}
`;

/** The row loops of the axis activations. */
export function wasmAxisSource(defs: readonly ActivationDefinition[]): string {
  const parts = [WASM_AXIS_HELPERS];
  for (const def of wasmAxisDefinitions(defs)) {
    const c = def.keras,
      e = wasmAxisExports(def),
      w = def.wasm!,
      out = def.halvesAxis === true ? '(n >> 1)' : 'n'; // the output's (and dy's) row: half as long for glu
    parts.push(`
// ${def.keras}: ${def.formula}
static inline __attribute__((always_inline)) int ${c}_row_f(const float *x, float *y, int n, Pending &later) {
${w.forward.replace(/^\n+/, '')}
}
static inline __attribute__((always_inline)) int ${c}_row_b(const float *x, const float *dy, float *dx, int n) {
${w.backward.replace(/^\n+/, '')}
}
EXPORT("${e.forward}") int ${c}_rows_f(const float *x, float *y, int rows, int n) {
  Pending later = {nullptr, F{}};
  int r = 0;
  while (r < rows && ${c}_row_f(x + r * n, y + r * ${out}, n, later)) r++;
  ta_settle(later, ${out});
  return r;
}
EXPORT("${e.backward}") int ${c}_rows_b(const float *x, const float *dy, float *dx, int rows, int n) {
  for (int r = 0; r < rows; r++) if (!${c}_row_b(x + r * n, dy + r * ${out}, dx + r * n, n)) return r;
  return rows;
}
`);
  }
  return parts.join('');
}
