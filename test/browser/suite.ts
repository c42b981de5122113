// In-page checks for the webgl kernels, driven by test/browser/*.test.ts.
// Bundled by the harness (esbuild, test/browser/harness.ts) and loaded by
// page.html after tf.min.js and the package's browser bundle (globals `tf`
// and `tfa`). It shares the float32 helpers, the layouts and the
// definitions' test variants with the Node suites. Everything is exposed on
// window.tfaSuite and returns plain JSON-able results.
import type * as Tfjs from '@tensorflow/tfjs';
import type * as Tfa from '../../src';
import type {
  ActivationDefinition,
  AxisCase as DefinitionAxisCase,
  ElementwiseActivation,
  ScalarFn,
  Variant,
} from '../../src/definition';
import {axesLast, contiguous, layoutOf, resolveAxes, sizeOf} from '../../src/layout';
import {normalizeParams} from '../../src/params';
import {MAX_FLOAT, MIN_NORMAL, MIN_SUBNORMAL, nanAtNaN, stepUlp, ulp as ulpF32} from '../float32';
import {axisCasesOf, constantsFor, kinksOf, variantsOf} from '../variants';
import {throwaway} from '../throwaway';
import {transposeInto} from '../arrays';

declare const tf: typeof Tfjs;
declare const tfa: typeof Tfa;

type Tensor = Tfjs.Tensor;
type Op = (x: Tensor, options?: object) => Tensor;

/** tf.tidy for a result that holds no tensors (plain arrays): intermediates are disposed. */
function tidyValue<T>(fn: () => T): T {
  let result: T | undefined;
  tf.tidy(() => {
    result = fn();
  });
  return result as T;
}

/** The GPU backend under test: webgl, or webgpu with page.html?backend=webgpu. */
const GPU = new URLSearchParams(location.search).get('backend') || 'webgl';
/** Its CPU-forwarding flag (WEBGL_CPU_FORWARD, WEBGPU_CPU_FORWARD). */
const CPU_FORWARD = `${GPU.toUpperCase()}_CPU_FORWARD`;
/** Compiled programs so far (webgl's binary cache, webgpu's pipeline cache). */
function programCount(b: unknown): number {
  const o = b as {pipelineCache: object; binaryCache: object};
  return Object.keys(GPU === 'webgpu' ? o.pipelineCache : o.binaryCache).length;
}

/** The typed op of an activation, by id, from the page's bundle. */
function opOf(id: string): Op {
  return (tfa as unknown as Record<string, Op>)[id];
}

/**
 * Distance in float32 ulps between a float32 result and a float64 truth.
 * NaN matches NaN only; results whose truth and value are both below the
 * smallest normal float32 count as equal (GPUs flush subnormals to zero).
 */
function ulp(r: number, truth: number): number {
  const t = Math.fround(truth);
  if (Number.isFinite(t) && Number.isFinite(r) && Math.abs(t) < MIN_NORMAL && Math.abs(r) < MIN_NORMAL) return 0;
  return ulpF32(r, truth);
}

function defOf(id: string): ActivationDefinition {
  const d = tfa.definitions.find(x => x.id === id);
  if (!d) throw new Error(`no definition ${id}`);
  return d;
}

/**
 * The input set: [−12, 12] every 1/512, log-spaced magnitudes 1e−30..1e30
 * of both signs, ±1 ulp around the kinks, ±0, values near overflow,
 * ±Infinity and NaN.
 */
function inputs(kinks: number[]): Float32Array {
  const v: number[] = [];
  for (let i = -12 * 512; i <= 12 * 512; i++) v.push(i / 512);
  for (let i = 0; i <= 600; i++) {
    const m = Math.pow(10, -30 + (60 * i) / 600);
    v.push(m, -m);
  }
  const points = [
    0,
    0.5,
    1,
    1.5,
    2,
    3,
    6,
    9.1,
    10,
    10.6,
    15,
    17.5,
    20,
    40,
    88.72,
    100,
    103.97,
    170,
    1e18,
    1.8e19,
    0.70710678,
    0.34657359,
    1.2784645,
    0.7517915,
    2.3993573,
    1.1924312,
    1.418504,
    2.2563765,
    1.4905711,
    ...kinks,
  ];
  for (const k of points) {
    for (const s of [1, -1]) {
      const c = Math.fround(s * k);
      v.push(c, stepUlp(c, 1), stepUlp(c, -1));
    }
  }
  v.push(
    0,
    -0,
    MAX_FLOAT,
    -MAX_FLOAT,
    3e38,
    -3e38,
    1e38,
    -1e38,
    Infinity,
    -Infinity,
    NaN,
    MIN_SUBNORMAL,
    -MIN_SUBNORMAL,
    MIN_NORMAL,
    -MIN_NORMAL,
  );
  return Float32Array.from(v);
}

