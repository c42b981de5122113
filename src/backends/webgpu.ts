/**
 * webgpu kernels (@tensorflow/tfjs-backend-webgpu): WGSL compute programs
 * run through the backend's program API (`runWebGPUProgram`), built from
 * the definitions' `wgsl` bodies and the helpers of `wgsl_math.ts`.
 *
 * - Elementwise: one program per activation, variant (which parameters are
 *   in use, `variants.key`) and order (forward, f′, f″), over the flat
 *   buffer, so the rank and shape do not make new programs either. The
 *   constants are uniforms (`u`, their float32 remainders `ul`, and `ta_z`,
 *   always 0): a new parameter value compiles nothing.
 * - Axis activations (softmax, log_softmax, glu, sparsemax) along any axis:
 *   one workgroup per slice of the [outer, n, inner] view, the reductions
 *   (max, compensated sums, sparsemax's bisection) in workgroup memory, and
 *   the outputs written by the same program; outer, n and inner are
 *   uniforms. Nothing is read back to the CPU.
 * - Small inputs whose values are still on the CPU follow tfjs's CPU
 *   forwarding rule (`WEBGPU_CPU_FORWARD`, `backend.shouldExecuteOnCPU`)
 *   and run the definitions' float64 loops, as the cpu kernels do.
 *
 * Only `import type` from the webgpu backend: registering these kernels
 * does not load it.
 */
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';
import type {WebGPUBackend, WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';
import {wgslHelpers} from './wgsl_math';
import {scalarLoops} from './scalar_loops';
import {shaderBodies, strictBounds, variantOf} from './variants';

/** Threads per workgroup of the elementwise programs (as tfjs's unary ops). */
const WG = 128;
/** Elements per thread of the elementwise programs (fewer invocations: SwiftShader pays per invocation). */
const PER_THREAD = 8;
/** Threads per workgroup of the axis programs (one workgroup per slice). */
const AWG = 64;

type Uniform = {type: string; data: number[]};

const UNIFORM_DECL = 'u : vec4<f32>, ul : vec4<f32>, ug : vec4<f32>, ta_z : f32,';
const PRIVATES = `
var<private> u: vec4<f32>;
var<private> ul: vec4<f32>;
var<private> ug: vec4<f32>;
var<private> ta_z: f32;
fn ta_init() {
  u = uniforms.u;
  ul = uniforms.ul;
  ug = uniforms.ug;
  ta_z = uniforms.ta_z;
}`;

/** The constants as float32 `u` plus remainders `ul`, their strict bounds `ug` (variants.ts), and `ta_z` = 0. */
function uniformOf(u: ArrayLike<number> | undefined): Uniform[] {
  const hi = [0, 0, 0, 0], lo = [0, 0, 0, 0];
  for (let i = 0; i < Math.min(4, u?.length ?? 0); i++) {
    hi[i] = Math.fround(u![i]);
    lo[i] = u![i] === u![i] && Number.isFinite(u![i]) ? u![i] - hi[i] : 0;
  }
  return [{type: 'float32', data: hi}, {type: 'float32', data: lo}, {type: 'float32', data: strictBounds(u)},
          {type: 'float32', data: [0]}];
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function cpuValues(backend: WebGPUBackend, t: TensorInfo): Float32Array {
  return backend.tensorMap.get(t.dataId).values as Float32Array;
}

/** `t` seen as a flat vector (same buffer). */
function flat(t: TensorInfo): TensorInfo {
  return {dataId: t.dataId, shape: [size(t.shape)], dtype: t.dtype};
}

function program(key: string, names: string[], outputShape: number[], threads: number, workgroup: number,
                 uniforms: string, code: string): WebGPUProgram {
  return {
    shaderKey: `tfa_${key}`, variableNames: names, outputShape, workgroupSize: [workgroup, 1, 1],
    dispatchLayout: {x: outputShape.map((_, i) => i)}, dispatch: [Math.max(1, Math.ceil(threads / workgroup)), 1, 1],
    uniforms, getUserCode: () => code,
  } as WebGPUProgram;
}

/** Runs a program whose output is a fresh float32 tensor of `shape`, computed as the flat `outShape`. */
function run(backend: WebGPUBackend, p: WebGPUProgram, inputs: TensorInfo[], shape: number[],
             uniforms: Uniform[]): TensorInfo {
  const out = backend.makeTensorInfo(shape, 'float32');
  backend.runWebGPUProgram(p, inputs, 'float32', uniforms, {...out, shape: p.outputShape});
  return out;
}

// ---------------------------------------------------------------------------
// Elementwise

type Order = 0 | 1 | 2;

function bodyOf(def: ElementwiseActivation, variant: string, order: Order): string {
  const w = shaderBodies(def, 'wgsl', variant);
  const body = order === 0 ? w.forward : order === 1 ? w.derivative : w.second;
  if (body === undefined) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
  return body;
}

/** getUserCode of the forward (order 0) or backward (order 1, 2) program. */
export function elementwiseWgsl(def: ElementwiseActivation, variant: string, order: Order): string {
  const body = bodyOf(def, variant, order);
  const own = def.wgsl?.helpers ?? '';
  const head = `${PRIVATES}
${wgslHelpers(body, own)}${own}
fn ta_fn(x: f32) -> f32 {
  ${body}
}`;
  if (order === 0) {
    return `${head}
fn main(index: i32) {
  ta_init();
  // thread t handles t, t + T, t + 2T, ... (T threads): neighbouring threads read neighbouring elements
  let threads = (uniforms.size + ${PER_THREAD - 1}) / ${PER_THREAD};
  if (index >= threads) { return; }
  for (var k = 0; k < ${PER_THREAD}; k++) {
    let i = index + k * threads;
    if (i < uniforms.size) {
      let x = X[i];
      let y = ta_fn(x);  // a select, not a branch: NaN's result is discarded
      result[i] = select(y, x, ta_isnan(x));
    }
  }
}`;
  }
  return `${head}
fn main(index: i32) {
  ta_init();
  // thread t handles t, t + T, t + 2T, ... (T threads): neighbouring threads read neighbouring elements
  let threads = (uniforms.size + ${PER_THREAD - 1}) / ${PER_THREAD};
  if (index >= threads) { return; }
  for (var k = 0; k < ${PER_THREAD}; k++) {
    let i = index + k * threads;
    if (i < uniforms.size) {
      let x = X[i];
      let y = Dy[i] * ta_fn(x);
      result[i] = select(y, x, ta_isnan(x));
    }
  }
}`;
}

function elementwiseKernels(def: ElementwiseActivation): KernelConfig[] {
  const codes = new Map<string, string>();
  const code = (variant: string, order: Order) => {
    const key = `${variant}|${order}`;
    let c = codes.get(key);
    if (c === undefined) codes.set(key, c = elementwiseWgsl(def, variant, order));
    return c;
  };
  const elementwiseProgram = (variant: string, order: Order, n: number): WebGPUProgram => {
    const p = program(`${def.id}_${variant || 'general'}_${order}`, order === 0 ? ['X'] : ['Dy', 'X'], [n],
                      Math.ceil(n / PER_THREAD), WG,
                      UNIFORM_DECL, code(variant, order));
    p.size = true;
    return p;
  };

  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo;
    const u = attrs!.u as number[];
    if (def.identity) {  // linear: the input itself, as tfjs's Identity
      b.incRef(x.dataId);
      return {dataId: x.dataId, shape: x.shape, dtype: x.dtype};
    }
    if (b.shouldExecuteOnCPU([x])) return b.makeTensorInfo(x.shape, 'float32', scalarLoops(def).forward(cpuValues(b, x), u));
    const n = size(x.shape);
    return run(b, elementwiseProgram(variantOf(def, u), 0, n), [flat(x)], x.shape.slice(), uniformOf(u));
  };

  const backward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
    const u = attrs!.u as number[];
    const order = attrs!.order as number;
    if (order !== 1 && order !== 2) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
    if (b.shouldExecuteOnCPU([x, dy])) {
      return b.makeTensorInfo(x.shape, 'float32', scalarLoops(def).backward(order, cpuValues(b, x), cpuValues(b, dy), u));
    }
    const n = size(x.shape);
    return run(b, elementwiseProgram(variantOf(def, u), order, n), [flat(dy), flat(x)], x.shape.slice(), uniformOf(u));
  };

  return [
    {kernelName: kernelName(def), backendName: 'webgpu', kernelFunc: forward},
    {kernelName: gradKernelName(def), backendName: 'webgpu', kernelFunc: backward},
  ];
}

