import {elementwise} from '../src/definition';
import {normalCdf, normalPdf, sigmoid} from '../src/math';

const C = 0.7978845608028654;  // sqrt(2/pi)
const K = 0.044715;

/**
 * gelu. Exact: x·Φ(x) with Φ from erfc, so the x < −5 tail keeps its
 * relative accuracy. Approximate: 0.5x(1 + tanh(z)), z = C(x + Kx³),
 * rewritten as x·sigmoid(2z), which does not cancel for x ≪ 0.
 * u = [approximate ? 1 : 0].
 */
export const gelu = elementwise({
  id: 'gelu',
  keras: 'gelu',
  doc: 'Gaussian error linear unit, exact (erf) by default or the tanh approximation.',
  formula: 'exact: x·(1 + erf(x/√2))/2; approximate: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))',
  params: [{name: 'approximate', keras: 'approximate', kind: 'boolean', default: false,
            doc: 'use the tanh approximation'}],
  constants: p => [p.approximate ? 1 : 0],
  forward(x, u) {
    if (x === -Infinity) return -0;
    if (u[0]) return x * sigmoid(2 * C * (x + K * x * x * x));
    return x * normalCdf(x);
  },
  derivative(x, u) {
    if (x === Infinity || x === -Infinity) return x > 0 ? 1 : 0;
    if (u[0]) {
      const z2 = 2 * C * (x + K * x * x * x);
      const s = sigmoid(z2), dz2 = 2 * C * (1 + 3 * K * x * x);
      return s + x * s * sigmoid(-z2) * dz2;
    }
    return normalCdf(x) + x * normalPdf(x);
  },
  second(x, u) {
    if (x === Infinity || x === -Infinity) return 0;
    if (u[0]) {
      const z2 = 2 * C * (x + K * x * x * x);
      const s = sigmoid(z2), q = s * sigmoid(-z2);
      const dz2 = 2 * C * (1 + 3 * K * x * x), ddz2 = 12 * C * K * x;
      // f = x s(z2); f'' = 2 s' + x s'', s' = q dz2, s'' = q(1 − 2s) dz2² + q ddz2
      return 2 * q * dz2 + x * (-q * Math.tanh(0.5 * z2) * dz2 * dz2 + q * ddz2);
    }
    return normalPdf(x) * (2 - x * x);
  },
});
