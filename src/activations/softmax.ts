import {mul, sub, sum} from '@tensorflow/tfjs-core';
import type {TensorInfo} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {softmaxRow} from '../math';
import {shiftByMax} from '../native_axis';
import {mapPass, reduce, type Ctx} from '../backends/webgl_axis';
import {axisProgram, runAxis} from '../backends/webgpu_axis';

// webgl: per-slice statistics shared with log_softmax.
export const EXPSHIFT = `
// exp(x − m) with x − m in double-float.
float ta_expshift(float x, float m) {
  if (ta_isnan(x) || ta_isnan(m)) return x + m;
  vec2 d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) return expf(d.x);
  return ta_expmul2(d.x, d.y, 1.0);
}`;

export const ARGMAX = `
// The index of the first maximum of the slice (from I = −index), 0 when there is none (NaN).
int ta_argmax(int o, int i) {
  float v = getI(o, 0, i);
  return v > -1e30 ? int(-v + 0.5) : 0;
}`;

/**
 * Per slice: the maximum m, I = −(index of its first occurrence), and
 * s′ = Σ exp(x − m) over every other element (= Σ − 1, without forming
 * 1 + s′), so that log1p(s′) and 1 − p = s′/(1 + s′) keep their accuracy
 * when one element dominates.
 */
export function softmaxStats(ctx: Ctx, X: TensorInfo, o: number, n: number, i: number): TensorInfo[] {
  const M = reduce(ctx, 'max', [X], ['X'], 'getX(o, j, i)', o, n, i);
  const I = reduce(ctx, 'max', [X, M], ['X', 'M'], 'getX(o, j, i) == getM(o, 0, i) ? -float(j) : -ta_inf()', o, n, i);
  const S = reduce(
    ctx,
    'sum',
    [X, M, I],
    ['X', 'M', 'I'],
    'j == ta_argmax(o, i) ? 0.0 : ta_expshift(getX(o, j, i), getM(o, 0, i))',
    o,
    n,
    i,
    EXPSHIFT + ARGMAX,
  );
  return [M, S, I];
}

// webgpu: the same statistics in one workgroup per slice (src/backends/webgpu_axis.ts).
export const EXPSHIFT_WGSL = `
// exp(x − m) with x − m <= 0 in double-float (its low part dropped where it is NaN: x − m infinite; below
// −170 the result is 0 anyway); NaN when x − m is (a NaN, or inf − inf).
fn ta_expshift(x: f32, m: f32) -> f32 {
  let d = ta_two_sum(x, -m);
  let e = ta_expmul2_in(max(d.x, -170.0), select(d.y, 0.0, ta_isnan(d.y)), 1.0);
  return select(e, x - m, ta_isnan(d.x) || ta_isnan(x) || ta_isnan(m));
}`;

/**
 * softmax statistics of the slice, in every thread: the maximum m, the
 * index of its first occurrence (0 when m is NaN) and s′ = Σ exp(x − m)
 * over every other element, as in the webgl kernels. exp(x − m) is 1 at the
 * argmax (also when it is +inf: the one-hot limit; docs/non-finite.md).
 */
export const SOFTMAX_STATS_WGSL = `
  // one pass: each thread's maximum and its first index; the slice's argmax is the smallest index of a
  // thread whose maximum is the slice's (none when m is NaN)
  var lm = -ta_inf();
  var li = n;
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (ta_valid) {
      let v = X[ta_base + j * uniforms.inner];
      if (li == n || v > lm) { li = j; }
      lm = ta_max2(lm, v);
    }
  }
  let m = ta_wg_max(lm);
  var am = ta_wg_min_index(select(n, li, lm == m));
  if (am >= n) { am = 0; }
  var ls = vec2<f32>(0.0, 0.0);
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (ta_valid && j != am) { ls = ta_acc(ls, ta_expshift(X[ta_base + j * uniforms.inner], m)); }
  }
  // s′ is NaN for a slice without a limit: a NaN, two +inf (inf − inf), only −inf (0/0, also for n = 1)
  let s = select(ta_wg_sum(ls), ta_nan(), m < -3.4028234e38);`;

