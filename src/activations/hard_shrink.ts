import {elementwise, nonNegative} from '../definition';

/** hard_shrink: |x| > threshold ? x : 0 (strict). u = [threshold]. */
export const hardShrink = elementwise({
  id: 'hardShrink',
  keras: 'hard_shrink',
  doc: 'Hard shrinkage.',
  formula: 'abs(x) > t ? x : 0',
  params: [
    {
      name: 'threshold',
      keras: 'threshold',
      kind: 'number',
      default: 0.5,
      doc: 'values with |x| ≤ threshold become 0',
      check: nonNegative,
    },
  ],
  constants: p => [p.threshold as number],
  forward: (x, u) => (x > u[0] || x < -u[0] ? x : 0),
  derivative: (x, u) => (x > u[0] || x < -u[0] || u[0] === 0 ? 1 : 0), // threshold 0: the identity
  second: () => 0,
  glsl: {
    forward: `
      return (x > ug.x || x < -ug.x) ? x : 0.0;  // |x| > threshold, exactly`,
    derivative: `
      return (x > ug.x || x < -ug.x || u.x == 0.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    // threshold 0 is the identity (derivative 1, as the definition)
    // (x + 0 turns −0 into +0, as the definition: |x| > 0 ? x : 0)
    forward: (x, u, nat) => (u[0] === 0 ? nat.add(x, 0) : nat.select(nat.lessEqual(nat.op('Abs', [x]), u[0]), 0, x)),
    derivative: (x, dy, u, nat) =>
      // dy·f′ with f′ = +0 inside (a zero takes dy's sign, as on cpu); clip(x, 1, 1) is 1, NaN for NaN x
      nat.mul(
        dy,
        u[0] === 0 ? nat.clip(x, 1, 1) : nat.select(nat.lessEqual(nat.op('Abs', [x]), u[0]), 0, nat.clip(x, 1, 1)),
      ),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    variants: [{}, {threshold: 0}, {threshold: 2}, {threshold: 0.3}, {threshold: 1.3}],
    kinks: p => (p.threshold === 0 ? [] : [-(p.threshold as number), p.threshold as number]),
  },
  budget: {webgl: {forward: 0, backward: 0}, tensorflowLaunches: [3, 5, 3]},
  bench: {
    composite: {what: 'x·step(|x| − t)', fn: (tf, x) => tf.mul(x, tf.step(tf.sub(tf.abs(x), 0.5)))},
    piecewiseLinear: true,
  },
  note: 'Sparse codes and denoising: zeroes small values, keeps large ones unchanged.',
  wgsl: {
    forward: `
      return select(0.0, x, x > ug.x || x < -ug.x);`,
    derivative: `
      return select(0.0, 1.0, x > ug.x || x < -ug.x || u.x == 0.0);`,
    second: `
      return 0.0;`,
  },
  cpp: {
    forward: 'x > u[0] || x < -u[0] ? x : 0.0',
    derivative: 'x > u[0] || x < -u[0] || u[0] == 0 ? 1.0 : 0.0',
    second: '0.0',
  },
  wasm: {
    forward: `
      return x > u0 || x < -u0 ? x : 0;`,
    derivative: `
      return x > u0 || x < -u0 || u0 == 0 ? 1.0 : 0.0;`,
    // compared with the largest float32 ≤ threshold: the same decisions as in float64, x or 0 out
    float32: {
      keepsNaN: true, // |NaN| <= t is false: x out
      // |x| > t on the bits (t ≥ 0: non-negative floats order as their bits; a NaN's are above every t's): one
      // and, one i32x4.gt_s and one and, where f32x4.abs takes three x64 instructions in V8 (1M 0.229 → 0.164 ms, 1.30 → 1.23× tf.relu, interleaved)
      forward: `
      I32 keep = ((I32)x & 0x7fffffff) > __builtin_bit_cast(int, wm_rd32(u0));
      return wm_and(x, keep);`,
      derivative: `
      float t = wm_rd32(u0);
      return x > t || x < -t || u0 == 0 ? 1.0f : 0.0f;`,
    },
  },
  // threshold 0 is the identity; any other leaves f, f′ and f″ constant around 0
  subnormals: {'': [false, false, false]},
});
