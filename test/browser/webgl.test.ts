/**
 * The webgl backend in a real browser (Debian's Chromium, SwiftShader):
 * (a) every elementwise activation × parameter variants, forward and both
 *     derivative orders, packed and unpacked programs, against the float64
 *     definitions and the cpu backend in the same page, within the ULP
 *     budgets of budgets.ts; CPU forwarding of small inputs;
 * (b) softmax, log_softmax (axes, tuples, null), glu and sparsemax with
 *     gradients, against the cpu backend;
 * (c) a model.fit step with the new activations;
 * (d) save/load through indexeddb:// with bit-identical predictions;
 * (e) tf.memory() back to its baseline after all of it;
 * plus parity with the Keras fixtures' mpmath truth (test/fixtures).
 *
 * The suite fails, it does not skip, when the browser cannot start.
 */
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {openSession, ROOT, suite, type Session} from './harness';
import {AXIS_BUDGET, ELEMENTWISE_BUDGET, FIXTURE_BUDGET} from './budgets';
import {definitions, lookup} from '../../src/catalogue';
import type {ElementwiseActivation} from '../../src/definition';
import {MIN_NORMAL} from '../helpers';

interface Measure {
  truth: {max: number; at: {x: number; got: number; want: number} | null; flushed: number};
  unpacked: number;
  vsCpu: number;
  packedVsUnpacked: number;
  cpuVsTruth: number;
}
interface ElementwiseRow {
  id: string;
  options: Record<string, unknown>;
  n: number;
  forward: Measure;
  d1: Measure;
  d2?: Measure;
}
interface Errors {
  maxUlp: number;
  maxAbs: number;
  maxRel: number;
}
interface AxisRow {
  id: string;
  shape: number[];
  options: Record<string, unknown>;
  forwardVsRef: Errors;
  forward: Errors;
  grad: Errors;
  second: Errors;
}
interface Memory {
  numTensors: number;
  numBytes: number;
  numBytesInGPU: number;
}

let session: Session;
let baseline: Memory;
const report: string[] = [];

beforeAll(async () => {
  session = await openSession();
  baseline = await suite<Memory>(session, 'memory');
}, 240000);

afterAll(async () => {
  if (process.env.TFA_WEBGL_REPORT) console.log(report.join('\n'));
  await session?.close();
});

