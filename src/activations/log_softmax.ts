import {exp, mul, neg, sub, sum} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sliceStats} from '../math';
import {shiftByMax} from '../native_axis';
import {mapPass, reduce} from '../backends/webgl_axis';
import {ARGMAX, EXPSHIFT, softmaxStats} from './softmax';
import {axisProgram, rowProgram4, runAxis, SERIAL_SLICES} from '../backends/webgpu_axis';
import {EXPSHIFT_WGSL, PROB_WGSL, ROW4_STATS_WGSL, ROW4_WGSL, SOFTMAX_STATS_WGSL, softmaxForwardWgsl} from './softmax';

/**
 * One output of the vec4 row program, as the `write` of the other programs: NaN rows (s′ = NaN), −log1p(s′) at
 * the argmax, x − m where m is ±inf, else (x − m) − log1p(s′) with x − m exact (its low part dropped where x is −inf).
 */
const LS_WGSL = `
fn ta_ls(x: f32, m: f32, at: bool, s: f32, l: f32, mi: bool) -> f32 {
  let d = ta_two_sum(x, -m);
  let y = select((d.x - l) + d.y, d.x, ta_isnan(d.y));
  return select(select(select(y, x - m, mi), -l, at), s, ta_isnan(s));
}`;

/**
 * log_softmax: (x − max) − log1p(Σ_{j≠m} exp(x_j − max)) with m the argmax,
 * in float64, so the dominant entry keeps its tiny value. Backward, from x:
 * dx = dy − softmax(x)·Σ dy, with dx_m = (1 − softmax_m)·Σdy − Σ_{j≠m} dy_j.
 */
