import {mul, sub, sum} from '@tensorflow/tfjs-core';
import {alongAxis} from '../src/definition';

/**
 * softmax over one or several (merged, contiguous) axes: exp(x − max)/sum.
 * Sums are accumulated in float64. The backward pass uses the output:
 * dx = y·(dy − Σ dy·y).
 */
export const softmax = alongAxis({
  id: 'softmax',
  keras: 'softmax',
  doc: 'Softmax over an axis, several axes, or all axes (null).',
  formula: 'exp(x − max(x)) / Σ exp(x − max(x))',
  axisKind: 'axes',
  backwardUses: 'y',
  params: [{name: 'axis', keras: 'axis', kind: 'axes', default: -1,
            doc: 'an axis, an array of axes, or null for all'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          let max = -Infinity;
          for (let j = 0, k = base; j < n; j++, k += inner) if (x[k] > max) max = x[k];
          if (max === -Infinity) max = 0;  // all −inf: exp(−inf − 0) = 0, 0/0 = NaN as in Keras
          let sum = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) sum += Math.exp(x[k] - max);
          for (let j = 0, k = base; j < n; j++, k += inner) out[k] = Math.exp(x[k] - max) / sum;
        }
      }
    },
    backward(y, dy, dx, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          let dot = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) dot += dy[k] * y[k];
          for (let j = 0, k = base; j < n; j++, k += inner) dx[k] = y[k] * (dy[k] - dot);
        }
      }
    },
  },
  backwardGrad(y, dy, g, axes) {
    const gy = sum(mul(g, y), axes, true);
    return [sub(mul(g, sub(dy, sum(mul(dy, y), axes, true))), mul(dy, gy)), mul(y, sub(g, gy))];
  },
});
