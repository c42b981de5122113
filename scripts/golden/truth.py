"""Exact reference values for the Keras 3 activations, computed with mpmath.

Every value is computed from the mathematical definition (see the project's
activation spec) with at least DPS significant decimal digits and then rounded
once, to nearest, to float64.  Where the plain formula cancels catastrophically
an algebraically identical form is used or the working precision is raised, so
the result keeps its DPS digits.

This module imports only mpmath and the standard library, so it can run in
worker processes without loading jax or keras.

Conventions
  * Parameters are the Python floats passed to Keras, taken exactly (0.1 means
    the float64 nearest to 0.1).  The SELU constants are the exact constants.
  * +-inf inputs give the limit (evaluated at +-10**1000), NaN gives NaN.
  * mpmath has no signed zero: an exact zero comes back as +0.0 here; the
    caller gives it the sign Keras's float64 result has.
  * Derivative at a point where it is undefined (left and right derivatives
    differ, or the function jumps) is reported as a kink (value None).
"""

import math

import mpmath
from mpmath import mp, mpf

DPS = 50
BIG = mpf(10) ** 1000  # stands for +inf when taking limits

SELU_ALPHA = "1.6732632423543772848170429916717"
SELU_SCALE = "1.0507009873554804934193349852946"
GELU_C = "0.044715"

_TWO_M1022 = mpf(2) ** -1022
_TWO_1074 = mpf(2) ** 1074


def set_dps(dps):
    global DPS
    DPS = dps


def to_f64(v):
    """Round an mpf to the nearest float64 (ties to even), subnormals included."""
    if mpmath.isnan(v):
        return math.nan
    if mpmath.isinf(v):
        return math.inf if v > 0 else -math.inf
    if v == 0:
        return 0.0
    if abs(v) < _TWO_M1022:
        n = int(mpmath.nint(v * _TWO_1074))  # nint rounds half to even
        r = math.ldexp(n, -1074)
        if r == 0:
            return math.copysign(0.0, float(v))
        return r
    return float(v)  # mp rounding is round-to-nearest; overflow gives +-inf


# --------------------------------------------------------------------------
# helpers (all on mpf)


def sig(x):
    # 1/(1+exp(-x)) has no cancellation for any sign of x
    return 1 / (1 + mpmath.exp(-x))


def softplus(x):
    if x > 0:
        return x + mpmath.log1p(mpmath.exp(-x))
    return mpmath.log1p(mpmath.exp(x))


def _mx(a, b):
    return a if a > b else b


def _mn(a, b):
    return a if a < b else b


def _p(params, key, default):
    v = params.get(key, default)
    return None if v is None else mpf(v)


# --------------------------------------------------------------------------
# elementwise definitions: name -> (f(x, p), df(x, p)); p holds mpf params.
# df is the derivative on the open piece containing x; points where the
# derivative does not exist are found by the caller from one-sided values.


def relu_f(x, p):
    s = p.get("negative_slope", mpf(0))
    mv = p.get("max_value")
    t = p.get("threshold", mpf(0))
    if t != 0:
        y = x if x > t else mpf(0)
    else:
        y = _mx(x, mpf(0))
    if mv is not None:
        y = _mn(_mx(y, mpf(0)), mv)
    if s != 0:
        y = y - s * _mx(t - x, mpf(0))
    return y


def relu_df(x, p):
    s = p.get("negative_slope", mpf(0))
    mv = p.get("max_value")
    t = p.get("threshold", mpf(0))
    if t != 0:
        y, d = (x, mpf(1)) if x > t else (mpf(0), mpf(0))
    else:
        y, d = (x, mpf(1)) if x > 0 else (mpf(0), mpf(0))
    if mv is not None and not (0 < y < mv):
        d = mpf(0)
    if s != 0 and x < t:
        d += s
    return d


def leaky_f(x, p):
    s = p.get("negative_slope", mpf(0.2))
    return x if x >= 0 else s * x


