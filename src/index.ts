/**
 * tfjs-activations: every Keras 3 activation for TensorFlow.js.
 *
 * Importing this module registers the fused kernels and gradients of every
 * activation and the tfjs-layers activation ids; it exports the ops, the
 * parameterised activation layers and the helpers.
 */
import {registerAll} from './register';

registerAll();

export * from './ops';
export {activationId, layers, layerClassName, newActivationIds, registeredIds, useKeras3HardSigmoid} from './layers';
export type {ActivationId, ActivationLayerArgs} from './layers';
export {definitions, kernelName, gradKernelName, lookup} from './catalogue';
export {wasmSimd} from './backends/wasm';
export type {ActivationDefinition, AxisActivation, ElementwiseActivation, OptionsOf, ParamSpec} from './definition';
export type {ActivationOp} from './ops';
