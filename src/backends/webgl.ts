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
import {readSubnormalsAsNormal} from '../subnormal';

type Program = GPGPUProgram;

/**
 * Custom uniforms of every program: the constants `u` (float32), their
 * remainders `ul` = u − float32(u) (so a shader can use a constant as exactly
 * as the float64 cpu kernels do), and `ta_z`, always 0, which keeps
 * compilers from folding error-compensation terms (glsl_math.ts).
 */
const U = [{name: 'u', type: 'vec4' as const}, {name: 'ul', type: 'vec4' as const},
           {name: 'ta_z', type: 'float' as const}, {name: 'ta_sub', type: 'float' as const}];

/**
 * The uniforms' values; `sub` sets `ta_sub` to 1, which makes an elementwise
 * program read subnormal inputs as ±MIN_NORMAL (SUBNORMAL_AS_NORMAL). A
 * uniform, not a program variant, so new parameter values compile nothing.
 */
function uniformOf(u: ArrayLike<number> | undefined, sub = false): number[][] {
  const hi = [0, 0, 0, 0], lo = [0, 0, 0, 0];
  for (let i = 0; i < Math.min(4, u?.length ?? 0); i++) {
    hi[i] = Math.fround(u![i]);
    lo[i] = u![i] === u![i] && Number.isFinite(u![i]) ? u![i] - hi[i] : 0;
  }
  return [hi, lo, [0], [sub ? 1 : 0]];
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

function bodyOf(def: ElementwiseActivation, order: Order): string {
  const g = def.glsl;
  if (g === undefined) throw new Error(`${def.keras}: no GLSL definition for the webgl backend`);
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
  if ((b & 0x7f800000u) != 0u || (b & 0x007fffffu) == 0u) return x;
  return uintBitsToFloat((b & 0x80000000u) | 0x00800000u);
}`;

/** userCode of the forward (order 0) or backward (order 1, 2) program, unpacked or packed. */
function elementwiseCode(def: ElementwiseActivation, order: Order, packed: boolean): string {
  const body = bodyOf(def, order);
  const fn = `${SUBNORMAL_AS_NORMAL}
float ta_fn0(float x) {
  ${body}
}
float ta_fn(float x) { return ta_fn0(ta_sub > 0.5 ? ta_in(x) : x); }
`;
  const head = glslHelpers(body) + fn;
  if (order === 0) {
    return packed ? `${head}
float ta_one(float x) { return ta_isnan(x) ? x : ta_fn(x); }
void main() {
  vec4 x = getXAtOutCoords();
  setOutput(vec4(ta_one(x.x), ta_one(x.y), ta_one(x.z), ta_one(x.w)));
}` : `${head}
void main() {
  float x = getXAtOutCoords();
  setOutput(ta_isnan(x) ? x : ta_fn(x));
}`;
  }
  return packed ? `${head}
float ta_one(float dy, float x) { return ta_isnan(x) ? x : dy * ta_fn(x); }
void main() {
  vec4 dy = getDyAtOutCoords();
  vec4 x = getXAtOutCoords();
  setOutput(vec4(ta_one(dy.x, x.x), ta_one(dy.y, x.y), ta_one(dy.z, x.z), ta_one(dy.w, x.w)));
}` : `${head}
void main() {
  float dy = getDyAtOutCoords();
  float x = getXAtOutCoords();
  setOutput(ta_isnan(x) ? x : dy * ta_fn(x));
}`;
}

function elementwiseKernels(def: ElementwiseActivation): KernelConfig[] {
  // userCode per (order, packed), built once.
  const codes = new Map<string, string>();
  const code = (order: Order, packed: boolean) => {
    const key = `${order}${packed ? 'p' : ''}`;
    let c = codes.get(key);
    if (c === undefined) codes.set(key, c = elementwiseCode(def, order, packed));
    return c;
  };
  const packed = () => env().getBool('WEBGL_PACK_UNARY_OPERATIONS');

  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const gl = backend as MathBackendWebGL;
    const x = inputs.x as TensorInfo;
    const u = attrs!.u as number[];
    if (gl.shouldExecuteOnCPU([x])) return gl.makeTensorInfo(x.shape, 'float32', scalarLoops(def).forward(cpuValues(gl, x), u));
    const p = packed();
    const program: Program = {
      variableNames: ['X'], outputShape: x.shape.slice(), userCode: code(0, p), customUniforms: U,
      packedInputs: p, packedOutput: p, enableShapeUniforms: shapeUniforms(x.shape.length),
    };
    return gl.runWebGLProgram(program, [x], 'float32', uniformOf(u, readSubnormalsAsNormal(def, 0, u)));
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
      variableNames: ['Dy', 'X'], outputShape: x.shape.slice(), userCode: code(order as Order, p), customUniforms: U,
      packedInputs: p, packedOutput: p, enableShapeUniforms: shapeUniforms(x.shape.length),
    };
    return gl.runWebGLProgram(program, [dy, x], 'float32', uniformOf(u, readSubnormalsAsNormal(def, order, u)));
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
        // s′ is NaN for a slice without a limit (NaN, two +inf, all −inf); at the maximum x − m is 0, also at +inf
        `float x = getX(o, j, i), m = getM(o, 0, i), s = getS(o, 0, i);
  if (ta_isnan(s)) return s;
  if (j == ta_argmax(o, i)) return -log1p(s);
  if (ta_isnan(x) || ta_isnan(m) || abs(m) > 3.4028234e38) return x - m;
  vec2 d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) return d.x;
  return (d.x - log1p(s)) + d.y;` :
        `float x = getX(o, j, i), m = getM(o, 0, i), s = getS(o, 0, i);
  if (j == ta_argmax(o, i)) return 1.0 / (1.0 + s);
  return ta_expshift(x, m) / (1.0 + s);`;
      return mapPass(ctx, [X, M, S, I], ['X', 'M', 'S', 'I'], [o, n, i], body, EXPSHIFT + ARGMAX);
    },
    (ctx, X, D, o, n, i) => {
      const [M, S, I] = softmaxStats(ctx, X, o, n, i);
      const argmax = ARGMAX;
      const helpers = EXPSHIFT + argmax;
      // exp(x − m) is exactly 1 at the maximum (also when it is +inf: the one-hot limit)
      const prob = '(j == ta_argmax(o, i) ? 1.0 : ta_expshift(getX(o, j, i), getM(o, 0, i))) / (1.0 + getS(o, 0, i))';
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
  // da = dy·σ(b) does not involve a: NaN only from b (as cpu and tensorflow)
  if (j < ${h}) return ta_isnan(b) ? b : ta_sigmoid_mul(b, g);
  if (ta_isnan(a) || ta_isnan(b)) return a + b;
  return ta_dsigmoid_mul(b, g * a);`);
    });
}

