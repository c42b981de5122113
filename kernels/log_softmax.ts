import {exp, mul, neg, sub, sum} from '@tensorflow/tfjs-core';
import {alongAxis} from '../src/definition';

/**
 * log_softmax: x − max − log Σ exp(x − max), sums in float64. Backward from
 * the output: dx = dy − exp(y)·Σ dy.
 */
export const logSoftmax = alongAxis({
  id: 'logSoftmax',
  keras: 'log_softmax',
  doc: 'Log-softmax over an axis, several axes, or all axes (null).',
  formula: 'x − max(x) − log Σ exp(x − max(x))',
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
          if (max === -Infinity) max = 0;
          let sum = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) sum += Math.exp(x[k] - max);
          const shift = max + Math.log(sum);
          for (let j = 0, k = base; j < n; j++, k += inner) out[k] = x[k] - shift;
        }
      }
    },
    backward(y, dy, dx, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          let sum = 0;
          for (let j = 0, k = base; j < n; j++, k += inner) sum += dy[k];
          for (let j = 0, k = base; j < n; j++, k += inner) dx[k] = dy[k] - Math.exp(y[k]) * sum;
        }
      }
    },
  },
  backwardGrad(y, dy, g, axes) {
    const e = exp(y);
    return [neg(mul(mul(g, e), sum(dy, axes, true))), sub(g, sum(mul(g, e), axes, true))];
  },
});
