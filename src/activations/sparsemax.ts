import type * as tfc from '@tensorflow/tfjs-core';
import type {Tensor, TensorInfo} from '@tensorflow/tfjs-core';
import {cast, div, greater, maximum, mul, scalar, sub, sum, zerosLike} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sparsemaxTau} from '../math';
import {mapPass, reduce, type Ctx} from '../backends/webgl_axis';

// webgl: τ per slice on the GPU.
/** Above this slice length sparsemax finds its support by bisection instead of O(n) work per element. */
const SPARSEMAX_BISECT = 512;

/**
 * sparsemax's τ in double-float (high, low). First a float32 τ with the
 * right support: for n ≤ SPARSEMAX_BISECT, τ = max over r of (c_r − 1)/r,
 * c_r the sum of the r largest, computed per element j with r = #{x ≥ x_j}
 * and c_r = Σ_{x ≥ x_j} x (ties end a group, which gives the same maximum),
 * then a max over the axis: no sort; for longer slices, a bisection on
 * Σ max(x − τ, 0) = 1 per slice, whose lower end has the support (or one
 * with extra elements within an ulp of τ, which do not move it). Then τ
 * again from its support, τ = (Σ_S x − 1)/|S| with compensated sums.
 */
function sparsemaxTauGpu(ctx: Ctx, X: TensorInfo, o: number, n: number, i: number): [TensorInfo, TensorInfo] {
  if (n > SPARSEMAX_BISECT) {
    const T = mapPass(ctx, [X], ['X'], [o, 1, i], `float m = -ta_inf();
  for (int k = 0; k < ${n}; k++) {
    float v = getX(o, k, i);
    if (ta_isnan(v)) return v;
    m = max(m, v);
  }
  if (m > 3.4028234e38 || m < -3.4028234e38) return m;
  float lo = m - 1.0, hi = m;  // Σ max(x − lo, 0) >= 1 > Σ max(x − hi, 0) = 0
  for (int it = 0; it < 64; it++) {
    float mid = 0.5 * lo + 0.5 * hi;
    if (mid <= lo || mid >= hi) break;
    float s = 0.0;
    for (int k = 0; k < ${n}; k++) s += max(getX(o, k, i) - mid, 0.0);
    if (s >= 1.0) lo = mid; else hi = mid;
  }
  return lo;`);
    return refineTau(ctx, X, T, o, n, i);
  }
  const helpers = `
float ta_tau_candidate(int o, int j, int i) {
  float xj = getX(o, j, i);
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float v = getX(o, k, i);
    if (ta_isnan(v)) return v;
    if (v >= xj) {
      vec2 t = ta_two_sum(s, v);
      s = t.x;
      comp += t.y;
      r += 1.0;
    }
  }
  if (ta_isnan(xj)) return xj;
  vec2 t = ta_two_sum(s, -1.0 - ta_z);
  return (t.x + (t.y + comp)) / r;
}`;
  const T = reduce(ctx, 'max', [X], ['X'], 'ta_tau_candidate(o, j, i)', o, n, i, helpers);
  return refineTau(ctx, X, T, o, n, i);
}

/**
 * τ again in double-float from its support (x > τ): τ = (Σ_S x − 1)/|S|, so
 * that x − τ does not inherit τ's rounding. Two passes: high and low part.
 */
