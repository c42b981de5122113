import {elementwise} from '../src/definition';
import {sigmoid, softplus} from '../src/math';

/** log_sigmoid: −softplus(−x), without overflow. */
export const logSigmoid = elementwise({
  id: 'logSigmoid',
  keras: 'log_sigmoid',
  doc: 'Logarithm of the sigmoid.',
  formula: '−softplus(−x) = −log(1 + exp(−x))',
  forward: x => -softplus(-x),
  derivative: x => sigmoid(-x),
  second: x => -sigmoid(x) * sigmoid(-x),
});
