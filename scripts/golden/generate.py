"""Generate golden fixtures for every Keras 3 activation from real Keras.

Run through `npm run golden` (scripts/golden/run.sh), which sets up the pinned
virtualenv and the environment (KERAS_BACKEND=jax, CPU only).

    python generate.py [--out DIR] [--jobs N]

Writes DIR/<keras_name>.json.gz (one per activation and per alias),
DIR/manifest.json and DIR/models/*.json.  Output is deterministic: fixed
seeds, sorted keys, gzip with mtime 0, no timestamps.  See docs/golden.md.

Heavy imports (jax, keras) happen inside main() so that the worker processes
computing mpmath truth (truth.py) stay light.
"""

import argparse
import base64
import gzip
import hashlib
import json
import math
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import truth  # noqa: E402

SEED = 20240915
PAD = 4096  # elementwise inputs are padded to this length for the Keras calls
F32 = np.float32

# ---------------------------------------------------------------------------
# encoding


def enc32(a):
    a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
    return "f32:" + base64.b64encode(a.tobytes()).decode("ascii")


def enc64(a):
    a = np.ascontiguousarray(np.asarray(a, dtype="<f8"))
    return "f64:" + base64.b64encode(a.tobytes()).decode("ascii")


def dumps(obj, indent=None):
    if indent is None:
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return json.dumps(obj, sort_keys=True, indent=indent, allow_nan=False) + "\n"


def write_gz(path, obj):
    data = gzip.compress(dumps(obj).encode("utf-8"), compresslevel=9, mtime=0)
    with open(path, "wb") as fh:
        fh.write(data)
    return data


def write_text(path, text):
    data = text.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(data)
    return data


# ---------------------------------------------------------------------------
# elementwise inputs

# Kink / threshold points per activation and parameter set (inputs get these
# and their +-1, +-2 float32 ULP neighbours).


def kink_points(name, params):
    if name == "relu":
        pts = {0.0}
        t = params.get("threshold", 0.0)
        pts.add(t)
        if params.get("max_value") is not None:
            pts.add(params["max_value"])
        return sorted(pts)
    table = {
        "leaky_relu": [0.0],
        "relu6": [0.0, 6.0],
        "elu": [0.0],
        "selu": [0.0],
        "celu": [0.0],
        "sparse_plus": [-1.0, 1.0],
        "hard_sigmoid": [-3.0, 3.0],
        "hard_silu": [-3.0, 3.0],
        "hard_swish": [-3.0, 3.0],
        "hard_tanh": [-1.0, 1.0],
        "sparse_sigmoid": [-1.0, 1.0],
        "softsign": [0.0],
    }
    if name in ("soft_shrink", "hard_shrink"):
        t = params.get("threshold", 0.5)
        return sorted({-t, t})
    if name == "threshold":
        return [params["threshold"]]
    if name == "squareplus":
        return [0.0] if params.get("b", 4) == 0 else []
    return table.get(name, [])


def _ulp_neighbours(v, n=2):
    v = F32(v)
    out = [v]
    up = dn = v
    for _ in range(n):
        up = np.nextafter(up, F32(np.inf))
        dn = np.nextafter(dn, F32(-np.inf))
        out += [up, dn]
    return out


def _sort_dedupe(vals):
    """Sort float32 values ascending with -0 before +0, NaN last; dedupe by bits."""
    seen = {}
    for v in vals:
        v = F32(v)
        bits = int(np.array(v, dtype="<f4").view("<u4"))
        if np.isnan(v):
            bits = 0x7FC00000
            v = np.array(bits, dtype="<u4").view("<f4")[()]
        seen[bits] = v

    def key(item):
        bits, v = item
        if np.isnan(v):
            return (1, 0.0, 0)
        return (0, float(v), 0 if np.signbit(v) else 1)

    return np.array([v for _, v in sorted(seen.items(), key=key)], dtype=F32)