interface Case {
  id: string;
  options: Variant;
  kinks: number[];
}

/** Every elementwise activation × its test variants (the definitions' `test`, without webgl's known issues). */
function elementwiseCases(): Case[] {
  const cases: Case[] = [];
  for (const def of tfa.definitions) {
    if (def.kind !== 'elementwise') continue;
    for (const options of variantsOf(def, 'webgl')) cases.push({id: def.id, options, kinks: kinksOf(def, options)});
  }
  return cases;
}

type Values = [Float32Array, Float32Array, Float32Array | null];

/** Runs forward, order 1 and order 2 of one case on the current backend; returns the values. */
function evaluate(c: Case, xs: Float32Array): Values {
  const def = defOf(c.id);
  const u = constantsFor(def, c.options);
  return tidyValue(() => {
    const x = tf.tensor1d(xs);
    const dy = tf.tensor1d(new Float32Array(xs.length).fill(1)); // values on the CPU, like x
    const fwd = opOf(def.id)(x, c.options);
    const name = tfa.gradKernelName(def);
    const d1 = tf.engine().runKernel(name, {dy, x}, {u, order: 1}) as Tensor;
    const d2 =
      def.kind === 'elementwise' && def.second ? (tf.engine().runKernel(name, {dy, x}, {u, order: 2}) as Tensor) : null;
    const data = (t: Tensor) => (t.dataSync() as Float32Array).slice();
    return [data(fwd), data(d1), d2 ? data(d2) : null] as Values;
  });
}

/** `evaluate` on xs padded (with copies of xs[0]) to a size ≡ `rem` mod 4, the results cut back to xs's length. */
function evaluateSized(c: Case, xs: Float32Array, rem: number): Values {
  const padded = new Float32Array(xs.length + ((rem - (xs.length % 4) + 4) % 4)).fill(xs[0]);
  padded.set(xs);
  const r = evaluate(c, padded);
  return r.map(v => (v === null ? null : v.slice(0, xs.length))) as Values;
}

interface Worst {
  max: number;
  at: {x: number; got: number; want: number} | null;
  flushed: number;
}

/**
 * GPUs treat subnormal inputs as zero (denormals-are-zero): for a subnormal
 * x, f(±0) is accepted as well as f(x).
 */
function compare(values: Float32Array, truthFn: (x: number) => number, xs: Float32Array): Worst {
  let max = 0,
    at: Worst['at'] = null,
    flushed = 0;
  for (let i = 0; i < xs.length; i++) {
    let t = truthFn(xs[i]);
    let e = ulp(values[i], t);
    if (e > 0 && xs[i] !== 0 && Math.abs(xs[i]) < MIN_NORMAL) {
      const t0 = truthFn(xs[i] > 0 ? 0 : -0);
      if (ulp(values[i], t0) < e) {
        t = t0;
        e = ulp(values[i], t0);
      }
    }
    if (Math.abs(Math.fround(t)) < MIN_NORMAL && Math.fround(t) !== 0 && values[i] !== Math.fround(t)) flushed++;
    if (e > max || (e === max && at === null && e > 0)) {
      max = e;
      at = {x: xs[i], got: values[i], want: Math.fround(t)};
    }
  }
  return {max, at, flushed};
}

/**
 * Every elementwise activation × parameter variant: webgl (packed and
 * unpacked programs) against the float64 scalar definitions, and against
 * the cpu backend in the same page.
 */
