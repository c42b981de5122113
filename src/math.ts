/**
 * Scalar float64 helpers shared by the cpu definitions. Everything here is
 * stable over the whole float64 range, so a float32 input evaluated here and
 * rounded once lands within an ULP or two of the truth.
 */

const SQRT1_2 = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

/**
 * 1/(1 + exp(−x)), relatively accurate everywhere (for x ≪ 0 the large exp(−x)
 * only scales the quotient). No branch on the sign: the only test is for
 * exp(−x) overflowing (x < −709.78), rare, where exp(x) is the answer.
 */
export function sigmoid(x: number): number {
  const e = Math.exp(-x);
  return e === Infinity ? Math.exp(x) : 1 / (1 + e);
}

/**
 * log(1 + e) for 0 ≤ e ≤ 1 as 2·atanh(s) = 2(s + s³/3 + … + s²¹/21), s = e/(2 + e)
 * ≤ 1/3, the polynomial evaluated by Estrin's scheme: relative error below
 * 2e-12 (a float32 ULP is 6e-8), no cancellation for small e, and cheaper
 * than Math.log1p in V8.
 */
function log1pUnit(e: number): number {
  const s = e / (2 + e),
    z = s * s,
    z2 = z * z,
    z4 = z2 * z2,
    z8 = z4 * z4;
  return (
    2 *
    s *
    (1 +
      z * (1 / 3) +
      z2 * (1 / 5 + z * (1 / 7)) +
      z4 * (1 / 9 + z * (1 / 11) + z2 * (1 / 13 + z * (1 / 15))) +
      z8 * (1 / 17 + z * (1 / 19) + z2 * (1 / 21)))
  );
}

/**
 * log(1 + exp(x)) = max(x, 0) + log1p(exp(−|x|)): no overflow, no loss for
 * large negative x, and no branch on the sign (max(x, 0) = (x + |x|)/2 exactly).
 */
export function softplus(x: number): number {
  const a = Math.abs(x);
  if (a === Infinity) return x > 0 ? x : 0;
  return 0.5 * (x + a) + log1pUnit(Math.exp(-a));
}

/**
 * tanh from one exp (Math.tanh costs about twice as much in V8): its odd
 * series below |x| = 0.1, else 1 − 2/(1 + exp(2x)), which needs no branch on
 * the sign (exp overflowing to ∞ gives 1, underflowing to 0 gives −1) and
 * cancels at most a factor 10 at |x| = 0.1. Within a few float64 ULP;
 * tanh(±0) = ±0.
 */
export function tanh(x: number): number {
  if (Math.abs(x) < 0.1) {
    const z = x * x;
    return (
      x *
      (1 +
        z * (-1 / 3 + z * (2 / 15 + z * (-17 / 315 + z * (62 / 2835 + z * (-1382 / 155925 + z * (21844 / 6081075)))))))
    );
  }
  return 1 - 2 / (1 + Math.exp(2 * x));
}

/** sech(x)² = 1 − tanh(x)² = 4e/(1 + e)² with e = exp(−2|x|): no cancellation, one exp. */
export function sech2(x: number): number {
  const e = Math.exp(-2 * Math.abs(x)),
    d = 1 + e;
  return (4 * e) / (d * d);
}

// erf and erfc: the rational approximations of FreeBSD's msun s_erf.c (Sun
// Microsystems, 1993; also musl's erf.c), errors below one float64 ULP. No
// loops and at most one exp: the cpu kernels evaluate them per element.

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
// erf on [0, 0.84375]: x + x·P(x²)/Q(x²)
const PP0 = 1.28379167095512558561e-1,
  PP1 = -3.2504210724700149937e-1,
  PP2 = -2.84817495755985104766e-2,
  PP3 = -5.77027029648944159157e-3,
  PP4 = -2.37630166566501626084e-5;
const QQ1 = 3.97917223959155352819e-1,
  QQ2 = 6.50222499887672944485e-2,
  QQ3 = 5.08130628187576562776e-3,
  QQ4 = 1.32494738004321644526e-4,
  QQ5 = -3.9602282787753681232e-6;
// erf on [0.84375, 1.25]: erx + P(s)/Q(s), s = |x| − 1
const PA0 = -2.36211856075265944077e-3,
  PA1 = 4.14856118683748331666e-1,
  PA2 = -3.72207876035701323847e-1,
  PA3 = 3.18346619901161753674e-1,
  PA4 = -1.10894694282396677476e-1,
  PA5 = 3.54783043256182359371e-2,
  PA6 = -2.166375594868790843e-3;
const QA1 = 1.06420880400844228286e-1,
  QA2 = 5.40397917702171048937e-1,
  QA3 = 7.18286544141962662868e-2,
  QA4 = 1.26171219808761642112e-1,
  QA5 = 1.36370839120290507362e-2,
  QA6 = 1.1984499846799107417e-2;
// erfc on [1.25, 1/0.35]: exp(−x² − 0.5625 + R(s)/S(s))/x, s = 1/x²
const RA0 = -9.86494403484714822705e-3,
  RA1 = -6.93858572707181764372e-1,
  RA2 = -1.05586262253232909814e1,
  RA3 = -6.23753324503260060396e1,
  RA4 = -1.62396669462573470355e2,
  RA5 = -1.84605092906711035994e2,
  RA6 = -8.12874355063065934246e1,
  RA7 = -9.81432934416914548592;
