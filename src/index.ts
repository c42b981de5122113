/**
 * tfjs-activations: every Keras 3 activation for TensorFlow.js.
 *
 * Importing this module registers the fused kernels and gradients of every
 * activation and the tfjs-layers activation ids; it exports the ops, the
 * parameterised activation layers and the helpers.
 */
import {registerAll} from './register';
import {registerKerasLayers} from './keras/layers';

registerAll();
registerKerasLayers();

export * from './ops';
export {activationId, layers, layerClassName, newActivationIds, registeredIds, useKeras3HardSigmoid} from './layers';
export type {ActivationId, ActivationLayerArgs, LayerFactory, NewActivationId} from './layers';
export {registerActivation, backendFactories} from './register';
export type {BackendFactory} from './register';
export {definitions, kernelName, gradKernelName, lookup} from './catalogue';
export {elementwise, alongAxis, MAX_CONSTANTS} from './definition';
export type {
  ActivationBench,
  ActivationBudget,
  ActivationDefinition,
  ActivationTests,
  AxisActivation,
  ElementwiseActivation,
  OptionsOf,
  ParamSpec,
  Variant,
} from './definition';
export {wasmSimd} from './backends/wasm';
export type {ActivationOp} from './ops';
// Types the API reference links to (npm run docs).
export type {
  AxisKernels,
  ConstantList,
  Constants,
  CppAxis,
  CppElementwise,
  KindValue,
  NativeArg,
  NativeAttr,
  NativeOps,
  NativeTensor,
  ParamKind,
  ParamValue,
  Params,
  ScalarFn,
  ShaderBodies,
  ShaderVariants,
  TensorflowAxis,
  TensorflowElementwise,
} from './definition';
export type {WebglAxis} from './backends/webgl_axis';
export type {LayerInfo} from './keras/import/translate';
export {loadKerasModel, convertKerasModel} from './keras/load';
export type {CustomObject, KerasImportReport, KerasSource, LoadKerasModelOptions} from './keras/load';
export {KERAS2_HARD_SIGMOID, KERAS3_HARD_SIGMOID} from './keras/layers';