async function elementwise() {
  const started = performance.now();
  const cases = elementwiseCases();
  const before = tf.memory();
  const webgl: Record<'packed' | 'unpacked', Values[]> = {packed: [], unpacked: []};
  await tf.setBackend(GPU);
  if (GPU === 'webgl') {
    const packDefault = tf.env().getBool('WEBGL_PACK_UNARY_OPERATIONS');
    for (const mode of ['packed', 'unpacked'] as const) {
      tf.env().set('WEBGL_PACK_UNARY_OPERATIONS', mode === 'packed');
      for (const c of cases) webgl[mode].push(evaluate(c, inputs(c.kinks)));
    }
    tf.env().set('WEBGL_PACK_UNARY_OPERATIONS', packDefault);
  } else {
    // webgpu: the vec4 programs (a size that is a multiple of 4) in the first column, the scalar ones in the second
    for (const c of cases) webgl.packed.push(evaluateSized(c, inputs(c.kinks), 0));
    for (const c of cases) webgl.unpacked.push(evaluateSized(c, inputs(c.kinks), 1));
  }
  const afterWebgl = tf.memory();
  await tf.setBackend('cpu');
  const cpu = cases.map(c => evaluate(c, inputs(c.kinks)));
  await tf.setBackend(GPU);
  const out: Array<Record<string, unknown>> = [];
  cases.forEach((c, k) => {
    const def = defOf(c.id) as ElementwiseActivation;
    const u = constantsFor(def, c.options);
    const xs = inputs(c.kinks);
    const nan = (f: ScalarFn, order: number) => (v: number) => (v === v || !nanAtNaN(def, order) ? f(v, u) : v);
    const truths = [nan(def.forward, 0), nan(def.derivative, 1), def.second ? nan(def.second, 2) : null];
    const row: Record<string, unknown> = {id: c.id, options: c.options, n: xs.length};
    (['forward', 'd1', 'd2'] as const).forEach((what, o) => {
      const truth = truths[o];
      if (truth === null) return;
      const w = webgl.packed[k][o]!,
        wu = webgl.unpacked[k][o]!,
        cp = cpu[k][o]!;
      let packedVsUnpacked = 0,
        cpuVsTruth = 0,
        vsCpu = 0;
      for (let i = 0; i < xs.length; i++) {
        packedVsUnpacked = Math.max(packedVsUnpacked, ulp(w[i], wu[i]));
        cpuVsTruth = Math.max(cpuVsTruth, ulp(cp[i], truth(xs[i])));
        let e = ulp(w[i], cp[i]);
        if (e > 0 && xs[i] !== 0 && Math.abs(xs[i]) < MIN_NORMAL) {
          e = Math.min(e, ulp(w[i], truth(xs[i] > 0 ? 0 : -0)));
        }
        vsCpu = Math.max(vsCpu, e);
      }
      row[what] = {
        truth: compare(w, truth, xs),
        unpacked: compare(wu, truth, xs).max,
        vsCpu,
        packedVsUnpacked,
        cpuVsTruth,
      };
    });
    out.push(row);
  });
  return {
    rows: out,
    ms: performance.now() - started,
    tensors: [before.numTensors, afterWebgl.numTensors, tf.memory().numTensors],
  };
}

/** Small inputs forwarded to the CPU (WEBGL_CPU_FORWARD) agree exactly with the cpu backend. */
async function cpuForwarding() {
  await tf.setBackend(GPU);
  const xs = Float32Array.from([-3, -1.5, -0.5, -0, 0, 0.25, 1, 2.5, NaN, Infinity, -Infinity]);
  const cases = elementwiseCases();
  tf.env().set(CPU_FORWARD, true);
  const gl = cases.map(c => evaluate(c, xs));
  await tf.setBackend('cpu');
  const cpu = cases.map(c => evaluate(c, xs));
  await tf.setBackend(GPU);
  const mismatches: unknown[] = [];
  cases.forEach((c, k) => {
    for (let o = 0; o < 3; o++) {
      const g = gl[k][o],
        cp = cpu[k][o];
      if (g === null || cp === null) continue;
      for (let i = 0; i < xs.length; i++) {
        if (!Object.is(g[i], cp[i]) && ulp(g[i], cp[i]) !== 0) {
          mismatches.push({id: c.id, options: c.options, order: o, x: xs[i], gl: g[i], cpu: cp[i]});
        }
      }
    }
  });
  return {mismatches};
}

/** What the suite touches of the webgl backend object. */
interface WebglBackend {
  readSync(...a: unknown[]): unknown;
  read(...a: unknown[]): unknown;
  binaryCache: Record<string, unknown>;
  gpgpu: {gl: WebGL2RenderingContext};
}

/**
 * GPU programs only: with CPU forwarding off, counts the reads of tensor
 * data back to the CPU (backend.readSync / read) and the shader programs
 * compiled, while the ops run (their results are read afterwards). Each
 * call runs twice with different parameter values on the same shape: the
 * second must compile nothing (parameters are uniforms).
 */
