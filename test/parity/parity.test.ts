/**
 * Parity with real Keras 3 on every backend (backends.ts: cpu and
 * tensorflow in this process, webgl in headless Chromium): for every
 * fixture case (activation × parameter variant × input set), (a) agreement
 * with Keras's float32 output at Keras's tolerance where Keras is right,
 * (b) the float64 truth within the backend's ULP budget (forward and
 * gradient), (c) agreement between backends. The largest errors per
 * backend go to .cache/parity/ for `npm run accuracy` (docs/accuracy.md).
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
// The flushed-input alternatives are computed on cpu, whichever backend runs (`jest test/parity -t webgl`).
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../../src';
import {compareCase, truthError, type Alternatives, type FixtureCase} from './core';
import {isSubnormal, MIN_NORMAL} from '../helpers';
import {parityBackends, runHere, type CaseOutput, type ParityBackend, type Runner} from './backends';
import {fixtureFiles, loadFixture} from './fixtures';

const fixtures = fixtureFiles().map(loadFixture);
/** Per backend: the outputs of every case run, with the case. */
const outputs = new Map<string, Map<string, CaseOutput & {c: FixtureCase}>>();

test('fixtures are present for the whole catalogue', () => {
  const names = new Set(fixtures.map(f => f.activation));
  for (const def of tfa.definitions) expect(names).toContain(def.keras);
  expect(names).toContain('swish');
  expect(names).toContain('hard_swish');
});

/**
 * For a backend that reads subnormal inputs as ±0: the exact outputs with
 * those inputs flushed, and the gradient just across 0 (the float64
 * definitions, through cpu in this process).
 */
async function flushedAlternatives(activation: string, c: FixtureCase): Promise<Alternatives | undefined> {
  const at = new Set([...c.x.keys()].filter(i => isSubnormal(c.x[i])));
  if (at.size === 0) return undefined;
  await import('@tensorflow/tfjs-backend-cpu'); // registered even when only a browser backend runs (jest -t webgpu)
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    const flushed = c.x.map(v => (isSubnormal(v) ? (v > 0 ? 0 : -0) : v));
    const across = c.x.map(v => (isSubnormal(v) ? -Math.sign(v) * MIN_NORMAL : v));
    return {at, ...runHere(activation, c, flushed), dxAcross: runHere(activation, c, across).dx};
  } finally {
    if (previous) await tf.setBackend(previous); // none yet when only webgl (in Chromium) runs
  }
}

/** Per activation: largest errors (ULP) of this backend and of Keras float32, and Keras's unbounded ones. */
interface Worst {
  cases: number;
  fwd: number;
  bwd: number;
  kerasFwd: number;
  kerasBwd: number;
  kerasWrong: number;
  kerasWrongGrad: number;
}

