import {elementwise} from '../src/definition';
import {sigmoid} from '../src/math';

/** silu (swish): x·sigmoid(x). */
export const silu = elementwise({
  id: 'silu',
  keras: 'silu',
  aliases: ['swish'],
  doc: 'Sigmoid linear unit, also called swish.',
  formula: 'x·sigmoid(x)',
  forward: x => x === -Infinity ? -0 : x * sigmoid(x),
  derivative: x => {
    if (x === Infinity || x === -Infinity) return x > 0 ? 1 : 0;
    const s = sigmoid(x);
    return s + x * s * sigmoid(-x);
  },
  second: x => {
    // d/dx [s + x s'] = 2 s' + x s'(1 − 2s), with 1 − 2s = −tanh(x/2)
    if (x === Infinity || x === -Infinity) return 0;
    const ds = sigmoid(x) * sigmoid(-x);
    return ds * (2 - x * Math.tanh(0.5 * x));
  },
});
