import type {NativeOps, NativeTensor} from './definition';

/**
 * z = x − max over `axes` for the tensorflow compositions of softmax,
 * log_softmax and sparsemax, with the rules of docs/non-finite.md: z is
 * exactly 0 at the maximum (also when it is a single +inf, so the one-hot
 * limit comes out instead of inf − inf = NaN), and a slice without a limit
 * has NaN in z (a NaN entry; two or more +inf; only −inf), which every
 * composition spreads over its slice. `X` is float64, so x − max is exact
 * or correctly rounded at any float32 magnitude. 8 launches beyond x − max.
 */
export function shiftByMax(X: NativeTensor, axes: readonly number[], n: NativeOps): NativeTensor {
  const M = n.max(X, axes);
  const atMax = n.op('Equal', [X, M]);
  const count = n.sum(n.f64(atMax), axes); // entries equal to the maximum
  // at the maximum: M − M is 0, or NaN for ±inf; it is kept NaN unless the maximum is a single +inf
  // (count − sign(M) is 0 exactly then: MulNoNan gives 0), and −inf rows keep it (count + 1 > 0)
  const atMaxValue = n.mulNoNan(n.sub(M, M), n.sub(count, n.op('Sign', [M])));
  return n.select(atMax, atMaxValue, n.sub(X, M));
}
