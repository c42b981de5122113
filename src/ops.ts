/**
 * Typed ops, one per activation: `squareplus(x, {b})`, `relu(x, {negativeSlope,
 * maxValue, threshold})`, `glu(x, {axis})`... Each accepts a Tensor or a
 * nested array, validates its options (camelCase or Keras snake_case names)
 * and runs the registered fused kernel through `tf.engine().runKernel`.
 */
import * as k from './activations';
import {op} from './op';

export type {ActivationOp, OptionsArg} from './op';

export const celu = op(k.celu);
export const elu = op(k.elu);
export const exponential = op(k.exponential);
export const gelu = op(k.gelu);
export const glu = op(k.glu);
export const hardShrink = op(k.hardShrink);
/** Keras 3 hard_sigmoid, relu6(x + 3)/6 (tfjs's own `tf.layers` 'hardSigmoid' is the Keras 2 form). */
export const hardSigmoid = op(k.hardSigmoid);
export const hardSilu = op(k.hardSilu);
export const hardTanh = op(k.hardTanh);
export const leakyRelu = op(k.leakyRelu);
export const linear = op(k.linear);
export const logSigmoid = op(k.logSigmoid);
export const logSoftmax = op(k.logSoftmax);
export const mish = op(k.mish);
export const relu = op(k.relu);
export const relu6 = op(k.relu6);
export const selu = op(k.selu);
export const sigmoid = op(k.sigmoid);
export const silu = op(k.silu);
export const softmax = op(k.softmax);
export const softplus = op(k.softplus);
export const softShrink = op(k.softShrink);
export const softsign = op(k.softsign);
export const sparsemax = op(k.sparsemax);
export const sparsePlus = op(k.sparsePlus);
export const sparseSigmoid = op(k.sparseSigmoid);
export const squareplus = op(k.squareplus);
export const tanh = op(k.tanh);
export const tanhShrink = op(k.tanhShrink);
export const threshold = op(k.threshold);
/** Alias of silu, as in Keras. */
export const swish = silu;
/** Alias of hardSilu, as in Keras. */
export const hardSwish = hardSilu;