def base_inputs():
    vals = []
    vals += list((np.arange(-1200, 1201) / 100.0).astype(F32))  # [-12, 12] step 0.01
    mags = (10.0 ** (np.arange(-300, 301) / 10.0)).astype(F32)  # 1e-30..1e30, 10/decade
    vals += list(mags) + list(-mags)
    edges = np.arange(80.0, 110.01, 0.25)  # around exp overflow (float32 88.72, float64 709 not reached)
    vals += list(edges.astype(F32)) + list((-edges).astype(F32))
    specials = [
        0.0, 3.4e38, 1e38, 1e19, 1.8e19, 2e19, 88.72, 88.73, 103.9, 104.0,
        1e-40, 1.4e-45, float(np.finfo(F32).max), float(np.finfo(F32).tiny),
    ]
    for s in specials:
        vals += [F32(s), F32(-s)]
    vals += [F32(np.inf), F32(-np.inf), F32(np.nan)]
    return vals


def elementwise_inputs(name, params, short=False):
    if short:
        vals = list((np.arange(-60, 61) / 10.0).astype(F32))  # [-6, 6] step 0.1
        vals += [F32(v) for v in (0.0, -0.0, 1e-30, -1e-30, 30.0, -30.0, 1e30, -1e30, 1.4e-45, -1.4e-45)]
        vals += [F32(np.inf), F32(-np.inf), F32(np.nan)]
    else:
        vals = base_inputs()
    for k in kink_points(name, params):
        vals += _ulp_neighbours(k) + _ulp_neighbours(-0.0 if k == 0 else k)
    return _sort_dedupe(vals)


# ---------------------------------------------------------------------------
# variants

ELEMENTWISE_VARIANTS = [
    ("relu", [{}, {"negative_slope": 0.1}, {"max_value": 6.0}, {"threshold": 0.5},
              {"threshold": -1.0}, {"negative_slope": 0.2, "max_value": 6.0, "threshold": 1.0}]),
    ("leaky_relu", [{}, {"negative_slope": 0.01}, {"negative_slope": 0.3}, {"negative_slope": 1.5}]),
    ("relu6", [{}]),
    ("elu", [{}, {"alpha": 0.5}, {"alpha": 2.0}]),
    ("selu", [{}]),
    ("softplus", [{}]),
    ("softsign", [{}]),
    ("soft_shrink", [{}, {"threshold": 0.0}, {"threshold": 1.5}]),
    ("sparse_plus", [{}]),
    ("silu", [{}]),
    ("squareplus", [{}, {"b": 0.0}, {"b": 0.25}, {"b": 100.0}]),
    ("gelu", [{}, {"approximate": True}]),
    ("celu", [{}, {"alpha": 0.5}, {"alpha": 3.0}]),
    ("tanh", [{}]),
    ("tanh_shrink", [{}]),
    ("hard_tanh", [{}]),
    ("hard_shrink", [{}, {"threshold": 0.0}, {"threshold": 2.0}]),
    ("threshold", [{"threshold": 0.0, "default_value": 0.0},
                   {"threshold": 1.0, "default_value": -1.0},
                   {"threshold": -2.0, "default_value": 5.0}]),
    ("sigmoid", [{}]),
    ("sparse_sigmoid", [{}]),
    ("exponential", [{}]),
    ("hard_sigmoid", [{}]),
    ("hard_silu", [{}]),
    ("linear", [{}]),
    ("mish", [{}]),
    ("log_sigmoid", [{}]),
]

ALIASES = [("swish", "silu"), ("hard_swish", "hard_silu")]


def case_name(params):
    if not params:
        return "defaults"
    return ",".join(f"{k}={json.dumps(v)}" for k, v in sorted(params.items()))


# Row offsets for the magnitude cases: softmax, log_softmax and sparsemax are
# invariant under adding a constant to a row, so every offset must give the
# answer of the shifted row (sparsemax once lost it from about 2**30).
MAGNITUDES = (1e4, 1e8, 2.0**34, 1e16, 2.0**50, 1e30, 3e38, -3e38)


