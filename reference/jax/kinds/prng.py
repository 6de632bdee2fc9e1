"""jax.random calls in both threefry modes (kind 'random').

Case fields: fn ('split' n | 'fold_in' data | 'bits' width shape | 'uniform' shape [minval maxval] | 'normal' shape |
'truncated_normal' shape lower upper), mode, seed or key.
Result fields: u32 (keys flattened, or the random words) or f32 [bits, shape].
"""
from common import key_args

KINDS = ('random',)


def make_cases(variant, full=False):
    salt = 7919 * variant
    keys = [0, 1, 42, -1, 1701, 2 ** 31 + 5, (123, 456)] if variant == 0 else (
        [salt + k for k in (3, 5, 8, 13, 21, 34)] + [(salt, 77)])
    if not full:
        keys = keys[:3] + keys[-1:]
    n = 1000 if full else 200
    tn_n = 500 if full else 100
    bounds = ((-2.0, 2.0), (-3.0, 3.0), (-1.5, 0.5), (-6.0, 6.0), (0.0, 10.0), (-5.2, 5.4))
    cases = []
    r = 0
    for mode in ('partitionable', 'original'):
        for s in keys:
            r += 1
            ka = key_args(s)
            cases.append(dict(id='r%03d_split' % r, kind='random', fn='split', n=5, mode=mode, **ka))
            cases.append(dict(id='r%03d_fold' % r, kind='random', fn='fold_in', data=[0, 1, 3213575472][r % 3], mode=mode, **ka))
            for w in (8, 16, 32):
                cases.append(dict(id='r%03d_bits%d' % (r, w), kind='random', fn='bits', width=w, shape=[3, 7], mode=mode, **ka))
            cases.append(dict(id='r%03d_uniform' % r, kind='random', fn='uniform', shape=[n], mode=mode, **ka))
            cases.append(dict(id='r%03d_uniform_ab' % r, kind='random', fn='uniform', shape=[33], minval=-3.0,
                              maxval=0.5, mode=mode, **ka))
            cases.append(dict(id='r%03d_normal' % r, kind='random', fn='normal', shape=[n], mode=mode, **ka))
            # +-6 and (-5.2, 5.4) put erf's argument past 3.7439, where JAX releases differ (docs/parity.md).
            for lo, hi in bounds:
                cases.append(dict(id='r%03d_tn_%g_%g' % (r, lo, hi), kind='random', fn='truncated_normal',
                                  shape=[tn_n], lower=lo, upper=hi, mode=mode, **ka))
    return cases


def run(case):
    from common import jax_modules, f32_bits, set_threefry_mode, key_of
    jax, jnp, np = jax_modules()
    set_threefry_mode(case['mode'])
    k = key_of(case)
    fn = case['fn']
    shape = tuple(case.get('shape', ()))
    if fn == 'split':
        return {'u32': np.asarray(jax.random.split(k, case['n'])).reshape(-1).tolist()}
    if fn == 'fold_in':
        return {'u32': np.asarray(jax.random.fold_in(k, case['data'])).reshape(-1).tolist()}
    if fn == 'bits':
        dtype = {8: jnp.uint8, 16: jnp.uint16, 32: jnp.uint32, 64: jnp.uint64}[case['width']]
        return {'u32': np.asarray(jax.random.bits(k, shape, dtype)).astype(np.uint64).reshape(-1).tolist()}
    if fn == 'uniform':
        v = jax.random.uniform(k, shape, jnp.float32, case.get('minval', 0.0), case.get('maxval', 1.0))
    elif fn == 'normal':
        v = jax.random.normal(k, shape, jnp.float32)
    elif fn == 'truncated_normal':
        v = jax.random.truncated_normal(k, case['lower'], case['upper'], shape, jnp.float32)
    else:
        raise ValueError('unknown random fn %r' % fn)
    return {'f32': f32_bits(v)}
