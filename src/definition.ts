import type {Tensor} from '@tensorflow/tfjs-core';

/**
 * The shape of one activation definition.
 *
 * Every activation lives in one file under `src/activations/` and exports one
 * definition object. Backends (`src/backends/*`) are generic factories that
 * turn definitions into tfjs `KernelConfig`s; `src/ops.ts` turns them into
 * typed ops and `src/layers.ts` into serializable tfjs-layers activations.
 */

/** A parameter value as Keras accepts it. */
export type ParamValue = number | boolean | number[] | null;
/** Normalised parameters of one call, keyed by the camelCase parameter name. */
export type Params = Record<string, ParamValue>;

/**
 * - `number`: a finite number (validated further by `check`).
 * - `optionalNumber`: a number or `null` (relu's `max_value`).
 * - `boolean`: `true`/`false` (gelu's `approximate`).
 * - `axis`: one integer axis (glu, sparsemax).
 * - `axes`: an integer, an array of integers, or `null` for all axes
 *   (softmax, log_softmax).
 */
export type ParamKind = 'number' | 'optionalNumber' | 'boolean' | 'axis' | 'axes';

export interface ParamSpec {
  /** camelCase name used by the op and the layer config (`negativeSlope`). */
  name: string;
  /** Keras's snake_case name (`negative_slope`). */
  keras: string;
  kind: ParamKind;
  /** Keras's default. Absent means the parameter is required. */
  default?: ParamValue;
  /** One line for the README and the docs. */
  doc: string;
  /** Returns a description of what is wrong with a numeric value, if anything. */
  check?: (value: number) => string | undefined;
}

/**
 * Numeric constants derived from the parameters, handed unchanged to every
 * backend: scalar JS gets them as an array, shaders as a `vec4` uniform `u`
 * (so at most four), tfjs-node as numbers. Keeping them numeric means one
 * compiled shader serves every parameter value.
 */
export type Constants = ArrayLike<number>;

/** Scalar math in float64: `x` is one input element, `u` the constants. */
export type ScalarFn = (x: number, u: Constants) => number;

/**
 * A tensor inside a tensorflow (tfjs-node) composition: one libtensorflow
 * tensor, float32 or float64 (bool and int32 for masks and indices).
 * Intermediates are deleted when the kernel returns.
 */
export interface NativeTensor {
  readonly dtype: 'float32' | 'float64' | 'int32' | 'bool';
  readonly shape: readonly number[];
}

/** An op input: a tensor, or a number that becomes a scalar of the op's dtype. */
export type NativeArg = NativeTensor | number;

/** An op attribute other than the dtype `T` (which is taken from the inputs). */
export type NativeAttr = boolean | {float: number} | {int: number} | {type: NativeTensor['dtype']};

/**
 * The helper a tensorflow composition gets (`nat`, src/backends/tensorflow.ts).
 * Every method launches one libtensorflow op, except `ints`, and `f64`,
 * `f32` or `reshape` when there is nothing to change. Numbers become scalars of the other
 * input's dtype: float64 scalars hold the exact float64 value (cached, so
 * they cost nothing after the first call), float32 ones the rounded value.
 */
export interface NativeOps {
  /** Runs a TensorFlow op by name (`'Softplus'`, `'SoftplusGrad'`...); `T` is set from the first non-bool input. */
  op(name: string, inputs: NativeArg[], attrs?: Record<string, NativeAttr>): NativeTensor;
  /** Several outputs of one op (`TopKV2`...). */
  ops(name: string, inputs: NativeArg[], attrs: Record<string, NativeAttr>, outputs: number): NativeTensor[];
  /** An int32 constant (axes, shapes, permutations): a scalar for a number. No launch. */
  ints(values: number | readonly number[]): NativeTensor;
  /** Cast to float64 (memoised per tensor) and back to float32. */
  f64(x: NativeTensor): NativeTensor;
  f32(x: NativeTensor): NativeTensor;
  add(a: NativeArg, b: NativeArg): NativeTensor;
  sub(a: NativeArg, b: NativeArg): NativeTensor;
  mul(a: NativeArg, b: NativeArg): NativeTensor;
  div(a: NativeArg, b: NativeArg): NativeTensor;
  /** a·b, but 0 wherever b is 0 (so ±inf·0 gives 0, the limit, instead of NaN). */
  mulNoNan(a: NativeArg, b: NativeArg): NativeTensor;
  maximum(a: NativeArg, b: NativeArg): NativeTensor;
  minimum(a: NativeArg, b: NativeArg): NativeTensor;
  /** Comparisons (bool). Against a number they are exact, as the float64 definitions compare. */
  greater(a: NativeTensor, b: NativeArg): NativeTensor;
  greaterEqual(a: NativeTensor, b: NativeArg): NativeTensor;
  less(a: NativeTensor, b: NativeArg): NativeTensor;
  lessEqual(a: NativeTensor, b: NativeArg): NativeTensor;
  /** cond ? a : b, broadcasting (SelectV2). */
  select(cond: NativeTensor, a: NativeArg, b: NativeArg): NativeTensor;
  /** min(max(x, lo), hi); NaN stays NaN. */
  clip(x: NativeTensor, lo: number, hi: number): NativeTensor;
  /** 0 where x is a number (±inf included), NaN where x is NaN: `add` it to pass NaN through. */
  nanOf(x: NativeTensor): NativeTensor;
  /** Reductions over `axes`, keeping them as size-1 dimensions. */
  sum(x: NativeTensor, axes: readonly number[]): NativeTensor;
  max(x: NativeTensor, axes: readonly number[]): NativeTensor;
  reshape(x: NativeTensor, shape: readonly number[]): NativeTensor;
  /** Two equal halves along an axis, and back. */
  split2(x: NativeTensor, axis: number): [NativeTensor, NativeTensor];
  concat2(a: NativeTensor, b: NativeTensor, axis: number): NativeTensor;
}

