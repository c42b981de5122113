/**
 * float32 facts and distances shared by every suite (Node and the browser
 * page): no imports, so the browser suite bundles it as is.
 */

export const MIN_NORMAL = 1.1754943508222875e-38;
export const MAX_FLOAT = 3.4028234663852886e38;
/** The smallest positive subnormal float32. */
export const MIN_SUBNORMAL = 1.401298464324817e-45;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Maps a float32 to an integer so that adjacent floats differ by 1 (−0 and +0 coincide). */
export function ordinal(v: number): number {
  f32[0] = v;
  const i = i32[0];
  return i < 0 ? -(i & 0x7fffffff) : i;
}

/** The float32 at an ordinal (inverse of `ordinal`; 0 gives +0). */
export function fromOrdinal(o: number): number {
  i32[0] = o < 0 ? -o | 0x80000000 : o;
  return f32[0];
}

/** The float32 `steps` ULPs above (steps > 0) or below v rounded to float32; ±0 step to ±subnormals. */
export function stepUlp(v: number, steps: number): number {
  return fromOrdinal(ordinal(Math.fround(v)) + steps);
}

/** Distance in float32 ULPs between a float32 result and a float64 truth rounded to float32. */
export function ulp(result: number, truth: number): number {
  const t = Math.fround(truth);
  if (Number.isNaN(t) || Number.isNaN(result)) return Number.isNaN(t) && Number.isNaN(result) ? 0 : Infinity;
  if (!Number.isFinite(t) || !Number.isFinite(result)) return t === result ? 0 : Infinity;
  return Math.abs(ordinal(result) - ordinal(t));
}

/** Whether a float64 truth is a normal float32 after rounding (where the ULP rule applies). */
export function isNormalF32(truth: number): boolean {
  const t = Math.abs(Math.fround(truth));
  return t >= MIN_NORMAL && t <= MAX_FLOAT;
}

export const isSubnormal = (v: number): boolean => v !== 0 && Math.abs(v) < MIN_NORMAL;

/**
 * Error of one result against the float64 truth: ULPs where the truth is a
 * normal float32; where it is subnormal or 0 the result may differ by at
 * most the smallest normal (flush to zero allowed); where it is ±inf or NaN
 * the result must be the same.
 */
export function truthError(result: number, truth: number): number {
  if (Number.isNaN(truth)) return Number.isNaN(result) ? 0 : Infinity;
  const t = Math.fround(truth);
  if (!Number.isFinite(t)) return result === t ? 0 : Infinity;
  if (isNormalF32(truth)) return ulp(result, truth);
  return Math.abs(result - truth) <= MIN_NORMAL ? 0 : Infinity;
}

/** Keras's test tolerance: |a − b| ≤ atol + rtol·|b|. */
export function close(a: number, b: number, atol = 1e-6, rtol = 1e-5): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/**
 * Whether the order-k result (f for k = 0, dy·f⁽ᵏ⁾ above) is NaN at a NaN x (docs/non-finite.md): always, but
 * for the gradient of an identity activation (linear), which is dy itself, as Keras's autodiff gives.
 */
export function nanAtNaN(def: {identity?: boolean}, order: number): boolean {
  return order !== 1 || def.identity !== true;
}
