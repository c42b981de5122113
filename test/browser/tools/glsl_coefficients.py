"""Fits the polynomial coefficients used by src/backends/glsl_math.ts.

Run with mpmath (pip install mpmath):  python3 test/browser/tools/glsl_coefficients.py
Prints GLSL-ready coefficient lists; glsl_math.ts holds the printed values.

Every polynomial is evaluated in float32 by Horner's rule in a normalised
variable t in [-1, 1]; a fit is accepted when that float32 evaluation
(simulated here) stays within ~0.5 ulp of the mpmath value.

- erfcx segments: g(z) = exp(z^2) erfc(z) on [0.5, 10.1] in four pieces.
- erf small: erf(z)/z as a polynomial in z^2 on [0, 0.25].
- tanh_shrink: (x - tanh x)/x^3 as a polynomial in x^2 on [0, 2.25].
- root patches: near a root r of a derivative computed as a sum that cancels
  (silu', silu'', gelu', mish', ...), f(x) = (x - r) Q(x), Q fitted on the
  window where the direct sum loses more than a factor 3 to cancellation.
"""
import struct
import mpmath as mp

mp.mp.dps = 40


def f32(v):
    return struct.unpack('f', struct.pack('f', float(v)))[0]


def horner32(cs, t, c0lo=0.0):
    """Horner in float32; the constant term is added as hi + lo: (acc*t + lo) + hi."""
    acc = f32(cs[0])
    for c in cs[1:-1]:
        acc = f32(f32(acc * t) + f32(c))
    return f32(f32(f32(acc * t) + f32(c0lo)) + f32(cs[-1]))


def fit(fn, a, b, floor=4.5e-8, nmax=24, samples=300, var=None):
    """Chebyshev fit of fn on [a, b] in t = (x - m)/h; smallest degree reaching the float32 floor."""
    m, h = (a + b) / 2, (b - a) / 2
    best = None
    for n in range(3, nmax):
        exact = mp.chebyfit(lambda t: fn(m + h * t), [-1, 1], n)
        cs = [f32(c) for c in exact]
        lo = f32(exact[-1] - cs[-1])
        worst = 0
        for i in range(samples + 1):
            x = f32(a + (b - a) * i / samples)
            t = f32(f32(x - f32(m)) * f32(1 / h))
            worst = max(worst, abs(horner32(cs, t, lo) / fn(mp.mpf(x)) - 1))
        if best is None or worst < best[1] * 0.8:
            best = (cs, worst, n, lo)
        if worst < floor:
            break
    cs, worst, n, lo = best
    return {'lo': lo, 'a': float(a), 'b': float(b), 'm': f32(m), 'ih': f32(1 / h), 'c': cs, 'err': float(worst)}


sig = lambda x: 1 / (1 + mp.exp(-x))
C = mp.sqrt(2 / mp.pi)
K = mp.mpf('0.044715')


def gelu_a_parts(x):
    z2 = 2 * C * (x + K * x ** 3)
    sv = sig(z2)
    dz2 = 2 * C * (1 + 3 * K * x * x)
    q = sv * sig(-z2)
    return z2, sv, dz2, q, 12 * C * K * x


def mish_parts(x):
    t = mp.tanh(mp.log1p(mp.exp(x)))
    return t, 1 - t * t, sig(x)


ROOTS = {
    'silu1': (lambda x: [sig(x), x * sig(x) * sig(-x)], [-1.28]),
    'silu2': (lambda x: [2 * sig(x) * sig(-x), -x * mp.tanh(x / 2) * sig(x) * sig(-x)], [-2.4, 2.4]),
    'gelu1': (lambda x: [mp.ncdf(x), x * mp.npdf(x)], [-0.75]),
    'gelua1': (lambda x: (lambda z2, sv, dz2, q, ddz2: [sv, x * q * dz2])(*gelu_a_parts(x)), [-0.75]),
    'gelua2': (lambda x: (lambda z2, sv, dz2, q, ddz2:
                          [2 * q * dz2, -x * q * mp.tanh(z2 / 2) * dz2 * dz2, x * q * ddz2])(*gelu_a_parts(x)),
               [-1.42, 1.42]),
    'mish1': (lambda x: (lambda t, s2, sx: [t, x * s2 * sx])(*mish_parts(x)), [-1.19]),
    'mish2': (lambda x: (lambda t, s2, sx: [2 * s2 * sx, x * s2 * sx * sig(-x), -x * s2 * 2 * t * sx * sx])(*mish_parts(x)),
              [-2.26, 1.49]),
}


KMAX = 3  # cancellation factor at the window edges


def root_patches():
    out = {}
    for name, (parts, guesses) in ROOTS.items():
        fn = lambda x: mp.fsum(parts(x))
        for g in guesses:
            r = mp.findroot(fn, mp.mpf(g))
            kf = lambda d: mp.fsum(abs(p) for p in parts(r + d)) / abs(fn(r + d))
            edges = []
            for sign in (-1, 1):
                d = mp.mpf('0.01')
                while kf(sign * d) > KMAX and d < 1.5:
                    d *= 1.03
                edges.append(d)
            a, b = r - edges[0], r + edges[1]
            q = lambda x: fn(x) / (x - r) if abs(x - r) > mp.mpf('1e-20') else mp.diff(fn, r)
            res = fit(q, a, b)
            res['rh'] = f32(r)
            res['rl'] = f32(r - f32(r))
            out.setdefault(name, []).append(res)
    return out


def main():
    g = lambda z: mp.exp(z * z) * mp.erfc(z)
    report = {
        'erfcx': [fit(g, a, b) for a, b in [(0.5, 1.5), (1.5, 3.0), (3.0, 5.0), (5.0, 10.1)]],
        'erf_small': fit(lambda u: mp.erf(mp.sqrt(u)) / mp.sqrt(u) if u > 0 else 2 / mp.sqrt(mp.pi), 0, 0.25),
        'tanh_shrink': fit(lambda u: (mp.sqrt(u) - mp.tanh(mp.sqrt(u))) / mp.sqrt(u) ** 3 if u > 0 else mp.mpf(1) / 3,
                           0, 2.25),
        'roots': root_patches(),
    }
    import json
    print(json.dumps(report, indent=1))


if __name__ == '__main__':
    main()
