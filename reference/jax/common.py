"""Helpers every kind shares. The first half (bit patterns, deterministic inputs) is plain Python and runs without
JAX, so case lists can be made and tested anywhere; the second half imports jax when first called."""
import struct

# ---- plain Python: bit patterns and deterministic inputs -------------------------------------------------------


def f2b(x):
    """The float32 bit pattern (uint32) of a Python float, rounded to float32 once."""
    return struct.unpack('<I', struct.pack('<f', x))[0]


def b2f(b):
    """The float32 that a uint32 bit pattern names, as a Python float."""
    return struct.unpack('<f', struct.pack('<I', b & 0xFFFFFFFF))[0]


def splitmix(seed):
    """SplitMix64: a tiny, exactly specified generator, so every case list is the same on every machine."""
    s = seed & 0xFFFFFFFFFFFFFFFF
    while True:
        s = (s + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        yield z ^ (z >> 31)


def uniform_bits(n, lo, hi, seed):
    """n float32 bit patterns spread over [lo, hi)."""
    g = splitmix(seed)
    return [f2b(lo + (hi - lo) * next(g) / 2.0 ** 64) for _ in range(n)]


def finite_bits(n, seed):
    """n random finite float32 bit patterns: every sign, exponent and mantissa, subnormals included."""
    g = splitmix(seed)
    out = []
    while len(out) < n:
        b = next(g) & 0xFFFFFFFF
        if (b & 0x7F800000) != 0x7F800000:
            out.append(b)
    return out


def key_args(seed_or_key):
    """A case's key fields: {'seed': s} for jax.random.PRNGKey(s), or {'key': [k0, k1]} for a raw key."""
    return {'key': list(seed_or_key)} if isinstance(seed_or_key, (tuple, list)) else {'seed': seed_or_key}


# ---- with JAX: imported on first use, so the plain half works where JAX is missing --------------------------------


def jax_modules():
    """(jax, jax.numpy, numpy), imported now."""
    import numpy as np
    import jax
    import jax.numpy as jnp
    return jax, jnp, np


def f32_bits(a):
    """[bits, shape] of a float32 array: the bit patterns in C order and the shape, as truth.json stores them."""
    _, _, np = jax_modules()
    a = np.asarray(a, dtype=np.float32)
    return [a.reshape(-1).view(np.uint32).tolist(), list(a.shape)]


def from_bits(bits, shape):
    """A numpy float32 array from bit patterns."""
    _, _, np = jax_modules()
    return np.array(bits, dtype=np.uint32).view(np.float32).reshape(shape)


def sha256_f32(a):
    """sha256 of a float32 array's little-endian bytes in C order (for results too large to store whole)."""
    import hashlib
    _, _, np = jax_modules()
    return hashlib.sha256(np.ascontiguousarray(np.asarray(a, dtype='<f4')).tobytes()).hexdigest()


def set_threefry_mode(mode):
    """jax_threefry_partitionable for a case: 'partitionable' (JAX's default since 0.5.0) or 'original'."""
    jax, _, _ = jax_modules()
    jax.config.update('jax_threefry_partitionable', mode == 'partitionable')


def key_of(case):
    """The case's key: a raw [k0, k1] uint32 key, or jax.random.PRNGKey(seed)."""
    jax, jnp, _ = jax_modules()
    if 'key' in case:
        return jnp.array(case['key'], dtype=jnp.uint32)
    return jax.random.PRNGKey(case['seed'])
