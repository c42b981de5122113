import {cast, engine, Tensor, tensor, tidy, transpose} from '@tensorflow/tfjs-core';
import type {TensorLike} from '@tensorflow/tfjs-core';
import type {ActivationDefinition, AxisActivation, Params} from './definition';
import {kernelName} from './catalogue';
import {constantsOf} from './params';
import {axesLast, axisOutputShape, contiguous, resolveAxes} from './layout';

export {resolveAxes};

/** The input as a float32 tensor; `owned` when this call created it and must dispose it. */
function asFloatTensor(def: ActivationDefinition, x: Tensor | TensorLike): {t: Tensor; owned: boolean} {
  if (x instanceof Tensor) {
    if (x.dtype === 'float32') return {t: x, owned: false};
    if (x.dtype === 'int32') return {t: cast(x, 'float32'), owned: true};
    throw new Error(`${def.keras}: expects a float32 or int32 tensor, got a ${x.dtype} tensor`);
  }
  if (typeof x === 'string' || (Array.isArray(x) && typeof x.flat(Infinity)[0] === 'string')) {
    throw new Error(`${def.keras}: expects numbers, got strings`);
  }
  let t: Tensor;
  try {
    t = tensor(x as TensorLike);
  } catch (e) {
    throw new Error(`${def.keras}: input is not a tensor or a nested array of numbers (${(e as Error).message})`);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    t.dispose();
    throw new Error(`${def.keras}: expects numbers, got ${t.dtype} values`);
  }
  if (t.dtype === 'float32') return {t, owned: true};
  const f = cast(t, 'float32');
  t.dispose();
  return {t: f, owned: true};
}

function runAxis(def: AxisActivation, x: Tensor, params: Params): Tensor {
  const axes = resolveAxes(def, params, x.rank);
  axisOutputShape(def, x.shape, axes);  // throws for an odd axis that glu would halve
  if (contiguous(axes)) return engine().runKernel(kernelName(def), {x}, {axes}) as Tensor;
  // Move the axes to the end, run there, and move them back.
  return tidy(() => {
    const {perm, inverse, last} = axesLast(x.rank, axes);
    const y = engine().runKernel(kernelName(def), {x: transpose(x, perm)}, {axes: last}) as Tensor;
    return transpose(y, inverse);
  });
}

/** Runs an activation on validated parameters. */
export function applyActivation(def: ActivationDefinition, x: Tensor | TensorLike, params: Params): Tensor {
  const {t, owned} = asFloatTensor(def, x);
  try {
    if (def.kind === 'axis') return runAxis(def, t, params);
    return engine().runKernel(kernelName(def), {x: t}, {u: constantsOf(def, params)}) as Tensor;
  } finally {
    if (owned) t.dispose();
  }
}
