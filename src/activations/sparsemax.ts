import type * as tfc from '@tensorflow/tfjs-core';
import type {Tensor, TensorInfo} from '@tensorflow/tfjs-core';
import {cast, div, greater, maximum, mul, scalar, sub, sum, zerosLike} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sparsemaxShift} from '../math';
import {shiftByMax} from '../native_axis';
import {mapPass, reduce, type Ctx} from '../backends/webgl_axis';
import {AWG, axisProgram, runAxis, SERIAL_SLICES} from '../backends/webgpu_axis';

// webgl: τ per slice on the GPU.
/** Above this slice length sparsemax finds its support by bisection instead of O(n) work per element. */
const SPARSEMAX_BISECT = 512;

/**
 * GLSL shared by the sparsemax passes. Everything is relative to the slice
 * maximum m (input M): z = x − m, exactly 0 at the maximum (also at +inf),
 * so that the result does not depend on the magnitude of the slice.
 * `ta_sp_nolimit` is NaN for a slice without a limit (a NaN, two or more
 * +inf, only −inf; docs/non-finite.md), else 0.
 */
const SPARSEMAX_GLSL = `
float ta_sp_z(float x, float m) { return x == m ? 0.0 : x - m; }
float ta_sp_nolimit(int o, int i) {
  float m = getM(o, 0, i);
  if (ta_isnan(m)) return m;
  if (m < -3.4028234e38) return ta_nan();
  if (m > 3.4028234e38) {
    int infs = 0;
    for (int k = 0; k < ${'${n}'}; k++) if (getX(o, k, i) > 3.4028234e38) infs++;
    if (infs > 1) return ta_nan();
  }
  return 0.0;
}`;

/**
 * sparsemax's τ′ = τ − m in double-float (high, low), m the slice maximum.
 * First a float32 τ′ with the right support: for n ≤ SPARSEMAX_BISECT,
 * τ′ = max over r of (c_r − 1)/r, c_r the sum of the r largest z = x − m,
 * computed per element j with r = #{z ≥ z_j} and c_r = Σ_{z ≥ z_j} z (ties
 * end a group, which gives the same maximum), then a max over the axis: no
 * sort; for longer slices, a bisection on Σ max(z − τ′, 0) = 1 in [−1, 0]
 * per slice, whose lower end has the support (or one with extra elements
 * within an ulp of τ′, which do not move it). Then τ′ again from its
 * support, τ′ = (Σ_S (x − m) − 1)/|S| with x − m exact (two_sum) and
 * compensated sums. Also returns M.
 */
function sparsemaxTauGpu(
  ctx: Ctx,
  X: TensorInfo,
  o: number,
  n: number,
  i: number,
): [TensorInfo, TensorInfo, TensorInfo] {
  const M = reduce(ctx, 'max', [X], ['X'], 'getX(o, j, i)', o, n, i);
  const common = SPARSEMAX_GLSL.replace('${n}', String(n));
  if (n > SPARSEMAX_BISECT) {
    const T = mapPass(
      ctx,
      [X, M],
      ['X', 'M'],
      [o, 1, i],
      `float bad = ta_sp_nolimit(o, i);
  if (ta_isnan(bad)) return bad;
  float m = getM(o, 0, i);
  float lo = -1.0, hi = 0.0;  // Σ max(z − lo, 0) >= 1 > Σ max(z − hi, 0) = 0
  for (int it = 0; it < 64; it++) {
    float mid = 0.5 * lo + 0.5 * hi;
    if (mid <= lo || mid >= hi) break;
    float s = 0.0;
    for (int k = 0; k < ${n}; k++) s += max(ta_sp_z(getX(o, k, i), m) - mid, 0.0);
    if (s >= 1.0) lo = mid; else hi = mid;
  }
  return lo;`,
      common,
    );
    const [TH, TL] = refineTau(ctx, X, M, T, o, n, i);
    return [TH, TL, M];
  }
  const helpers = `${common}
float ta_tau_candidate(int o, int j, int i) {
  float bad = ta_sp_nolimit(o, i);
  if (ta_isnan(bad)) return bad;
  float m = getM(o, 0, i);
  float zj = ta_sp_z(getX(o, j, i), m);
  // τ′ >= −1, so an element at or below −1 is never in the support: skipping it keeps the sums bounded
  if (zj <= -1.0) return -ta_inf();
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float v = ta_sp_z(getX(o, k, i), m);
    if (v >= zj) {
      vec2 t = ta_two_sum(s, v);
      s = t.x;
      comp += t.y;
      r += 1.0;
    }
  }
  vec2 t = ta_two_sum(s, -1.0 - ta_z);
  return (t.x + (t.y + comp)) / r;
}`;
  const T = reduce(ctx, 'max', [X, M], ['X', 'M'], 'ta_tau_candidate(o, j, i)', o, n, i, helpers);
  const [TH, TL] = refineTau(ctx, X, M, T, o, n, i);
  return [TH, TL, M];
}

