"""Flax's nn.Dense applied to given variables, eagerly and inside a lax.scan body (kind 'dense').

Before JAX 0.10.2, XLA fuses add(dot, bias) into the GEMV when both are in one compiled computation (a scan body);
eager apply dispatches the dot and the add separately. These cases show which one a release does.

Case fields: features, x (bits, shape (in,)), kernel (bits, (in, features)), bias (bits, (features,), optional),
where ('eager' | 'scan').
Result fields: out [bits, shape].
"""
from common import f2b, uniform_bits

KINDS = ('dense',)


def make_cases(variant, full=False):
    salt = 7919 * variant
    cases = []
    a = f2b(1.0 + 2.0 ** -12)
    # x = W = 1 + 2^-12, bias -1: a fused fma gives 2^-11 + 2^-24, a separate add 2^-11.
    probes = [('tie', 1, [a], [a], [f2b(-1.0)])]
    for n_in, features in ((5, 9), (9, 12), (17, 17)):
        probes.append(('r%d_%d' % (n_in, features), features, uniform_bits(n_in, -1, 1, 700 + n_in + salt),
                       uniform_bits(n_in * features, -1, 1, 800 + features + salt),
                       uniform_bits(features, -0.5, 0.5, 900 + features + salt)))
    probes.append(('nobias', 9, uniform_bits(5, -1, 1, 701 + salt), uniform_bits(45, -1, 1, 801 + salt), None))
    for name, features, x, kernel, bias in probes:
        for where in ('eager', 'scan'):
            case = dict(id='d_%s_%s' % (name, where), kind='dense', features=features, x=x, kernel=kernel, where=where)
            if bias is not None:
                case['bias'] = bias
            cases.append(case)
    return cases


def run(case):
    from common import jax_modules, f32_bits, from_bits
    import flax.linen as nn
    jax, jnp, _ = jax_modules()
    n_in = len(case['x'])
    features = case['features']
    params = {'kernel': jnp.asarray(from_bits(case['kernel'], [n_in, features]))}
    if 'bias' in case:
        params['bias'] = jnp.asarray(from_bits(case['bias'], [features]))
    model = nn.Dense(features, use_bias='bias' in case)
    variables = {'params': params}
    x = jnp.asarray(from_bits(case['x'], [n_in]))
    if case['where'] == 'eager':
        y = model.apply(variables, x)
    else:
        _, ys = jax.lax.scan(lambda c, _: (c, model.apply(variables, c)), x, jnp.arange(1))
        y = ys[0]
    return {'out': f32_bits(y)}
