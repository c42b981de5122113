/**
 * Property tests (fast-check): random activations, parameters, shapes
 * (rank 0–6, empty dimensions), axes and values (±0, subnormals, ±inf, NaN,
 * huge, rows offset by 1e4 … 3e38 and −3e38), forward and gradient, on
 * every backend, against the float64 reference (test/robust/reference.ts)
 * and against the cpu backend. Seeded; TFA_PROPERTY_RUNS sets the number of
 * runs (default 60 per backend), TFA_PROPERTY_SEED the seed. A failure
 * prints the shrunk counterexample; TFA_TRACE=1 writes each case to stderr
 * before it runs (for a case that crashes the process).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import {writeSync} from 'node:fs';
import * as tfa from '../../src';
import type {ActivationDefinition, ParamSpec, Params} from '../../src/definition';
import {normalizeParams} from '../../src/params';
import {resolveAxes} from '../../src/apply';
import {truthError} from '../parity/core';
import {MIN_NORMAL} from '../helpers';
import {reference} from './reference';

const RUNS = Number(process.env.TFA_PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.TFA_PROPERTY_SEED ?? 20261204);

interface Case {
  id: string;
  options: Record<string, unknown>;
  shape: number[];
  x: number[];
  dy: number[];
}
interface Out {
  y: Float32Array;
  dx: Float32Array;
}

const F32_MAX = 3.4028234663852886e38;
const SPECIALS = [
  0,
  -0,
  1.4e-45,
  -1.4e-45,
  1e-40,
  -1e-40,
  MIN_NORMAL,
  -MIN_NORMAL,
  Infinity,
  -Infinity,
  NaN,
  F32_MAX,
  -F32_MAX,
  3e38,
  -3e38,
  1e16,
  -1e16,
  1,
  -1,
  0.5,
  20,
  -20,
  88,
  -88,
  1e-8,
];
const OFFSETS = [0, 0, 0, 1e4, -1e4, 1e8, 2 ** 34, 1e16, 2 ** 50, 1e30, 3e38, -3e38];
const PARAM_VALUES = [0, 0.5, 1, 2, 3, 1e-3, 10, -1, -0.5, 1.2e-38, 6];

function paramArb(spec: ParamSpec, rank: number): fc.Arbitrary<unknown> {
  const nums = PARAM_VALUES.filter(v => spec.check?.(v) === undefined);
  switch (spec.kind) {
    case 'number':
      return fc.constantFrom(...nums);
    case 'optionalNumber':
      return fc.oneof(fc.constant(null), fc.constantFrom(...nums));
    case 'boolean':
      return fc.boolean();
    case 'axis':
      return fc.integer({min: -rank, max: rank - 1});
    case 'axes':
      return fc.oneof(
        fc.constant(null),
        fc.integer({min: -rank, max: rank - 1}),
        fc.subarray([...Array(rank).keys()], {minLength: 1}),
      );
  }
}

const valueArb = (offset: number) =>
  fc.oneof(
    {weight: 3, arbitrary: fc.float()},
    {weight: 2, arbitrary: fc.constantFrom(...SPECIALS)},
    {weight: 3, arbitrary: fc.float({min: -8, max: 8, noNaN: true}).map(v => Math.fround(offset + v))},
    {weight: 2, arbitrary: fc.integer({min: -3, max: 3}).map(k => Math.fround(offset + k * ulpOf(offset)))},
  );

function ulpOf(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (a === 0) return 1.4e-45;
  const e = Math.floor(Math.log2(a));
  return 2 ** Math.max(e - 23, -149);
}

function caseArb(defs: readonly ActivationDefinition[]): fc.Arbitrary<Case> {
  return fc.constantFrom(...defs).chain(def => {
    const minRank = def.kind === 'axis' ? 1 : 0;
    return fc
      .array(fc.integer({min: 0, max: 4}), {minLength: minRank, maxLength: 6})
      .filter(s => s.reduce((p, q) => p * q, 1) <= 96)
      .chain(shape0 => {
        const rank = shape0.length;
        const params = fc.record(Object.fromEntries(def.params.map(p => [p.name, paramArb(p, rank)])));
        return params.chain(options => {
          const shape = [...shape0];
          if (def.kind === 'axis' && def.halvesAxis) {
            const a = ((options.axis as number) + rank) % rank;
            if (shape[a] % 2 === 1) shape[a] += 1;
          }
          const size = shape.reduce((p, q) => p * q, 1);
          return fc.constantFrom(...OFFSETS).chain(offset =>
            fc.record({
              id: fc.constant(def.id),
              options: fc.constant(options),
              shape: fc.constant(shape),
              x: fc.array(valueArb(offset), {minLength: size, maxLength: size}),
              dy: fc.array(fc.float({min: -2, max: 2, noNaN: true}), {minLength: size, maxLength: size}),
            }),
          );
        });
      });
  });
}

function yShapeOf(def: ActivationDefinition, params: Params, shape: number[]): number[] {
  if (def.kind !== 'axis' || !def.halvesAxis) return shape;
  const [a] = resolveAxes(def, params, shape.length);
  return shape.map((s, i) => (i === a ? s / 2 : s));
}

function runHere(c: Case): Out {
  const def = tfa.lookup(c.id);
  const params = normalizeParams(def, c.options);
  const yShape = yShapeOf(def, params, c.shape);
  const op = (tfa as unknown as Record<string, (t: tf.Tensor, o: object) => tf.Tensor>)[def.id];
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const x = tf.tensor(Float32Array.from(c.x), c.shape, 'float32');
    const dy = tf.tensor(
      Float32Array.from(c.dy).subarray(
        0,
        yShape.reduce((p, q) => p * q, 1),
      ),
      yShape,
      'float32',
    );
    const f = (t: tf.Tensor) => op(t, c.options);
    return {y: f(x).dataSync() as Float32Array, dx: tf.grad(f)(x, dy).dataSync() as Float32Array};
  });
  if (tf.memory().numTensors !== before) throw new Error(`${c.id}: ${tf.memory().numTensors - before} tensors leaked`);
  return out;
}

function isSubnormal(v: number): boolean {
  return v !== 0 && Math.abs(v) < MIN_NORMAL;
}

interface Budget {
  forward: number;
  backward: number;
  axisGradRel: number;
  daz: boolean;
  /**
   * Check that zero results have cpu's sign. Not on the GPUs, whose float32 shader arithmetic may drop the sign
   * of an underflowed product: test/robust/signs.test.ts checks them (elementwise, with the listed exceptions).
   */
  gpu?: boolean;
}

