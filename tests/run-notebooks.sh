#!/usr/bin/env bash
# Executes the book's notebooks headlessly on the evcxr kernel and checks them.
#
#   bash tests/run-notebooks.sh                          # every notebook
#   bash tests/run-notebooks.sh notebooks/ch03-perceptron.ipynb   # some of them
#
# Installs what is missing: the evcxr kernel (cargo install, about ten minutes
# the first time) and a Python virtual environment under target/ with the
# Jupyter client libraries. Executed copies go to target/notebooks/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

evcxr_version="0.22.0"
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo install --list 2>/dev/null | grep -q "^evcxr_jupyter v$evcxr_version:"; then
    echo "installing the evcxr Jupyter kernel (evcxr_jupyter $evcxr_version)…"
    cargo install evcxr_jupyter --version "$evcxr_version" --locked
fi
kernels="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/rust"
if [ ! -f "$kernels/kernel.json" ]; then
    evcxr_jupyter --install
fi

venv="$root/target/nbvenv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import nbclient, nbformat, jupyter_client" 2>/dev/null; then
    echo "creating the Jupyter client environment in target/nbvenv…"
    if ! python3 -m venv "$venv" 2>/dev/null; then
        # Debian's python3 keeps venv in a package of its own.
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check nbclient nbformat nbconvert jupyter_client
fi

# Compiled dependencies are shared between notebooks and between runs.
export EVCXR_TMPDIR="$root/target/evcxr"
mkdir -p "$EVCXR_TMPDIR"
# The data sets, as the tests read them, when the shared copies are there.
if [ -d "$root/../shared/data" ]; then
    export FASHION_MNIST_DIR="${FASHION_MNIST_DIR:-$root/../shared/data/fashion-mnist}"
    export HOUSING_DIR="${HOUSING_DIR:-$root/../shared/data/housing}"
fi

exec "$venv/bin/python" "$root/tests/notebooks.py" "$@"