// ---------------------------------------------------------------------------
// Axis activations: one workgroup of AWG threads per slice (o, i) of the
// [outer, n, inner] view; element (o, j, i) sits at (o·n + j)·inner + i.

const AXIS_UNIFORMS = 'outer : i32, n : i32, inner : i32,';

/** Common part of every axis program: the slice of this workgroup and workgroup reductions. */
const AXIS_PRELUDE = `
var<workgroup> ta_red: array<f32, ${AWG}>;
var<workgroup> ta_red2: array<f32, ${AWG}>;
var<workgroup> ta_redi: array<i32, ${AWG}>;
var<private> ta_slice: i32;
var<private> ta_valid: bool;
var<private> ta_base: i32;
var<private> ta_lid: i32;
fn ta_axis_init() {
  ta_init();
  ta_lid = i32(localIndex);
  ta_slice = i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);
  ta_valid = ta_slice < uniforms.outer * uniforms.inner;
  let o = ta_slice / max(uniforms.inner, 1);
  let i = ta_slice - o * uniforms.inner;
  ta_base = o * uniforms.n * uniforms.inner + i;
}
// Flat index of element j of this slice (for an axis of length len).
fn ta_at(j: i32, len: i32) -> i32 {
  let o = ta_slice / max(uniforms.inner, 1);
  let i = ta_slice - o * uniforms.inner;
  return (o * len + j) * uniforms.inner + i;
}
fn ta_max2(a: f32, b: f32) -> f32 {
  if (ta_isnan(a) || ta_isnan(b)) { return a + b; }
  return max(a, b);
}
// Max over the workgroup, NaN propagating.
fn ta_wg_max(v: f32) -> f32 {
  ta_red[ta_lid] = v;
  workgroupBarrier();
  for (var s = ${AWG / 2}; s > 0; s = s / 2) {
    if (ta_lid < s) { ta_red[ta_lid] = ta_max2(ta_red[ta_lid], ta_red[ta_lid + s]); }
    workgroupBarrier();
  }
  let r = ta_red[0];
  workgroupBarrier();
  return r;
}
// Smallest index over the workgroup.
fn ta_wg_min_index(v: i32) -> i32 {
  ta_redi[ta_lid] = v;
  workgroupBarrier();
  for (var s = ${AWG / 2}; s > 0; s = s / 2) {
    if (ta_lid < s) { ta_redi[ta_lid] = min(ta_redi[ta_lid], ta_redi[ta_lid + s]); }
    workgroupBarrier();
  }
  let r = ta_redi[0];
  workgroupBarrier();
  return r;
}
// Integer sum over the workgroup.
fn ta_wg_isum(v: i32) -> i32 {
  ta_redi[ta_lid] = v;
  workgroupBarrier();
  for (var s = ${AWG / 2}; s > 0; s = s / 2) {
    if (ta_lid < s) { ta_redi[ta_lid] = ta_redi[ta_lid] + ta_redi[ta_lid + s]; }
    workgroupBarrier();
  }
  let r = ta_redi[0];
  workgroupBarrier();
  return r;
}
// Compensated sum over the workgroup of (sum, compensation) pairs.
fn ta_wg_sum(v: vec2<f32>) -> f32 {
  ta_red[ta_lid] = v.x;
  ta_red2[ta_lid] = v.y;
  workgroupBarrier();
  for (var s = ${AWG / 2}; s > 0; s = s / 2) {
    if (ta_lid < s) {
      let t = ta_two_sum(ta_red[ta_lid], ta_red[ta_lid + s]);
      ta_red[ta_lid] = t.x;
      ta_red2[ta_lid] = ta_red2[ta_lid] + ta_red2[ta_lid + s] + t.y;
    }
    workgroupBarrier();
  }
  let r = ta_red[0] + ta_red2[0];
  workgroupBarrier();
  return r;
}
// Adds v to a compensated accumulator.
fn ta_acc(a: vec2<f32>, v: f32) -> vec2<f32> {
  let t = ta_two_sum(a.x, v);
  return vec2<f32>(t.x, a.y + t.y);
}`;