/** Problems with one backend's output on a case, or [] (checked against the reference and against cpu). */
function check(c: Case, out: Out, cpu: Out | undefined, budget: Budget): string[] {
  const def = tfa.lookup(c.id);
  const params = normalizeParams(def, c.options);
  const x = Float32Array.from(c.x);
  const yShape = yShapeOf(def, params, c.shape);
  const dy = Float32Array.from(c.dy).subarray(
    0,
    yShape.reduce((p, q) => p * q, 1),
  );
  const axes = def.kind === 'axis' ? resolveAxes(def, params, c.shape.length) : [];
  const ref = reference(def, params, c.shape, x, dy, axes);
  // a backend that reads subnormal inputs as ±0 may answer for ±0 instead
  const flush = (a: Float32Array) => a.map(v => (isSubnormal(v) ? (v < 0 ? -0 : 0) : v));
  const flushed =
    budget.daz && (x.some(isSubnormal) || dy.some(isSubnormal))
      ? reference(def, params, c.shape, flush(x), flush(dy), axes)
      : undefined;
  const sub = (i: number) => flushed !== undefined && (isSubnormal(x[i]) || isSubnormal(dy[i]) || def.kind === 'axis');
  const problems: string[] = [];
  const axisScale = def.kind === 'axis' ? Math.max(0, ...Array.from(ref.dx).filter(Number.isFinite).map(Math.abs)) : 0;
  const show = (i: number) => (def.kind === 'elementwise' ? `x=${x[i]}` : `index ${i}`);
  // on a flushing backend, a result within the budget of 2^−126 may have been subnormal on the way: 0 is its flush;
  // for dy·f′, f′ itself may have been (dy·f′ up to |dy|·2^−126: sigmoid′(88) ≈ 6e−39 times dy = −1.94)
  const flushedToZero = (got: number, want: number, ulps: number, scale = 1) =>
    budget.daz && got === 0 && Math.abs(want) <= MIN_NORMAL * Math.max(1, scale) * (1 + ulps * 2 ** -23);
  for (let i = 0; i < out.y.length; i++) {
    let e = flushedToZero(out.y[i], ref.y[i], budget.forward) ? 0 : truthError(out.y[i], ref.y[i]);
    if (flushed) e = Math.min(e, truthError(out.y[i], flushed.y[i]));
    if (e > budget.forward) problems.push(`y at ${show(i)}: got ${out.y[i]}, want ${ref.y[i]} (${e} ULP)`);
  }
  for (let i = 0; i < out.dx.length; i++) {
    const dyScale = def.kind === 'elementwise' ? Math.abs(dy[i]) : 1;
    let e = flushedToZero(out.dx[i], ref.dx[i], budget.backward, dyScale) ? 0 : truthError(out.dx[i], ref.dx[i]);
    if (flushed) e = Math.min(e, truthError(out.dx[i], flushed.dx[i]));
    const near =
      Number.isFinite(ref.dx[i]) && Math.abs(out.dx[i] - ref.dx[i]) <= budget.axisGradRel * axisScale + MIN_NORMAL;
    if (e > budget.backward && !(def.kind === 'axis' && near)) {
      problems.push(`dx at ${show(i)}: got ${out.dx[i]}, want ${ref.dx[i]} (${e} ULP)`);
    }
  }
  if (cpu) {
    // the same NaNs and infinities as cpu (values are checked against the reference above)
    const same = (a: number, b: number) =>
      Number.isNaN(a) === Number.isNaN(b) &&
      (Number.isFinite(a) || Number.isNaN(a) ? Number.isFinite(b) || Number.isNaN(b) : a === b);
    // and a zero result has cpu's sign (docs/non-finite.md; a flushed subnormal result may have either on DAZ backends)
    const zeroSign = (a: number, b: number) =>
      budget.gpu === true ||
      !(a === 0 || b === 0) ||
      Object.is(a, b) ||
      (budget.daz && (isSubnormal(a) || isSubnormal(b)));
    for (let i = 0; i < out.y.length; i++) {
      if (!same(out.y[i], cpu.y[i]) && !sub(i)) problems.push(`y at ${show(i)}: ${out.y[i]} but cpu ${cpu.y[i]}`);
      else if (!zeroSign(out.y[i], cpu.y[i]) && !sub(i))
        problems.push(
          `y at ${show(i)}: ${Object.is(out.y[i], -0) ? '-0' : out.y[i]} but cpu ${Object.is(cpu.y[i], -0) ? '-0' : cpu.y[i]}`,
        );
    }
    for (let i = 0; i < out.dx.length; i++) {
      if (!same(out.dx[i], cpu.dx[i]) && !sub(i)) problems.push(`dx at ${show(i)}: ${out.dx[i]} but cpu ${cpu.dx[i]}`);
    }
  }
  return problems.slice(0, 6);
}

