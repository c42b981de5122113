/**
 * cpu kernels: one fused pass over the input's Float32Array per call, no
 * intermediate tensors. Works for any backend that stores plain typed
 * arrays in `backend.data` (`cpu`, and the JS fallback of `wasm`).
 */
import type {KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation, ScalarFn} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';

type Values = Float32Array;

function read(backend: MathBackendCPU, t: TensorInfo): Values {
  return backend.data.get(t.dataId).values as Values;
}

function derivativeOf(def: ElementwiseActivation, order: number): ScalarFn {
  const fn = order === 1 ? def.derivative : order === 2 ? def.second : undefined;
  if (fn === undefined) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
  return fn;
}

function elementwiseKernels(def: ElementwiseActivation, backendName: string): KernelConfig[] {
  const f = def.forward;
  return [
    {
      kernelName: kernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        const u = attrs!.u as number[];
        const xs = read(cpu, x);
        const out = new Float32Array(xs.length);
        for (let i = 0; i < xs.length; i++) {
          const v = xs[i];
          out[i] = v === v ? f(v, u) : v;
        }
        return cpu.makeTensorInfo(x.shape, 'float32', out);
      },
    },
    {
      kernelName: gradKernelName(def),
      backendName,
      kernelFunc: ({inputs, backend, attrs}) => {
        const cpu = backend as MathBackendCPU;
        const x = inputs.x as TensorInfo;
        const u = attrs!.u as number[];
        const df = derivativeOf(def, attrs!.order as number);
        const xs = read(cpu, x), dys = read(cpu, inputs.dy as TensorInfo);
        const out = new Float32Array(xs.length);
        for (let i = 0; i < xs.length; i++) {
          const v = xs[i];
          out[i] = v === v ? dys[i] * df(v, u) : v;
        }
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