/** An axis program: `body` runs in every thread of the slice's workgroup (uniform control flow for barriers). */
function axisProgram(key: string, names: string[], outLen: number, slices: number, body: string,
                     extra = ''): WebGPUProgram {
  const code = `${PRIVATES}
${wgslHelpers('ta_two_sum(', 'ta_expmul2(', 'log1p(', 'sigmoid(', extra, body)}
${AXIS_PRELUDE}
${extra}
fn main(index: i32) {
  ta_axis_init();
  let n = uniforms.n;
  ${body}
}`;
  const p = program(key, names, [outLen], slices * AWG, AWG, UNIFORM_DECL + AXIS_UNIFORMS, code);
  p.dispatch = [Math.max(1, slices), 1, 1];
  return p;
}

const EXPSHIFT = `
// exp(x − m) with x − m in double-float.
fn ta_expshift(x: f32, m: f32) -> f32 {
  if (ta_isnan(x) || ta_isnan(m)) { return x + m; }
  let d = ta_two_sum(x, -m);
  if (ta_isnan(d.y)) { return expf(d.x); }
  return ta_expmul2(d.x, d.y, 1.0);
}`;

/**
 * softmax statistics of the slice, in every thread: the maximum m, the
 * index of its first occurrence (0 when m is NaN) and s′ = Σ exp(x − m)
 * over every other element, as in the webgl kernels. exp(x − m) is 1 at the
 * argmax (also when it is +inf: the one-hot limit; docs/non-finite.md).
 */
