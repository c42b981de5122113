/**
 * webgpu kernels (@tensorflow/tfjs-backend-webgpu): WGSL compute programs
 * run through the backend's program API (`runWebGPUProgram`), built from
 * the definitions' `wgsl` bodies and the helpers of `wgsl_math.ts`.
 *
 * - Elementwise: one program per activation, variant (which parameters are
 *   in use, `variants.key`) and order (forward, f′, f″), over the flat
 *   buffer, so the rank and shape do not make new programs either (a size
 *   that is a multiple of 4 runs the vec4 form of the program). The
 *   constants are uniforms (`u`, their float32 remainders `ul`, and `ta_z`,
 *   always 0): a new parameter value compiles nothing.
 * - Axis activations (softmax, log_softmax, glu, sparsemax) along any axis:
 *   one workgroup per slice of the [outer, n, inner] view, the reductions
 *   (max, compensated sums, sparsemax's bisection) in workgroup memory, and
 *   the outputs written by the same program (softmax and log_softmax with
 *   many slices: one thread per slice); outer, n and inner are uniforms.
 *   Nothing is read back to the CPU.
 * - Small inputs whose values are still on the CPU follow tfjs's CPU
 *   forwarding rule (`WEBGPU_CPU_FORWARD`, `backend.shouldExecuteOnCPU`)
 *   and run the definitions' float64 loops, as the cpu kernels do.
 *
 * Only `import type` from the webgpu backend: registering these kernels
 * does not load it.
 */
