/** Shared test helpers: float32 ULP distance and backend setup. */
import * as tf from '@tensorflow/tfjs-core';

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Maps a float32 to an integer so that adjacent floats differ by 1 (−0 and +0 coincide). */
export function ordinal(v: number): number {
  f32[0] = v;
  const i = i32[0];
  return i < 0 ? -(i & 0x7fffffff) : i;
}

/** Distance in float32 ULPs between a float32 result and a float64 truth rounded to float32. */
export function ulp(result: number, truth: number): number {
  const t = Math.fround(truth);
  if (Number.isNaN(t) || Number.isNaN(result)) return Number.isNaN(t) && Number.isNaN(result) ? 0 : Infinity;
  if (!Number.isFinite(t) || !Number.isFinite(result)) return t === result ? 0 : Infinity;
  return Math.abs(ordinal(result) - ordinal(t));
}

export const MIN_NORMAL = 1.1754943508222875e-38;
export const MAX_FLOAT = 3.4028234663852886e38;

/** Whether a float64 truth is a normal float32 after rounding (where the ULP rule applies). */
export function isNormalF32(truth: number): boolean {
  const t = Math.abs(Math.fround(truth));
  return t >= MIN_NORMAL && t <= MAX_FLOAT;
}

/** Keras's test tolerance: |a − b| ≤ atol + rtol·|b|. */
export function close(a: number, b: number, atol = 1e-6, rtol = 1e-5): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

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
