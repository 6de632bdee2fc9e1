"""The seed's program: LaxScanModule(hidden, T) with eager init then apply, as the exercise writes it.

Case fields: mode ('partitionable' | 'original'), hidden, T, xshape, x (float32 bits), seed or key, and optionally
W (bits: apply these variables instead of init, a probe of the dot), msgpack (also store to_bytes of the variables),
trace (also store every state, step 0 = tanh(x @ W) through T), w_sha256_only (store W's hash, not W).
Result fields: out [bits, shape]; from init, W [bits, shape] (or W_sha256, the sha256 of W's float32 little-endian
bytes, for H > 65 or w_sha256_only), msgpack_hex; states [bits, shape] of shape (T + 1, ...).
"""
from common import f2b, b2f, uniform_bits, key_args

KINDS = ('mission',)

_module_class = None


def _laxscan_module():
    """The seed's module, defined on first use (flax is imported only where the case runs)."""
    global _module_class
    if _module_class is None:
        import jax
        import jax.numpy as jnp
        import flax.linen as nn

        class LaxScanModule(nn.Module):
            hidden: int
            T: int

            @nn.compact
            def __call__(self, x):
                W = self.param("W", nn.initializers.lecun_normal(), (self.hidden, self.hidden))
                init_carry = jnp.tanh(x @ W)

                def body(carry, _):
                    new_carry = jnp.tanh(carry @ W)
                    return new_carry, None

                final, _ = jax.lax.scan(body, init_carry, jnp.arange(self.T))
                return final

        _module_class = LaxScanModule
    return _module_class


def _seed(i, salt):
    seeds = [0, 1, 42, -1, 2 ** 31 + 5, 123456789, (7, 99)]
    return seeds[i % len(seeds)] if i < len(seeds) else (i * 2654435761 + salt) % 2 ** 31


