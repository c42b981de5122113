import {elementwise, nonNegative} from '../definition';

/** soft_shrink: shrinks x towards 0 by threshold. u = [threshold]. */
export const softShrink = elementwise({
  id: 'softShrink',
  keras: 'soft_shrink',
  doc: 'Soft shrinkage.',
  formula: 'x > t ? x − t : (x < −t ? x + t : 0)',
  params: [
    {name: 'threshold', keras: 'threshold', kind: 'number', default: 0.5, doc: 'shrinkage amount', check: nonNegative},
  ],
  constants: p => [p.threshold as number],
  forward: (x, u) => (x > u[0] ? x - u[0] : x < -u[0] ? x + u[0] : 0),
  derivative: (x, u) => (x > u[0] || x < -u[0] || u[0] === 0 ? 1 : 0), // threshold 0: the identity
  second: () => 0,
  glsl: {
    forward: `
      // threshold = u.x + ul.x; x > ug.x and x < −ug.x compare with it exactly
      return x > ug.x ? (x - u.x) - ul.x : (x < -ug.x ? (x + u.x) + ul.x : 0.0);`,
    derivative: `
      return (x > ug.x || x < -ug.x || u.x == 0.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    // x − clip(x, −t, t); in float64 when t is not a float32, so x − t is rounded once.
    forward(x, u, nat) {
      const v = Math.fround(u[0]) === u[0] ? x : nat.f64(x);
      return nat.sub(v, nat.clip(v, -u[0], u[0]));
    },
    derivative: (x, dy, u, nat) =>
      // threshold 0 is the identity (derivative 1, as the definition)
      // dy·f′ with f′ = +0 inside (a zero takes dy's sign, as on cpu); clip(x, 1, 1) is 1, NaN for NaN x
      nat.mul(
        dy,
        u[0] === 0 ? nat.clip(x, 1, 1) : nat.select(nat.lessEqual(nat.op('Abs', [x]), u[0]), 0, nat.clip(x, 1, 1)),
      ),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    variants: [{}, {threshold: 0}, {threshold: 1.5}, {threshold: 0.3}, {threshold: 1}, {threshold: 1.3}],
    kinks: p => (p.threshold === 0 ? [] : [-(p.threshold as number), p.threshold as number]),
  },
  budget: {webgl: {forward: 1, backward: 0}, tensorflowLaunches: [4, 5, 3]},
  bench: {
    composite: {what: 'x − clip(x, −t, t)', fn: (tf, x) => tf.sub(x, tf.clipByValue(x, -0.5, 0.5))},
    piecewiseLinear: true,
  },
  note: 'Soft thresholding (the proximal map of L1): sparse coding, denoising, ISTA-style nets.',
  wgsl: {
    forward: `
      // threshold = u.x + ul.x; x > ug.x and x < −ug.x compare with it exactly
      return select(select(0.0, (x + u.x) + ul.x, x < -ug.x), (x - u.x) - ul.x, x > ug.x);`,
    derivative: `
      return select(0.0, 1.0, x > ug.x || x < -ug.x || u.x == 0.0);`,
    second: `
      return 0.0;`,
    // the forward on 4 lanes (vec4 programs): the same selects, NaN passed by a bit test
    forward4: `
      let g = vec4<f32>(ug.x);
      let y = select(select(vec4<f32>(0.0), (x + u.x) + ul.x, x < -g), (x - u.x) - ul.x, x > g);
      return select(y, x, (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u));`,
  },
  cpp: {
    forward: 'x > u[0] ? x - u[0] : (x < -u[0] ? x + u[0] : 0.0)',
    derivative: 'x > u[0] || x < -u[0] || u[0] == 0 ? 1.0 : 0.0',
    second: '0.0',
  },
  wasm: {
    forward: `
      return x > u0 ? x - u0 : (x < -u0 ? x + u0 : 0);`,
    derivative: `
      return x > u0 || x < -u0 || u0 == 0 ? 1.0 : 0.0;`,
    // a threshold exact in float32 (0.5, the default): x ∓ t rounded once to float32 equals the float64
    // difference rounded to float32 (float64 has more than 2·24 + 2 bits), so bit-identical
    float32: {
      when: '(double)(float)u0 == u0 && u0 != INF', // t = ∞: x − clamp(x) would be ∞ − ∞
      // x − clamp(x, −t, t): x − t, x + t or +0, one rounding each. NaN: pmin/pmax return their first operand, the
      // NaN x itself, and x − x is x's own NaN (no select in the loop)
      keepsNaN: true,
      forward: `
      float t = (float)u0;
      return x - wm_pmax(wm_pmin(x, t), -t);`,
    },
  },
  // threshold 0 is the identity; any other leaves f, f′ and f″ constant around 0
  subnormals: {'': [false, false, false]},
});
