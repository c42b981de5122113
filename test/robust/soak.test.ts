/**
 * Soak (behind TFA_SOAK=1): per backend, TFA_SOAK_CALLS (default 10,000)
 * forward + gradient calls of every activation, then 200 fit steps of a
 * model using new activations. After a warm-up, tf.memory()'s tensors,
 * bytes and GPU bytes must be back at their baseline and no shader program
 * (webgl) or pipeline (webgpu) may be compiled; on wasm the heap must not
 * grow and the backend must hold no new data ids. The backends are cpu,
 * tensorflow, wasm (Node), webgl and webgpu (headless Chromium);
 * TFA_SOAK_BACKENDS=wasm,webgpu runs a subset. The numbers are printed
 * (docs/robustness.md records a run).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfa from '../../src';

const ON = process.env.TFA_SOAK === '1';
const CALLS = Number(process.env.TFA_SOAK_CALLS ?? 10000);
const FIT_STEPS = 200;
const BACKENDS = (process.env.TFA_SOAK_BACKENDS ?? 'cpu,tensorflow,wasm,webgl,webgpu').split(',');

interface SoakRow {
  id: string;
  calls: number;
  ms: number;
  tensors: number;
  bytes: number;
  gpuBytes: number;
  programs: number;
  /** wasm: growth of the backend's heap (bytes) and of its live data ids. */
  heap: number;
  dataIds: number;
}
interface SoakResult {
  rows: SoakRow[];
  fit: Omit<SoakRow, 'id'>;
  /** Shader programs (webgl) or pipelines (webgpu) compiled in all, to show that GPU programs ran. */
  compiled: number;
  /** wasm: the heap's size at the end (bytes). */
  heapBytes: number;
}

/**
 * The soak loop, self-contained so that it also runs in the browser page
 * (given the page's `tf`, `tfa` and `tfl`). `programs` counts the webgl
 * backend's compiled shader programs or the webgpu backend's pipelines;
 * `heap` is the wasm backend's heap size and `dataIds` its live data ids.
 */
async function soak(
  TF: typeof tf,
  TFA: typeof tfa,
  TFL: typeof tfl,
  calls: number,
  fitSteps: number,
): Promise<SoakResult> {
  const programs = () => {
    const b = TF.backend() as unknown as {binaryCache?: object; pipelineCache?: object};
    const cache = b.binaryCache ?? b.pipelineCache;
    return cache ? Object.keys(cache).length : 0;
  };
  const wasm = () => {
    const b = TF.backend() as unknown as {wasm?: {HEAPU8?: Uint8Array}; numDataIds(): number};
    return b.wasm?.HEAPU8 ? {heap: b.wasm.HEAPU8.byteLength, dataIds: b.numDataIds()} : {heap: 0, dataIds: 0};
  };
  const snap = () => {
    const m = TF.memory() as unknown as {numTensors: number; numBytes: number; numBytesInGPU?: number};
    return {tensors: m.numTensors, bytes: m.numBytes, gpuBytes: m.numBytesInGPU ?? 0, programs: programs(), ...wasm()};
  };
  const diff = (a: ReturnType<typeof snap>, b: ReturnType<typeof snap>) => ({
    tensors: b.tensors - a.tensors,
    bytes: b.bytes - a.bytes,
    gpuBytes: b.gpuBytes - a.gpuBytes,
    programs: b.programs - a.programs,
    heap: b.heap - a.heap,
    dataIds: b.dataIds - a.dataIds,
  });
  const required: Record<string, object> = {threshold: {threshold: 0, defaultValue: -1}};
  const x = TF.randomNormal([8, 16], 0, 3, 'float32', 1);
  const dyFull = TF.randomNormal([8, 16], 0, 1, 'float32', 2);
  const dyHalf = TF.randomNormal([8, 8], 0, 1, 'float32', 3);
  const rows: SoakRow[] = [];
  const ops = TFA as unknown as Record<string, (t: tf.Tensor, o?: object) => tf.Tensor>;
  for (const def of TFA.definitions) {
    const f = (t: tf.Tensor) => ops[def.id](t, required[def.id]);
    const g = TF.grad(f);
    const dy = def.kind === 'axis' && def.halvesAxis ? dyHalf : dyFull;
    const once = async (sync: boolean) => {
      const y = f(x),
        d = g(x, dy);
      if (sync) await d.data();
      y.dispose();
      d.dispose();
    };
    for (let i = 0; i < 20; i++) await once(true); // warm-up: programs compiled, textures pooled
    const before = snap();
    const t0 = Date.now();
    for (let i = 0; i < calls; i++) await once(i % 250 === 249 || i === calls - 1);
    const after = snap();
    rows.push({id: def.id, calls, ms: Date.now() - t0, ...diff(before, after)});
  }
  TF.dispose([x, dyFull, dyHalf]);
  // fit
  const model = TFL.sequential({
    layers: [
      TFL.layers.dense({units: 16, inputShape: [8], activation: TFA.activationId('squareplus')}),
      TFA.layers.softShrink({threshold: 0.1}),
      TFL.layers.dense({units: 8, activation: TFA.activationId('mish')}),
      TFA.layers.sparsemax(),
    ],
  });
  model.compile({optimizer: TF.train.sgd(0.01), loss: 'meanSquaredError'});
  const xs = TF.randomNormal([32, 8], 0, 1, 'float32', 4),
    ys = TF.randomUniform([32, 8], 0, 1, 'float32', 5);
  await model.fit(xs, ys, {epochs: 5, batchSize: 32, verbose: 0}); // warm-up
  const before = snap();
  const t0 = Date.now();
  await model.fit(xs, ys, {epochs: fitSteps, batchSize: 32, verbose: 0}); // one step per epoch
  const after = snap();
  TF.dispose([xs, ys]);
  model.dispose();
  return {
    rows,
    fit: {calls: fitSteps, ms: Date.now() - t0, ...diff(before, after)},
    compiled: programs(),
    heapBytes: wasm().heap,
  };
}

