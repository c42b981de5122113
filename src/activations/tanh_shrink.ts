import {elementwise} from '../definition';
import {sech2, tanh, tanhShrink as ts} from '../math';

/** tanh_shrink: x − tanh(x), by its series near 0 where it cancels. */
export const tanhShrink = elementwise({
  id: 'tanhShrink',
  keras: 'tanh_shrink',
  doc: 'Tanh shrinkage.',
  formula: 'x − tanh(x)',
  forward: x => ts(x),
  derivative: x => {
    const t = tanh(x);
    return t * t;
  },
  second: x => 2 * tanh(x) * sech2(x),
  glsl: {
    forward: `
      return abs(x) < 1.5 ? ta_tanh_shrink_small(x) : x - tanhf(x);`,
    derivative: `
      float t = tanhf(x);
      return t * t;`,
    second: `
      return ta_sech2_mul(x, 2.0 * tanhf(x));`,
  },
  tensorflow: {
    // float64: x³/3 for |x| < 2.5e-4 (the next term is below 0.5 ULP), else x − tanh(x) (float64 cancels < 0.2 ULP there).
    forward(x, _u, n) {
      const X = n.f64(x), s = n.op('Square', [X]);
      return n.select(n.less(s, 6.25e-8), n.mul(n.mul(s, X), 1 / 3), n.sub(X, n.op('Tanh', [X])));
    },
    derivative: (x, dy, _u, n) => n.mul(n.f64(dy), n.op('Square', [n.op('Tanh', [n.f64(x)])])),
    second(x, dy, _u, n) {
      const X = n.f64(x);
      return n.mul(n.div(n.mul(n.f64(dy), n.op('Tanh', [X])), n.op('Square', [n.op('Cosh', [X])])), 2);
    },
  },
  wasm: {
    forward: `
      double x2 = x * x;
      double s = x * x2 * (1.0 / 3 + x2 * (-2.0 / 15 + x2 * (17.0 / 315 + x2 * (-62.0 / 2835 + x2 * (1382.0 / 155925)))));
      return wm_abs(x) < 0.1 ? s : x - wm_tanh(x);`,
    derivative: `
      double t = wm_tanh(x);
      return t * t;`,
    second: `
      return 2 * wm_tanh(x) * wm_sech2(x);`,
  },
});
