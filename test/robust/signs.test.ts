/**
 * Signed zeros, the same on every backend (docs/non-finite.md): wherever an
 * elementwise activation's result, first or second derivative is zero on
 * cpu or on the backend, both are zeros of the same sign (Object.is). cpu
 * evaluates the float64 definitions, so its sign is the definition's: −0
 * for elu(−0), gelu(−100), hard_silu(−3), dy·f′ with a negative dy where
 * f′ = +0 ...
 *
 * Inputs: ±0, ±subnormals, ±2^−126, every activation's kinks and their
 * neighbours, and large values of both signs up to ±FLT_MAX and ±Inf, with
 * dy = +1 and −1 (and +0, −0 for the first derivative). A backend that
 * reads subnormal inputs as ±0 (tensorflow chains, webgl, webgpu) is
 * compared with cpu at the input it reads (±0 or ±2^−126 of the same sign)
 * as well.
 *
 * Node backends here: tensorflow with the native op library, tensorflow's
 * op chains (no native library) and wasm. webgl and webgpu run the same
 * inputs in headless Chromium. On the GPUs, a subnormal result that the
 * hardware flushes may come back as a zero of either sign.
 *
 * Any difference fails (there is no list of known exceptions: every
 * backend, the op chains included, gives cpu's zero signs).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../../src';
import type {ElementwiseActivation} from '../../src';
import {kinksOf, variantsOf} from '../variants';
import type {Session} from '../browser/harness';

const TINY = 1.401298464324817e-45,
  SUB = 9.99994610111476e-41,
  MIN_NORMAL = 1.1754943508222875e-38,
  MAX = 3.4028234663852886e38;

const f32 = new Float32Array(1),
  i32 = new Int32Array(f32.buffer);
/** The float32 neighbours of v (one ULP each way). */
function neighbours(v: number): number[] {
  f32[0] = v;
  if (f32[0] === 0) return [TINY, -TINY];
  const out: number[] = [];
  for (const s of [1, -1]) {
    f32[0] = v;
    i32[0] += s;
    out.push(f32[0]);
  }
  return out;
}

/** The inputs for one variant: specials, kinks and neighbours, and magnitudes of both signs. */
function inputs(kinks: number[]): number[] {
  const v = [0, -0, TINY, -TINY, SUB, -SUB, MIN_NORMAL, -MIN_NORMAL, Infinity, -Infinity, MAX, -MAX];
  for (const m of [1e-30, 1e-8, 0.5, 1, 2, 3, 5, 6, 8, 10, 15, 20, 30, 50, 88, 100, 104, 200, 1e4, 1e10, 1e20, 3e38])
    v.push(m, -m);
  for (const k of kinks) v.push(Math.fround(k), ...neighbours(Math.fround(k)));
  return [...new Set(v.map(Math.fround).map(x => (Object.is(x, -0) ? '-0' : String(x))))].map(Number);
}

type Variant = Record<string, unknown>;
interface Outputs {
  y: number[];
  /** dy·f′(x) for each dy of DYS, one array per dy. */
  d1: number[][];
  /** dy·f″(x) (grad of grad with dy = 1, then dy2), one array per dy of DY2. */
  d2: number[][];
}
const DYS = [1, -1, 0, -0];
const DY2 = [1, -1];

/** The whole sweep as plain data, so that a page can run it too. */
interface Job {
  id: string;
  variant: Variant;
  x: number[];
}

const elementwise = tfa.definitions.filter((d): d is ElementwiseActivation => d.kind === 'elementwise');
const JOBS: Job[] = elementwise.flatMap(def =>
  variantsOf(def).map(variant => ({id: def.id, variant, x: inputs(kinksOf(def, variant))})),
);

