/**
 * The tfjs-layers classes an imported Keras 3 model may need, registered when
 * the package is imported (so that a converted or re-saved model loads with
 * plain `tf.loadLayersModel`). The import code itself (unzip, HDF5, config
 * translation) lives in ./import and is loaded only when used.
 *
 * - `hardSigmoidKeras3`: Keras 3's hard_sigmoid, relu6(x + 3)/6, as its own
 *   activation id, so an imported model keeps Keras 3 semantics through a tfjs
 *   save/load round trip while tfjs's own 'hardSigmoid' (Keras 2's
 *   clip(0.2x + 0.5, 0, 1)) stays what it is.
 * - `hardSigmoidKeras2`: Keras 2's hard_sigmoid, clip(0.2x + 0.5, 0, 1), for
 *   models from Keras 2 `.h5` files: their own formula even after
 *   `useKeras3HardSigmoid()` changed what tfjs's 'hardSigmoid' means.
 * - `KerasGRU`: Keras 3's GRU with reset_after=True (its default), which
 *   tfjs-layers lacks.
 * - `KerasNumpyOp`: element-wise operations Keras records as graph nodes
 *   (`x + 3.0` is an `Add` node from keras.src.ops.numpy), with constant
 *   operands kept in the config.
 * - `KerasNormalization`: Keras's Normalization layer ((x − mean)/√variance).
 */
import {
  add,
  cast,
  clipByValue,
  div,
  expandDims,
  matMul,
  max,
  maximum,
  mean,
  mul,
  reshape,
  serialization,
  slice,
  sqrt,
  stack,
  sub,
  tidy,
  tile,
  unstack,
  where,
  zeros,
} from '@tensorflow/tfjs-core';
import type {Tensor} from '@tensorflow/tfjs-core';
import {initializers, layers as tfLayers} from '@tensorflow/tfjs-layers';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';
import type {Kwargs} from '@tensorflow/tfjs-layers/dist/types';
import type {Shape} from '@tensorflow/tfjs-layers/dist/keras_format/common';
import {hardSigmoid} from '../activations/hard_sigmoid';
import {applyActivation} from '../apply';
import {normalizeParams} from '../params';

type Ctor = serialization.SerializableConstructor<serialization.Serializable>;
type ActivationLike = {apply(x: Tensor): Tensor};

/** The activation id Keras 3's hard_sigmoid is imported as (saved as 'hard_sigmoid_keras3'). */
export const KERAS3_HARD_SIGMOID = 'hardSigmoidKeras3';

class HardSigmoidKeras3 extends serialization.Serializable {
  static className = KERAS3_HARD_SIGMOID;
  private readonly params = normalizeParams(hardSigmoid, {});
  apply(x: Tensor): Tensor {
    return applyActivation(hardSigmoid, x, this.params);
  }
  getConfig(): serialization.ConfigDict {
    return {};
  }
}

/** The activation id Keras 2's hard_sigmoid (in a Keras 2 `.h5` file) is imported as. */
export const KERAS2_HARD_SIGMOID = 'hardSigmoidKeras2';

class HardSigmoidKeras2 extends serialization.Serializable {
  static className = KERAS2_HARD_SIGMOID;
  apply(x: Tensor): Tensor {
    // the operations of Keras 2 (and of tfjs-layers' own hardSigmoid): 0.2·x, + 0.5, clipped to [0, 1]
    return tidy(() => clipByValue(add(mul(x, 0.2), 0.5), 0, 1));
  }
  getConfig(): serialization.ConfigDict {
    return {};
  }
}

/** A registered activation by id (tfjs's own or this package's), as tfjs-layers resolves strings. */
function activationById(id: string, layer: string): ActivationLike {
  const entry = (serialization.SerializationMap.getMap().classNameMap as {[k: string]: [Ctor, unknown]})[id];
  if (entry === undefined) throw new Error(`${layer}: unknown activation '${id}'`);
  return new (entry[0] as unknown as new () => ActivationLike)();
}

// ---------------------------------------------------------------------------

interface KerasGRUArgs extends LayerArgs {
  units: number;
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  returnSequences?: boolean;
  goBackwards?: boolean;
  resetAfter?: boolean;
}

/**
 * Keras 3's GRU for inference and training through ordinary tf ops (an
 * unrolled loop over time). Weights as Keras stores them: kernel [in, 3u],
 * recurrent_kernel [u, 3u], bias [2, 3u] (input and recurrent biases) when
 * reset_after, else [3u]; gate order z, r, h.
 */
export class KerasGRU extends tfLayers.Layer {
  static className = 'KerasGRU';
  readonly units: number;
  readonly activationId: string;
  readonly recurrentActivationId: string;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly resetAfter: boolean;
  private act!: ActivationLike;
  private recAct!: ActivationLike;
  private kernel!: ReturnType<KerasGRU['addWeight']>;
  private recurrentKernel!: ReturnType<KerasGRU['addWeight']>;
  private bias: ReturnType<KerasGRU['addWeight']> | null = null;

