/**
 * Backends the parity suite runs on, one line each. `start` loads the
 * backend and returns a runner, or the reason it cannot run here (the
 * suite then fails for that backend, it never passes silently).
 *
 * Node backends run in this process; webgl runs in headless Chromium
 * (test/browser/harness.ts), with the comparisons made here all the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Budget, FixtureCase} from './core';
import {applyActivation} from '../../src/apply';
import {lookup} from '../../src/catalogue';
import {normalizeParams} from '../../src/params';

export interface CaseOutput {
  y: Float32Array;
  dx: Float32Array;
}

export interface Runner {
  /** One fixture case: the forward output, and dx = ∂Σ(dy·f(x))/∂x through tf.grad. */
  run(activation: string, c: FixtureCase): Promise<CaseOutput>;
  close?(): Promise<void>;
}

export interface ParityBackend {
  name: string;
  budget: Budget;
  /** Reads subnormal inputs as ±0 (TensorFlow's and GPUs' denormals-are-zero). */
  subnormalInputsAsZero?: boolean;
  start(): Promise<Runner | string>;
}

/** Runs a case on the current tfjs backend in this process; throws if a tensor leaks. */
export function runHere(activation: string, c: FixtureCase, xs: Float32Array = c.x): CaseOutput {
  const def = lookup(activation);
  const params = normalizeParams(def, c.params);
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const x = tf.tensor(xs, c.shape, 'float32');
    const dy = tf.tensor(c.dy, c.yShape, 'float32');
    const f = (t: tf.Tensor) => applyActivation(def, t, params);
    return {y: f(x).dataSync() as Float32Array, dx: tf.grad(f)(x, dy).dataSync() as Float32Array};
  });
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${activation} ${c.name}: ${after - before} tensors leaked`);
  return out;
}

/** A backend of this process, from the package that registers it. */
function inProcess(name: string, module: string): () => Promise<Runner | string> {
  return async () => {
    try {
      await import(module);
    } catch (e) {
      return `${module} could not be loaded: ${(e as Error).message.split('\n')[0]}`;
    }
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') failed`;
    return {
      run: async (activation, c) => {
        if (tf.getBackend() !== name) await tf.setBackend(name);
        return runHere(activation, c);
      },
    };
  };
}

/** webgl, webgpu or wasm in headless Chromium: the page runs the case (GPU programs, no CPU forwarding). */
async function inChromium(backend = 'webgl', page?: string): Promise<Runner | string> {
  const {openSession, suite} = await import('../browser/harness');
  let session: Awaited<ReturnType<typeof openSession>>;
  try {
    session = await openSession({backend, page});
  } catch (e) {
    return `headless Chromium with ${backend} could not start: ${(e as Error).message.split('\n')[0]}`;
  }
  const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  const f32 = (s: string) => {
    const b = Buffer.from(s, 'base64');
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  return {
    run: async (activation, c) => {
      const [out] = await suite<Array<{y: string; dx: string; leaked: number}>>(session, 'fixture', {
        activation,
        cases: [{params: c.params, shape: c.shape, yShape: c.yShape, x: b64(c.x), dy: b64(c.dy)}],
      });
      if (out.leaked !== 0) throw new Error(`${activation} ${c.name}: ${out.leaked} tensors leaked on ${backend}`);
      if (session.errors.length > 0) throw new Error(`page errors: ${session.errors.join('; ')}`);
      return {y: f32(out.y), dx: f32(out.dx)};
    },
    close: async () => {
      // programs the backend compiled for the whole run (TFA_PARITY_PROGRAMS=1 prints it)
      if (process.env.TFA_PARITY_PROGRAMS) {
        const n = await suite<{total: number; ours: number}>(session, 'programs');
        console.log(`${backend}: ${n.total} programs compiled, ${n.ours} of them this package's`);
      }
      await session.close();
    },
  };
}

/**
 * tensorflow with the package's native op library (one fused op per kernel,
 * subnormals kept) or, as `tensorflow-chains`, with its libtensorflow op chains.
 */
function tensorflowWith(native: boolean): () => Promise<Runner | string> {
  const start = inProcess('tensorflow', '@tensorflow/tfjs-node');
  return async () => {
    const runner = await start();
    if (typeof runner === 'string') return runner;
    const {nativeOpsStatus, setNativeOps} = await import('../../src/backends/tensorflow_native');
    setNativeOps(native);
    const status = nativeOpsStatus((tf.backend() as unknown as {binding: never}).binding);
    if (native && !status.loaded) return `the native op library is not loaded: ${status.reason}`;
    return {
      run: (activation, c) => {
        setNativeOps(native);
        return runner.run(activation, c);
      },
    };
  };
}

/**
 * webgl's budget is measured on SwiftShader and explained in docs/webgl.md
 * (GLSL ES 3.0 has float32 arithmetic only: the longest compensated chains
 * leave up to 10 ULP in a gradient). Axis gradients are sums that cancel:
 * there an error within 2e−6 of the case's largest |dx| is accepted too.
 */
export const parityBackends: ParityBackend[] = [
  {name: 'cpu', budget: {forward: 4, backward: 16}, start: inProcess('cpu', '@tensorflow/tfjs-backend-cpu')},
  {name: 'tensorflow', budget: {forward: 4, backward: 16}, start: tensorflowWith(true)},
  {
    name: 'tensorflow-chains',
    budget: {forward: 4, backward: 16},
    subnormalInputsAsZero: true,
    start: tensorflowWith(false),
  },
  {
    name: 'webgl',
    budget: {forward: 4, backward: 10, axisGradRel: 2e-6},
    subnormalInputsAsZero: true,
    start: inChromium,
  },
  // webgpu's budget: docs/webgpu.md (measured on SwiftShader's Vulkan, as webgl's)
  {
    name: 'webgpu',
    budget: {forward: 4, backward: 10, axisGradRel: 2e-6},
    subnormalInputsAsZero: true,
    start: () => inChromium('webgpu'),
  },
  {name: 'wasm', budget: {forward: 4, backward: 16}, start: inProcess('wasm', '@tensorflow/tfjs-backend-wasm')},
  {name: 'wasm-chromium', budget: {forward: 4, backward: 16}, start: () => inChromium('wasm', 'page-wasm.html')},
];
