import type * as tfc from '@tensorflow/tfjs-core';
import type {Tensor} from '@tensorflow/tfjs-core';
import type {WebglAxis} from './backends/webgl_axis';
import type {WebgpuAxis} from './backends/webgpu_axis';

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

/** What `constants` returns: at most four numbers, the shaders' `vec4 u` (a fifth is a type error). */
export type ConstantList =
  [] | [number] | [number, number] | [number, number, number] | [number, number, number, number];

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
 * C++ of an elementwise activation for the package's native TensorFlow op
 * library (generated by scripts/native/generate.mjs, built by the setup,
 * helpers in native/tfa_ops.h). Each body is an expression, or statements
 * with `return`, over `double x` (never NaN: NaN is passed through before)
 * and the constants `const double* u` (exact float64), giving f(x), f′(x)
 * and f″(x) in float64. Calls to exp, expm1, log1p, tanh, erf and erfc are
 * vectorised through glibc's libmvec when they are not behind a branch.
 */
export interface CppElementwise {
  forward: string;
  derivative: string;
  second?: string;
  /**
   * Optional float32 forms, used instead of `forward` (a body over `float x`
   * returning float, with `u` and `uf`, the constants rounded to float32) and
   * `derivative` (over `float x`, returning double): for activations whose
   * stock tfjs kernel is one float32 op, where float32 vector math (the
   * package's own exp32_fast, expm1_neg32, tanh32, log1p_unit32, exp32_f64 in
   * native/tfa_math32.h: twice the lanes of float64, the same bits on every
   * CPU path) keeps the result within the accuracy rule (4 ULP forward, 16
   * gradient), or is exact.
   */
  forward32?: string;
  derivative32?: string;
  /**
   * A condition over the constants (`u`, `uf`) under which `forward32`
   * applies; otherwise the loop runs `forward` in float64. Tested once per
   * call, outside the loop, so each loop vectorises on its own body.
   */
  forward32When?: string;
  /**
   * `forward32` returns a NaN input itself (same bits), so the loop needs no
   * NaN select after it (one compare and one blend less per vector).
   */
  forward32KeepsNaN?: boolean;
  /**
   * A condition over `float x` (false for NaN) marking the rare inputs that
   * `forward32` does not handle (such as a subnormal or overflowing
   * exponential): the loop ORs it over the elements and, if any holds,
   * recomputes those elements with `forward` in float64 in a second pass, so
   * the hot loop needs no clamps or extra scaling for them.
   */
  forward32Rare?: string;
  /**
   * Optional float32 form of the gradient dy·f′(x), used instead of
   * `derivative`/`derivative32` for the first derivative: a body over
   * `float x` and `float dy` (with `u`, `uf`) returning the float32 result,
   * within the gradient budget, where one float32 multiplication by dy
   * neither flushes nor overflows what float64 would keep. `gradient32Rare`
   * (over `float x`, false for NaN) marks the inputs it does not handle,
   * redone with the float64 gradient in a second pass over those only;
   * `gradient32When` (over the constants) limits it as `forward32When` does.
   */
  gradient32?: string;
  gradient32Rare?: string;
  gradient32When?: string;
  /**
   * The first derivative from the forward's output y where that is as
   * accurate: tfjs then saves y, and the native gradient op takes x, y and dy.
   * `value` (float32, over `float y` and `float dy`) is dy·f′(x) wherever
   * `when` (over `float y`) holds; the other elements (NaN, or where y alone
   * lost range) are recomputed from x in a second pass over those only, so
   * the first pass is a vector loop without the activation's math. Only the
   * native op reads y (it is this library's own forward output there); every
   * other kernel ignores it.
   */
  gradientFromOutput?: {when: string; value: string};
  /**
   * Estimated cycles per element, [forward, gradient], for the split over
   * TensorFlow's thread pool, where the generic estimate (from the float64
   * bodies' vector-math calls) overstates what the float32 forms cost: a
   * tensor the estimate puts above one thread's share is split, and the
   * hand-off then costs more than the work it saves.
   */
  cost?: readonly [number, number];
  /**
   * C++ functions of this activation's float32 forms only (always inlined:
   * declare them `TFA_ALWAYS_INLINE`), emitted into its namespace before the
   * bodies that call them; the building blocks several activations share stay
   * in native/tfa_math32.h.
   */
  helpers32?: string;
}

/**
 * C++ of an axis activation for the native op library: statements over one
 * slice, `const float* x` (n elements at stride `s`, element j is
 * `x[j * s]`), `double* w` (scratch of 2n doubles) and, forward, `float* y`
 * (the output slice, n elements, or n/2 when the activation halves the
 * axis), backward, `const float* dy` (output-sized) and `float* dx`.
 */
