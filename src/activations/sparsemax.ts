import {cast, div, greater, maximum, mul, scalar, sub, sum, zerosLike} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sparsemaxTau} from '../math';

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
    forward(x, axes, n) {
      const rank = x.shape.length, axis = axes[0], len = x.shape[axis], last = rank - 1;
      const perm = [...Array(rank).keys()].filter(d => d !== axis).concat(axis);
      const X = n.f64(x);
      const v = axis === last ? X : n.op('Transpose', [X, n.ints(perm)], {Tperm: {type: 'int32'}});
      const [z] = n.ops('TopKV2', [v, n.ints(len)], {sorted: true}, 2);
      const c = n.op('Cumsum', [z, n.ints(last)], {Tidx: {type: 'int32'}});
      const r = n.f64(n.ints(Array.from({length: len}, (_, i) => i + 1)));
      const on = n.f64(n.greater(n.add(n.mul(z, r), 1), c));
      const tau = n.add(n.div(n.sub(n.sum(n.mulNoNan(z, on), [last]), 1), n.sum(on, [last])),
                        n.sum(n.nanOf(v), [last]));
      const y = n.op('Relu', [n.sub(v, tau)]);
      if (axis === last) return y;
      return n.op('Transpose', [y, n.ints(perm.map((_, i) => perm.indexOf(i)))], {Tperm: {type: 'int32'}});
    },
    // on the support (y > 0): dy − mean_support(dy); 0 elsewhere (and on NaN slices, as the cpu loop)
    backward(x, dy, axes, n) {
      const m = n.f64(n.greater(this.forward!(x, axes, n), 0)), DY = n.f64(dy);
      const mean = n.op('DivNoNan', [n.sum(n.mulNoNan(DY, m), axes), n.sum(m, axes)]);
      return n.mulNoNan(n.sub(DY, mean), m);
    },
  },
  cpp: {
    forward: `
      const double tau = sparsemax_tau(x, n, s, w);
      for (int64 j = 0; j < n; j++) {
        const double v = x[j * s] - tau;
        y[j * s] = static_cast<float>(v > 0 || v != v ? v : 0.0);
      }`,
    backward: `
      const double tau = sparsemax_tau(x, n, s, w);
      double sum = 0;
      int64 count = 0;
      for (int64 j = 0; j < n; j++) {
        if (x[j * s] > tau) {
          sum += dy[j * s];
          count++;
        }
      }
      const double mean = count > 0 ? sum / count : 0;
      for (int64 j = 0; j < n; j++) dx[j * s] = static_cast<float>(x[j * s] > tau ? dy[j * s] - mean : 0.0);`,
  },
});
