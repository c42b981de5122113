/**
 * Subnormal inputs and kinks, on every backend: where tensorflow and GPUs
 * read subnormals as ±0, the answer still lands on the right side of every
 * jump at 0 (docs/non-finite.md), and the value at a kink is the cpu
 * definition's on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../../src';
import type {Session} from '../browser/harness';

const TINY = 1.401298464324817e-45,
  SUB = 9.99994610111476e-41,
  MIN_NORMAL = 1.1754943508222875e-38;

/** [op id, options, x, expected y or null (unchecked), expected dy·f'(x) with dy = 1, or null] */
const CASES: Array<[string, object, number, number | null, number | null]> = [
  // the answer is x (flushed or not), never the default value
  ['threshold', {threshold: 0, defaultValue: -1}, TINY, TINY, 1],
  ['threshold', {threshold: 0, defaultValue: -1}, SUB, SUB, 1],
  ['threshold', {threshold: 0, defaultValue: -1}, -TINY, -1, 0],
  ['relu', {}, TINY, TINY, 1],
  ['relu', {}, -TINY, 0, 0],
  ['relu', {negativeSlope: 0.1}, TINY, TINY, 1],
  ['relu', {negativeSlope: 0.1}, -SUB, null, Math.fround(0.1)],
  ['leakyRelu', {}, -TINY, null, Math.fround(0.2)],
  ['leakyRelu', {}, TINY, TINY, 1],
  ['elu', {alpha: 0.5}, SUB, SUB, 1],
  ['elu', {alpha: 0.5}, -SUB, null, 0.5],
  ['selu', {}, SUB, null, Math.fround(1.0507009873554805)],
  ['relu6', {}, TINY, TINY, 1],
  // kinks at 0 itself: the cpu definition's one-sided value (Keras's autodiff)
  ['leakyRelu', {}, 0, 0, 1],
  ['leakyRelu', {}, -0, -0, 1],
  ['relu', {negativeSlope: 0.1}, 0, 0, 0],
  // x/alpha underflows in float32, celu(x) does not (wasm's float32 forward once gave −0)
  ['celu', {alpha: 10}, -TINY, -TINY, 1],
  ['celu', {alpha: 10}, SUB, SUB, 1],
];

function same(got: number, want: number, flushes: boolean): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  // a subnormal answer may be flushed to zero of the same sign, or read as ±MIN_NORMAL (docs/non-finite.md)
  if (flushes && want !== 0 && Math.abs(want) < MIN_NORMAL) {
    return Math.sign(got) === Math.sign(want) || got === 0 ? Math.abs(got - want) <= MIN_NORMAL : false;
  }
  return want === 0 ? Object.is(got, want) : got === want; // a zero with the definition's sign
}

type Runner = (id: string, options: object, x: number) => Promise<[number, number]>;

/** `n` elements (x first): 4 reach the tensorflow kernels, not a scalar shortcut; 32 the wasm module's loops. */
function here(n = 4): Runner {
  return async (id, options, x) => {
    const op = (tfa as unknown as Record<string, (t: tf.Tensor, o: object) => tf.Tensor>)[id];
    const t = tf.tensor1d(Array.from({length: n}, (_, i) => [x, 2, -3, 0.5][i % 4]));
    const y = op(t, options),
      d = tf.grad(v => op(v, options))(t);
    const out: [number, number] = [y.dataSync()[0], d.dataSync()[0]];
    tf.dispose([t, y, d]);
    return out;
  };
}

/** `flushes`: the backend may read or return subnormals as ±0 (tensorflow, the GPUs); cpu and wasm must be exact. */
function check(run: () => Runner, flushes = true): void {
  test.each(CASES)('%s %j at %d', async (id, options, x, y, dx) => {
    const [gy, gdx] = await run()(id, options, x);
    if (y !== null) expect({y: gy, ok: same(gy, y, flushes)}).toEqual({y: gy, ok: true});
    if (dx !== null) expect({dx: gdx, ok: same(gdx, dx, flushes)}).toEqual({dx: gdx, ok: true});
  });
}

describe('cpu', () => {
  beforeAll(() => tf.setBackend('cpu'));
  check(here, false);
});

describe('wasm', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    expect(await tfa.wasmSimd()).toBe('plain'); // the module's loops run (not the JS loops on heap views)
  });
  check(() => here(32), false);
});

describe('tensorflow', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-node');
    await tf.setBackend('tensorflow');
  });
  check(here);
});

describe('webgl (GPU programs)', () => {
  let session: Session;
  beforeAll(async () => {
    const {openSession} = await import('../browser/harness');
    session = await openSession();
    await session.page.evaluate(() => (window as unknown as {tf: typeof tf}).tf.env().set('WEBGL_CPU_FORWARD', false));
  }, 120000);
  afterAll(() => session?.close());
  check(
    () => async (id, options, x) =>
      session.page.evaluate(
        ([i, o, v]) => {
          const w = window as unknown as {tf: typeof tf; tfa: Record<string, (t: tf.Tensor, o: object) => tf.Tensor>};
          const t = w.tf.tensor1d([v as number, 2, -3, 0.5]);
          const y = w.tfa[i as string](t, o as object),
            d = w.tf.grad(q => w.tfa[i as string](q, o as object))(t);
          const out: [number, number] = [y.dataSync()[0], d.dataSync()[0]];
          w.tf.dispose([t, y, d]);
          return out;
        },
        [id, options, x] as const,
      ),
  );
});

describe('webgl sparsemax on long slices (the bisection path, n > 512) at any magnitude', () => {
  let s: Session;
  beforeAll(async () => {
    const {openSession} = await import('../browser/harness');
    s = await openSession();
  }, 120000);
  afterAll(() => s?.close());
  test.each([0, 1e4, 1e16, -3e38])(
    'offset %d',
    async offset => {
      const {referenceRow} = await import('./reference');
      {
        const n = 600;
        const row = Array.from({length: n}, (_, j) => Math.fround(offset + Math.fround(Math.sin(j * 12.9898) * 3)));
        const dys = Array.from({length: n}, (_, j) => Math.fround(Math.cos(j * 7.233)));
        const got = await s.page.evaluate(
          ([xs, gs]) => {
            const w = window as unknown as {tf: typeof tf; tfa: Record<string, (t: tf.Tensor) => tf.Tensor>};
            w.tf.env().set('WEBGL_CPU_FORWARD', false);
            const x = w.tf.tensor2d([xs as number[]]),
              dy = w.tf.tensor2d([gs as number[]]);
            const y = w.tfa.sparsemax(x),
              d = w.tf.grad(t => w.tfa.sparsemax(t))(x, dy);
            const out = {y: Array.from(y.dataSync()), dx: Array.from(d.dataSync())};
            w.tf.dispose([x, dy, y, d]);
            return out;
          },
          [row, dys] as const,
        );
        const want = referenceRow('sparsemax', row, dys);
        const maxErr = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
        expect(maxErr(got.y, want.y)).toBeLessThan(1e-6);
        expect(maxErr(got.dx, want.dx)).toBeLessThan(1e-5);
        expect(Math.abs(got.y.reduce((p, q) => p + q, 0) - 1)).toBeLessThan(1e-6);
      }
    },
    120000,
  );
});
