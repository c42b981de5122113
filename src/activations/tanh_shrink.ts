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
    forward(x, _u, nat) {
      const X = nat.f64(x), s = nat.op('Square', [X]);
      return nat.select(nat.less(s, 6.25e-8), nat.mul(nat.mul(s, X), 1 / 3), nat.sub(X, nat.op('Tanh', [X])));
    },
    derivative: (x, dy, _u, nat) => nat.mul(nat.f64(dy), nat.op('Square', [nat.op('Tanh', [nat.f64(x)])])),
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      return nat.mul(nat.div(nat.mul(nat.f64(dy), nat.op('Tanh', [X])), nat.op('Square', [nat.op('Cosh', [X])])), 2);
    },
  },
  budget: {webgl: {forward: 2, backward: 4}, tensorflowLaunches: [9, 6, 9]},
  bench: {
    composite: {what: 'x − tanh(x)', fn: (tf, x) => tf.sub(x, tf.tanh(x))},
  },
});
