import {elementwise} from '../src/definition';
import {sigmoid} from '../src/math';

/**
 * mish: x·tanh(softplus(x)) with one exp: with e = exp(x) and
 * n = e(e + 2), tanh(softplus(x)) = n/(n + 2) and 1 − tanh² = 4(n + 1)/(n + 2)².
 * Above x = 40, tanh(softplus(x)) is 1 in float64 and 1 − tanh² ≈ 4exp(−2x).
 */
function parts(x: number): [number, number] {
  if (x > 40) return [1, 4 * Math.exp(-2 * x)];
  const e = Math.exp(x), n = e * (e + 2), d = n + 2;
  return [n / d, 4 * (n + 1) / (d * d)];
}

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
    const [t, s2] = parts(x);
    return t + x * s2 * sigmoid(x);
  },
  second: x => {
    if (x === Infinity || x === -Infinity) return 0;
    // T' = S σ, T'' = S(σ(1 − σ) − 2Tσ²); f'' = 2T' + xT''
    const [t, s2] = parts(x), s = sigmoid(x);
    return 2 * s2 * s + x * s2 * (s * sigmoid(-x) - 2 * t * s * s);
  },
});
