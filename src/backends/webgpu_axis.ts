/**
 * A small toolkit for the webgpu programs of axis activations, which each
 * definition writes in its `webgpu` field (src/activations/*.ts), next to
 * its `webgl` programs: an axis program runs one workgroup of AWG threads
 * per slice of the [outer, n, inner] view of x (`axisProgram`, with
 * workgroup reductions in AXIS_PRELUDE), or one thread per output element
 * (`flatAxisProgram`); `runAxis` runs it on the flat buffer. Also the
 * program plumbing shared with the elementwise kernels (src/backends/webgpu.ts).
 *
 * Only `import type` from the webgpu backend: definitions importing this do
 * not load it.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';
import type {WebGPUBackend, WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import {wgslHelpers} from './wgsl_math';
import {strictBounds} from './variants';

/** Threads per workgroup of the elementwise programs (as tfjs's unary ops). */
export const WG = 128;
/** Threads per workgroup of glu's programs (as the vec4 elementwise programs: faster on SwiftShader than 128). */
const EWG = 256;
/** Threads per workgroup of the axis programs (one workgroup per slice). */
export const AWG = 64;

export type Uniform = {type: string; data: number[]};

export const UNIFORM_DECL = 'u : vec4<f32>, ul : vec4<f32>, ug : vec4<f32>, ta_z : f32,';
export const PRIVATES = `
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
export function uniformOf(u: ArrayLike<number> | undefined): Uniform[] {
  const hi = [0, 0, 0, 0],
    lo = [0, 0, 0, 0];
  for (let i = 0; i < Math.min(4, u?.length ?? 0); i++) {
    hi[i] = Math.fround(u![i]);
    lo[i] = u![i] === u![i] && Number.isFinite(u![i]) ? u![i] - hi[i] : 0;
  }
  return [
    {type: 'float32', data: hi},
    {type: 'float32', data: lo},
    {type: 'float32', data: strictBounds(u)},
    {type: 'float32', data: [0]},
  ];
}

export function program(
  key: string,
  names: string[],
  outputShape: number[],
  threads: number,
  workgroup: number,
  uniforms: string,
  code: string,
): WebGPUProgram {
  return {
    shaderKey: `tfa_${key}`,
    variableNames: names,
    outputShape,
    workgroupSize: [workgroup, 1, 1],
    dispatchLayout: {x: outputShape.map((_, i) => i)},
    dispatch: [Math.max(1, Math.ceil(threads / workgroup)), 1, 1],
    uniforms,
    getUserCode: () => code,
  } as WebGPUProgram;
}

/** Runs a program whose output is a fresh float32 tensor of `shape`, computed as the flat `outShape`. */
export function run(
  backend: WebGPUBackend,
  p: WebGPUProgram,
  inputs: TensorInfo[],
  shape: number[],
  uniforms: Uniform[],
): TensorInfo {
  const out = backend.makeTensorInfo(shape, 'float32');
  backend.runWebGPUProgram(p, inputs, 'float32', uniforms, {...out, shape: p.outputShape});
  return out;
}

// ---------------------------------------------------------------------------
// Axis activations: one workgroup of AWG threads per slice (o, i) of the
// [outer, n, inner] view; element (o, j, i) sits at (o·n + j)·inner + i.

const AXIS_UNIFORMS = 'outer : i32, n : i32, inner : i32,';

/**
 * Slices from which an axis program that allows it (`serialOk`) runs one
 * thread per slice instead of one workgroup per slice: no workgroup memory
 * and no barriers. SwiftShader runs a workgroup's invocations as
 * coroutines that switch at every barrier, which made log_softmax at
 * [1024, 1024] slower than tfjs's own multi-kernel composite; with enough
 * slices to fill the device, a thread per slice is the cheaper layout.
 */
export const SERIAL_SLICES = 256;

/** Helpers of both layouts (after the prelude). */
const AXIS_SHARED = `
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
// Adds v to a compensated accumulator.
fn ta_acc(a: vec2<f32>, v: f32) -> vec2<f32> {
  let t = ta_two_sum(a.x, v);
  return vec2<f32>(t.x, a.y + t.y);
}`;

/**
 * The thread's slice state and `ta_axis_init`, which sets it: `lid` is the thread's lane in the reductions,
 * `slice` the slice it works on (both WGSL expressions).
 */
function sliceState(lid: string, slice: string): string {
  return `var<private> ta_slice: i32;
