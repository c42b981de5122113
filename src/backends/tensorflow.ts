/**
 * tensorflow (tfjs-node) kernels: each activation runs as a short chain of
 * libtensorflow ops, written in its definition's `tensorflow` field against
 * the small `NativeOps` helper below.
 *
 * The helper talks to the backend's N-API binding directly
 * (`binding.executeOp`), because libtensorflow's float32 kernels are not
 * accurate enough for this package's rule (results within 4 ULP of the
 * float64 truth): measured on TF 2.21, Tanh is off by up to 5 ULP, Sigmoid 6,
 * Softplus 7, Erf 6, Erfc 63, and Elu/Selu compute exp(x) − 1, which is 0
 * for |x| < 3e-8. The same ops in float64 are accurate, and tfjs-node cannot
 * hold a float64 tensor, so such chains keep their float64 intermediates as
 * bare libtensorflow handles and hand only the float32 result to tfjs.
 * Intermediates are deleted before the kernel returns.
 *
 * When the package's native op library is built and loads
 * (./tensorflow_native.ts), every kernel is one fused op of it instead.
 *
 * An activation without a composition (or a backend object without the
 * binding) runs its scalar definition on the tensor's values instead.
 *
 * Nothing here imports tfjs-node as a value: the backend object arrives at
 * run time.
 */
import type {DataId, KernelConfig, NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';
import type {NodeJSKernelBackend} from '@tensorflow/tfjs-node/dist/nodejs_kernel_backend';
import type {TFEOpAttr, TensorMetadata} from '@tensorflow/tfjs-node/dist/tfjs_binding';
import type {
  ActivationDefinition,
  AxisActivation,
  ElementwiseActivation,
  NativeArg,
  NativeAttr,
  NativeOps,
  NativeTensor,
} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape} from '../layout';
import {backwardOnHost, forwardOnHost} from './host';
import {MIN_NORMAL_F32, readSubnormalsAsNormal} from '../subnormal';
import {nativeAxis, nativeElementwise} from './tensorflow_native';

type DType = NativeTensor['dtype'];
type Binding = NodeJSKernelBackend['binding'];

/**
 * What these kernels use of tfjs-node 4.x's `NodeJSKernelBackend`:
 * `getInputTensorIds` and `createOutputTensor` are private in its typings
 * but are the backend's own way to turn tfjs tensors into libtensorflow
 * handles and back (every tfjs-node kernel goes through them).
 */
interface NodeBackend {
  binding: Binding;
  getInputTensorIds(tensors: TensorInfo[]): number[];
  createOutputTensor(metadata: TensorMetadata): TensorInfo;
  readSync(dataId: DataId): unknown;
  write(values: Float32Array, shape: number[], dtype: 'float32'): DataId;
  incRef(dataId: DataId): void;
}

/** TF_DOUBLE in the TensorFlow C API (the binding only exports the dtypes tfjs has). */
const TF_DOUBLE = 2;

function hasBinding(b: unknown): b is NodeBackend {
  const c = b as Partial<NodeBackend> | null;
  return (
    c != null &&
    typeof c.binding?.executeOp === 'function' &&
    typeof c.getInputTensorIds === 'function' &&
    typeof c.createOutputTensor === 'function'
  );
}

class Handle implements NativeTensor {
  constructor(
    readonly id: number,
    readonly dtype: DType,
    readonly shape: number[],
    readonly meta: TensorMetadata | null,
    readonly source?: TensorInfo,
  ) {}
}

/** Scalar constants, per binding: created once, then reused by every call. */
const constants = new WeakMap<Binding, Map<string, number>>();
const MAX_CONSTANTS = 512;