/**
 * SOFTMAX_STATS_WGSL for rowProgram4 (one thread per row, read as vec4s): the same m, am and s′, summed in the
 * same order. Lane l of the vec4s holds the elements j ≡ l (mod 4): each lane keeps its maximum and that
 * maximum's first index, and am is the smallest of those indices whose lane maximum is m. A row with a NaN or
 * two +inf (counted in the first pass, instead of testing every exp(x − m)) gets s′ = NaN, as one with only −inf.
 */
export const ROW4_STATS_WGSL = `
  var mv = vec4<f32>(-ta_inf());
  var iv = vec4<i32>(0);
  var hasnan = vec4<bool>(false);
  var infs = vec4<i32>(0);
  for (var q = 0; q < n4; q++) {
    let v = X[ta_row4 + q];
    hasnan = hasnan | ((bitcast<vec4<u32>>(v) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u));
    infs += select(vec4<i32>(0), vec4<i32>(1), v > vec4<f32>(3.4028234e38));
    iv = select(iv, vec4<i32>(q), v > mv);
    mv = max(mv, v);
  }
  let m = max(max(mv.x, mv.y), max(mv.z, mv.w));
  let cand = select(vec4<i32>(n), iv * 4 + vec4<i32>(0, 1, 2, 3), mv == vec4<f32>(m));
  let am = min(min(cand.x, cand.y), min(cand.z, cand.w));
  let nolimit = any(hasnan) || infs.x + infs.y + infs.z + infs.w > 1 || m < -3.4028234e38;
  var ls = vec2<f32>(0.0, 0.0);
  for (var q = 0; q < n4; q++) {
    let v = X[ta_row4 + q];
    let j = 4 * q;
    ls = ta_acc(ls, select(ta_expshift_in(v.x, m), 0.0, j == am));
    ls = ta_acc(ls, select(ta_expshift_in(v.y, m), 0.0, j + 1 == am));
    ls = ta_acc(ls, select(ta_expshift_in(v.z, m), 0.0, j + 2 == am));
    ls = ta_acc(ls, select(ta_expshift_in(v.w, m), 0.0, j + 3 == am));
  }
  let s = select(ls.x + ls.y, ta_nan(), nolimit);`;

/** Helpers of ROW4_STATS_WGSL: ta_expshift where x and m are not NaN and not both +inf (nolimit covers those rows). */
export const ROW4_WGSL = `
fn ta_acc(a: vec2<f32>, v: f32) -> vec2<f32> {
  let t = ta_two_sum(a.x, v);
  return vec2<f32>(t.x, a.y + t.y);
}
fn ta_expshift_in(x: f32, m: f32) -> f32 {
  let d = ta_two_sum(x, -m);
  return ta_expmul2_in(max(d.x, -170.0), select(d.y, 0.0, d.x < -170.0), 1.0);
}`;

/** The forward body shared with log_softmax: the statistics, `perSlice` once per slice, then `write` for element k. */
export function softmaxForwardWgsl(perSlice: string, write: string): string {
  return `${SOFTMAX_STATS_WGSL}
  ${perSlice}
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;${write}
  }`;
}

/** softmax(x)_k in the webgpu programs: exp(x − m) is exactly 1 at the argmax (also at +inf: the one-hot limit). */
export const PROB_WGSL = 'select(ta_expshift(X[k], m), 1.0, j == am) / (1.0 + s)';

/**
 * softmax over one or several (merged, contiguous) axes: exp(x − max)/Σ,
 * accumulated in float64. Backward, from x: dx = y·(dy − Σ dy·y) with y
 * recomputed in float64 and the difference formed without cancellation.
 */
