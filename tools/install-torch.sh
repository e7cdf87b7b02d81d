#!/bin/sh
# Installs the PyTorch peer used by tools/ntk_reference.py and `npm run bench:ntk`: Debian bookworm's
# python3-torch 1.13 (the version the prototype study in shared/notes/ntk-engine.md measured) plus functorch for vmap.
# Needs root (apt-get); the project's only network sources are Debian apt and the npm registry.
set -eu
# Debian's torch lives under /usr/bin/python3 (a pyenv python3 earlier on PATH will not see it); the tools
# look there first (see tools/torch-python.ts).
if /usr/bin/python3 -c 'import torch, functorch' 2>/dev/null; then
  echo "install-torch: torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') already present"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends python3-torch python3-numpy
/usr/bin/python3 -c 'import torch, functorch; print("install-torch: torch", torch.__version__, "functorch ok")'