var<private> ta_valid: bool;
var<private> ta_base: i32;
var<private> ta_lid: i32;
fn ta_axis_init(index: i32) {
  ta_init();
  ta_lid = ${lid};
  ta_slice = ${slice};
  ta_valid = ta_slice < uniforms.outer * uniforms.inner;
  let o = ta_slice / max(uniforms.inner, 1);
  let i = ta_slice - o * uniforms.inner;
  ta_base = o * uniforms.n * uniforms.inner + i;
}`;
}

/** The serial prelude: thread `index` owns slice `index`; the "workgroup" reductions are the thread's own values. */
const SERIAL_PRELUDE = `
const TA_LANES: i32 = 1;
${sliceState('0', 'index')}
fn ta_wg_max(v: f32) -> f32 { return v; }
fn ta_wg_min_index(v: i32) -> i32 { return v; }
fn ta_wg_isum(v: i32) -> i32 { return v; }
fn ta_wg_sum(v: vec2<f32>) -> f32 { return v.x + v.y; }`;

/** A WGSL function reducing one value per thread over the workgroup by a tree of pairwise `combine`s in `buf`. */
function treeReduction(
  comment: string,
  name: string,
  type: 'f32' | 'i32',
  buf: string,
  combine: (a: string, b: string) => string,
): string {
  return `// ${comment}
fn ${name}(v: ${type}) -> ${type} {
  ${buf}[ta_lid] = v;
  workgroupBarrier();
  for (var s = ${AWG / 2}; s > 0; s = s / 2) {
    if (ta_lid < s) { ${buf}[ta_lid] = ${combine(`${buf}[ta_lid]`, `${buf}[ta_lid + s]`)}; }
    workgroupBarrier();
  }
  let r = ${buf}[0];
  workgroupBarrier();
  return r;
}`;
}

/** Common part of every axis program: the slice of this workgroup and workgroup reductions. */
const AXIS_PRELUDE = `
const TA_LANES: i32 = ${AWG};
var<workgroup> ta_red: array<f32, ${AWG}>;
var<workgroup> ta_red2: array<f32, ${AWG}>;
var<workgroup> ta_redi: array<i32, ${AWG}>;
${sliceState(
  'i32(localIndex)',
  'i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)',
)}
${treeReduction('Max over the workgroup, NaN propagating.', 'ta_wg_max', 'f32', 'ta_red', (a, b) => `ta_max2(${a}, ${b})`)}
${treeReduction('Smallest index over the workgroup.', 'ta_wg_min_index', 'i32', 'ta_redi', (a, b) => `min(${a}, ${b})`)}
${treeReduction('Integer sum over the workgroup.', 'ta_wg_isum', 'i32', 'ta_redi', (a, b) => `${a} + ${b}`)}
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
}`;

/**
 * An axis program: `body` runs in every thread of the slice's workgroup
 * (uniform control flow for barriers), its loops over the slice strided by
 * TA_LANES. With `serialOk` (a body that reduces only through the
 * `ta_wg_*` functions) and at least SERIAL_SLICES slices, one thread runs
 * each slice instead (TA_LANES = 1; a separate program, key suffix `_s`).
 */
export function axisProgram(
  key: string,
  names: string[],
  outLen: number,
  slices: number,
  body: string,
  extra = '',
  serialOk = false,
): WebGPUProgram {
  const serial = serialOk && slices >= SERIAL_SLICES;
  const code = `${PRIVATES}
