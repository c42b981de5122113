/**
 * A small toolkit for the webgl programs of axis activations, which each
 * definition writes in its `webgl` field (src/activations/*.ts): the input
 * is seen as a 3-D unpacked texture [outer, n, inner] (a free view), and a
 * program is a reduction over the axis (`reduce`, giving per-slice
 * statistics of shape [outer, 1, inner]) or an elementwise pass over
 * [outer, n', inner] (`mapPass`). Intermediates are released by the kernel
 * (src/backends/webgl.ts) when the activation's program returns.
 *
 * Only `import type` from the webgl backend: definitions importing this do
 * not load it.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';
import type {GPGPUProgram, MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import {glslHelpers} from './glsl_math';

type Program = GPGPUProgram;

/**
 * Custom uniforms of every program: the constants `u` (float32), their
 * remainders `ul` = u − float32(u) (so a shader can use a constant as exactly
 * as the float64 cpu kernels do), and `ta_z`, always 0, which keeps
 * compilers from folding error-compensation terms (glsl_math.ts).
 */
export const U = [
  {name: 'u', type: 'vec4' as const},
  {name: 'ul', type: 'vec4' as const},
  {name: 'ta_z', type: 'float' as const},
  {name: 'ta_sub', type: 'float' as const},
];

/**
 * The uniforms' values; `sub` sets `ta_sub` to 1, which makes an elementwise
 * program read subnormal inputs as ±MIN_NORMAL (webgl.ts, SUBNORMAL_AS_NORMAL).
 * A uniform, not a program variant, so new parameter values compile nothing.
 */
export function uniformOf(u: ArrayLike<number> | undefined, sub = false): number[][] {
  const hi = [0, 0, 0, 0],
    lo = [0, 0, 0, 0];
  for (let i = 0; i < Math.min(4, u?.length ?? 0); i++) {
    hi[i] = Math.fround(u![i]);
    lo[i] = u![i] === u![i] && Number.isFinite(u![i]) ? u![i] - hi[i] : 0;
  }
  return [hi, lo, [0], [sub ? 1 : 0]];
}

/** Partial reductions read at most this many elements per output. */
const CHUNK = 128;

export interface Ctx {
  /** The webgl backend (a MathBackendWebGL; typed loosely so that these types need no webgl package). */
  gl: unknown;
  /** Intermediate tensors to dispose at the end of the kernel. */
  temps: TensorInfo[];
}

function run(ctx: Ctx, program: Program, inputs: TensorInfo[]): TensorInfo {
  const out = (ctx.gl as MathBackendWebGL).runWebGLProgram(
    {...program, customUniforms: U},
    inputs,
    'float32',
    uniformOf([]),
  );
  ctx.temps.push(out);
  return out;
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
export function reduce(
  ctx: Ctx,
  op: 'max' | 'sum',
  inputs: TensorInfo[],
  names: string[],
  elem: string,
  outer: number,
  n: number,
  inner: number,
  helpers = '',
): TensorInfo {
  let m = n,
    cur: TensorInfo[] = inputs,
    curNames = names,
    expr = elem;
  for (;;) {
    const parts = Math.max(1, Math.ceil(m / CHUNK));
    const init = op === 'max' ? '-ta_inf()' : '0.0';
    const step = op === 'max' ? 'acc = ta_max(acc, v);' : 'vec2 s = ta_two_sum(acc, v); acc = s.x; comp += s.y;';
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
export function mapPass(
  ctx: Ctx,
  inputs: TensorInfo[],
  names: string[],
  outShape: number[],
  body: string,
  helpers = '',
): TensorInfo {
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

/**
 * An axis activation's webgl programs, on [outer, n, inner] views of x (and
 * of dy, whose axis is n/2 long for glu): each returns its result (with the
 * output's or x's elements in order) and leaves intermediates in `ctx`.
 */
export interface WebglAxis {
  forward(ctx: Ctx, X: TensorInfo, o: number, n: number, i: number): TensorInfo;
  backward(ctx: Ctx, X: TensorInfo, D: TensorInfo, o: number, n: number, i: number): TensorInfo;
}