/**
 * τ′ again in double-float from its support (x − m > τ′): τ′ = (Σ_S (x − m) − 1)/|S|,
 * so that the result does not inherit τ′'s rounding. Two passes: high and low part.
 */
function refineTau(
  ctx: Ctx,
  X: TensorInfo,
  M: TensorInfo,
  T: TensorInfo,
  o: number,
  n: number,
  i: number,
): [TensorInfo, TensorInfo] {
  const tauDf = (part: 'x' | 'y') => `float tau = getT(o, 0, i);
  if (ta_isnan(tau)) return tau;
  float m = getM(o, 0, i);
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float x = getX(o, k, i);
    if (ta_sp_z(x, m) > tau) {
      vec2 d = x == m ? vec2(0.0) : ta_two_sum(x, -m);
      vec2 t = ta_two_sum(s, d.x);
      s = t.x;
      comp += t.y + d.y;
      r += 1.0;
    }
  }
  if (r == 0.0) return ${part === 'x' ? 'tau' : '0.0'};
  vec2 num = ta_two_sum(s, -1.0 - ta_z);
  num = ta_fast_two_sum(num.x, num.y + comp);
  float hi = num.x / r;
  vec2 p = ta_two_prod(hi, r);
  float lo = (((num.x - p.x) - p.y) + num.y) / r;
  return ${part === 'x' ? 'hi' : 'lo'};`;
  const common = SPARSEMAX_GLSL.replace('${n}', String(n));
  const TH = mapPass(ctx, [X, M, T], ['X', 'M', 'T'], [o, 1, i], tauDf('x'), common);
  const TL = mapPass(ctx, [X, M, T], ['X', 'M', 'T'], [o, 1, i], tauDf('y'), common);
  return [TH, TL];
}

/** τ′ = th + tl in double-float from the support's compensated Σ (x − m) = ssum + scomp and its size c. */
const SPARSEMAX_TAU_DF = `
  var th = tau;
  var tl = 0.0;
  if (c > 0.0) {
    var num = ta_two_sum(ssum, -1.0 - ta_z);
    num = ta_fast_two_sum(num.x, num.y + scomp);
    th = num.x / c;
    let pr = ta_two_prod(th, c);
    tl = (((num.x - pr.x) - pr.y) + num.y) / c;
  }
  if (bad) { th = ta_nan(); }`;

// webgpu: τ′ per slice in one workgroup (src/backends/webgpu_axis.ts).
/**
 * sparsemax's τ′ = τ − m for the slice, in every thread, as the webgl
 * programs: everything is relative to the slice maximum m, z = x − m
 * (exactly 0 at the maximum, also at +inf), so that the result does not
 * depend on the magnitude of the slice. First a float32 τ′ with the right
 * support by bisection on Σ max(z − τ′, 0) = 1 in [−1, 0] (64 fixed steps,
 * so the barriers stay in uniform control flow), then τ′ = (Σ_S (x − m) − 1)/|S|
 * again from its support S = {z > τ′} with x − m exact (two_sum) and
 * compensated sums, in double-float (th, tl), with the count c. A slice
 * without a limit (a NaN, two or more +inf, only −inf; docs/non-finite.md)
 * has th = NaN.
 */
