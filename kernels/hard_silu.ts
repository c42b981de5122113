import {elementwise} from '../src/definition';

/** hard_silu (hard_swish): x·relu6(x + 3)/6. Gives −0 at x = −3, as Keras. */
export const hardSilu = elementwise({
  id: 'hardSilu',
  keras: 'hard_silu',
  aliases: ['hard_swish'],
  doc: 'Hard sigmoid linear unit, also called hard swish.',
  formula: 'x·relu6(x + 3) / 6',
  forward: x => x <= -3 ? -0 : x * (x >= 3 ? 1 : (x + 3) / 6),
  derivative: x => x < -3 ? 0 : (x > 3 ? 1 : (2 * x + 3) / 6),
  second: x => x > -3 && x < 3 ? 1 / 3 : 0,
});