def leaky_df(x, p):
    s = p.get("negative_slope", mpf(0.2))
    return mpf(1) if x > 0 else s


def elu_f(x, p, alpha=None):
    a = p.get("alpha", mpf(1)) if alpha is None else alpha
    return x if x >= 0 else a * mpmath.expm1(x)


def elu_df(x, p, alpha=None):
    a = p.get("alpha", mpf(1)) if alpha is None else alpha
    return mpf(1) if x > 0 else a * mpmath.exp(x)


def selu_f(x, p):
    return mpf(SELU_SCALE) * elu_f(x, p, mpf(SELU_ALPHA))


def selu_df(x, p):
    return mpf(SELU_SCALE) * elu_df(x, p, mpf(SELU_ALPHA))


def soft_shrink_f(x, p):
    t = p.get("threshold", mpf("0.5"))
    if x > t:
        return x - t
    if x < -t:
        return x + t
    return mpf(0)


def soft_shrink_df(x, p):
    t = p.get("threshold", mpf("0.5"))
    return mpf(1) if (x > t or x < -t) else mpf(0)


def sparse_plus_f(x, p):
    if x <= -1:
        return mpf(0)
    if x < 1:
        return (x + 1) ** 2 / 4
    return x


def sparse_plus_df(x, p):
    if x <= -1:
        return mpf(0)
    if x < 1:
        return (x + 1) / 2
    return mpf(1)


def silu_f(x, p):
    return x * sig(x)


def silu_df(x, p):
    s = sig(x)
    return s * (1 + x * sig(-x))


def squareplus_f(x, p):
    b = p.get("b", mpf(4))
    r = mpmath.sqrt(x * x + b)
    if x >= 0:
        return (x + r) / 2
    if b == 0:
        return mpf(0)
    return b / (2 * (r - x))  # == (x + r)/2 without cancellation


def squareplus_df(x, p):
    b = p.get("b", mpf(4))
    r = mpmath.sqrt(x * x + b)
    if b == 0:
        return mpf(1) if x > 0 else mpf(0)
    if x >= 0:
        return (1 + x / r) / 2
    return b / (2 * r * (r - x))  # == (1 + x/r)/2


_GELU_HUGE = mpf(10) ** 100  # erfc(10**100/sqrt2) < 10**-(10**199): beyond float64


def gelu_f(x, p):
    if p.get("approximate", False):
        c = mpmath.sqrt(2 / mpmath.pi)
        u = c * (x + mpf(GELU_C) * x**3)
        return x * sig(2 * u)  # == 0.5 x (1 + tanh(u))
    if abs(x) > _GELU_HUGE:  # mpmath's erfc cannot take 10**1000; exact limits
        return x if x > 0 else mpf(0)
    return x * mpmath.erfc(-x / mpmath.sqrt(2)) / 2  # == 0.5 x (1 + erf(x/sqrt2))


def gelu_df(x, p):
    if p.get("approximate", False):
        c = mpmath.sqrt(2 / mpmath.pi)
        k = mpf(GELU_C)
        u = c * (x + k * x**3)
        s = sig(2 * u)
        return s + x * s * sig(-2 * u) * 2 * c * (1 + 3 * k * x * x)
    if abs(x) > _GELU_HUGE:
        return mpf(1) if x > 0 else mpf(0)
    return mpmath.erfc(-x / mpmath.sqrt(2)) / 2 + x * mpmath.exp(-x * x / 2) / mpmath.sqrt(
        2 * mpmath.pi
    )


def celu_f(x, p):
    a = p.get("alpha", mpf(1))
    return _mx(x, mpf(0)) + a * mpmath.expm1(_mn(x, mpf(0)) / a)


def celu_df(x, p):
    a = p.get("alpha", mpf(1))
    return mpf(1) if x > 0 else mpmath.exp(x / a)


def tanh_f(x, p):
    return mpmath.tanh(x)


def tanh_df(x, p):
    return mpmath.sech(x) ** 2


