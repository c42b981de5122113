/**
 * Registers every activation's kernels (forward and backward) for each
 * backend factory, and their gradients. Registering a kernel for a backend
 * does not load that backend: a kernel receives the backend object at run
 * time. Importing the package runs this once.
 */
import {registerGradient, registerKernel} from '@tensorflow/tfjs-core';
import type {KernelConfig} from '@tensorflow/tfjs-core';
import type {ActivationDefinition} from './definition';
import {definitions} from './catalogue';
import {cpuKernels} from './backends/cpu';
import {webglKernels} from './backends/webgl';
import {tensorflowKernels} from './backends/tensorflow';
import {wasmKernels} from './backends/wasm';
import {gradientConfigs} from './gradients';

/** A backend factory: the kernel configs of one activation for one backend. */
export type BackendFactory = (def: ActivationDefinition) => KernelConfig[];

/** One line per backend. */
export const backendFactories: Record<string, BackendFactory> = {
  cpu: def => cpuKernels(def, 'cpu'),
  webgl: def => webglKernels(def),
  tensorflow: def => tensorflowKernels(def),
  wasm: def => wasmKernels(def),
};

let registered = false;

export function registerAll(): void {
  if (registered) return;
  registered = true;
  for (const def of definitions) {
    for (const factory of Object.values(backendFactories)) factory(def).forEach(registerKernel);
    gradientConfigs(def).forEach(registerGradient);
  }
}