const SOFTMAX_STATS = `
  var lm = -ta_inf();
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid) { lm = ta_max2(lm, X[ta_base + j * uniforms.inner]); }
  }
  let m = ta_wg_max(lm);
  var li = n;
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid && li == n && X[ta_base + j * uniforms.inner] == m) { li = j; }
  }
  var am = ta_wg_min_index(li);
  if (am >= n) { am = 0; }
  var ls = vec2<f32>(0.0, 0.0);
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid && j != am) { ls = ta_acc(ls, ta_expshift(X[ta_base + j * uniforms.inner], m)); }
  }
  // s′ is NaN for a slice without a limit: a NaN, two +inf (inf − inf), only −inf (0/0, also for n = 1)
  let s = select(ta_wg_sum(ls), ta_nan(), m < -3.4028234e38);`;

function softmaxKernels(log: boolean): [AxisGpu, AxisGpu] {
  const forward: AxisGpu = (b, X, o, n, i, shape) => {
    const write = log ? `
    let x = X[k];
    if (ta_isnan(s)) {
      result[k] = s;
    } else if (j == am) {
      result[k] = -ls1p;
    } else if (ta_isnan(x) || ta_isnan(m) || abs(m) > 3.4028234e38) {
      result[k] = x - m;
    } else {
      let d = ta_two_sum(x, -m);
      if (ta_isnan(d.y)) { result[k] = d.x; } else { result[k] = (d.x - ls1p) + d.y; }
    }` : `
    if (j == am) { result[k] = 1.0 / (1.0 + s); } else { result[k] = ta_expshift(X[k], m) / (1.0 + s); }`;
    return runAxis(b, axisProgram(log ? 'logSoftmax_f' : 'softmax_f', ['X'], o * n * i, o * i, `${SOFTMAX_STATS}
  ${log ? 'let ls1p = log1p(s);  // once per slice' : ''}
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;${write}
  }`, EXPSHIFT), [X], [o, n, i], shape);
  };
  const backward: AxisGpu = (b, X, o, n, i, shape, D) => {
    const prob = 'select(ta_expshift(X[k], m), 1.0, j == am) / (1.0 + s)';
    const body = log ? `${SOFTMAX_STATS}
  // dx = dy − p·Σdy; at the maximum, 1 − p = s′/(1 + s′): dx = dy·s′/(1 + s′) − p·Σ_{k≠m} dy
  var lt = vec2<f32>(0.0, 0.0);
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid && j != am) { lt = ta_acc(lt, D[ta_base + j * uniforms.inner]); }
  }
  let t = ta_wg_sum(lt);
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    let p = ${prob};
    if (j == am) {
      result[k] = D[k] * (s / (1.0 + s)) - p * t;
    } else {
      result[k] = D[k] - p * (t + D[ta_base + am * uniforms.inner]);
    }
  }` : `${SOFTMAX_STATS}
  // dx = y·((dy − dy_m) + Σ y·(dy_m − dy)), m the argmax
  var dm = 0.0;
  if (ta_valid) { dm = D[ta_base + am * uniforms.inner]; }
  var lt = vec2<f32>(0.0, 0.0);
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid) {
      let k = ta_base + j * uniforms.inner;
      lt = ta_acc(lt, ${prob} * (dm - D[k]));
    }
  }
  let t = ta_wg_sum(lt);
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    result[k] = ${prob} * ((D[k] - dm) + t);
  }`;
    return runAxis(b, axisProgram(log ? 'logSoftmax_b' : 'softmax_b', ['X', 'D'], o * n * i, o * i, body, EXPSHIFT),
                   [X, D!], [o, n, i], shape);
  };
  return [forward, backward];
}

