#!/usr/bin/env bash
# Golden fixtures from real Keras 3 (see docs/golden.md).
#
#   bash scripts/golden/run.sh           set up .venv-golden/ if needed, regenerate test/fixtures/
#   bash scripts/golden/run.sh --check   regenerate into a temp dir and compare byte for byte
#                                        with test/fixtures/ (exit 1 on any difference)
#   bash scripts/golden/run.sh --large   write the large Keras model zoo (MobileNetV3Small,
#                                        EfficientNetB0) to .cache/keras-zoo/ (gitignored)
#
# Environment: GOLDEN_PYTHON (interpreter for the venv, default python3.11),
#              GOLDEN_JOBS (mpmath worker processes besides the main one, default 1).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.venv-golden"
REQ="$HERE/requirements.txt"
FIXTURES="$ROOT/test/fixtures"

MODE=write
case "${1:-}" in
  "") ;;
  --check) MODE=check ;;
  --large) MODE=large ;;
  -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
  *) echo "golden: unknown argument '$1' (use --check, --large or nothing)" >&2; exit 2 ;;
esac

t0=$(date +%s)

# ---------------------------------------------------------------- venv
PY="${GOLDEN_PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
if [ -z "$PY" ]; then echo "golden: python3.11 not found" >&2; exit 1; fi
PYVER="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$PYVER" != "3.11" ]; then
  echo "golden: need Python 3.11 for the pinned wheels, $PY is $PYVER (set GOLDEN_PYTHON)" >&2
  exit 1
fi
. "$HERE/venv.sh"
ensure_venv golden "$VENV" "$REQ" .golden-stamp 'pinned keras, jax[cpu], numpy, mpmath' --require-hashes
if [ "$VENV_CREATED" = 1 ]; then "$VENV/bin/python" -m pip check >/dev/null; fi

# ---------------------------------------------------------------- environment
export KERAS_BACKEND=jax
export JAX_PLATFORMS=cpu
export CUDA_VISIBLE_DEVICES=""
export KERAS_HOME="$VENV/keras-home"
export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONWARNINGS="ignore"
# Eager Keras compiles every jax op once per shape and dtype: keep those
# executables between runs (the cache only saves time, results are the same).
export JAX_COMPILATION_CACHE_DIR="$VENV/jax-cache"
export JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0
export JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES=0

if [ "$MODE" = large ]; then
  "$VENV/bin/python" "$HERE/generate.py" --large "$ROOT/.cache/keras-zoo"
  echo "golden: wrote .cache/keras-zoo/ ($(du -sh "$ROOT/.cache/keras-zoo" | cut -f1)) in $(( $(date +%s) - t0 ))s"
  exit 0
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/fixtures"

t1=$(date +%s)
"$VENV/bin/python" "$HERE/generate.py" --out "$OUT" --jobs "${GOLDEN_JOBS:-1}"
t2=$(date +%s)

# Files this generator owns under test/fixtures/ (other fixtures are left alone).
owned() {
  [ -d "$1" ] || return 0
  (cd "$1" && find . -type f \( -name '*.json.gz' -o -name 'manifest.json' -o -path './models/*' \) | sed 's|^\./||' | LC_ALL=C sort)
}

if [ "$MODE" = check ]; then
  status=0
  while IFS= read -r f; do
    if [ ! -f "$FIXTURES/$f" ]; then
      echo "golden --check: missing in test/fixtures/: $f" >&2; status=1
    elif ! cmp -s "$OUT/$f" "$FIXTURES/$f"; then
      echo "golden --check: differs: test/fixtures/$f" >&2; status=1
    fi
  done < <(owned "$OUT")
  while IFS= read -r f; do
    if [ ! -f "$OUT/$f" ]; then
      echo "golden --check: stale (not generated any more): test/fixtures/$f" >&2; status=1
    fi
  done < <(owned "$FIXTURES")
  if [ $status -ne 0 ]; then
    echo "golden --check: FAILED: test/fixtures/ does not match what Keras $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("keras"))') generates; run 'npm run golden' and review the diff" >&2
    exit 1
  fi
  echo "golden --check: OK ($(owned "$OUT" | wc -l) files identical; setup $((t1 - t0))s, generate $((t2 - t1))s)"
  exit 0
fi

mkdir -p "$FIXTURES"
while IFS= read -r f; do
  [ -f "$OUT/$f" ] || rm -f "$FIXTURES/$f"
done < <(owned "$FIXTURES")
cp -R "$OUT/." "$FIXTURES/"
echo "golden: wrote test/fixtures/ ($(owned "$FIXTURES" | wc -l) files, $(du -sh "$FIXTURES" | cut -f1)); setup $((t1 - t0))s, generate $((t2 - t1))s"