export const softmax = alongAxis({
  id: 'softmax',
  keras: 'softmax',
  doc: 'Softmax over an axis, several axes, or all axes (null).',
  formula: 'exp(x − max(x)) / Σ exp(x − max(x))',
  axisKind: 'axes',
  params: [{name: 'axis', keras: 'axis', kind: 'axes', default: -1, doc: 'an axis, an array of axes, or null for all'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      const y = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          softmaxRow(x, base, n, inner, y);
          for (let j = 0; j < n; j++) out[base + j * inner] = y[j];
        }
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      const y = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          // dy_k − Σ dy·y = (dy_k − dy_m) + Σ_{j≠m} (dy_m − dy_j)·y_j with m the argmax: the
          // plain form cancels when y_m ≈ 1.
          const m = softmaxRow(x, base, n, inner, y);
          const dym = dy[base + m * inner];
          let d = 0;
          for (let j = 0; j < n; j++) if (j !== m) d += (dym - dy[base + j * inner]) * y[j];
          for (let j = 0; j < n; j++) dx[base + j * inner] = y[j] * (dy[base + j * inner] - dym + d);
        }
      }
    },
  },
  backwardGrad(x, dy, g, axes, run) {
    // dx = y(dy − Σ dy·y): d/d(dy) = y(g − Σ g·y); d/dy = g(dy − Σ dy·y) − dy·Σ g·y, chained to x.
    const y = run.forward(x);
    const gy = sum(mul(g, y), axes, true);
    const dY = sub(mul(g, sub(dy, sum(mul(dy, y), axes, true))), mul(dy, gy));
    return [run.backward(x, dY), mul(y, sub(g, gy))];
  },
  tensorflow: {
    // float64, from z = x − max (shiftByMax: exact, 0 at the maximum, NaN for slices without a limit).
    // Native Softmax when the axes are the last ones (merged by a reshape).
    forward(x, axes, nat) {
      const z = shiftByMax(nat.f64(x), axes, nat),
        rank = x.shape.length;
      if (axes[axes.length - 1] === rank - 1) {
        if (axes.length === 1) return nat.op('Softmax', [z]);
        return nat.reshape(nat.op('Softmax', [nat.reshape(z, [...x.shape.slice(0, axes[0]), -1])]), x.shape);
      }
      const e = nat.op('Exp', [z]);
      return nat.div(e, nat.sum(e, axes));
    },
    // dx = y(dy − Σ dy·y), written as y(D − Σ D·y) with D = dy − c: equal for any c, and with c the
    // dy of the maximum, D is exactly 0 there, so a dominant y ≈ 1 does not cancel (1 − y can be 1e-30).
    backward(x, dy, axes, nat) {
      const DY = nat.f64(dy),
        rank = x.shape.length;
      const z = shiftByMax(nat.f64(x), axes, nat);
      let y;
      if (axes.length === 1 && axes[0] === rank - 1) {
        y = nat.op('Softmax', [z]);
      } else {
        const e = nat.op('Exp', [z]);
        y = nat.div(e, nat.sum(e, axes));
      }
      const atMax = nat.add(nat.op('Sign', [z]), 1); // 1 at the maxima, 0 below
      const d = nat.sub(DY, nat.sum(nat.mul(DY, atMax), axes));
      return nat.mul(y, nat.sub(d, nat.sum(nat.mul(d, y), axes)));
    },
  },
  webgl: {
    forward(ctx, X, o, n, i) {
      const [M, S, I] = softmaxStats(ctx, X, o, n, i);
      const body = `float x = getX(o, j, i), m = getM(o, 0, i), s = getS(o, 0, i);
  if (j == ta_argmax(o, i)) return 1.0 / (1.0 + s);
  return ta_expshift(x, m) / (1.0 + s);`;
      return mapPass(ctx, [X, M, S, I], ['X', 'M', 'S', 'I'], [o, n, i], body, EXPSHIFT + ARGMAX);
    },
    backward(ctx, X, D, o, n, i) {
      const [M, S, I] = softmaxStats(ctx, X, o, n, i);
      const helpers = EXPSHIFT + ARGMAX;
      // exp(x − m) is exactly 1 at the maximum (also when it is +inf: the one-hot limit)
      const prob = '(j == ta_argmax(o, i) ? 1.0 : ta_expshift(getX(o, j, i), getM(o, 0, i))) / (1.0 + getS(o, 0, i))';
      const names = ['X', 'D', 'M', 'S', 'I'];
      // dx = y·(dy − Σ y·dy) = y·((dy − dy_m) + Σ y·(dy_m − dy)), m the argmax (Σ y = 1): no
      // cancellation when one entry dominates
      const T = reduce(
        ctx,
        'sum',
        [X, D, M, S, I],
        names,
        `${prob} * (getD(o, ta_argmax(o, i), i) - getD(o, j, i))`,
        o,
        n,
        i,
        helpers,
      );
      return mapPass(
        ctx,
        [X, D, M, S, I, T],
        [...names, 'T'],
        [o, n, i],
        `float y = ${prob};
  return y * ((getD(o, j, i) - getD(o, ta_argmax(o, i), i)) + getT(o, 0, i));`,
        helpers,
      );
    },
  },
  webgpu: {
    forward(b, X, o, n, i, shape) {
      const write = `
    if (j == am) { result[k] = 1.0 / (1.0 + s); } else { result[k] = ta_expshift(X[k], m) / (1.0 + s); }`;
      return runAxis(
        b,
        axisProgram('softmax_f', ['X'], o * n * i, o * i, softmaxForwardWgsl('', write), EXPSHIFT_WGSL, true),
        [X],
        [o, n, i],
        shape,
      );
    },
    backward(b, X, D, o, n, i, shape) {
      const prob = PROB_WGSL;
      const body = `${SOFTMAX_STATS_WGSL}
  // dx = y·((dy − dy_m) + Σ y·(dy_m − dy)), m the argmax
  var dm = 0.0;
  if (ta_valid) { dm = D[ta_base + am * uniforms.inner]; }
  var lt = vec2<f32>(0.0, 0.0);
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (ta_valid) {
      let k = ta_base + j * uniforms.inner;
      lt = ta_acc(lt, ${prob} * (dm - D[k]));
    }
  }
  let t = ta_wg_sum(lt);
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    result[k] = ${prob} * ((D[k] - dm) + t);
  }`;
      return runAxis(
        b,
        axisProgram('softmax_b', ['X', 'D'], o * n * i, o * i, body, EXPSHIFT_WGSL, true),
        [X, D],
        [o, n, i],
        shape,
      );
    },
  },
  test: {
    axisCases: [
      {shape: [3, 5], options: {}},
      {shape: [4, 3], options: {axis: 0}},
      {shape: [6, 9], options: {axis: -1}},
      {shape: [2, 3, 4], options: {axis: [0, 2]}},
      {shape: [2, 3, 4], options: {axis: null}},
      {shape: [3, 4, 5], options: {axis: 1}},
      {shape: [3, 4, 5], options: {axis: [1, 2]}},
      {shape: [3, 4, 5], options: {axis: null}},
      {shape: [2, 3, 4, 5], options: {axis: [1, 2]}},
      {shape: [3, 5, 7], options: {axis: -1}},
      {shape: [3, 5, 7], options: {axis: 0}},
      {shape: [3, 5, 7], options: {axis: [0, 2]}},
      // at least 256 slices: the webgpu programs run one thread per slice (SERIAL_SLICES)
      {shape: [300, 6], options: {axis: -1}},
      {shape: [4, 7, 80], options: {axis: 1}},
      {shape: [4, 1000], options: {axis: -1}},
      {shape: [50, 40], options: {axis: null}, scale: 6},
    ],
  },
  budget: {tensorflowLaunches: [15, 25]},
  bench: {
    composite: {what: 'tf.softmax', fn: (tf, x) => tf.softmax(x)},
  },
  note: 'Class probabilities and attention weights: a distribution over the axis.',
  cpp: {
    forward: `
      // float32 lanes (≤ 2 ULP) for a contiguous slice with a finite maximum; float64 (0 ULP) otherwise
      if (!softmax_row32(x, y, n, s)) softmax_row(x, n, s, w, w + n, y);`,
    backward: `
      // dy_k − Σ dy·y = (dy_k − dy_m) + Σ_j (dy_m − dy_j)·y_j with m the argmax (no cancellation at y_m ≈ 1)
      // (y_j = w_j·r with w_j = exp(x_j − max), exactly 1 at the maximum, r = 1/Σw; y is never stored)
      double max, rest;
      int64 m;
      slice_stats(x, n, s, w, w + n, &max, &m, &rest);
      if (n > 0) w[m] = 1;
      const double r = 1 / (1 + rest), dym = dy[m * s];
      const double d = r * row_dot_diff_sum(dy, w, n, s, dym);
      softmax_grad_store_scaled(dy, w, dx, n, s, dym, d, r);`,
  },
  wasm: {
    // float32 exponentials (within 1 ULP, x − max split exactly, scaled by 2^64) times the rounded 2^-64/Σ
    forward: `
      float mn, m = ta_row_maxmin(x, n, mn);
      if (m != m) return 0;
      double s = ta_row_exp(x, y, n, m, false, mn, &later);
      if (s != s) return 0;  // a NaN in the row
      // y·(the rounded 2^-64/Σ): in the next row's exponential pass, or at the end of the rows
      later = {y, F{} + (float)(0x1p-64 / s)};
      return 1;`,
    // Σ (dy_m − dy_j)·y_j and the bracket cancel: float64 exponentials for them (float32 ones would not do).
    // y_j (not amplified) from their float32 roundings ·2^64, kept in dx; below x − max = −131 those are 0, where
    // y_j·bracket is under float32's range unless |dy| ≥ 2^30 (such rows recompute y_j in float64). A NaN in x
    // makes the sum NaN (the maximum pass does not look for it): the JS loop does that row.
    backward: `
      float m = ta_row_max_nonan(x, n), big;
      if (m != m) return 0;
      double dym = dy[ta_row_first(x, n, m)], acc;
      double sum = ta_row_exp64(x, dy, dx, n, m, dym, acc, big, true), inv = 1 / sum;
      if (sum != sum) return 0;
      D iv = D{} + inv * 0x1p-64, dv = D{} + acc * inv, cv = D{} + dym, mv = D{} + (double)m;
      bool exact = big >= 0x1p30f;
      if ((n & 3) == 0 && !exact) {
        // (a loop of its own: the selects below would evaluate both sides, exponentials included)
        for (int j = 0; j < n; j += 4) {
          F g = ld4(dy + j), e = ld4(dx + j);
          st4(dx + j, join2(f32(f64(e) * iv * ((f64(g) - cv) + dv)), f32(f64(high(e)) * iv * ((f64(high(g)) - cv) + dv))));
        }
        return 1;
      }
      auto out = [&](F v, F g, F e) __attribute__((always_inline)) {
        D el = exact ? ta_exp64_call(f64(v) - mv) * 0x1p64 : f64(e);
        D eh = exact ? ta_exp64_call(f64(high(v)) - mv) * 0x1p64 : f64(high(e));
        return join2(f32(el * iv * ((f64(g) - cv) + dv)), f32(eh * iv * ((f64(high(g)) - cv) + dv)));
      };
      ROW_LOOP(j, k) stk(dx + j, out(ldk(x + j, k, -INF), ldk(dy + j, k, 0), ldk(dx + j, k, 0)), k);
      return 1;`,
  },
});
