/**
 * The webgl budgets of the axis activations. The elementwise ones are each
 * definition's `budget.webgl` (src/activations/*.ts; docs/webgl.md has the
 * same table and the reasons): measured on SwiftShader (ANGLE, Vulkan) over
 * the input set of suite.ts, webgl result against the float64 scalar
 * definition rounded to float32, max over the parameter variants and over
 * the packed and unpacked programs; `backward` covers dy·f′ and dy·f″.
 */

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
