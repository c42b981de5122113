import {elementwise, nonNegative} from '../definition';

/**
 * squareplus: (x + sqrt(x² + b))/2. For x < 0 the sum cancels, so it is
 * computed as b / (2(sqrt(x² + b) − x)). x² is formed in float64, where it
 * cannot overflow for any float32 x. u = [b].
 */
export const squareplus = elementwise({
  id: 'squareplus',
  keras: 'squareplus',
  doc: 'Squareplus, a smooth relu built from a square root.',
  formula: '(x + sqrt(x² + b)) / 2',
  params: [{name: 'b', keras: 'b', kind: 'number', default: 4, doc: 'smoothness near 0', check: nonNegative}],
  constants: p => [p.b as number],
  forward(x, u) {
    const r = Math.sqrt(x * x + u[0]);
    return x < 0 ? u[0] / (2 * (r - x)) : 0.5 * (x + r);
  },
  derivative(x, u) {
    const r = Math.sqrt(x * x + u[0]);
    if (r === 0) return 0.5;
    if (x === Infinity) return 1;
    return x < 0 ? u[0] / (2 * r * (r - x)) : 0.5 + 0.5 * (x / r);
  },
  second(x, u) {
    const r = Math.sqrt(x * x + u[0]);
    return r === 0 ? 0 : u[0] / (2 * r * r * r);
  },
  glsl: {
    forward: `
      if (abs(x) > 3.4028234e38) return x > 0.0 ? x : 0.0;
      float b = u.x, a = abs(x), r = ta_sqrt_sq_plus(a, b);
      if (r == 0.0) return 0.0;
      // (x + r)/2 = x + b/(2(r + |x|)) for x >= 0, b/(2(r + |x|)) for x < 0: no cancellation, no overflow
      float c = a < 1e38 ? 0.5 * (b / (r + a)) : (0.5 * (b / r)) / (1.0 + a / r);
      return x < 0.0 ? c : x + c;`,
    derivative: `
      if (abs(x) > 3.4028234e38) return x > 0.0 ? 1.0 : 0.0;
      float b = u.x, a = abs(x), r = ta_sqrt_sq_plus(a, b);
      if (r == 0.0) return 0.5;
      if (x > 3.4028234e38) return 1.0;
      return x < 0.0 ? ((0.5 * (b / r)) / r) / (1.0 + a / r) : 0.5 + 0.5 * (x / r);`,
    second: `
      if (abs(x) > 3.4028234e38) return 0.0;
      float b = u.x, a = abs(x), r = ta_sqrt_sq_plus(a, b);
      return r == 0.0 ? 0.0 : ((0.5 * (b / r)) / r) / r;`,
    helpers: `
// √(a² + b) for a >= 0, b >= 0 (hypot(a, √b)), without overflow or underflow.
float ta_sqrt_sq_plus(float a, float b) {
  if (a > 1e-18 && a < 1e18 && b < 1e36) return sqrt(a * a + b);
  float sb = sqrt(b), hi = max(a, sb), q = min(a, sb) / hi;
  return hi == 0.0 ? 0.0 : hi * sqrt(1.0 + q * q);
}`,
  },
  tensorflow: {
    // (x + √(x² + b))/2 = (√b/2)·exp(asinh(x/√b)) in float64: no cancellation for x ≪ 0, no x² to overflow.
    forward(x, u, nat) {
      if (u[0] === 0) return nat.op('Relu', [x]);
      const r = Math.sqrt(u[0]);
      return nat.mul(nat.op('Exp', [nat.op('Asinh', [nat.div(nat.f64(x), r)])]), r / 2);
    },
    // f' = (1 + x/√(x² + b))/2 = σ(2·asinh(x/√b))
    derivative(x, dy, u, nat) {
      if (u[0] === 0) return nat.mul(dy, nat.add(nat.mul(nat.op('Sign', [x]), 0.5), 0.5));
      const a = nat.op('Asinh', [nat.div(nat.f64(x), Math.sqrt(u[0]))]);
      return nat.op('SoftplusGrad', [nat.f64(dy), nat.mul(a, 2)]);
    },
    // f'' = b/(2(x² + b)^1.5)
    second(x, dy, u, nat) {
      if (u[0] === 0) return nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))); // dy·(+0)
      const X = nat.f64(x);
      return nat.mul(nat.mul(nat.f64(dy), nat.op('Pow', [nat.add(nat.op('Square', [X]), u[0]), -1.5])), u[0] / 2);
    },
  },
  test: {
    variants: [{}, {b: 0}, {b: 0.25}, {b: 100}, {b: 1e-20}, {b: 0.3}, {b: 1000}],
    kinks: p => (p.b === 0 ? [0] : []),
    // webgl: 3 ULP forward (budget 2) near x = −2e-4
    knownIssues: {webgl: [{b: 0.25}]},
  },
  budget: {webgl: {forward: 2, backward: 6}, tensorflowLaunches: [6, 12, 8]},
  bench: {
    composite: {
      what: '(x + sqrt(x² + b))·0.5',
      fn: (tf, x) => tf.mul(tf.add(x, tf.sqrt(tf.add(tf.square(x), 4))), 0.5),
    },
  },
  note: 'A smooth relu from a square root, with no exp: cheap where softplus is costly.',
  wgsl: {
    forward: `
      if (abs(x) > 3.4028234e38) { return select(0.0, x, x > 0.0); }
      let b = u.x;
      let a = abs(x);
      let r = ta_sqrt_sq_plus(a, b);
      if (r == 0.0) { return 0.0; }
      // (x + r)/2 = x + b/(2(r + |x|)) for x >= 0, b/(2(r + |x|)) for x < 0: no cancellation, no overflow
      var c: f32;
      if (a < 1e38) {
        c = 0.5 * (b / (r + a));
      } else {
        c = (0.5 * (b / r)) / (1.0 + a / r);
      }
      return select(x + c, c, x < 0.0);`,
    derivative: `
      if (abs(x) > 3.4028234e38) { return select(0.0, 1.0, x > 0.0); }
      let b = u.x;
      let a = abs(x);
      let r = ta_sqrt_sq_plus(a, b);
      if (r == 0.0) { return 0.5; }
      if (x < 0.0) { return ((0.5 * (b / r)) / r) / (1.0 + a / r); }
      return 0.5 + 0.5 * (x / r);`,
    second: `
      if (abs(x) > 3.4028234e38) { return 0.0; }
      let b = u.x;
      let r = ta_sqrt_sq_plus(abs(x), b);
      if (r == 0.0) { return 0.0; }
      return ((0.5 * (b / r)) / r) / r;`,
  },
  cpp: {
    forward: `
      const double r = std::sqrt(x * x + u[0]);
      return x < 0 ? u[0] / (2 * (r - x)) : 0.5 * (x + r);`,
    // float32 lanes for a float32 b in [1e-30, 1e30] (x² + b keeps x² where it matters and neither overflows nor
    // underflows): the same form, 2 ULP; |x| > 1e18 is redone in float64
    forward32: `
      const float r = std::sqrt(x * x + uf[0]);
      return x < 0 ? uf[0] / (2.0f * (r - x)) : 0.5f * (x + r);`,
    forward32When: 'static_cast<double>(uf[0]) == u[0] && u[0] >= 1e-30 && u[0] <= 1e30',
    forward32Rare: 'std::fabs(x) > 1e18f',
    derivative: `
      const double r = std::sqrt(x * x + u[0]);
      return r == 0 ? 0.5 : (x == INFINITY ? 1.0 : (x < 0 ? u[0] / (2 * r * (r - x)) : 0.5 + 0.5 * (x / r)));`,
    second: `
      const double r = std::sqrt(x * x + u[0]);
      return r == 0 ? 0.0 : u[0] / (2 * r * r * r);`,
  },
  wasm: {
    forward: `
      D r = wm_sqrt(x * x + u0);
      return x < 0 ? u0 / (2 * (r - x)) : 0.5 * (x + r);`,
    derivative: `
      D r = wm_sqrt(x * x + u0);
      D y = x < 0 ? u0 / (2 * r * (r - x)) : 0.5 + 0.5 * (x / r);
      return r == 0 ? 0.5 : (x == INF ? 1.0 : y);`,
  },
  // f is continuous for every b; with b = 0, f′ jumps at 0
  subnormals: {'': [false, undefined, undefined]},
});