/** t as a float32, rounded in the given direction (t itself when it is a float32). */
function toFloat32(t: number, round: 'up' | 'down'): number {
  const f = Math.fround(t);
  if (f === t || t !== t || (round === 'up' ? f > t : f < t)) return f;
  // Rounded to the wrong side: step one float32 in the rounding direction.
  if (f === 0) return round === 'up' ? 1.401298464324817e-45 : -1.401298464324817e-45;
  const bits = new Float32Array([f]),
    i = new Int32Array(bits.buffer);
  i[0] += f > 0 === (round === 'up') ? 1 : -1;
  return bits[0];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The `nat` of one kernel call: runs ops, owns their outputs. */
class Scope implements NativeOps {
  private readonly created: Handle[] = [];
  private readonly casts = new Map<Handle, Handle>();
  private readonly binding: Binding;

  constructor(private readonly backend: NodeBackend) {
    this.binding = backend.binding;
  }

  input(t: TensorInfo): Handle {
    const [id] = this.backend.getInputTensorIds([t]);
    return new Handle(id, t.dtype as DType, [...t.shape], null, t);
  }

  private enumOf(d: DType): number {
    const b = this.binding;
    return d === 'float32' ? b.TF_FLOAT : d === 'float64' ? TF_DOUBLE : d === 'int32' ? b.TF_INT32 : b.TF_BOOL;
  }

  private dtypeOf(e: number): DType | undefined {
    const b = this.binding;
    return e === b.TF_FLOAT
      ? 'float32'
      : e === TF_DOUBLE
        ? 'float64'
        : e === b.TF_INT32
          ? 'int32'
          : e === b.TF_BOOL
            ? 'bool'
            : undefined;
  }

  private attr(name: string, v: NativeAttr): TFEOpAttr {
    const b = this.binding;
    if (typeof v === 'boolean') return {name, type: b.TF_ATTR_BOOL, value: v};
    if ('float' in v) return {name, type: b.TF_ATTR_FLOAT, value: v.float};
    if ('int' in v) return {name, type: b.TF_ATTR_INT, value: v.int};
    return {name, type: b.TF_ATTR_TYPE, value: this.enumOf(v.type)};
  }

  /** One libtensorflow op on handles; its outputs belong to this scope. */
  private exec(name: string, inputs: Handle[], attrs: TFEOpAttr[], outputs = 1): Handle[] {
    const metas = this.binding.executeOp(
      name,
      attrs,
      inputs.map(h => h.id),
      outputs,
    );
    const hs = metas.map(m => new Handle(m.id, this.dtypeOf(m.dtype)!, m.shape, m));
    this.created.push(...hs); // owned (and deleted) even if the check below throws
    const odd = metas.find(m => this.dtypeOf(m.dtype) === undefined);
    if (odd !== undefined) throw new Error(`tensorflow kernels: ${name} returned TF_DataType ${odd.dtype}`);
    return hs;
  }

  private own(id: number, dtype: DType, shape: number[]): Handle {
    const h = new Handle(id, dtype, shape, null);
    this.created.push(h);
    return h;
  }

  ints(values: number | readonly number[]): Handle {
    const list = typeof values === 'number' ? [values] : values;
    const shape = typeof values === 'number' ? [] : [list.length];
    return this.own(this.binding.createTensor(shape, this.binding.TF_INT32, Int32Array.from(list)), 'int32', shape);
  }

  /**
   * A cached scalar. float64 values are built exactly from three float32
   * parts (hi + lo + lo2, every partial sum exact), since the binding can
   * only upload float32 data.
   */
  private scalar(v: number, dtype: DType): Handle {
    const b = this.binding;
    let cache = constants.get(b);
    if (cache === undefined) constants.set(b, (cache = new Map()));
    const key = `${dtype}:${Object.is(v, -0) ? '-0' : v}`;
    let id = cache.get(key);
    if (id === undefined) {
      if (dtype === 'float32') {
        id = b.createTensor([], b.TF_FLOAT, Float32Array.of(v));
      } else if (dtype === 'int32') {
        id = b.createTensor([], b.TF_INT32, Int32Array.of(v));
      } else if (dtype === 'float64') {
        const hi = Math.fround(v);
        const r = v - hi,
          lo = Math.fround(r),
          lo2 = Math.fround(r - lo);
        const single = !Number.isFinite(v) || r === 0;
        const parts = b.createTensor(
          single ? [] : [3],
          b.TF_FLOAT,
          single ? Float32Array.of(hi) : Float32Array.of(hi, lo, lo2),
        );
        const cast = b.executeOp(
          'Cast',
          [this.attr('SrcT', {type: 'float32'}), this.attr('DstT', {type: 'float64'}), this.attr('Truncate', false)],
          [parts],
          1,
        )[0].id;
        b.deleteTensor(parts);
        if (single) {
          id = cast;
        } else {
          const axis = b.createTensor([], b.TF_INT32, Int32Array.of(0));
          id = b.executeOp(
            'Sum',
            [this.attr('T', {type: 'float64'}), this.attr('Tidx', {type: 'int32'}), this.attr('keep_dims', false)],
            [cast, axis],
            1,
          )[0].id;
          b.deleteTensor(axis);
          b.deleteTensor(cast);
        }
      } else {
        throw new Error(`tensorflow kernels: no ${dtype} scalars`);
      }
      cache.set(key, id);
    }
    return new Handle(id, dtype, [], null);
  }

  private arg(a: NativeArg, dtype: DType): Handle {
    return typeof a === 'number' ? this.scalar(a, dtype) : (a as Handle);
  }

  /** The dtype numbers become: that of the first non-bool tensor input. */
  private floatType(inputs: readonly NativeArg[]): DType {
    for (const a of inputs) if (typeof a !== 'number' && a.dtype !== 'bool') return a.dtype;
    return 'float32';
  }

  op(name: string, inputs: NativeArg[], attrs: Record<string, NativeAttr> = {}): NativeTensor {
    return this.ops(name, inputs, attrs, 1)[0];
  }

  ops(name: string, inputs: NativeArg[], attrs: Record<string, NativeAttr>, outputs: number): NativeTensor[] {
    const t = this.floatType(inputs);
    const logical = inputs.every(a => typeof a !== 'number' && a.dtype === 'bool');
    const list: TFEOpAttr[] = 'T' in attrs || logical ? [] : [this.attr('T', {type: t})];
    for (const [k, v] of Object.entries(attrs)) list.push(this.attr(k, v));
    return this.exec(
      name,
      inputs.map(a => this.arg(a, t)),
      list,
      outputs,
    );
  }

  private cast(x: NativeTensor, to: DType): NativeTensor {
    const h = x as Handle;
    if (h.dtype === to) return h;
    const memo = this.casts.get(h);
    if (memo !== undefined && memo.dtype === to) return memo;
    const [out] = this.exec(
      'Cast',
      [h],
      [this.attr('SrcT', {type: h.dtype}), this.attr('DstT', {type: to}), this.attr('Truncate', false)],
    );
    if (to === 'float64') this.casts.set(h, out);
    return out;
  }

  f64(x: NativeTensor): NativeTensor {
    return this.cast(x, 'float64');
  }

  f32(x: NativeTensor): NativeTensor {
    return this.cast(x, 'float32');
  }

  add(a: NativeArg, b: NativeArg) {
    return this.op('AddV2', [a, b]);
  }
  sub(a: NativeArg, b: NativeArg) {
    return this.op('Sub', [a, b]);
  }
  mul(a: NativeArg, b: NativeArg) {
    return this.op('Mul', [a, b]);
  }
  div(a: NativeArg, b: NativeArg) {
    return this.op('RealDiv', [a, b]);
  }
  mulNoNan(a: NativeArg, b: NativeArg) {
    return this.op('MulNoNan', [a, b]);
  }
  maximum(a: NativeArg, b: NativeArg) {
    return this.op('Maximum', [a, b]);
  }
  minimum(a: NativeArg, b: NativeArg) {
    return this.op('Minimum', [a, b]);
  }
  greater(a: NativeTensor, b: NativeArg) {
    return this.compare('Greater', a, b, 'down');
  }
  greaterEqual(a: NativeTensor, b: NativeArg) {
    return this.compare('GreaterEqual', a, b, 'up');
  }
  less(a: NativeTensor, b: NativeArg) {
    return this.compare('Less', a, b, 'up');
  }
  lessEqual(a: NativeTensor, b: NativeArg) {
    return this.compare('LessEqual', a, b, 'down');
  }

  /**
   * A comparison with a number is exact, as in the float64 definitions: for
   * a float32 tensor, x > t ⇔ x > (largest float32 ≤ t), x < t ⇔
   * x < (smallest float32 ≥ t), and so on.
   */
  private compare(name: string, a: NativeTensor, b: NativeArg, round: 'up' | 'down'): NativeTensor {
    if (typeof b === 'number' && a.dtype === 'float32') b = toFloat32(b, round);
    return this.op(name, [a, b]);
  }

  select(cond: NativeTensor, a: NativeArg, b: NativeArg): NativeTensor {
    return this.op('SelectV2', [cond, a, b]);
  }

  clip(x: NativeTensor, lo: number, hi: number): NativeTensor {
    return this.op('ClipByValue', [x, lo, hi]);
  }

  nanOf(x: NativeTensor): NativeTensor {
    return this.op('ClipByValue', [x, 0, 0]);
  }

  private reduce(name: string, x: NativeTensor, axes: readonly number[]): NativeTensor {
    const h = x as Handle;
    return this.exec(
      name,
      [h, this.ints(axes)],
      [this.attr('T', {type: h.dtype}), this.attr('Tidx', {type: 'int32'}), this.attr('keep_dims', true)],
    )[0];
  }

  sum(x: NativeTensor, axes: readonly number[]) {
    return this.reduce('Sum', x, axes);
  }
  max(x: NativeTensor, axes: readonly number[]) {
    return this.reduce('Max', x, axes);
  }

  reshape(x: NativeTensor, shape: readonly number[]): NativeTensor {
    const h = x as Handle;
    if (sameShape(h.shape, shape)) return h;
    return this.exec(
      'Reshape',
      [h, this.ints(shape)],
      [this.attr('T', {type: h.dtype}), this.attr('Tshape', {type: 'int32'})],
    )[0];
  }

  split2(x: NativeTensor, axis: number): [NativeTensor, NativeTensor] {
    const h = x as Handle;
    const [a, b] = this.exec(
      'Split',
      [this.ints(axis), h],
      [this.attr('T', {type: h.dtype}), this.attr('num_split', {int: 2})],
      2,
    );
    return [a, b];
  }

  concat2(a: NativeTensor, b: NativeTensor, axis: number): NativeTensor {
    const h = a as Handle;
    return this.exec(
      'ConcatV2',
      [h, b as Handle, this.ints(axis)],
      [this.attr('N', {int: 2}), this.attr('T', {type: h.dtype}), this.attr('Tidx', {type: 'int32'})],
    )[0];
  }

  /** Hands the result to tfjs as float32 and deletes every other handle of this call. */
  finish(result: NativeTensor, shape: readonly number[], what: string): TensorInfo {
    let h = result as Handle;
    if (h.dtype === 'float64') h = this.f32(h) as Handle;
    if (h.dtype !== 'float32' || !sameShape(h.shape, shape)) {
      throw new Error(`${what}: composition returned ${h.dtype} [${h.shape}], expected float32 [${shape}]`);
    }
    let out: TensorInfo;
    if (h.source !== undefined) {
      this.backend.incRef(h.source.dataId);
      out = {dataId: h.source.dataId, shape: [...shape], dtype: 'float32'};
    } else {
      this.created.splice(this.created.indexOf(h), 1);
      out = this.backend.createOutputTensor(h.meta!);
    }
    this.dispose();
    return out;
  }

  dispose(): void {
    for (const h of this.created.splice(0)) this.binding.deleteTensor(h.id);
    const cache = constants.get(this.binding);
    if (cache !== undefined && cache.size > MAX_CONSTANTS) {
      for (const [k, id] of [...cache].slice(0, cache.size - MAX_CONSTANTS / 2)) {
        this.binding.deleteTensor(id);
        cache.delete(k);
      }
    }
  }
}

function native(
  backend: NodeBackend,
  shape: readonly number[],
  what: string,
  body: (nat: Scope) => NativeTensor,
): TensorInfo {
  const nat = new Scope(backend);
  try {
    return nat.finish(body(nat), shape, what);
  } catch (e) {
    nat.dispose();
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Fallback: the definition's own float64 scalar code or cpu loops, run on
// the tensor's values (read from libtensorflow, written back as float32).

function values(backend: NodeBackend, t: TensorInfo): Float32Array {
  const v = backend.readSync(t.dataId);
  // (not instanceof: the binding's arrays can come from another realm, e.g. under jest)
  if (t.dtype !== 'float32' || Object.prototype.toString.call(v) !== '[object Float32Array]') {
    throw new Error(`tensorflow kernels: expected float32 data, got ${t.dtype}`);
  }
  return v as Float32Array;
}

function output(backend: NodeBackend, shape: readonly number[], data: Float32Array): TensorInfo {
  return {dataId: backend.write(data, [...shape], 'float32'), shape: [...shape], dtype: 'float32'};
}

function onHost(b: NodeBackend, def: ActivationDefinition, x: TensorInfo, attrs: NamedAttrMap): TensorInfo {
  const {shape, values: out} = forwardOnHost(def, values(b, x), x.shape, attrs);
  return output(b, shape, out);
}

function onHostBackward(
  b: NodeBackend,
  def: ActivationDefinition,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo {
  return output(b, x.shape, backwardOnHost(def, values(b, x), values(b, dy), x.shape, attrs));
}

// ---------------------------------------------------------------------------

/**
 * x with its subnormal elements replaced by ±MIN_NORMAL (float32), found on
 * the bits (libtensorflow computes with denormals-are-zero, so no float
 * comparison sees them), when `remap` (see src/subnormal.ts).
 */
function subnormalsAsNormal(nat: NativeOps, x: NativeTensor, remap: boolean): NativeTensor {
  if (!remap || x.dtype !== 'float32') return x;
  const bits = nat.op('Bitcast', [x], {type: {type: 'int32'}});
  const mag = nat.op('BitwiseAnd', [bits, 0x7fffffff]);
  const sub = nat.op('LogicalAnd', [nat.op('Greater', [mag, 0]), nat.op('Less', [mag, 0x00800000])]);
  const tiny = nat.select(nat.op('Less', [bits, 0]), -MIN_NORMAL_F32, MIN_NORMAL_F32);
  return nat.select(sub, tiny, x);
}

function elementwiseKernels(def: ElementwiseActivation): KernelConfig[] {
  const name = kernelName(def),
    grad = gradKernelName(def);
  return [
    {
      kernelName: name,
      backendName: 'tensorflow',
      kernelFunc: ({inputs, backend, attrs}) => {
        const x = inputs.x as TensorInfo;
        const b = backend as unknown as NodeBackend;
        const u = attrs!.u as number[];
        const fused = hasBinding(b) ? nativeElementwise(b, def, 0, x, undefined, u) : undefined;
        if (fused !== undefined) return fused;
        const comp = def.tensorflow ?? {}; // read per call: tests swap it
        if (comp.forward === undefined || !hasBinding(b)) return onHost(b, def, x, attrs!);
        const remap = readSubnormalsAsNormal(def, 0, u);
        return native(b, x.shape, name, nat => comp.forward!(subnormalsAsNormal(nat, nat.input(x), remap), u, nat));
      },
    },
    {
      kernelName: grad,
      backendName: 'tensorflow',
      kernelFunc: ({inputs, backend, attrs}) => {
        const x = inputs.x as TensorInfo,
          dy = inputs.dy as TensorInfo;
        const order = attrs!.order as number;
        const b = backend as unknown as NodeBackend;
        const u = attrs!.u as number[];
        const y = inputs.y as TensorInfo | undefined; // the forward's output, where the gradient config saves it
        const fused = hasBinding(b) ? nativeElementwise(b, def, order, x, dy, u, y) : undefined;
        if (fused !== undefined) return fused;
        const comp = def.tensorflow ?? {}; // read per call: tests swap it
        const f = order === 1 ? 'derivative' : order === 2 ? 'second' : undefined;
        if (f === undefined || comp[f] === undefined || !hasBinding(b)) return onHostBackward(b, def, x, dy, attrs!);
        const remap = readSubnormalsAsNormal(def, order, u);
        return native(b, x.shape, grad, nat =>
          comp[f]!(subnormalsAsNormal(nat, nat.input(x), remap), nat.input(dy), u, nat),
        );
      },
    },
  ];
}

function axisKernels(def: AxisActivation): KernelConfig[] {
  const name = kernelName(def),
    grad = gradKernelName(def);
  return [
    {
      kernelName: name,
      backendName: 'tensorflow',
      kernelFunc: ({inputs, backend, attrs}) => {
        const x = inputs.x as TensorInfo;
        const axes = attrs!.axes as number[];
        const b = backend as unknown as NodeBackend;
        const fused = hasBinding(b) ? nativeAxis(b, def, x, undefined, axes) : undefined;
        if (fused !== undefined) return fused;
        const comp = def.tensorflow ?? {}; // read per call: tests swap it
        if (comp.forward === undefined || !hasBinding(b)) return onHost(b, def, x, attrs!);
        return native(b, axisOutputShape(def, x.shape, axes), name, nat => comp.forward!(nat.input(x), axes, nat));
      },
    },
    {
      kernelName: grad,
      backendName: 'tensorflow',
      kernelFunc: ({inputs, backend, attrs}) => {
        const x = inputs.x as TensorInfo,
          dy = inputs.dy as TensorInfo;
        const axes = attrs!.axes as number[];
        const b = backend as unknown as NodeBackend;
        const fused = hasBinding(b) ? nativeAxis(b, def, x, dy, axes) : undefined;
        if (fused !== undefined) return fused;
        const comp = def.tensorflow ?? {}; // read per call: tests swap it
        if (comp.backward === undefined || !hasBinding(b)) return onHostBackward(b, def, x, dy, attrs!);
        return native(b, x.shape, grad, nat => comp.backward!(nat.input(x), nat.input(dy), axes, nat));
      },
    },
  ];
}

/** Forward and backward kernels of one activation for the 'tensorflow' backend. */
export function tensorflowKernels(def: ActivationDefinition): KernelConfig[] {
  return def.kind === 'elementwise' ? elementwiseKernels(def) : axisKernels(def);
}
