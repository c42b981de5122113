import {elementwise, nonNegative} from '../src/definition';

/** soft_shrink: shrinks x towards 0 by threshold. u = [threshold]. */
export const softShrink = elementwise({
  id: 'softShrink',
  keras: 'soft_shrink',
  doc: 'Soft shrinkage.',
  formula: 'x > t ? x − t : (x < −t ? x + t : 0)',
  params: [{name: 'threshold', keras: 'threshold', kind: 'number', default: 0.5,
            doc: 'shrinkage amount', check: nonNegative}],
  constants: p => [p.threshold as number],
  forward: (x, u) => x > u[0] ? x - u[0] : (x < -u[0] ? x + u[0] : 0),
  derivative: (x, u) => x > u[0] || x < -u[0] ? 1 : 0,
  second: () => 0,
});
