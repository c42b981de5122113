import {elementwise, nonNegative} from '../definition';

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
  derivative: (x, u) => x > u[0] || x < -u[0] || u[0] === 0 ? 1 : 0,  // threshold 0: the identity
  second: () => 0,
  glsl: {
    forward: `
      return (ta_gt(x, u.x, ul.x) || ta_lt(x, -u.x, -ul.x)) ? x : 0.0;`,
    derivative: `
      return (ta_gt(x, u.x, ul.x) || ta_lt(x, -u.x, -ul.x) || u.x == 0.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    // threshold 0 is the identity (derivative 1, as the definition)
    forward: (x, u, n) => u[0] === 0 ? x : n.select(n.lessEqual(n.op('Abs', [x]), u[0]), 0, x),
    derivative: (x, dy, u, n) =>
      u[0] === 0 ? n.add(dy, n.nanOf(x)) : n.select(n.greater(n.op('Abs', [x]), u[0]), dy, n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x > u0 || x < -u0 ? x : 0;`,
    derivative: `
      return x > u0 || x < -u0 || u0 == 0 ? 1 : 0;`,
    second: `
      return 0;`,
    // compared with the largest float32 ≤ threshold: the same decisions as in float64, x or 0 out
    float32: {
      forward: `
      float t = wm_rd32(u0);
      return x > t || x < -t ? x : 0;`,
      derivative: `
      float t = wm_rd32(u0);
      return x > t || x < -t || u0 == 0 ? 1 : 0;`,
    },
  },
});
