"""The Keras 3 model zoo for the importer (loadKerasModel / convert).

Each model is saved as a native `.keras` archive and as a legacy `.h5` file,
with inputs and Keras's predictions in `<key>.io.json`. Small models go to
test/fixtures/models/ (committed); the large applications (MobileNetV3Small,
EfficientNetB0, several MB each) go to a gitignored cache directory
(`run.sh --large`, run by the test setup when they are missing).

Output is deterministic: fixed seeds, the `.keras` zip rewritten with fixed
entry times and a fixed `date_saved`, and HDF5 files written without
timestamps (checked by writing twice).
"""

import io
import json
import os
import re
import sys
import zipfile

import numpy as np

F32 = np.float32
ZOO_SEED = 20250301
FIXED_DATE = "2000-01-01@00:00:00"


def _enc32(a):
    import base64

    a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
    return "f32:" + base64.b64encode(a.tobytes()).decode("ascii")


def _dumps(obj):
    return json.dumps(obj, sort_keys=True, indent=1, allow_nan=False) + "\n"


def small_models(keras):
    """key -> (model, [(shape, dtype, low, high)] input specs)."""
    L = keras.layers
    ops = keras.ops
    out = {}

    out["e_mlp_sequential"] = (keras.Sequential([
        keras.Input((6,), name="x"),
        L.Dense(16, activation="relu", name="d1"),
        L.Dropout(0.25, name="drop"),
        L.Dense(12, activation="gelu", name="d2"),
        L.Dense(8, activation="selu", name="d3"),
        L.Dense(4, activation="softmax", name="d_out"),
    ], name="mlp_sequential"), [((4, 6), "float32")])

    a = keras.Input((6,), name="a")
    b = keras.Input((4,), name="b")
    ha = L.Dense(8, activation="tanh", name="da")(a)
    hb = L.Dense(8, activation="elu", name="db")(b)
    s = L.Add(name="add")([ha, hb])
    m = L.Multiply(name="mul")([ha, hb])
    c = L.Concatenate(name="concat")([s, m, b])
    o = L.Dense(5, activation="softplus", name="d_out")(c)
    out["f_mlp_two_inputs"] = (keras.Model([a, b], o, name="mlp_two_inputs"),
                               [((4, 6), "float32"), ((4, 4), "float32")])

    out["g_conv_bn"] = (keras.Sequential([
        keras.Input((12, 12, 3), name="img"),
        L.Conv2D(6, 3, padding="same", activation="relu", name="conv1"),
        L.BatchNormalization(name="bn1"),
        L.MaxPooling2D(2, name="pool1"),
        L.ZeroPadding2D(((1, 0), (0, 1)), name="pad"),
        L.DepthwiseConv2D(3, depth_multiplier=2, activation="relu6", name="dw"),
        L.BatchNormalization(momentum=0.9, epsilon=1e-3, center=False, name="bn2"),
        L.AveragePooling2D(2, strides=1, name="pool2"),
        L.Conv2D(5, 2, strides=2, padding="valid", use_bias=False, name="conv2"),
        L.GlobalAveragePooling2D(name="gap"),
        L.Dense(3, name="d_out"),
    ], name="conv_bn"), [((2, 12, 12, 3), "float32")])

    x = keras.Input((3, 8), name="x")
    h = L.Dense(8, name="d1")(x)
    h = L.LeakyReLU(negative_slope=0.05, name="leaky")(h)
    h = L.Dense(8, name="d2")(h)
    h = L.ReLU(max_value=4.0, negative_slope=0.1, threshold=0.2, name="relu_p")(h)
    h = L.Dense(8, name="d3")(h)
    h = L.ELU(alpha=1.7, name="elu")(h)
    h = L.Dense(8, name="d4")(h)
    h = L.PReLU(shared_axes=[1], name="prelu")(h)
    h = L.Dense(8, name="d5")(h)
    o = L.Softmax(axis=1, name="softmax_axis1")(h)
    out["h_advanced_activations"] = (keras.Model(x, o, name="advanced_activations"), [((4, 3, 8), "float32")])

    out["i_glu"] = (keras.Sequential([
        keras.Input((5,), name="x"),
        L.Dense(12, activation="squareplus", name="d1"),
        L.Dense(10, name="d2"),
        # last: Keras's Activation reports its input shape, so nothing can follow glu
        L.Activation("glu", name="glu"),
    ], name="glu_model"), [((4, 5), "float32")])

    x = keras.Input((5, 4), name="seq")
    h = L.LSTM(6, recurrent_activation="hard_sigmoid", return_sequences=True, name="lstm")(x)
    h = L.GRU(5, recurrent_activation="hard_sigmoid", return_sequences=True, name="gru")(h)
    h2 = L.GRU(4, reset_after=False, go_backwards=True, name="gru_v1")(h)
    h3 = L.GRU(4, activation="hard_sigmoid", name="gru_last")(h)
    h = L.Concatenate(name="concat")([h2, h3])
    h = L.Dense(6, activation="hard_sigmoid", name="d_hard_sigmoid")(h)
    h = L.Dense(4, name="d2")(h)
    o = L.Activation("hard_sigmoid", name="act_hard_sigmoid")(h)
    out["j_hard_sigmoid_rnn"] = (keras.Model(x, o, name="hard_sigmoid_rnn"), [((3, 5, 4), "float32")])

    out["k_embedding"] = (keras.Sequential([
        keras.Input((7,), dtype="int32", name="tokens"),
        L.Embedding(20, 4, name="emb"),
        L.Conv1D(6, 3, activation="mish", name="conv"),
        L.GlobalAveragePooling1D(name="gap"),
        L.Dense(3, activation="log_softmax", name="d_out"),
    ], name="embedding_model"), [((4, 7), "int32", 0, 20)])

    inner = keras.Sequential([
        keras.Input((8,), name="inner_in"),
        L.Dense(8, activation="softsign", name="inner_d1"),
        L.BatchNormalization(name="inner_bn"),
        L.Dense(6, activation="hard_silu", name="inner_d2"),
    ], name="inner_block")
    x = keras.Input((5,), name="x")
    h = L.Dense(8, activation="relu", name="pre")(x)
    h = inner(h)
    h = L.Reshape((2, 3), name="reshape")(h)
    h = L.Flatten(name="flat")(h)
    o = L.Dense(2, name="post")(h)
    out["l_nested"] = (keras.Model(x, o, name="nested"), [((4, 5), "float32")])

    out["m_conv1d_layernorm"] = (keras.Sequential([
        keras.Input((10, 3), name="x"),
        L.Conv1D(8, 3, activation="hard_silu", name="conv1"),
        L.LayerNormalization(name="ln1"),
        L.Conv1D(4, 2, padding="same", dilation_rate=2, activation="log_sigmoid", name="conv2"),
        L.LayerNormalization(center=False, epsilon=1e-3, name="ln2"),
        L.MaxPooling1D(2, name="pool"),
        L.Flatten(name="flat"),
        L.Dense(3, activation="sparse_sigmoid", name="d_out"),
    ], name="conv1d_layernorm"), [((3, 10, 3), "float32")])

    x = keras.Input((6,), name="x")
    h = L.Dense(8, name="d1")(x)
    h = h + 3.0
    h = L.ReLU(max_value=6.0, name="relu6")(h) * 0.5
    h = 2.0 * h - 1.0
    h = h / 4.0
    g = L.Dense(8, activation="sigmoid", name="gate")(x)
    h = h * g
    o = L.Dense(3, name="d_out")(h + g)
    out["n_ops_nodes"] = (keras.Model(x, o, name="ops_nodes"), [((4, 6), "float32")])
    return out