def magnitude_cases():
    """[4, 6] rows at each offset c: equal entries, neighbouring floats, c + small noise, and a spread to -c."""
    rng = np.random.default_rng(SEED + 11)  # its own stream: the other cases keep their inputs
    cases = []
    for c in MAGNITUDES:
        c32 = F32(c)
        ulp = np.spacing(np.abs(c32))
        steps = np.array([0, 1, 2, 0, -1, 3], dtype=np.float64)
        rows = np.array([
            [c32] * 6,
            c32 + steps * ulp,
            np.float64(c32) + rng.uniform(-2, 2, 6),
            [c32, -c32, c32 / 2, 0.0, c32, -c32 / 2],
        ], dtype=np.float64).astype(F32)
        cases.append(([4, 6], {}, rows, f"magnitude {c:g}"))
    nonfinite = np.array([
        [np.inf, 1.0, 2.0, 0.0],          # one +inf: the limit is one-hot
        [1.0, np.inf, np.inf, 0.0],       # two +inf: no limit -> NaN (as Keras)
        [np.nan, 1.0, 2.0, 3.0],          # NaN -> NaN row
        [-np.inf, -np.inf, -np.inf, -np.inf],  # all -inf: 0/0 -> NaN (as Keras)
        [-np.inf, 1.0, -np.inf, 2.0],     # -inf entries are 0 (log: -inf)
        [np.inf, -np.inf, 1.0, 2.0],
        [np.inf, np.nan, 0.0, 1.0],
        [3e38, -3e38, -np.inf, 1.0],
    ], dtype=F32)
    cases.append(([8, 4], {}, nonfinite, "nonfinite"))
    return cases


def axis_cases():
    """(activation, [(shape, params, x, label)]) with fixed-seed float32 inputs."""
    rng = np.random.default_rng(SEED)

    def rnd(shape, scale):
        return (rng.standard_normal(shape) * scale).astype(F32)

    out = []
    for act in ("softmax", "log_softmax"):
        cases = []
        for shape, axes in (
            ([4, 6], [None, -1, 0, 1, "all"]),
            ([2, 3, 8], [-1, 1, (1, 2), (0, 2), "all"]),
            ([2, 3, 4, 6], [-1, 2, (1, 3), "all"]),
        ):
            x = rnd(shape, 2.0)
            for ax in axes:
                if ax is None:  # Keras default: nothing passed
                    params = {}
                elif ax == "all":
                    params = {"axis": None}
                else:
                    params = {"axis": ax}
                cases.append((shape, params, x, ""))
        big = rng.uniform(-80, 80, size=(4, 6)).astype(F32)
        cases.append(([4, 6], {"axis": -1}, big, "large"))
        special = np.array([
            [2.5] * 6,
            [0.0] * 6,
            [-80.0, 80.0, -80.0, 80.0, 0.0, 79.0],
            [1.0, -np.inf, 2.0, 0.5, -np.inf, -1.0],
        ], dtype=F32)
        cases.append(([4, 6], {"axis": -1}, special, "special"))
        cases += magnitude_cases()
        out.append((act, cases))
    glu = []
    for shape, ax in (([4, 6], None), ([2, 4, 6], 1), ([2, 4, 6], -1), ([2, 3, 4, 6], 2)):
        glu.append((shape, {} if ax is None else {"axis": ax}, rnd(shape, 2.0), ""))
    glu.append(([2, 6], {}, np.array([[-1, 0, 1, 2, 3, 4], [-100, 100, 0, 50, -50, 0]], dtype=F32), "special"))
    out.append(("glu", glu))
    sp = []
    for shape, ax in (([4, 6], None), ([2, 3, 8], -1), ([2, 3, 8], 1), ([2, 3, 4, 6], 2)):
        sp.append((shape, {} if ax is None else {"axis": ax}, rnd(shape, 1.0), ""))
    sp.append(([1, 5], {}, np.array([[0.1, 0.2, 0.3, 0.4, 0.5]], dtype=F32), "row"))
    ties = np.array([
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        [0.5, 0.5, 0.2, 0.2, -1.0, 0.5],
        [3.0, 3.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.25, 0.25, 0.5, 0.5, -0.25],
        [1.0, 0.0, 0.0, -1.0, -2.0, 0.0],  # tau = 0 exactly: the zeros sit on the kink
    ], dtype=F32)
    sp.append(([5, 6], {}, ties, "ties"))
    spread = np.array([
        [100.0, -100.0, 50.0, 50.0, 0.0, 1.0],
        [1e4, 1e-4, -1e4, 0.0, 2.0, 1e4 - 0.5],
        [-3.0, -2.5, -2.0, -1.5, -1.0, -0.5],
        [1e-6, 2e-6, 3e-6, -1e-6, 0.0, 5e-7],
    ], dtype=F32)
    sp.append(([4, 6], {}, spread, "spread"))
    sp += magnitude_cases()
    out.append(("sparsemax", sp))
    return out


