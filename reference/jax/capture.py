#!/usr/bin/env python3
"""Runs the seed's program and the calls it stands on with real JAX + Flax, and writes a reference bundle that
`laxscan verify BUNDLE` checks LaxScan against, bit for bit.

    python3 reference/jax/capture.py --out bundle/            # the default set (estimated: about a minute, ~1.5 MB)
    python3 reference/jax/capture.py --out bundle/ --full     # the wide matrix (H up to 1024, T = 1000; minutes)
    python3 reference/jax/capture.py --out bundle/ --xla-dump # also XLA's optimised HLO and LLVM IR of the probes
    python3 reference/jax/capture.py --out cases/ --cases-only  # the case list alone (needs no JAX)

Needs jax, jaxlib, flax and numpy (CPU: JAX_PLATFORMS=cpu is set unless given). Every case runs the way the seed
writes it: eager init and apply, no outer jax.jit. One case failing is recorded (its traceback) and the rest go on.
"""
import argparse
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # leave no __pycache__ in the checkout

import bundle  # noqa: E402
import kinds  # noqa: E402


def make_cases(variant, full, only=None):
    """The case list of every kind module (or of the kinds named in `only`), in module order."""
    cases = []
    for module in kinds.modules():
        if only and not set(module.KINDS) & set(only):
            continue
        cases.extend(c for c in module.make_cases(variant, full) if not only or c['kind'] in only)
    ids = [c['id'] for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError('two kind modules made the same case id')
    return cases


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', required=True, help='the bundle folder to write (created; existing files are replaced)')
    p.add_argument('--full', action='store_true', help='the wide matrix instead of the default set')
    p.add_argument('--variant', type=int, default=1, help='picks the seeds and inputs; 0 uses the classic seeds (default 1)')
    p.add_argument('--kinds', default='', help='comma-separated kinds to run (default: all)')
    p.add_argument('--xla-dump', action='store_true', help='also write xla_dump.tgz: optimised HLO and LLVM IR of the dot probes')
    p.add_argument('--cases-only', action='store_true', help='write cases.json and stop (no JAX needed)')
    p.add_argument('--budget-s', type=float, default=0, help='stop running cases after this many seconds (0: no limit)')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    only = [k for k in args.kinds.split(',') if k]
    os.makedirs(args.out, exist_ok=True)
    cases = make_cases(args.variant, args.full, only)
    bundle.write_json(os.path.join(args.out, 'cases.json'), cases)
    print('capture: %d cases -> %s' % (len(cases), os.path.join(args.out, 'cases.json')))
    if args.cases_only:
        return 0

    os.environ.setdefault('JAX_PLATFORMS', 'cpu')
    os.environ.setdefault('PYTHONHASHSEED', '0')
    import provenance
    versions = provenance.versions()
    cpu = provenance.cpu()
    env = provenance.environment()
    runners = kinds.runners()
    results = {}
    meta = {'jax': versions['jax'], 'jaxlib': versions['jaxlib'], 'flax': versions['flax'], 'numpy': versions['numpy'],
            'python': env['python'], 'platform': env['platform'], 'devices': versions['devices'],
            'lscpu': cpu['lscpu'], 'cpu': cpu['model'], 'xla_flags': env['xla_flags'],
            'harness': 'reference/jax/capture.py', 'variant': args.variant, 'full': args.full}
    started = time.time()
    errors = 0
    for c in cases:
        try:
            results[c['id']] = runners[c['kind']](c)
        except Exception:  # noqa: BLE001 - one failing case must not lose the others
            results[c['id']] = {'error': traceback.format_exc()[-2000:]}
            errors += 1
        if args.budget_s and time.time() - started > args.budget_s:
            meta['stopped_early_at'] = c['id']
            break
    meta['seconds'] = round(time.time() - started, 3)
    bundle.write_json(os.path.join(args.out, 'truth.json'), {'meta': meta, 'results': results})

    if args.xla_dump:
        import xla_probe
        xla_probe.dump(os.path.join(args.out, 'xla_dump.tgz'))

    record = {'format': bundle.FORMAT, 'format_version': bundle.FORMAT_VERSION,
              'harness': 'reference/jax/capture.py', 'argv': sys.argv[1:] if argv is None else list(argv),
              'variant': args.variant, 'full': args.full, 'cases': len(cases), 'results': len(results),
              'errors': errors, 'seconds': meta['seconds']}
    record.update(versions)
    record.update(env)
    record['cpu'] = {k: v for k, v in cpu.items() if k != 'lscpu'}
    record['lscpu'] = cpu['lscpu']
    record['files'] = bundle.file_entries(args.out)
    bundle.write_json(os.path.join(args.out, 'provenance.json'), record)
    print('capture: %d results, %d errors, %.1f s, jax %s jaxlib %s flax %s on %s' % (
        len(results), errors, meta['seconds'], versions['jax'], versions['jaxlib'], versions['flax'], cpu['model']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
