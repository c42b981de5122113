import type {NativeOps, NativeTensor} from './definition';

/**
 * z = x − max over `axes` for the tensorflow compositions of softmax,
 * log_softmax and sparsemax, with the rules of docs/non-finite.md: z is
 * exactly 0 at the maximum (also when it is +inf, so a single +inf gives the
 * one-hot limit instead of inf − inf = NaN), and a slice without a limit
 * (a NaN, two or more +inf, or only −inf) is NaN throughout. `X` is float64,
 * so x − max is exact or correctly rounded at any float32 magnitude.
 */
export function shiftByMax(X: NativeTensor, axes: readonly number[], n: NativeOps): NativeTensor {
  const M = n.max(X, axes);
  const z = n.select(n.op('Equal', [X, M]), 0, n.sub(X, M));
  const infs = n.sum(n.f64(n.op('Equal', [X, Infinity])), axes);
  const noLimit = n.op('LogicalOr', [n.greater(infs, 1), n.op('Equal', [M, -Infinity])]);
  // NaN anywhere: Max may skip it, so carry it over explicitly
  const nan = n.add(n.select(noLimit, n.add(infs, NaN), n.mul(infs, 0)), n.sum(n.nanOf(X), axes));  // float64 0 or NaN
  return n.add(z, nan);
}
