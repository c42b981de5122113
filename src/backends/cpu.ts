/**
 * cpu kernels: one fused pass over the input's Float32Array per call, no
 * intermediate tensors. Works for any backend that stores plain typed
 * arrays in `backend.data` (`cpu`, and the JS fallback of `wasm`).
 */
import type {KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import type {ActivationDefinition} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {backwardOnHost, forwardOnHost} from './host';
import {simdBackward, simdForward} from './cpu_simd';

type Values = Float32Array;

function read(backend: MathBackendCPU, t: TensorInfo): Values {
  return backend.data.get(t.dataId).values as Values;
}

/** Forward and backward kernels of one activation for a typed-array backend. */
export function cpuKernels(def: ActivationDefinition, backendName = 'cpu'): KernelConfig[] {
  return [
    {
      kernelName: kernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        const xs = read(cpu, x);
        // large tensors of the exact activations: the WebAssembly SIMD module, bit-identical to the loops
        const simd = def.kind === 'elementwise' ? simdForward(def, xs, attrs!.u as number[]) : undefined;
        if (simd !== undefined) return cpu.makeTensorInfo(x.shape, 'float32', simd);
        const {shape, values} = forwardOnHost(def, xs, x.shape, attrs!);
        return cpu.makeTensorInfo(shape, 'float32', values);
      },
    },
    {
      kernelName: gradKernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        const xs = read(cpu, x),
          dys = read(cpu, inputs.dy as TensorInfo);
        const simd =
          def.kind === 'elementwise'
            ? simdBackward(def, attrs!.order as number, xs, dys, attrs!.u as number[])
            : undefined;
        const dx = simd ?? backwardOnHost(def, xs, dys, x.shape, attrs!);
        return cpu.makeTensorInfo(x.shape, 'float32', dx);
      },
    },
  ];
}