def make_cases(variant, full=False):
    salt = 7919 * variant
    cases = []
    add = cases.append
    # 1. The seed's function over H, both threefry modes, several T and x ranges.
    if full:
        hs = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 100, 127, 128, 129, 200, 255, 256,
              257, 300, 511, 512, 513, 1000, 1024]
        shapes = ((0, -3, 3), (7, -1, 1), (1000, -2, 2))
    else:
        hs = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 64, 65, 128, 129, 256]
        shapes = ((0, -3, 3), (7, -1, 1), (100, -2, 2))
    i = 0
    for H in hs:
        for mode in ('partitionable', 'original'):
            for k, (T, lo, hi) in enumerate(shapes):
                if not full and (k + i) % 3 and H > 2:
                    continue          # the default bundle keeps one (T, range) per H and mode, rotating
                if H >= 512 and T > 50:
                    T = 50
                i += 1
                add(dict(id='m%04d' % i, kind='mission', mode=mode, hidden=H, T=T, xshape=[H],
                         x=uniform_bits(H, lo, hi, 1000 + i + salt), msgpack=(H <= 8), **key_args(_seed(i, salt))))
    # 2. Every state of a few runs; the first is the README's example.
    add(dict(id='t_readme', kind='mission', mode='partitionable', hidden=4, T=10, xshape=[4],
             x=[f2b(0.5), f2b(-1.0), f2b(0.25), f2b(2.0)], seed=0, trace=True, msgpack=True))
    for H, T, mode in ((9, 40, 'partitionable'), (17, 20, 'original'), (1, 300, 'partitionable')):
        add(dict(id='t%02d_%d' % (H, T), kind='mission', mode=mode, hidden=H, T=T, xshape=[H],
                 x=uniform_bits(H, -1, 1, 300 + H + salt), seed=H + salt, trace=True))
    # 3. Decays through the subnormal range (small H, long T): where flush-to-zero decides the bits.
    decays = [(1, 1, 'original'), (1, 3, 'partitionable'), (2, 5, 'original'), (3, 2 ** 31 + 5, 'original'),
              (4, 7, 'partitionable'), (1, 11, 'original'), (9, 13, 'partitionable'), (17, 19, 'original')]
    for j, (H, seed, mode) in enumerate(decays):
        for T in ((100, 200, 201, 1000, 1001) if full else (200, 1001)):
            add(dict(id='f%02d_%d' % (j, T), kind='mission', mode=mode, hidden=H, T=T, xshape=[H],
                     x=uniform_bits(H, -1, 1, 77 + j + salt), seed=seed + salt))
    # 4. The dot with chosen W (apply given variables): signed zeros, subnormal inputs and results, a decay.
    #    x = +0 with negative W decides where XLA's epilogue starts from a plain product (-0) instead of fma(.., +0).
    for H in ((1, 2, 3, 7, 8, 9, 12, 15, 16, 17, 24, 31, 33, 64, 65) if full else (1, 2, 3, 7, 8, 9, 12, 16, 17, 24, 33)):
        neg_w = [f2b(-0.5)] * (H * H)
        mix_w = [f2b(((k * 7) % 5 - 2) * 0.25) for k in range(H * H)]   # exact zeros and negatives
        add(dict(id='z%02d_zero_x_negW' % H, kind='mission', mode='partitionable', hidden=H, T=0, xshape=[H],
                 x=[0] * H, W=neg_w))
        add(dict(id='z%02d_negzero_x' % H, kind='mission', mode='partitionable', hidden=H, T=0, xshape=[H],
                 x=[0x80000000] * H, W=mix_w))
        add(dict(id='z%02d_sub_x' % H, kind='mission', mode='partitionable', hidden=H, T=0, xshape=[H],
                 x=[0x00000001 + 977 * k for k in range(H)], W=mix_w))
        add(dict(id='z%02d_sub_result' % H, kind='mission', mode='partitionable', hidden=H, T=0, xshape=[H],
                 x=[f2b(1e-20)] * H, W=[f2b(3e-19 * (1 if k % 3 else -1)) for k in range(H * H)]))
        add(dict(id='z%02d_decay' % H, kind='mission', mode='partitionable', hidden=H, T=300, xshape=[H],
                 x=uniform_bits(H, -1, 1, 900 + H), W=[f2b(b2f(w) * 0.3) for w in uniform_bits(H * H, -1, 1, 950 + H)]))
    # 5. H = 1 (mod 8), H >= 9: does XLA's epilogue contract the last output's first 7 terms? (T = 0: one dot.)
    for H in (9, 17, 33):
        for s in range(16 if not full else 64):
            add(dict(id='e%02d_%02d' % (H, s), kind='mission', mode='partitionable', hidden=H, T=0, xshape=[H],
                     x=uniform_bits(H, -2, 2, 5000 + 100 * H + s + salt), seed=s + salt, w_sha256_only=True))
    # 6. A batch (B, H): JAX's batched dot is a matrix product; informational.
    for H, B in (((8, 3), (64, 4), (256, 2)) if full else ((8, 3), (64, 4))):
        add(dict(id='b%d_%d' % (H, B), kind='mission', mode='partitionable', hidden=H, T=20, xshape=[B, H],
                 x=uniform_bits(B * H, -1, 1, 500 + H + salt), seed=salt))
    return cases


def run(case):
    from common import jax_modules, f32_bits, from_bits, set_threefry_mode, key_of, sha256_f32
    from flax import serialization
    jax, jnp, np = jax_modules()
    set_threefry_mode(case['mode'])
    H, T = case['hidden'], case['T']
    x = jnp.asarray(from_bits(case['x'], case['xshape']))
    model = _laxscan_module()(H, T)
    if 'W' in case:
        variables = {'params': {'W': jnp.asarray(from_bits(case['W'], [H, H]))}}
    else:
        variables = model.init(key_of(case), x)
    out = model.apply(variables, x)
    result = {'out': f32_bits(out)}
    if 'W' not in case:
        W = variables['params']['W']
        if H <= 65 and not case.get('w_sha256_only'):
            result['W'] = f32_bits(W)
        else:
            result['W_sha256'] = sha256_f32(W)
        if case.get('msgpack'):
            result['msgpack_hex'] = serialization.to_bytes(variables).hex()
    if case.get('trace'):
        # The states the seed's scan goes through: the same program, with the scan returning each carry as y.
        W = variables['params']['W']

        def body(carry, _):
            new_carry = jnp.tanh(carry @ W)
            return new_carry, new_carry

        first = jnp.tanh(x @ W)
        _, ys = jax.lax.scan(body, first, jnp.arange(T))
        states = jnp.concatenate([first[None], ys], axis=0)
        result['states'] = f32_bits(states)
        if not np.array_equal(np.asarray(states[-1]).view(np.uint32), np.asarray(out).view(np.uint32)):
            result['states_note'] = 'the traced scan ended on other bits than apply: XLA compiled the two scans differently'
    return result