/** Above this slice length sparsemax finds its support by bisection instead of O(n) work per element. */
const SPARSEMAX_BISECT = 512;

/**
 * GLSL shared by the sparsemax passes. Everything is relative to the slice
 * maximum m (input M): z = x − m, exactly 0 at the maximum (also at +inf),
 * so that the result does not depend on the magnitude of the slice.
 * `ta_sp_nolimit` is NaN for a slice without a limit (a NaN, two or more
 * +inf, only −inf; docs/non-finite.md), else 0.
 */
const SPARSEMAX_GLSL = `
float ta_sp_z(float x, float m) { return x == m ? 0.0 : x - m; }
float ta_sp_nolimit(int o, int i) {
  float m = getM(o, 0, i);
  if (ta_isnan(m)) return m;
  if (m < -3.4028234e38) return ta_nan();
  if (m > 3.4028234e38) {
    int infs = 0;
    for (int k = 0; k < ${'${n}'}; k++) if (getX(o, k, i) > 3.4028234e38) infs++;
    if (infs > 1) return ta_nan();
  }
  return 0.0;
}`;

/**
 * sparsemax's τ′ = τ − m in double-float (high, low), m the slice maximum.
 * First a float32 τ′ with the right support: for n ≤ SPARSEMAX_BISECT,
 * τ′ = max over r of (c_r − 1)/r, c_r the sum of the r largest z = x − m,
 * computed per element j with r = #{z ≥ z_j} and c_r = Σ_{z ≥ z_j} z (ties
 * end a group, which gives the same maximum), then a max over the axis: no
 * sort; for longer slices, a bisection on Σ max(z − τ′, 0) = 1 in [−1, 0]
 * per slice, whose lower end has the support (or one with extra elements
 * within an ulp of τ′, which do not move it). Then τ′ again from its
 * support, τ′ = (Σ_S (x − m) − 1)/|S| with x − m exact (two_sum) and
 * compensated sums. Also returns M.
 */