def _extra_digits(x):
    # x - tanh(x) ~ x^3/3: relative to x it loses 2*log10(1/|x|) digits
    if x == 0 or abs(x) >= 1:
        return 5
    return 5 + 2 * int(-mpmath.floor(mpmath.log10(abs(x))))


def tanh_shrink_f(x, p):
    with mp.workdps(DPS + _extra_digits(x)):
        v = x - mpmath.tanh(x)
    return +v


def tanh_shrink_df(x, p):
    return mpmath.tanh(x) ** 2  # == 1 - sech^2, no cancellation


def hard_tanh_f(x, p):
    return mpf(1) if x > 1 else (mpf(-1) if x < -1 else x)


def hard_tanh_df(x, p):
    return mpf(1) if -1 < x < 1 else mpf(0)


def hard_shrink_f(x, p):
    t = p.get("threshold", mpf("0.5"))
    return x if abs(x) > t else mpf(0)


def hard_shrink_df(x, p):
    t = p.get("threshold", mpf("0.5"))
    return mpf(1) if abs(x) > t else mpf(0)


def threshold_f(x, p):
    return x if x > p["threshold"] else p["default_value"]


def threshold_df(x, p):
    return mpf(1) if x > p["threshold"] else mpf(0)


def sigmoid_f(x, p):
    return sig(x)


def sigmoid_df(x, p):
    return sig(x) * sig(-x)


def sparse_sigmoid_f(x, p):
    return _mn(_mx((x + 1) / 2, mpf(0)), mpf(1))


def sparse_sigmoid_df(x, p):
    return mpf("0.5") if -1 < x < 1 else mpf(0)


def exponential_f(x, p):
    return mpmath.exp(x)


def exponential_df(x, p):
    return mpmath.exp(x)


def hard_sigmoid_f(x, p):
    return _mn(_mx(x / 6 + mpf("0.5"), mpf(0)), mpf(1))


def hard_sigmoid_df(x, p):
    return 1 / mpf(6) if -3 < x < 3 else mpf(0)


def hard_silu_f(x, p):
    return x * hard_sigmoid_f(x, p)


def hard_silu_df(x, p):
    if x <= -3:
        return mpf(0)
    if x >= 3:
        return mpf(1)
    return x / 3 + mpf("0.5")


def linear_f(x, p):
    return x


def linear_df(x, p):
    return mpf(1)


def mish_f(x, p):
    return x * mpmath.tanh(softplus(x))


def mish_df(x, p):
    sp = softplus(x)
    return mpmath.tanh(sp) + x * mpmath.sech(sp) ** 2 * sig(x)


def log_sigmoid_f(x, p):
    return -softplus(-x)


def log_sigmoid_df(x, p):
    return sig(-x)


def softplus_f(x, p):
    return softplus(x)


def softplus_df(x, p):
    return sig(x)


def softsign_f(x, p):
    return x / (1 + abs(x))


def softsign_df(x, p):
    return 1 / (1 + abs(x)) ** 2


def relu6_f(x, p):
    return _mn(_mx(x, mpf(0)), mpf(6))


def relu6_df(x, p):
    return mpf(1) if 0 < x < 6 else mpf(0)


