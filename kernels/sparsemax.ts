import {cast, div, greater, maximum, mul, scalar, sub, sum, zerosLike} from '@tensorflow/tfjs-core';
import {alongAxis} from '../src/definition';

/**
 * sparsemax (Martins & Astudillo, 2016): the Euclidean projection of x onto
 * the probability simplex, max(x − τ, 0) with τ = (c_k − 1)/k, where z is x
 * sorted in decreasing order, c its running sum and k the largest r with
 * z_r − (c_r − 1)/r > 0. Keras 3.15.1 computes τ differently and its rows do
 * not sum to 1; this is the correct projection. Backward from the output:
 * on the support S (y > 0), dx = dy − mean_S(dy); 0 elsewhere.
 */
export const sparsemax = alongAxis({
  id: 'sparsemax',
  keras: 'sparsemax',
  doc: 'Sparsemax: a softmax alternative whose outputs can be exactly 0.',
  formula: 'max(x − τ, 0), τ chosen so that each slice sums to 1',
  axisKind: 'axis',
  backwardUses: 'y',
  params: [{name: 'axis', keras: 'axis', kind: 'axis', default: -1, doc: 'the axis to normalise'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      const z = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          for (let j = 0, k = base; j < n; j++, k += inner) z[j] = x[k];
          z.sort();  // ascending; walk it from the top
          let cum = 0, tau = 0;
          for (let r = 1; r <= n; r++) {
            const zr = z[n - r];
            cum += zr;
            if (zr - (cum - 1) / r > 0) tau = (cum - 1) / r;
            else break;
          }
          for (let j = 0, k = base; j < n; j++, k += inner) {
            const v = x[k] - tau;
            out[k] = v > 0 ? v : 0;
          }
        }
      }
    },
    backward(y, dy, dx, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          let sum = 0, count = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) {
            if (y[k] > 0) {
              sum += dy[k];
              count++;
            }
          }
          const mean = count > 0 ? sum / count : 0;
          for (let j = 0, k = base; j < n; j++, k += inner) dx[k] = y[k] > 0 ? dy[k] - mean : 0;
        }
      }
    },
  },
  backwardGrad(y, dy, g, axes) {
    // dx is linear in dy (a projection) and piecewise constant in y
    const m = cast(greater(y, 0), 'float32');
    const mean = div(sum(mul(g, m), axes, true), maximum(sum(m, axes, true), scalar(1)));
    return [zerosLike(y), mul(m, sub(g, mean))];
  },
});