function sparsemaxTau(ctx: Ctx, X: TensorInfo, o: number, n: number, i: number): [TensorInfo, TensorInfo, TensorInfo] {
  const M = reduce(ctx, 'max', [X], ['X'], 'getX(o, j, i)', o, n, i);
  const common = SPARSEMAX_GLSL.replace('${n}', String(n));
  if (n > SPARSEMAX_BISECT) {
    const T = mapPass(ctx, [X, M], ['X', 'M'], [o, 1, i], `float bad = ta_sp_nolimit(o, i);
  if (ta_isnan(bad)) return bad;
  float m = getM(o, 0, i);
  float lo = -1.0, hi = 0.0;  // Σ max(z − lo, 0) >= 1 > Σ max(z − hi, 0) = 0
  for (int it = 0; it < 64; it++) {
    float mid = 0.5 * lo + 0.5 * hi;
    if (mid <= lo || mid >= hi) break;
    float s = 0.0;
    for (int k = 0; k < ${n}; k++) s += max(ta_sp_z(getX(o, k, i), m) - mid, 0.0);
    if (s >= 1.0) lo = mid; else hi = mid;
  }
  return lo;`, common);
    const [TH, TL] = refineTau(ctx, X, M, T, o, n, i);
    return [TH, TL, M];
  }
  const helpers = `${common}
float ta_tau_candidate(int o, int j, int i) {
  float bad = ta_sp_nolimit(o, i);
  if (ta_isnan(bad)) return bad;
  float m = getM(o, 0, i);
  float zj = ta_sp_z(getX(o, j, i), m);
  // τ′ >= −1, so an element at or below −1 is never in the support: skipping it keeps the sums bounded
  if (zj <= -1.0) return -ta_inf();
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float v = ta_sp_z(getX(o, k, i), m);
    if (v >= zj) {
      vec2 t = ta_two_sum(s, v);
      s = t.x;
      comp += t.y;
      r += 1.0;
    }
  }
  vec2 t = ta_two_sum(s, -1.0 - ta_z);
  return (t.x + (t.y + comp)) / r;
}`;
  const T = reduce(ctx, 'max', [X, M], ['X', 'M'], 'ta_tau_candidate(o, j, i)', o, n, i, helpers);
  const [TH, TL] = refineTau(ctx, X, M, T, o, n, i);
  return [TH, TL, M];
}

/**
 * τ′ again in double-float from its support (x − m > τ′): τ′ = (Σ_S (x − m) − 1)/|S|,
 * so that the result does not inherit τ′'s rounding. Two passes: high and low part.
 */
function refineTau(ctx: Ctx, X: TensorInfo, M: TensorInfo, T: TensorInfo, o: number, n: number,
                   i: number): [TensorInfo, TensorInfo] {
  const tauDf = (part: 'x' | 'y') => `float tau = getT(o, 0, i);
  if (ta_isnan(tau)) return tau;
  float m = getM(o, 0, i);
  float s = 0.0, comp = 0.0, r = 0.0;
  for (int k = 0; k < ${n}; k++) {
    float x = getX(o, k, i);
    if (ta_sp_z(x, m) > tau) {
      vec2 d = x == m ? vec2(0.0) : ta_two_sum(x, -m);
      vec2 t = ta_two_sum(s, d.x);
      s = t.x;
      comp += t.y + d.y;
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
  const common = SPARSEMAX_GLSL.replace('${n}', String(n));
  const TH = mapPass(ctx, [X, M, T], ['X', 'M', 'T'], [o, 1, i], tauDf('x'), common);
  const TL = mapPass(ctx, [X, M, T], ['X', 'M', 'T'], [o, 1, i], tauDf('y'), common);
  return [TH, TL];
}

function sparsemaxKernels(def: AxisActivation): [KernelFunc, KernelFunc] {
  return axisPair(def,
    (ctx, X, o, n, i) => {
      const [T, L, M] = sparsemaxTau(ctx, X, o, n, i);
      // y = max((x − m) − τ′, 0) with x − m exact (two_sum) and τ′ in double-float
      return mapPass(ctx, [X, M, T, L], ['X', 'M', 'T', 'L'], [o, n, i], `float t = getT(o, 0, i);
  if (ta_isnan(t)) return t;
  float x = getX(o, j, i), m = getM(o, 0, i);
  if (x == m) return ((0.0 - t) - getL(o, 0, i));
  vec2 d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) d.y = 0.0;
  float v = ((d.x - t) + d.y) - getL(o, 0, i);
  return v > 0.0 ? v : 0.0;`);
    },
    (ctx, X, D, o, n, i) => {
      const [T, , M] = sparsemaxTau(ctx, X, o, n, i);
      const on = 'ta_sp_z(getX(o, j, i), getM(o, 0, i)) > getT(o, 0, i)';
      const common = SPARSEMAX_GLSL.replace('${n}', String(n));
      // dx = dy − mean over the support of dy on the support (x − m > τ′), 0 elsewhere, NaN for slices without a limit
      const sum = reduce(ctx, 'sum', [X, D, M, T], ['X', 'D', 'M', 'T'], `${on} ? getD(o, j, i) : 0.0`, o, n, i, common);
      const count = reduce(ctx, 'sum', [X, M, T], ['X', 'M', 'T'], `${on} ? 1.0 : 0.0`, o, n, i, common);
      return mapPass(ctx, [X, D, M, T, sum, count], ['X', 'D', 'M', 'T', 'S', 'C'], [o, n, i],
                     `if (ta_isnan(getT(o, 0, i))) return getT(o, 0, i);
  if (!(${on})) return 0.0;
  return getD(o, j, i) - getS(o, 0, i) / getC(o, 0, i);`, common);
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