/** Runs the jobs on the current backend of `TF` (self-contained: it also runs in the page). */
function runJobs(
  TF: typeof tf,
  ops: Record<string, (t: tf.Tensor, o: object) => tf.Tensor>,
  jobs: Job[],
  dys: number[],
  dy2: number[],
): Outputs[] {
  return jobs.map(job => {
    const f = (t: tf.Tensor) => ops[job.id](t, job.variant);
    const n = job.x.length;
    const x = TF.tensor1d(job.x);
    const y = f(x);
    const d1 = dys.map(dy => {
      const d = TF.grad(f)(x, TF.fill([n], dy));
      const out = Array.from(d.dataSync());
      d.dispose();
      return out;
    });
    const d2 = dy2.map(dy => {
      const ones = TF.ones([n]); // not onesLike(x): its zero gradient would be added in (and flush a subnormal)
      const g = TF.grad((t: tf.Tensor) => TF.grad(f)(t, ones));
      const d = g(x, TF.fill([n], dy));
      ones.dispose();
      const out = Array.from(d.dataSync());
      d.dispose();
      return out;
    });
    const out = {y: Array.from(y.dataSync()), d1, d2};
    TF.dispose([x, y]);
    return out;
  });
}

function ops(): Record<string, (t: tf.Tensor, o: object) => tf.Tensor> {
  return tfa as unknown as Record<string, (t: tf.Tensor, o: object) => tf.Tensor>;
}

const isZero = (v: number) => v === 0;
const isSubnormal = (v: number) => v !== 0 && Math.abs(v) < MIN_NORMAL;
const sign = (v: number) => (Number.isNaN(v) ? 'NaN' : v > 0 || Object.is(v, 0) ? '+' : '-');
const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** Where a zero on either side carries a different sign than cpu's (at x, or at the input a flushing backend reads). */
function mismatches(name: string, got: Outputs[], want: Outputs[], alt: Outputs[] | undefined): string[] {
  const bad: string[] = [];
  const gpu = name === 'webgl' || name === 'webgpu';
  JOBS.forEach((job, j) => {
    type Pair = [string, number[], number[], number[] | undefined];
    const pairs: Pair[] = [
      ['f', got[j].y, want[j].y, alt?.[j].y],
      ...DYS.map((dy, k): Pair => [`${show(dy)}·f′`, got[j].d1[k], want[j].d1[k], alt?.[j].d1[k]]),
      ...DY2.map((dy, k): Pair => [`${show(dy)}·f″`, got[j].d2[k], want[j].d2[k], alt?.[j].d2[k]]),
    ];
    for (const [what, g, w, a] of pairs) {
      job.x.forEach((x, i) => {
        const ok = (c: number) =>
          !(isZero(g[i]) || isZero(c)) || sign(g[i]) === sign(c) || (gpu && isZero(g[i]) && isSubnormal(c));
        if (!ok(w[i]) && !(a !== undefined && ok(a[i]))) {
          bad.push(
            `${name} ${job.id}${JSON.stringify(job.variant)} ${what} at x=${show(x)}: ${show(g[i])}, cpu ${show(w[i])}`,
          );
        }
      });
    }
  });
  return bad;
}

/** Subnormal inputs as a denormals-are-zero backend reads them: ±0, or ±2^−126 where f jumps at 0 (its choice). */
function flushedJobs(toward: 'zero' | 'normal'): Job[] {
  return JOBS.map(job => ({
    ...job,
    x: job.x.map(v =>
      v !== 0 && Math.abs(v) < MIN_NORMAL ? (toward === 'zero' ? (v > 0 ? 0 : -0) : Math.sign(v) * MIN_NORMAL) : v,
    ),
  }));
}

let cpu: Outputs[];
let cpuFlushed: Outputs[];
let cpuNormal: Outputs[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  cpu = runJobs(tf, ops(), JOBS, DYS, DY2);
  cpuFlushed = runJobs(tf, ops(), flushedJobs('zero'), DYS, DY2);
  cpuNormal = runJobs(tf, ops(), flushedJobs('normal'), DYS, DY2);
});

