"""Coefficients of gelu's Φ in the WebAssembly SIMD module (wm_gelu_cdf in src/backends/wasm_math.ts).

Chebyshev fits with mpmath (50 digits):
  Q(v) = erf(sqrt(v/2)) / (2 sqrt(v)) on [0, 6.25], 16 coefficients: Φ(x) = 1/2 + x·Q(x²) for |x| ≤ 2.5;
  H(w) = t·erfc(t)·exp(t²) at t = 1/sqrt(w) on [0, 0.32], 14 coefficients: the tail erfc(|x|/√2)/2 =
  (√2/2)·exp(−x²/2)·H(2/x²)/|x| for |x| > 2.5.
Prints the coefficients (lowest degree first), the fit's error and the worst relative error of the float64
polynomials (Horner) on 2000 points.

  python3 scripts/wasm/fit-gelu.py
"""
import mpmath as mp

mp.mp.dps = 50


def q(v):
    return 1 / mp.sqrt(2 * mp.pi) if v == 0 else mp.erf(mp.sqrt(v / 2)) / (2 * mp.sqrt(v))


def h(w):
    if w == 0:
        return 1 / mp.sqrt(mp.pi)
    t = 1 / mp.sqrt(w)
    return t * mp.erfc(t) * mp.exp(t * t)


def horner(c, x):
    s = 0.0
    for k in c:
        s = s * x + float(k)
    return s


for name, f, hi, n in (('Q', q, 6.25, 16), ('H', h, 0.32, 14)):
    c, err = mp.chebyfit(f, [0, hi], n, error=True)
    worst = max(abs(horner(c, hi * i / 1999) / float(f(mp.mpf(hi) * i / 1999)) - 1) for i in range(2000))
    print(f'{name}: fit error {mp.nstr(err, 3)}, float64 relative error {worst:.2e}')
    print('  ' + ', '.join(repr(float(k)) for k in reversed(c)))