export interface CppAxis {
  forward: string;
  backward: string;
  /**
   * Estimated cycles per element of a slice, [forward, backward], for the
   * split over TensorFlow's thread pool (default [2, 3]: a few vectorised
   * passes; a slice that is sorted costs far more).
   */
  cost?: readonly [number, number];
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
  /** Parameters (already validated, defaults filled in) → constants: at most four (`MAX_CONSTANTS`), typed and checked. */
  constants?: (p: Params) => ConstantList;
  /** What the test suites need: parameter variants and kinks. */
  test?: ActivationTests;
  /** Error and cost bounds the test suites hold each backend to. */
  budget?: ActivationBudget;
  /** The benchmark's stock-tfjs reference (scripts/bench.mjs, bench/core.js). */
  bench?: ActivationBench;
  /** One line on when to use it, shown by the gallery page. */
  note?: string;
}

/** Op options of one test variant (camelCase names; missing ones take Keras's defaults). */
export type Variant = Record<string, ParamValue>;

export interface ActivationTests {
  /**
   * Parameter variants every suite runs (cpu, tensorflow, webgl, gradients):
   * Keras's defaults first. Absent: `[{}]` (or the first listed variant when a
   * parameter is required).
   */
  variants?: readonly Variant[];
  /**
   * Elementwise: the points where f′ jumps, for these parameters (defaults
   * filled in). Suites add inputs within an ULP of each and hold the
   * gradient to its budget only away from them.
   */
  kinks?: (p: Params) => number[];
  /**
   * Variants on which a backend is known to miss its budget (bugs to fix,
   * not accepted errors): that backend's suite leaves them out until then.
   */
  knownIssues?: Readonly<Record<string, readonly Variant[]>>;
  /**
   * Axis activations: the shapes and axis options every suite runs (gradients,
   * tensorflow, the browser suites). `scale` is the spread of the random
   * inputs (the browser suites; default 3); `ties` marks inputs with repeated
   * values (support changes of sparsemax), which the finite-difference suite
   * leaves out because it needs a smooth point.
   */
  axisCases?: readonly AxisCase[];
}

/** One axis-activation test case (`ActivationTests.axisCases`). */
export interface AxisCase {
  shape: readonly number[];
  options: Variant;
  scale?: number;
  ties?: boolean;
}

export interface ActivationBudget {
  /**
   * webgl (SwiftShader), in float32 ULPs against the float64 definition:
   * `backward` covers dy·f′ and dy·f″ (docs/webgl.md gives the reasons).
   */
  webgl?: {forward: number; backward: number};
  /**
   * webgpu (SwiftShader's Vulkan), likewise; absent means webgl's budget: the
   * WGSL bodies run the same correctly rounded float32 operations as the GLSL
   * ones and were measured to the same bounds (docs/webgpu.md).
   */
  webgpu?: {forward: number; backward: number};
  /**
   * tensorflow: the most libtensorflow ops one call launches, over the
   * variants: [forward, dy·f′, dy·f″] (elementwise) or [forward, backward].
   */
  tensorflowLaunches?: readonly number[];
}

