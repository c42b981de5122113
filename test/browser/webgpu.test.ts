/**
 * The webgpu backend in a real browser (Debian's Chromium, WebGPU on
 * SwiftShader's Vulkan), as the webgl suite tests webgl:
 * (a) every elementwise activation × parameter variants, forward and both
 *     derivative orders, against the float64 definitions and the cpu
 *     backend in the same page, within the ULP budgets of
 *     the definitions' `budget.webgpu` (webgl's when absent); CPU forwarding of small inputs;
 * (a, b) GPU programs only: no data read back while ops and gradients run
 *     (CPU forwarding off), and a new parameter value compiles nothing;
 * (b) softmax, log_softmax (axes, tuples, null), glu and sparsemax with
 *     gradients, against the cpu backend;
 * (c) a model.fit step with the new activations;
 * (d) save/load through indexeddb:// with bit-identical predictions;
 * (e) tf.memory() (tensors and GPU bytes) back to its baseline.
 * The Keras fixtures run on webgpu in the parity suite (test/parity/).
 *
 * The suite fails, it does not skip, when the browser cannot start.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {openSession, ROOT, suite, type Session} from './harness';
import {AXIS_BUDGET} from './budgets';
import {expectRegisteredInPage} from './registration';
import {definitions, lookup} from '../../src/catalogue';

interface Measure {
  truth: {max: number; at: {x: number; got: number; want: number} | null; flushed: number};
  unpacked: number;
  vsCpu: number;
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

let session: Session;
let baseline: Memory;
const report: string[] = [];

beforeAll(async () => {
  session = await openSession({backend: 'webgpu'});
  baseline = await suite<Memory>(session, 'memory');
}, 240000);

afterAll(async () => {
  if (process.env.TFA_WEBGPU_REPORT) console.log(report.join('\n'));
  await session?.close();
});

describe('webgpu in Chromium', () => {
  test('the page runs tfjs on WebGPU (SwiftShader) with every activation', () => {
    expect(session.info.backend).toBe('webgpu');
    expect(session.info.adapter).toMatch(/swiftshader/i);
    expect(session.info.activations).toBe(definitions.length);
  });

  test('(a) elementwise activations: forward, f′ and f″ within the ULP budget', async () => {
    const r = await suite<{rows: ElementwiseRow[]; ms: number}>(session, 'elementwise');
    const problems: string[] = [];
    const worst = new Map<string, [number, number]>();
    for (const row of r.rows) {
      const b = lookup(row.id).budget;
      const budget = b?.webgpu ?? b?.webgl;
      expect(budget).toBeDefined();
      const label = `${row.id} ${JSON.stringify(row.options)}`;
      for (const what of ['forward', 'd1', 'd2'] as const) {
        const m = row[what];
        if (m === undefined) continue;
        const limit = what === 'forward' ? budget!.forward : budget!.backward;
        const max = Math.max(m.truth.max, m.vsCpu, m.unpacked); // unpacked: the scalar (not vec4) programs
        const w = worst.get(row.id) ?? [0, 0];
        w[what === 'forward' ? 0 : 1] = Math.max(w[what === 'forward' ? 0 : 1], max);
        worst.set(row.id, w);
        if (max > limit)
          problems.push(`${label} ${what}: ${max} ulp > ${limit} (worst at ${JSON.stringify(m.truth.at)})`);
        if (m.cpuVsTruth !== 0) problems.push(`${label} ${what}: the cpu backend differs from the definition`);
      }
    }
    report.push(
      `elementwise (${r.ms.toFixed(0)} ms): ` + [...worst].map(([id, [f, b]]) => `${id} ${f}/${b}`).join(', '),
    );
    expect(problems).toEqual([]);
  }, 240000);

  test('(a) small inputs forwarded to the CPU (WEBGPU_CPU_FORWARD) equal the cpu backend', async () => {
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
    expect(rows.some(r => r.compiled[0] > 0)).toBe(true);
  }, 60000);

  test('(a) a shader per variant (which parameters are in use): a new value of the same parameters compiles nothing', async () => {
    const r = await suite<{
      rows: Array<{id: string; options: unknown[]; compiled: number[]}>;
      keys: string[];
      plainRelu: boolean | null;
    }>(session, 'variants');
    expect(r.rows.length).toBe(6);
    for (const row of r.rows)
      expect({id: row.id, options: row.options, second: row.compiled[1]}).toEqual({
        id: row.id,
        options: row.options,
        second: 0,
      });
    expect(r.keys).toEqual(
      expect.arrayContaining([
        'tfa_relu_plain_0',
        'tfa_relu_slope_0',
        'tfa_relu_cap_0',
        'tfa_relu_general_0',
        'tfa_gelu_exact_0',
        'tfa_gelu_approximate_0',
      ]),
    );
    expect(r.keys).not.toContain('tfa_gelu_general_0');
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

  test('(c) model.fit with the new activations trains on webgpu like on cpu', async () => {
    const r = await suite<{
      webgl: {loss: number[]; moved: number};
      cpu: {loss: number[]; moved: number};
      weightsMaxRel: number;
      ms: number;
    }>(session, 'fit');
    const gpu = r.webgl; // the GPU backend under test
    report.push(
      `fit (${r.ms.toFixed(0)} ms): webgpu loss ${gpu.loss}, cpu loss ${r.cpu.loss}, weights rel ${r.weightsMaxRel}`,
    );
    for (const l of gpu.loss) expect(Number.isFinite(l)).toBe(true);
    expect(gpu.loss[1]).toBeLessThan(gpu.loss[0]);
    expect(gpu.moved).toBeGreaterThan(0);
    gpu.loss.forEach((l, i) => expect(Math.abs(l - r.cpu.loss[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(l))));
    expect(r.weightsMaxRel).toBeLessThan(1e-3);
  }, 120000);

  test('(d) save and load through indexeddb:// gives bit-identical predictions on webgpu', async () => {
    const r = await suite<{n: number; differ: number; activations: string[]}>(session, 'saveLoad');
    expect(r.n).toBeGreaterThan(0);
    expect(r.differ).toBe(0);
    expect(r.activations).toEqual(expect.arrayContaining(['squareplus', 'mish', 'celu', 'softShrink', 'hardSilu']));
  }, 60000);

  test("the README's page example runs as written and picks webgpu where there is an adapter", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const html = readme.split('### In a page')[1].split('```html')[1].split('```')[0];
    const page = html
      .replace('node_modules/tfjs-activations/dist/', '/dist/')
      .split('"node_modules/@tensorflow/')
      .join('"/node_modules/@tensorflow/');
    mkdirSync(join(ROOT, '.cache'), {recursive: true});
    writeFileSync(join(ROOT, '.cache', 'readme-page-webgpu.html'), `<!doctype html><meta charset="utf-8">\n${page}`);
    const p = await session.browser.newPage();
    const logs: string[] = [],
      errors: string[] = [];
    p.on('console', m => (m.type() === 'error' ? errors : logs).push(m.text()));
    p.on('pageerror', e => errors.push(String(e)));
    try {
      await p.goto(`${session.url}/.cache/readme-page-webgpu.html`);
      const printed = () => logs.filter(l => l.startsWith('Tensor'));
      for (let i = 0; i < 300 && printed().length < 2; i++) await p.waitForTimeout(100);
      const [sq, pred] = printed();
      const numbers = (t: string) => (t.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
      const want = [-1, 0, 1].map(x => (x + Math.sqrt(x * x + 4)) / 2);
      expect(numbers(sq)).toHaveLength(3);
      numbers(sq).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
      const lp = numbers(pred);
      expect(lp).toHaveLength(3);
      expect(Math.abs(lp.reduce((a, v) => a + Math.exp(v), 0) - 1)).toBeLessThan(1e-4);
      expect(await p.evaluate(() => (window as unknown as {tf: {getBackend(): string}}).tf.getBackend())).toBe(
        'webgpu',
      );
      expect(errors.filter(e => !/favicon/.test(e))).toEqual([]);
    } finally {
      await p.close();
    }
  }, 60000);

  test(
    'a definition registered at run time in the page runs on webgpu (GPU programs), as a layer id too',
    () => expectRegisteredInPage(session, 'webgpu'),
    60000,
  );

  test('(e) tf.memory(): tensors and GPU bytes back to the baseline', async () => {
    const m = await suite<Memory>(session, 'memory');
    expect(m.numTensors).toBe(baseline.numTensors);
    expect(m.numBytesInGPU).toBe(baseline.numBytesInGPU);
    expect(session.errors).toEqual([]);
  });
});