function report(backend: string, r: SoakResult): void {
  const total = r.rows.reduce((p, q) => p + q.ms, 0);
  const all = [...r.rows, {id: 'fit', ...r.fit}];
  const sum = (k: 'tensors' | 'bytes' | 'gpuBytes' | 'programs' | 'heap' | 'dataIds') =>
    all.reduce((p, q) => p + q[k], 0);
  const bad = all.filter(
    q => q.tensors !== 0 || q.bytes !== 0 || q.gpuBytes !== 0 || q.programs !== 0 || q.heap !== 0 || q.dataIds !== 0,
  );
  console.log(
    `soak ${backend}: ${r.rows.length} activations x ${CALLS} forward+gradient calls in ${(total / 1000).toFixed(1)} s; ` +
      `${FIT_STEPS} fit steps in ${(r.fit.ms / 1000).toFixed(1)} s; after warm-up: ` +
      `tensors ${sum('tensors')}, bytes ${sum('bytes')}, GPU bytes ${sum('gpuBytes')}, new programs ${sum('programs')}` +
      (backend === 'webgl' || backend === 'webgpu' ? ` (${r.compiled} programs compiled during warm-up)` : '') +
      (backend === 'wasm'
        ? `, heap growth ${sum('heap')} bytes (heap ${r.heapBytes} bytes), data ids ${sum('dataIds')}`
        : '') +
      (bad.length ? `; not at baseline: ${JSON.stringify(bad)}` : ''),
  );
  for (const q of all) {
    const {tensors, bytes, gpuBytes, programs, heap, dataIds} = q;
    expect({id: q.id, tensors, bytes, gpuBytes, programs, heap, dataIds}).toEqual({
      id: q.id,
      tensors: 0,
      bytes: 0,
      gpuBytes: 0,
      programs: 0,
      heap: 0,
      dataIds: 0,
    });
  }
}

/** The soak in headless Chromium on a GPU backend, with CPU forwarding off so that GPU programs run. */
async function soakInPage(backend: 'webgl' | 'webgpu'): Promise<void> {
  const {openSession} = await import('../browser/harness');
  const session = await openSession({backend});
  try {
    await session.page.evaluate(
      flag => (window as unknown as {tf: typeof tf}).tf.env().set(flag, false),
      `${backend.toUpperCase()}_CPU_FORWARD`,
    );
    const result = (await session.page.evaluate(
      `(${soak.toString()})(window.tf, window.tfa, window.tf, ${CALLS}, ${FIT_STEPS})`,
    )) as SoakResult;
    report(backend, result);
    expect(result.compiled).toBeGreaterThan(60); // GPU programs ran (not CPU forwarding)
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
}

const maybe = ON ? describe : describe.skip;
const on = (backend: string) => (BACKENDS.includes(backend) ? test : test.skip);

maybe('soak (TFA_SOAK=1)', () => {
  on('cpu')(
    'cpu',
    async () => {
      await tf.setBackend('cpu');
      report('cpu', await soak(tf, tfa, tfl, CALLS, FIT_STEPS));
    },
    3600000,
  );

  on('tensorflow')(
    'tensorflow',
    async () => {
      await import('@tensorflow/tfjs-node');
      await tf.setBackend('tensorflow');
      report('tensorflow', await soak(tf, tfa, tfl, CALLS, FIT_STEPS));
    },
    3600000,
  );

  on('wasm')(
    'wasm (Node)',
    async () => {
      await import('@tensorflow/tfjs-backend-wasm');
      expect(await tf.setBackend('wasm')).toBe(true);
      expect(await tfa.wasmSimd()).toBe('plain'); // the package's SIMD module runs on the backend's heap
      const r = await soak(tf, tfa, tfl, CALLS, FIT_STEPS);
      report('wasm', r);
      expect(r.heapBytes).toBeGreaterThan(0); // the heap was measured
    },
    3600000,
  );

  on('webgl')('webgl (headless Chromium)', () => soakInPage('webgl'), 3600000);

  on('webgpu')('webgpu (headless Chromium)', () => soakInPage('webgpu'), 3600000);
});

test('the soak runs only with TFA_SOAK=1', () => {
  expect(typeof soak).toBe('function');
});