const SPARSEMAX_TAU_WGSL = `
  var lm = -ta_inf();
  var linf = 0;
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid) {
      let v = X[ta_base + j * uniforms.inner];
      lm = ta_max2(lm, v);
      if (v > 3.4028234e38) { linf += 1; }
    }
  }
  let m = ta_wg_max(lm);
  let infs = ta_wg_isum(linf);
  let bad = ta_isnan(m) || m < -3.4028234e38 || infs > 1;
  var lo = -1.0;  // Σ max(z − lo, 0) >= 1 > Σ max(z − hi, 0) = 0
  var hi = 0.0;
  for (var it = 0; it < 64; it++) {
    let mid = 0.5 * lo + 0.5 * hi;
    var ls = 0.0;
    for (var j = ta_lid; j < n; j += ${AWG}) {
      if (ta_valid && !bad) { ls += max(ta_sp_z(X[ta_base + j * uniforms.inner], m) - mid, 0.0); }
    }
    ta_red[ta_lid] = ls;
    workgroupBarrier();
    for (var st = ${AWG / 2}; st > 0; st = st / 2) {
      if (ta_lid < st) { ta_red[ta_lid] = ta_red[ta_lid] + ta_red[ta_lid + st]; }
      workgroupBarrier();
    }
    let total = ta_red[0];
    workgroupBarrier();
    if (mid > lo && mid < hi) {
      if (total >= 1.0) { lo = mid; } else { hi = mid; }
    }
  }
  let tau = lo;
  var lsum = vec2<f32>(0.0, 0.0);
  var lcomp = 0.0;
  var lc = 0;
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid && !bad) {
      let v = X[ta_base + j * uniforms.inner];
      if (ta_sp_z(v, m) > tau) {
        var d = vec2<f32>(0.0, 0.0);
        if (v != m) { d = ta_two_sum(v, -m); }
        lsum = ta_acc(lsum, d.x);
        lcomp += d.y;
        lc += 1;
      }
    }
  }
  ta_red[ta_lid] = lsum.x;
  ta_red2[ta_lid] = lsum.y + lcomp;
  ta_redi[ta_lid] = lc;
  workgroupBarrier();
  for (var st = ${AWG / 2}; st > 0; st = st / 2) {
    if (ta_lid < st) {
      let t2 = ta_two_sum(ta_red[ta_lid], ta_red[ta_lid + st]);
      ta_red[ta_lid] = t2.x;
      ta_red2[ta_lid] = ta_red2[ta_lid] + ta_red2[ta_lid + st] + t2.y;
      ta_redi[ta_lid] = ta_redi[ta_lid] + ta_redi[ta_lid + st];
    }
    workgroupBarrier();
  }
  let ssum = ta_red[0];
  let scomp = ta_red2[0];
  let c = f32(ta_redi[0]);
  workgroupBarrier();${SPARSEMAX_TAU_DF}`;

/**
 * τ′ when one thread runs the slice (from SERIAL_SLICES slices on: no
 * workgroup memory, no barriers, and the loops may stop early). f(τ) =
 * Σ max(z − τ, 0) − 1 is convex, decreasing and piecewise linear, with
 * f(−1) >= 0 > f(0): Newton's step from a τ below the root, τ ← (Σ_{z>τ} z − 1)/|{z > τ}|,
 * stays below it, and the support shrinks until it stops changing, which
 * it does at the root's support (a few passes for typical rows). A
 * bisection step on [τ, hi] in the same pass bounds the number of passes
 * (64, as the workgroup programs' bisection) whatever the values. The pass
 * that finds the support unchanged also gives its compensated Σ (x − m),
 * from which τ′ is formed in double-float as in the workgroup programs.
 */
const SPARSEMAX_TAU_SERIAL_WGSL = `
  if (!ta_valid) { return; }
  var m = -ta_inf();
  var infs = 0;
  for (var j = 0; j < n; j++) {
    let v = X[ta_base + j * uniforms.inner];
    m = ta_max2(m, v);
    if (v > 3.4028234e38) { infs += 1; }
  }
  let bad = ta_isnan(m) || m < -3.4028234e38 || infs > 1;
  var tau = -1.0;  // f(tau) >= 0
  var hi = 0.0;  // f(hi) < 0
  var last = -1;
  var lsum = vec2<f32>(0.0, 0.0);
  var lcomp = 0.0;
  var lc = 0;
  for (var it = 0; !bad; it++) {
    let mid = 0.5 * tau + 0.5 * hi;
    var g = 0.0;
    lsum = vec2<f32>(0.0, 0.0);
    lcomp = 0.0;
    lc = 0;
    for (var j = 0; j < n; j++) {
      let v = X[ta_base + j * uniforms.inner];
      let z = ta_sp_z(v, m);
      g += max(z - mid, 0.0);
      if (z > tau) {
        var d = vec2<f32>(0.0, 0.0);
        if (v != m) { d = ta_two_sum(v, -m); }
        lsum = ta_acc(lsum, d.x);
        lcomp += d.y;
        lc += 1;
      }
    }
    // the support at tau is the one at the previous tau: the piece of f there has its root at tau
    if (lc == last || it >= 63) { break; }
    last = lc;
    let t = ((lsum.x - 1.0) + (lsum.y + lcomp)) / f32(lc);
    if (g >= 1.0) {
      tau = max(tau, max(t, mid));
    } else {
      hi = mid;
      tau = max(tau, min(t, hi));
    }
  }
  let ssum = lsum.x;
  let scomp = lsum.y + lcomp;
  let c = f32(lc);${SPARSEMAX_TAU_DF}`;

