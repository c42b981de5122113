import {exp, mul, neg, sub, sum} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sliceStats} from '../math';

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
  params: [{name: 'axis', keras: 'axis', kind: 'axes', default: -1,
            doc: 'an axis, an array of axes, or null for all'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const [max, , rest] = sliceStats(x, base, n, inner);
          const l = Math.log1p(rest);
          for (let j = 0, k = base; j < n; j++, k += inner) out[k] = (x[k] - max) - l;
        }
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          const [max, m, rest] = sliceStats(x, base, n, inner);
          let sum = 0, others = 0;
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
    forward(x, axes, n) {
      const X = n.f64(x);
      const z = n.sub(X, n.max(X, axes));
      const s = n.op('Sign', [z]);  // −1 below the maximum, 0 at it
      const count = axes.reduce((p, a) => p * x.shape[a], 1);
      const delta = n.sub(n.add(n.sum(s, axes), count - 1), n.sum(n.mul(n.op('Exp', [z]), s), axes));
      return n.sub(z, n.op('Log1p', [delta]));
    },
    // dx = dy − p·Σdy = dy·(1 − p) − p·(Σdy − dy), with 1 − p = (δ − expm1(z))/(1 + δ) and
    // Σdy − dy = (Σ_max dy − dy) + Σ_below dy: no cancellation when p ≈ 1 (confident rows).
    backward(x, dy, axes, n) {
      const X = n.f64(x), DY = n.f64(dy);
      const z = n.sub(X, n.max(X, axes));
      const s = n.op('Sign', [z]), e = n.op('Exp', [z]);
      const count = axes.reduce((p, a) => p * x.shape[a], 1);
      const delta = n.sub(n.add(n.sum(s, axes), count - 1), n.sum(n.mul(e, s), axes));
      const total = n.add(delta, 1);
      const q = n.div(n.sub(delta, n.op('Expm1', [z])), total);
      const rest = n.sub(n.sub(n.sum(n.mul(DY, n.add(s, 1)), axes), DY), n.sum(n.mul(DY, s), axes));
      return n.sub(n.mul(DY, q), n.mul(n.div(e, total), rest));
    },
  },
  cpp: {
    forward: `
      double max, rest;
      int64 m;
      slice_stats(x, n, s, w, w + n, &max, &m, &rest);  // w[j] = exp(x_j − max)
      const double l = log1p(rest);
      double* v = w + n;  // the slice in float64
      for (int64 j = 0; j < n; j++) w[j] = (v[j] - max) - l;
      store_row(w, y, n, s);`,
    backward: `
      double max, rest;
      int64 m;
      slice_stats(x, n, s, w, w + n, &max, &m, &rest);  // w[j] = exp(x_j − max)
      double sum = 0, others = 0;
      for (int64 j = 0; j < n; j++) {
        sum += dy[j * s];
        if (j != m) others += dy[j * s];
      }
      const double d = 1 + rest;
      for (int64 j = 0; j < n; j++) {
        dx[j * s] = static_cast<float>(j == m ? (rest / d) * sum - others : dy[j * s] - (w[j] / d) * sum);
      }`,
  },
});