${wgslHelpers('ta_two_sum(', 'ta_expmul2(', 'log1p(', 'sigmoid(', extra, body)}
${serial ? SERIAL_PRELUDE : AXIS_PRELUDE}
${AXIS_SHARED}
${extra}
fn main(index: i32) {
  ta_axis_init(index);
  let n = uniforms.n;
  ${body}
}`;
  if (serial) return program(`${key}_s`, names, [outLen], slices, AWG, UNIFORM_DECL + AXIS_UNIFORMS, code);
  const p = program(key, names, [outLen], slices * AWG, AWG, UNIFORM_DECL + AXIS_UNIFORMS, code);
  p.dispatch = [Math.max(1, slices), 1, 1];
  return p;
}

/**
 * A program over the flat output of length `len` (glu): `body` sees `index`,
 * `inner`, `h` = n/2 and `L` = h·inner, the length of a half-block [n/2, inner],
 * all counted in `vec4`s when `vec4` (L a multiple of 4: the buffers are then
 * read and written as vec4<f32>, which SwiftShader loads at the cost of one
 * f32); each thread writes `per` of the output's elements (or vec4s).
 */
export function flatAxisProgram(
  key: string,
  names: string[],
  len: number,
  body: string,
  extra = '',
  vec4 = false,
  per: 1 | 2 = 1,
): WebGPUProgram {
  const code = `${PRIVATES}
${wgslHelpers('sigmoid(', extra, body)}
${extra}
fn main(index: i32) {
  if (index * ${per} < uniforms.size) {
    ta_init();
    let inner = uniforms.inner;
    let h = uniforms.n / 2;
    let L = h * inner${vec4 ? ' / 4' : ''};
    ${body}
  }
}`;
  const c = vec4 ? 4 : 1;
  const p = program(`${key}${vec4 ? '_v4' : ''}`, names, [len], len / c / per, EWG, UNIFORM_DECL + AXIS_UNIFORMS, code);
  // uniforms.size: len, in vec4s when vec4 (the backend divides by outputComponent)
  p.size = true;
  if (vec4) {
    p.outputComponent = 4;
    p.variableComponents = names.map(() => 4);
  }
  return p;
}

/**
 * A program with one thread per row of a [rows, n] view of x (the axis is the last one, inner = 1, and n is a
 * multiple of 4) that reads and writes the rows as vec4s: SwiftShader runs 4 threads (4 rows) in its SIMD lanes,
 * and a vec4 load costs one gather where 4 scalar loads cost four. `body` sees `n`, `n4` = n/4 and `ta_row4`,
 * the index of the row's first vec4, and may `return` (no barriers).
 */
export function rowProgram4(
  key: string,
  names: string[],
  outLen: number,
  rows: number,
  body: string,
  extra = '',
): WebGPUProgram {
  const code = `${PRIVATES}
${wgslHelpers(extra, body)}
${extra}
fn main(index: i32) {
  ta_init();
  if (index >= uniforms.outer) { return; }
  let n = uniforms.n;
  let n4 = n / 4;
  let ta_row4 = index * n4;
  ${body}
}`;
  const p = program(`${key}_r4`, names, [outLen], rows, AWG, UNIFORM_DECL + AXIS_UNIFORMS, code);
  p.outputComponent = 4;
  p.variableComponents = names.map(() => 4);
  return p;
}

/** Runs an axis program on the flat view; the result has `shape` (same size as the program's output). */
export function runAxis(
  b: unknown,
  p: WebGPUProgram,
  inputs: TensorInfo[],
  [o, n, i]: number[],
  shape: number[],
): TensorInfo {
  return run(b as WebGPUBackend, p, inputs, shape, [
    ...uniformOf([]),
    {type: 'int32', data: [o]},
    {type: 'int32', data: [n]},
    {type: 'int32', data: [i]},
  ]);
}

/**
 * An axis activation's webgpu programs, on the flat x (and dy, whose axis is
 * n/2 long for glu) with the layout [o, n, i] of x: each returns its result,
 * of shape `shape` (the output's for forward, x's for backward). `b` is the
 * WebGPUBackend (typed loosely so that these types need no webgpu package).
 */
export interface WebgpuAxis {
  forward(b: unknown, X: TensorInfo, o: number, n: number, i: number, shape: number[]): TensorInfo;
  backward(b: unknown, X: TensorInfo, D: TensorInfo, o: number, n: number, i: number, shape: number[]): TensorInfo;
}