def large_models(keras):
    apps = keras.applications
    return {
        "mobilenet_v3_small": (apps.MobileNetV3Small(input_shape=(64, 64, 3), weights=None,
                                                     classifier_activation=None),
                               [((2, 64, 64, 3), "float32", 0, 255)]),
        "efficientnet_b0": (apps.EfficientNetB0(input_shape=(64, 64, 3), weights=None,
                                                classifier_activation=None),
                            [((2, 64, 64, 3), "float32", 0, 255)]),
    }


def _randomise(model, rng):
    """Fixed-seed weights, with statistics that are valid (positive variances)."""
    ws = []
    for w in model.weights:
        shape = tuple(w.shape)
        path = w.path
        if "int" in str(w.dtype):
            ws.append(np.asarray(w))
        elif path.endswith("variance"):
            ws.append(rng.uniform(0.5, 1.5, size=shape).astype(F32))
        elif path.endswith("gamma"):
            ws.append(rng.uniform(0.6, 1.4, size=shape).astype(F32))
        elif path.endswith("moving_mean") or path.endswith("/mean"):
            ws.append(rng.uniform(-0.2, 0.2, size=shape).astype(F32))
        elif len(shape) <= 1 or path.endswith("alpha"):
            ws.append(rng.uniform(-0.5, 0.5, size=shape).astype(F32))
        else:
            fan_in = int(np.prod(shape[:-1]))
            lim = np.sqrt(6.0 / (fan_in + shape[-1])) * 1.5
            ws.append(rng.uniform(-lim, lim, size=shape).astype(F32))
    model.set_weights(ws)