const SPARSEMAX_WGSL = `
fn ta_sp_z(x: f32, m: f32) -> f32 { return select(x - m, 0.0, x == m); }`;

/**
 * A sparsemax program: τ′ (th, tl, with m) then `rest`, from one workgroup
 * per slice, or from one thread per slice with enough slices (SERIAL_SLICES).
 */
function sparsemaxProgram(key: string, names: string[], outLen: number, slices: number, rest: string) {
  const serial = slices >= SERIAL_SLICES;
  const tau = serial ? SPARSEMAX_TAU_SERIAL_WGSL : SPARSEMAX_TAU_WGSL;
  return axisProgram(key, names, outLen, slices, tau + rest, SPARSEMAX_WGSL, serial);
}

/**
 * Sparsemax from stock tfjs ops, for the benchmark. TopK has no gradient in
 * tfjs, so the support (piecewise constant in x) is found from `xs`, a
 * tensor with the same values as x that is not on the gradient tape, and
 * τ = (Σ_S x − 1)/|S| is formed from x itself: autodiff then gives the true
 * sparsemax gradient.
 */
function stockSparsemax(tf: typeof tfc, x: Tensor, xs: Tensor): Tensor {
  const len = x.shape[x.rank - 1];
  const z = tf.topk(xs, len).values;
  const c = tf.cumsum(z, x.rank - 1);
  const r = tf.range(1, len + 1, 1, 'float32');
  const onSupport = tf.cast(tf.greater(tf.add(1, tf.mul(r, z)), c), 'float32');
  const k = tf.sum(onSupport, -1, true);
  const tau0 = tf.div(tf.sub(tf.sum(tf.mul(z, onSupport), -1, true), 1), k);
  const mask = tf.cast(tf.greater(xs, tau0), 'float32');
  const tau = tf.div(tf.sub(tf.sum(tf.mul(x, mask), -1, true), 1), k);
  return tf.relu(tf.sub(x, tau));
}

/**
 * sparsemax (Martins & Astudillo, 2016): the Euclidean projection of x onto
 * the probability simplex, max(x − τ, 0). Keras 3.15.1 computes τ wrongly
 * and its rows do not sum to 1; this is the correct projection (see
 * `sparsemaxTau`). Backward, from x: on the support S (x > τ),
 * dx = dy − mean_S(dy); 0 elsewhere.
 */