# ---------------------------------------------------------------------------
# truth jobs (run in worker processes)


def _truth_elementwise(name, params, xs):
    return truth.elementwise(name, params, xs)


def _move_axes_last(x, axes):
    nd = x.ndim
    axes = tuple(a % nd for a in axes)
    keep = [a for a in range(nd) if a not in axes]
    perm = keep + list(axes)
    xt = np.transpose(x, perm)
    return xt, perm


def _truth_axis(act, params, x, dy):
    x = np.asarray(x, dtype=np.float64)
    dy = np.asarray(dy, dtype=np.float64)
    ax = params.get("axis", -1)
    if act == "glu":
        a, b = np.split(x, 2, axis=ax)
        y, da, db = truth.glu_pairs(a.ravel().tolist(), b.ravel().tolist(), dy.ravel().tolist())
        y = np.array(y).reshape(a.shape)
        dx = np.concatenate([np.array(da).reshape(a.shape), np.array(db).reshape(a.shape)], axis=ax)
        return y, dx, []
    if ax is None:
        axes = tuple(range(x.ndim))
    elif isinstance(ax, (tuple, list)):
        axes = tuple(ax)
    else:
        axes = (ax,)
    xt, perm = _move_axes_last(x, axes)
    dyt, _ = _move_axes_last(dy, axes)
    n = int(np.prod([x.shape[a] for a in axes]))
    xr = xt.reshape(-1, n)
    dr = dyt.reshape(-1, n)
    fn = truth.ROWS[act]
    yr = np.zeros_like(xr)
    dxr = np.zeros_like(xr)
    kinkmask = np.zeros(xr.shape, dtype=bool)
    for i in range(xr.shape[0]):
        y, d, k = fn(xr[i].tolist(), dr[i].tolist())
        yr[i] = y
        dxr[i] = [np.nan if v is None else v for v in d]
        kinkmask[i, k] = True
    inv = np.argsort(perm)
    y = np.transpose(yr.reshape(xt.shape), inv)
    dx = np.transpose(dxr.reshape(xt.shape), inv)
    km = np.transpose(kinkmask.reshape(xt.shape), inv)
    return y, dx, [int(i) for i in np.flatnonzero(km.ravel())]


# ---------------------------------------------------------------------------
# keras side


