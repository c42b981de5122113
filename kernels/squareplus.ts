import {elementwise, nonNegative} from '../src/definition';

/**
 * squareplus: (x + sqrt(x² + b))/2. For x < 0 the sum cancels, so it is
 * computed as b / (2(sqrt(x² + b) − x)). x² is formed in float64, where it
 * cannot overflow for any float32 x. u = [b].
 */
export const squareplus = elementwise({
  id: 'squareplus',
  keras: 'squareplus',
  doc: 'Squareplus, a smooth relu built from a square root.',
  formula: '(x + sqrt(x² + b)) / 2',
  params: [{name: 'b', keras: 'b', kind: 'number', default: 4,
            doc: 'smoothness near 0', check: nonNegative}],
  constants: p => [p.b as number],
  forward(x, u) {
    const r = Math.sqrt(x * x + u[0]);
    return x < 0 ? u[0] / (2 * (r - x)) : 0.5 * (x + r);
  },
  derivative(x, u) {
    const r = Math.sqrt(x * x + u[0]);
    if (r === 0) return 0.5;
    if (x === Infinity) return 1;
    return x < 0 ? u[0] / (2 * r * (r - x)) : 0.5 + 0.5 * (x / r);
  },
  second(x, u) {
    const r = Math.sqrt(x * x + u[0]);
    return r === 0 ? 0 : u[0] / (2 * r * r * r);
  },
});
