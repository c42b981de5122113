import {add, concat, mul, sigmoid as sigmoidOp, split, sub} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sigmoid} from '../math';

/**
 * glu: split the axis in halves a | b and return a·sigmoid(b); the output
 * is half as long on that axis. Backward from the input:
 * da = dy·σ(b), db = dy·a·σ(b)σ(−b).
 */
export const glu = alongAxis({
  id: 'glu',
  keras: 'glu',
  doc: 'Gated linear unit; halves the size of its axis.',
  formula: 'a·sigmoid(b), where [a, b] = x split in two halves along axis',
  axisKind: 'axis',
  halvesAxis: true,
  params: [{name: 'axis', keras: 'axis', kind: 'axis', default: -1, doc: 'the axis to split'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      const h = n >> 1, half = h * inner;
      for (let o = 0; o < outer; o++) {
        const src = o * n * inner, dst = o * half;
        for (let k = 0; k < half; k++) out[dst + k] = x[src + k] * sigmoid(x[src + half + k]);
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      const h = n >> 1, half = h * inner;
      for (let o = 0; o < outer; o++) {
        const src = o * n * inner, dst = o * half;
        for (let k = 0; k < half; k++) {
          const a = x[src + k], b = x[src + half + k], g = dy[dst + k];
          const s = sigmoid(b);
          dx[src + k] = g * s;
          dx[src + half + k] = g * a * s * sigmoid(-b);
        }
      }
    },
  },
  backwardGrad(x, dy, g, axes) {  // glu's backward already takes x
    const [a, b] = split(x, 2, axes[0]);
    const [ga, gb] = split(g, 2, axes[0]);
    const s = sigmoidOp(b);
    const ds = mul(s, sub(1, s));         // σ'
    const dds = mul(ds, sub(1, mul(2, s)));  // σ''
    const dA = mul(mul(gb, dy), ds);
    const dB = add(mul(mul(ga, dy), ds), mul(mul(gb, dy), mul(a, dds)));
    return [concat([dA, dB], axes[0]), add(mul(ga, s), mul(mul(gb, a), ds))];
  },
  tensorflow: {
    // float64; SoftplusGrad(a, b) = a·σ(b).
    forward(x, axes, n) {
      const [a, b] = n.split2(n.f64(x), axes[0]);
      return n.op('SoftplusGrad', [a, b]);
    },
    // da = dy·σ(b), db = da·a·σ(−b)
    backward(x, dy, axes, n) {
      const [a, b] = n.split2(n.f64(x), axes[0]);
      const da = n.op('SoftplusGrad', [n.f64(dy), b]);
      return n.concat2(da, n.op('SoftplusGrad', [n.mul(da, a), n.op('Neg', [b])]), axes[0]);
    },
  },
  cpp: {
    forward: `
      const int64 h = n / 2;
      for (int64 j = 0; j < h; j++) y[j * s] = static_cast<float>(x[j * s] * sigmoid(x[(h + j) * s]));`,
    backward: `
      const int64 h = n / 2;
      for (int64 j = 0; j < h; j++) {
        const double a = x[j * s], b = x[(h + j) * s], g = dy[j * s], sg = sigmoid(b);
        dx[j * s] = static_cast<float>(g * sg);
        dx[(h + j) * s] = static_cast<float>(g * a * sg * sigmoid(-b));
      }`,
  },
});
