import type * as tfc from '@tensorflow/tfjs-core';
import type {Tensor} from '@tensorflow/tfjs-core';
import {cast, div, greater, maximum, mul, scalar, sub, sum, zerosLike} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sparsemaxTau} from '../math';

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
  budget: {tensorflowLaunches: [21, 30]},
  bench: {
    composite: {what: 'topk, cumsum, support, τ, relu(x − τ)', fn: stockSparsemax, needsDetached: true},
  },
});
