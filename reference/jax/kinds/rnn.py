"""Flax's recurrent family (kinds 'rnn' and 'rnn_math'): every cell inside nn.RNN, nn.RNN's options, nn.Bidirectional,
nn.scan over a cell and the seed's module written with nn.scan; and XLA's exp and sigmoid over edge and random inputs.

What LaxScan derives from the sources for these (docs/parity.md, "Recurrent family") has not been checked against a
JAX run yet; the first bundle with these cases does it.

Kind 'rnn'. Case fields:
  model: 'rnn' | 'bidirectional' | 'scan_cell' (nn.scan(Cell, in_axes=1, out_axes=1) as the root) |
         'seed_scan' (the seed's module with nn.scan, W at params/ScanStep_0/W)
  cell: 'simple' | 'simple_residual' | 'gru' | 'mgu' | 'mgu_no_reset' | 'lstm' | 'optimized_lstm' (not for seed_scan)
  hidden, xshape, x (bits), seed (the init key, PRNGKey(seed)), steps (seed_scan only)
  recurrent_init: 'lecun_normal' (every param is JAX's bits: LaxScan's init is compared) or 'orthogonal' (Flax's
         default, a LAPACK QR: LaxScan applies JAX's params, read from msgpack_hex)
  rows: true for a batch x (B, T, F) that JAX runs one row at a time (LaxScan's promise for a batch)
  options: reverse, keep_order, return_carry, time_major (booleans), unroll (int), seq_lengths (one per row)
Result fields:
  out [bits, shape]                        the outputs (for scan_cell, the ys; for seed_scan, the final carry)
  carry_c, carry_h [bits, shape]           with return_carry (or scan_cell): the carry parts (carry_h alone for
                                           non-LSTM cells); Bidirectional: carry_forward_c, carry_backward_h, ...
  msgpack_hex                              flax.serialization.to_bytes(variables), as hex

Kind 'rnn_math'. Case fields: fn ('exp' | 'sigmoid'), x (bits). Result fields: eager, in_scan (flat bit lists), as
kind 'math' has them.
"""
from common import f2b, finite_bits, uniform_bits

KINDS = ('rnn', 'rnn_math')
CELLS = ('simple', 'simple_residual', 'gru', 'mgu', 'mgu_no_reset', 'lstm', 'optimized_lstm')


def _case(cases, **fields):
    cases.append(dict(fields))


