import {elementwise} from '../src/definition';

/** softsign: x / (1 + |x|). */
export const softsign = elementwise({
  id: 'softsign',
  keras: 'softsign',
  doc: 'Softsign.',
  formula: 'x / (1 + abs(x))',
  forward: x => x === Infinity || x === -Infinity ? Math.sign(x) : x / (1 + Math.abs(x)),
  derivative: x => {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  },
  second: x => {
    const d = 1 + Math.abs(x);
    return (x > 0 ? -2 : x < 0 ? 2 : 0) / (d * d * d);
  },
});
