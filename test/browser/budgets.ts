/**
 * The webgl ULP budgets, per activation (docs/webgl.md has the same table
 * and the reasons). Measured on SwiftShader (ANGLE, Vulkan) over the input
 * set of suite.js: webgl result against the float64 scalar definition
 * rounded to float32, max over the parameter variants and over the packed
 * and unpacked programs. `backward` covers dy·f′ and dy·f″.
 */
export interface UlpBudget {
  forward: number;
  backward: number;
}

export const ELEMENTWISE_BUDGET: Record<string, UlpBudget> = {
  celu: {forward: 2, backward: 2},
  elu: {forward: 2, backward: 1},
  exponential: {forward: 1, backward: 1},
  gelu: {forward: 3, backward: 9},
  hardShrink: {forward: 0, backward: 0},
  hardSigmoid: {forward: 1, backward: 0},
  hardSilu: {forward: 1, backward: 1},
  hardTanh: {forward: 0, backward: 0},
  leakyRelu: {forward: 1, backward: 0},
  linear: {forward: 0, backward: 0},
  logSigmoid: {forward: 2, backward: 3},
  mish: {forward: 3, backward: 7},
  relu: {forward: 1, backward: 0},
  relu6: {forward: 0, backward: 0},
  selu: {forward: 2, backward: 1},
  sigmoid: {forward: 2, backward: 4},
  silu: {forward: 2, backward: 5},
  softShrink: {forward: 1, backward: 0},
  softplus: {forward: 2, backward: 3},
  softsign: {forward: 1, backward: 3},
  sparsePlus: {forward: 1, backward: 0},
  sparseSigmoid: {forward: 0, backward: 0},
  squareplus: {forward: 2, backward: 6},
  tanh: {forward: 2, backward: 4},
  tanhShrink: {forward: 2, backward: 4},
  threshold: {forward: 0, backward: 0},
};

/**
 * Axis activations against the cpu backend in the same page: the largest
 * absolute error divided by the largest |value| of the tensor (their
 * outputs and gradients are sums that cancel, so an ULP bound on each
 * element would only measure that cancellation); softmax's forward is also
 * held to an ULP bound.
 */
export const AXIS_BUDGET = {
  softmaxForwardUlp: 2,
  forwardRel: 2e-7,
  gradRel: 2e-6,
  /** Second order goes through tfjs's own ops (mul, sigmoid...), whose webgl exp is less accurate. */
  secondRel: 1e-5,
};

// The Keras fixtures' budget for webgl is in test/parity/backends.ts.