def make_cases(variant, full=False):
    salt = 7919 * variant
    hiddens = (1, 3, 8, 9, 17, 64, 256) if full else (1, 3, 8, 9, 17, 64)
    cases = []
    i = 0
    # 1. Every cell in nn.RNN, with a bit-exact recurrent initializer (init compared) and with Flax's default.
    for cell in CELLS:
        for h in hiddens:
            for init in ('lecun_normal', 'orthogonal'):
                i += 1
                f, t = (5, 12) if h < 64 else (16, 6)
                _case(cases, id='rnn_%s_h%d_%s' % (cell, h, init), kind='rnn', model='rnn', cell=cell, hidden=h,
                      recurrent_init=init, seed=(31 * i + salt) % 1000, xshape=[t, f],
                      x=uniform_bits(t * f, -2, 2, 5000 + i + salt), options={'return_carry': True})
    # 2. nn.RNN's options, on the LSTM and the GRU.
    option_sets = (
        ('reverse', {'reverse': True, 'return_carry': True}),
        ('reverse_keep_order', {'reverse': True, 'keep_order': True, 'return_carry': True}),
        ('seq_lengths', {'seq_lengths': [9], 'return_carry': True}),
        ('seq_lengths_reverse', {'seq_lengths': [5], 'reverse': True, 'keep_order': True, 'return_carry': True}),
        ('seq_lengths_zero', {'seq_lengths': [0], 'return_carry': True}),
        ('time_major', {'time_major': True, 'return_carry': True}),
        ('unroll_3', {'unroll': 3, 'return_carry': True}),
    )
    for cell in ('lstm', 'gru'):
        for name, options in option_sets:
            i += 1
            _case(cases, id='rnn_opt_%s_%s' % (cell, name), kind='rnn', model='rnn', cell=cell, hidden=9,
                  recurrent_init='lecun_normal', seed=(31 * i + salt) % 1000, xshape=[10, 4],
                  x=uniform_bits(40, -2, 2, 6000 + i + salt), options=options)
    # 3. A batch, each row run alone (LaxScan's promise), with per-row lengths.
    for cell in ('lstm', 'mgu'):
        i += 1
        _case(cases, id='rnn_rows_%s' % cell, kind='rnn', model='rnn', cell=cell, hidden=17, rows=True,
              recurrent_init='lecun_normal', seed=(31 * i + salt) % 1000, xshape=[3, 8, 4],
              x=uniform_bits(96, -2, 2, 7000 + i + salt), options={'seq_lengths': [8, 3, 6], 'return_carry': True})
    # 4. nn.Bidirectional with Flax's default (orthogonal) recurrent kernels, applied from JAX's params.
    for cell in ('lstm', 'gru', 'optimized_lstm'):
        for h in (8, 9):
            i += 1
            _case(cases, id='bi_%s_h%d' % (cell, h), kind='rnn', model='bidirectional', cell=cell, hidden=h,
                  recurrent_init='orthogonal', seed=(31 * i + salt) % 1000, xshape=[7, 3],
                  x=uniform_bits(21, -2, 2, 8000 + i + salt), options={'return_carry': True, 'seq_lengths': [5]})
    # 5. nn.scan over a cell as the root, and the seed's module written with nn.scan.
    i += 1
    _case(cases, id='scan_lstm_cell', kind='rnn', model='scan_cell', cell='lstm', hidden=6, recurrent_init='orthogonal',
          seed=(31 * i + salt) % 1000, xshape=[1, 9, 3], x=uniform_bits(27, -2, 2, 9000 + i + salt), options={})
    for h, steps in ((4, 10), (9, 3), (64, 50)):
        i += 1
        _case(cases, id='seed_scan_h%d_t%d' % (h, steps), kind='rnn', model='seed_scan', hidden=h, steps=steps,
              recurrent_init='lecun_normal', seed=(31 * i + salt) % 1000, xshape=[h],
              x=uniform_bits(h, -1, 1, 9500 + i + salt), options={})
    # 6. exp and sigmoid: XLA's clamp bounds, the flush boundary, exp(88.7228394) (XLA's comment says max-float, the
    #    contraction rule says inf), random finite and moderate values.
    edges = [0, 0x80000000, 1, 0x807FFFFF, 0x00800000, 0x3F800000, 0xBF800000, 0x42B17218, 0x42B17217, 0x42B1999A,
             0xC2AF999A, 0xC2AF0000, 0x42AE0000, 0xC2B00000, 0x41A00000, 0xC1A00000, 0x7F800000, 0xFF800000, 0x7FC00000]
    n = 3000 if full else 600
    for fn in ('exp', 'sigmoid'):
        xs = edges + finite_bits(n, 4242 + salt) + uniform_bits(n, -100, 100, 4243 + salt) + uniform_bits(n, -6, 6, 4244 + salt)
        _case(cases, id='rnn_math_%s' % fn, kind='rnn_math', fn=fn, x=xs)
    return cases


def _cell(nn, case):
    init = nn.initializers.lecun_normal() if case['recurrent_init'] == 'lecun_normal' else nn.initializers.orthogonal()
    h = case['hidden']
    return {
        'simple': lambda: nn.SimpleCell(h, recurrent_kernel_init=init),
        'simple_residual': lambda: nn.SimpleCell(h, recurrent_kernel_init=init, residual=True),
        'gru': lambda: nn.GRUCell(h, recurrent_kernel_init=init),
        'mgu': lambda: nn.MGUCell(h, recurrent_kernel_init=init),
        'mgu_no_reset': lambda: nn.MGUCell(h, recurrent_kernel_init=init, reset_gate=False),
        'lstm': lambda: nn.LSTMCell(h, recurrent_kernel_init=init),
        'optimized_lstm': lambda: nn.OptimizedLSTMCell(h, recurrent_kernel_init=init),
    }[case['cell']]()


