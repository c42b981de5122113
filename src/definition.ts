import type {Tensor} from '@tensorflow/tfjs-core';

/**
 * The shape of one activation definition.
 *
 * Every activation lives in one file under `kernels/` and exports one
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
   * GLSL ES 3.0 bodies of `float f(float x)`, `float df(float x)` and
   * `float d2f(float x)`; the constants are the uniform `vec4 u`. Shared
   * helpers (expm1, log1p, erf, erfc, sigmoid, softplus...) come from
   * `src/backends/glsl_math.ts`.
   */
  glsl?: {forward: string; derivative: string; second?: string};
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
