import {cast, engine, Tensor, tensor, tidy, transpose} from '@tensorflow/tfjs-core';
import type {TensorLike} from '@tensorflow/tfjs-core';
import type {ActivationDefinition, AxisActivation, Params} from './definition';
import {kernelName} from './catalogue';
import {constantsOf} from './params';
import {axesLast, axisOutputShape, contiguous, resolveAxes} from './layout';

export {resolveAxes};

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
  // (a live tensor implies a backend: checked first, it skips the registry check on the hot path)
  if (x instanceof Tensor && !x.isDisposed && x.dtype === 'float32') return {t: x, owned: false};
  if (Object.keys(engine().registryFactory).length === 0) {
    throw new Error(
      `${def.keras}: no TensorFlow.js backend is registered. Import one before calling an op: ` +
        `'@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-node' ` +
        `or '@tensorflow/tfjs' (which includes cpu and webgl)`,
    );
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
    throw new Error(
      `${def.keras}: expects a tensor or a (nested) array of numbers, got ${describeElement(v)}` +
        (path.length ? ` at index [${path.join('][')}]` : ''),
    );
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

const names = new WeakMap<ActivationDefinition, string>();

/** kernelName(def), built once per definition. */
function nameOf(def: ActivationDefinition): string {
  let name = names.get(def);
  if (name === undefined) names.set(def, (name = kernelName(def)));
  return name;
}

/** The resolved axes of the last call per parameters object and rank (calls with the same options reuse them). */
const axesCache = new WeakMap<Params, {def: AxisActivation; rank: number; axes: number[]}>();

function runAxis(def: AxisActivation, x: Tensor, params: Params): Tensor {
  const hit = axesCache.get(params);
  const same = hit !== undefined && hit.def === def && hit.rank === x.rank;
  const axes = same ? hit.axes : resolveAxes(def, params, x.rank);
  if (!same) axesCache.set(params, {def, rank: x.rank, axes});
  axisOutputShape(def, x.shape, axes); // throws for an odd axis that glu would halve
  if (contiguous(axes)) return engine().runKernel(nameOf(def), {x}, {axes}) as Tensor;
  // Move the axes to the end, run there, and move them back.
  return tidy(() => {
    const {perm, inverse, last} = axesLast(x.rank, axes);
    const y = engine().runKernel(kernelName(def), {x: transpose(x, perm)}, {axes: last}) as Tensor;
    return transpose(y, inverse);
  });
}

/** The constants of a parameters object (the same object gives the same constants; the kernels never mutate them). */
const constantsCache = new WeakMap<Params, {def: ActivationDefinition; u: number[]}>();

/** Runs an activation on validated parameters. */
export function applyActivation(def: ActivationDefinition, x: Tensor | TensorLike, params: Params): Tensor {
  const {t, owned} = asFloatTensor(def, x);
  try {
    if (def.kind === 'axis') return runAxis(def, t, params);
    const hit = constantsCache.get(params);
    const u = hit !== undefined && hit.def === def ? hit.u : constantsOf(def, params);
    if (hit === undefined || hit.def !== def) constantsCache.set(params, {def, u});
    return engine().runKernel(nameOf(def), {x: t}, {u}) as Tensor;
  } finally {
    if (owned) t.dispose();
  }
}