def _put_carry(result, prefix, carry, jax):
    leaves = jax.tree_util.tree_leaves(carry)
    from common import f32_bits
    if len(leaves) == 2:
        result[prefix + '_c'] = f32_bits(leaves[0])
    result[prefix + '_h'] = f32_bits(leaves[-1])


def run(case):
    from common import jax_modules, f32_bits, from_bits
    import flax.linen as nn
    from flax import serialization
    jax, jnp, np = jax_modules()

    if case['kind'] == 'rnn_math':
        fn = {'exp': jnp.exp, 'sigmoid': jax.nn.sigmoid}[case['fn']]
        x = jnp.asarray(from_bits(case['x'], [len(case['x'])]))
        eager = fn(x)
        _, ys = jax.lax.scan(lambda carry, v: (carry, fn(v)), jnp.float32(0), x)
        bits = lambda a: np.asarray(a, dtype=np.float32).view(np.uint32).reshape(-1).tolist()
        return {'eager': bits(eager), 'in_scan': bits(ys)}

    key = jax.random.PRNGKey(case['seed'])
    x = jnp.asarray(from_bits(case['x'], case['xshape']))
    options = dict(case.get('options', {}))
    result = {}
    model = case['model']

    if model == 'seed_scan':
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
            def __call__(self, v):
                scan = nn.scan(Step, variable_broadcast='params', split_rngs={'params': False}, length=self.T + 1)
                carry, _ = scan(self.hidden)(v, None)
                return carry

        m = LaxScanNnScan(case['hidden'], case['steps'])
        variables = m.init(key, x)
        result['out'] = f32_bits(m.apply(variables, x))
        result['msgpack_hex'] = serialization.to_bytes(variables).hex()
        return result

    if model == 'scan_cell':
        cell = _cell(nn, case)
        m = nn.scan(type(cell), variable_broadcast='params', split_rngs={'params': False}, in_axes=1, out_axes=1)(
            case['hidden'], recurrent_kernel_init=cell.recurrent_kernel_init)
        carry = m.initialize_carry(jax.random.PRNGKey(0), x[:, 0].shape)
        variables = m.init(key, carry, x)
        carry, ys = m.apply(variables, carry, x)
        result['out'] = f32_bits(ys)
        _put_carry(result, 'carry', carry, jax)
        result['msgpack_hex'] = serialization.to_bytes(variables).hex()
        return result

    unroll = options.pop('unroll', 1)
    lengths = options.pop('seq_lengths', None)
    if model == 'bidirectional':
        m = nn.Bidirectional(nn.RNN(_cell(nn, case)), nn.RNN(_cell(nn, case)))
    else:
        m = nn.RNN(_cell(nn, case), unroll=unroll)

    if case.get('rows'):
        # One sequence at a time: the bits LaxScan promises for each row of a batch.
        variables = m.init(key, x[0])
        outs, cs, hs = [], [], []
        for r in range(x.shape[0]):
            extra = {} if lengths is None else {'seq_lengths': jnp.asarray(lengths[r], dtype=jnp.int32)}
            carry, y = m.apply(variables, x[r], **extra, **options)
            leaves = jax.tree_util.tree_leaves(carry)
            outs.append(np.asarray(y))
            hs.append(np.asarray(leaves[-1]))
            cs.append(np.asarray(leaves[0]))
        result['out'] = f32_bits(np.stack(outs))
        if case['cell'] in ('lstm', 'optimized_lstm'):
            result['carry_c'] = f32_bits(np.stack(cs))
        result['carry_h'] = f32_bits(np.stack(hs))
    else:
        variables = m.init(key, x)
        extra = {} if lengths is None else {
            'seq_lengths': jnp.asarray(lengths[0] if x.ndim == 2 else lengths, dtype=jnp.int32)}
        out = m.apply(variables, x, **extra, **options)
        if options.get('return_carry'):
            carry, y = out
            if model == 'bidirectional':
                _put_carry(result, 'carry_forward', carry[0], jax)
                _put_carry(result, 'carry_backward', carry[1], jax)
            else:
                _put_carry(result, 'carry', carry, jax)
        else:
            y = out
        result['out'] = f32_bits(y)
    result['msgpack_hex'] = serialization.to_bytes(variables).hex()
    return result