def _large_stats(model, rng):
    """Applications keep their initialised kernels; their statistics become non-trivial."""
    ws = []
    for w in model.weights:
        a = np.asarray(w)
        path = w.path
        if path.endswith("moving_variance") or path.endswith("/variance"):
            a = rng.uniform(0.5, 1.5, size=a.shape).astype(F32)
        elif path.endswith("moving_mean") or path.endswith("/mean"):
            a = rng.uniform(-0.1, 0.1, size=a.shape).astype(F32)
        ws.append(a)
    model.set_weights(ws)


def _normalise_keras_archive(path):
    """Rewrite a .keras zip with fixed entry times and a fixed date_saved."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, i.compress_type, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, ctype, data in entries:
            if name == "metadata.json":
                meta = json.loads(data)
                meta["date_saved"] = FIXED_DATE
                data = json.dumps(meta).encode("utf-8")
            elif name == "config.json":
                # shared_object_id is a Python id(): number the shared objects in order instead
                ids = {}
                data = re.sub(rb'"shared_object_id": (\d+)',
                              lambda mt: b'"shared_object_id": %d' % ids.setdefault(mt.group(1), len(ids) + 1),
                              data)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = ctype
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    with open(path, "wb") as fh:
        fh.write(buf.getvalue())


def _inputs(specs, rng):
    xs = []
    for spec in specs:
        shape, dtype = spec[0], spec[1]
        if dtype == "int32":
            xs.append(rng.integers(spec[2], spec[3], size=shape).astype(np.int32))
        elif len(spec) > 2:
            xs.append(rng.uniform(spec[2], spec[3], size=shape).astype(F32))
        else:
            xs.append((rng.standard_normal(shape) * 1.5).astype(F32))
    return xs


def _layer_classes(model):
    names = set()
    for layer in model.layers:
        names.add(type(layer).__name__)
        if hasattr(layer, "layers"):
            names |= _layer_classes(layer)
    return names


def save_model_files(keras, m, mdir, key, x, y, large=False):
    """Saves `<key>.keras` and (when Keras can read it back) `<key>.h5`; returns {file name: path}."""
    files = {}
    for ext in ("keras", "h5"):
        p = os.path.join(mdir, f"{key}.{ext}")
        m.save(p)
        if ext == "keras":
            _normalise_keras_archive(p)
        # the saved file must reproduce Keras's own predictions
        try:
            y2 = np.asarray(keras.models.load_model(p).predict(x, verbose=0))
        except ValueError as e:
            # Keras's legacy .h5 loader cannot rebuild keras.src.ops nodes other than the
            # ones named like layers: such a model has no .h5 file (Keras cannot read it back)
            assert ext == "h5", (key, e)
            os.remove(p)
            print(f"zoo {key}: no .h5 ({str(e)[:60]})", file=sys.stderr)
            continue
        if large:  # XLA may fuse the reloaded graph differently: equal to float32 rounding
            assert np.allclose(y2, y, rtol=1e-5, atol=1e-5), (key, ext, float(np.max(np.abs(y2 - y))))
        else:
            assert np.array_equal(y2, y), (key, ext)
        files[f"{key}.{ext}"] = p
    return files


def write_zoo(keras, mdir, written=None, large=False, prefix="models/"):
    """Save each model (.keras, .h5) with inputs and Keras predictions; returns manifest info."""
    os.makedirs(mdir, exist_ok=True)
    keras.utils.set_random_seed(ZOO_SEED + (1 if large else 0))
    rng = np.random.default_rng(ZOO_SEED + (1 if large else 0))
    models = large_models(keras) if large else small_models(keras)
    info = {}
    for key, (m, specs) in models.items():
        if large:
            _large_stats(m, rng)
        else:
            _randomise(m, rng)
        xs = _inputs(specs, rng)
        x = xs[0] if len(xs) == 1 else xs
        y = np.asarray(m.predict(x, verbose=0))
        files = save_model_files(keras, m, mdir, key, x, y, large)
        io_doc = {
            "inputs": [{"shape": list(a.shape), "dtype": str(a.dtype), "data": _enc32(a)} for a in xs],
            "outputs": [{"shape": list(y.shape), "data": _enc32(y)}],
        }
        p = os.path.join(mdir, f"{key}.io.json")
        with open(p, "wb") as fh:
            fh.write(_dumps(io_doc).encode("utf-8"))
        files[f"{key}.io.json"] = p
        if written is not None:
            for name, path in files.items():
                with open(path, "rb") as fh:
                    written[prefix + name] = fh.read()
        info[key] = {
            "files": sorted(files),
            "name": m.name,
            "params": int(m.count_params()),
            "input_shapes": [list(a.shape) for a in xs],
            "output_shape": list(y.shape),
            "layer_classes": sorted(_layer_classes(m)),
        }
        print(f"zoo {key}: {m.count_params()} params, out {y.shape}", file=sys.stderr)
    return info
