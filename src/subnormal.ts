import type {Constants, ElementwiseActivation} from './definition';

/** The smallest normal float32, 2^−126. */
export const MIN_NORMAL_F32 = 1.1754943508222875e-38;

/**
 * Whether a backend that reads subnormal inputs as ±0 (tensorflow's and
 * GPUs' denormals-are-zero) must read them as ±MIN_NORMAL instead, so that
 * the answer lands on the right side of a jump at 0 (threshold(1e-45,
 * {threshold: 0, defaultValue: -1}) is not −1; relu'(1e-45) is 1): true when
 * the function of this order (0: forward, 1, 2: derivatives) differs
 * between ±0 and ±MIN_NORMAL by more than a continuous function can, and is
 * the same at the smallest subnormal and at MIN_NORMAL (a parameter
 * threshold inside the subnormal range is left alone: docs/non-finite.md).
 */
export function readSubnormalsAsNormal(def: ElementwiseActivation, order: number, u: Constants): boolean {
  const f = order === 0 ? def.forward : order === 1 ? def.derivative : def.second;
  if (f === undefined) return false;
  // a jump, not the change of a continuous function over 2^−126 (nor float64 rounding)
  const differ = (a: number, b: number) =>
    !(Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) + 1e-30) && !(Number.isNaN(a) && Number.isNaN(b));
  for (const s of [1, -1]) {
    const zero = f(s * 0, u),
      tiny = f(s * 1.401298464324817e-45, u),
      normal = f(s * MIN_NORMAL_F32, u);
    if (differ(zero, normal) && !differ(tiny, normal)) return true;
  }
  return false;
}
