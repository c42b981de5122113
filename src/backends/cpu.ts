/**
 * cpu kernels: one fused pass over the input's Float32Array per call, no
 * intermediate tensors. Works for any backend that stores plain typed
 * arrays in `backend.data` (`cpu`, and the JS fallback of `wasm`).
 */
import type {KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';
import {scalarLoops} from './scalar_loops';
import {simdBackward, simdForward} from './cpu_simd';

type Values = Float32Array;

function read(backend: MathBackendCPU, t: TensorInfo): Values {
  return backend.data.get(t.dataId).values as Values;
}

/** The output is the input itself, as tfjs's own Identity kernel returns it: no copy. */
function shared(cpu: MathBackendCPU, t: TensorInfo): TensorInfo {
  cpu.incRef(t.dataId);
  return {dataId: t.dataId, shape: t.shape, dtype: t.dtype};
}

function elementwiseKernels(def: ElementwiseActivation, backendName: string): KernelConfig[] {
  const loops = scalarLoops(def);
  return [
    {
      kernelName: kernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        if (def.identity) return shared(cpu, x);
        const u = attrs!.u as number[];
        const xs = read(cpu, x);
        return cpu.makeTensorInfo(x.shape, 'float32', simdForward(def, xs, u) ?? loops.forward(xs, u));
      },
    },
    {
      kernelName: gradKernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        const u = attrs!.u as number[];
        const order = attrs!.order as number, xs = read(cpu, x), dys = read(cpu, inputs.dy as TensorInfo);
        const out = simdBackward(def, order, xs, dys, u) ?? loops.backward(order, xs, dys, u);
        return cpu.makeTensorInfo(x.shape, 'float32', out);
      },
    },
  ];
}

function axisKernels(def: AxisActivation, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: kernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        const axes = attrs!.axes as number[];
        const {outer, n, inner} = layoutOf(x.shape, axes);
        const shape = axisOutputShape(x.shape, axes, def.halvesAxis === true);
        const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
        def.cpu.forward(read(cpu, x), out, outer, n, inner);
        return cpu.makeTensorInfo(shape, 'float32', out);
      },
    },
    {
      kernelName: gradKernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        const axes = attrs!.axes as number[];
        const {outer, n, inner} = layoutOf(x.shape, axes);
        const dx = new Float32Array(x.shape.reduce((a, b) => a * b, 1));
        def.cpu.backward(read(cpu, x), read(cpu, inputs.dy as TensorInfo), dx, outer, n, inner);
        return cpu.makeTensorInfo(x.shape, 'float32', dx);
      },
    },
  ];
}

/** Forward and backward kernels of one activation for a typed-array backend. */
export function cpuKernels(def: ActivationDefinition, backendName = 'cpu'): KernelConfig[] {
  return def.kind === 'elementwise' ? elementwiseKernels(def, backendName) : axisKernels(def, backendName);
}
