"""Reference cases for LaxScan's recurrent family, to run where JAX and Flax are installed (JAX_PLATFORMS=cpu).

A harness kind: `make_cases(variant)` returns the case list (plain JSON: ids, model descriptions, inputs as float32
bit patterns); `run(case)` computes one case with JAX + Flax and returns its results as float32 bit patterns, so the
LaxScan side (the `rnn` verify handler) can compare bits. Python standard library only in make_cases.

What the cases check (docs/parity.md, "Recurrent family"; all of it read in the sources, none of it run yet):
  * every cell (simple, simple with residual, GRU, MGU with and without the reset gate, LSTM, OptimizedLSTM) inside
    nn.RNN, for H around the GEMV's tiles of 8 and the vector widths: outputs and final carry;
  * init: params paths, order and bits with a bit-exact recurrent initializer (lecun_normal), and the
    flax.serialization.to_bytes bytes of those variables (LaxScan writes the same bytes);
  * apply of JAX's own params with Flax's default orthogonal() (shipped as to_bytes, so LaxScan applies JAX's values);
  * nn.RNN options: reverse, keep_order, return_carry, seq_lengths (flip and last-carry gather), time_major, unroll;
    nn.Bidirectional; nn.scan(nn.LSTMCell) with in_axes=1; the seed's module written with nn.scan;
  * a batch (B, T, F) run row by row (LaxScan's promise is each row's single-sequence bits, not XLA's batched dots);
  * exp and sigmoid elementwise on edge and random inputs, eager and inside a jitted scan.

Each case is computed as JAX runs it: init and apply eagerly (no outer jit), the RNN's scan compiled by lax.scan.
"""
import math
import struct

KIND = 'rnn'
CELLS = ['simple', 'simple-residual', 'gru', 'mgu', 'mgu-no-reset', 'lstm', 'optimized-lstm']
HIDDEN = [1, 3, 8, 9, 17, 64, 256]


def _f2b(x):
    return struct.unpack('<I', struct.pack('<f', x))[0]


def _b2f(b):
    return struct.unpack('<f', struct.pack('<I', b & 0xFFFFFFFF))[0]