class KerasRunner:
    def __init__(self):
        import jax
        import jax.numpy as jnp
        import keras

        self.jax, self.jnp, self.keras = jax, jnp, keras
        self.x64_check = False

    def fn(self, name, params):
        f = getattr(self.keras.activations, name)
        p = {k: (tuple(v) if isinstance(v, list) else v) for k, v in params.items()}
        return lambda x: f(x, **p)

    def run(self, name, params, x, dy, pad_to=None):
        """Keras output and vjp in float32 (x64 off) and float64 (x64 on).

        Elementwise inputs are zero-padded to one length so every case reuses
        the compiled per-op kernels (checked to give bit-identical results).
        """
        n = None
        if pad_to is not None:
            n = x.size
            assert n <= pad_to, (name, n)
            x = np.concatenate([x, np.zeros(pad_to - n, x.dtype)])
            dy = np.concatenate([dy, np.zeros(pad_to - n, dy.dtype)])
        res = self._run(name, params, x, dy)
        if n is not None:
            for k in ("y32", "dx32", "y64", "dx64"):
                res[k] = res[k][:n]
        return res

    def _run(self, name, params, x, dy):
        jax, jnp = self.jax, self.jnp
        f = self.fn(name, params)
        res = {}
        with jax.enable_x64(False):
            x32 = jnp.asarray(np.asarray(x, dtype=F32))
            y32 = f(x32)
            _, vjp = jax.vjp(f, x32)
            (dx32,) = vjp(jnp.asarray(np.asarray(dy), dtype=y32.dtype))
            res["y32"] = np.asarray(y32)
            res["dx32"] = np.asarray(dx32)
        with jax.enable_x64(True):
            x64 = jnp.asarray(np.asarray(x, dtype=np.float64))
            y64 = f(x64)
            _, vjp = jax.vjp(f, x64)
            # the cotangent has the output's dtype (keras.activations.tanh
            # returns float32 for float64 input)
            (dx64,) = vjp(jnp.asarray(np.asarray(dy), dtype=y64.dtype))
            res["y64_dtype"] = str(y64.dtype)
            res["y64"] = np.asarray(y64).astype(np.float64)
            res["dx64"] = np.asarray(dx64).astype(np.float64)
            res["dx64_dtype"] = str(dx64.dtype)
            if self.x64_check:  # does float32 depend on jax_enable_x64?
                y32b = np.asarray(f(jnp.asarray(np.asarray(x, dtype=F32))))
                if not np.array_equal(res["y32"].view("<u4"), y32b.view("<u4")):
                    print(f"  note: {name} {params}: float32 output differs with jax_enable_x64 on",
                          file=sys.stderr)
        assert res["y32"].dtype == F32 and res["dx32"].dtype == F32, name
        if res["y64_dtype"] != "float64" or res["dx64_dtype"] != "float64":
            print(f"  note: {name} {params}: float64 input gives y {res['y64_dtype']}, "
                  f"dx {res['dx64_dtype']}", file=sys.stderr)
        return res


def signed_zero_like(truth_vals, keras64):
    """mpmath has no -0: give exact zeros the sign of Keras's float64 zero."""
    t = np.array(truth_vals, dtype=np.float64)
    k = np.asarray(keras64, dtype=np.float64).reshape(t.shape)
    z = (t == 0) & (k == 0)
    t[z] = np.copysign(0.0, k[z])
    return t


# ---------------------------------------------------------------------------
# models


def build_models(keras, rng):
    layers = keras.layers
    models = {}

    m = keras.Sequential([
        keras.Input((5,), name="x"),
        layers.Dense(8, activation="squareplus", name="d_squareplus"),
        layers.Dense(8, activation="soft_shrink", name="d_soft_shrink"),
        layers.Dense(3, activation="sparse_plus", name="d_sparse_plus"),
    ], name="seq_squareplus")
    models["a_sequential"] = (m, [(4, 5)])

    inp = keras.Input((6,), name="x")
    h = layers.Dense(8, activation="silu", name="d_silu")(inp)
    b1 = layers.Dense(8, activation="hard_silu", name="d_hard_silu")(h)
    b2 = layers.Dense(8, activation="celu", name="d_celu")(h)
    c = layers.Concatenate(name="concat")([b1, b2])
    c = layers.Dense(8, activation="tanh_shrink", name="d_tanh_shrink")(c)
    c = layers.Dense(8, activation="log_sigmoid", name="d_log_sigmoid")(c)
    c = layers.Dense(8, activation="hard_sigmoid", name="d_hard_sigmoid")(c)
    out = layers.Activation("glu", name="glu")(c)
    models["b_functional"] = (keras.Model(inp, out, name="functional_mix"), [(4, 6)])

    m = keras.Sequential([
        keras.Input((8, 8, 2), name="x"),
        layers.Conv2D(4, 3, activation="squareplus", name="conv_squareplus"),
        layers.Conv2D(4, 3, activation="mish", name="conv_mish"),
        layers.Flatten(name="flatten"),
        layers.Dense(5, activation="log_softmax", name="d_log_softmax"),
    ], name="conv_net")
    models["c_conv2d"] = (m, [(2, 8, 8, 2)])

    m = keras.Sequential([
        keras.Input((6,), name="x"),
        layers.Dense(8, name="d1"),
        layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5, name="relu"),
        layers.Dense(8, name="d2"),
        layers.LeakyReLU(negative_slope=0.2, name="leaky_relu"),
        layers.Dense(8, name="d3"),
        layers.ELU(alpha=0.5, name="elu"),
        layers.Dense(4, name="d4"),
        layers.Softmax(axis=-1, name="softmax"),
    ], name="param_layers")
    models["d_param_layers"] = (m, [(4, 6)])

    for key, (m, in_shapes) in models.items():
        ws = []
        for w in m.weights:
            shape = tuple(w.shape)
            if len(shape) == 1:  # bias
                ws.append(rng.uniform(-0.5, 0.5, size=shape).astype(F32))
            else:
                fan_in = int(np.prod(shape[:-1]))
                lim = math.sqrt(6.0 / (fan_in + shape[-1])) * 1.5
                ws.append(rng.uniform(-lim, lim, size=shape).astype(F32))
        m.set_weights(ws)
    return models