/** Compares a backend with cpu (with either reading of subnormal inputs when it flushes them). */
function compare(name: string, got: Outputs[], flushes: boolean): string[] {
  if (!flushes) return mismatches(name, got, cpu, undefined);
  const a = mismatches(name, got, cpuFlushed, cpuNormal);
  // a mismatch counts only when it is one against every reading of the input
  const b = new Set(mismatches(name, got, cpu, undefined).map(s => s.replace(/: .*/, '')));
  return a.filter(s => b.has(s.replace(/: .*/, '')));
}

describe('signed zeros as on cpu', () => {
  test('the sweep covers every elementwise activation and variant', () => {
    expect(new Set(JOBS.map(j => j.id)).size).toBe(elementwise.length);
    expect(JOBS.length).toBeGreaterThan(elementwise.length);
    // the sweep sees −0 results on cpu (the property under test is not vacuous)
    const negZeros = cpu.flatMap(o => [...o.y, ...o.d1.flat(), ...o.d2.flat()]).filter(v => Object.is(v, -0)).length;
    expect(negZeros).toBeGreaterThan(100);
  });

  for (const native of [true, false]) {
    test(`tensorflow ${native ? 'with the native op library' : 'op chains (no native library)'}`, async () => {
      await import('@tensorflow/tfjs-node');
      const {nativeOpsStatus, setNativeOps} = await import('../../src/backends/tensorflow_native');
      await tf.setBackend('tensorflow');
      setNativeOps(native);
      try {
        if (native) {
          const status = nativeOpsStatus((tf.backend() as unknown as {binding: never}).binding);
          expect(status).toMatchObject({loaded: true});
        }
        const got = runJobs(tf, ops(), JOBS, DYS, DY2);
        const bad = compare(native ? 'tensorflow' : 'tensorflow-chains', got, !native);
        if (process.env.TFA_SIGNS_REPORT) console.log(bad.join('\n'));
        expect(bad).toEqual([]);
      } finally {
        setNativeOps(true);
      }
    }, 300000);
  }

  test('wasm (Node)', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    expect(await tf.setBackend('wasm')).toBe(true);
    const got = runJobs(tf, ops(), JOBS, DYS, DY2);
    const bad = compare('wasm', got, false);
    if (process.env.TFA_SIGNS_REPORT) console.log(bad.join('\n'));
    expect(bad).toEqual([]);
  }, 300000);

  for (const backend of ['webgl', 'webgpu'] as const) {
    test(`${backend} (headless Chromium, GPU programs)`, async () => {
      const {openSession} = await import('../browser/harness');
      const session: Session = await openSession({backend});
      try {
        // values cross as strings: JSON has no −0 or ±Inf
        const jobs = JSON.stringify(JOBS.map(j => ({...j, x: j.x.map(show)})));
        const text = (await session.page.evaluate(
          `(() => {
            const show = v => (Object.is(v, -0) ? '-0' : String(v));
            window.tf.env().set('${backend.toUpperCase()}_CPU_FORWARD', false);
            const jobs = ${jobs}.map(j => ({...j, x: j.x.map(Number)}));
            const out = (${runJobs.toString()})(window.tf, window.tfa, jobs, [1, -1, 0, -0], [1, -1]);
            return out.map(o => ({y: o.y.map(show), d1: o.d1.map(a => a.map(show)), d2: o.d2.map(a => a.map(show))}));
          })()`,
        )) as Array<{y: string[]; d1: string[][]; d2: string[][]}>;
        const got: Outputs[] = text.map(o => ({
          y: o.y.map(Number),
          d1: o.d1.map(a => a.map(Number)),
          d2: o.d2.map(a => a.map(Number)),
        }));
        const bad = compare(backend, got, true);
        if (process.env.TFA_SIGNS_REPORT) console.log(bad.join('\n'));
        expect(bad).toEqual([]);
        expect(session.errors).toEqual([]);
      } finally {
        await session.close();
      }
    }, 300000);
  }
});