async function gpuOnly() {
  await tf.setBackend(GPU);
  const backend = tf.backend() as unknown as WebglBackend;
  const forward = tf.env().getBool(CPU_FORWARD);
  tf.env().set(CPU_FORWARD, false);
  const reads = {count: 0};
  const {readSync, read} = backend;
  backend.readSync = function (this: WebglBackend, ...a: unknown[]) {
    reads.count++;
    return readSync.apply(this, a);
  };
  backend.read = function (this: WebglBackend, ...a: unknown[]) {
    reads.count++;
    return read.apply(this, a);
  };
  const programs = () => programCount(backend);
  const rows: Array<{id: string; reads: number; compiled: number[]}> = [];
  try {
    const x4 = tf.tidy(() => tf.randomNormal([8, 6, 5, 4], 0, 3, 'float32', 7));
    const x1 = tf.tidy(() => tf.randomNormal([4096], 0, 3, 'float32', 8));
    const calls: Array<[string, Tensor, object[]]> = [
      ['squareplus', x1, [{b: 4}, {b: 0.5}]],
      ['softShrink', x1, [{threshold: 0.5}, {threshold: 2}]],
      [
        'relu',
        x1,
        [
          {negativeSlope: 0.1, maxValue: 6, threshold: 0},
          {negativeSlope: 0.3, maxValue: 2, threshold: 1},
        ],
      ],
      ['celu', x1, [{alpha: 1}, {alpha: 2.5}]],
      ['gelu', x1, [{approximate: false}, {approximate: false}]],
      ['softmax', x4, [{axis: 1}, {axis: 1}]],
      ['logSoftmax', x4, [{axis: [1, 2]}, {axis: [1, 2]}]],
      ['glu', x4, [{axis: -1}, {axis: -1}]],
      ['sparsemax', x4, [{axis: 2}, {axis: 2}]],
    ];
    for (const [id, x, variants] of calls) {
      const compiled: number[] = [];
      let readsDuring = 0;
      for (const options of variants) {
        const p0 = programs(),
          r0 = reads.count;
        const out = tf.tidy(() => {
          const f = (t: Tensor) => opOf(id)(t, options);
          const y = f(x);
          const dx = tf.grad(t => tf.sum(tf.mul(f(t), tf.onesLike(f(t)))))(x);
          return [y, dx];
        });
        readsDuring += reads.count - r0;
        compiled.push(programs() - p0);
        out.forEach(t => t.dispose());
      }
      rows.push({id, reads: readsDuring, compiled});
    }
    x4.dispose();
    x1.dispose();
  } finally {
    backend.readSync = readSync;
    backend.read = read;
    tf.env().set(CPU_FORWARD, forward);
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Axis activations

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function randomValues(count: number, seed: number, scale = 3): Float32Array {
  const r = seeded(seed);
  const v = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const a = r(),
      b = r();
    v[i] = scale * Math.sqrt(-2 * Math.log(a + 1e-12)) * Math.cos(2 * Math.PI * b);
  }
  return v;
}

interface AxisCase extends Omit<DefinitionAxisCase, 'shape'> {
  id: string;
  shape: number[];
}

/** Every axis activation's cases (the definitions' `test.axisCases`). */
const AXIS_CASES: AxisCase[] = tfa.definitions.flatMap(d =>
  axisCasesOf(d).map(c => ({...c, shape: [...c.shape], id: d.id})),
);

interface AxisValues {
  x: number[];
  y: number[];
  g: number[];
  h: number[];
  shape: number[];
}

/** Forward, gradient of Σ w·f(x), and the second-order term, on the current backend. */
function axisEvaluate(c: AxisCase, k: number): AxisValues {
  const def = defOf(c.id);
  const count = sizeOf(c.shape);
  const xv = randomValues(count, 1000 + k, c.scale || 3);
  if (c.ties) for (let i = 0; i < count; i += 7) xv[i] = xv[i + 3 < count ? i + 3 : i];
  if (c.id !== 'glu') xv[5] = NaN; // one slice with a NaN
  const op = opOf(def.id);
  return tidyValue(() => {
    const x = tf.tensor(xv, c.shape);
    const y = op(x, c.options);
    const w = tf.tensor(randomValues(y.size, 2000 + k, 1), y.shape);
    const xClean = tf.where(tf.isNaN(x), tf.zerosLike(x), x);
    const f = (t: Tensor) => tf.sum(tf.mul(op(t, c.options), w));
    const g = tf.grad(f)(xClean);
    // second order: d/dx of Σ v·∇f(x)
    const v = tf.tensor(randomValues(count, 3000 + k, 1), c.shape);
    const h = c.id === 'sparsemax' ? tf.zerosLike(x) : tf.grad(t => tf.sum(tf.mul(tf.grad(f)(t), v)))(xClean);
    return {
      x: Array.from(xv),
      y: Array.from(y.dataSync()),
      g: Array.from(g.dataSync()),
      h: Array.from(h.dataSync()),
      shape: y.shape,
    };
  });
}

function errors(a: ArrayLike<number>, b: ArrayLike<number>) {
  let maxUlp = 0,
    maxAbs = 0,
    scale = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    const e = ulp(a[i], b[i]);
    maxUlp = Math.max(maxUlp, e);
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) {
      maxAbs = Infinity;
      continue;
    }
    if (Number.isNaN(a[i])) continue;
    maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
  }
  const maxRel = scale > 0 ? maxAbs / scale : maxAbs;
  return {maxUlp, maxAbs, maxRel};
}

