#!/usr/bin/env bash
# Times h = tanh(h @ W) (float32) for LaxScan and its peers -- numpy with OpenBLAS and with the reference BLAS,
# ONNX Runtime (one Run per step and an unrolled graph), @jax-js/jax (wasm, jitted step) and a naive C# loop -- on
# the same W and x, and prints one table (see bench/PEERS.md). Takes a few minutes. It INSTALLS SYSTEM PACKAGES AS
# ROOT (apt-get, through sudo when not root: python3-numpy, OpenBLAS, the reference BLAS) and @jax-js/jax with npm into
# the scratch dir; LAXSCAN_PEERS_SKIP_INSTALL=1 installs nothing.
#
#   bash bench/peers.sh [driver options, e.g. --sizes 64,256 --seconds 0.5]
#
# Environment: LAXSCAN_PEERS_WORK (scratch dir, default /tmp/laxscan-peers), LAXSCAN_PEERS_SKIP_INSTALL=1.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${LAXSCAN_PEERS_WORK:-/tmp/laxscan-peers}"
jaxjs_version="0.1.25"
mkdir -p "$work"

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

if [ "${LAXSCAN_PEERS_SKIP_INSTALL:-0}" != 1 ]; then
  # numpy (Debian's, linked against libblas.so.3), OpenBLAS (pthread build) and the reference BLAS.
  if ! dpkg -s python3-numpy libopenblas0-pthread libblas3 liblapack3 >/dev/null 2>&1; then
    echo "== installing system packages as root (LAXSCAN_PEERS_SKIP_INSTALL=1 skips this): apt-get install python3-numpy libopenblas0-pthread libblas3 liblapack3" >&2
    sudo_ apt-get update -qq
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy libopenblas0-pthread libblas3 liblapack3 >&2
  fi
  # @jax-js/jax into a scratch npm project; the peer script must sit beside its node_modules.
  if [ ! -f "$work/jaxjs/node_modules/@jax-js/jax/package.json" ]; then
    echo "== npm install @jax-js/jax@$jaxjs_version" >&2
    mkdir -p "$work/jaxjs"
    (cd "$work/jaxjs" && { [ -f package.json ] || echo '{"name":"laxscan-peers-jaxjs","private":true,"type":"module"}' > package.json; } \
      && npm install --no-audit --no-fund --loglevel=error "@jax-js/jax@$jaxjs_version" >&2)
  fi
fi
cp "$repo/bench/LaxScan.Peers/peers/jaxjs_peer.mjs" "$work/jaxjs/" 2>/dev/null || true

# Which libblas.so.3 (and liblapack.so.3) each numpy run gets is chosen by LD_LIBRARY_PATH: numpy links them by
# soname, and the loader searches LD_LIBRARY_PATH before the update-alternatives symlinks in the default path, so
# nothing system-wide is switched. The driver prints the libraries actually mapped in each run.
openblas_dir="$(dirname "$(dpkg -L libopenblas0-pthread 2>/dev/null | grep '/libblas\.so\.3$' | head -1)")"
refblas_dir="$(dirname "$(dpkg -L libblas3 2>/dev/null | grep '/libblas\.so\.3$' | head -1)")"
reflapack_dir="$(dirname "$(dpkg -L liblapack3 2>/dev/null | grep '/liblapack\.so\.3$' | head -1)")"

echo "== dotnet build (Release)" >&2
dotnet build "$repo/bench/LaxScan.Peers/LaxScan.Peers.csproj" -c Release -nologo -v q >&2
dotnet build "$repo/src/LaxScan.Cli/LaxScan.Cli.csproj" -c Release -nologo -v q >&2
cli="$repo/src/LaxScan.Cli/bin/Release/net10.0/LaxScan.Cli.dll"

args=(--work "$work")
[ -x /usr/bin/python3 ] && args+=(--python /usr/bin/python3 --openblas-dir "$openblas_dir" --refblas-dir "$refblas_dir:$reflapack_dir")
[ -f "$work/jaxjs/node_modules/@jax-js/jax/package.json" ] && command -v node >/dev/null && args+=(--jaxjs-dir "$work/jaxjs")
[ -f "$cli" ] && args+=(--cli "$cli")
echo "== uptime: $(uptime)" >&2
dotnet "$repo/bench/LaxScan.Peers/bin/Release/net10.0/LaxScan.Peers.dll" "${args[@]}" "$@"
echo "(report also written to $work/report.md)" >&2