/** glu: elementwise over the output ([o, n/2, i] forward, [o, n, i] backward), one thread per element. */
function gluKernels(): [AxisGpu, AxisGpu] {
  const flatProgram = (key: string, names: string[], len: number, body: string) => {
    const code = `${PRIVATES}
${wgslHelpers('sigmoid(', body)}
fn main(index: i32) {
  if (index < uniforms.size) {
    ta_init();
    let inner = uniforms.inner;
    let h = uniforms.n / 2;
    ${body}
  }
}`;
    const p = program(key, names, [len], len, WG, UNIFORM_DECL + AXIS_UNIFORMS, code);
    p.size = true;
    return p;
  };
  const forward: AxisGpu = (b, X, o, n, i, shape) => {
    const h = n / 2;
    return runAxis(b, flatProgram('glu_f', ['X'], o * h * i, `
    let oi = index / (h * inner);
    let r = index - oi * h * inner;
    let j = r / inner;
    let ii = r - j * inner;
    let a = X[(oi * uniforms.n + j) * inner + ii];
    let g = X[(oi * uniforms.n + j + h) * inner + ii];
    if (ta_isnan(a) || ta_isnan(g)) { result[index] = a + g; } else { result[index] = ta_sigmoid_mul(g, a); }`),
                   [X], [o, n, i], shape);
  };
  const backward: AxisGpu = (b, X, o, n, i, shape, D) => runAxis(b, flatProgram('glu_b', ['X', 'D'], o * n * i, `
    let oi = index / (uniforms.n * inner);
    let r = index - oi * uniforms.n * inner;
    let j = r / inner;
    let ii = r - j * inner;
    let kk = select(j - h, j, j < h);
    let a = X[(oi * uniforms.n + kk) * inner + ii];
    let g = X[(oi * uniforms.n + kk + h) * inner + ii];
    let dy = D[(oi * h + kk) * inner + ii];
    // da = dy·σ(b), db = dy·a·σ(b)σ(−b); da does not involve a: NaN only from b (as cpu and tensorflow)
    if (j < h) {
      result[index] = select(ta_sigmoid_mul(g, dy), g, ta_isnan(g));
    } else if (ta_isnan(a) || ta_isnan(g)) {
      result[index] = a + g;
    } else {
      result[index] = ta_dsigmoid_mul(g, dy * a);
    }`), [X, D!], [o, n, i], shape);
  return [forward, backward];
}

/**
 * sparsemax's τ′ = τ − m for the slice, in every thread, as the webgl
 * programs: everything is relative to the slice maximum m, z = x − m
 * (exactly 0 at the maximum, also at +inf), so that the result does not
 * depend on the magnitude of the slice. First a float32 τ′ with the right
 * support by bisection on Σ max(z − τ′, 0) = 1 in [−1, 0] (64 fixed steps,
 * so the barriers stay in uniform control flow), then τ′ = (Σ_S (x − m) − 1)/|S|
 * again from its support S = {z > τ′} with x − m exact (two_sum) and
 * compensated sums, in double-float (th, tl), with the count c. A slice
 * without a limit (a NaN, two or more +inf, only −inf; docs/non-finite.md)
 * has th = NaN.
 */