def _splitmix(seed):
    s = seed & 0xFFFFFFFFFFFFFFFF
    while True:
        s = (s + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        yield z ^ (z >> 31)


def _uniform_bits(n, lo, hi, seed):
    g = _splitmix(seed)
    return [_f2b(lo + (hi - lo) * next(g) / 2.0 ** 64) for _ in range(n)]


def _seq(shape, seed, scale=2.0):
    n = 1
    for d in shape:
        n *= d
    return {'shape': list(shape), 'bits': _uniform_bits(n, -scale, scale, seed)}


def make_cases(variant=1):
    v = max(1, int(variant))
    salt = 7919 * v
    cases = []
    add = cases.append
    i = 0
    # 1. Every cell in nn.RNN, init with a bit-exact recurrent initializer and with Flax's default.
    for cell in CELLS:
        for h in HIDDEN:
            for init in ('lecun_normal', 'orthogonal'):
                i += 1
                f = 5 if h < 64 else 16
                t = 12 if h < 256 else 6
                add({'id': f'rnn/{cell}/h{h}/{init}/v{v}', 'kind': KIND, 'model': 'rnn', 'cell': cell, 'hidden': h,
                     'recurrent_init': init, 'seed': (i * 31 + salt) % 1000, 'x': _seq((t, f), salt + i),
                     'options': {'return_carry': True}})
    # 2. nn.RNN options, on the LSTM and the GRU.
    option_sets = [
        ('reverse', {'reverse': True, 'return_carry': True}),
        ('reverse-keep-order', {'reverse': True, 'keep_order': True, 'return_carry': True}),
        ('seq-lengths', {'seq_lengths': [9], 'return_carry': True}),
        ('seq-lengths-reverse', {'seq_lengths': [5], 'reverse': True, 'keep_order': True, 'return_carry': True}),
        ('seq-lengths-zero', {'seq_lengths': [0], 'return_carry': True}),
        ('time-major', {'time_major': True, 'return_carry': True}),
        ('unroll-3', {'unroll': 3, 'return_carry': True}),
    ]
    for cell in ('lstm', 'gru'):
        for name, opts in option_sets:
            i += 1
            add({'id': f'rnn-options/{cell}/{name}/v{v}', 'kind': KIND, 'model': 'rnn', 'cell': cell, 'hidden': 9,
                 'recurrent_init': 'lecun_normal', 'seed': (i * 31 + salt) % 1000, 'x': _seq((10, 4), salt + i),
                 'options': opts})
    # 3. A batch, row by row, with per-row lengths.
    for cell in ('lstm', 'mgu'):
        i += 1
        add({'id': f'rnn-batch/{cell}/v{v}', 'kind': KIND, 'model': 'rnn-rows', 'cell': cell, 'hidden': 17,
             'recurrent_init': 'lecun_normal', 'seed': (i * 31 + salt) % 1000, 'x': _seq((3, 8, 4), salt + i),
             'options': {'seq_lengths': [8, 3, 6], 'return_carry': True}})
    # 4. nn.Bidirectional.
    for cell in ('lstm', 'gru', 'optimized-lstm'):
        for h in (8, 9):
            i += 1
            add({'id': f'bidirectional/{cell}/h{h}/v{v}', 'kind': KIND, 'model': 'bidirectional', 'cell': cell,
                 'hidden': h, 'recurrent_init': 'orthogonal', 'seed': (i * 31 + salt) % 1000,
                 'x': _seq((7, 3), salt + i), 'options': {'return_carry': True, 'seq_lengths': [5]}})
    # 5. nn.scan(nn.LSTMCell, in_axes=1, out_axes=1) as a root module, and the seed's module written with nn.scan.
    i += 1
    add({'id': f'nn-scan/lstm-cell/v{v}', 'kind': KIND, 'model': 'nn-scan-cell', 'cell': 'lstm', 'hidden': 6,
         'recurrent_init': 'orthogonal', 'seed': (i * 31 + salt) % 1000, 'x': _seq((1, 9, 3), salt + i), 'options': {}})
    for h, steps in ((4, 10), (9, 3), (64, 50)):
        i += 1
        add({'id': f'nn-scan/seed/h{h}/t{steps}/v{v}', 'kind': KIND, 'model': 'seed-nn-scan', 'hidden': h,
             'steps': steps, 'seed': (i * 31 + salt) % 1000, 'x': _seq((h,), salt + i, 1.0), 'options': {}})
    # 6. exp and sigmoid elementwise: edges, the flush boundary, random values.
    edges = [0.0, -0.0, 1.0, -1.0, 88.7228394, 88.8, -87.8, -87.5, 87.0, -88.0, 20.0, -20.0, 1e-30, -1e-30,
             float('inf'), float('-inf')]
    edge_bits = [_f2b(x) for x in edges] + [0x00000001, 0x807FFFFF, 0x00800000, 0x42B17218, 0x42B17217]
    for name, bits in (('edges', edge_bits), ('random', _uniform_bits(4096, -100.0, 100.0, salt + 99)),
                       ('near', _uniform_bits(4096, -5.0, 5.0, salt + 98))):
        add({'id': f'elementwise/{name}/v{v}', 'kind': KIND, 'model': 'elementwise', 'x_bits': bits, 'options': {}})
    return cases


def _f32_bits(a):
    import numpy as np
    a = np.asarray(a, dtype=np.float32)
    return {'shape': list(a.shape), 'bits': a.reshape(-1).view(np.uint32).tolist()}


def _from_bits(d):
    import numpy as np
    return np.array(d['bits'], dtype=np.uint32).view(np.float32).reshape(d['shape'])


def _cell(nn, kind, hidden, recurrent_init):
    init = nn.initializers.lecun_normal() if recurrent_init == 'lecun_normal' else nn.initializers.orthogonal()
    return {
        'simple': lambda: nn.SimpleCell(hidden, recurrent_kernel_init=init),
        'simple-residual': lambda: nn.SimpleCell(hidden, recurrent_kernel_init=init, residual=True),
        'gru': lambda: nn.GRUCell(hidden, recurrent_kernel_init=init),
        'mgu': lambda: nn.MGUCell(hidden, recurrent_kernel_init=init),
        'mgu-no-reset': lambda: nn.MGUCell(hidden, recurrent_kernel_init=init, reset_gate=False),
        'lstm': lambda: nn.LSTMCell(hidden, recurrent_kernel_init=init),
        'optimized-lstm': lambda: nn.OptimizedLSTMCell(hidden, recurrent_kernel_init=init),
    }[kind]()


def _carry_bits(carry):
    import jax
    return [_f32_bits(leaf) for leaf in jax.tree_util.tree_leaves(carry)]


def _leaves(variables):
    from flax import traverse_util
    flat = traverse_util.flatten_dict(variables, sep='/')
    return {k: _f32_bits(v) for k, v in flat.items()}


def run(case):
    import jax
    import jax.numpy as jnp
    import numpy as np
    import flax.linen as nn
    from flax import serialization

    model = case['model']
    opts = dict(case.get('options', {}))
    result = {'id': case['id']}
    if model == 'elementwise':
        x = jnp.asarray(np.array(case['x_bits'], dtype=np.uint32).view(np.float32))
        result['exp_eager'] = _f32_bits(jnp.exp(x))
        result['sigmoid_eager'] = _f32_bits(jax.nn.sigmoid(x))

        @jax.jit
        def in_scan(v):
            def body(c, xi):
                return c, (jnp.exp(xi), jax.nn.sigmoid(xi))
            return jax.lax.scan(body, jnp.float32(0), v)[1]
        e, s = in_scan(x)
        result['exp_scan'] = _f32_bits(e)
        result['sigmoid_scan'] = _f32_bits(s)
        return result

    key = jax.random.PRNGKey(case['seed'])
    if model == 'seed-nn-scan':
        h, steps = case['hidden'], case['steps']

        class Step(nn.Module):
            hidden: int

            @nn.compact
            def __call__(self, carry, _):
                w = self.param('W', nn.initializers.lecun_normal(), (self.hidden, self.hidden))
                return jnp.tanh(carry @ w), None

        class LaxScanNnScan(nn.Module):
            hidden: int
            T: int

            @nn.compact
            def __call__(self, x):
                scan_step = nn.scan(Step, variable_broadcast='params', split_rngs={'params': False}, length=self.T + 1)
                carry, _ = scan_step(self.hidden)(x, None)
                return carry

        x = jnp.asarray(_from_bits(case['x']))
        m = LaxScanNnScan(h, steps)
        variables = m.init(key, x)
        result['params'] = _leaves(variables)
        result['outputs'] = _f32_bits(m.apply(variables, x))
        return result

    x = jnp.asarray(_from_bits(case['x']))
    if 'seq_lengths' in opts:
        opts['seq_lengths'] = jnp.asarray(opts['seq_lengths'][0] if x.ndim == 2 else opts['seq_lengths'], dtype=jnp.int32)
    unroll = opts.pop('unroll', 1)

    if model == 'nn-scan-cell':
        scan_cell = nn.scan(type(_cell(nn, case['cell'], case['hidden'], case['recurrent_init'])),
                            variable_broadcast='params', split_rngs={'params': False}, in_axes=1, out_axes=1)
        m = scan_cell(case['hidden'], recurrent_kernel_init=nn.initializers.orthogonal())
        carry = m.initialize_carry(jax.random.PRNGKey(0), x[:, 0].shape)
        variables = m.init(key, carry, x)
        (carry, ys) = m.apply(variables, carry, x)
        result['variables_msgpack'] = serialization.to_bytes(variables).hex()
        result['outputs'] = _f32_bits(ys)
        result['carry'] = _carry_bits(carry)
        return result

    def build():
        if model == 'bidirectional':
            return nn.Bidirectional(nn.RNN(_cell(nn, case['cell'], case['hidden'], case['recurrent_init'])),
                                    nn.RNN(_cell(nn, case['cell'], case['hidden'], case['recurrent_init'])))
        return nn.RNN(_cell(nn, case['cell'], case['hidden'], case['recurrent_init']), unroll=unroll)

    if opts.get('time_major'):
        x = jnp.swapaxes(x, 0, 1) if x.ndim == 3 else x
    m = build()
    if model == 'rnn-rows':
        # LaxScan's promise for a batch: each row with its own single-sequence bits.
        variables = m.init(key, x[0])
        outs, carries = [], []
        lengths = opts.pop('seq_lengths')
        for r in range(x.shape[0]):
            carry, y = m.apply(variables, x[r], seq_lengths=lengths[r], **opts)
            outs.append(np.asarray(y))
            carries.append([np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(carry)])
        result['outputs'] = _f32_bits(np.stack(outs))
        result['carry'] = [_f32_bits(np.stack([c[p] for c in carries])) for p in range(len(carries[0]))]
    else:
        variables = m.init(key, x)
        out = m.apply(variables, x, **opts)
        if opts.get('return_carry'):
            carry, y = out
            result['carry'] = _carry_bits(carry)
        else:
            y = out
        result['outputs'] = _f32_bits(y)
    result['params'] = _leaves(variables)
    result['variables_msgpack'] = serialization.to_bytes(variables).hex()
    return result
