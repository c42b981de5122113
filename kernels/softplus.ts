import {elementwise} from '../src/definition';
import {sigmoid, softplus as sp} from '../src/math';

/** softplus: log(1 + exp(x)), computed without overflow. */
export const softplus = elementwise({
  id: 'softplus',
  keras: 'softplus',
  doc: 'Smooth approximation of relu.',
  formula: 'log(1 + exp(x))',
  forward: x => sp(x),
  derivative: x => sigmoid(x),
  second: x => sigmoid(x) * sigmoid(-x),
});