/** Transposes a row-major array of `shape` by `perm`. */
function transposeArray(values: ArrayLike<number>, shape: number[], perm: number[]): number[] {
  return transposeInto(values, shape, perm, new Array<number>(values.length));
}

/** softmax, log_softmax, glu, sparsemax: webgl against the cpu backend, forward and gradients. */
async function axis({cpuForward = false} = {}) {
  const started = performance.now();
  await tf.setBackend(GPU);
  tf.env().set(CPU_FORWARD, cpuForward);
  const before = tf.memory();
  const gl = AXIS_CASES.map(axisEvaluate);
  const mid = tf.memory();
  tf.env().set(CPU_FORWARD, true);
  await tf.setBackend('cpu');
  const cpu = AXIS_CASES.map(axisEvaluate);
  await tf.setBackend(GPU);
  const rows = AXIS_CASES.map((c, k) => {
    const def = defOf(c.id);
    if (def.kind !== 'axis') throw new Error(`${c.id} is not an axis activation`);
    // float64 reference from the definition's own cpu loops, with the axes moved last when they are not contiguous
    const axes = resolveAxes(def, normalizeParams(def, c.options), c.shape.length);
    const moved = contiguous(axes) ? null : axesLast(c.shape.length, axes);
    const shape = moved ? moved.perm.map(p => c.shape[p]) : c.shape;
    const {outer, n, inner} = layoutOf(shape, moved ? moved.last : axes);
    const xs = Float32Array.from(moved ? transposeArray(gl[k].x, c.shape, moved.perm) : gl[k].x);
    const ref = new Float32Array(def.halvesAxis ? xs.length / 2 : xs.length);
    def.cpu.forward(xs, ref, outer, n, inner);
    const refY = moved ? transposeArray(ref, shape, moved.inverse) : Array.from(ref);
    return {
      id: c.id,
      shape: c.shape,
      options: c.options,
      outShape: gl[k].shape,
      forwardVsRef: errors(gl[k].y, refY),
      forward: errors(gl[k].y, cpu[k].y),
      grad: errors(gl[k].g, cpu[k].g),
      second: errors(gl[k].h, cpu[k].h),
    };
  });
  return {rows, ms: performance.now() - started, tensors: [before.numTensors, mid.numTensors, tf.memory().numTensors]};
}

/**
 * Inputs whose texture is shared with an offset (a contiguous slice) or
 * packed (a matMul output): every activation agrees with the cpu backend.
 */
async function inputLayouts() {
  await tf.setBackend(GPU);
  const forward = tf.env().getBool(CPU_FORWARD);
  tf.env().set(CPU_FORWARD, false);
  const ops = ['softmax', 'logSoftmax', 'sparsemax', 'glu', 'mish', 'gelu', 'squareplus'];
  type Run = {x: number[]; shape: number[]; y: Record<string, number[]>};
  const gl = tidyValue(() => {
    const big = tf.add(tf.tensor2d(randomValues(40 * 30, 77, 3), [40, 30]), 0);
    const inputs: Record<string, Tensor> = {
      slice: tf.slice(big, [5, 0], [10, 30]),
      packed: tf.matMul(tf.slice(big, [0, 0], [30, 30]) as Tfjs.Tensor2D, tf.eye(30)),
    };
    const r: Record<string, Run> = {};
    for (const [name, t] of Object.entries(inputs)) {
      r[name] = {x: Array.from(t.dataSync()), shape: t.shape, y: {}};
      for (const op of ops) r[name].y[op] = Array.from(opOf(op)(t).dataSync());
    }
    return r;
  });
  tf.env().set(CPU_FORWARD, forward);
  await tf.setBackend('cpu');
  const out: Array<{input: string; op: string; rel: number}> = [];
  for (const [name, {x, shape, y}] of Object.entries(gl)) {
    tidyValue(() => {
      const t = tf.tensor(x, shape);
      for (const op of ops) {
        const c = opOf(op)(t).dataSync();
        let rel = 0,
          scale = 0;
        c.forEach(v => {
          scale = Math.max(scale, Math.abs(v));
        });
        c.forEach((v, i) => {
          rel = Math.max(rel, Math.abs(v - y[op][i]) / scale);
        });
        out.push({input: name, op, rel});
      }
    });
  }
  await tf.setBackend(GPU);
  return out;
}

