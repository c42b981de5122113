"""Coefficients of gelu's float32 forms in the native op library (gelu_g32 and gelu_q32 in native/tfa_math32.h).

mpmath (40 digits), no other dependency:
  G(a) = erfcx(a/sqrt(2))/2 for a in [0.75, 12], as t*R(tau) with t = 1/(1 + a/4) and tau = 2t - 1 (in [-0.5, 0.684]),
    R of degree 9: least squares relative to R on 300 Chebyshev nodes; the coefficients are rounded to float32 one at a
    time from degree 1 up, the rest refitted after each, and the constant is a float32 pair (hi + lo). Then
    Phi(-a) = e^(-a^2/2)*G(a).
  Q(z) = erf(sqrt(z/2))/(2 sqrt(z)) for z = x^2 in [0, 0.5625], degree 4 (mpmath's Chebyshev fit), the constant as a
    float32 pair: Phi(x) = 1/2 + x*Q(x^2) for |x| <= 0.75.
Prints the coefficients (highest degree first, as the C++ evaluates them) and the worst relative error on 2001 points
with the float32 coefficients (evaluated exactly).

  python3 scripts/native/fit-gelu32.py
"""
import struct

import mpmath as mp

mp.mp.dps = 40


def f32(v):
    return struct.unpack('f', struct.pack('f', float(v)))[0]


def poly(x, cs):  # cs lowest degree first
    s = mp.mpf(0)
    for c in reversed(cs):
        s = s * x + c
    return s


def g(a):
    return mp.erfc(a / mp.sqrt(2)) * mp.exp(a * a / 2) / 2


def r(tau):
    t = (tau + 1) / 2
    return g((1 / t - 1) * 4) / t


def fit_r(degree, a_min=mp.mpf('0.75'), a_max=mp.mpf(12)):
    lo_t, hi_t = 2 / (1 + a_max / 4) - 1, 2 / (1 + a_min / 4) - 1
    nodes = [(lo_t + hi_t) / 2 + (hi_t - lo_t) / 2 * mp.cos(mp.pi * (i + mp.mpf(0.5)) / 300) for i in range(300)]
    vals = [r(t) for t in nodes]
    n = degree + 1

    def lsq(fixed):  # the coefficients after `fixed`, relative least squares
        k = len(fixed)
        a = mp.matrix(len(nodes), n - k)
        b = mp.matrix(len(nodes), 1)
        for i, (t, v) in enumerate(zip(nodes, vals)):
            b[i] = (v - poly(t, fixed)) / v
            for j in range(n - k):
                a[i, j] = t ** (k + j) / v
        x, _ = mp.qr_solve(a, b)
        return [x[j] for j in range(n - k)]

    cs = [lsq([])[0]]
    for _ in range(1, n):
        cs.append(mp.mpf(f32(lsq(cs)[0])))
    # the constant again, given the rounded others
    c0 = sum((v - poly(t, [0] + cs[1:])) / v for t, v in zip(nodes, vals)) / sum(1 / v for v in vals)
    hi = f32(c0)
    lo = f32(c0 - hi)
    cs = [mp.mpf(hi) + mp.mpf(lo)] + cs[1:]
    grid = [lo_t + (hi_t - lo_t) * i / 2000 for i in range(2001)]
    worst = max(abs(poly(t, cs) / r(t) - 1) for t in grid)
    return hi, lo, cs[1:], worst, (lo_t, hi_t)


def q(z):
    return 1 / mp.sqrt(2 * mp.pi) if z == 0 else mp.erf(mp.sqrt(z / 2)) / (2 * mp.sqrt(z))


def fit_q(degree, z_max=mp.mpf('0.5625')):
    c = mp.chebyfit(q, [0, z_max], degree + 1)  # highest degree first
    hi = f32(c[-1])
    lo = f32(c[-1] - hi)
    cs = [mp.mpf(f32(k)) for k in c[:-1]] + [mp.mpf(hi) + mp.mpf(lo)]
    worst = max(abs(mp.polyval(cs, z_max * i / 2000) / q(z_max * i / 2000) - 1) for i in range(2001))
    return hi, lo, [f32(k) for k in c[:-1]], worst


hi, lo, cs, worst, span = fit_r(9)
print(f'R (gelu_g32): tau in [{float(span[0]):.4f}, {float(span[1]):.4f}], relative error {mp.nstr(worst, 3)}')
print('  ' + ', '.join('%.9g' % f32(c) for c in reversed(cs)) + f'; constant {hi:.9g} + {lo:.9g}')
hi, lo, cs, worst = fit_q(4)
print(f'Q (gelu_q32): relative error {mp.nstr(worst, 3)}')
print('  ' + ', '.join('%.9g' % c for c in cs) + f'; constant {hi:.9g} + {lo:.9g}')
