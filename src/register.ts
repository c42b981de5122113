/**
 * Registers every activation's kernels (forward and backward) for each
 * backend factory, and their gradients. Registering a kernel for a backend
 * does not load that backend: a kernel receives the backend object at run
 * time. Importing the package runs this once; `registerActivation` does the
 * same for a definition added at run time.
 */
import {registerGradient, registerKernel} from '@tensorflow/tfjs-core';
import type {KernelBackend, KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import type {ActivationDefinition, ParamSpec} from './definition';
import {addDefinition, definitions, kernelName} from './catalogue';
import {cpuKernels} from './backends/cpu';
import {webglKernels} from './backends/webgl';
import {webgpuKernels} from './backends/webgpu';
import {tensorflowKernels} from './backends/tensorflow';
import {wasmKernels} from './backends/wasm';
import {gradientConfigs} from './gradients';
import {registerLayersOf} from './layers';
import {op, type ActivationOp} from './op';
import {claimRegistration} from './copies';

/** A backend factory: the kernel configs of one activation for one backend. */
export type BackendFactory = (def: ActivationDefinition) => KernelConfig[];

/** One line per backend. */
export const backendFactories: Record<string, BackendFactory> = {
  cpu: def => cpuKernels(def, 'cpu'),
  webgl: def => webglKernels(def),
  webgpu: def => webgpuKernels(def),
  tensorflow: def => tensorflowKernels(def),
  wasm: def => wasmKernels(def),
};

let registered = false;

/**
 * An identity activation (linear) on any backend: the forward returns its input and the gradient (order 1)
 * returns dy, sharing their data as tfjs's Identity kernel does, so dx = dy also where x is NaN, as Keras's
 * autodiff gives. Other configs are returned unchanged.
 */
function sharingIdentity(def: ActivationDefinition, config: KernelConfig): KernelConfig {
  if (def.kind !== 'elementwise' || def.identity !== true) return config;
  const input = config.kernelName === kernelName(def) ? 'x' : 'dy';
  const kernelFunc = config.kernelFunc;
  return {
    ...config,
    kernelFunc: args => {
      if (input === 'dy' && args.attrs!.order !== 1) return kernelFunc(args); // dy·f″ = dy·0
      const t = args.inputs[input] as TensorInfo;
      (args.backend as KernelBackend).incRef(t.dataId);
      return {dataId: t.dataId, shape: t.shape.slice(), dtype: t.dtype};
    },
  };
}

/** Kernels of one definition for every backend factory, and its gradients. */
function registerKernelsOf(def: ActivationDefinition): void {
  for (const factory of Object.values(backendFactories)) {
    factory(def).forEach(config => registerKernel(sharingIdentity(def, config)));
  }
  gradientConfigs(def).forEach(registerGradient);
}

export function registerAll(): void {
  if (registered) return;
  registered = true;
  if (!claimRegistration()) return; // another copy of the package registered them (src/copies.ts)
  for (const def of definitions) registerKernelsOf(def);
}

/**
 * Adds an activation at run time, exactly as a definition file in
 * src/activations/ is added at build time: to the catalogue (`definitions`,
 * `lookup`), to every backend (`backendFactories`) with its gradients, to
 * tfjs-layers (string ids and, with parameters, `layers[def.id]`). Returns
 * its typed op. Throws when one of its names is already taken.
 */
export function registerActivation<const P extends readonly ParamSpec[]>(
  def: ActivationDefinition & {params: P},
): ActivationOp<P> {
  registerAll();
  addDefinition(def);
  registerKernelsOf(def);
  registerLayersOf(def);
  return op(def);
}