ELEMENTWISE = {
    "relu": (relu_f, relu_df),
    "leaky_relu": (leaky_f, leaky_df),
    "relu6": (relu6_f, relu6_df),
    "elu": (elu_f, elu_df),
    "selu": (selu_f, selu_df),
    "softplus": (softplus_f, softplus_df),
    "softsign": (softsign_f, softsign_df),
    "soft_shrink": (soft_shrink_f, soft_shrink_df),
    "sparse_plus": (sparse_plus_f, sparse_plus_df),
    "silu": (silu_f, silu_df),
    "swish": (silu_f, silu_df),
    "squareplus": (squareplus_f, squareplus_df),
    "gelu": (gelu_f, gelu_df),
    "celu": (celu_f, celu_df),
    "tanh": (tanh_f, tanh_df),
    "tanh_shrink": (tanh_shrink_f, tanh_shrink_df),
    "hard_tanh": (hard_tanh_f, hard_tanh_df),
    "hard_shrink": (hard_shrink_f, hard_shrink_df),
    "threshold": (threshold_f, threshold_df),
    "sigmoid": (sigmoid_f, sigmoid_df),
    "sparse_sigmoid": (sparse_sigmoid_f, sparse_sigmoid_df),
    "exponential": (exponential_f, exponential_df),
    "hard_sigmoid": (hard_sigmoid_f, hard_sigmoid_df),
    "hard_silu": (hard_silu_f, hard_silu_df),
    "hard_swish": (hard_silu_f, hard_silu_df),
    "linear": (linear_f, linear_df),
    "mish": (mish_f, mish_df),
    "log_sigmoid": (log_sigmoid_f, log_sigmoid_df),
}

# activations whose derivative is one constant, also at NaN x
CONSTANT_DERIVATIVE = {"linear": mpf(1)}

_KINK_TEST_RANGE = 1000  # every breakpoint of every activation lies inside
_REL_TOL = mpf(10) ** -15


def _close(a, b):
    scale = _mx(_mx(abs(a), abs(b)), mpf(1))
    return abs(a - b) <= _REL_TOL * scale


def _mp_params(params):
    out = {}
    for k, v in params.items():
        if isinstance(v, bool) or v is None:
            out[k] = v
        else:
            out[k] = mpf(v)  # exact value of the Python float
    return out


def elementwise(name, params, xs):
    """Exact f(x) and f'(x) for float inputs xs.

    Returns (ys, dys, kinks): lists of float64 (dys[i] is None at a kink) and
    the list of kink indices.
    """
    f, df = ELEMENTWISE[name]
    ys, dys, kinks = [], [], []
    with mp.workdps(DPS):
        p = _mp_params(params)
        for i, xf in enumerate(xs):
            if math.isnan(xf):
                ys.append(math.nan)
                # f' constant everywhere (linear): Keras's autodiff passes dy through, NaN x included
                dys.append(to_f64(CONSTANT_DERIVATIVE[name]) if name in CONSTANT_DERIVATIVE else math.nan)
                continue
            if math.isinf(xf):
                x = BIG if xf > 0 else -BIG
                ys.append(to_f64(f(x, p)))
                dys.append(to_f64(df(x, p)))
                continue
            x = mpf(xf)
            y = f(x, p)
            d = df(x, p)
            if abs(x) <= _KINK_TEST_RANGE:
                # one-sided look at x*(1 -+ 2^-100) (2^-300 around zero):
                # exact in this precision, far closer than any float32 neighbour
                eps = abs(x) * mpf(2) ** -100 if x != 0 else mpf(2) ** -300
                yl, yr = f(x - eps, p), f(x + eps, p)
                dl, dr = df(x - eps, p), df(x + eps, p)
                if not (_close(yl, y) and _close(yr, y) and _close(dl, dr)):
                    d = None
                    kinks.append(i)
                elif not _close(d, dl):
                    # x is a single-point piece (e.g. soft_shrink with threshold
                    # 0 at x=0): the two sides agree, the point formula does not
                    d = (dl + dr) / 2
            ys.append(to_f64(y))
            dys.append(None if d is None else to_f64(d))
    return ys, dys, kinks


# --------------------------------------------------------------------------
# axis activations: work on one 1-D row of floats (or halves for glu)


def softmax_row(xs, dys):
    with mp.workdps(DPS):
        x = [mpf(v) for v in xs]
        g = [mpf(v) for v in dys]
        m = max(v for v in x)
        e = [mpmath.exp(v - m) for v in x]
        s = mpmath.fsum(e)
        y = [v / s for v in e]
        gy = mpmath.fsum(a * b for a, b in zip(g, y))
        dx = [yi * (gi - gy) for yi, gi in zip(y, g)]
        return [to_f64(v) for v in y], [to_f64(v) for v in dx], []


