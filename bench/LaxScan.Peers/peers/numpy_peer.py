"""numpy peer: h = np.tanh(h @ W), float32, as a numpy user writes it.

usage: numpy_peer.py H DIR SECONDS LABEL
Reads DIR/W{H}.bin and DIR/x{H}.bin (raw float32 little-endian), picks T so the timed run takes about
SECONDS, runs T steps from x, writes DIR/out_{LABEL}_{H}_T.bin (state after T steps) and _1.bin (after
one step), and prints one JSON line: per-step microseconds, T, and which BLAS library is mapped.
"""
import json
import sys
import time

import numpy as np

H, d, seconds, label = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
W = np.fromfile(f"{d}/W{H}.bin", dtype="<f4").reshape(H, H)
x = np.fromfile(f"{d}/x{H}.bin", dtype="<f4")


def run(T):
    h = x.copy()
    for _ in range(T):
        h = np.tanh(h @ W)
    return h


run(2)  # warm up (thread pool, page faults)
T = 1
while True:
    t0 = time.perf_counter()
    run(T)
    dt = time.perf_counter() - t0
    if dt >= 0.1 * seconds:
        break
    T *= 4
T = max(1, int(round(seconds * T / dt)))
t0 = time.perf_counter()
h = run(T)
dt = time.perf_counter() - t0
h.astype("<f4").tofile(f"{d}/out_{label}_{H}_T.bin")
run(1).astype("<f4").tofile(f"{d}/out_{label}_{H}_1.bin")
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libblas" in line or "openblas" in line})
print(json.dumps({"us": dt / T * 1e6, "steps": T, "blas": blas, "numpy": np.__version__}))
