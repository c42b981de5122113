/**
 * webgl kernels (@tensorflow/tfjs-backend-webgl): one fragment-shader pass
 * per elementwise forward or backward call, built from the definition's
 * `glsl` snippets and the helpers of `glsl_math.ts`; for the axis
 * activations, the definitions' own GPU programs (`webgl`: reductions over
 * the axis, then one elementwise pass, written with webgl_axis.ts), which
 * never read data back to the CPU.
 *
 * - Parameters are the custom uniform `vec4 u`, so one compiled program per
 *   activation (and shape, as for every tfjs webgl program) serves every
 *   parameter value.
 * - When the backend packs unary ops (`WEBGL_PACK_UNARY_OPERATIONS`), the
 *   elementwise kernels run a packed (vec4) program, like tfjs's own.
 * - Cost on SwiftShader (measured at 1M elements against tf.relu, A/B in
 *   one page): a ternary `c ? a : b` whose operands are plain values
 *   (variables, constants) compiles to a select, but one with an
 *   expression or a call as an operand becomes a branch (GLSL evaluates
 *   only the chosen side), which costs 20–60 % of a relu; so do `&&` and
 *   `||` over expressions. Bodies compute their values first, then select.
 *   The subnormal read behind the `ta_sub` uniform was such a branch (40 %
 *   of a relu); it is a select now, and a program whose read is the same
 *   for every value of its variant's parameters has no uniform test
 *   (`subnormalRead`). Calling the scalar body per lane of the packed vec4
 *   costs nothing measurable: a vec4 relu body ran as fast.
 * - Small inputs whose values are still on the CPU follow tfjs's CPU
 *   forwarding rule (`WEBGL_CPU_FORWARD`, `backend.shouldExecuteOnCPU`) and
 *   run the definition's float64 scalar code, as the cpu kernels do.
 *
 * Only `import type` from the webgl backend: registering these kernels does
 * not load it.
 */
