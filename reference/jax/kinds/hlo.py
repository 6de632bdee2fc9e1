"""XLA's optimised HLO of the seed's scan and of x @ W alone, for a reader (kind 'hlo'; verify skips it).

Case fields: hidden. Result fields: hlo_scan, hlo_dot (text, truncated).
"""
KINDS = ('hlo',)


def make_cases(variant, full=False):
    return [dict(id='h%04d' % H, kind='hlo', hidden=H) for H in ((1, 8, 9, 64, 256, 1024) if full else (1, 9, 64))]


def run(case):
    from common import jax_modules, set_threefry_mode
    jax, jnp, np = jax_modules()
    set_threefry_mode('partitionable')
    H = case['hidden']
    W = jnp.asarray(np.random.default_rng(0).standard_normal((H, H)).astype(np.float32) / np.sqrt(H))
    x = jnp.ones((H,), jnp.float32)

    def seed_scan(x, W):
        def body(carry, _):
            return jnp.tanh(carry @ W), None
        return jax.lax.scan(body, jnp.tanh(x @ W), jnp.arange(3))[0]

    scan_text = jax.jit(seed_scan).lower(x, W).compile().as_text()
    dot_text = jax.jit(lambda x, W: x @ W).lower(x, W).compile().as_text()
    return {'hlo_scan': scan_text[:20000], 'hlo_dot': dot_text[:10000]}
