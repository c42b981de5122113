import {cast, div, greater, maximum, mul, scalar, sub, sum, zerosLike} from '@tensorflow/tfjs-core';
import {alongAxis} from '../src/definition';
import {sparsemaxTau} from '../src/math';

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
});
