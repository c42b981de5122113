/**
 * The wasm backend in a real browser (Debian's Chromium): the page loads
 * tf.min.js, tf-backend-wasm.min.js (its .wasm binaries served from the
 * package through setWasmPaths) and the browser bundle. Checks which
 * tfjs-backend-wasm build runs and that the package's SIMD module attached
 * to its heap, a fit against cpu, an indexeddb:// round trip and no leaks.
 * The Keras fixtures run on wasm in Chromium in the parity suite
 * (test/parity/backends.ts, 'wasm-chromium').
 */
import {ISOLATED, openSession, suite, type Session} from './harness';

let session: Session;

beforeAll(async () => {
  session = await openSession({backend: 'wasm', page: 'page-wasm.html'});
}, 180000);

afterAll(async () => {
  await session?.close();
});

interface Info {
  backend: string;
  simd: string;
  wasmSimd: boolean;
  wasmThreads: boolean;
  crossOriginIsolated: boolean;
  activations: number;
}

test('the SIMD build runs (no cross-origin isolation: no threads) and the module runs in place on its plain memory', async () => {
  const info = await suite<Info>(session, 'info');
  expect(info.backend).toBe('wasm');
  expect(info.wasmSimd).toBe(true);
  expect(info.crossOriginIsolated).toBe(false);
  expect(info.wasmThreads).toBe(false);
  expect(info.simd).toBe('plain');
  expect(session.errors).toEqual([]);
});

test('a model with new activations fits on wasm as on cpu, with no leak', async () => {
  const r = await suite<{wasm: {loss: number[]; leaked: number}; cpu: {loss: number[]}; weightsMaxRel: number}>(
    session,
    'fit',
  );
  expect(r.wasm.leaked).toBe(0);
  expect(r.wasm.loss[1]).toBeLessThan(r.wasm.loss[0]);
  r.wasm.loss.forEach((l, i) => expect(Math.abs(l - r.cpu.loss[i])).toBeLessThan(1e-5 * Math.max(1, r.cpu.loss[i])));
  expect(r.weightsMaxRel).toBeLessThan(1e-4);
}, 120000);

test('save to indexeddb:// and load back on wasm: bit-identical predictions, memory back to its baseline', async () => {
  const before = await suite<{numTensors: number}>(session, 'memory');
  const r = await suite<{n: number; differ: number}>(session, 'saveLoad');
  expect(r.n).toBe(32 * 4);
  expect(r.differ).toBe(0);
  expect((await suite<{numTensors: number}>(session, 'memory')).numTensors).toBe(before.numTensors);
  expect(session.errors).toEqual([]);
}, 120000);

describe('cross-origin isolated: the threaded SIMD build, whose heap is a shared memory', () => {
  let isolated: Session;
  beforeAll(async () => {
    isolated = await openSession({backend: 'wasm', page: 'page-wasm.html', headers: ISOLATED});
  }, 180000);
  afterAll(async () => {
    await isolated?.close();
  });

  test("the module attaches to the shared memory and the fixtures' fit runs as on cpu", async () => {
    const info = await suite<Info>(isolated, 'info');
    expect(info.crossOriginIsolated).toBe(true);
    expect(info.wasmThreads).toBe(true);
    expect(info.simd).toBe('shared');
    const r = await suite<{wasm: {loss: number[]; leaked: number}; cpu: {loss: number[]}; weightsMaxRel: number}>(
      isolated,
      'fit',
    );
    expect(r.wasm.leaked).toBe(0);
    expect(r.weightsMaxRel).toBeLessThan(1e-4);
    expect(isolated.errors).toEqual([]);
  }, 120000);
});