import {env} from '@tensorflow/tfjs-core';
import type {KernelConfig, KernelFunc, NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';
import type {GPGPUProgram, MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';
import {glslHelpers} from './glsl_math';
import {backwardOnHost, forwardOnHost} from './host';
import {readSubnormalsAsNormal} from '../subnormal';
import {U, uniformOf, type Ctx} from './webgl_axis';
import {shaderBodies, strictBounds, subnormalRead, variantOf} from './variants';

type Program = GPGPUProgram;

/** The elementwise programs also get `ug` (strict bounds, src/backends/variants.ts). */
const UE = [...U, {name: 'ug', type: 'vec4' as const}];

/** tfjs-backend-webgl's own rule for shape uniforms (`useShapeUniforms`). */
function shapeUniforms(rank: number): boolean {
  return env().getBool('WEBGL_USE_SHAPES_UNIFORMS') && rank <= 4;
}

function cpuValues(backend: MathBackendWebGL, t: TensorInfo): Float32Array {
  return backend.texData.get(t.dataId).values as Float32Array;
}

/** Values still on the CPU: the definition's float64 code, as the cpu kernels run it. */
function onHost(gl: MathBackendWebGL, def: ActivationDefinition, x: TensorInfo, attrs: NamedAttrMap): TensorInfo {
  const {shape, values} = forwardOnHost(def, cpuValues(gl, x), x.shape, attrs);
  return gl.makeTensorInfo(shape, 'float32', values);
}

function onHostBackward(
  gl: MathBackendWebGL,
  def: ActivationDefinition,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo {
  return gl.makeTensorInfo(
    x.shape,
    'float32',
    backwardOnHost(def, cpuValues(gl, x), cpuValues(gl, dy), x.shape, attrs),
  );
}

// ---------------------------------------------------------------------------
// Elementwise

type Order = 0 | 1 | 2;

function bodyOf(def: ElementwiseActivation, order: Order, variant = ''): string {
  const g = shaderBodies(def, 'glsl', variant);
  const body = order === 0 ? g.forward : order === 1 ? g.derivative : g.second;
  if (body === undefined) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
  return body;
}

/**
 * Reads a subnormal input as ±MIN_NORMAL, found on its bits (GPUs compare
 * subnormals as ±0, but texture reads keep their bits): used where the
 * function jumps at 0 (src/subnormal.ts), so the answer lands on the right
 * side of the jump.
 */
const SUBNORMAL_AS_NORMAL = `
float ta_in(float x) {
  uint b = floatBitsToUint(x);
  float n = uintBitsToFloat((b & 0x80000000u) | 0x00800000u);
  return (b & 0x7fffffffu) - 1u < 0x007fffffu ? n : x;  // a select: |bits| in [1, 2^23 - 1] is a subnormal
}`;

/**
 * dy·f with the sign of a zero product set from the operands' sign bits, as
 * IEEE multiplication (and the cpu backend) gives it: shader compilers fold
 * dy·0.0 to +0, and GPUs flush a subnormal product to +0. A zero dy times
 * an f that overflowed float32 where the definition's float64 f is finite
 * (`finite64`, ta_fin64) is that zero too, as on cpu. The tests are on the
 * bits (a comparison may not see NaN); NaN stays NaN.
 */
function mulSign(finite64: string | undefined): string {
  return `
bool ta_fin64(float x) { return ${finite64 ?? 'false'}; }
float ta_mulsign(float dy, float f, float x) {
  float y = dy * f;
  float s = uintBitsToFloat((floatBitsToUint(dy) ^ floatBitsToUint(f)) & 0x80000000u);
  // tests as plain bools first: && and || over expressions are branches (see the top of this file)
  bool zero = (floatBitsToUint(y) & 0x7fffffffu) == 0u;
  bool dy0 = (floatBitsToUint(dy) & 0x7fffffffu) == 0u;
  bool inf = (floatBitsToUint(f) & 0x7fffffffu) == 0x7f800000u;
  bool fin = ta_fin64(x);
  return zero || (dy0 && inf && fin) ? s : y;
}`;
}

type Read = ReturnType<typeof subnormalRead>;

/**
 * The body of ta_fn(x): f of x as the GPU reads it, of ta_in(x), or of
 * either as the uniform `ta_sub` says (both computed, then selected).
 */
const READ: Record<Read, string> = {
  never: 'return ta_fn0(x);',
  always: 'return ta_fn0(ta_in(x));',
  uniform: 'float xi = ta_in(x);\n  return ta_fn0(ta_sub > 0.5 ? xi : x);',
};

/**
 * userCode of the forward (order 0) or backward (order 1, 2) program of a
 * variant, unpacked or packed; `read` is how it reads subnormal inputs
 * (subnormalRead, src/backends/variants.ts).
 */
function elementwiseCode(
  def: ElementwiseActivation,
  order: Order,
  packed: boolean,
  variant: string,
  read: Read,
): string {
  const body = bodyOf(def, order, variant);
  const mul = order === 0 ? '' : mulSign(shaderBodies(def, 'glsl', variant).finite64);
  const fn = `${read === 'never' ? '' : SUBNORMAL_AS_NORMAL}
float ta_fn0(float x) {
  ${body}
}
float ta_fn(float x) {
  ${READ[read]}
}
`;
  const own = def.glsl?.helpers ?? '';
  const head = glslHelpers(body, own) + own + fn;
  if (order === 0) {
    return packed
      ? `${head}
float ta_one(float x) {
  float y = ta_fn(x);  // outside the ternary: a select, not a branch
  return ta_isnan(x) ? x : y;
}
void main() {
  vec4 x = getXAtOutCoords();
  setOutput(vec4(ta_one(x.x), ta_one(x.y), ta_one(x.z), ta_one(x.w)));
}`
      : `${head}
void main() {
  float x = getXAtOutCoords();
  float y = ta_fn(x);
  setOutput(ta_isnan(x) ? x : y);
}`;
  }
  return packed
    ? `${head}${mul}
float ta_one(float dy, float x) {
  float y = ta_mulsign(dy, ta_fn(x), x);
  return ta_isnan(x) ? x : y;
}
void main() {
  vec4 dy = getDyAtOutCoords();
  vec4 x = getXAtOutCoords();
  setOutput(vec4(ta_one(dy.x, x.x), ta_one(dy.y, x.y), ta_one(dy.z, x.z), ta_one(dy.w, x.w)));
}`
    : `${head}${mul}
void main() {
  float dy = getDyAtOutCoords();
  float x = getXAtOutCoords();
  float y = ta_mulsign(dy, ta_fn(x), x);
  setOutput(ta_isnan(x) ? x : y);
}`;
}

function elementwiseKernels(def: ElementwiseActivation): KernelConfig[] {
  // userCode per (variant, order, packed), built once: the variant (which parameters are in use,
  // src/backends/variants.ts) picks the shader, the values stay uniforms.
  // A subnormal read that is the same for every value of the variant's parameters is compiled in (no uniform test).
  const codes = new Map<string, string>();
  const code = (order: Order, packed: boolean, u: number[], sub: boolean) => {
    const variant = variantOf(def, u);
    const read = subnormalRead(def, variant, order, sub);
    const key = `${variant}|${order}${packed ? 'p' : ''}|${read}`;
    let c = codes.get(key);
    if (c === undefined) codes.set(key, (c = elementwiseCode(def, order, packed, variant, read)));
    return c;
  };
  const packed = () => env().getBool('WEBGL_PACK_UNARY_OPERATIONS');

  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo;
    const u = attrs!.u as number[];
    if (gl.shouldExecuteOnCPU([x])) return onHost(gl, def, x, attrs!);
    const p = packed();
    const sub = readSubnormalsAsNormal(def, 0, u);
    const program: Program = {
      variableNames: ['X'],
      outputShape: x.shape.slice(),
      userCode: code(0, p, u, sub),
      customUniforms: UE,
      packedInputs: p,
      packedOutput: p,
      enableShapeUniforms: shapeUniforms(x.shape.length),
    };
    return gl.runWebGLProgram(program, [x], 'float32', [...uniformOf(u, sub), strictBounds(u)]);
  };

  const backward: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo,
      dy = inputs.dy as TensorInfo;
    const u = attrs!.u as number[];
    const order = attrs!.order as number;
    if (order !== 1 && order !== 2) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
    if (gl.shouldExecuteOnCPU([x, dy])) return onHostBackward(gl, def, x, dy, attrs!);
    const p = packed();
    const sub = readSubnormalsAsNormal(def, order, u);
    const program: Program = {
      variableNames: ['Dy', 'X'],
      outputShape: x.shape.slice(),
      userCode: code(order, p, u, sub),
      customUniforms: UE,
      packedInputs: p,
      packedOutput: p,
      enableShapeUniforms: shapeUniforms(x.shape.length),
    };
    return gl.runWebGLProgram(program, [dy, x], 'float32', [...uniformOf(u, sub), strictBounds(u)]);
  };

  return [
    {kernelName: kernelName(def), backendName: 'webgl', kernelFunc: forward},
    {kernelName: gradKernelName(def), backendName: 'webgl', kernelFunc: backward},
  ];
}

// ---------------------------------------------------------------------------
// Axis activations: the definitions' GPU programs (webgl_axis.ts).

/**
 * `t` viewed as [outer, n, inner] on an unpacked texture (a free reshape,
 * as tfjs's Reshape does for unpacked data); packed data is unpacked first.
 */
function view3d(ctx: Ctx, t: TensorInfo, outer: number, n: number, inner: number): TensorInfo {
  const gl = ctx.gl as MathBackendWebGL;
  let src = t;
  if (gl.texData.get(t.dataId).isPacked) {
    src = gl.unpackTensor(t);
    ctx.temps.push(src);
  }
  return {dataId: src.dataId, shape: [outer, n, inner], dtype: 'float32'};
}

/** Runs `f` with intermediates disposed afterwards; returns its result with the given shape. */
function withCtx(gl: MathBackendWebGL, shape: number[], f: (ctx: Ctx) => TensorInfo): TensorInfo {
  const ctx: Ctx = {gl, temps: []};
  const out = f(ctx);
  for (const t of ctx.temps) if (t.dataId !== out.dataId) gl.disposeIntermediateTensorInfo(t);
  return {dataId: out.dataId, shape, dtype: 'float32'};
}

/**
 * The forward and backward kernels of an axis activation: small inputs
 * whose values are on the CPU go through the definition's cpu loops (tfjs's
 * CPU-forwarding rule), the rest through the definition's GPU programs
 * (`webgl`, written with webgl_axis.ts) with their intermediates released.
 */
function axisKernels(def: AxisActivation): KernelConfig[] {
  const programs = def.webgl;
  const halves = def.halvesAxis === true;
  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo;
    if (gl.shouldExecuteOnCPU([x])) return onHost(gl, def, x, attrs!);
    if (programs === undefined) throw new Error(`${def.keras}: no webgl program for this axis activation`);
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    const shape = axisOutputShape(def, x.shape, axes);
    return withCtx(gl, shape, ctx => programs.forward(ctx, view3d(ctx, x, o, n, i), o, n, i));
  };
  const backward: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo,
      dy = inputs.dy as TensorInfo;
    if (gl.shouldExecuteOnCPU([x, dy])) return onHostBackward(gl, def, x, dy, attrs!);
    if (programs === undefined) throw new Error(`${def.keras}: no webgl program for this axis activation`);
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    return withCtx(gl, x.shape.slice(), ctx =>
      programs.backward(ctx, view3d(ctx, x, o, n, i), view3d(ctx, dy, o, halves ? n / 2 : n, i), o, n, i),
    );
  };
  return [
    {kernelName: kernelName(def), backendName: 'webgl', kernelFunc: forward},
    {kernelName: gradKernelName(def), backendName: 'webgl', kernelFunc: backward},
  ];
}

/** Forward and backward kernels of one activation for the 'webgl' backend. */
export function webglKernels(def: ActivationDefinition): KernelConfig[] {
  return def.kind === 'elementwise' ? elementwiseKernels(def) : axisKernels(def);
}
