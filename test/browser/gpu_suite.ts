/**
 * The tests both GPU backends share, run in a real browser (Debian's
 * Chromium on SwiftShader) by webgl.test.ts and webgpu.test.ts:
 * (a) every elementwise activation × parameter variants, forward and both
 *     derivative orders, against the float64 definitions and the cpu
 *     backend in the same page, within the definitions' ULP budgets for the
 *     backend; the scalar and the vector (packed or vec4) programs; CPU
 *     forwarding of small inputs;
 * (a, b) GPU programs only: no data read back while ops and gradients run
 *     (CPU forwarding off), and a new parameter value compiles nothing; a
 *     shader per variant (which parameters are in use);
 * (b) softmax, log_softmax (axes, tuples, null), glu and sparsemax with
 *     gradients, against the cpu backend;
 * (c) a model.fit step with the new activations;
 * (d) save/load through indexeddb:// with bit-identical predictions;
 * (e) tf.memory() (tensors and GPU bytes) back to its baseline after all of it.
 * Also the README's page example and a definition registered at run time.
 * The Keras fixtures run on both in the parity suite (test/parity/).
 *
 * The suite fails, it does not skip, when the browser cannot start.
 * TFA_WEBGL_REPORT / TFA_WEBGPU_REPORT print the measured maxima.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {openSession, ROOT, suite, type Session} from './harness';
import {AXIS_BUDGET} from './budgets';
import {expectRegisteredInPage} from './registration';
import {definitions, lookup} from '../../src/catalogue';

interface Measure {
  truth: {max: number; at: {x: number; got: number; want: number} | null; flushed: number};
  /** ULP of the scalar programs (webgl: unpacked; webgpu: one element per thread). */
  unpacked: number;
  vsCpu: number;
  /** webgl: ULP between its packed and unpacked programs. */
  packedVsUnpacked?: number;
  cpuVsTruth: number;
}
interface ElementwiseRow {
  id: string;
  options: Record<string, unknown>;
  forward: Measure;
  d1: Measure;
  d2?: Measure;
}
interface Errors {
  maxUlp: number;
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
export interface VariantsResult {
  rows: Array<{id: string; options: unknown[]; compiled: number[]}>;
  /** Program cache keys of this package's programs. */
  keys: string[];
  /** Whether relu with its defaults ran the plain body (webgl). */
  plainRelu: boolean | null;
}

export interface GpuSuite {
  backend: 'webgl' | 'webgpu';
  /** What the page must report about the GPU (title and checks on session.info). */
  device: [string, (info: Session['info']) => void];
  /** Backend-specific checks of the shader-per-variant run. */
  variants(r: VariantsResult): void;
  /** Tests only this backend has, given the open session. */
  more?(session: () => Session): void;
}

/** Defines the shared tests for one GPU backend. */
export function gpuSuite(o: GpuSuite): void {
  const {backend} = o;
  let session: Session;
  let baseline: Memory;
  const report: string[] = [];

  beforeAll(async () => {
    session = await openSession({backend});
    baseline = await suite<Memory>(session, 'memory');
  }, 240000);

  afterAll(async () => {
    if (process.env[`TFA_${backend.toUpperCase()}_REPORT`]) console.log(report.join('\n'));
    await session?.close();
  });

  describe(`${backend} in Chromium`, () => {
    test(`the page runs tfjs on ${o.device[0]} with every activation`, () => {
      expect(session.info.backend).toBe(backend);
      o.device[1](session.info);
      expect(session.info.activations).toBe(definitions.length);
    });

    test('(a) elementwise activations: forward, f′ and f″ within the ULP budget, scalar and vector programs', async () => {
      const r = await suite<{rows: ElementwiseRow[]; ms: number}>(session, 'elementwise');
      const problems: string[] = [];
      const worst = new Map<string, [number, number]>();
      for (const row of r.rows) {
        // the definition's budget for the backend (webgpu: webgl's where it has none of its own)
        const b = lookup(row.id).budget;
        const budget = backend === 'webgpu' ? (b?.webgpu ?? b?.webgl) : b?.webgl;
        if (budget === undefined) {
          problems.push(`${row.id}: no ${backend} budget`);
          continue;
        }
        const label = `${row.id} ${JSON.stringify(row.options)}`;
        for (const what of ['forward', 'd1', 'd2'] as const) {
          const m = row[what];
          if (m === undefined) continue;
          const limit = what === 'forward' ? budget.forward : budget.backward;
          const max = Math.max(m.truth.max, m.unpacked, m.vsCpu);
          const w = worst.get(row.id) ?? [0, 0];
          w[what === 'forward' ? 0 : 1] = Math.max(w[what === 'forward' ? 0 : 1], max);
          worst.set(row.id, w);
          if (max > limit)
            problems.push(`${label} ${what}: ${max} ulp > ${limit} (worst at ${JSON.stringify(m.truth.at)})`);
          if (m.packedVsUnpacked !== undefined && m.packedVsUnpacked > limit)
            problems.push(`${label} ${what}: packed and unpacked differ by ${m.packedVsUnpacked} ulp`);
          if (m.cpuVsTruth !== 0) problems.push(`${label} ${what}: the cpu backend differs from the definition`);
        }
      }
      report.push(
        `elementwise (${r.ms.toFixed(0)} ms): ` + [...worst].map(([id, [f, b]]) => `${id} ${f}/${b}`).join(', '),
      );
      expect(problems).toEqual([]);
    }, 240000);

    test(`(a) small inputs forwarded to the CPU (${backend.toUpperCase()}_CPU_FORWARD) equal the cpu backend`, async () => {
      const r = await suite<{mismatches: unknown[]}>(session, 'cpuForwarding');
      expect(r.mismatches).toEqual([]);
    }, 60000);

    test('(a, b) GPU programs only: no data read back while the ops and gradients run; new parameter values compile nothing', async () => {
      const rows = await suite<Array<{id: string; reads: number; compiled: number[]}>>(session, 'gpuOnly');
      expect(rows.length).toBe(9);
      for (const r of rows) {
        expect({id: r.id, reads: r.reads}).toEqual({id: r.id, reads: 0});
        expect({id: r.id, second: r.compiled[1]}).toEqual({id: r.id, second: 0});
      }
      // The first call compiled its programs (they were not all cached by earlier tests).
      expect(rows.some(r => r.compiled[0] > 0)).toBe(true);
    }, 60000);

    test('(a) a shader per variant (which parameters are in use): a new value of the same parameters compiles nothing', async () => {
      const r = await suite<VariantsResult>(session, 'variants');
      expect(r.rows.length).toBe(6);
      for (const row of r.rows)
        expect({id: row.id, options: row.options, second: row.compiled[1]}).toEqual({
          id: row.id,
          options: row.options,
          second: 0,
        });
      o.variants(r);
    }, 60000);

    test('(b) softmax, log_softmax, glu, sparsemax and their gradients on GPU programs match the cpu backend', async () => {
      const problems: string[] = [];
      for (const cpuForward of [false, true]) {
        const r = await suite<{rows: AxisRow[]; ms: number}>(session, 'axis', {cpuForward});
        report.push(`axis (cpuForward=${cpuForward}, ${r.ms.toFixed(0)} ms)`);
        for (const row of r.rows) {
          const label = `${row.id} ${JSON.stringify(row.shape)} ${JSON.stringify(row.options)}`;
          report.push(
            `  ${label}: forward ${row.forward.maxUlp} ulp, rel ${row.forward.maxRel.toExponential(1)}; ` +
              `grad rel ${row.grad.maxRel.toExponential(1)}; second rel ${row.second.maxRel.toExponential(1)}`,
          );
          if (row.id === 'softmax' && row.forward.maxUlp > AXIS_BUDGET.softmaxForwardUlp) {
            problems.push(`${label}: forward ${row.forward.maxUlp} ulp`);
          }
          if (!(row.forward.maxRel <= AXIS_BUDGET.forwardRel))
            problems.push(`${label}: forward rel ${row.forward.maxRel}`);
          if (!(row.forwardVsRef.maxRel <= AXIS_BUDGET.forwardRel))
            problems.push(`${label}: forward vs float64 rel ${row.forwardVsRef.maxRel}`);
          if (!(row.grad.maxRel <= AXIS_BUDGET.gradRel)) problems.push(`${label}: gradient rel ${row.grad.maxRel}`);
          if (!(row.second.maxRel <= AXIS_BUDGET.secondRel))
            problems.push(`${label}: second order rel ${row.second.maxRel}`);
        }
      }
      expect(problems).toEqual([]);
    }, 180000);

    o.more?.(() => session);

    test(`(c) model.fit with the new activations trains on ${backend} like on cpu`, async () => {
      const r = await suite<{
        webgl: {loss: number[]; moved: number};
        cpu: {loss: number[]; moved: number};
        weightsMaxRel: number;
        ms: number;
      }>(session, 'fit');
      const gpu = r.webgl; // (the page's name for the GPU backend under test)
      report.push(
        `fit (${r.ms.toFixed(0)} ms): ${backend} loss ${gpu.loss}, cpu loss ${r.cpu.loss}, weights rel ${r.weightsMaxRel}`,
      );
      for (const l of gpu.loss) expect(Number.isFinite(l)).toBe(true);
      expect(gpu.loss[1]).toBeLessThan(gpu.loss[0]);
      expect(gpu.moved).toBeGreaterThan(0);
      gpu.loss.forEach((l, i) => expect(Math.abs(l - r.cpu.loss[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(l))));
      expect(r.weightsMaxRel).toBeLessThan(1e-3);
    }, 120000);

    test(`(d) save and load through indexeddb:// gives bit-identical predictions on ${backend}`, async () => {
      const r = await suite<{n: number; differ: number; activations: string[]}>(session, 'saveLoad');
      expect(r.n).toBeGreaterThan(0);
      expect(r.differ).toBe(0);
      expect(r.activations).toEqual(expect.arrayContaining(['squareplus', 'mish', 'celu', 'softShrink', 'hardSilu']));
    }, 60000);

    test(`the README's page example runs as written (script tags, globals tf and tfa) and picks ${backend}`, async () => {
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      const html = readme.split('### In a page')[1].split('```html')[1].split('```')[0];
      // Served from the repository root: the package's own dist/ stands for node_modules/tfjs-activations.
      const page = html
        .replace('node_modules/tfjs-activations/dist/', '/dist/')
        .split('"node_modules/@tensorflow/')
        .join('"/node_modules/@tensorflow/');
      const file = `readme-page-${backend}.html`;
      mkdirSync(join(ROOT, '.cache'), {recursive: true});
      writeFileSync(join(ROOT, '.cache', file), `<!doctype html><meta charset="utf-8">\n${page}`);
      const p = await session.browser.newPage();
      const logs: string[] = [],
        errors: string[] = [];
      p.on('console', m => (m.type() === 'error' ? errors : logs).push(m.text()));
      p.on('pageerror', e => errors.push(String(e)));
      try {
        await p.goto(`${session.url}/.cache/${file}`);
        await p.waitForFunction(() => document.readyState === 'complete');
        const printed = () => logs.filter(l => l.startsWith('Tensor'));
        for (let i = 0; i < 300 && printed().length < 2; i++) await p.waitForTimeout(100); // up to 30 s (shader compiles)
        const [sq, pred] = printed();
        const numbers = (t: string) => (t.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
        const want = [-1, 0, 1].map(x => (x + Math.sqrt(x * x + 4)) / 2);
        expect(numbers(sq)).toHaveLength(3);
        numbers(sq).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
        const lp = numbers(pred);
        expect(lp).toHaveLength(3);
        expect(Math.abs(lp.reduce((a, v) => a + Math.exp(v), 0) - 1)).toBeLessThan(1e-4);
        expect(await p.evaluate(() => (window as unknown as {tf: {getBackend(): string}}).tf.getBackend())).toBe(
          backend,
        );
        expect(errors.filter(e => !/favicon/.test(e))).toEqual([]);
      } finally {
        await p.close();
      }
    }, 60000);

    test(
      `a definition registered at run time in the page runs on ${backend} (GPU programs), as a layer id too`,
      () => expectRegisteredInPage(session, backend),
      60000,
    );

    test('(e) tf.memory(): tensors and GPU bytes back to the baseline', async () => {
      const m = await suite<Memory>(session, 'memory');
      expect(m.numTensors).toBe(baseline.numTensors);
      expect(m.numBytesInGPU).toBe(baseline.numBytesInGPU);
      expect(session.errors).toEqual([]);
    });
  });
}
