import {elementwise} from '../src/definition';
import {sigmoid as s} from '../src/math';

/** sigmoid: 1/(1 + exp(−x)), without overflow. */
export const sigmoid = elementwise({
  id: 'sigmoid',
  keras: 'sigmoid',
  doc: 'Logistic sigmoid.',
  formula: '1 / (1 + exp(−x))',
  forward: x => s(x),
  derivative: x => s(x) * s(-x),
  // s'(1 − 2s) with 1 − 2s = −tanh(x/2): no cancellation for large |x|
  second: x => -s(x) * s(-x) * Math.tanh(0.5 * x),
});