// ---------------------------------------------------------------------------
// Training and save/load

const FIT_ACTIVATIONS = ['squareplus', 'mish', 'celu', 'softShrink', 'hardSilu', 'gelu', 'logSigmoid'];

function buildModel(seed: number): Tfjs.Sequential {
  type Act = Parameters<typeof tf.layers.dense>[0]['activation'];
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 16,
      inputShape: [8],
      activation: FIT_ACTIVATIONS[0] as Act,
      kernelInitializer: tf.initializers.glorotUniform({seed}),
    }),
  );
  FIT_ACTIVATIONS.slice(1).forEach((a, k) => {
    model.add(
      tf.layers.dense({
        units: 16,
        activation: a as Act,
        kernelInitializer: tf.initializers.glorotUniform({seed: seed + k + 1}),
      }),
    );
  });
  model.add(tf.layers.dense({units: 4, kernelInitializer: tf.initializers.glorotUniform({seed: seed + 99})}));
  model.add(tfa.layers.softmax({axis: -1}) as unknown as Tfjs.layers.Layer);
  return model;
}

/** One model.fit epoch on webgl and on cpu from the same weights: losses and weights agree. */
async function fit() {
  const started = performance.now();
  const result: Record<string, {loss: number[]; moved: number; weights: number[][]}> = {};
  for (const backend of [GPU, 'cpu']) {
    await tf.setBackend(backend);
    const model = buildModel(7);
    model.compile({optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy'});
    const xs = tf.tensor2d(randomValues(64 * 8, 11, 1), [64, 8]);
    const labels = tf.tidy(() =>
      tf.oneHot(
        tf.tensor1d(
          Array.from({length: 64}, (_, i) => i % 4),
          'int32',
        ),
        4,
      ),
    );
    const before = model.getWeights().map(w => w.dataSync().slice());
    const h = await model.fit(xs, labels, {epochs: 2, batchSize: 32, shuffle: false, verbose: 0});
    const after = model.getWeights().map(w => w.dataSync().slice());
    let moved = 0;
    before.forEach((b, k) =>
      b.forEach((v, i) => {
        moved = Math.max(moved, Math.abs(after[k][i] - v));
      }),
    );
    result[backend] = {loss: h.history.loss as number[], moved, weights: after.map(a => Array.from(a))};
    xs.dispose();
    labels.dispose();
    model.optimizer.dispose();
    model.dispose();
  }
  await tf.setBackend(GPU);
  let maxRel = 0;
  // `webgl` in the result is the GPU backend under test
  if (GPU !== 'webgl') result.webgl = result[GPU];
  result.webgl.weights.forEach((w, k) =>
    w.forEach((v, i) => {
      const c = result.cpu.weights[k][i];
      maxRel = Math.max(maxRel, Math.abs(v - c) / Math.max(1e-3, Math.abs(c)));
    }),
  );
  return {
    webgl: {loss: result.webgl.loss, moved: result.webgl.moved},
    cpu: {loss: result.cpu.loss, moved: result.cpu.moved},
    weightsMaxRel: maxRel,
    ms: performance.now() - started,
  };
}

/** Save to indexeddb:// and load back on webgl: predictions are bit-identical. */
async function saveLoad() {
  await tf.setBackend(GPU);
  const model = buildModel(21);
  const x = tf.tensor2d(randomValues(32 * 8, 5, 2), [32, 8]);
  const p1 = model.predict(x) as Tensor;
  const a = p1.dataSync().slice();
  await model.save('indexeddb://tfa-webgl-test');
  const loaded = await tf.loadLayersModel('indexeddb://tfa-webgl-test');
  const p2 = loaded.predict(x) as Tensor;
  const b = p2.dataSync().slice();
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
  const activations = loaded.layers.map(l => l.getConfig().activation || l.getClassName());
  [p1, p2, x].forEach(t => t.dispose());
  model.dispose();
  loaded.dispose();
  await tf.io.removeModel('indexeddb://tfa-webgl-test');
  return {n: a.length, differ, activations};
}

// ---------------------------------------------------------------------------
// Keras golden fixtures (test/fixtures/*.json.gz): decoded in Node, run here.

/** Float32 arrays cross the Playwright boundary as base64 (element-wise serialisation is slow). */
function fromBase64(s: string): Float32Array {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
function toBase64(a: ArrayLike<number>): string {
  const bytes = new Uint8Array(Float32Array.from(a).buffer);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

interface FixtureCall {
  activation: string;
  cases: Array<{params: object; shape: number[]; yShape: number[]; x: string; dy: string}>;
}

/**
 * Runs the cases of one fixture file on webgl (GPU programs: CPU
 * forwarding off): forward output and dx = ∂Σ(dy·f(x))/∂x through tf.grad.
 * x, dy and the results are base64 float32; `leaked` counts the tensors
 * left behind by the whole call.
 */
async function fixture({activation, cases}: FixtureCall) {
  await tf.setBackend(GPU);
  const forward = tf.env().getBool(CPU_FORWARD);
  tf.env().set(CPU_FORWARD, false);
  try {
    const def = tfa.lookup(activation);
    const before = tf.memory().numTensors;
    const outs = cases.map(c =>
      tidyValue(() => {
        // Elementwise cases are padded to one length, so that every case reuses the same
        // compiled programs (tfjs compiles per shape); padding does not change any element.
        const cx = fromBase64(c.x),
          cdy = fromBase64(c.dy);
        const len = cx.length;
        const pad = def.kind === 'elementwise' && len <= 4096 ? 4096 : len;
        const xs = new Float32Array(pad),
          dys = new Float32Array(pad === len ? cdy.length : pad);
        xs.set(cx);
        dys.set(cdy);
        const shape = pad === len ? c.shape : [pad],
          yShape = pad === len ? c.yShape : [pad];
        const x = tf.tensor(xs, shape);
        const dy = tf.tensor(dys, yShape);
        const f = (t: Tensor) => opOf(def.id)(t, c.params);
        const y = f(x);
        const dx = tf.grad(t => tf.sum(tf.mul(f(t), dy)))(x);
        return {y: toBase64(y.dataSync().slice(0, cdy.length)), dx: toBase64(dx.dataSync().slice(0, len))};
      }),
    );
    const leaked = tf.memory().numTensors - before;
    return outs.map(o => ({...o, leaked}));
  } finally {
    tf.env().set(CPU_FORWARD, forward);
  }
}

/**
 * A definition registered at run time in the page (test/throwaway.ts):
 * found by its names, its webgl kernels compile and run GPU programs (CPU
 * forwarding off) and agree with the cpu backend, and its string id works
 * as a layer activation on webgl.
 */
async function registration() {
  const op = tfa.registerActivation(throwaway) as unknown as Op;
  await tf.setBackend(GPU);
  const backend = tf.backend() as unknown as WebglBackend;
  const forwarding = tf.env().getBool(CPU_FORWARD);
  const xs = Float32Array.from([-3, -0.5, 0, 0.25, 1.5, 7, 1e3, -1e-3]);
  const run = () =>
    tidyValue(() => {
      const x = tf.tensor1d(xs);
      const y = op(x, {c: 0.25});
      const g = tf.grad((t: Tensor) => op(t))(x);
      const gg = tf.grad((t: Tensor) => tf.grad((v: Tensor) => op(v, {c: -2}))(t))(x);
      return [y, g, gg].map(t => Array.from(t.dataSync()));
    });
  const programs0 = programCount(backend);
  tf.env().set(CPU_FORWARD, false);
  let gl: number[][];
  try {
    gl = run();
  } finally {
    tf.env().set(CPU_FORWARD, forwarding);
  }
  const compiled = programCount(backend) - programs0;
  await tf.setBackend('cpu');
  const cpu = run();
  await tf.setBackend(GPU);
  const worst = gl.map((v, k) => Math.max(...v.map((a, i) => ulp(a, cpu[k][i]))));
  const layer = tidyValue(() => {
    const x = tf.tensor2d([[0.5, -1, 2]]);
    const y = tf.layers.activation({activation: 'throwaway_bend' as 'relu'}).apply(x) as Tensor;
    return {
      config: tf.layers.activation({activation: 'throwaway_bend' as 'relu'}).getConfig().activation,
      same: Array.from(y.dataSync()).every((v, i) => Object.is(v, op(x).dataSync()[i])),
    };
  });
  return {
    names: ['throwawayParabola', 'throwaway_parabola', 'throwaway_bend'].map(n => tfa.lookup(n).id),
    listed: tfa.definitions.includes(tfa.lookup('throwawayParabola')),
    compiled,
    worst,
    budget: throwaway.budget!.webgl!,
    layer,
    backend: tf.getBackend(),
  };
}

function info() {
  if (GPU === 'webgpu') {
    const a = (tf.backend() as unknown as {adapterInfo?: unknown}).adapterInfo;
    return {
      backend: tf.getBackend(),
      adapter: a ? JSON.stringify(a) : '',
      activations: tfa.definitions.length,
      webglVersion: 0,
      float32: true,
      renderer: '',
      packUnary: false,
    };
  }
  const gl = (tf.backend() as unknown as WebglBackend).gpgpu.gl;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    backend: tf.getBackend(),
    webglVersion: tf.env().getNumber('WEBGL_VERSION'),
    float32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
    renderer: String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
    packUnary: tf.env().getBool('WEBGL_PACK_UNARY_OPERATIONS'),
    activations: tfa.definitions.length,
  };
}

function memory() {
  const b = tf.backend() as unknown as {commandEncoder?: unknown; submitQueue(): void};
  if (GPU === 'webgpu' && tf.getBackend() === 'webgpu' && b.commandEncoder) {
    // webgpu releases tensors disposed while queued work still used them when it submits the queue
    b.submitQueue();
  }
  const m = tf.memory() as Tfjs.MemoryInfo & {numBytesInGPU?: number};
  return {numTensors: m.numTensors, numBytes: m.numBytes, numBytesInGPU: m.numBytesInGPU};
}

/**
 * Shader variants (which parameters are in use): each call runs twice with
 * other values of the same parameters; the second must compile nothing.
 * Also returns the webgpu pipeline keys of relu and gelu (a shaderKey per
 * variant) and, on webgl, whether a cached program holds the plain relu body.
 */
async function variants() {
  await tf.setBackend(GPU);
  const backend = tf.backend() as unknown as {pipelineCache: object; binaryCache: object};
  const forward = tf.env().getBool(CPU_FORWARD);
  tf.env().set(CPU_FORWARD, false);
  const x = tf.tidy(() => tf.randomNormal([3000], 0, 3, 'float32', 9));
  const calls: Array<[string, object[]]> = [
    ['relu', [{}, {}]],
    ['relu', [{negativeSlope: 0.1}, {negativeSlope: 0.3}]],
    ['relu', [{maxValue: 6}, {maxValue: 2.5}]],
    ['relu', [{threshold: 0.5}, {threshold: -1, negativeSlope: 0.2, maxValue: 3}]],
    ['gelu', [{approximate: false}, {}]],
    ['gelu', [{approximate: true}, {approximate: true}]],
  ];
  const rows: Array<{id: string; options: object[]; compiled: number[]}> = [];
  try {
    for (const [id, options] of calls) {
      const compiled: number[] = [];
      for (const o of options) {
        const p0 = programCount(backend);
        tf.tidy(() => {
          opOf(id)(x, o);
          tf.grad(t => opOf(id)(t, o))(x);
        });
        compiled.push(programCount(backend) - p0);
      }
      rows.push({id, options, compiled});
    }
  } finally {
    tf.env().set(CPU_FORWARD, forward);
    x.dispose();
  }
  const keys =
    GPU === 'webgpu'
      ? Object.keys(backend.pipelineCache)
          .filter(k => /^tfa_(relu|gelu)_/.test(k))
          .map(k => k.split('_').slice(0, 4).join('_'))
      : [];
  const plainRelu =
    GPU === 'webgl' ? Object.keys(backend.binaryCache).some(k => k.includes('return x > 0.0 ? x : 0.0;')) : null;
  return {rows, keys: [...new Set(keys)].sort(), plainRelu};
}

/** Programs compiled so far by the GPU backend under test: all, and this package's own. */
function programs() {
  const b = tf.backend() as unknown as {pipelineCache: object; binaryCache: object};
  const keys = Object.keys(GPU === 'webgpu' ? b.pipelineCache : b.binaryCache);
  return {
    total: keys.length,
    ours: keys.filter(k => (GPU === 'webgpu' ? k.startsWith('tfa_') : k.includes('ta_isnan'))).length,
  };
}

(window as unknown as {tfaSuite: object}).tfaSuite = {
  info,
  memory,
  programs,
  variants,
  elementwise,
  cpuForwarding,
  gpuOnly,
  axis,
  inputLayouts,
  fit,
  saveLoad,
  fixture,
  registration,
};
