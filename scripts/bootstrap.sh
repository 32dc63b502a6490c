#!/usr/bin/env bash
# Installs what udemy-pipeline needs on Debian/Ubuntu: Tesseract and fonts from apt, uv, and the
# locked Python dependencies. Safe to run again: it installs only what is missing.
# Sourced by demo.sh and test.sh; extra arguments are passed to `uv sync`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-por tesseract-ocr-tur tesseract-ocr-ind tesseract-ocr-rus fonts-dejavu-core fonts-liberation fonts-noto-core python3-venv)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "bootstrap: please install ${missing[*]} (this script knows apt only)" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]} with apt" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v uv >/dev/null; then
  uv_home="${XDG_DATA_HOME:-$HOME/.local/share}/udemy-pipeline/uv"
  if [ ! -x "$uv_home/bin/uv" ]; then
    echo "bootstrap: installing uv from PyPI into $uv_home" >&2
    python3 -m venv "$uv_home"
    "$uv_home/bin/pip" install --quiet --disable-pip-version-check uv
  fi
  export PATH="$uv_home/bin:$PATH"
fi

export OMP_THREAD_LIMIT=1
# Trust the system's certificate store, as apt and pip do (corporate proxies add their CA there).
# Newer uv names the setting UV_SYSTEM_CERTS (and warns about the old UV_NATIVE_TLS).
if [ -z "${UV_NATIVE_TLS:-}" ] && [ -z "${UV_SYSTEM_CERTS:-}" ]; then
  if uv help sync 2>/dev/null | grep -q -- "--system-certs"; then
    export UV_SYSTEM_CERTS=1
  else
    export UV_NATIVE_TLS=1
  fi
fi
# Compiled once here, the dependencies' bytecode spares every worker process ~0.5 s of start-up,
# also where PYTHONDONTWRITEBYTECODE is set (containers, CI).
uv sync --frozen --quiet --compile-bytecode "$@"