const SPARSEMAX_TAU = `
  var lm = -ta_inf();
  var linf = 0;
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid) {
      let v = X[ta_base + j * uniforms.inner];
      lm = ta_max2(lm, v);
      if (v > 3.4028234e38) { linf += 1; }
    }
  }
  let m = ta_wg_max(lm);
  let infs = ta_wg_isum(linf);
  let bad = ta_isnan(m) || m < -3.4028234e38 || infs > 1;
  var lo = -1.0;  // Σ max(z − lo, 0) >= 1 > Σ max(z − hi, 0) = 0
  var hi = 0.0;
  for (var it = 0; it < 64; it++) {
    let mid = 0.5 * lo + 0.5 * hi;
    var ls = 0.0;
    for (var j = ta_lid; j < n; j += ${AWG}) {
      if (ta_valid && !bad) { ls += max(ta_sp_z(X[ta_base + j * uniforms.inner], m) - mid, 0.0); }
    }
    ta_red[ta_lid] = ls;
    workgroupBarrier();
    for (var st = ${AWG / 2}; st > 0; st = st / 2) {
      if (ta_lid < st) { ta_red[ta_lid] = ta_red[ta_lid] + ta_red[ta_lid + st]; }
      workgroupBarrier();
    }
    let total = ta_red[0];
    workgroupBarrier();
    if (mid > lo && mid < hi) {
      if (total >= 1.0) { lo = mid; } else { hi = mid; }
    }
  }
  let tau = lo;
  var lsum = vec2<f32>(0.0, 0.0);
  var lcomp = 0.0;
  var lc = 0;
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid && !bad) {
      let v = X[ta_base + j * uniforms.inner];
      if (ta_sp_z(v, m) > tau) {
        var d = vec2<f32>(0.0, 0.0);
        if (v != m) { d = ta_two_sum(v, -m); }
        lsum = ta_acc(lsum, d.x);
        lcomp += d.y;
        lc += 1;
      }
    }
  }
  ta_red[ta_lid] = lsum.x;
  ta_red2[ta_lid] = lsum.y + lcomp;
  ta_redi[ta_lid] = lc;
  workgroupBarrier();
  for (var st = ${AWG / 2}; st > 0; st = st / 2) {
    if (ta_lid < st) {
      let t2 = ta_two_sum(ta_red[ta_lid], ta_red[ta_lid + st]);
      ta_red[ta_lid] = t2.x;
      ta_red2[ta_lid] = ta_red2[ta_lid] + ta_red2[ta_lid + st] + t2.y;
      ta_redi[ta_lid] = ta_redi[ta_lid] + ta_redi[ta_lid + st];
    }
    workgroupBarrier();
  }
  let ssum = ta_red[0];
  let scomp = ta_red2[0];
  let c = f32(ta_redi[0]);
  workgroupBarrier();
  var th = tau;
  var tl = 0.0;
  if (c > 0.0) {
    var num = ta_two_sum(ssum, -1.0 - ta_z);
    num = ta_fast_two_sum(num.x, num.y + scomp);
    th = num.x / c;
    let pr = ta_two_prod(th, c);
    tl = (((num.x - pr.x) - pr.y) + num.y) / c;
  }
  if (bad) { th = ta_nan(); }`;

const SPARSEMAX_WGSL = `
fn ta_sp_z(x: f32, m: f32) -> f32 { return select(x - m, 0.0, x == m); }`;