/**
 * An elementwise activation on the tensorflow backend, as libtensorflow ops.
 * `derivative`/`second` return dy·f'(x) and dy·f''(x) (fusing the product
 * lets it be formed in float64). A float64 result is cast to float32 by the
 * backend. A missing function runs the scalar definition on the tensor's
 * values instead, and `fallback` says why.
 */
export interface TensorflowElementwise {
  forward?(x: NativeTensor, u: Constants, nat: NativeOps): NativeTensor;
  derivative?(x: NativeTensor, dy: NativeTensor, u: Constants, nat: NativeOps): NativeTensor;
  second?(x: NativeTensor, dy: NativeTensor, u: Constants, nat: NativeOps): NativeTensor;
  fallback?: string;
}

/**
 * An axis activation on the tensorflow backend: `x` has its original shape,
 * `axes` are sorted and contiguous (see `AxisActivation`); `backward` gets
 * dy with the output's shape and returns dx. Missing functions fall back to
 * the `cpu` loops on the tensor's values, and `fallback` says why.
 */
export interface TensorflowAxis {
  forward?(x: NativeTensor, axes: readonly number[], nat: NativeOps): NativeTensor;
  backward?(x: NativeTensor, dy: NativeTensor, axes: readonly number[], nat: NativeOps): NativeTensor;
  fallback?: string;
}

export interface ActivationBase {
  /** tfjs id, camelCase (`softShrink`). Also the op name and the layers class name. */
  id: string;
  /** Keras 3 name, snake_case (`soft_shrink`); what a saved model contains. */
  keras: string;
  /** Other Keras names that mean the same activation (`swish` for `silu`). */
  aliases?: string[];
  /** The formula in plain text, as shown in the README. */
  formula: string;
  /** One-sentence description. */
  doc: string;
  params: readonly ParamSpec[];
  /** Parameters (already validated, defaults filled in) → constants. */
  constants?: (p: Params) => number[];
}

/**
 * An elementwise activation: y = f(x) for every element. The cpu factory
 * runs `forward` over a Float32Array in one pass; the gradient kernel runs
 * `dy * derivative(x)` (and `second` for the gradient of the gradient).
 */
