"""x @ W alone, eagerly and inside a lax.scan body like the seed's (kind 'dot'): the sharpest probe of XLA's GEMV.

W is jax.random.normal(PRNGKey(w_seed), (H, H)) in partitionable mode (the 'random' cases check that draw), so the
case stays small. The open question it settles: for H = 1 (mod 8), H >= 9, does XLA's scalar epilogue contract the
last output's first 7 terms into FMAs (docs/parity.md)?

Case fields: hidden, w_seed, x (bits), where ('eager' | 'scan').
Result fields: out [bits, shape] (x @ W, no tanh), W_sha256 (of W's float32 little-endian bytes).
"""
from common import uniform_bits

KINDS = ('dot',)


def make_cases(variant, full=False):
    salt = 7919 * variant
    cases = []
    plan = [(9, 8), (17, 8), (33, 8), (65, 4), (1, 2), (3, 2), (8, 2), (12, 2), (16, 2), (24, 2)]
    if full:
        plan = [(h, 4 * n) for h, n in plan] + [(129, 8), (257, 8)]
    for H, trials in plan:
        for s in range(trials):
            x = uniform_bits(H, -2, 2, 6000 + 100 * H + s + salt)
            for where in ('eager', 'scan'):
                cases.append(dict(id='v%03d_%02d_%s' % (H, s, where), kind='dot', hidden=H, w_seed=s + salt, x=x,
                                  where=where))
    return cases


def run(case):
    from common import jax_modules, f32_bits, from_bits, set_threefry_mode, sha256_f32
    jax, jnp, _ = jax_modules()
    set_threefry_mode('partitionable')
    H = case['hidden']
    W = jax.random.normal(jax.random.PRNGKey(case['w_seed']), (H, H), jnp.float32)
    x = jnp.asarray(from_bits(case['x'], [H]))
    if case['where'] == 'eager':
        y = x @ W
    else:
        def body(carry, _):
            return carry, carry @ W

        _, ys = jax.lax.scan(body, x, jnp.arange(1))
        y = ys[0]
    return {'out': f32_bits(y), 'W_sha256': sha256_f32(W)}