function describeCase(c: Case): string {
  return `${c.id}(${JSON.stringify(c.options)}) shape [${c.shape}] x=[${c.x.map(v => (Object.is(v, -0) ? '-0' : String(v))).join(', ')}]`;
}

/** Runs the property for one backend; cpu outputs come from the same process. */
async function property(
  name: string,
  run: (c: Case) => Promise<Out>,
  budget: Budget,
): Promise<{runs: number; elements: number}> {
  let elements = 0;
  await fc.assert(
    fc.asyncProperty(caseArb(tfa.definitions), async c => {
      if (process.env.TFA_TRACE) writeSync(2, `${describeCase(c)} dy=${JSON.stringify(c.dy)}\n`);
      const out = await run(c);
      let cpu: Out | undefined;
      if (name !== 'cpu') {
        await tf.setBackend('cpu');
        cpu = runHere(c);
      }
      const problems = check(c, out, cpu, budget);
      elements += out.y.length + out.dx.length;
      if (problems.length > 0) throw new Error(`${name}: ${describeCase(c)}\n  ${problems.join('\n  ')}`);
    }),
    {seed: SEED, numRuns: RUNS, endOnFailure: false},
  );
  return {runs: RUNS, elements};
}

const counts: Record<string, {runs: number; elements: number}> = {};
afterAll(() => {
  // one line per backend for the docs (docs/non-finite.md quotes a run)
  for (const [b, n] of Object.entries(counts))
    console.log(`property ${b}: ${n.runs} runs, ${n.elements} values checked (seed ${SEED})`);
});

