import {elementwise, nonZero} from '../src/definition';

/** celu: max(x, 0) + alpha·expm1(min(x, 0)/alpha). u = [alpha]. */
export const celu = elementwise({
  id: 'celu',
  keras: 'celu',
  doc: 'Continuously differentiable exponential linear unit.',
  formula: 'max(x, 0) + alpha·expm1(min(x, 0)/alpha)',
  params: [{name: 'alpha', keras: 'alpha', kind: 'number', default: 1,
            doc: 'scale of the negative part', check: nonZero}],
  constants: p => [p.alpha as number],
  forward: (x, u) => x > 0 ? x : u[0] * Math.expm1(x / u[0]),
  derivative: (x, u) => x > 0 ? 1 : Math.exp(x / u[0]),
  second: (x, u) => x > 0 ? 0 : Math.exp(x / u[0]) / u[0],
});