  constructor(args: KerasGRUArgs) {
    super(args);
    this.units = args.units;
    this.activationId = args.activation ?? 'tanh';
    this.recurrentActivationId = args.recurrentActivation ?? 'sigmoid';
    this.useBias = args.useBias ?? true;
    this.returnSequences = args.returnSequences ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.resetAfter = args.resetAfter ?? true;
    this.act = activationById(this.activationId, this.name);
    this.recAct = activationById(this.recurrentActivationId, this.name);
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inDim = shape[shape.length - 1] as number;
    const u = this.units;
    // the weights come from the Keras file: start them at zero rather than spend time on random values
    this.kernel = this.addWeight('kernel', [inDim, 3 * u], 'float32', initializers.zeros());
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32', initializers.zeros());
    if (this.useBias) {
      this.bias = this.addWeight('bias', this.resetAfter ? [2, 3 * u] : [3 * u], 'float32', initializers.zeros());
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor {
    if (!this.returnSequences || mask == null) return null as unknown as Tensor;
    return Array.isArray(mask) ? mask[0] : mask;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const maskIn = kwargs['mask'] as Tensor | undefined;
      const [batch, steps, inDim] = x.shape as number[];
      const u = this.units;
      const W = this.kernel.read(),
        U = this.recurrentKernel.read();
      let bIn: Tensor | null = null,
        bRec: Tensor | null = null;
      if (this.bias !== null) {
        const b = this.bias.read();
        if (this.resetAfter) {
          [bIn, bRec] = unstack(b);
        } else {
          bIn = b;
        }
      }
      let xw = matMul(reshape(x, [batch * steps, inDim]), W);
      if (bIn !== null) xw = add(xw, bIn);
      let xs = unstack(reshape(xw, [batch, steps, 3 * u]), 1);
      let masks = maskIn != null ? unstack(cast(maskIn, 'bool'), 1) : null;
      if (this.goBackwards) {
        xs = xs.reverse();
        if (masks) masks = masks.reverse();
      }
      const Uh = slice(U, [0, 2 * u], [u, u]);
      const Uzr = slice(U, [0, 0], [u, 2 * u]);
      let h: Tensor = zeros([batch, u]);
      const outs: Tensor[] = [];
      xs.forEach((xt, t) => {
        const xz = slice(xt, [0, 0], [batch, u]);
        const xr = slice(xt, [0, u], [batch, u]);
        const xh = slice(xt, [0, 2 * u], [batch, u]);
        let z: Tensor, r: Tensor, hh: Tensor;
        if (this.resetAfter) {
          let inner = matMul(h, U);
          if (bRec !== null) inner = add(inner, bRec);
          z = this.recAct.apply(add(xz, slice(inner, [0, 0], [batch, u])));
          r = this.recAct.apply(add(xr, slice(inner, [0, u], [batch, u])));
          hh = this.act.apply(add(xh, mul(r, slice(inner, [0, 2 * u], [batch, u]))));
        } else {
          const zr = matMul(h, Uzr);
          z = this.recAct.apply(add(xz, slice(zr, [0, 0], [batch, u])));
          r = this.recAct.apply(add(xr, slice(zr, [0, u], [batch, u])));
          hh = this.act.apply(add(xh, matMul(mul(r, h), Uh)));
        }
        let hNew = add(mul(z, h), mul(sub(1, z), hh));
        if (masks) hNew = where(tile(expandDims(masks[t], 1), [1, u]), hNew, h);
        h = hNew;
        outs.push(h);
      });
      return this.returnSequences ? stack(outs, 1) : h;
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      units: this.units,
      activation: this.activationId,
      recurrentActivation: this.recurrentActivationId,
      useBias: this.useBias,
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      resetAfter: this.resetAfter,
      ...super.getConfig(),
    };
  }
}

// ---------------------------------------------------------------------------

/** Operations of keras.src.ops.numpy that functional graphs record as nodes. */
const NUMPY_OPS: {[op: string]: (a: Tensor | number, b: Tensor | number) => Tensor} = {
  add: (a, b) => add(a, b),
  subtract: (a, b) => sub(a, b),
  multiply: (a, b) => mul(a, b),
  divide: (a, b) => div(a, b),
  maximum: (a, b) => maximum(a, b),
};
export const kerasNumpyOps = Object.keys(NUMPY_OPS);

interface KerasNumpyOpArgs extends LayerArgs {
  op: string;
  /** The operands in order: null for a tensor input (taken in order), else a constant number. */
  operands: Array<number | null>;
}

function broadcastShapes(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i],
      y = b[b.length - n + i];
    if (x === undefined) out.push(y);
    else if (y === undefined) out.push(x);
    else if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else out.push(x ?? y);
  }
  return out;
}