export interface ActivationBench {
  /**
   * The same activation from stock tfjs ops (tfjs's own op or tfjs-layers'
   * activation where there is one), with the bench parameters. `xs` holds
   * x's values off the gradient tape (for a composite that needs a
   * non-differentiable op such as topk).
   */
  composite: {what: string; fn: (tf: typeof tfc, x: Tensor, xs: Tensor) => Tensor; needsDetached?: boolean};
  /** The op's options in the benchmark (default: Keras's defaults). */
  params?: Variant;
  /** Forward is piecewise linear: its cpu target is a copy's time (×2.5). */
  piecewiseLinear?: boolean;
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
   * f(x) = x for every x (linear): on every backend the forward returns the
   * input itself and the gradient returns dy itself, sharing their data as
   * tfjs's Identity kernel does (src/register.ts). f′ is the constant 1, NaN
   * x included, as Keras's autodiff gives it.
   */
  identity?: boolean;
  /**
   * GLSL ES 3.0 bodies of `float f(float x)`, `float df(float x)` and
   * `float d2f(float x)`. The constants are the uniform `vec4 u` (rounded
   * to float32) and `vec4 ul`, the remainders u − float32(u), for bodies
   * that need a constant as exactly as the float64 cpu math has it; the
   * uniform `float ta_z` is always 0 and keeps the compiler from folding
   * error-compensation terms. Shared helpers (expm1, log1p, erf, erfc,
   * sigmoid, softplus, the `ta_*` double-float helpers) come from
   * `src/backends/glsl_math.ts`, which includes only the ones a body uses;
   * helpers of this activation alone (such as the fitted `rootfix_*`
   * corrections near roots, built by `rootfix`) go in `helpers`.
   */
  glsl?: ShaderBodies;
  /** The tensorflow (tfjs-node) backend's composition of libtensorflow ops. */
  tensorflow?: TensorflowElementwise;
  /**
   * WGSL bodies of `fn ta_fn(x: f32) -> f32` for the webgpu backend: the
   * same contract as `glsl` (constants in the private variables `u` and
   * `ul`, `ta_z` always 0, NaN never reaches them), helpers from
   * `src/backends/wgsl_math.ts`. Elementwise shaders of both backends also
   * get `ug`: x > ug.x exactly when x > u[0] in float64 (one compare for an
   * exact threshold; `strictBounds` in src/backends/variants.ts).
   */
  wgsl?: ShaderBodies;
  /**
   * Shader variants chosen by which parameters are in use (relu without a
   * slope, cap or threshold; gelu exact or approximate), never by their
   * values: the values stay uniforms, so a new value compiles nothing, and
   * the default case pays only for what it computes. `key` maps the
   * constants to a variant ('' is the general `glsl`/`wgsl` bodies); a
   * variant missing from `glsl` or `wgsl` runs the general bodies there.
   */
  variants?: ShaderVariants;
  /**
   * Per shader variant ('' for the general bodies) and order [f, f′, f″]:
   * whether a subnormal input is read as ±MIN_NORMAL
   * (`readSubnormalsAsNormal`, src/subnormal.ts) for every parameter value
   * that variant runs with: `false` (f of that order is continuous at 0) or
   * `true` (it jumps there). Such programs then do it without testing a
   * uniform per element (on SwiftShader that test costs as much as a relu);
   * `undefined`, or no entry, lets the uniform decide per call. Activations
   * without constants need not say (it is computed). A wrong entry costs a
   * program, never a wrong answer; test/subnormal_modes.test.ts checks them.
   */
  subnormals?: Readonly<Record<string, SubnormalReads>>;
  /** f, f′ and f″ in C++ for the native op library (tensorflow backend). */
  cpp?: CppElementwise;
  /**
   * C++ bodies of `D f(D x)` and `df` for the WebAssembly SIMD module
   * (src/backends/wasm_source.ts generates it): `D` is two float64 lanes
   * (the float32 inputs promoted), comparisons and `?:` work lane by lane,
   * `u0`..`u3` are the constants (scalars). Only arithmetic and the module's
   * `wm_*` helpers, no tables. The second derivative (`tf.grad` of
   * `tf.grad` only) runs the JS loops.
   */
  wasm?: {
    forward: string;
    derivative: string;
    /**
     * Bodies in float32 (`F x`, four float32 lanes, twice as many as `D`),
     * run instead of the ones above while the C condition `when` on
     * u0..u3 holds (always without it). Only for bodies whose float32
     * result is bit-identical to the float64 one: they select x, ±0, or
     * constants exact in float32 (and a derivative of 0 or 1). With `ulp`,
     * the bodies are within that many ULP of the float64 ones instead: the
     * wasm backend runs them, the cpu kernels (bit-identical to their JS
     * loops) keep the float64 bodies. `keepsNaN`: the float32 forward body
     * returns NaN for NaN by itself, so the loop needs no NaN select (a body
     * without `ulp` must then return the input itself, bit for bit).
     * `fallback`: a lane mask over `x` (F) where the float64 bodies run
     * instead (e.g. where a float32 exp would be subnormal), for both loops
     * or per loop; a derivative body that names `dy` (the F lanes of dy)
     * returns dy·f′ itself.
     */
    float32?: {
      when?: string;
      forward?: string;
      derivative?: string;
      ulp?: number;
      /** the float32 derivative body's bound (dy·f′ against the float64 definition) */
      derivativeUlp?: number;
      keepsNaN?: boolean;
      /** as keepsNaN, for the float32 derivative body (with `derivativeUlp`): dy·f′ is NaN for a NaN x by itself */
      derivativeKeepsNaN?: boolean;
      /** a float32 derivative body run instead of `derivative` (in a loop of its own) while `when` (u0..u3) holds */
      derivativeIf?: {when: string; derivative: string};
      fallback?: string | {forward?: string; derivative?: string};
    };
    /** false: the cpu kernels keep their JS loops (measured as fast), even for exact bodies. */
    cpu?: boolean;
  };
}

/** `ElementwiseActivation.subnormals` of one variant: [f, f′, f″]. */
export type SubnormalReads = readonly [boolean | undefined, (boolean | undefined)?, (boolean | undefined)?];

