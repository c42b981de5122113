# Sourced by the golden scripts (run.sh, keras2.sh): a pinned venv, made again only when its
# requirements file or the interpreter's version changes.
#
#   ensure_venv <label> <venv dir> <requirements> <stamp file name> <what, for the message> [pip install flags...]
#
# Uses $PY (the interpreter to make the venv with). Sets VENV_CREATED=1 when it (re)made the venv, else 0.
ensure_venv() {
  local label=$1 venv=$2 req=$3 stamp_file=$4 what=$5
  shift 5
  local stamp
  stamp="$( { sha256sum "$req" | cut -d' ' -f1; "$PY" -c 'import platform; print(platform.python_version())'; } | sha256sum | cut -d' ' -f1)"
  VENV_CREATED=0
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/$stamp_file" 2>/dev/null || true)" != "$stamp" ]; then
    echo "$label: creating $(basename "$venv")/ ($what)" >&2
    rm -rf "$venv"
    "$PY" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      "$@" --only-binary=:all: --no-deps -r "$req"
    echo "$stamp" > "$venv/$stamp_file"
    VENV_CREATED=1
  fi
}
