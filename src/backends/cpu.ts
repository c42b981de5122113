/**
 * cpu kernels: one fused pass over the input's Float32Array per call, no
 * intermediate tensors. Works for any backend that stores plain typed
 * arrays in `backend.data` (`cpu`, and the JS fallback of `wasm`).
 */
import type {KernelConfig, TensorInfo} from '@tensorflow/tfjs-core';
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import type {ActivationDefinition, AxisActivation, Constants, ElementwiseActivation, ScalarFn} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';

type Values = Float32Array;

function read(backend: MathBackendCPU, t: TensorInfo): Values {
  return backend.data.get(t.dataId).values as Values;
}

/** The output is the input itself, as tfjs's own Identity kernel returns it: no copy. */
function shared(cpu: MathBackendCPU, t: TensorInfo): TensorInfo {
  cpu.incRef(t.dataId);
  return {dataId: t.dataId, shape: t.shape, dtype: t.dtype};
}

function derivativeOf(def: ElementwiseActivation, order: number): ScalarFn {
  const fn = order === 1 ? def.derivative : order === 2 ? def.second : undefined;
  if (fn === undefined) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
  return fn;
}

type ForwardLoop = (xs: Values, out: Values, u: Constants) => void;
type BackwardLoop = (xs: Values, dys: Values, out: Values, u: Constants) => void;

const forwardSource = (name: string) => `return function ${name}(xs, out, u) {
  for (let i = 0; i < xs.length; i++) { const v = xs[i]; out[i] = v === v ? f(v, u) : v; }
};`;
const backwardSource = (name: string) => `return function ${name}(xs, dys, out, u) {
  for (let i = 0; i < xs.length; i++) { const v = xs[i]; out[i] = v === v ? dys[i] * f(v, u) : v; }
};`;

/**
 * The element loop of one scalar function, compiled from source for that
 * function alone: V8 keeps type feedback per compiled function, so the call
 * `f(v, u)` in it has a single target and gets inlined. One shared loop
 * would see every activation's `f` at the same call site and call it
 * through a megamorphic stub, per element (several times slower). The
 * source names the loop after its function because V8 caches compiled
 * `Function` sources, feedback included: identical texts would share one
 * loop again. Where code generation is not allowed (a
 * Content-Security-Policy without 'unsafe-eval'), the shared loops below
 * run instead: same results, slower.
 */
function compileLoop<L>(source: (name: string) => string, name: string, f: ScalarFn,
                        fallback: (f: ScalarFn) => L): L {
  try {
    return new Function('f', source(name.replace(/[^A-Za-z0-9_]/g, '_')))(f) as L;
  } catch {
    return fallback(f);
  }
}

const sharedForward = (f: ScalarFn): ForwardLoop => (xs, out, u) => {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    out[i] = v === v ? f(v, u) : v;
  }
};

const sharedBackward = (f: ScalarFn): BackwardLoop => (xs, dys, out, u) => {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    out[i] = v === v ? dys[i] * f(v, u) : v;
  }
};

function elementwiseKernels(def: ElementwiseActivation, backendName: string): KernelConfig[] {
  const forward = compileLoop(forwardSource, `${def.id}Forward`, def.forward, sharedForward);
  const backward: BackwardLoop[] = [];  // by derivative order, compiled on first use
  const backwardLoop = (order: number): BackwardLoop => backward[order] ??=
      compileLoop(backwardSource, `${def.id}Derivative${order}`, derivativeOf(def, order), sharedBackward);
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
        const out = new Float32Array(xs.length);
        forward(xs, out, u);
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
        const loop = backwardLoop(attrs!.order as number);
        const xs = read(cpu, x), dys = read(cpu, inputs.dy as TensorInfo);
        const out = new Float32Array(xs.length);
        loop(xs, dys, out, u);
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