function refineTau(ctx: Ctx, X: TensorInfo, T: TensorInfo, o: number, n: number, i: number): [TensorInfo, TensorInfo] {
  const tauDf = (part: 'x' | 'y') => `float tau = getT(o, 0, i);
  if (ta_isnan(tau)) return tau;
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float v = getX(o, k, i);
    if (v > tau) {
      vec2 t = ta_two_sum(s, v);
      s = t.x;
      comp += t.y;
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
  const TH = mapPass(ctx, [X, T], ['X', 'T'], [o, 1, i], tauDf('x'));
  const TL = mapPass(ctx, [X, T], ['X', 'T'], [o, 1, i], tauDf('y'));
  return [TH, TL];
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
    forward(x, out, outer, n, inner) {
      const z = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const tau = sparsemaxTau(x, base, n, inner, z);
          for (let j = 0, k = base; j < n; j++, k += inner) {
            const v = x[k] - tau;
            out[k] = v > 0 || v !== v ? v : 0;
          }
        }
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      const z = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const tau = sparsemaxTau(x, base, n, inner, z);
          let sum = 0, count = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) {
            if (x[k] > tau) {
              sum += dy[k];
              count++;
            }
          }
          const mean = count > 0 ? sum / count : 0;
          for (let j = 0, k = base; j < n; j++, k += inner) dx[k] = x[k] > tau ? dy[k] - mean : 0;
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
    // float64 (x − τ cancels in float32), with the axis moved last. As the cpu loop: z = x sorted
    // descending (TopKV2), c = cumsum(z), support = {r: 1 + r·z_r > c_r}, τ = (Σ_support z − 1)/|support|.
    // MulNoNan keeps −inf entries out of the sum; a NaN in a slice makes its τ NaN.
    forward(x, axes, nat) {
      const rank = x.shape.length, axis = axes[0], len = x.shape[axis], last = rank - 1;
      const perm = [...Array(rank).keys()].filter(d => d !== axis).concat(axis);
      const X = nat.f64(x);
      const v = axis === last ? X : nat.op('Transpose', [X, nat.ints(perm)], {Tperm: {type: 'int32'}});
      const [z] = nat.ops('TopKV2', [v, nat.ints(len)], {sorted: true}, 2);
      const c = nat.op('Cumsum', [z, nat.ints(last)], {Tidx: {type: 'int32'}});
      const r = nat.f64(nat.ints(Array.from({length: len}, (_, i) => i + 1)));
      const on = nat.f64(nat.greater(nat.add(nat.mul(z, r), 1), c));
      const tau = nat.add(nat.div(nat.sub(nat.sum(nat.mulNoNan(z, on), [last]), 1), nat.sum(on, [last])),
                        nat.sum(nat.nanOf(v), [last]));
      const y = nat.op('Relu', [nat.sub(v, tau)]);
      if (axis === last) return y;
      return nat.op('Transpose', [y, nat.ints(perm.map((_, i) => perm.indexOf(i)))], {Tperm: {type: 'int32'}});
    },
    // on the support (y > 0): dy − mean_support(dy); 0 elsewhere (and on NaN slices, as the cpu loop)
    backward(x, dy, axes, nat) {
      const m = nat.f64(nat.greater(this.forward!(x, axes, nat), 0)), DY = nat.f64(dy);
      const mean = nat.op('DivNoNan', [nat.sum(nat.mulNoNan(DY, m), axes), nat.sum(m, axes)]);
      return nat.mulNoNan(nat.sub(DY, mean), m);
    },
  },
  webgl: {
    forward(ctx, X, o, n, i) {
      const [T, L] = sparsemaxTauGpu(ctx, X, o, n, i);
      return mapPass(ctx, [X, T, L], ['X', 'T', 'L'], [o, n, i], `float v = (getX(o, j, i) - getT(o, 0, i)) - getL(o, 0, i);
  return (v > 0.0 || ta_isnan(v)) ? v : 0.0;`);
    },
    backward(ctx, X, D, o, n, i) {
      const [T] = sparsemaxTauGpu(ctx, X, o, n, i);
      // dx = dy − mean over the support of dy on the support (x > τ), 0 elsewhere
      const sum = reduce(ctx, 'sum', [X, D, T], ['X', 'D', 'T'], 'getX(o, j, i) > getT(o, 0, i) ? getD(o, j, i) : 0.0',
                         o, n, i);
      const count = reduce(ctx, 'sum', [X, T], ['X', 'T'], 'getX(o, j, i) > getT(o, 0, i) ? 1.0 : 0.0', o, n, i);
      return mapPass(ctx, [X, D, T, sum, count], ['X', 'D', 'T', 'S', 'C'], [o, n, i],
                     `if (!(getX(o, j, i) > getT(o, 0, i))) return 0.0;
  return getD(o, j, i) - getS(o, 0, i) / getC(o, 0, i);`);
    },
  },
  budget: {tensorflowLaunches: [21, 30]},
  bench: {
    composite: {what: 'topk, cumsum, support, τ, relu(x − τ)', fn: stockSparsemax, needsDetached: true},
  },
  note: 'Sparse probabilities: like softmax, but low scores get exactly 0 (sparse attention).',
});
