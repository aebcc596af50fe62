#!/usr/bin/env bash
# Set synsp up on a fresh machine, then run the main job (`synsp demo`).
#   ./setup.sh                 install into .venv and run the demo
#   ./setup.sh --install-only  install only (CI)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# torch first: pyproject asks for a torch range this build satisfies, so pip adds no second one. Where pip's own
# configuration offers no CPU wheel (a machine of your own), TORCH_INDEX=https://download.pytorch.org/whl/cpu gives it.
.venv/bin/pip install --quiet --disable-pip-version-check "torch==2.13.0" ${TORCH_INDEX:+--extra-index-url "$TORCH_INDEX"}
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
if [ "${1:-}" != "--install-only" ]; then
  .venv/bin/synsp demo
fi