def write_models(keras, outdir, written):
    rng = np.random.default_rng(SEED + 1)
    mdir = os.path.join(outdir, "models")
    os.makedirs(mdir, exist_ok=True)
    info = {}
    for key, (m, in_shapes) in build_models(keras, rng).items():
        xs = [(rng.standard_normal(s) * 1.5).astype(F32) for s in in_shapes]
        x = xs[0] if len(xs) == 1 else xs
        y_pred = np.asarray(m.predict(x, verbose=0))
        y_eager = np.asarray(m(x, training=False))
        # round trip: config + weights must reproduce the predictions
        m2 = keras.models.model_from_json(m.to_json())
        m2.set_weights([np.asarray(w) for w in m.get_weights()])
        y2 = np.asarray(m2.predict(x, verbose=0))
        assert np.array_equal(y2, y_pred), key
        cfg = m.to_json()
        weights = {
            "format": "f32 little-endian base64, in model.weights order (model.set_weights)",
            "weights": [
                {"path": w.path, "shape": list(w.shape), "data": enc32(np.asarray(w))}
                for w in m.weights
            ],
        }
        io = {
            "inputs": [{"shape": list(a.shape), "data": enc32(a)} for a in xs],
            "outputs": [{"shape": list(y_pred.shape), "data": enc32(y_pred)}],
            "outputs_eager": [{"shape": list(y_eager.shape), "data": enc32(y_eager)}],
            "max_abs_diff_predict_vs_eager": float(np.max(np.abs(y_pred.astype(np.float64) - y_eager))),
        }
        files = {
            f"{key}.model.json": cfg,
            f"{key}.weights.json": dumps(weights, indent=1),
            f"{key}.io.json": dumps(io, indent=1),
        }
        for fname, text in files.items():
            written[f"models/{fname}"] = write_text(os.path.join(mdir, fname), text)
        import zoo  # the same model as a .keras archive and a legacy .h5 file, for the importer

        for fname, path in zoo.save_model_files(keras, m, mdir, key, x, y_pred).items():
            with open(path, "rb") as fh:
                written[f"models/{fname}"] = fh.read()
            files[fname] = None
        info[key] = {
            "files": sorted(files),
            "name": m.name,
            "input_shapes": [list(s) for s in in_shapes],
            "output_shape": list(y_pred.shape),
            "activations": sorted({
                a for l in m.layers for a in [_layer_activation(l)] if a
            }),
        }
        print(f"model {key}: {len(m.weights)} weights, out {y_pred.shape}", file=sys.stderr)
    return info