describe('webgl in Chromium', () => {
  test('the page runs tfjs on WebGL 2 (SwiftShader) with float32 textures and every activation', () => {
    expect(session.info.backend).toBe('webgl');
    expect(session.info.webglVersion).toBe(2);
    expect(session.info.float32).toBe(true);
    expect(session.info.renderer).toMatch(/SwiftShader/i);
    expect(session.info.activations).toBe(definitions.length);
  });

  test('(a) elementwise activations: forward, f′ and f″ within the ULP budget, packed and unpacked', async () => {
    const r = await suite<{rows: ElementwiseRow[]; ms: number}>(session, 'elementwise');
    const problems: string[] = [];
    const worst = new Map<string, [number, number]>();
    for (const row of r.rows) {
      const budget = ELEMENTWISE_BUDGET[row.id];
      expect(budget).toBeDefined();
      const label = `${row.id} ${JSON.stringify(row.options)}`;
      for (const what of ['forward', 'd1', 'd2'] as const) {
        const m = row[what];
        if (m === undefined) continue;
        const limit = what === 'forward' ? budget.forward : budget.backward;
        const max = Math.max(m.truth.max, m.unpacked, m.vsCpu);
        const w = worst.get(row.id) ?? [0, 0];
        w[what === 'forward' ? 0 : 1] = Math.max(w[what === 'forward' ? 0 : 1], max);
        worst.set(row.id, w);
        if (max > limit) problems.push(`${label} ${what}: ${max} ulp > ${limit} (worst at ${JSON.stringify(m.truth.at)})`);
        if (m.packedVsUnpacked > limit) problems.push(`${label} ${what}: packed and unpacked differ by ${m.packedVsUnpacked} ulp`);
        if (m.cpuVsTruth !== 0) problems.push(`${label} ${what}: the cpu backend differs from the definition`);
      }
    }
    report.push(`elementwise (${r.ms.toFixed(0)} ms): ` +
                [...worst].map(([id, [f, b]]) => `${id} ${f}/${b}`).join(', '));
    expect(problems).toEqual([]);
  }, 180000);

  test('(a) small inputs forwarded to the CPU (WEBGL_CPU_FORWARD) equal the cpu backend', async () => {
    const r = await suite<{mismatches: unknown[]}>(session, 'cpuForwarding');
    expect(r.mismatches).toEqual([]);
  });

  test('(b) softmax, log_softmax, glu, sparsemax and their gradients on GPU programs match the cpu backend', async () => {
    const problems: string[] = [];
    for (const cpuForward of [false, true]) {
      const r = await suite<{rows: AxisRow[]; ms: number; tensors: number[]}>(session, 'axis', {cpuForward});
      report.push(`axis (cpuForward=${cpuForward}, ${r.ms.toFixed(0)} ms)`);
      for (const row of r.rows) {
        const label = `${row.id} ${JSON.stringify(row.shape)} ${JSON.stringify(row.options)}`;
        report.push(`  ${label}: forward ${row.forward.maxUlp} ulp, rel ${row.forward.maxRel.toExponential(1)}; ` +
                    `grad rel ${row.grad.maxRel.toExponential(1)}; second rel ${row.second.maxRel.toExponential(1)}`);
        if (row.id === 'softmax' && row.forward.maxUlp > AXIS_BUDGET.softmaxForwardUlp) {
          problems.push(`${label}: forward ${row.forward.maxUlp} ulp`);
        }
        if (!(row.forward.maxRel <= AXIS_BUDGET.forwardRel)) problems.push(`${label}: forward rel ${row.forward.maxRel}`);
        if (!(row.forwardVsRef.maxRel <= AXIS_BUDGET.forwardRel)) problems.push(`${label}: forward vs float64 rel ${row.forwardVsRef.maxRel}`);
        if (!(row.grad.maxRel <= AXIS_BUDGET.gradRel)) problems.push(`${label}: gradient rel ${row.grad.maxRel}`);
        if (!(row.second.maxRel <= AXIS_BUDGET.secondRel)) problems.push(`${label}: second order rel ${row.second.maxRel}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120000);

  test('(b) sliced (texture offset) and packed inputs give the cpu backend\'s values', async () => {
    const r = await suite<Array<{input: string; op: string; rel: number}>>(session, 'inputLayouts');
    expect(r.length).toBe(14);
    expect(r.filter(e => !(e.rel <= AXIS_BUDGET.forwardRel))).toEqual([]);
  }, 60000);

  test('(c) model.fit with the new activations trains on webgl like on cpu', async () => {
    const r = await suite<{webgl: {loss: number[]; moved: number}; cpu: {loss: number[]; moved: number};
                           weightsMaxRel: number; ms: number}>(session, 'fit');
    report.push(`fit (${r.ms.toFixed(0)} ms): webgl loss ${r.webgl.loss}, cpu loss ${r.cpu.loss}, weights rel ${r.weightsMaxRel}`);
    for (const l of r.webgl.loss) expect(Number.isFinite(l)).toBe(true);
    expect(r.webgl.loss[1]).toBeLessThan(r.webgl.loss[0]);
    expect(r.webgl.moved).toBeGreaterThan(0);
    r.webgl.loss.forEach((l, i) => expect(Math.abs(l - r.cpu.loss[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(l))));
    expect(r.weightsMaxRel).toBeLessThan(1e-3);
  }, 120000);

  test('(d) save and load through indexeddb:// gives bit-identical predictions on webgl', async () => {
    const r = await suite<{n: number; differ: number; activations: string[]}>(session, 'saveLoad');
    expect(r.n).toBeGreaterThan(0);
    expect(r.differ).toBe(0);
    expect(r.activations).toEqual(expect.arrayContaining(['squareplus', 'mish', 'celu', 'softShrink', 'hardSilu']));
  }, 60000);

  const fixtureDir = join(ROOT, 'test', 'fixtures');
  const haveFixtures = existsSync(join(fixtureDir, 'manifest.json'));
  (haveFixtures ? test : test.skip)('Keras fixtures: webgl against the mpmath truth, forward and gradient', async () => {
    // Loaded lazily: the parity helpers belong to the parity suite.
    const {fixtureFiles, loadFixture} = await import('../parity/fixtures');
    const {truthError} = await import('../parity/core');
    const problems: string[] = [];
    const worst = new Map<string, [number, number]>();
    const timings: string[] = [];
    for (const file of fixtureFiles()) {
      const fx = loadFixture(file);
      const def = lookup(fx.activation);
      const cases = fx.cases.map(c => ({params: c.params, shape: c.shape, yShape: c.yShape,
                                        x: toBase64(c.x), dy: toBase64(c.dy)}));
      const t0 = Date.now();
      const out = await suite<Array<{y: string; dx: string}>>(session, 'fixture', {activation: fx.activation, cases});
      timings.push(`${fx.activation} ${Date.now() - t0}`);
      fx.cases.forEach((c, k) => {
        const y = fromBase64(out[k].y), dx = fromBase64(out[k].dx);
        const elementwise = def.kind === 'elementwise';
        // GPUs read subnormal inputs as zero: there f(±0) is accepted too.
        const daz = (i: number, order: 0 | 1) => {
          if (!elementwise) return undefined;
          const xi = c.x[i];
          if (xi === 0 || !(Math.abs(xi) < MIN_NORMAL)) return undefined;
          const e = def as ElementwiseActivation;
          const u = constantsFor(e, c.params);
          const z = xi > 0 ? 0 : -0;
          return order === 0 ? e.forward(z, u) : c.dy[i] * e.derivative(z, u);
        };
        let fMax = 0, bMax = 0;
        for (let i = 0; i < y.length; i++) {
          let e = truthError(y[i], c.truth[i]);
          const alt = e > 0 ? daz(i, 0) : undefined;
          if (alt !== undefined) e = Math.min(e, truthError(y[i], alt));
          fMax = Math.max(fMax, e);
          if (e > FIXTURE_BUDGET.forward) problems.push(`${fx.activation} ${c.name}: y[${i}] (x=${elementwise ? c.x[i] : '…'}) = ${y[i]}, truth ${c.truth[i]} (${e} ulp)`);
        }
        // An axis activation's gradient is a sum that cancels: there the error may also be
        // measured against the largest |dx| of the case (AXIS_BUDGET.gradRel).
        let scale = 0;
        for (let i = 0; i < c.dtruth.length; i++) if (Number.isFinite(c.dtruth[i])) scale = Math.max(scale, Math.abs(c.dtruth[i]));
        for (let i = 0; i < dx.length; i++) {
          if (c.kinks.has(i)) continue;
          let e = truthError(dx[i], c.dtruth[i]);
          const alt = e > 0 ? daz(i, 1) : undefined;
          if (alt !== undefined) e = Math.min(e, truthError(dx[i], alt));
          bMax = Math.max(bMax, e);
          if (!elementwise && Math.abs(dx[i] - c.dtruth[i]) <= AXIS_BUDGET.gradRel * scale) continue;
          if (e > FIXTURE_BUDGET.backward) problems.push(`${fx.activation} ${c.name}: dx[${i}] (x=${elementwise ? c.x[i] : '…'}) = ${dx[i]}, truth ${c.dtruth[i]} (${e} ulp)`);
        }
        const w = worst.get(fx.activation) ?? [0, 0];
        worst.set(fx.activation, [Math.max(w[0], fMax), Math.max(w[1], bMax)]);
      });
    }
    report.push(`fixture timings (ms): ${timings.join(', ')}`);
    report.push('fixtures (max ulp forward/backward): ' + [...worst].map(([a, [f, b]]) => `${a} ${f}/${b}`).join(', '));
    // For `npm run accuracy` (docs/accuracy.md).
    mkdirSync(join(ROOT, '.cache'), {recursive: true});
    writeFileSync(join(ROOT, '.cache', 'webgl-accuracy.json'), JSON.stringify({
      budget: FIXTURE_BUDGET,
      ...Object.fromEntries([...worst].map(([a, [f, b]]) => [a, {fwd: f, bwd: b}])),
    }));
    expect(problems.slice(0, 20)).toEqual([]);
  }, 180000);

  test('(e) tf.memory(): tensors and GPU bytes back to the baseline', async () => {
    const m = await suite<Memory>(session, 'memory');
    expect(m.numTensors).toBe(baseline.numTensors);
    expect(m.numBytesInGPU).toBe(baseline.numBytesInGPU);
    expect(session.errors).toEqual([]);
  });
});

function toBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** The constants of an elementwise activation for fixture parameters (Keras snake_case names). */
function constantsFor(def: ElementwiseActivation, params: Record<string, unknown>): number[] {
  const p: Record<string, unknown> = {};
  for (const s of def.params) {
    const v = params[s.keras] ?? params[s.name];
    p[s.name] = v === undefined ? s.default : v;
  }
  return def.constants ? def.constants(p as never) : [];
}
