/**
 * Scalar float64 helpers shared by the cpu definitions. Everything here is
 * stable over the whole float64 range, so a float32 input evaluated here and
 * rounded once lands within an ULP or two of the truth.
 */

const SQRT1_2 = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

/** 1 / (1 + exp(-x)) without overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow or loss for large negative x. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** sech(x)^2 = 1 - tanh(x)^2, without the cancellation for large |x|. */
export function sech2(x: number): number {
  const c = Math.cosh(x);
  return 1 / (c * c);
}

/**
 * erf(x) for |x| < 2.5 by the everywhere-positive series
 * erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)).
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  const a = Math.abs(x);
  let term = a;
  let sum = a;
  for (let n = 1; n < 80; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}

/** erfc(x) for x >= 2.5 by its continued fraction, evaluated bottom-up. */
function erfcFraction(x: number): number {
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + (k / 2) / f;
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The error function, accurate to a few float64 ULP. */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 2.5) return erfSeries(x);
  const r = 1 - erfcFraction(a);
  return x < 0 ? -r : r;
}

/** The complementary error function 1 - erf(x), accurate in its tail. */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x >= 2.5) return erfcFraction(x);
  if (x > -2.5) return 1 - erfSeries(x);
  return 2 - erfcFraction(-x);
}

/** Standard normal cdf Phi(x) = erfc(-x/sqrt2)/2, accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** Standard normal pdf. */
export function normalPdf(x: number): number {
  return ONE_OVER_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** x - tanh(x), with its series near 0 where the difference cancels. */
export function tanhShrink(x: number): number {
  const a = Math.abs(x);
  if (a < 0.1) {
    const x2 = x * x;
    // x^3/3 - 2x^5/15 + 17x^7/315 - 62x^9/2835 + 1382x^11/155925
    return x * x2 * (1 / 3 + x2 * (-2 / 15 + x2 * (17 / 315 + x2 * (-62 / 2835 + x2 * (1382 / 155925)))));
  }
  return x - Math.tanh(x);
}

/**
 * The pieces every softmax-like computation of one slice
 * (x[base + j·stride], j < n) needs, in float64: the max, the index m of its
 * first occurrence, and rest = Σ_{j≠m} exp(x_j − max). Then
 * softmax_j = exp(x_j − max)/(1 + rest), 1 − softmax_m = rest/(1 + rest) and
 * log_softmax_j = (x_j − max) − log1p(rest), all without cancellation when
 * one entry dominates.
 */
export function sliceStats(x: ArrayLike<number>, base: number, n: number, stride: number): [number, number, number] {
  let max = -Infinity, m = 0;
  for (let j = 0; j < n; j++) {
    const v = x[base + j * stride];
    if (v > max || v !== v) {
      max = v;
      m = j;
      if (v !== v) break;
    }
  }
  let rest = 0;
  for (let j = 0; j < n; j++) if (j !== m) rest += Math.exp(x[base + j * stride] - max);
  if (max === -Infinity) rest = NaN;  // all −inf: 0/0, NaN as in Keras
  return [max, m, rest];
}

/** Softmax of one slice into y (float64); returns the index of the max. */
export function softmaxRow(x: ArrayLike<number>, base: number, n: number, stride: number, y: Float64Array): number {
  const [max, m, rest] = sliceStats(x, base, n, stride);
  const d = 1 + rest;
  for (let j = 0; j < n; j++) y[j] = j === m ? 1 / d : Math.exp(x[base + j * stride] - max) / d;
  return m;
}

/**
 * The sparsemax threshold τ of one slice: with z the slice sorted in
 * decreasing order and c its running sum, k is the largest r with
 * 1 + r·z_r > c_r and τ = (c_k − 1)/k. `z` is scratch of length n. NaN in
 * the slice gives NaN.
 */
export function sparsemaxTau(x: ArrayLike<number>, base: number, n: number, stride: number, z: Float64Array): number {
  for (let j = 0; j < n; j++) {
    const v = x[base + j * stride];
    if (v !== v) return v;
    z[j] = v;
  }
  z.sort();  // ascending: walk it from the top
  let cum = 0, tau = 0;
  for (let r = 1; r <= n; r++) {
    const zr = z[n - r];
    cum += zr;
    if (zr - (cum - 1) / r > 0) tau = (cum - 1) / r;
    else break;
  }
  return tau;
}
