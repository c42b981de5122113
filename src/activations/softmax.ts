import {mul, sub, sum} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {softmaxRow} from '../math';

/**
 * softmax over one or several (merged, contiguous) axes: exp(x − max)/Σ,
 * accumulated in float64. Backward, from x: dx = y·(dy − Σ dy·y) with y
 * recomputed in float64 and the difference formed without cancellation.
 */
export const softmax = alongAxis({
  id: 'softmax',
  keras: 'softmax',
  doc: 'Softmax over an axis, several axes, or all axes (null).',
  formula: 'exp(x − max(x)) / Σ exp(x − max(x))',
  axisKind: 'axes',
  params: [{name: 'axis', keras: 'axis', kind: 'axes', default: -1,
            doc: 'an axis, an array of axes, or null for all'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      const y = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          softmaxRow(x, base, n, inner, y);
          for (let j = 0; j < n; j++) out[base + j * inner] = y[j];
        }
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      const y = new Float64Array(n);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          // dy_k − Σ dy·y = (dy_k − dy_m) + Σ_{j≠m} (dy_m − dy_j)·y_j with m the argmax: the
          // plain form cancels when y_m ≈ 1.
          const m = softmaxRow(x, base, n, inner, y);
          const dym = dy[base + m * inner];
          let d = 0;
          for (let j = 0; j < n; j++) if (j !== m) d += (dym - dy[base + j * inner]) * y[j];
          for (let j = 0; j < n; j++) dx[base + j * inner] = y[j] * ((dy[base + j * inner] - dym) + d);
        }
      }
    },
  },
  backwardGrad(x, dy, g, axes, run) {
    // dx = y(dy − Σ dy·y): d/d(dy) = y(g − Σ g·y); d/dy = g(dy − Σ dy·y) − dy·Σ g·y, chained to x.
    const y = run.forward(x);
    const gy = sum(mul(g, y), axes, true);
    const dY = sub(mul(g, sub(dy, sum(mul(dy, y), axes, true))), mul(dy, gy));
    return [run.backward(x, dY), mul(y, sub(g, gy))];
  },
  tensorflow: {
    // float64, so x − max is exact. Native Softmax when the axes are the last ones (merged by a reshape).
    forward(x, axes, n) {
      const X = n.f64(x), rank = x.shape.length;
      if (axes[axes.length - 1] === rank - 1) {
        if (axes.length === 1) return n.op('Softmax', [X]);
        return n.reshape(n.op('Softmax', [n.reshape(X, [...x.shape.slice(0, axes[0]), -1])]), x.shape);
      }
      const e = n.op('Exp', [n.sub(X, n.max(X, axes))]);
      return n.div(e, n.sum(e, axes));
    },
    // dx = y(dy − Σ dy·y), written as y(D − Σ D·y) with D = dy − c: equal for any c, and with c the
    // dy of the maximum, D is exactly 0 there, so a dominant y ≈ 1 does not cancel (1 − y can be 1e-30).
    backward(x, dy, axes, n) {
      const X = n.f64(x), DY = n.f64(dy), rank = x.shape.length;
      const z = n.sub(X, n.max(X, axes));
      let y;
      if (axes.length === 1 && axes[0] === rank - 1) {
        y = n.op('Softmax', [X]);
      } else {
        const e = n.op('Exp', [z]);
        y = n.div(e, n.sum(e, axes));
      }
      const atMax = n.add(n.op('Sign', [z]), 1);  // 1 at the maxima, 0 below
      const d = n.sub(DY, n.sum(n.mul(DY, atMax), axes));
      return n.mul(y, n.sub(d, n.sum(n.mul(d, y), axes)));
    },
  },
  cpp: {
    forward: `
      softmax_row(x, n, s, w, w + n);
      store_row(w, y, n, s);`,
    backward: `
      // dy_k − Σ dy·y = (dy_k − dy_m) + Σ_{j≠m} (dy_m − dy_j)·y_j with m the argmax (no cancellation at y_m ≈ 1)
      const int64 m = softmax_row(x, n, s, w, w + n);
      const double dym = dy[m * s];
      double d = 0;
      for (int64 j = 0; j < n; j++) if (j != m) d += (dym - dy[j * s]) * w[j];
      for (int64 j = 0; j < n; j++) dx[j * s] = static_cast<float>(w[j] * ((dy[j * s] - dym) + d));`,
  },
});