def log_softmax_row(xs, dys):
    with mp.workdps(DPS):
        x = [mpf(v) for v in xs]
        g = [mpf(v) for v in dys]
        m = max(v for v in x)
        e = [mpmath.exp(v - m) for v in x]
        s = mpmath.fsum(e)
        lse = m + mpmath.log(s)
        y = [v - lse for v in x]
        sm = [v / s for v in e]
        sg = mpmath.fsum(g)
        dx = [gi - si * sg for gi, si in zip(g, sm)]
        return [to_f64(v) for v in y], [to_f64(v) for v in dx], []


def sparsemax_row(xs, dys):
    """Correct sparsemax (Martins & Astudillo 2016) and its vjp."""
    with mp.workdps(DPS):
        x = [mpf(v) for v in xs]
        g = [mpf(v) for v in dys]
        z = sorted(x, reverse=True)
        c = mpf(0)
        k, ck = 0, mpf(0)
        for r, zr in enumerate(z, start=1):
            c += zr
            if 1 + r * zr > c:  # z_r - (c_r - 1)/r > 0
                k, ck = r, c
        tau = (ck - 1) / k
        y = [_mx(v - tau, mpf(0)) for v in x]
        support = [i for i, v in enumerate(x) if v > tau]
        # An entry exactly on the support boundary (x_i == tau) makes the
        # Jacobian of the whole row one-sided: every entry of the row is a kink.
        kinks = list(range(len(x))) if any(v == tau for v in x) else []
        gmean = mpmath.fsum(g[i] for i in support) / len(support)
        dx = [mpf(0)] * len(x)
        for i in support:
            dx[i] = g[i] - gmean
        dx_out = [to_f64(v) for v in dx]
        for i in kinks:
            dx_out[i] = None
        return [to_f64(v) for v in y], dx_out, kinks


def glu_pairs(a_vals, b_vals, dys):
    """y = a*sigmoid(b); returns y, da, db (lists of float64)."""
    with mp.workdps(DPS):
        y, da, db = [], [], []
        for a, b, g in zip(a_vals, b_vals, dys):
            a, b, g = mpf(a), mpf(b), mpf(g)
            s = sig(b)
            y.append(to_f64(a * s))
            da.append(to_f64(g * s))
            db.append(to_f64(g * a * s * sig(-b)))
        return y, da, db


def _with_limits(name, row):
    """The documented rule for rows with NaN or +inf (docs/non-finite.md).

    NaN anywhere, two or more +inf, or every entry -inf: the row has no limit
    and is NaN (forward and gradient), as Keras computes it.  Exactly one
    +inf: the limit as that entry grows, one-hot (log_softmax: 0 there, -inf
    elsewhere) with the limit of the gradient.  -inf entries among finite
    ones need no rule: the exact formulas already give 0 (log: -inf).
    """
    def wrapped(xs, dys):
        n = len(xs)
        pos = [i for i, v in enumerate(xs) if v == math.inf]
        if any(math.isnan(v) for v in xs) or len(pos) > 1 or all(v == -math.inf for v in xs):
            return [math.nan] * n, [math.nan] * n, []
        if len(pos) == 1:
            k = pos[0]
            if name == "log_softmax":
                y = [0.0 if i == k else -math.inf for i in range(n)]
                with mp.workdps(DPS):
                    others = mpmath.fsum(mpf(g) for i, g in enumerate(dys) if i != k)
                    dx = [-to_f64(others) if i == k else float(dys[i]) for i in range(n)]
                    dx = [0.0 if v == 0 else v for v in dx]
                return y, dx, []
            return [1.0 if i == k else 0.0 for i in range(n)], [0.0] * n, []
        return row(xs, dys)
    return wrapped


ROWS = {name: _with_limits(name, fn)
        for name, fn in (("softmax", softmax_row), ("log_softmax", log_softmax_row), ("sparsemax", sparsemax_row))}