import type {KernelConfig, KernelFunc, NamedAttrMap, TensorInfo} from '@tensorflow/tfjs-core';
import type {WebGPUBackend, WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import type {ActivationDefinition, AxisActivation, ElementwiseActivation} from '../definition';
import {gradKernelName, kernelName} from '../catalogue';
import {axisOutputShape, layoutOf} from '../layout';
import {wgslHelpers} from './wgsl_math';
import {PRIVATES, program, run, UNIFORM_DECL, uniformOf} from './webgpu_axis';
import {backwardOnHost, forwardOnHost} from './host';
import {shaderBodies, variantOf} from './variants';

/** Elements per thread of the scalar elementwise programs (fewer invocations: SwiftShader pays per invocation). */
const PER_THREAD = 8;
/** vec4s per thread of the vec4 elementwise programs with a cheap body (threadWork). */
const VEC4_PER_THREAD = 4;
/**
 * Threads per workgroup of the elementwise programs: the most WebGPU allows
 * by default (tfjs's unary programs use 128); on SwiftShader, with fewer
 * workgroups to start, a vec4 relu ran about 25 % faster than with 128.
 */
const EWG = 256;

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function cpuValues(backend: WebGPUBackend, t: TensorInfo): Float32Array {
  return backend.tensorMap.get(t.dataId).values as Float32Array;
}

/** Values still on the CPU: the definition's float64 code, as the cpu kernels run it (host.ts). */
function onHost(b: WebGPUBackend, def: ActivationDefinition, x: TensorInfo, attrs: NamedAttrMap): TensorInfo {
  const {shape, values} = forwardOnHost(def, cpuValues(b, x), x.shape, attrs);
  return b.makeTensorInfo(shape, 'float32', values);
}

function onHostBackward(
  b: WebGPUBackend,
  def: ActivationDefinition,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: NamedAttrMap,
): TensorInfo {
  return b.makeTensorInfo(x.shape, 'float32', backwardOnHost(def, cpuValues(b, x), cpuValues(b, dy), x.shape, attrs));
}

/** `t` seen as a flat vector (same buffer). */
function flat(t: TensorInfo): TensorInfo {
  return {dataId: t.dataId, shape: [size(t.shape)], dtype: t.dtype};
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

/**
 * WGSL's `-0.0` is a constant expression, and the compiler evaluates it to +0 (the spec lets it ignore the sign
 * of a zero): a body's `-0.0` becomes −ta_z, the negated run-time zero (a uniform), which keeps its sign.
 */
function negativeZeros(code: string): string {
  return code.replace(/(?<![\w.])-0\.0(?![\d.eE])/g, '(-ta_z)');
}

/** `y` with NaN lanes of `x` passed through (a bit test: WGSL may assume no NaN in arithmetic). */
const NAN_PASS4 = 'select(y, x, (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u))';

/**
 * dy·f with the sign of a zero product from the operands' sign bits, as IEEE multiplication (and cpu) gives it:
 * shader compilers fold dy·0.0 to +0, and GPUs flush a subnormal product to +0. The zero test is on the bits:
 * a comparison may not see NaN. A zero dy times an f that overflowed float32 where the definition's float64 f is
 * finite (`finite64`, ta_fin64) is that zero too, as on cpu; NaN stays NaN.
 */
function mulsign(finite64: string | undefined): string {
  return `fn ta_fin64(x: f32) -> bool { return ${finite64 ?? 'false'}; }
fn ta_mulsign(dy: f32, f: f32, x: f32) -> f32 {
  let y = dy * f;
  let s = bitcast<f32>((bitcast<u32>(dy) ^ bitcast<u32>(f)) & 0x80000000u);
  let over = (bitcast<u32>(dy) & 0x7fffffffu) == 0u && (bitcast<u32>(f) & 0x7fffffffu) == 0x7f800000u;
  return select(y, s, (bitcast<u32>(y) & 0x7fffffffu) == 0u || (over && ta_fin64(x)));
}
fn ta_mulsign4(dy: vec4<f32>, f: vec4<f32>, x: vec4<f32>) -> vec4<f32> {
  let y = dy * f;
  let m = vec4<u32>(0x7fffffffu);
  let s = bitcast<vec4<f32>>((bitcast<vec4<u32>>(dy) ^ bitcast<vec4<u32>>(f)) & vec4<u32>(0x80000000u));
  let over = ((bitcast<vec4<u32>>(dy) & m) == vec4<u32>(0u)) & ((bitcast<vec4<u32>>(f) & m) == vec4<u32>(0x7f800000u));
  let fin = vec4<bool>(ta_fin64(x.x), ta_fin64(x.y), ta_fin64(x.z), ta_fin64(x.w));
  return select(y, s, ((bitcast<vec4<u32>>(y) & m) == vec4<u32>(0u)) | (over & fin));
}`;
}

/**
 * How a thread of the elementwise program works: `per` elements (vec4s in a vec4 program), unrolled or in a loop.
 * A cheap body (no helper function beyond the basic ones, nothing of its own: the piecewise-linear activations,
 * softsign, sparse_plus) is bound by SwiftShader's cost per invocation and per load: 4 consecutive vec4s per thread,
 * unrolled (a loop costs more there), took a vec4 copy from 3.4 to 2.1 ms and soft_shrink from 4.6 to 3.2 ms at 1M.
 * A body with exp, log or erf is bound by its arithmetic, where the layout changes nothing measurable; it keeps one
 * vec4 per thread (8 scalars in a loop), so that its long code is compiled once, not 4 or 8 times.
 */
function threadWork(def: ElementwiseActivation, variant: string, order: Order, vec4: boolean) {
  const w = shaderBodies(def, 'wgsl', variant);
  const cheap = !def.wgsl?.helpers && wgslHelpers(bodyOf(def, variant, order), w.forward4 ?? '') === wgslHelpers('');
  return {per: vec4 ? (cheap ? VEC4_PER_THREAD : 1) : PER_THREAD, unrolled: cheap};
}

/**
 * `main` of an elementwise program: thread t handles `per` elements (vec4s in a vec4 program), each with `step`,
 * which reads and writes index `i`: consecutive ones (vec4: per·t + k) or strided ones (scalar: t + k·T, T threads,
 * so that neighbouring threads read neighbouring elements). Past the end, `i` is clamped to the last element, which
 * those threads then write with the same value as its own thread (every write of i is f(X[i])): on SwiftShader a
 * bounds check (a masked store) costs more than that extra work.
 */
function mainOf(step: string, per: number, strided: boolean, unrolled: boolean): string {
  const at = (k: string) => `min(${strided ? `index + ${k} * threads` : `index * ${per} + ${k}`}, uniforms.size - 1)`;
  const steps = [];
  if (unrolled || per === 1) {
    for (let k = 0; k < per; k++)
      steps.push(`  {
    let i = ${at(String(k))};
    ${step}
  }`);
  } else {
    steps.push(`  for (var k = 0; k < ${per}; k++) {
    let i = ${at('k')};
    ${step}
  }`);
  }
  const threads = strided ? `\n  let threads = (uniforms.size + ${per - 1}) / ${per};` : '';
  return `fn main(index: i32) {
  ta_init();${threads}
${steps.join('\n')}
}`;
}

/**
 * getUserCode of the forward (order 0) or backward (order 1, 2) program.
 * `vec4`: the buffers are read as vec4<f32> (the size is a multiple of 4);
 * SwiftShader pays per invocation and per load, so this halves the time of
 * a cheap body there. Otherwise the program reads scalars. The elements
 * each thread handles: threadWork and mainOf.
 */
export function elementwiseWgsl(def: ElementwiseActivation, variant: string, order: Order, vec4 = false): string {
  const body = negativeZeros(bodyOf(def, variant, order));
  const {finite64, forward4} = shaderBodies(def, 'wgsl', variant);
  const own = negativeZeros(def.wgsl?.helpers ?? '');
  const {per, unrolled} = threadWork(def, variant, order, vec4);
  const head = `${PRIVATES}
${wgslHelpers(body, own, forward4 ?? '')}${own}
fn ta_fn(x: f32) -> f32 {
  ${body}
}${order === 0 ? '' : `\n${mulsign(finite64)}`}`;
  if (vec4 && order === 0 && forward4 !== undefined) {
    return `${head}
fn ta_fn4(x: vec4<f32>) -> vec4<f32> {
  ${negativeZeros(forward4)}
}
${mainOf('result[i] = ta_fn4(X[i]);', per, false, unrolled)}`;
  }
  if (vec4) {
    const f = 'vec4<f32>(ta_fn(x.x), ta_fn(x.y), ta_fn(x.z), ta_fn(x.w))';
    return `${head}
${mainOf(
  `let x = X[i];
    let y = ${order === 0 ? f : `ta_mulsign4(Dy[i], ${f}, x)`};
    result[i] = ${NAN_PASS4};`,
  per,
  false,
  unrolled,
)}`;
  }
  const y = order === 0 ? 'ta_fn(x)' : 'ta_mulsign(Dy[i], ta_fn(x), x)';
  return `${head}
${mainOf(
  `let x = X[i];
    let y = ${y};  // a select, not a branch: NaN's result is discarded
    result[i] = select(y, x, ta_isnan(x));`,
  per,
  true,
  unrolled,
)}`;
}

function elementwiseKernels(def: ElementwiseActivation): KernelConfig[] {
  const codes = new Map<string, {code: string; per: number}>();
  const code = (variant: string, order: Order, vec4: boolean) => {
    const key = `${variant}|${order}|${vec4}`;
    let c = codes.get(key);
    if (c === undefined) {
      c = {code: elementwiseWgsl(def, variant, order, vec4), per: threadWork(def, variant, order, vec4).per};
      codes.set(key, c);
    }
    return c;
  };
  const elementwiseProgram = (variant: string, order: Order, n: number): WebGPUProgram => {
    const vec4 = n % 4 === 0;
    const c = code(variant, order, vec4);
    const p = program(
      `${def.id}_${variant || 'general'}_${order}${vec4 ? '_v4' : ''}`,
      order === 0 ? ['X'] : ['Dy', 'X'],
      [n],
      Math.ceil((vec4 ? n / 4 : n) / c.per),
      EWG,
      UNIFORM_DECL,
      c.code,
    );
    p.size = true;
    if (vec4) {
      // uniforms.size is then n/4 (the backend divides by outputComponent)
      p.outputComponent = 4;
      p.variableComponents = order === 0 ? [4] : [4, 4];
    }
    return p;
  };

  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo;
    const u = attrs!.u as number[];
    if (b.shouldExecuteOnCPU([x])) return onHost(b, def, x, attrs!);
    const n = size(x.shape);
    return run(b, elementwiseProgram(variantOf(def, u), 0, n), [flat(x)], x.shape.slice(), uniformOf(u));
  };

  const backward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo,
      dy = inputs.dy as TensorInfo;
    const u = attrs!.u as number[];
    const order = attrs!.order as number;
    if (order !== 1 && order !== 2) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
    if (b.shouldExecuteOnCPU([x, dy])) return onHostBackward(b, def, x, dy, attrs!);
    const n = size(x.shape);
    return run(b, elementwiseProgram(variantOf(def, u), order, n), [flat(dy), flat(x)], x.shape.slice(), uniformOf(u));
  };

  return [
    {kernelName: kernelName(def), backendName: 'webgpu', kernelFunc: forward},
    {kernelName: gradKernelName(def), backendName: 'webgpu', kernelFunc: backward},
  ];
}

// ---------------------------------------------------------------------------
// Axis activations: the definitions' `webgpu` programs (written with
// webgpu_axis.ts), one workgroup per slice of the [outer, n, inner] view.

function axisKernels(def: AxisActivation): KernelConfig[] {
  const programs = def.webgpu;
  const forward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo;
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    const shape = axisOutputShape(def, x.shape, axes);
    if (b.shouldExecuteOnCPU([x])) return onHost(b, def, x, attrs!);
    if (programs === undefined) throw new Error(`${def.keras}: no webgpu program for this axis activation`);
    return programs.forward(b, flat(x), o, n, i, shape);
  };
  const backward: KernelFunc = ({inputs, backend, attrs}) => {
    const b = backend as WebGPUBackend;
    const x = inputs.x as TensorInfo,
      dy = inputs.dy as TensorInfo;
    const axes = attrs!.axes as number[];
    const {outer: o, n, inner: i} = layoutOf(x.shape, axes);
    if (b.shouldExecuteOnCPU([x, dy])) return onHostBackward(b, def, x, dy, attrs!);
    if (programs === undefined) throw new Error(`${def.keras}: no webgpu program for this axis activation`);
    return programs.backward(b, flat(x), flat(dy), o, n, i, x.shape.slice());
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