const SA1 = 1.96512716674392571292e1,
  SA2 = 1.376577541435190426e2,
  SA3 = 4.34565877475229228821e2,
  SA4 = 6.45387271733267880336e2,
  SA5 = 4.29008140027567833386e2,
  SA6 = 1.08635005541779435134e2,
  SA7 = 6.57024977031928170135,
  SA8 = -6.04244152148580987438e-2;
// erfc on [1/0.35, 28]
const RB0 = -9.86494292470009928597e-3,
  RB1 = -7.99283237680523006574e-1,
  RB2 = -1.77579549177547519889e1,
  RB3 = -1.60636384855821916062e2,
  RB4 = -6.37566443368389627722e2,
  RB5 = -1.02509513161107724954e3,
  RB6 = -4.83519191608651397019e2;
const SB1 = 3.03380607434824582924e1,
  SB2 = 3.25792512996573918826e2,
  SB3 = 1.53672958608443695994e3,
  SB4 = 3.19985821950859553908e3,
  SB5 = 2.55305040643316442583e3,
  SB6 = 4.74528541206955367215e2,
  SB7 = -2.24409524465858183362e1;

/** P(z)/Q(z) of the [0, 0.84375] interval, z = x². */
function erfSmall(z: number): number {
  const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return r / s;
}

/** erf(a) − erx for 0.84375 ≤ a < 1.25. */
function erfNearOne(a: number): number {
  const s = a - 1;
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/** erfc(a) for 1.25 ≤ a < 28. */
function erfcTail(a: number): number {
  const s = 1 / (a * a);
  let r: number, q: number;
  if (a < 1 / 0.35) {
    r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    q = 1 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
  } else {
    r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    q = 1 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  }
  // One exp of the whole exponent: its rounding error (about a²·2⁻⁵³) is
  // far below a float32 ULP of the result over this range.
  return Math.exp(-a * a - 0.5625 + r / q) / a;
}

/** The error function, within a float64 ULP or so. */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  let y: number;
  if (a < 0.84375) return a < 3.725290298461914e-9 ? x + EFX * x : x + x * erfSmall(x * x);
  if (a < 1.25) y = ERX + erfNearOne(a);
  else if (a < 6) y = 1 - erfcTail(a);
  else y = 1;
  return x < 0 ? -y : y;
}

/** The complementary error function 1 − erf(x), accurate in its tail. */
export function erfc(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 1.3877787807814457e-17) return 1 - x;
    const y = erfSmall(x * x);
    return x < 0.25 ? 1 - (x + x * y) : 0.5 - (x - 0.5 + x * y);
  }
  let r: number;
  if (a < 1.25) r = 1 - ERX - erfNearOne(a);
  else if (a < 28) r = erfcTail(a);
  else r = 0;
  return x < 0 ? 2 - r : r;
}

/** Standard normal cdf Phi(x) = erfc(-x/sqrt2)/2, accurate in both tails. */
export function normalCdf(x: number): number {
  const t = x * SQRT1_2;
  // The central interval (Φ in [0.2, 0.8], no tail to keep) straight from erf's rational form.
  if (Math.abs(t) < 0.84375) return 0.5 + 0.5 * (t + t * erfSmall(t * t));
  return 0.5 * erfc(-t);
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
  return x - tanh(x);
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
  let max = -Infinity,
    m = 0;
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
  if (max === -Infinity) rest = NaN; // all −inf: 0/0, NaN as in Keras
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
  z.sort(); // ascending: walk it from the top
  let cum = 0,
    tau = 0;
  for (let r = 1; r <= n; r++) {
    const zr = z[n - r];
    cum += zr;
    if (zr - (cum - 1) / r > 0) tau = (cum - 1) / r;
    else break;
  }
  return tau;
}

/**
 * sparsemax of one slice relative to its maximum, in float64: writes
 * z_j = x_j − max into `z` (exactly 0 at the maximum, also when it is +inf)
 * and returns τ′ = τ − max, so that y_j = max(z_j − τ′, 0) never forms x − τ
 * from two huge numbers (sparsemax, like softmax, is invariant under adding
 * a constant to a slice). τ′ is in [−1, 0). Returns NaN for a slice without
 * a limit (docs/non-finite.md): a NaN, two or more +inf, or only −inf.
 * `z` and `sorted` are scratch of length n.
 */
export function sparsemaxShift(
  x: ArrayLike<number>,
  base: number,
  n: number,
  stride: number,
  z: Float64Array,
  sorted: Float64Array,
): number {
  let max = -Infinity,
    infs = 0;
  for (let j = 0; j < n; j++) {
    const v = x[base + j * stride];
    if (v !== v) return NaN;
    if (v === Infinity) infs++;
    if (v > max) max = v;
  }
  if (infs > 1 || max === -Infinity) return NaN;
  for (let j = 0; j < n; j++) {
    const v = x[base + j * stride];
    z[j] = v === max ? 0 : v - max;
  }
  sorted.set(z.subarray(0, n));
  const s = sorted.subarray(0, n).sort(); // ascending: walk it from the top
  let cum = 0,
    tau = -1;
  for (let r = 1; r <= n; r++) {
    const zr = s[n - r];
    cum += zr;
    if (1 + r * zr > cum) tau = (cum - 1) / r;
    else break;
  }
  return tau;
}
