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
  params: [{name: 'b', keras: 'b', kind: 'number', default: 4,
            doc: 'smoothness near 0', check: nonNegative}],
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
      float c = a < 1e38 ? (0.5 * b) / (r + a) : ((0.5 * b) / r) / (1.0 + a / r);
      return x < 0.0 ? c : x + c;`,
    derivative: `
      if (abs(x) > 3.4028234e38) return x > 0.0 ? 1.0 : 0.0;
      float b = u.x, a = abs(x), r = ta_sqrt_sq_plus(a, b);
      if (r == 0.0) return 0.5;
      if (x > 3.4028234e38) return 1.0;
      return x < 0.0 ? (((0.5 * b) / r) / r) / (1.0 + a / r) : 0.5 + 0.5 * (x / r);`,
    second: `
      if (abs(x) > 3.4028234e38) return 0.0;
      float b = u.x, a = abs(x), r = ta_sqrt_sq_plus(a, b);
      return r == 0.0 ? 0.0 : (((0.5 * b) / r) / r) / r;`,
  },
  tensorflow: {
    // (x + √(x² + b))/2 = (√b/2)·exp(asinh(x/√b)) in float64: no cancellation for x ≪ 0, no x² to overflow.
    forward(x, u, n) {
      if (u[0] === 0) return n.op('Relu', [x]);
      const r = Math.sqrt(u[0]);
      return n.mul(n.op('Exp', [n.op('Asinh', [n.div(n.f64(x), r)])]), r / 2);
    },
    // f' = (1 + x/√(x² + b))/2 = σ(2·asinh(x/√b))
    derivative(x, dy, u, n) {
      if (u[0] === 0) return n.mul(dy, n.add(n.mul(n.op('Sign', [x]), 0.5), 0.5));
      const a = n.op('Asinh', [n.div(n.f64(x), Math.sqrt(u[0]))]);
      return n.op('SoftplusGrad', [n.f64(dy), n.mul(a, 2)]);
    },
    // f'' = b/(2(x² + b)^1.5)
    second(x, dy, u, n) {
      if (u[0] === 0) return n.mul(dy, n.nanOf(x));
      const X = n.f64(x);
      return n.mul(n.mul(n.f64(dy), n.op('Pow', [n.add(n.op('Square', [X]), u[0]), -1.5])), u[0] / 2);
    },
  },
  wasm: {
    forward: `
      double r = wm_sqrt(x * x + u0);
      return x < 0 ? u0 / (2 * (r - x)) : 0.5 * (x + r);`,
    derivative: `
      double r = wm_sqrt(x * x + u0);
      if (r == 0) return 0.5;
      if (x == INF) return 1;
      return x < 0 ? u0 / (2 * r * (r - x)) : 0.5 + 0.5 * (x / r);`,
    second: `
      double r = wm_sqrt(x * x + u0);
      return r == 0 ? 0 : u0 / (2 * r * r * r);`,
  },
});
