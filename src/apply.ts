import {cast, engine, Tensor, tensor, tidy, transpose} from '@tensorflow/tfjs-core';
import type {TensorLike} from '@tensorflow/tfjs-core';
import type {ActivationDefinition, AxisActivation, Params} from './definition';
import {kernelName} from './catalogue';
import {constantsOf} from './params';

/** The first element of a nested array that is not a number, with its index path. */
function firstNonNumber(x: unknown, path: number[] = []): [unknown, number[]] | undefined {
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const bad = firstNonNumber(x[i], [...path, i]);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (ArrayBuffer.isView(x)) {
    return x instanceof BigInt64Array || x instanceof BigUint64Array ? [x, path] : undefined;
  }
  return typeof x === 'number' ? undefined : [x, path];
}

function describeElement(v: unknown): string {
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return `a ${v.constructor.name} (BigInt values)`;
  if (typeof v === 'bigint') return `the BigInt ${v}n (convert it with Number())`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  return `${typeof v} ${String(v)}`;
}

/** The input as a float32 tensor; `owned` when this call created it and must dispose it. */
function asFloatTensor(def: ActivationDefinition, x: Tensor | TensorLike): {t: Tensor; owned: boolean} {
  if (Object.keys(engine().registryFactory).length === 0) {
    throw new Error(`${def.keras}: no TensorFlow.js backend is registered. Import one before calling an op: ` +
                    `'@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-node' ` +
                    `or '@tensorflow/tfjs' (which includes cpu and webgl)`);
  }
  if (x instanceof Tensor) {
    if (x.isDisposed) {
      throw new Error(`${def.keras}: the input tensor (id ${x.id}, shape [${x.shape}]) has already been disposed`);
    }
    if (x.dtype === 'float32') return {t: x, owned: false};
    if (x.dtype === 'int32') return {t: cast(x, 'float32'), owned: true};
    throw new Error(`${def.keras}: expects a float32 or int32 tensor, got a ${x.dtype} tensor`);
  }
  if (typeof x === 'string' || (Array.isArray(x) && typeof x.flat(Infinity)[0] === 'string')) {
    throw new Error(`${def.keras}: expects numbers, got strings`);
  }
  const bad = firstNonNumber(x);
  if (bad !== undefined) {
    const [v, path] = bad;
    throw new Error(`${def.keras}: expects a tensor or a (nested) array of numbers, got ${describeElement(v)}` +
                    (path.length ? ` at index [${path.join('][')}]` : ''));
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

function normalizeAxis(def: ActivationDefinition, axis: number, rank: number): number {
  if (axis < -rank || axis >= rank) {
    throw new Error(`${def.keras}: axis ${axis} is out of range for a tensor of rank ${rank} ` +
                    `(valid: ${-rank} to ${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted, non-negative axes of an axis activation for this rank. */
export function resolveAxes(def: AxisActivation, params: Params, rank: number): number[] {
  if (rank === 0) throw new Error(`${def.keras}: needs a tensor of rank >= 1, got a scalar`);
  const a = params.axis as number | number[] | null;
  const axes = a === null ? Array.from({length: rank}, (_, i) => i) :
                            (Array.isArray(a) ? a : [a]).map(v => normalizeAxis(def, v, rank));
  const sorted = [...axes].sort((p, q) => p - q);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new Error(`${def.keras}: axis ${sorted[i]} is repeated in ${JSON.stringify(a)}`);
  }
  return sorted;
}

function runAxis(def: AxisActivation, x: Tensor, params: Params): Tensor {
  const axes = resolveAxes(def, params, x.rank);
  if (def.halvesAxis && x.shape[axes[0]] % 2 !== 0) {
    throw new Error(`${def.keras}: the size of axis ${axes[0]} must be even to split it in two halves, ` +
                    `got ${x.shape[axes[0]]} (shape [${x.shape}])`);
  }
  const contiguous = axes[axes.length - 1] - axes[0] === axes.length - 1;
  if (contiguous) return engine().runKernel(kernelName(def), {x}, {axes}) as Tensor;
  // Move the axes to the end, run there, and move them back.
  return tidy(() => {
    const rest = x.shape.map((_, i) => i).filter(i => !axes.includes(i));
    const perm = [...rest, ...axes];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    const last = axes.map((_, i) => x.rank - axes.length + i);
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
