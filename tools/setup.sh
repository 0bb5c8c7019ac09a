#!/usr/bin/env bash
# Install everything Keeping Score needs into .venv and build the student edition of the book.
# Usage (from the project folder): bash tools/setup.sh
# It is safe to run again: it reuses .venv and rebuilds the book.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
need_apt=()
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || {
  echo "Keeping Score needs Python 3.10 or newer; $PYTHON is $("$PYTHON" --version 2>&1)." >&2; exit 1; }
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need_apt+=(chromium)
# Chinese characters in screenshots and PDF packets need a CJK font on the building machine.
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; } || need_apt+=(fonts-noto-cjk)

if [ ${#need_apt[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing system packages: ${need_apt[*]} (Chromium is used for the browser checks and PDFs)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install these with your system's package manager, then run this again: ${need_apt[*]}" >&2
    [[ " ${need_apt[*]} " == *" python3-venv "* ]] && exit 1
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
.venv/bin/python -m keepingscore build --edition student