function sparsemaxKernels(): [AxisGpu, AxisGpu] {
  const forward: AxisGpu = (b, X, o, n, i, shape) => runAxis(b, axisProgram('sparsemax_f', ['X'], o * n * i, o * i, `${SPARSEMAX_TAU}
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    // y = max((x − m) − τ′, 0) with x − m exact (two_sum) and τ′ in double-float
    let x = X[k];
    if (ta_isnan(th)) {
      result[k] = th;
    } else if (x == m) {
      result[k] = (0.0 - th) - tl;
    } else {
      var d = ta_two_sum(x, -m);
      if (ta_isnan(d.y)) { d.y = 0.0; }
      let v = ((d.x - th) + d.y) - tl;
      result[k] = select(0.0, v, v > 0.0);
    }
  }`, SPARSEMAX_WGSL), [X], [o, n, i], shape);
  const backward: AxisGpu = (b, X, o, n, i, shape, D) => runAxis(b, axisProgram('sparsemax_b', ['X', 'D'], o * n * i, o * i,
                                                                         `${SPARSEMAX_TAU}
  // dx = dy − mean of dy over the support (x − m > τ′), 0 elsewhere, NaN for slices without a limit
  var ld = vec2<f32>(0.0, 0.0);
  var lc2 = 0;
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (ta_valid) {
      let k = ta_base + j * uniforms.inner;
      if (ta_sp_z(X[k], m) > th) {
        ld = ta_acc(ld, D[k]);
        lc2 += 1;
      }
    }
  }
  let sd = ta_wg_sum(ld);
  let c2 = f32(ta_wg_isum(lc2));
  for (var j = ta_lid; j < n; j += ${AWG}) {
    if (!ta_valid) { break; }
    let k = ta_base + j * uniforms.inner;
    if (ta_isnan(th)) {
      result[k] = th;
    } else if (ta_sp_z(X[k], m) > th) {
      result[k] = D[k] - sd / c2;
    } else {
      result[k] = 0.0;
    }
  }`, SPARSEMAX_WGSL), [X, D!], [o, n, i], shape);
  return [forward, backward];
}

/** GPU work of an axis kernel: x (and dy) flat, the layout o, n, i of x; returns the flat result. */
type AxisGpu = (b: WebGPUBackend, X: TensorInfo, o: number, n: number, i: number, shape: number[], D?: TensorInfo) => TensorInfo;

/** Runs an axis program on the flat view; the result has `shape` (same size as the program's output). */
function runAxis(b: WebGPUBackend, p: WebGPUProgram, inputs: TensorInfo[], [o, n, i]: number[], shape: number[]): TensorInfo {
  return run(b, p, inputs, shape,
             [...uniformOf([]), {type: 'int32', data: [o]}, {type: 'int32', data: [n]}, {type: 'int32', data: [i]}]);
}

function axisKernels(def: AxisActivation): KernelConfig[] {
  let pair: [AxisGpu, AxisGpu];
  if (def.id === 'softmax') pair = softmaxKernels(false);
  else if (def.id === 'logSoftmax') pair = softmaxKernels(true);
  else if (def.id === 'glu') pair = gluKernels();
  else if (def.id === 'sparsemax') pair = sparsemaxKernels();
  else throw new Error(`${def.keras}: no webgpu program for this axis activation`);
  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo;
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    const shape = axisOutputShape(def, x.shape, axes);
    if (b.shouldExecuteOnCPU([x])) {
      const out = new Float32Array(size(shape));
      def.cpu.forward(cpuValues(b, x), out, o, n, i);
      return b.makeTensorInfo(shape, 'float32', out);
    }
    return pair[0](b, flat(x), o, n, i, shape);
  };
  const backward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo, dy = inputs.dy as TensorInfo;
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    if (b.shouldExecuteOnCPU([x, dy])) {
      const dx = new Float32Array(size(x.shape));
      def.cpu.backward(cpuValues(b, x), cpuValues(b, dy), dx, o, n, i);
      return b.makeTensorInfo(x.shape, 'float32', dx);
    }
    return pair[1](b, flat(x), o, n, i, x.shape.slice(), flat(dy));
  };
  return [
    {kernelName: kernelName(def), backendName: 'webgpu', kernelFunc: forward},
    {kernelName: gradKernelName(def), backendName: 'webgpu', kernelFunc: backward},
  ];
}

/** Forward and backward kernels of one activation for the 'webgpu' backend. */
export function webgpuKernels(def: ActivationDefinition): KernelConfig[] {
  return def.kind === 'elementwise' ? elementwiseKernels(def) : axisKernels(def);
}
