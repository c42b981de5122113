import {elementwise} from '../definition';
import {sigmoid} from '../math';

/**
 * mish: x·tanh(softplus(x)) with one exp: with e = exp(x) and
 * n = e(e + 2), tanh(softplus(x)) = n/(n + 2), 1 − tanh² = 4(n + 1)/(n + 2)²
 * and σ(x) = e/(1 + e). Above x = 40, tanh(softplus(x)) is 1 in float64 and
 * 1 − tanh² ≈ 4exp(−2x). (Written out in each function, with no helper
 * returning a pair: the cpu kernel runs them once per element.)
 */

export const mish = elementwise({
  id: 'mish',
  keras: 'mish',
  doc: 'Mish, a smooth self-gated activation.',
  formula: 'x·tanh(softplus(x))',
  forward: x => {
    if (x > 40) return x;
    if (x === -Infinity) return -0;
    const e = Math.exp(x), n = e * (e + 2);
    return x * (n / (n + 2));
  },
  derivative: x => {
    if (x === Infinity || x === -Infinity) return x > 0 ? 1 : 0;
    if (x > 40) return 1 + x * (4 * Math.exp(-2 * x)) * sigmoid(x);
    const e = Math.exp(x), n = e * (e + 2), d = n + 2;
    return n / d + x * (4 * (n + 1) / (d * d)) * (e / (1 + e));
  },
  second: x => {
    if (x === Infinity || x === -Infinity) return 0;
    // T' = S σ, T'' = S(σ(1 − σ) − 2Tσ²); f'' = 2T' + xT''
    if (x > 40) {
      const s2 = 4 * Math.exp(-2 * x), s = sigmoid(x);
      return 2 * s2 * s + x * s2 * (s * sigmoid(-x) - 2 * s * s);
    }
    const e = Math.exp(x), n = e * (e + 2), d = n + 2;
    const t = n / d, s2 = 4 * (n + 1) / (d * d), s = e / (1 + e);
    return 2 * s2 * s + x * s2 * (s * (1 / (1 + e)) - 2 * t * s * s);
  },
  glsl: {
    forward: `
      if (x > 15.0) return x;
      if (x < -100.0) return -0.0;
      float e = expf(x);
      if (x >= 0.0) return x * (1.0 - 2.0 / (e * (e + 2.0) + 2.0));
      // x·e(e + 2)/(e(e + 2) + 2) with the factor e applied last
      return ta_expmul(x, x * (e + 2.0) / (e * (e + 2.0) + 2.0));`,
    derivative: `
      if (x > 15.0) return 1.0;
      if (x < -100.0) return 0.0;
      float e = expf(x);
      float n = e * (e + 2.0), d = n + 2.0;
      float s2 = 4.0 * (n + 1.0) / (d * d);  // 1 − tanh²(softplus x)
      float r = x >= 0.0 ? n / d + x * s2 * sigmoid(x)
                         : ta_expmul(x, (e + 2.0) / d + x * s2 / (1.0 + e));
      return rootfix_mish1(x, r);`,
    second: `
      if (x > 60.0 || x < -100.0) return 0.0;
      float s = sigmoid(x);
      if (x > 20.0) return ta_expmul(-2.0 * x, 4.0 * s * (2.0 + x * (sigmoid(-x) - 2.0 * s)));
      float e = expf(x);
      float n = e * (e + 2.0), d = n + 2.0;
      float s2 = 4.0 * (n + 1.0) / (d * d);
      float b = 2.0 + x * (sigmoid(-x) - 2.0 * (n / d) * s);
      float r = x >= 0.0 ? s2 * s * b : ta_expmul(x, s2 / (1.0 + e) * b);
      return rootfix_mish2(x, r);`,
  },
  tensorflow: {
    // float64; T = tanh(softplus(x)), S = sech²(softplus(x)).
    forward(x, _u, n) {
      const X = n.f64(x);
      return n.mulNoNan(X, n.op('Tanh', [n.op('Softplus', [X])]));
    },
    // dy·(T + x·σ(x)·S), S as 1 − T² (its loss for x > 19 is below the result's precision)
    derivative(x, dy, _u, n) {
      const X = n.f64(x), DY = n.f64(dy);
      const t = n.op('Tanh', [n.op('Softplus', [X])]);
      const s = n.sub(1, n.op('Square', [t]));
      const g = n.op('SoftplusGrad', [DY, X]);
      return n.add(n.mul(t, DY), n.mulNoNan(X, n.mul(g, s)));
    },
    // dy·σ(x)·S·(2 + x·(σ(−x) − 2Tσ(x))), S = 1/cosh²(softplus(x)) (1 − T² is 0 for x > 19)
    second(x, dy, _u, n) {
      const X = n.f64(x), DY = n.f64(dy);
      const sp = n.op('Softplus', [X]);
      const t = n.op('Tanh', [sp]);
      const s = n.op('Reciprocal', [n.op('Square', [n.op('Cosh', [sp])])]);
      const w = n.sub(n.op('Sigmoid', [n.op('Neg', [X])]), n.mul(n.mul(t, n.op('Sigmoid', [X])), 2));
      const g = n.op('SoftplusGrad', [DY, X]);
      return n.mulNoNan(n.add(n.mul(X, w), 2), n.mul(g, s));
    },
  },
  wasm: {
    forward: `
      double e = wm_exp(x), n = e * (e + 2);
      double y = x * (n / (n + 2));
      return x > 40 ? x : (x == -INF ? -0.0 : y);`,
    derivative: `
      double e = wm_exp(x), n = e * (e + 2), d = n + 2;
      double y = n / d + x * (4 * (n + 1) / (d * d)) * (e / (1 + e));
      double big = 1 + x * (4 * wm_exp(-2 * x)) * wm_sigmoid(x);
      return x == INF ? 1 : (x == -INF ? 0 : (x > 40 ? big : y));`,
    second: `
      double e = wm_exp(x), n = e * (e + 2), d = n + 2;
      double t = n / d, s2 = 4 * (n + 1) / (d * d), s = e / (1 + e);
      double y = 2 * s2 * s + x * s2 * (s * (1 / (1 + e)) - 2 * t * s * s);
      double b2 = 4 * wm_exp(-2 * x), bs = wm_sigmoid(x);
      double big = 2 * b2 * bs + x * b2 * (bs * wm_sigmoid(-x) - 2 * bs * bs);
      return x == INF || x == -INF ? 0 : (x > 40 ? big : y);`,
  },
});
