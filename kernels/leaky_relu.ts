import {elementwise} from '../src/definition';

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
});
