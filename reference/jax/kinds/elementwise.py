"""XLA's float32 elementwise functions over edge and random inputs, eager and inside a scan body (kind 'math').

Case fields: fn ('tanh' | 'erf' | 'erf_inv' | 'log' | 'log1p' | 'mul1' | 'add0'), x (bits).
Result fields: eager and in_scan, flat lists of bits (one element per scan step in the second).
"""
from common import f2b, finite_bits, uniform_bits

KINDS = ('math',)

# Thresholds of docs/parity.md (tanh's small-x and clamp, erf's saturation points before and after JAX 0.10.1,
# log1p's branch, log's sqrt(1/2) test), the FTZ boundaries, +-1, +-inf, NaN.
EDGES = [0, 0x80000000, 1, 0x80000001, 0x007FFFFF, 0x00800000, 0x80800000, 0x3F800000, 0xBF800000, 0x7F7FFFFF,
         0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0x39D1B717, 0x39D1B716, 0x40FFF644, 0x40FFF645, 0x41A00000,
         0x41A00001, 0xC1A00000, 0x406F9C68, 0x406F9C67, 0x407547CB, 0x407547CA, 0xC06F9C68, 0xC07547CB, 0x40800000,
         0x3ED413CD, 0x3ED413CC, 0xBED413CD, 0x3F3504F3, 0x3F3504F2, 0x3F7FFFFF, 0xBF7FFFFF, 0x3F000000, 0x40000000]


def make_cases(variant, full=False):
    salt = 7919 * variant
    n_random, n_mid, n_unit = (3000, 2000, 2000) if full else (600, 300, 300)
    rnd = finite_bits(n_random, 31337 + salt)
    mid = uniform_bits(n_mid, -8, 8, 31338 + salt)
    unit = uniform_bits(n_unit, -1, 1, 31339 + salt)
    sets = (('tanh', EDGES + rnd + mid), ('erf', EDGES + rnd + mid), ('erf_inv', EDGES + unit), ('log', EDGES + rnd),
            ('log1p', EDGES + rnd + unit), ('mul1', EDGES + rnd[:200]), ('add0', EDGES + rnd[:200]))
    return [dict(id='x_%s' % fn, kind='math', fn=fn, x=xs) for fn, xs in sets]


def run(case):
    from common import jax_modules, from_bits
    jax, jnp, np = jax_modules()
    fn = {'tanh': jnp.tanh, 'erf': jax.lax.erf, 'erf_inv': jax.lax.erf_inv, 'log': jnp.log, 'log1p': jnp.log1p,
          'mul1': lambda v: v * jnp.float32(1.0), 'add0': lambda v: v + jnp.float32(0.0)}[case['fn']]
    x = jnp.asarray(from_bits(case['x'], [len(case['x'])]))
    eager = fn(x)
    _, ys = jax.lax.scan(lambda carry, v: (carry, fn(v)), jnp.float32(0), x)
    bits = lambda a: np.asarray(a, dtype=np.float32).view(np.uint32).reshape(-1).tolist()
    return {'eager': bits(eager), 'in_scan': bits(ys)}
