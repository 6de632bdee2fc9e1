#!/usr/bin/env python3
"""Makes the .npy fixtures in this folder with NumPy itself, so the tests compare LaxScan against real np.save output.

Run from this folder with a Python that has NumPy (made with Debian's python3-numpy 1.24.2):
    /usr/bin/python3 make_fixtures.py
The tests do not need NumPy; they only read the committed files.
"""
import io
import numpy as np
from numpy.lib import format as npf

def save(name, a):
    np.save(name, a, allow_pickle=False)

def save_version(name, a, version):
    with open(name, "wb") as f:
        npf.write_array(f, a, version=version, allow_pickle=False)

# float32 values that catch byte-order and rounding slips: -0, subnormals, NaN payload, infinities, extremes.
special = np.array([0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x7FC00000, 0x7FA00001, 0x7F800000,
                    0xFF800000, 0x7F7FFFFF, 0x3F800000, 0xBCE7DF15, 0x3FCFB2BD], dtype="<u4").view("<f4")
arange = lambda n: (np.arange(n, dtype=np.float32) * np.float32(0.25) - np.float32(1.5))

# Written by np.save (version 1.0, data aligned to 64): each must read back and be re-written byte for byte.
save("f4_scalar.npy", np.float32(-2.5).reshape(()))
save("f4_0.npy", np.zeros((0,), np.float32))
save("f4_3.npy", arange(3))
save("f4_2x3.npy", arange(6).reshape(2, 3))
save("f4_1x0x5.npy", np.zeros((1, 0, 5), np.float32))
save("f4_special.npy", special)
save("f4_2x3x4.npy", arange(24).reshape(2, 3, 4))
save("f4_1000x3.npy", arange(3000).reshape(1000, 3))      # a 4-digit leading dimension changes the header padding
save("f4_12345678901x0.npy", np.zeros((12345678901, 0), np.float32))  # a dimension beyond int32: LaxScan rejects it
save("u4_2x2.npy", np.array([[0, 1], [0xDEADBEEF, 0xFFFFFFFF]], dtype=np.uint32))
save("u1_5.npy", np.array([0, 1, 127, 128, 255], dtype=np.uint8))   # numpy writes '|u1'
save("u2_3.npy", np.array([0, 0x1234, 0xFFFF], dtype=np.uint16))
save("u8_2.npy", np.array([0x0123456789ABCDEF, 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))

# Other format versions numpy writes when asked.
save_version("f4_2x3_v2.npy", arange(6).reshape(2, 3), (2, 0))
save_version("f4_2x3_v3.npy", arange(6).reshape(2, 3), (3, 0))

# Valid .npy files LaxScan must reject, each for one reason.
save("f4_big_endian.npy", arange(3).astype(">f4"))
save("f8_3.npy", arange(3).astype("<f8"))
save("i4_3.npy", np.arange(3, dtype="<i4"))
save("f4_fortran_2x3.npy", np.asfortranarray(arange(6).reshape(2, 3)))

# The header older numpy wrote: no growth padding, data aligned to 16 rather than 64. Hand-made, then checked with np.load.
def legacy(name, a):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (a.dtype.str, a.shape)
    hlen = len(header) + 1
    pad = 16 - (10 + hlen) % 16
    data = b"\x93NUMPY\x01\x00" + (hlen + pad).to_bytes(2, "little") + header.encode("latin1") + b" " * pad + b"\n" + a.tobytes()
    with open(name, "wb") as f:
        f.write(data)
    back = np.load(name)
    assert back.dtype == a.dtype and back.shape == a.shape and back.tobytes() == a.tobytes()

legacy("f4_2x3_align16.npy", arange(6).reshape(2, 3))

for name, a in [("f4_2x3.npy", arange(6).reshape(2, 3)), ("f4_special.npy", special)]:
    assert np.load(name).tobytes() == a.tobytes()
print("ok")
