"""jax.nn.initializers calls in both threefry modes (kind 'init').

Case fields: name, kwargs (JAX's keyword arguments), shape, mode, seed or key.
Result fields: f32 [bits, shape].
"""
KINDS = ('init',)

INITIALIZERS = [
    ('lecun_normal', {}), ('lecun_uniform', {}), ('glorot_normal', {}), ('glorot_uniform', {}),
    ('he_normal', {}), ('he_uniform', {}), ('normal', {'stddev': 0.5}), ('uniform', {'scale': 3.0}),
    ('truncated_normal', {'stddev': 2.0, 'lower': -3.0, 'upper': 1.0}),
    ('truncated_normal', {'stddev': 1.0, 'lower': -6.0, 'upper': 6.0}),
    ('variance_scaling', {'scale': 2.0, 'mode': 'fan_avg', 'distribution': 'uniform'}),
    ('variance_scaling', {'scale': 0.3, 'mode': 'fan_geo_avg', 'distribution': 'normal'}),
    ('variance_scaling', {'scale': 1.0, 'mode': 'fan_out', 'distribution': 'truncated_normal',
                          'in_axis': 0, 'out_axis': 2}),
]


def make_cases(variant, full=False):
    salt = 7919 * variant
    shapes = ([5, 7], [3, 4, 6], [64, 64], [256, 256]) if full else ([5, 7], [3, 4, 6], [16, 16])
    cases = []
    n = 0
    for mode in ('partitionable', 'original'):
        for name, kwargs in INITIALIZERS:
            for shape in shapes:
                if kwargs.get('out_axis', -1) >= len(shape) or kwargs.get('in_axis', -2) >= len(shape):
                    continue          # an axis past the rank: JAX refuses it too
                n += 1
                cases.append(dict(id='i%03d_%s' % (n, name), kind='init', name=name, kwargs=kwargs, shape=list(shape),
                                  mode=mode, seed=[0, 42, 7][n % 3] + salt))
    return cases


def run(case):
    from common import jax_modules, f32_bits, set_threefry_mode, key_of
    jax, jnp, _ = jax_modules()
    set_threefry_mode(case['mode'])
    init = getattr(jax.nn.initializers, case['name'])
    if case['name'] in ('zeros', 'ones'):
        v = init(key_of(case), tuple(case['shape']), jnp.float32)
    else:
        v = init(**case.get('kwargs', {}))(key_of(case), tuple(case['shape']), jnp.float32)
    return {'f32': f32_bits(v)}
