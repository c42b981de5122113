/**
 * Backends the parity suite runs on in Node, one line each. `prepare`
 * loads the backend and returns nothing, or the reason it cannot run here.
 * (webgl runs the same comparisons in Chromium: see test/browser/.)
 */
import type {Budget} from './core';

export interface ParityBackend {
  name: string;
  budget: Budget;
  /** Reads subnormal inputs as ±0 (TensorFlow's and GPUs' denormals-are-zero). */
  subnormalInputsAsZero?: boolean;
  prepare(): Promise<string | undefined>;
}

async function load(module: string): Promise<string | undefined> {
  try {
    await import(module);
    return undefined;
  } catch (e) {
    return `${module} could not be loaded: ${(e as Error).message.split('\n')[0]}`;
  }
}

export const parityBackends: ParityBackend[] = [
  {name: 'cpu', budget: {forward: 4, backward: 16}, prepare: () => load('@tensorflow/tfjs-backend-cpu')},
  {name: 'tensorflow', budget: {forward: 4, backward: 16}, subnormalInputsAsZero: true,
   prepare: () => load('@tensorflow/tfjs-node')},
];
