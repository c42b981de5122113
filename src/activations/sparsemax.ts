import {cast, div, greater, maximum, mul, scalar, sub, sum, zerosLike} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sparsemaxShift} from '../math';
import {shiftByMax} from '../native_axis';

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
      const z = new Float64Array(n), scratch = new Float64Array(n);
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
      const z = new Float64Array(n), scratch = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const tau = sparsemaxShift(x, base, n, inner, z, scratch);
          let sum = 0, count = 0;
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
    forward(x, axes, n) {
      const rank = x.shape.length, axis = axes[0], len = x.shape[axis], last = rank - 1;
      const perm = [...Array(rank).keys()].filter(d => d !== axis).concat(axis);
      const Z = shiftByMax(n.f64(x), axes, n);
      const v = axis === last ? Z : n.op('Transpose', [Z, n.ints(perm)], {Tperm: {type: 'int32'}});
      const [z] = n.ops('TopKV2', [v, n.ints(len)], {sorted: true}, 2);
      const c = n.op('Cumsum', [z, n.ints(last)], {Tidx: {type: 'int32'}});
      const r = n.f64(n.ints(Array.from({length: len}, (_, i) => i + 1)));
      const on = n.f64(n.greater(n.add(n.mul(z, r), 1), c));
      const tau = n.add(n.div(n.sub(n.sum(n.mulNoNan(z, on), [last]), 1), n.sum(on, [last])),
                        n.sum(n.nanOf(v), [last]));
      const y = n.add(n.op('Relu', [n.sub(v, tau)]), n.nanOf(tau));  // Relu may drop a NaN
      if (axis === last) return y;
      return n.op('Transpose', [y, n.ints(perm.map((_, i) => perm.indexOf(i)))], {Tperm: {type: 'int32'}});
    },
    // on the support (y > 0): dy − mean_support(dy); 0 elsewhere; NaN on slices without a limit (as the cpu loop)
    backward(x, dy, axes, n) {
      const y = this.forward!(x, axes, n);
      const m = n.f64(n.greater(y, 0)), DY = n.f64(dy);
      const mean = n.op('DivNoNan', [n.sum(n.mulNoNan(DY, m), axes), n.sum(m, axes)]);
      return n.add(n.mulNoNan(n.sub(DY, mean), m), n.sum(n.nanOf(y), axes));
    },
  },
});
