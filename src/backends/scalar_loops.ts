/**
 * The element loops of an elementwise activation's float64 scalar
 * definition over Float32Arrays: forward f(x) and backward dy·f⁽ⁿ⁾(x), NaN
 * in giving NaN out. The cpu kernels run them, and so do the webgl (small
 * inputs forwarded to the CPU) and tensorflow (no binding) fallbacks.
 */
import type {Constants, ElementwiseActivation, ScalarFn} from '../definition';

type Values = Float32Array;

/** f′ or f″ of the definition; a clear error for an order it does not have. */
function derivativeOf(def: ElementwiseActivation, order: number): ScalarFn {
  const fn = order === 1 ? def.derivative : order === 2 ? def.second : undefined;
  if (fn === undefined) throw new Error(`${def.keras}: derivative of order ${order} is not available`);
  return fn;
}

type ForwardLoop = (xs: Values, out: Values, u: Constants) => void;
type BackwardLoop = (xs: Values, dys: Values, out: Values, u: Constants) => void;

const forwardSource = (name: string) => `return function ${name}(xs, out, u) {
  for (let i = 0; i < xs.length; i++) { const v = xs[i]; out[i] = v === v ? f(v, u) : v; }
};`;
const backwardSource = (name: string) => `return function ${name}(xs, dys, out, u) {
  for (let i = 0; i < xs.length; i++) { const v = xs[i]; out[i] = v === v ? dys[i] * f(v, u) : v; }
};`;

/**
 * The element loop of one scalar function, compiled from source for that
 * function alone: V8 keeps type feedback per compiled function, so the call
 * `f(v, u)` in it has a single target and gets inlined. One shared loop
 * would see every activation's `f` at the same call site and call it
 * through a megamorphic stub, per element (several times slower). The
 * source names the loop after its function because V8 caches compiled
 * `Function` sources, feedback included: identical texts would share one
 * loop again. Where code generation is not allowed (a
 * Content-Security-Policy without 'unsafe-eval'), the shared loops below
 * run instead: same results, slower.
 */
function compileLoop<L>(source: (name: string) => string, name: string, f: ScalarFn, fallback: (f: ScalarFn) => L): L {
  try {
    return new Function('f', source(name.replace(/[^A-Za-z0-9_]/g, '_')))(f) as L;
  } catch {
    return fallback(f);
  }
}

const sharedForward =
  (f: ScalarFn): ForwardLoop =>
  (xs, out, u) => {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      out[i] = v === v ? f(v, u) : v;
    }
  };

const sharedBackward =
  (f: ScalarFn): BackwardLoop =>
  (xs, dys, out, u) => {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      out[i] = v === v ? dys[i] * f(v, u) : v;
    }
  };

export interface ScalarLoops {
  /** f(x) for every element, into a new Float32Array. */
  forward(xs: Values, u: Constants): Float32Array;
  /** dy·f′(x) (order 1) or dy·f″(x) (order 2) for every element, into a new Float32Array. */
  backward(order: number, xs: Values, dys: Values, u: Constants): Float32Array;
  /** The same loops into a given output (the wasm backend's heap views). */
  forwardInto(xs: Values, out: Values, u: Constants): void;
  backwardInto(order: number, xs: Values, dys: Values, out: Values, u: Constants): void;
}

const loops = new WeakMap<ElementwiseActivation, ScalarLoops>();

/** The loops of one activation, compiled once (the backward one per order, on first use) and shared by every backend. */
export function scalarLoops(def: ElementwiseActivation): ScalarLoops {
  let l = loops.get(def);
  if (l !== undefined) return l;
  const forward = compileLoop(forwardSource, `${def.id}Forward`, def.forward, sharedForward);
  const backward: BackwardLoop[] = [];
  const backwardLoop = (order: number): BackwardLoop =>
    (backward[order] ??= compileLoop(
      backwardSource,
      `${def.id}Derivative${order}`,
      derivativeOf(def, order),
      sharedBackward,
    ));
  l = {
    forward(xs, u) {
      const out = new Float32Array(xs.length);
      forward(xs, out, u);
      return out;
    },
    backward(order, xs, dys, u) {
      const loop = backwardLoop(order);
      const out = new Float32Array(xs.length);
      loop(xs, dys, out, u);
      return out;
    },
    forwardInto: (xs, out, u) => forward(xs, out, u),
    backwardInto: (order, xs, dys, out, u) => backwardLoop(order)(xs, dys, out, u),
  };
  loops.set(def, l);
  return l;
}
