"""Genuine Keras 2 `.h5` models for the importer's tests (test/fixtures/keras2/).

Made by Keras 2 itself (tf_keras with TensorFlow, pinned in
requirements-keras2.txt) rather than by Keras 3 with a Keras-2-style config:
`model.save('x.h5')` writes Keras 2's legacy full-model HDF5 file (Keras 2
config conventions, `keras_version` 2.x, Keras 2 weight names). Each model is
saved with its inputs and Keras 2's predictions in `<key>.io.json` (the same
format as the Keras 3 zoo).

The models use Keras 2's `hard_sigmoid` (clip(0.2x + 0.5, 0, 1), where Keras
3's is relu6(x + 3)/6) in Dense, Conv1D, Activation, LSTM and GRU, so a Keras 2
file must keep Keras 2's formula when imported. To show the fixtures can tell
the two apart, the script also predicts with Keras 3's formula swapped in and
records how far that lands from Keras 2's predictions (`keras3_hard_sigmoid_max_diff`).

Run through scripts/golden/keras2.sh (sets up the venv); the output is
committed, so CI needs no TensorFlow.
"""

import base64
import json
import os
import sys

import numpy as np

SEED = 20250302


def enc32(a):
    a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
    return "f32:" + base64.b64encode(a.tobytes()).decode("ascii")


def models(keras):
    L = keras.layers
    out = {}

    x = keras.Input((8,), name="x")
    a = L.Dense(16, activation="hard_sigmoid", name="dense_hard_sigmoid")(x)
    b = L.Dense(16, activation="gelu", name="dense_gelu")(x)
    h = L.Add(name="add")([a, b])
    h = L.Activation("swish", name="act_swish")(h)
    h = L.BatchNormalization(name="bn")(h)
    h = L.LeakyReLU(alpha=0.2, name="leaky")(h)
    s = L.Reshape((4, 4), name="reshape")(h)
    s = L.Conv1D(6, 2, padding="same", activation="hard_sigmoid", name="conv1d")(s)
    s = L.GRU(5, recurrent_activation="hard_sigmoid", reset_after=False, return_sequences=True, name="gru_v1")(s)
    s = L.LSTM(6, recurrent_activation="hard_sigmoid", return_sequences=True, name="lstm")(s)
    s = L.GRU(5, recurrent_activation="hard_sigmoid", name="gru")(s)  # reset_after=True, Keras 2's default in TF 2
    d = L.Dense(6, activation="selu", name="dense_selu")(h)
    d = L.ReLU(max_value=4.0, negative_slope=0.1, threshold=0.2, name="relu_params")(d)
    d = L.Dense(6, activation="mish", name="dense_mish")(d)
    m = L.Concatenate(name="concat")([s, d, a])
    m = L.Activation("hard_sigmoid", name="act_hard_sigmoid")(m)
    m = L.Dense(8, activation="softsign", name="dense_softsign")(m)
    m = L.ELU(alpha=1.5, name="elu_layer")(m)
    y = L.Dense(4, activation="elu", name="out")(m)
    out["keras2_functional"] = (keras.Model(x, y, name="keras2_functional"), (6, 8))

    out["keras2_sequential"] = (
        keras.Sequential(
            [
                keras.Input((6,), name="x"),
                L.Dense(12, activation="hard_sigmoid", name="d1"),
                L.Dense(8, activation="tanh", name="d2"),
                L.Dense(3, activation="softmax", name="d_out"),
            ],
            name="keras2_sequential",
        ),
        (5, 6),
    )
    return out


def randomise(model, rng):
    """Weights large enough that hard_sigmoid sees both its slope and its clipped ends."""
    for layer in model.layers:
        ws = layer.get_weights()
        if not ws:
            continue
        if layer.__class__.__name__ == "BatchNormalization":
            g, b, mean, var = ws
            ws = [
                rng.uniform(0.5, 1.5, g.shape),
                rng.normal(0, 0.3, b.shape),
                rng.normal(0, 0.5, mean.shape),
                rng.uniform(0.5, 2.0, var.shape),
            ]
        else:
            ws = [rng.normal(0, 0.8, w.shape) for w in ws]
        layer.set_weights([w.astype(np.float32) for w in ws])


def keras3_hard_sigmoid_variant(keras, tf, model):
    """The same model with Keras 3's hard_sigmoid wherever Keras 2's is used (in place; returns a restore function)."""
    k2 = keras.activations.hard_sigmoid

    def k3(v):
        return tf.nn.relu6(v + 3.0) / 6.0

    swapped = []
    for layer in model.layers:
        # an RNN layer's activations are read-only views of its cell's
        obj = layer.cell if hasattr(layer, "cell") else layer
        for attr in ["activation", "recurrent_activation"]:
            if getattr(obj, attr, None) is k2:
                setattr(obj, attr, k3)
                swapped.append((obj, attr))

    def restore():
        for obj, attr in swapped:
            setattr(obj, attr, k2)

    return len(swapped), restore


def main(out_dir):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    import tf_keras as keras

    os.makedirs(out_dir, exist_ok=True)
    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    for key, (model, shape) in models(keras).items():
        randomise(model, rng)
        xin = (rng.normal(0, 2.0, shape)).astype(np.float32)
        y = np.asarray(model.predict(xin, verbose=0))
        n, restore = keras3_hard_sigmoid_variant(keras, tf, model)
        y3 = np.asarray(model(xin, training=False))
        restore()
        diff3 = float(np.max(np.abs(y3 - y)))
        assert n > 0 and diff3 > 1e-2, (key, n, diff3)
        path = os.path.join(out_dir, f"{key}.h5")
        model.save(path)  # Keras 2's legacy full-model HDF5 format
        back = keras.models.load_model(path)
        assert np.array_equal(np.asarray(back.predict(xin, verbose=0)), y), key
        doc = {
            "generated_by": f"tf_keras {keras.__version__}, tensorflow {tf.__version__}",
            "inputs": [{"shape": list(xin.shape), "dtype": "float32", "data": enc32(xin)}],
            "outputs": [{"shape": list(y.shape), "data": enc32(y)}],
            "keras3_hard_sigmoid_max_diff": diff3,
            "hard_sigmoid_uses": n,
        }
        with open(os.path.join(out_dir, f"{key}.io.json"), "w") as fh:
            fh.write(json.dumps(doc, sort_keys=True, indent=1) + "\n")
        print(
            f"keras2 {key}: {model.count_params()} params, out {y.shape}, {n} hard_sigmoid uses, "
            f"Keras 3 formula would differ by {diff3:.3g}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "keras2"))
