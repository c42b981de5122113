/**
 * The webgpu ULP budgets, per elementwise activation (docs/webgpu.md has the
 * table next to webgl's and the reasons). Measured on SwiftShader's Vulkan
 * (Chromium's WebGPU) over the input set of suite.js: webgpu result against
 * the float64 scalar definition rounded to float32 and against the cpu
 * backend, max over the parameter variants. `backward` covers dy·f′ and
 * dy·f″. Axis activations share webgl's relative budgets (budgets.ts).
 */
import type {UlpBudget} from './budgets';

export const WEBGPU_ELEMENTWISE_BUDGET: Record<string, UlpBudget> = {
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