/** A binary element-wise Keras operation node, e.g. `x + 3.0` or `x * y`. */
export class KerasNumpyOp extends tfLayers.Layer {
  static className = 'KerasNumpyOp';
  readonly op: string;
  readonly operands: Array<number | null>;

  constructor(args: KerasNumpyOpArgs) {
    super(args);
    if (!(args.op in NUMPY_OPS)) {
      throw new Error(
        `KerasNumpyOp '${this.name}': unknown operation '${args.op}' (known: ${kerasNumpyOps.join(', ')})`,
      );
    }
    if (!Array.isArray(args.operands) || args.operands.length !== 2) {
      throw new Error(
        `KerasNumpyOp '${this.name}': operands must list two entries, got ${JSON.stringify(args.operands)}`,
      );
    }
    this.op = args.op;
    this.operands = args.operands;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    return shapes.reduce((a, b) => broadcastShapes(a, b));
  }

  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => {
      const ts = Array.isArray(inputs) ? [...inputs] : [inputs];
      const args = this.operands.map(c => (c === null ? (ts.shift() as Tensor) : c));
      return NUMPY_OPS[this.op](args[0], args[1]);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {op: this.op, operands: this.operands, ...super.getConfig()};
  }
}

// ---------------------------------------------------------------------------

interface KerasNormalizationArgs extends LayerArgs {
  axis?: number | number[];
  invert?: boolean;
}

/** Keras's Normalization layer with its adapted mean and variance as weights. */
export class KerasNormalization extends tfLayers.Layer {
  static className = 'KerasNormalization';
  readonly axis: number[];
  readonly invert: boolean;
  private broadcastShape: number[] = [];
  private mean!: ReturnType<KerasNormalization['addWeight']>;
  private variance!: ReturnType<KerasNormalization['addWeight']>;

  constructor(args: KerasNormalizationArgs) {
    super(args);
    const axis = args.axis ?? -1;
    this.axis = Array.isArray(axis) ? axis : [axis];
    this.invert = args.invert ?? false;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const rank = shape.length;
    const keep = this.axis.map(a => (a < 0 ? a + rank : a));
    this.broadcastShape = shape.map((d, i) => (keep.includes(i) ? (d as number) : 1));
    const wShape = keep.map(a => shape[a] as number);
    this.mean = this.addWeight('mean', wShape, 'float32', initializers.zeros(), undefined, false);
    this.variance = this.addWeight('variance', wShape, 'float32', initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => {
      const x = cast(Array.isArray(inputs) ? inputs[0] : inputs, 'float32');
      const mean = reshape(this.mean.read(), this.broadcastShape);
      const sd = maximum(sqrt(reshape(this.variance.read(), this.broadcastShape)), 1e-7);
      return this.invert ? add(mul(x, sd), mean) : div(sub(x, mean), sd);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {axis: this.axis, invert: this.invert, ...super.getConfig()};
  }
}

interface KerasGlobalPoolingArgs extends LayerArgs {
  mode: 'avg' | 'max';
  rank: number;
  dataFormat?: 'channelsFirst' | 'channelsLast';
  keepdims?: boolean;
}

/** Keras's global pooling with keepdims=True (tfjs's global pooling layers drop the axes). */
export class KerasGlobalPooling extends tfLayers.Layer {
  static className = 'KerasGlobalPooling';
  readonly mode: 'avg' | 'max';
  readonly rank: number;
  readonly dataFormat: 'channelsFirst' | 'channelsLast';
  readonly keepdims: boolean;

  constructor(args: KerasGlobalPoolingArgs) {
    super(args);
    this.mode = args.mode;
    this.rank = args.rank;
    this.dataFormat = args.dataFormat ?? 'channelsLast';
    this.keepdims = args.keepdims ?? true;
  }

  private axes(): number[] {
    const first = this.dataFormat === 'channelsFirst' ? 2 : 1;
    return Array.from({length: this.rank}, (_, i) => first + i);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const axes = this.axes();
    return this.keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
  }

  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.mode === 'avg' ? mean(x, this.axes(), this.keepdims) : max(x, this.axes(), this.keepdims);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      mode: this.mode,
      rank: this.rank,
      dataFormat: this.dataFormat,
      keepdims: this.keepdims,
      ...super.getConfig(),
    };
  }
}

let registered = false;

/** Registers the classes above with tfjs's serialization (once). */
export function registerKerasLayers(): void {
  if (registered) return;
  registered = true;
  serialization.registerClass(HardSigmoidKeras3 as unknown as Ctor);
  serialization.registerClass(HardSigmoidKeras2 as unknown as Ctor);
  serialization.registerClass(KerasGRU);
  serialization.registerClass(KerasNumpyOp);
  serialization.registerClass(KerasNormalization);
  serialization.registerClass(KerasGlobalPooling);
}