def _layer_activation(layer):
    cfg = layer.get_config()
    act = cfg.get("activation")
    if isinstance(act, str):
        return act
    return type(layer).__name__ if type(layer).__name__ in ("ReLU", "LeakyReLU", "ELU", "Softmax") else None


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "test", "fixtures"))
    ap.add_argument("--jobs", type=int, default=1,
                    help="mpmath worker processes besides this one (it computes the Keras side, "
                         "then takes over truth jobs no worker has started)")
    ap.add_argument("--x64-check", action="store_true",
                    help="also report float32 outputs that change when jax_enable_x64 is on")
    ap.add_argument("--dps", type=int, default=50, help="mpmath digits (verification only)")
    ap.add_argument("--large", metavar="DIR",
                    help="only write the large model zoo (Keras applications, several MB each) to DIR")
    args = ap.parse_args()
    if args.large:
        return write_large(args.large)
    outdir = os.path.abspath(args.out)
    os.makedirs(outdir, exist_ok=True)
    truth.set_dps(args.dps)

    assert os.environ.get("KERAS_BACKEND") == "jax", "run through scripts/golden/run.sh"
    runner = KerasRunner()
    runner.x64_check = args.x64_check
    jax, keras = runner.jax, runner.keras
    assert jax.default_backend() == "cpu"

    # ---- plan all cases
    plan = []  # (file_name, activation, kind, alias_of, [case dicts with inputs])
    for name, variants in ELEMENTWISE_VARIANTS:
        cases = []
        for params in variants:
            x = elementwise_inputs(name, params)
            cases.append({"params": params, "x": x, "dy": np.ones_like(x), "shape": [int(x.size)]})
        plan.append((name, "elementwise", None, cases))
    for alias, target in ALIASES:
        x = elementwise_inputs(alias, {}, short=True)
        plan.append((alias, "elementwise", target,
                     [{"params": {}, "x": x, "dy": np.ones_like(x), "shape": [int(x.size)]}]))
    rng_dy = np.random.default_rng(SEED + 2)
    for act, cases_in in axis_cases():
        cases = []
        for shape, params, x, label in cases_in:
            x = np.asarray(x, dtype=F32).reshape(shape)
            yshape = list(shape)
            if act == "glu":
                ax = params.get("axis", -1)
                yshape[ax] //= 2
            dy = (rng_dy.standard_normal(yshape)).astype(F32)
            cases.append({"params": params, "x": x, "dy": dy, "shape": list(shape), "y_shape": yshape,
                          "label": label})
        plan.append((act, "axis", None, cases))

    # ---- truth in worker processes (pure mpmath), keras in this process
    import multiprocessing as mpc

    ctx = mpc.get_context("spawn")
    futures, jobs = [], []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=ctx) as pool:
        for fname, kind, alias_of, cases in plan:
            act = alias_of or fname
            for c in cases:
                if kind == "elementwise":
                    job = (_truth_elementwise, fname, c["params"], c["x"].astype(np.float64).tolist())
                else:
                    job = (_truth_axis, act, c["params"], c["x"], c["dy"])
                jobs.append(job)
                futures.append(pool.submit(*job))
        # keras while the workers compute
        t_start = time.time()
        keras_res = []
        for fname, kind, alias_of, cases in plan:
            for c in cases:
                keras_res.append(runner.run(fname, c["params"], c["x"], c["dy"],
                                            pad_to=PAD if kind == "elementwise" else None))
        t_keras = time.time()
        # take back the truth jobs no worker has started yet and run them here
        local = {}
        for i in reversed(range(len(futures))):
            if futures[i].cancel():
                local[i] = jobs[i][0](*jobs[i][1:])
        truths = [local[i] if i in local else f.result() for i, f in enumerate(futures)]
        t_truth = time.time()
    print(f"keras {t_keras - t_start:.1f}s, then waited {t_truth - t_keras:.1f}s for mpmath", file=sys.stderr)

    # ---- assemble and write
    written = {}
    manifest_files = {}
    it = iter(zip(keras_res, truths))
    for fname, kind, alias_of, cases in plan:
        out_cases = []
        summary = []
        for c in cases:
            kr, tr = next(it)
            ty, tdy, kinks = tr
            ty = signed_zero_like(ty, kr["y64"])
            dx64 = kr["dx64"].reshape(-1)
            tdy = np.array([np.nan if v is None else v for v in np.ravel(np.asarray(tdy, dtype=object))],
                           dtype=np.float64)
            for i in kinks:  # undefined derivative: take Keras/jax float64 autodiff
                tdy[i] = dx64[i]
            tdy = signed_zero_like(tdy, dx64)
            case = {
                "name": case_name(c["params"]) + ("" if kind == "elementwise" else
                                                  f"@{'x'.join(map(str, c['shape']))}"
                                                  + (f"#{c['label']}" if c["label"] else "")),
                "params": c["params"],
                "shape": c["shape"],
                "x": enc32(c["x"]),
                "dy": enc32(c["dy"]),
                "y32": enc32(kr["y32"]),
                "y64": enc64(kr["y64"]),
                "truth": enc64(ty),
                "dx32": enc32(kr["dx32"]),
                "dx64": enc64(kr["dx64"]),
                "dtruth": enc64(tdy),
                "kinks": sorted(int(i) for i in kinks),
                "y64_dtype": kr["y64_dtype"],
            }
            if kind == "axis":
                case["y_shape"] = c["y_shape"]
            out_cases.append(case)
            summary.append({"name": case["name"], "params": c["params"], "shape": c["shape"],
                            "n": int(np.prod(c["shape"])), "kinks": len(kinks)})
        doc = {"activation": fname, "kind": kind, "cases": out_cases}
        if alias_of:
            doc["alias_of"] = alias_of
            doc["serialized_as"] = keras.activations.serialize(getattr(keras.activations, fname))
        path = f"{fname}.json.gz"
        written[path] = write_gz(os.path.join(outdir, path), doc)
        manifest_files[path] = {"activation": fname, "kind": kind, "cases": summary}
        if alias_of:
            manifest_files[path]["alias_of"] = alias_of
        print(f"{path}: {len(out_cases)} cases, {len(written[path])} bytes", file=sys.stderr)

    t0 = time.time()
    models = write_models(keras, outdir, written)
    import zoo  # the importer's model zoo (.keras/.h5 files)

    models_zoo = zoo.write_zoo(keras, os.path.join(outdir, "models"), written)
    print(f"models {time.time() - t0:.1f}s", file=sys.stderr)

    import importlib.metadata as md

    manifest = {
        "generator": "scripts/golden/generate.py",
        "oracle": "keras.activations.<name>(x, **params) on the jax backend, CPU, eager; "
                  "float32 with jax_enable_x64 off, float64 with it on; gradients by jax.vjp",
        "truth": f"mpmath, {args.dps} significant digits, rounded to float64",
        "versions": {
            "python": platform.python_version(),
            "keras": md.version("keras"),
            "jax": md.version("jax"),
            "jaxlib": md.version("jaxlib"),
            "numpy": md.version("numpy"),
            "mpmath": md.version("mpmath"),
            "h5py": md.version("h5py"),
            "ml_dtypes": md.version("ml_dtypes"),
        },
        "seed": SEED,
        "aliases": {a: t for a, t in ALIASES},
        "files": manifest_files,
        "models": models,
        "keras_zoo": models_zoo,
        "sha256": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(written.items())},
    }
    write_text(os.path.join(outdir, "manifest.json"), dumps(manifest, indent=2))
    total = sum(len(v) for v in written.values())
    print(f"wrote {len(written) + 1} files, {total} bytes to {outdir}", file=sys.stderr)


def write_large(outdir):
    import keras
    import zoo

    assert os.environ.get("KERAS_BACKEND") == "jax", "run through scripts/golden/run.sh"
    outdir = os.path.abspath(outdir)
    info = zoo.write_zoo(keras, outdir, large=True)
    import importlib.metadata as md

    write_text(os.path.join(outdir, "manifest.json"),
               dumps({"generator": "scripts/golden/generate.py --large", "keras": md.version("keras"),
                      "models": info}, indent=2))


if __name__ == "__main__":
    main()