test('cpu against the float64 reference', async () => {
  await tf.setBackend('cpu');
  counts.cpu = await property('cpu', async c => runHere(c), {forward: 4, backward: 16, axisGradRel: 2e-6, daz: false});
});

test('tensorflow against the float64 reference and cpu', async () => {
  await import('@tensorflow/tfjs-node');
  counts.tensorflow = await property(
    'tensorflow',
    async c => {
      await tf.setBackend('tensorflow');
      return runHere(c);
    },
    {forward: 4, backward: 16, axisGradRel: 2e-6, daz: true},
  );
});

test('tensorflow op chains (no native library) against the float64 reference and cpu', async () => {
  await import('@tensorflow/tfjs-node');
  const {setNativeOps} = await import('../../src/backends/tensorflow_native');
  try {
    counts['tensorflow-chains'] = await property(
      'tensorflow-chains',
      async c => {
        await tf.setBackend('tensorflow');
        setNativeOps(false);
        return runHere(c);
      },
      {forward: 4, backward: 16, axisGradRel: 2e-6, daz: true},
    );
  } finally {
    setNativeOps(true);
  }
});

test('wasm against the float64 reference and cpu', async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  counts.wasm = await property(
    'wasm',
    async c => {
      await tf.setBackend('wasm');
      return runHere(c);
    },
    {forward: 4, backward: 16, axisGradRel: 2e-6, daz: false},
  );
});

/** A GPU backend in headless Chromium (GPU programs: CPU forwarding off) against the float64 reference and cpu. */
async function inPage(backend: 'webgl' | 'webgpu'): Promise<void> {
  const {openSession} = await import('../browser/harness');
  const session = await openSession({backend});
  try {
    await session.page.evaluate(
      flag => (window as unknown as {tf: typeof tf}).tf.env().set(flag, false),
      `${backend.toUpperCase()}_CPU_FORWARD`,
    );
    const b64 = (a: number[]) => Buffer.from(Float32Array.from(a).buffer).toString('base64');
    const f32 = (s: string) => {
      const b = Buffer.from(s, 'base64');
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    counts[backend] = await property(
      backend,
      async c => {
        const def = tfa.lookup(c.id);
        const yShape = yShapeOf(def, normalizeParams(def, c.options), c.shape);
        const r = await session.page.evaluate(
          ([id, options, shape, yShape, xs, dys]) => {
            const w = window as unknown as {tf: typeof tf; tfa: Record<string, (t: tf.Tensor, o: object) => tf.Tensor>};
            const T = w.tf;
            const dec = (s: string) => {
              const bin = atob(s);
              const u = new Uint8Array(bin.length);
              for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
              return new Float32Array(u.buffer);
            };
            const enc = (a: Float32Array) => {
              const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
              let s = '';
              for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
              return btoa(s);
            };
            const before = T.memory().numTensors;
            const out = T.tidy(() => {
              const x = T.tensor(dec(xs as string), shape as number[], 'float32');
              const n = (yShape as number[]).reduce((p, q) => p * q, 1);
              const dy = T.tensor(dec(dys as string).subarray(0, n), yShape as number[], 'float32');
              const f = (t: tf.Tensor) => w.tfa[id as string](t, options as object);
              return {y: enc(f(x).dataSync() as Float32Array), dx: enc(T.grad(f)(x, dy).dataSync() as Float32Array)};
            });
            return {...out, leaked: T.memory().numTensors - before};
          },
          [c.id, c.options, c.shape, yShape, b64(c.x), b64(c.dy)] as const,
        );
        if (r.leaked !== 0) throw new Error(`${c.id}: ${r.leaked} tensors leaked on ${backend}`);
        return {y: f32(r.y), dx: f32(r.dx)};
      },
      {forward: 4, backward: 10, axisGradRel: 2e-6, daz: true, gpu: true},
    );
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
}

test('webgl (headless Chromium, GPU programs) against the float64 reference and cpu', () => inPage('webgl'), 600000);
test('webgpu (headless Chromium, GPU programs) against the float64 reference and cpu', () => inPage('webgpu'), 600000);
