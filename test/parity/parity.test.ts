/**
 * Parity with real Keras 3 on every backend available in Node: for every
 * fixture case (activation × parameter variant × input set), (a) agreement
 * with Keras's float32 output at Keras's tolerance where Keras is right,
 * (b) the float64 truth within the backend's ULP budget (forward and
 * gradient), (c) agreement between backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import * as tfa from '../../src';
import {normalizeParams} from '../../src/params';
import {applyActivation} from '../../src/apply';
import {compareCase, truthError, type Alternatives, type FixtureCase} from './core';
import {MIN_NORMAL} from '../helpers';
import {parityBackends} from './backends';
import {fixtureFiles, loadFixture} from './fixtures';

const fixtures = fixtureFiles().map(loadFixture);
const outputs = new Map<string, Map<string, {y: Float32Array; dx: Float32Array}>>();

function run(activation: string, c: FixtureCase, xs = c.x): {y: Float32Array; dx: Float32Array} {
  const def = tfa.lookup(activation);
  const params = normalizeParams(def, c.params);
  return tf.tidy(() => {
    const x = tf.tensor(xs, c.shape, 'float32');
    const dy = tf.tensor(c.dy, c.yShape, 'float32');
    const f = (t: tf.Tensor) => applyActivation(def, t, params);
    return {y: f(x).dataSync() as Float32Array, dx: tf.grad(f)(x, dy).dataSync() as Float32Array};
  });
}

test('fixtures are present for the whole catalogue', () => {
  const names = new Set(fixtures.map(f => f.activation));
  for (const def of tfa.definitions) expect(names).toContain(def.keras);
  expect(names).toContain('swish');
  expect(names).toContain('hard_swish');
});

describe.each(parityBackends.map(b => [b.name, b] as const))('%s', (name, backend) => {
  let unavailable: string | undefined;
  beforeAll(async () => {
    unavailable = await backend.prepare();
    if (unavailable === undefined && !(await tf.setBackend(name))) unavailable = `tf.setBackend('${name}') failed`;
    outputs.set(name, new Map());
  });

  test('is available', () => {
    if (unavailable !== undefined) throw new Error(`backend ${name} cannot run here: ${unavailable}`);
  });

  describe.each(fixtures.map(f => [f.activation, f] as const))('%s', (activation, fixture) => {
    test.each(fixture.cases.map(c => [c.name, c] as const))('%s', async (caseName, c) => {
      if (unavailable !== undefined) throw new Error(`backend ${name} cannot run here: ${unavailable}`);
      const before = tf.memory().numTensors;
      const out = run(activation, c);
      expect(tf.memory().numTensors).toBe(before);
      outputs.get(name)!.set(`${activation}/${caseName}`, out);
      let alt: Alternatives | undefined;
      if (backend.subnormalInputsAsZero) {
        // The exact outputs with subnormal inputs read as ±0 (the float64 definitions, through cpu).
        const at = new Set([...c.x.keys()].filter(i => c.x[i] !== 0 && Math.abs(c.x[i]) < MIN_NORMAL));
        if (at.size > 0) {
          const flushed = c.x.map(v => v !== 0 && Math.abs(v) < MIN_NORMAL ? (v > 0 ? 0 : -0) : v);
          await tf.setBackend('cpu');
          const across = c.x.map(v => v !== 0 && Math.abs(v) < MIN_NORMAL ? -Math.sign(v) * MIN_NORMAL : v);
          alt = {at, ...run(activation, c, flushed), dxAcross: run(activation, c, across).dx};
          await tf.setBackend(name);
        }
      }
      const r = compareCase(c, out.y, out.dx, backend.budget, alt);
      if (r.failures.length + r.gradFailures.length + r.kerasMismatches.length > 0) {
        throw new Error(`${name} ${activation} ${caseName} (worst first):\n` +
                        `  beyond ${backend.budget.forward} ULP forward: ${JSON.stringify(r.failures)}\n` +
                        `  beyond ${backend.budget.backward} ULP gradient: ${JSON.stringify(r.gradFailures)}\n` +
                        `  off Keras float32 where Keras is right: ${JSON.stringify(r.kerasMismatches)}`);
      }
    });
  });
});

test('backends agree with each other within their budgets', () => {
  const names = [...outputs.keys()].filter(n => outputs.get(n)!.size > 0);
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const budgetA = parityBackends.find(p => p.name === names[a])!.budget;
      const budgetB = parityBackends.find(p => p.name === names[b])!.budget;
      for (const [key, A] of outputs.get(names[a])!) {
        const B = outputs.get(names[b])!.get(key);
        if (B === undefined) continue;
        for (let i = 0; i < A.y.length; i++) {
          if (truthError(A.y[i], B.y[i]) > budgetA.forward + budgetB.forward) {
            throw new Error(`${names[a]} and ${names[b]} differ on ${key}[${i}]: ${A.y[i]} vs ${B.y[i]}`);
          }
        }
      }
    }
  }
});