export const logSoftmax = alongAxis({
  id: 'logSoftmax',
  keras: 'log_softmax',
  doc: 'Log-softmax over an axis, several axes, or all axes (null).',
  formula: 'x − max(x) − log Σ exp(x − max(x))',
  axisKind: 'axes',
  params: [{name: 'axis', keras: 'axis', kind: 'axes', default: -1, doc: 'an axis, an array of axes, or null for all'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const [max, m, rest] = sliceStats(x, base, n, inner);
          const l = Math.log1p(rest);
          // at the maximum x − max is 0, also when it is +inf (the limit; docs/non-finite.md)
          for (let j = 0, k = base; j < n; j++, k += inner) out[k] = j === m ? -l : x[k] - max - l;
        }
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const [max, m, rest] = sliceStats(x, base, n, inner);
          let sum = 0,
            others = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) {
            sum += dy[k];
            if (j !== m) others += dy[k];
          }
          const d = 1 + rest;
          for (let j = 0, k = base; j < n; j++, k += inner) {
            dx[k] = j === m ? (rest / d) * sum - others : dy[k] - (Math.exp(x[k] - max) / d) * sum;
          }
        }
      }
    },
  },
  backwardGrad(x, dy, g, axes, run) {
    // dx = dy − p·Σdy with p = exp(y): d/d(dy) = g − Σ g·p; d/dy = −g·p·Σdy, chained to x.
    const p = exp(run.forward(x));
    const dY = neg(mul(mul(g, p), sum(dy, axes, true)));
    return [run.backward(x, dY), sub(g, sum(mul(g, p), axes, true))];
  },
  tensorflow: {
    // float64. With z = x − max, y = z − log1p(δ), δ = Σ_{z<0} e^z + (#maxima − 1): the two sums stay
    // apart, so a δ ≪ 1 keeps its digits (log Σ e^z would round 1 + δ and lose y at the maximum).
    forward(x, axes, nat) {
      const z = shiftByMax(nat.f64(x), axes, nat); // exact, 0 at the maximum, NaN for slices without a limit
      const s = nat.op('Sign', [z]); // −1 below the maximum, 0 at it
      const count = axes.reduce((p, a) => p * x.shape[a], 1);
      const delta = nat.sub(nat.add(nat.sum(s, axes), count - 1), nat.sum(nat.mul(nat.op('Exp', [z]), s), axes));
      // −(log1p(δ) − z): −0 at a lone maximum (δ = 0), as the cpu definition's −log1p(δ) there
      return nat.op('Neg', [nat.sub(nat.op('Log1p', [delta]), z)]);
    },
    // dx = dy − p·Σdy = dy·(1 − p) − p·(Σdy − dy), with 1 − p = (δ − expm1(z))/(1 + δ) and
    // Σdy − dy = (Σ_max dy − dy) + Σ_below dy: no cancellation when p ≈ 1 (confident rows).
    backward(x, dy, axes, nat) {
      const DY = nat.f64(dy);
      const z = shiftByMax(nat.f64(x), axes, nat);
      const s = nat.op('Sign', [z]),
        e = nat.op('Exp', [z]);
      const count = axes.reduce((p, a) => p * x.shape[a], 1);
      const delta = nat.sub(nat.add(nat.sum(s, axes), count - 1), nat.sum(nat.mul(e, s), axes));
      const total = nat.add(delta, 1);
      const q = nat.div(nat.sub(delta, nat.op('Expm1', [z])), total);
      const rest = nat.sub(nat.sub(nat.sum(nat.mul(DY, nat.add(s, 1)), axes), DY), nat.sum(nat.mul(DY, s), axes));
      return nat.sub(nat.mul(DY, q), nat.mul(nat.div(e, total), rest));
    },
  },
  webgl: {
    forward(ctx, X, o, n, i) {
      const [M, S, I] = softmaxStats(ctx, X, o, n, i);
      const body =
        // (x − m) − log1p(s′), s′ = Σexp(x − m) − 1
        // s′ is NaN for a slice without a limit (NaN, two +inf, all −inf); at the maximum x − m is 0, also at +inf
        `float x = getX(o, j, i), m = getM(o, 0, i), s = getS(o, 0, i);
  if (ta_isnan(s)) return s;
  if (j == ta_argmax(o, i)) return -log1p(s);
  if (ta_isnan(x) || ta_isnan(m) || abs(m) > 3.4028234e38) return x - m;
  vec2 d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) return d.x;
  return (d.x - log1p(s)) + d.y;`;
      return mapPass(ctx, [X, M, S, I], ['X', 'M', 'S', 'I'], [o, n, i], body, EXPSHIFT + ARGMAX);
    },
    backward(ctx, X, D, o, n, i) {
      const [M, S, I] = softmaxStats(ctx, X, o, n, i);
      const argmax = ARGMAX;
      const helpers = EXPSHIFT + argmax;
      // exp(x − m) is exactly 1 at the maximum (also when it is +inf: the one-hot limit)
      const prob = '(j == ta_argmax(o, i) ? 1.0 : ta_expshift(getX(o, j, i), getM(o, 0, i))) / (1.0 + getS(o, 0, i))';
      const names = ['X', 'D', 'M', 'S', 'I'];
      // dx = dy − p·Σdy. At the maximum, 1 − p = s′/(1 + s′) exactly: dx = dy·s′/(1 + s′) − p·Σ_{k≠m} dy
      const T = reduce(ctx, 'sum', [D, I], ['D', 'I'], 'j == ta_argmax(o, i) ? 0.0 : getD(o, j, i)', o, n, i, argmax);
      return mapPass(
        ctx,
        [X, D, M, S, I, T],
        [...names, 'T'],
        [o, n, i],
        `float p = ${prob};
  float s = getS(o, 0, i), t = getT(o, 0, i);
  int m = ta_argmax(o, i);
  if (j == m) return getD(o, j, i) * (s / (1.0 + s)) - p * t;
  return getD(o, j, i) - p * (t + getD(o, m, i));`,
        helpers,
      );
    },
  },
  test: {
    axisCases: [
      {shape: [3, 5], options: {axis: 0}},
      {shape: [6, 9], options: {axis: -1}},
      {shape: [2, 3, 4], options: {axis: [1, 2]}},
      {shape: [3, 4, 5], options: {axis: 1}},
      {shape: [3, 4, 5], options: {axis: [1, 2]}},
      {shape: [3, 4, 5], options: {axis: null}},
      {shape: [3, 5, 7], options: {axis: -1}},
      {shape: [3, 5, 7], options: {axis: [0, 1]}},
      {shape: [3, 5, 7], options: {axis: [0, 2]}},
      {shape: [4, 1000], options: {axis: -1}},
      // at least 256 slices: the webgpu programs run one thread per slice (SERIAL_SLICES)
      {shape: [300, 6], options: {axis: -1}},
      {shape: [4, 7, 80], options: {axis: 1}},
      // ... along the last axis with a length that is a multiple of 4: one thread per row, vec4s
      {shape: [260, 12], options: {axis: -1}},
      {shape: [2, 130, 8], options: {axis: -1}, scale: 30},
    ],
  },
  budget: {tensorflowLaunches: [22, 35]},
  bench: {
    composite: {what: 'tf.logSoftmax', fn: (tf, x) => tf.logSoftmax(x)},
  },
  note: 'Log-probabilities over classes for NLL or KL losses, stable where log(softmax) is not.',
  cpp: {
    forward: `
      // float32 exponentials (≤ 2 ULP) for a contiguous slice with a finite maximum; float64 (0 ULP) otherwise
      if (log_softmax_row32(x, y, n, s, reinterpret_cast<float*>(w))) return;
      double max, rest;
      int64 m;
      const float* v = slice_stats(x, n, s, w, w + n, &max, &m, &rest);  // w[j] = exp(x_j − max); v: the slice
      log_softmax_store(v, y, n, s, max, log1p(rest), m);`,
    backward: `
      double max, rest;
      int64 m;
      slice_stats(x, n, s, w, w + n, &max, &m, &rest);  // w[j] = exp(x_j − max)
      log_softmax_grad_store(dy, w, dx, n, s, rest, m);`,
  },
  webgpu: {
    forward(b, X, o, n, i, shape) {
      const write = `
    let x = X[k];
    if (ta_isnan(s)) {
      result[k] = s;
    } else if (j == am) {
      result[k] = -ls1p;
    } else if (ta_isnan(x) || ta_isnan(m) || abs(m) > 3.4028234e38) {
      result[k] = x - m;
    } else {
      let d = ta_two_sum(x, -m);
      if (ta_isnan(d.y)) { result[k] = d.x; } else { result[k] = (d.x - ls1p) + d.y; }
    }`;
      if (i === 1 && n % 4 === 0 && o >= SERIAL_SLICES) {
        // the last axis with many rows: one thread per row, read and written as vec4s
        const body = `${ROW4_STATS_WGSL}
  let ls1p = log1p(s);
  let mi = abs(m) > 3.4028234e38;
  for (var q = 0; q < n4; q++) {
    let v = X[ta_row4 + q];
    let j = 4 * q;
    result[ta_row4 + q] = vec4<f32>(ta_ls(v.x, m, j == am, s, ls1p, mi), ta_ls(v.y, m, j + 1 == am, s, ls1p, mi),
      ta_ls(v.z, m, j + 2 == am, s, ls1p, mi), ta_ls(v.w, m, j + 3 == am, s, ls1p, mi));
  }`;
        return runAxis(
          b,
          rowProgram4('logSoftmax_f', ['X'], o * n, o, body, ROW4_WGSL + LS_WGSL),
          [X],
          [o, n, i],
          shape,
        );
      }
      const body = softmaxForwardWgsl('let ls1p = log1p(s);  // once per slice', write);
      return runAxis(
        b,
        axisProgram('logSoftmax_f', ['X'], o * n * i, o * i, body, EXPSHIFT_WGSL, true),
        [X],
        [o, n, i],
        shape,
      );
    },
    backward(b, X, D, o, n, i, shape) {
      const prob = PROB_WGSL;
      const body = `${SOFTMAX_STATS_WGSL}
  // dx = dy − p·Σdy; at the maximum, 1 − p = s′/(1 + s′): dx = dy·s′/(1 + s′) − p·Σ_{k≠m} dy
  var lt = vec2<f32>(0.0, 0.0);
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (ta_valid && j != am) { lt = ta_acc(lt, D[ta_base + j * uniforms.inner]); }
  }
  let t = ta_wg_sum(lt);
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    let p = ${prob};
    if (j == am) {
      result[k] = D[k] * (s / (1.0 + s)) - p * t;
    } else {
      result[k] = D[k] - p * (t + D[ta_base + am * uniforms.inner]);
    }
  }`;
      return runAxis(
        b,
        axisProgram('logSoftmax_b', ['X', 'D'], o * n * i, o * i, body, EXPSHIFT_WGSL, true),
        [X, D],
        [o, n, i],
        shape,
      );
    },
  },
  wasm: {
    // (x − max) − log1p(rest) in float64, rest from float32 exponentials (within 1 ULP): within 2 ULP
    forward: `
      float m = ta_row_max(x, n);
      if (m != m) return 0;
      D lv = D{} + ta_log1p(ta_row_exp(x, y, n, m, true)), mv = D{} + (double)m;
      // −(l − (x − max)): −0 at the maximum when l = 0, as on cpu
      auto out = [&](F v) __attribute__((always_inline)) {
        return join2(f32(-(lv - (f64(v) - mv))), f32(-(lv - (f64(high(v)) - mv))));
      };
      ROW_LOOP(j, k) stk(y + j, out(ldk(x + j, k, 0)), k);
      return 1;`,
    // float64 exponentials (dy − y·Σdy cancels); at the maximum (rest/(1 + rest))·Σdy − Σ the others
    backward: `
      float m = ta_row_max(x, n);
      if (m != m) return 0;
      int am = ta_row_first(x, n, m);
      double others = ta_row_sum(dy, am) + ta_row_sum(dy + am + 1, n - am - 1), acc;
      double s = others + dy[am];
      float big;
      double rest = ta_row_exp64(x, 0, 0, n, m, 0, acc, big), inv = 1 / (1 + rest);
      D iv = D{} + inv, sv = D{} + s, mv = D{} + (double)m;
      auto out = [&](F v, F g) __attribute__((always_inline)) {
        D l = f64(g) - ta_exp64(f64(v) - mv) * iv * sv;
        D h = f64(high(g)) - ta_exp64(f64(high(v)) - mv) * iv * sv;
        return join2(f32(l), f32(h));
      };
      ROW_LOOP(j, k) stk(dx + j, out(ldk(x + j, k, -INF), ldk(dy + j, k, 0)), k);
      dx[am] = (float)(rest * inv * s - others);
      return 1;`,
  },
});