/** Shader bodies of f, f′ and f″. */
export interface ShaderBodies {
  forward: string;
  derivative: string;
  second?: string;
  /**
   * Functions only this activation uses (after the shared helpers they call),
   * e.g. `rootfix(...)` in GLSL or `wgslRootfix(...)` in WGSL.
   */
  helpers?: string;
  /**
   * Where f′ (and f″) may overflow float32 at a finite x: a bool expression
   * over x (and u), true where they are still finite in float64. There a
   * zero dy times the float32 overflow gives the zero cpu's float64 gives
   * (the sign of dy xor that of f′), not 0·Inf = NaN.
   */
  finite64?: string;
  /**
   * WGSL only: the forward as `fn ta_fn4(x: vec4<f32>) -> vec4<f32>` for the
   * vec4 programs (sizes that are multiples of 4), where a few vector
   * operations cost less than four calls of the scalar body; it passes NaN
   * lanes through itself (the program adds no NaN select) and gives the
   * scalar body's results bit for bit.
   */
  forward4?: string;
}

export interface ShaderVariants {
  key(u: Constants): string;
  glsl?: Record<string, ShaderBodies>;
  wgsl?: Record<string, ShaderBodies>;
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
    backward(x: Float32Array, dy: Float32Array, dx: Float32Array, outer: number, n: number, inner: number): void;
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
  /** The webgl backend's GPU programs (reductions and passes from src/backends/webgl_axis.ts). */
  webgl?: WebglAxis;
  /** The webgpu backend's WGSL programs (axis programs from src/backends/webgpu_axis.ts). */
  webgpu?: WebgpuAxis;
  /** One slice forward and backward in C++ for the native op library (tensorflow backend). */
  cpp?: CppAxis;
  /**
   * C++ bodies of one row along the last axis for the WebAssembly SIMD module
   * (src/backends/wasm_axis_source.ts): `forward` over `const float *x`,
   * `float *y`, `int n`; `backward` over `x`, `const float *dy`, `float *dx`,
   * `n`. They return 1, or 0 where the JS loop must do this row (a NaN or
   * +inf in it, or only −inf), using the `ta_row_*` helpers. `forward` may
   * leave its row's last scaling to `Pending &later` (done in the next row's
   * pass or at the end of the rows).
   */
  wasm?: {forward: string; backward: string};
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
export type OptionsOf<P extends readonly ParamSpec[]> = {
  [S in P[number] as S extends {default: unknown} ? S['name'] : never]?: KindValue[S['kind']];
} & {[S in P[number] as S extends {default: unknown} ? never : S['name']]: KindValue[S['kind']]};

type WithoutKind<T> = Omit<T, 'kind' | 'params'>;

/** Names kept as literal types (for the typed layers ids). */
export interface Named<I extends string, K extends string, A extends readonly string[]> {
  id: I;
  keras: K;
  aliases?: A;
}

/** Constants one activation may have: the shaders' `vec4 u`. */
export const MAX_CONSTANTS = 4;

/** The constants function, checked on every call: more than MAX_CONSTANTS is an error, not a silent truncation. */
function checkedConstants(
  keras: string,
  f: ((p: Params) => ConstantList) | undefined,
): ((p: Params) => ConstantList) | undefined {
  if (f === undefined) return undefined;
  return p => {
    const u = f(p);
    if ((u as readonly number[]).length > MAX_CONSTANTS) {
      // JS callers get past the type
      throw new Error(
        `${keras}: its definition produces ${u.length} constants; at most ${MAX_CONSTANTS} fit ` +
          `the shaders' vec4 u`,
      );
    }
    return u;
  };
}

/** Declares an elementwise activation; keeps the literal parameter list and names for typing. */
export function elementwise<
  const P extends readonly ParamSpec[] = [],
  const I extends string = string,
  const K extends string = string,
  const A extends readonly string[] = [],
>(
  d: WithoutKind<ElementwiseActivation> & {params?: P} & Named<I, K, A>,
): ElementwiseActivation & {params: P} & Named<I, K, A> {
  return {
    ...d,
    params: (d.params ?? []) as unknown as P,
    kind: 'elementwise',
    constants: checkedConstants(d.keras, d.constants),
  } as ElementwiseActivation & {params: P} & Named<I, K, A>;
}

/** Declares an axis activation; keeps the literal parameter list and names for typing. */
export function alongAxis<
  const P extends readonly ParamSpec[],
  const I extends string = string,
  const K extends string = string,
  const A extends readonly string[] = [],
  const H extends boolean = false,
>(
  d: WithoutKind<AxisActivation> & {params: P; halvesAxis?: H} & Named<I, K, A>,
): AxisActivation & {params: P; halvesAxis?: H} & Named<I, K, A> {
  return {...d, kind: 'axis', constants: checkedConstants(d.keras, d.constants)} as AxisActivation & {
    params: P;
    halvesAxis?: H;
  } & Named<I, K, A>;
}

/** Common parameter checks. */
export const nonNegative = (v: number) => (v >= 0 ? undefined : `must be >= 0, got ${v}`);
export const nonZero = (v: number) => (v !== 0 ? undefined : 'must not be 0');
