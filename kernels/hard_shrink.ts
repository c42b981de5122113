import {elementwise, nonNegative} from '../src/definition';

/** hard_shrink: |x| > threshold ? x : 0 (strict). u = [threshold]. */
export const hardShrink = elementwise({
  id: 'hardShrink',
  keras: 'hard_shrink',
  doc: 'Hard shrinkage.',
  formula: 'abs(x) > t ? x : 0',
  params: [{name: 'threshold', keras: 'threshold', kind: 'number', default: 0.5,
            doc: 'values with |x| ≤ threshold become 0', check: nonNegative}],
  constants: p => [p.threshold as number],
  forward: (x, u) => x > u[0] || x < -u[0] ? x : 0,
  derivative: (x, u) => x > u[0] || x < -u[0] ? 1 : 0,
  second: () => 0,
});
