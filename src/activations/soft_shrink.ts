import {elementwise, nonNegative} from '../definition';

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
  derivative: (x, u) => x > u[0] || x < -u[0] || u[0] === 0 ? 1 : 0,  // threshold 0: the identity
  second: () => 0,
  glsl: {
    forward: `
      // threshold = u.x + ul.x
      if (ta_gt(x, u.x, ul.x)) return (x - u.x) - ul.x;
      if (ta_lt(x, -u.x, -ul.x)) return (x + u.x) + ul.x;
      return 0.0;`,
    derivative: `
      return (ta_gt(x, u.x, ul.x) || ta_lt(x, -u.x, -ul.x) || u.x == 0.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    // x − clip(x, −t, t); in float64 when t is not a float32, so x − t is rounded once.
    forward(x, u, n) {
      const v = Math.fround(u[0]) === u[0] ? x : n.f64(x);
      return n.sub(v, n.clip(v, -u[0], u[0]));
    },
    derivative: (x, dy, u, n) =>  // threshold 0 is the identity (derivative 1, as the definition)
      u[0] === 0 ? n.add(dy, n.nanOf(x)) : n.select(n.greater(n.op('Abs', [x]), u[0]), dy, n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x > u0 ? x - u0 : (x < -u0 ? x + u0 : 0);`,
    derivative: `
      return x > u0 || x < -u0 || u0 == 0 ? 1 : 0;`,
    second: `
      return 0;`,
    // a threshold exact in float32 (0.5, the default): x ∓ t rounded once to float32 equals the float64
    // difference rounded to float32 (float64 has more than 2·24 + 2 bits), so bit-identical
    float32: {
      when: '(double)(float)u0 == u0',
      forward: `
      float t = (float)u0;
      return x > t ? x - t : (x < -t ? x + t : 0);`,
      derivative: `
      float t = (float)u0;
      return x > t || x < -t || u0 == 0 ? 1 : 0;`,
    },
  },
});