export interface ElementwiseActivation extends ActivationBase {
  kind: 'elementwise';
  forward: ScalarFn;
  /** f'(x). At a kink, the one-sided value Keras's autodiff uses. */
  derivative: ScalarFn;
  /** f''(x); absent when the activation has no second derivative. */
  second?: ScalarFn;
  /**
   * f(x) = x for every x (linear): a backend may return the input itself as
   * the output instead of a copy. (Not dy as the gradient: dx is NaN where
   * x is NaN.)
   */
  identity?: boolean;
  /**
   * GLSL ES 3.0 bodies of `float f(float x)`, `float df(float x)` and
   * `float d2f(float x)`. The constants are the uniform `vec4 u` (rounded
   * to float32) and `vec4 ul`, the remainders u − float32(u), for bodies
   * that need a constant as exactly as the float64 cpu math has it; the
   * uniform `float ta_z` is always 0 and keeps the compiler from folding
   * error-compensation terms. Shared helpers (expm1, log1p, erf, erfc,
   * sigmoid, softplus, the `ta_*` double-float helpers and the fitted
   * `rootfix_*` corrections near roots) come from
   * `src/backends/glsl_math.ts`, which includes only the ones a body uses.
   */
  glsl?: {forward: string; derivative: string; second?: string};
  /** The tensorflow (tfjs-node) backend's composition of libtensorflow ops. */
  tensorflow?: TensorflowElementwise;
  /**
   * C bodies of `double f(double x)`, `df` and `d2f` for the WebAssembly SIMD
   * module (src/backends/wasm_source.ts generates it, clang vectorizes the
   * loops): `x` is the float32 input in float64, `u0`..`u3` the constants.
   * Only `__builtin_*` arithmetic and the module's `wm_*` helpers, no tables.
   */
  wasm?: {
    forward: string;
    derivative: string;
    second?: string;
    /**
     * Bodies in float32 (`float x`, f32x4 lanes, twice as many as float64),
     * run instead of the ones above while the C condition `when` on
     * u0..u3 holds (always without it). Only for bodies whose float32
     * result is bit-identical to the float64 one: they select x, ±0, or
     * constants exact in float32 (and a derivative of 0 or 1). With `ulp`,
     * the bodies are within that many ULP of the float64 ones instead: the
     * wasm backend runs them, the cpu kernels (bit-identical to their JS
     * loops) keep the float64 bodies. `keepsNaN`: the float32 forward body
     * returns NaN for NaN by itself, so the loop needs no NaN select.
     */
    float32?: {when?: string; forward?: string; derivative?: string; ulp?: number; keepsNaN?: boolean};
    /** false: the cpu kernels keep their JS loops (measured as fast), even for exact bodies. */
    cpu?: boolean;
  };
}

/**
 * An activation that works along an axis (softmax, log_softmax, glu,
 * sparsemax). Backends see the input as [outer, n, inner] where `n` is the
 * (merged) axis; the op transposes when the axes are not contiguous.
 */
export interface AxisActivation extends ActivationBase {
  kind: 'axis';
  /** `axes` when several axes or `null` are allowed, otherwise `axis`. */
  axisKind: 'axis' | 'axes';
  /** glu: the output keeps half of the axis. */
  halvesAxis?: boolean;
  cpu: {
    /** out has shape [outer, n or n/2, inner]. */
    forward(x: Float32Array, out: Float32Array, outer: number, n: number, inner: number): void;
    /** dx from x and dy (dy has the output's shape), in float64 from the exact input. */
    backward(x: Float32Array, dy: Float32Array, dx: Float32Array, outer: number, n: number,
             inner: number): void;
  };
  /**
   * The gradient of the backward pass, for `tf.grad` of `tf.grad`: given the
   * cotangent `ddx` of dx = backward(x, dy), returns the cotangents of x and
   * of dy, written with differentiable tfjs ops and `run`, this
   * activation's own (differentiable) forward and backward kernels.
   */
  backwardGrad(x: Tensor, dy: Tensor, ddx: Tensor, axes: number[], run: AxisKernels): [Tensor, Tensor];
  /** The tensorflow (tfjs-node) backend's composition of libtensorflow ops. */
  tensorflow?: TensorflowAxis;
}

/** An axis activation's own kernels, for use inside its `backwardGrad`. */
export interface AxisKernels {
  forward(x: Tensor): Tensor;
  backward(x: Tensor, dy: Tensor): Tensor;
}

export type ActivationDefinition = ElementwiseActivation | AxisActivation;

/** Value type of each parameter kind, for typed op options. */
export interface KindValue {
  number: number;
  optionalNumber: number | null;
  boolean: boolean;
  axis: number;
  axes: number | number[] | null;
}

/** Op options derived from a definition's parameter list: defaulted ones are optional. */
export type OptionsOf<P extends readonly ParamSpec[]> =
    {[S in P[number] as S extends {default: unknown} ? S['name'] : never]?: KindValue[S['kind']]} &
    {[S in P[number] as S extends {default: unknown} ? never : S['name']]: KindValue[S['kind']]};

type WithoutKind<T> = Omit<T, 'kind' | 'params'>;

/** Declares an elementwise activation; keeps the literal parameter list for typing. */
export function elementwise<const P extends readonly ParamSpec[] = []>(
    d: WithoutKind<ElementwiseActivation> & {params?: P}): ElementwiseActivation & {params: P} {
  return {...d, params: (d.params ?? []) as unknown as P, kind: 'elementwise'} as
      ElementwiseActivation & {params: P};
}

/** Declares an axis activation; keeps the literal parameter list for typing. */
export function alongAxis<const P extends readonly ParamSpec[]>(
    d: WithoutKind<AxisActivation> & {params: P}): AxisActivation & {params: P} {
  return {...d, kind: 'axis'} as AxisActivation & {params: P};
}

/** Common parameter checks. */
export const nonNegative = (v: number) => v >= 0 ? undefined : `must be >= 0, got ${v}`;
export const nonZero = (v: number) => v !== 0 ? undefined : 'must not be 0';