export const sparsemax = alongAxis({
  id: 'sparsemax',
  keras: 'sparsemax',
  doc: 'Sparsemax: a softmax alternative whose outputs can be exactly 0.',
  formula: 'max(x − τ, 0), τ chosen so that each slice sums to 1',
  axisKind: 'axis',
  params: [{name: 'axis', keras: 'axis', kind: 'axis', default: -1, doc: 'the axis to normalise'}],
  cpu: {
    // Relative to the slice maximum (sparsemaxShift): exact at any magnitude.
    forward(x, out, outer, n, inner) {
      const z = new Float64Array(n),
        scratch = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const tau = sparsemaxShift(x, base, n, inner, z, scratch);
          for (let j = 0, k = base; j < n; j++, k += inner) {
            const v = z[j] - tau;
            out[k] = v > 0 || v !== v ? v : 0;
          }
        }
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      const z = new Float64Array(n),
        scratch = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const tau = sparsemaxShift(x, base, n, inner, z, scratch);
          let sum = 0,
            count = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) {
            if (z[j] > tau) {
              sum += dy[k];
              count++;
            }
          }
          // a slice without a limit (tau NaN) has a NaN gradient, as its output
          const mean = count > 0 ? sum / count : NaN;
          for (let j = 0, k = base; j < n; j++, k += inner) dx[k] = z[j] > tau ? dy[k] - mean : tau === tau ? 0 : NaN;
        }
      }
    },
  },
  backwardGrad(x, dy, g, axes, run) {
    // dx is linear in dy (a projection onto the support) and piecewise constant in x.
    const m = cast(greater(run.forward(x), 0), 'float32');
    const mean = div(sum(mul(g, m), axes, true), maximum(sum(m, axes, true), scalar(1)));
    return [zerosLike(x), mul(m, sub(g, mean))];
  },
  tensorflow: {
    // float64, relative to the slice maximum (shiftByMax: z = x − max, exact at any magnitude, NaN for
    // slices without a limit), with the axis moved last. As the cpu loop: z sorted descending (TopKV2),
    // c = cumsum, support = {r: 1 + r·z_r > c_r}, τ′ = (Σ_support z − 1)/|support|, y = max(z − τ′, 0).
    // MulNoNan keeps −inf entries out of the sum; a NaN in a slice makes its τ′ NaN.
    forward(x, axes, nat) {
      const rank = x.shape.length,
        axis = axes[0],
        len = x.shape[axis],
        last = rank - 1;
      const perm = [...Array(rank).keys()].filter(d => d !== axis).concat(axis);
      const Z = shiftByMax(nat.f64(x), axes, nat);
      const v = axis === last ? Z : nat.op('Transpose', [Z, nat.ints(perm)], {Tperm: {type: 'int32'}});
      const [z] = nat.ops('TopKV2', [v, nat.ints(len)], {sorted: true}, 2);
      const c = nat.op('Cumsum', [z, nat.ints(last)], {Tidx: {type: 'int32'}});
      const r = nat.f64(nat.ints(Array.from({length: len}, (_, i) => i + 1)));
      const on = nat.f64(nat.greater(nat.add(nat.mul(z, r), 1), c));
      const tau = nat.add(
        nat.div(nat.sub(nat.sum(nat.mulNoNan(z, on), [last]), 1), nat.sum(on, [last])),
        nat.sum(nat.nanOf(v), [last]),
      );
      const y = nat.add(nat.op('Relu', [nat.sub(v, tau)]), nat.nanOf(tau)); // Relu may drop a NaN
      if (axis === last) return y;
      return nat.op('Transpose', [y, nat.ints(perm.map((_, i) => perm.indexOf(i)))], {Tperm: {type: 'int32'}});
    },
    // on the support (y > 0): dy − mean_support(dy); 0 elsewhere; NaN on slices without a limit (as the cpu loop)
    backward(x, dy, axes, nat) {
      const y = this.forward!(x, axes, nat);
      const m = nat.f64(nat.greater(y, 0)),
        DY = nat.f64(dy);
      const mean = nat.op('DivNoNan', [nat.sum(nat.mulNoNan(DY, m), axes), nat.sum(m, axes)]);
      return nat.add(nat.mulNoNan(nat.sub(DY, mean), m), nat.sum(nat.nanOf(y), axes));
    },
  },
  webgl: {
    forward(ctx, X, o, n, i) {
      const [T, L, M] = sparsemaxTauGpu(ctx, X, o, n, i);
      // y = max((x − m) − τ′, 0) with x − m exact (two_sum) and τ′ in double-float
      return mapPass(
        ctx,
        [X, M, T, L],
        ['X', 'M', 'T', 'L'],
        [o, n, i],
        `float t = getT(o, 0, i);
  if (ta_isnan(t)) return t;
  float x = getX(o, j, i), m = getM(o, 0, i);
  if (x == m) return ((0.0 - t) - getL(o, 0, i));
  vec2 d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) d.y = 0.0;
  float v = ((d.x - t) + d.y) - getL(o, 0, i);
  return v > 0.0 ? v : 0.0;`,
      );
    },
    backward(ctx, X, D, o, n, i) {
      const [T, , M] = sparsemaxTauGpu(ctx, X, o, n, i);
      const on = 'ta_sp_z(getX(o, j, i), getM(o, 0, i)) > getT(o, 0, i)';
      const common = SPARSEMAX_GLSL.replace('${n}', String(n));
      // dx = dy − mean over the support of dy on the support (x − m > τ′), 0 elsewhere, NaN for slices without a limit
      const sum = reduce(
        ctx,
        'sum',
        [X, D, M, T],
        ['X', 'D', 'M', 'T'],
        `${on} ? getD(o, j, i) : 0.0`,
        o,
        n,
        i,
        common,
      );
      const count = reduce(ctx, 'sum', [X, M, T], ['X', 'M', 'T'], `${on} ? 1.0 : 0.0`, o, n, i, common);
      return mapPass(
        ctx,
        [X, D, M, T, sum, count],
        ['X', 'D', 'M', 'T', 'S', 'C'],
        [o, n, i],
        `if (ta_isnan(getT(o, 0, i))) return getT(o, 0, i);
  if (!(${on})) return 0.0;
  return getD(o, j, i) - getS(o, 0, i) / getC(o, 0, i);`,
        common,
      );
    },
  },
  test: {
    axisCases: [
      {shape: [4, 6], options: {}},
      {shape: [7, 3], options: {axis: 0}},
      {shape: [6, 9], options: {axis: -1}, scale: 0.5},
      {shape: [3, 4, 2], options: {axis: 1}},
      {shape: [3, 4, 5], options: {axis: 1}},
      {shape: [4, 6, 8], options: {axis: 1}, scale: 0.5},
      {shape: [3, 300], options: {axis: -1}, scale: 0.2, ties: true},
      {shape: [2, 2000], options: {axis: -1}, scale: 0.1, ties: true},
      // at least 256 slices: the webgpu programs run one thread per slice (SERIAL_SLICES)
      {shape: [300, 6], options: {axis: -1}, ties: true},
      {shape: [4, 7, 80], options: {axis: 1}},
      {shape: [260, 64], options: {axis: -1}, scale: 0.02},
    ],
  },
  budget: {tensorflowLaunches: [33, 45]},
  bench: {
    composite: {what: 'topk, cumsum, support, τ, relu(x − τ)', fn: stockSparsemax, needsDetached: true},
  },
  note: 'Sparse probabilities: like softmax, but low scores get exactly 0 (sparse attention).',
  cpp: {
    // relative to the slice maximum (z in w), as the cpu loops
    forward: `
      const double tau = sparsemax_shift(x, n, s, w, w + n);
      for (int64 j = 0; j < n; j++) {
        const double v = w[j] - tau;
        y[j * s] = static_cast<float>(v > 0 || v != v ? v : 0.0);
      }`,
    backward: `
      const double tau = sparsemax_shift(x, n, s, w, w + n);
      double sum = 0;
      int64 count = 0;
      for (int64 j = 0; j < n; j++) {
        if (w[j] > tau) {
          sum += dy[j * s];
          count++;
        }
      }
      // a slice without a limit (tau NaN) has a NaN gradient, as its output
      const double mean = count > 0 ? sum / count : NAN;
      for (int64 j = 0; j < n; j++) {
        dx[j * s] = static_cast<float>(w[j] > tau ? dy[j * s] - mean : tau == tau ? 0.0 : NAN);
      }`,
    // each slice's entries within 2 of its maximum are sorted (sparsemax_shift; about 8 cycles per element at 1024
    // with normal(0, 2) values): split over the pool from a few slices on
    cost: [10, 12],
  },
  webgpu: {
    forward(b, X, o, n, i, shape) {
      return runAxis(
        b,
        sparsemaxProgram(
          'sparsemax_f',
          ['X'],
          o * n * i,
          o * i,
          `
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    // y = max((x − m) − τ′, 0) with x − m exact (two_sum) and τ′ in double-float
    let x = X[k];
    if (ta_isnan(th)) {
      result[k] = th;
    } else if (x == m) {
      result[k] = (0.0 - th) - tl;
    } else {
      var d = ta_two_sum(x, -m);
      if (ta_isnan(d.y)) { d.y = 0.0; }
      let v = ((d.x - th) + d.y) - tl;
      result[k] = select(0.0, v, v > 0.0);
    }
  }`,
        ),
        [X],
        [o, n, i],
        shape,
      );
    },
    backward(b, X, D, o, n, i, shape) {
      return runAxis(
        b,
        sparsemaxProgram(
          'sparsemax_b',
          ['X', 'D'],
          o * n * i,
          o * i,
          `
  // dx = dy − mean of dy over the support (x − m > τ′), 0 elsewhere, NaN for slices without a limit
  var ld = vec2<f32>(0.0, 0.0);
  var lc2 = 0;
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (ta_valid) {
      let k = ta_base + j * uniforms.inner;
      if (ta_sp_z(X[k], m) > th) {
        ld = ta_acc(ld, D[k]);
        lc2 += 1;
      }
    }
  }
  let sd = ta_wg_sum(ld);
  let c2 = f32(ta_wg_isum(lc2));
  for (var j = ta_lid; j < n; j += TA_LANES) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    if (ta_isnan(th)) {
      result[k] = th;
    } else if (ta_sp_z(X[k], m) > th) {
      result[k] = D[k] - sd / c2;
    } else {
      result[k] = 0.0;
    }
  }`,
        ),
        [X, D],
        [o, n, i],
        shape,
      );
    },
  },
});
