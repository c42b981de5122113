#!/usr/bin/env bash
# Genuine Keras 2 `.h5` fixtures for the importer (test/fixtures/keras2/), made
# by Keras 2 itself: tf_keras and TensorFlow (CPU) from PyPI, pinned in
# requirements-keras2.txt, in their own venv (.venv-keras2/, about 600 MB; the
# first run downloads TensorFlow). The output is committed: neither CI nor
# `npm run golden -- --check` needs TensorFlow. See scripts/golden/keras2.py.
#
#   bash scripts/golden/keras2.sh            regenerate test/fixtures/keras2/
#   bash scripts/golden/keras2.sh <outDir>   write elsewhere
#
# Environment: GOLDEN_PYTHON (interpreter for the venv, default python3.11).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.venv-keras2"
REQ="$HERE/requirements-keras2.txt"
OUT="${1:-$ROOT/test/fixtures/keras2}"

PY="${GOLDEN_PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
if [ -z "$PY" ]; then echo "keras2: python3.11 not found" >&2; exit 1; fi
. "$HERE/venv.sh"
ensure_venv keras2 "$VENV" "$REQ" .keras2-stamp 'pinned tf_keras, tensorflow-cpu'

export CUDA_VISIBLE_DEVICES=""
export TF_CPP_MIN_LOG_LEVEL=3
export TF_ENABLE_ONEDNN_OPTS=0
export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1
"$VENV/bin/python" "$HERE/keras2.py" "$OUT"
echo "keras2: wrote $OUT"
