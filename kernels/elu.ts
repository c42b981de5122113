import {elementwise} from '../src/definition';

/** elu: x > 0 ? x : alpha·expm1(x). u = [alpha]. */
export const elu = elementwise({
  id: 'elu',
  keras: 'elu',
  doc: 'Exponential linear unit, with any alpha (tfjs\'s own supports alpha = 1 only).',
  formula: 'x > 0 ? x : alpha·expm1(x)',
  params: [{name: 'alpha', keras: 'alpha', kind: 'number', default: 1, doc: 'scale of the negative part'}],
  constants: p => [p.alpha as number],
  forward: (x, u) => x > 0 ? x : u[0] * Math.expm1(x),
  derivative: (x, u) => x > 0 ? 1 : u[0] * Math.exp(x),
  second: (x, u) => x > 0 ? 0 : u[0] * Math.exp(x),
});