describe.each(parityBackends.map(b => [b.name, b] as const))('%s', (name, backend) => {
  let runner: Runner | undefined;
  let unavailable: string | undefined;
  const worst = new Map<string, Worst>();
  beforeAll(async () => {
    const started = await backend.start();
    if (typeof started === 'string') unavailable = started;
    else runner = started;
    outputs.set(name, new Map());
  }, 180000);

  afterAll(async () => {
    await runner?.close?.();
    const ran = [...worst.values()].reduce((n, w) => n + w.cases, 0);
    if (ran === fixtures.reduce((n, f) => n + f.cases.length, 0)) {
      // a complete run only
      const dir = join(__dirname, '..', '..', '.cache', 'parity');
      mkdirSync(dir, {recursive: true});
      writeFileSync(
        join(dir, `${name}.json`),
        JSON.stringify({budget: backend.budget, activations: Object.fromEntries(worst)}),
      );
    }
  });

  test('is available', () => {
    if (unavailable !== undefined) throw new Error(`backend ${name} cannot run here: ${unavailable}`);
  });

  describe.each(fixtures.map(f => [f.activation, f] as const))('%s', (activation, fixture) => {
    test.each(fixture.cases.map(c => [c.name, c] as const))(
      '%s',
      async (caseName, c) => {
        if (runner === undefined) throw new Error(`backend ${name} cannot run here: ${unavailable}`);
        const out = await runner.run(activation, c);
        outputs.get(name)!.set(`${activation}/${caseName}`, {...out, c});
        const alt = backend.subnormalInputsAsZero ? await flushedAlternatives(activation, c) : undefined;
        const r = compareCase(c, out.y, out.dx, backend.budget, alt);
        const w = worst.get(activation) ?? {
          cases: 0,
          fwd: 0,
          bwd: 0,
          kerasFwd: 0,
          kerasBwd: 0,
          kerasWrong: 0,
          kerasWrongGrad: 0,
        };
        worst.set(activation, {
          cases: w.cases + 1,
          fwd: Math.max(w.fwd, r.maxUlp),
          bwd: Math.max(w.bwd, r.maxUlpGrad),
          kerasFwd: Math.max(w.kerasFwd, r.kerasMaxUlp),
          kerasBwd: Math.max(w.kerasBwd, r.kerasMaxUlpGrad),
          kerasWrong: w.kerasWrong + r.kerasWrong,
          kerasWrongGrad: w.kerasWrongGrad + r.kerasWrongGrad,
        });
        if (r.failures.length + r.gradFailures.length + r.kerasMismatches.length > 0) {
          throw new Error(
            `${name} ${activation} ${caseName} (worst first):\n` +
              `  beyond ${backend.budget.forward} ULP forward: ${JSON.stringify(r.failures)}\n` +
              `  beyond ${backend.budget.backward} ULP gradient: ${JSON.stringify(r.gradFailures)}\n` +
              `  off Keras float32 where Keras is right: ${JSON.stringify(r.kerasMismatches)}`,
          );
        }
      },
      60000,
    );
  });
});

/**
 * Two backends' outputs on one case agree within the sum of their budgets: values everywhere, gradients
 * away from kinks (and, when either reads subnormal inputs as ±0, away from subnormal inputs of
 * elementwise activations, where the one-sided derivatives at 0 may differ); axis gradients also within
 * the larger `axisGradRel` of the case's largest |dx|.
 */
function disagreement(
  a: ParityBackend,
  b: ParityBackend,
  A: CaseOutput,
  B: CaseOutput,
  c: FixtureCase,
): string | undefined {
  for (let i = 0; i < A.y.length; i++) {
    if (truthError(A.y[i], B.y[i]) > a.budget.forward + b.budget.forward) return `y[${i}]: ${A.y[i]} vs ${B.y[i]}`;
  }
  const elementwise = c.y32.length === c.x.length && c.shape.length === 1;
  const flush = a.subnormalInputsAsZero || b.subnormalInputsAsZero;
  const rel = Math.max(a.budget.axisGradRel ?? 0, b.budget.axisGradRel ?? 0);
  let scale = 0;
  if (!elementwise) for (const v of B.dx) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < A.dx.length; i++) {
    if (c.kinks.has(i) || (elementwise && flush && isSubnormal(c.x[i]))) continue;
    if (truthError(A.dx[i], B.dx[i]) <= a.budget.backward + b.budget.backward) continue;
    if (!elementwise && Math.abs(A.dx[i] - B.dx[i]) <= rel * scale) continue;
    return `dx[${i}]: ${A.dx[i]} vs ${B.dx[i]}`;
  }
  return undefined;
}

test('backends agree with each other within their budgets, values and gradients', () => {
  const names = [...outputs.keys()].filter(n => outputs.get(n)!.size > 0);
  const problems: string[] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const backendA = parityBackends.find(p => p.name === names[a])!;
      const backendB = parityBackends.find(p => p.name === names[b])!;
      for (const [key, A] of outputs.get(names[a])!) {
        const B = outputs.get(names[b])!.get(key);
        if (B === undefined) continue;
        const d = disagreement(backendA, backendB, A, B, A.c);
        if (d !== undefined) problems.push(`${names[a]} and ${names[b]} differ on ${key} ${d}`);
      }
    }
  }
  expect(problems).toEqual([]);
});
