import {elementwise, type NativeOps, type NativeTensor} from '../definition';
import {normalCdf, normalPdf, sigmoid} from '../math';

const C = 0.7978845608028654;  // sqrt(2/pi)
const K = 0.044715;

/** The tanh form on tensorflow: s = x², z2 = 2C(x + Kx³) and z2' = 2C(1 + 3Kx²), from float64 x. */
function tanhFormArgs(X: NativeTensor, n: NativeOps): {s: NativeTensor; z2: NativeTensor; dz2: NativeTensor} {
  const s = n.op('Square', [X]);
  const z2 = n.mul(X, n.add(n.mul(s, 2 * C * K), 2 * C));
  return {s, z2, dz2: n.add(n.mul(s, 6 * C * K), 2 * C)};
}

/**
 * gelu. Exact: x·Φ(x) with Φ from erfc, so the x < −5 tail keeps its
 * relative accuracy. Approximate: 0.5x(1 + tanh(z)), z = C(x + Kx³),
 * rewritten as x·sigmoid(2z), which does not cancel for x ≪ 0.
 * u = [approximate ? 1 : 0].
 */
export const gelu = elementwise({
  id: 'gelu',
  keras: 'gelu',
  doc: 'Gaussian error linear unit, exact (erf) by default or the tanh approximation.',
  formula: 'exact: x·(1 + erf(x/√2))/2; approximate: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))',
  params: [{name: 'approximate', keras: 'approximate', kind: 'boolean', default: false,
            doc: 'use the tanh approximation'}],
  constants: p => [p.approximate ? 1 : 0],
  forward(x, u) {
    if (x === -Infinity) return -0;
    if (u[0]) return x * sigmoid(2 * C * (x + K * x * x * x));
    return x * normalCdf(x);
  },
  derivative(x, u) {
    if (x === Infinity || x === -Infinity) return x > 0 ? 1 : 0;
    if (u[0]) {
      const z2 = 2 * C * (x + K * x * x * x);
      const s = sigmoid(z2), dz2 = 2 * C * (1 + 3 * K * x * x);
      return s + x * s * sigmoid(-z2) * dz2;
    }
    return normalCdf(x) + x * normalPdf(x);
  },
  second(x, u) {
    if (x === Infinity || x === -Infinity) return 0;
    if (u[0]) {
      const z2 = 2 * C * (x + K * x * x * x);
      const s = sigmoid(z2), q = s * sigmoid(-z2);
      const dz2 = 2 * C * (1 + 3 * K * x * x), ddz2 = 12 * C * K * x;
      // f = x s(z2); f'' = 2 s' + x s'', s' = q dz2, s'' = q(1 − 2s) dz2² + q ddz2
      return 2 * q * dz2 + x * (-q * Math.tanh(0.5 * z2) * dz2 * dz2 + q * ddz2);
    }
    return normalPdf(x) * (2 - x * x);
  },
  glsl: {
    forward: `
      if (u.x != 0.0) {
        // x·sigmoid(2C(x + Kx³)) with the argument in double-float
        if (x > 10.0) return x;
        if (x < -10.6) return -0.0;
        vec2 v = ta_gelu_v(x);
        return ta_sigmoid_mul2(v.x, v.y, x);
      }
      if (x > 6.0) return x;
      if (x < -15.0) return -0.0;
      return ta_ncdf_mul(x, x);`,
    derivative: `
      if (u.x != 0.0) {
        if (x > 10.0) return 1.0;
        if (x < -10.6) return 0.0;
        vec2 v = ta_gelu_v(x);
        float dv = 1.5957691669464111 * (1.0 + 0.13414500653743744 * x * x);
        return rootfix_gelua1(x, ta_sigmoid_mul2(v.x, v.y, 1.0 + x * sigmoid(-v.x) * dv));
      }
      // Φ(x) + x·φ(x)
      if (x > 15.0) return 1.0;
      if (x < -15.0) return 0.0;
      float z = abs(x) * 0.7071067811865476;
      float d;
      if (z < 0.5) {
        d = 0.5 + 0.5 * ta_erf_small(x * 0.7071067811865476) + x * 0.3989422804014327 * expf(-0.5 * x * x);
      } else if (x < 0.0) {
        d = ta_expmul_negsqhalf(x, 0.5 * ta_erfcx(z) + x * 0.3989422804014327);
      } else {
        d = 1.0 + ta_expmul_negsqhalf(x, x * 0.3989422804014327 - 0.5 * ta_erfcx(z));
      }
      return rootfix_gelu1(x, d);`,
    second: `
      if (u.x != 0.0) {
        if (abs(x) > 10.6) return -0.0;
        vec2 v = ta_gelu_v(x);
        float dv = 1.5957691669464111 * (1.0 + 0.13414500653743744 * x * x);
        float ddv = 0.4281288981437683 * x;
        float b = 2.0 * dv + x * (ddv - tanhf(0.5 * v.x) * dv * dv);
        float a = abs(v.x), alo = v.x < 0.0 ? -v.y : v.y;
        // σ(v)σ(−v)·b, the small factor applied last
        return rootfix_gelua2(x, ta_sigmoid_mul2(-a, -alo, sigmoid(a) * b));
      }
      // φ(x)(2 − x²), 2 − x² = (√2 − |x|)(√2 + |x|) with √2 in double-float
      float a = abs(x);
      if (a > 15.0) return -0.0;
      float lo = 2.4203234971764687e-8 + ta_z;  // not folded into the constant
      float t = ((1.4142135381698608 - a) + lo) * ((1.4142135381698608 + a) + lo);
      return ta_expmul_negsqhalf(x, 0.3989422804014327 * t);`,
  },
  tensorflow: {
    // float64: exact x·erfc(−x/√2)/2; approximate x·σ(2C(x + Kx³)). MulNoNan gives the limit 0 at x = −inf.
    forward(x, u, n) {
      const X = n.f64(x);
      if (u[0]) {
        const z2 = n.mul(X, n.add(n.mul(n.op('Square', [X]), 2 * C * K), 2 * C));
        return n.mulNoNan(X, n.op('Sigmoid', [z2]));
      }
      return n.mul(n.mulNoNan(X, n.op('Erfc', [n.mul(X, -Math.SQRT1_2)])), 0.5);
    },
    derivative(x, dy, u, n) {
      const X = n.f64(x), DY = n.f64(dy);
      if (u[0]) {
        // dy·σ(z2)·(1 + x·σ(−z2)·z2')
        const {z2, dz2} = tanhFormArgs(X, n);
        const g = n.op('SoftplusGrad', [DY, z2]);
        const t = n.mulNoNan(X, n.mulNoNan(dz2, n.op('Sigmoid', [n.op('Neg', [z2])])));
        return n.mulNoNan(n.add(t, 1), g);
      }
      // Φ(x) + xφ(x) = (erfc(z) − z·e^(−z²)·2/√π)/2, z = −x/√2
      const z = n.mul(X, -Math.SQRT1_2);
      const q = n.op('Exp', [n.sub(Math.log(2 / Math.sqrt(Math.PI)), n.op('Square', [z]))]);
      return n.mul(n.mul(DY, n.sub(n.op('Erfc', [z]), n.mulNoNan(z, q))), 0.5);
    },
    second(x, dy, u, n) {
      const X = n.f64(x), DY = n.f64(dy);
      if (u[0]) {
        // f'' = σ'(z2)·(2z2' + x·z2'' − x·tanh(z2/2)·z2'²), z2'' = 12CKx
        const {s, z2, dz2} = tanhFormArgs(X, n);
        const q = n.op('SoftplusGrad', [n.op('SoftplusGrad', [DY, z2]), n.op('Neg', [z2])]);
        const th = n.op('Tanh', [n.mul(z2, 0.5)]);
        const bracket = n.sub(n.add(n.mul(s, 24 * C * K), 4 * C), n.mul(X, n.mul(th, n.op('Square', [dz2]))));
        return n.mulNoNan(bracket, q);
      }
      // φ(x)(2 − x²) = (1 − s)·e^(−s)·2/√(2π), s = x²/2
      const s = n.op('Square', [n.mul(X, Math.SQRT1_2)]);
      const e = n.op('Exp', [n.sub(Math.log(2 / Math.sqrt(2 * Math.PI)), s)]);
      return n.mul(DY, n.mulNoNan(n.sub(1, s), e));
    },
  },
  wasm: {
    // Both forms are evaluated and one selected: a branch on u0 would keep clang from vectorizing the loop.
    forward: `
      double ya = x * wm_sigmoid(2 * 0.7978845608028654 * (x + 0.044715 * x * x * x));
      double ye = x * wm_normal_cdf(x);
      return x == -INF ? -0.0 : (u0 != 0 ? ya : ye);`,
    derivative: `
      double z2 = 2 * 0.7978845608028654 * (x + 0.044715 * x * x * x);
      double e = wm_exp(-wm_abs(z2)), r = 1 / (1 + e), s = z2 >= 0 ? r : e * r;
      double dz2 = 2 * 0.7978845608028654 * (1 + 3 * 0.044715 * x * x);
      double ya = s + x * (e * r * r) * dz2;
      double ye = wm_normal_cdf(x) + x * wm_normal_pdf(x);
      return x == INF ? 1 : (x == -INF ? 0 : (u0 != 0 ? ya : ye));`,
    second: `
      double y;
      if (u0 != 0) {
        double z2 = 2 * 0.7978845608028654 * (x + 0.044715 * x * x * x);
        double e = wm_exp(-wm_abs(z2)), d = 1 + e, q = e / (d * d);
        double dz2 = 2 * 0.7978845608028654 * (1 + 3 * 0.044715 * x * x), ddz2 = 12 * 0.7978845608028654 * 0.044715 * x;
        y = 2 * q * dz2 + x * (-q * wm_tanh(0.5 * z2) * dz2 * dz2 + q * ddz2);
      } else {
        y = wm_normal_pdf(x) * (2 - x * x);
      }
      return x == INF || x == -INF ? 0 : y;`,
  },
});
