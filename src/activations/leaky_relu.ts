import {elementwise} from '../definition';

/** Leaky relu: x ≥ 0 ? x : negative_slope·x. u = [negative_slope]. */
export const leakyRelu = elementwise({
  id: 'leakyRelu',
  keras: 'leaky_relu',
  doc: 'Leaky rectified linear unit.',
  formula: 'x ≥ 0 ? x : negative_slope·x',
  params: [{name: 'negativeSlope', keras: 'negative_slope', kind: 'number', default: 0.2,
            doc: 'slope for x < 0 (the function default; Keras\'s LeakyReLU layer defaults to 0.3)'}],
  constants: p => [p.negativeSlope as number],
  forward: (x, u) => x >= 0 ? x : u[0] * x,
  derivative: (x, u) => x >= 0 ? 1 : u[0],
  second: () => 0,
  glsl: {
    forward: `
      return x >= 0.0 ? x : u.x * x + ul.x * x;`,
    derivative: `
      return x >= 0.0 ? 1.0 : u.x;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, u, n) => u[0] === 0 ? n.op('Relu', [x]) : n.op('LeakyRelu', [x], {alpha: {float: u[0]}}),
    // LeakyReluGrad gives slope·dy at x = 0 itself (TensorFlow's convention at the kink).
    derivative: (x, dy, u, n) => n.add(n.op('LeakyReluGrad', [dy, x], {alpha: {float: u[0]}}), n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x >= 0 ? x : u0 * x;`,
    derivative: `
      return x >= 0 ? 1 : u0;`,
    second: `
      return 0;`,
    // u·x with u rounded to float32: within 1 ULP (the wasm backend only; cpu keeps the float64 body)
    float32: {
      ulp: 1,
      keepsNaN: true,
      forward: `
      return x >= 0 ? x : (float)u0 * x;`,
      derivative: `
      return x >= 0 ? 1 : (float)u0;`,
    },
  },
});
