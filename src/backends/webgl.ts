/**
 * webgl kernels (@tensorflow/tfjs-backend-webgl): one fragment-shader pass
 * per elementwise forward or backward call, built from the definition's
 * `glsl` snippets and the helpers of `glsl_math.ts`; GPU programs for the
 * axis activations (reductions over the axis, then one elementwise pass),
 * which never read data back to the CPU.
 *
 * - Parameters are the custom uniform `vec4 u`, so one compiled program per
 *   activation (and shape, as for every tfjs webgl program) serves every
 *   parameter value.
 * - When the backend packs unary ops (`WEBGL_PACK_UNARY_OPERATIONS`), the
 *   elementwise kernels run a packed (vec4) program, like tfjs's own.
 * - Small inputs whose values are still on the CPU follow tfjs's CPU
 *   forwarding rule (`WEBGL_CPU_FORWARD`, `backend.shouldExecuteOnCPU`) and
 *   run the definition's float64 scalar code, as the cpu kernels do.
 *
 * Only `import type` from the webgl backend: registering these kernels does
 * not load it.
 */
import {env} from '@tensorflow/tfjs-core';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';
import type {GPGPUProgram, MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';
import {glslHelpers} from './glsl_math';
import {scalarLoops} from './scalar_loops';
import {shaderBodies, strictBounds, variantOf} from './variants';

type Program = GPGPUProgram;

/**
 * Custom uniforms of every program: the constants `u` (float32), their
 * remainders `ul` = u − float32(u) (so a shader can use a constant as exactly
 * as the float64 cpu kernels do), and `ta_z`, always 0, which keeps
 * compilers from folding error-compensation terms (glsl_math.ts).
 */
const U = [{name: 'u', type: 'vec4' as const}, {name: 'ul', type: 'vec4' as const},
           {name: 'ta_z', type: 'float' as const}];

/** The elementwise programs also get `ug` (strict bounds, src/backends/variants.ts). */
const UE = [...U, {name: 'ug', type: 'vec4' as const}];

function uniformOf(u: ArrayLike<number> | undefined): number[][] {
  const hi = [0, 0, 0, 0], lo = [0, 0, 0, 0];
  for (let i = 0; i < Math.min(4, u?.length ?? 0); i++) {
    hi[i] = Math.fround(u![i]);
    lo[i] = u![i] === u![i] && Number.isFinite(u![i]) ? u![i] - hi[i] : 0;
  }
  return [hi, lo, [0]];
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** tfjs-backend-webgl's own rule for shape uniforms (`useShapeUniforms`). */
function shapeUniforms(rank: number): boolean {
  return env().getBool('WEBGL_USE_SHAPES_UNIFORMS') && rank <= 4;
}

function cpuValues(backend: MathBackendWebGL, t: TensorInfo): Float32Array {
  return backend.texData.get(t.dataId).values as Float32Array;
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

/** userCode of the forward (order 0) or backward (order 1, 2) program of a variant, unpacked or packed. */
function elementwiseCode(def: ElementwiseActivation, order: Order, packed: boolean, variant = ''): string {
  const body = bodyOf(def, order, variant);
  const fn = `
float ta_fn(float x) {
  ${body}
}
`;
  const head = glslHelpers(body) + fn;
  if (order === 0) {
    return packed ? `${head}
float ta_one(float x) {
  float y = ta_fn(x);  // outside the ternary: a select, not a branch
  return ta_isnan(x) ? x : y;
}
void main() {
  vec4 x = getXAtOutCoords();
  setOutput(vec4(ta_one(x.x), ta_one(x.y), ta_one(x.z), ta_one(x.w)));
}` : `${head}
void main() {
  float x = getXAtOutCoords();
  float y = ta_fn(x);
  setOutput(ta_isnan(x) ? x : y);
}`;
  }
  return packed ? `${head}
float ta_one(float dy, float x) {
  float y = dy * ta_fn(x);
  return ta_isnan(x) ? x : y;
}
void main() {
  vec4 dy = getDyAtOutCoords();
  vec4 x = getXAtOutCoords();
  setOutput(vec4(ta_one(dy.x, x.x), ta_one(dy.y, x.y), ta_one(dy.z, x.z), ta_one(dy.w, x.w)));
}` : `${head}
void main() {
  float dy = getDyAtOutCoords();
  float x = getXAtOutCoords();
  float y = dy * ta_fn(x);
  setOutput(ta_isnan(x) ? x : y);
}`;
}

function elementwiseKernels(def: ElementwiseActivation): KernelConfig[] {
  // userCode per (variant, order, packed), built once: the variant (which parameters are in use,
  // src/backends/variants.ts) picks the shader, the values stay uniforms.
  const codes = new Map<string, string>();
  const code = (order: Order, packed: boolean, u?: number[]) => {
    const variant = variantOf(def, u);
    const key = `${variant}|${order}${packed ? 'p' : ''}`;
    let c = codes.get(key);
    if (c === undefined) codes.set(key, c = elementwiseCode(def, order, packed, variant));
    return c;
  };
  const packed = () => env().getBool('WEBGL_PACK_UNARY_OPERATIONS');

  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo;
    const u = attrs!.u as number[];
    if (def.identity) {  // linear: the input itself, as tfjs's Identity
      gl.incRef(x.dataId);
      return {dataId: x.dataId, shape: x.shape, dtype: x.dtype};
    }
    if (gl.shouldExecuteOnCPU([x])) return gl.makeTensorInfo(x.shape, 'float32', scalarLoops(def).forward(cpuValues(gl, x), u));
    const p = packed();
    const program: Program = {
      variableNames: ['X'], outputShape: x.shape.slice(), userCode: code(0, p, u), customUniforms: UE,
      packedInputs: p, packedOutput: p, enableShapeUniforms: shapeUniforms(x.shape.length),
    };
    return gl.runWebGLProgram(program, [x], 'float32', [...uniformOf(u), strictBounds(u)]);
  };

  const backward: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
    const u = attrs!.u as number[];
    const order = attrs!.order as number;
    if (order !== 1 && order !== 2) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
    if (gl.shouldExecuteOnCPU([x, dy])) {
      return gl.makeTensorInfo(x.shape, 'float32', scalarLoops(def).backward(order, cpuValues(gl, x), cpuValues(gl, dy), u));
    }
    const p = packed();
    const program: Program = {
      variableNames: ['Dy', 'X'], outputShape: x.shape.slice(), userCode: code(order, p, u), customUniforms: UE,
      packedInputs: p, packedOutput: p, enableShapeUniforms: shapeUniforms(x.shape.length),
    };
    return gl.runWebGLProgram(program, [dy, x], 'float32', [...uniformOf(u), strictBounds(u)]);
  };

  return [
    {kernelName: kernelName(def), backendName: 'webgl', kernelFunc: forward},
    {kernelName: gradKernelName(def), backendName: 'webgl', kernelFunc: backward},
  ];
}

// ---------------------------------------------------------------------------
// Axis activations. The input is seen as a 3-D unpacked texture
// [outer, n, inner]; per-slice statistics have shape [outer, 1, inner].

/** Partial reductions read at most this many elements per output. */
const CHUNK = 128;

interface Ctx {
  gl: MathBackendWebGL;
  /** Intermediate tensors to dispose at the end of the kernel. */
  temps: TensorInfo[];
}

function run(ctx: Ctx, program: Program, inputs: TensorInfo[]): TensorInfo {
  const out = ctx.gl.runWebGLProgram({...program, customUniforms: U}, inputs, 'float32', uniformOf([]));
  ctx.temps.push(out);
  return out;
}

/**
 * `t` viewed as [outer, n, inner] on an unpacked texture (a free reshape,
 * as tfjs's Reshape does for unpacked data); packed data is unpacked first.
 */
function view3d(ctx: Ctx, t: TensorInfo, outer: number, n: number, inner: number): TensorInfo {
  let src = t;
  if (ctx.gl.texData.get(t.dataId).isPacked) {
    src = ctx.gl.unpackTensor(t);
    ctx.temps.push(src);
  }
  return {dataId: src.dataId, shape: [outer, n, inner], dtype: 'float32'};
}

const GLSL_COMMON = `
float ta_max(float a, float b) { return (ta_isnan(a) || ta_isnan(b)) ? a + b : max(a, b); }
`;

/**
 * Reduces over the middle axis of [outer, n, inner]: `elem` is a GLSL
 * expression of (int o, int j, int i) for the first pass; `op` combines
 * ('max' propagates NaN, 'sum' is compensated). Further passes combine
 * CHUNK partial results at a time until one remains: [outer, 1, inner].
 */
function reduce(ctx: Ctx, op: 'max' | 'sum', inputs: TensorInfo[], names: string[], elem: string,
                outer: number, n: number, inner: number, helpers = ''): TensorInfo {
  let m = n, cur: TensorInfo[] = inputs, curNames = names, expr = elem;
  for (;;) {
    const parts = Math.max(1, Math.ceil(m / CHUNK));
    const init = op === 'max' ? '-ta_inf()' : '0.0';
    const step = op === 'max' ? 'acc = ta_max(acc, v);' :
      'vec2 s = ta_two_sum(acc, v); acc = s.x; comp += s.y;';
    const userCode = `${glslHelpers('ta_two_sum(', helpers, expr)}${GLSL_COMMON}${helpers}
float ta_elem(int o, int j, int i) { return ${expr}; }
void main() {
  ivec3 c = getOutputCoords();
  int start = c.y * ${CHUNK};
  float acc = ${init};
  float comp = 0.0;
  for (int k = 0; k < ${CHUNK}; k++) {
    int j = start + k;
    if (j >= ${m}) break;
    float v = ta_elem(c.x, j, c.z);
    ${step}
  }
  setOutput(${op === 'sum' ? 'acc + comp' : 'acc'});
}`;
    const program: Program = {variableNames: curNames, outputShape: [outer, parts, inner], userCode};
    const out = run(ctx, program, cur);
    if (parts === 1) return out;
    m = parts;
    cur = [out];
    curNames = ['P'];
    expr = 'getP(o, j, i)';
    helpers = '';
  }
}

/** An elementwise program over [outer, n', inner] (n' = output length of the axis). */
function mapPass(ctx: Ctx, inputs: TensorInfo[], names: string[], outShape: number[], body: string,
                 helpers = ''): TensorInfo {
  const userCode = `${glslHelpers(helpers, body)}${GLSL_COMMON}${helpers}
float ta_out(int o, int j, int i) {
  ${body}
}
void main() {
  ivec3 c = getOutputCoords();
  setOutput(ta_out(c.x, c.y, c.z));
}`;
  return run(ctx, {variableNames: names, outputShape: outShape, userCode}, inputs);
}

/** Runs `f` with intermediates disposed afterwards; returns its result with the given shape. */
function withCtx(gl: MathBackendWebGL, shape: number[], f: (ctx: Ctx) => TensorInfo): TensorInfo {
  const ctx: Ctx = {gl, temps: []};
  const out = f(ctx);
  for (const t of ctx.temps) if (t.dataId !== out.dataId) gl.disposeIntermediateTensorInfo(t);
  return {dataId: out.dataId, shape, dtype: 'float32'};
}

const EXPSHIFT = `
// exp(x − m) with x − m in double-float.
float ta_expshift(float x, float m) {
  if (ta_isnan(x) || ta_isnan(m)) return x + m;
  vec2 d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) return expf(d.x);
  return ta_expmul2(d.x, d.y, 1.0);
}`;

const ARGMAX = `
// The index of the first maximum of the slice (from I = −index), 0 when there is none (NaN).
int ta_argmax(int o, int i) {
  float v = getI(o, 0, i);
  return v > -1e30 ? int(-v + 0.5) : 0;
}`;

/**
 * Per slice: the maximum m, I = −(index of its first occurrence), and
 * s′ = Σ exp(x − m) over every other element (= Σ − 1, without forming
 * 1 + s′), so that log1p(s′) and 1 − p = s′/(1 + s′) keep their accuracy
 * when one element dominates.
 */
function softmaxStats(ctx: Ctx, X: TensorInfo, o: number, n: number, i: number): TensorInfo[] {
  const M = reduce(ctx, 'max', [X], ['X'], 'getX(o, j, i)', o, n, i);
  const I = reduce(ctx, 'max', [X, M], ['X', 'M'], 'getX(o, j, i) == getM(o, 0, i) ? -float(j) : -ta_inf()', o, n, i);
  const S = reduce(ctx, 'sum', [X, M, I], ['X', 'M', 'I'],
                   'j == ta_argmax(o, i) ? 0.0 : ta_expshift(getX(o, j, i), getM(o, 0, i))', o, n, i, EXPSHIFT + ARGMAX);
  return [M, S, I];
}

function softmaxKernels(def: AxisActivation, log: boolean): [KernelFunc, KernelFunc] {
  return axisPair(def,
    (ctx, X, o, n, i) => {
      const [M, S, I] = softmaxStats(ctx, X, o, n, i);
      const body = log ?
        // (x − m) − log1p(s′), s′ = Σexp(x − m) − 1
        `float x = getX(o, j, i), m = getM(o, 0, i), s = getS(o, 0, i);
  if (ta_isnan(x) || ta_isnan(m) || abs(m) > 3.4028234e38) return x - m;
  vec2 d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) return d.x;
  return (d.x - log1p(s)) + d.y;` :
        `float x = getX(o, j, i), m = getM(o, 0, i), s = getS(o, 0, i);
  return ta_expshift(x, m) / (1.0 + s);`;
      return mapPass(ctx, [X, M, S, I], ['X', 'M', 'S', 'I'], [o, n, i], body, EXPSHIFT);
    },
    (ctx, X, D, o, n, i) => {
      const [M, S, I] = softmaxStats(ctx, X, o, n, i);
      const argmax = ARGMAX;
      const helpers = EXPSHIFT + argmax;
      const prob = 'ta_expshift(getX(o, j, i), getM(o, 0, i)) / (1.0 + getS(o, 0, i))';
      const names = ['X', 'D', 'M', 'S', 'I'];
      if (log) {
        // dx = dy − p·Σdy. At the maximum, 1 − p = s′/(1 + s′) exactly: dx = dy·s′/(1 + s′) − p·Σ_{k≠m} dy
        const T = reduce(ctx, 'sum', [D, I], ['D', 'I'], 'j == ta_argmax(o, i) ? 0.0 : getD(o, j, i)', o, n, i, argmax);
        return mapPass(ctx, [X, D, M, S, I, T], [...names, 'T'], [o, n, i], `float p = ${prob};
  float s = getS(o, 0, i), t = getT(o, 0, i);
  int m = ta_argmax(o, i);
  if (j == m) return getD(o, j, i) * (s / (1.0 + s)) - p * t;
  return getD(o, j, i) - p * (t + getD(o, m, i));`, helpers);
      }
      // dx = y·(dy − Σ y·dy) = y·((dy − dy_m) + Σ y·(dy_m − dy)), m the argmax (Σ y = 1): no
      // cancellation when one entry dominates
      const T = reduce(ctx, 'sum', [X, D, M, S, I], names,
                       `${prob} * (getD(o, ta_argmax(o, i), i) - getD(o, j, i))`, o, n, i, helpers);
      return mapPass(ctx, [X, D, M, S, I, T], [...names, 'T'], [o, n, i], `float y = ${prob};
  return y * ((getD(o, j, i) - getD(o, ta_argmax(o, i), i)) + getT(o, 0, i));`, helpers);
    });
}

function gluKernels(def: AxisActivation): [KernelFunc, KernelFunc] {
  return axisPair(def,
    (ctx, X, o, n, i) => {
      const h = n / 2;
      return mapPass(ctx, [X], ['X'], [o, h, i], `float a = getX(o, j, i), b = getX(o, j + ${h}, i);
  if (ta_isnan(a) || ta_isnan(b)) return a + b;
  return ta_sigmoid_mul(b, a);`);
    },
    (ctx, X, D, o, n, i) => {
      const h = n / 2;
      // da = dy·σ(b), db = dy·a·σ(b)σ(−b)
      return mapPass(ctx, [X, D], ['X', 'D'], [o, n, i], `int k = j < ${h} ? j : j - ${h};
  float a = getX(o, k, i), b = getX(o, k + ${h}, i), g = getD(o, k, i);
  if (ta_isnan(a) || ta_isnan(b)) return a + b;
  if (j < ${h}) return ta_sigmoid_mul(b, g);
  return ta_dsigmoid_mul(b, g * a);`);
    });
}

/** Above this slice length sparsemax finds its support by bisection instead of O(n) work per element. */
const SPARSEMAX_BISECT = 512;

/**
 * sparsemax's τ in double-float (high, low). First a float32 τ with the
 * right support: for n ≤ SPARSEMAX_BISECT, τ = max over r of (c_r − 1)/r,
 * c_r the sum of the r largest, computed per element j with r = #{x ≥ x_j}
 * and c_r = Σ_{x ≥ x_j} x (ties end a group, which gives the same maximum),
 * then a max over the axis: no sort; for longer slices, a bisection on
 * Σ max(x − τ, 0) = 1 per slice, whose lower end has the support (or one
 * with extra elements within an ulp of τ, which do not move it). Then τ
 * again from its support, τ = (Σ_S x − 1)/|S| with compensated sums.
 */
function sparsemaxTau(ctx: Ctx, X: TensorInfo, o: number, n: number, i: number): [TensorInfo, TensorInfo] {
  if (n > SPARSEMAX_BISECT) {
    const T = mapPass(ctx, [X], ['X'], [o, 1, i], `float m = -ta_inf();
  for (int k = 0; k < ${n}; k++) {
    float v = getX(o, k, i);
    if (ta_isnan(v)) return v;
    m = max(m, v);
  }
  if (m > 3.4028234e38 || m < -3.4028234e38) return m;
  float lo = m - 1.0, hi = m;  // Σ max(x − lo, 0) >= 1 > Σ max(x − hi, 0) = 0
  for (int it = 0; it < 64; it++) {
    float mid = 0.5 * lo + 0.5 * hi;
    if (mid <= lo || mid >= hi) break;
    float s = 0.0;
    for (int k = 0; k < ${n}; k++) s += max(getX(o, k, i) - mid, 0.0);
    if (s >= 1.0) lo = mid; else hi = mid;
  }
  return lo;`);
    return refineTau(ctx, X, T, o, n, i);
  }
  const helpers = `
float ta_tau_candidate(int o, int j, int i) {
  float xj = getX(o, j, i);
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float v = getX(o, k, i);
    if (ta_isnan(v)) return v;
    if (v >= xj) {
      vec2 t = ta_two_sum(s, v);
      s = t.x;
      comp += t.y;
      r += 1.0;
    }
  }
  if (ta_isnan(xj)) return xj;
  vec2 t = ta_two_sum(s, -1.0 - ta_z);
  return (t.x + (t.y + comp)) / r;
}`;
  const T = reduce(ctx, 'max', [X], ['X'], 'ta_tau_candidate(o, j, i)', o, n, i, helpers);
  return refineTau(ctx, X, T, o, n, i);
}

/**
 * τ again in double-float from its support (x > τ): τ = (Σ_S x − 1)/|S|, so
 * that x − τ does not inherit τ's rounding. Two passes: high and low part.
 */
function refineTau(ctx: Ctx, X: TensorInfo, T: TensorInfo, o: number, n: number, i: number): [TensorInfo, TensorInfo] {
  const tauDf = (part: 'x' | 'y') => `float tau = getT(o, 0, i);
  if (ta_isnan(tau)) return tau;
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float v = getX(o, k, i);
    if (v > tau) {
      vec2 t = ta_two_sum(s, v);
      s = t.x;
      comp += t.y;
      r += 1.0;
    }
  }
  if (r == 0.0) return ${part === 'x' ? 'tau' : '0.0'};
  vec2 num = ta_two_sum(s, -1.0 - ta_z);
  num = ta_fast_two_sum(num.x, num.y + comp);
  float hi = num.x / r;
  vec2 p = ta_two_prod(hi, r);
  float lo = (((num.x - p.x) - p.y) + num.y) / r;
  return ${part === 'x' ? 'hi' : 'lo'};`;
  const TH = mapPass(ctx, [X, T], ['X', 'T'], [o, 1, i], tauDf('x'));
  const TL = mapPass(ctx, [X, T], ['X', 'T'], [o, 1, i], tauDf('y'));
  return [TH, TL];
}

function sparsemaxKernels(def: AxisActivation): [KernelFunc, KernelFunc] {
  return axisPair(def,
    (ctx, X, o, n, i) => {
      const [T, L] = sparsemaxTau(ctx, X, o, n, i);
      return mapPass(ctx, [X, T, L], ['X', 'T', 'L'], [o, n, i], `float v = (getX(o, j, i) - getT(o, 0, i)) - getL(o, 0, i);
  return (v > 0.0 || ta_isnan(v)) ? v : 0.0;`);
    },
    (ctx, X, D, o, n, i) => {
      const [T] = sparsemaxTau(ctx, X, o, n, i);
      // dx = dy − mean over the support of dy on the support (x > τ), 0 elsewhere
      const sum = reduce(ctx, 'sum', [X, D, T], ['X', 'D', 'T'], 'getX(o, j, i) > getT(o, 0, i) ? getD(o, j, i) : 0.0',
                         o, n, i);
      const count = reduce(ctx, 'sum', [X, T], ['X', 'T'], 'getX(o, j, i) > getT(o, 0, i) ? 1.0 : 0.0', o, n, i);
      return mapPass(ctx, [X, D, T, sum, count], ['X', 'D', 'T', 'S', 'C'], [o, n, i],
                     `if (!(getX(o, j, i) > getT(o, 0, i))) return 0.0;
  return getD(o, j, i) - getS(o, 0, i) / getC(o, 0, i);`);
    });
}

/** GPU work of an axis kernel on [outer, n, inner] views of x (and of dy, whose axis is n/2 long for glu). */
type AxisForward = (ctx: Ctx, X: TensorInfo, o: number, n: number, i: number) => TensorInfo;
type AxisBackward = (ctx: Ctx, X: TensorInfo, D: TensorInfo, o: number, n: number, i: number) => TensorInfo;

/**
 * The forward and backward kernels of an axis activation: small inputs
 * whose values are on the CPU go through the definition's cpu loops (tfjs's
 * CPU-forwarding rule), the rest through GPU programs with their
 * intermediates released.
 */
function axisPair(def: AxisActivation, forward: AxisForward, backward: AxisBackward): [KernelFunc, KernelFunc] {
  const halves = def.halvesAxis === true;
  const forwardKernel: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo;
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    const shape = axisOutputShape(x.shape, axes, halves);
    if (gl.shouldExecuteOnCPU([x])) {
      const out = new Float32Array(size(shape));
      def.cpu.forward(cpuValues(gl, x), out, o, n, i);
      return gl.makeTensorInfo(shape, 'float32', out);
    }
    return withCtx(gl, shape, ctx => forward(ctx, view3d(ctx, x, o, n, i), o, n, i));
  };
  const backwardKernel: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    if (gl.shouldExecuteOnCPU([x, dy])) {
      const dx = new Float32Array(size(x.shape));
      def.cpu.backward(cpuValues(gl, x), cpuValues(gl, dy), dx, o, n, i);
      return gl.makeTensorInfo(x.shape, 'float32', dx);
    }
    return withCtx(gl, x.shape.slice(), ctx =>
      backward(ctx, view3d(ctx, x, o, n, i), view3d(ctx, dy, o, halves ? n / 2 : n, i), o, n, i));
  };
  return [forwardKernel, backwardKernel];
}

function axisKernels(def: AxisActivation): KernelConfig[] {
  let pair: [KernelFunc, KernelFunc];
  if (def.id === 'softmax') pair = softmaxKernels(def, false);
  else if (def.id === 'logSoftmax') pair = softmaxKernels(def, true);
  else if (def.id === 'glu') pair = gluKernels(def);
  else if (def.id === 'sparsemax') pair = sparsemaxKernels(def);
  else throw new Error(`${def.keras}: no webgl program for this axis activation`);
  return [
    {kernelName: kernelName(def), backendName: 'webgl', kernelFunc: pair[0]},
    {kernelName: gradKernelName(def), backendName: 'webgl', kernelFunc: pair[1]},
  ];
}

/** Forward and backward kernels of one activation for the 'webgl' backend. */
export function webglKernels(def: ActivationDefinition): KernelConfig[] {
  return def.kind === 'elementwise' ? elementwiseKernels(def) : axisKernels(def);
}
