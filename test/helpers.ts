/** Shared test helpers: float32 ULP distance (test/float32.ts) and backend setup. */
import * as tf from '@tensorflow/tfjs-core';

export {close, isNormalF32, isSubnormal, MAX_FLOAT, MIN_NORMAL, ordinal, stepUlp, truthError, ulp} from './float32';

export async function useBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} could not be set`);
}

/** Runs fn and asserts that it leaves no tensor behind. */
export async function noLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const r = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return r;
}
