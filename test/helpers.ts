/** Shared test helpers: float32 ULP distance (test/float32.ts) and backend setup. */
import * as tf from '@tensorflow/tfjs-core';

export {
  close,
  isNormalF32,
  isSubnormal,
  MAX_FLOAT,
  MIN_NORMAL,
  nanAtNaN,
  ordinal,
  stepUlp,
  truthError,
  ulp,
} from './float32';

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

/** The tfjs-node backend's N-API binding: every libtensorflow op goes through its executeOp. */
interface NodeBinding {
  executeOp(name: string, ...rest: unknown[]): unknown;
}

/**
 * One recording wrapper per binding, reused by every call (the package caches constant tensors per binding object,
 * so a fresh wrapper each time would make them anew).
 */
const recorders = new WeakMap<NodeBinding, {wrapper: NodeBinding; ops: string[] | null}>();

/**
 * Runs fn on the tensorflow backend and returns its result with the names of the libtensorflow ops it launched,
 * in order (executeOp is a read-only property of the addon's object: they are recorded through a wrapper that
 * stands in for the binding while fn runs).
 */
export function nativeOpsDuring<T>(fn: () => T): {result: T; ops: string[]} {
  const backend = tf.backend() as unknown as {binding: NodeBinding};
  const real = backend.binding;
  let r = recorders.get(real);
  if (r === undefined) {
    const rec: {wrapper: NodeBinding; ops: string[] | null} = {wrapper: Object.create(real) as NodeBinding, ops: null};
    Object.defineProperty(rec.wrapper, 'executeOp', {
      value: (name: string, ...rest: unknown[]) => {
        rec.ops?.push(name);
        return real.executeOp(name, ...rest);
      },
    });
    recorders.set(real, (r = rec));
  }
  const ops: string[] = [];
  r.ops = ops;
  backend.binding = r.wrapper;
  try {
    return {result: fn(), ops};
  } finally {
    r.ops = null;
    backend.binding = real;
  }
}
