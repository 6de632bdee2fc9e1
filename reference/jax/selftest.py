#!/usr/bin/env python3
"""Checks the parts of the harness that run without JAX: every kind module keeps the contract, case lists are
deterministic and well formed, the default set stays small, bundle hashing catches a changed file, the CPU parser
reads /proc/cpuinfo and lscpu text, and every file compiles. It never makes a truth.json: only JAX makes those.

    python3 reference/jax/selftest.py        (tests/LaxScan.Tests/Verification/HarnessTests.cs runs it)
"""
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # a checkout stays clean

import bundle  # noqa: E402
import capture  # noqa: E402
import kinds  # noqa: E402
import provenance  # noqa: E402

checks = 0


def expect(condition, what):
    global checks
    checks += 1
    if not condition:
        raise AssertionError(what)


def is_u32(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 0xFFFFFFFF


def main():
    for folder, _, files in os.walk(HERE):
        for name in files:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                compile(open(path).read(), path, 'exec')   # a syntax error raises here
                expect(True, name)

    modules = kinds.modules()
    expect({k for m in modules for k in m.KINDS} >= {'mission', 'random', 'init', 'math', 'hlo', 'dense', 'dot'},
           'the kind modules cover mission, random, init, math, hlo, dense, dot')
    expect(len(kinds.runners()) == sum(len(m.KINDS) for m in modules), 'no kind is claimed twice')
    for m in modules:
        for full in (False, True):
            for variant in (0, 1, 2):
                a = m.make_cases(variant, full)
                expect(a == m.make_cases(variant, full), '%s.make_cases(%d, %s) is deterministic' % (m.__name__, variant, full))
                for c in a:
                    expect(c['kind'] in m.KINDS, '%s makes only its own kinds (%s)' % (m.__name__, c['id']))
                    for field in ('x', 'W', 'kernel', 'bias'):
                        if field in c:
                            expect(all(is_u32(v) for v in c[field]), '%s field %s holds uint32 bit patterns' % (c['id'], field))
                    json.dumps(c)
        if m.KINDS != ('hlo',):
            expect(m.make_cases(1, False) != m.make_cases(2, False), '%s: another variant gives other inputs' % m.__name__)

    default = capture.make_cases(1, False)
    ids = [c['id'] for c in default]
    expect(len(ids) == len(set(ids)), 'case ids are unique')
    size = len(json.dumps(default, separators=(',', ':')))
    expect(size < 600000, 'the default cases.json stays small (%d bytes)' % size)
    expect(len(capture.make_cases(1, True)) > len(default), '--full has more cases')
    expect(any(c['kind'] == 'mission' and c.get('trace') for c in default), 'some mission runs record every state')
    expect(any(c['kind'] == 'mission' and c['hidden'] in (9, 17, 33) and c['T'] == 0 and 'W' not in c for c in default),
           'random H = 9, 17, 33 runs probe the last output')
    expect(all(any(c['id'] == 'z%02d_zero_x_negW' % h for c in default) for h in (1, 3, 9, 12, 17)),
           'x = +0 with negative W for H = 1, 3, 9, 12, 17')
    expect(any(c['kind'] == 'random' and c['fn'] == 'truncated_normal' and c['upper'] >= 5.3 for c in default),
           'a truncated normal whose erf argument passes 3.7439')
    expect({c['mode'] for c in default if c['kind'] in ('random', 'init')} == {'partitionable', 'original'},
           'random and initializer calls in both threefry modes')
    expect({c['fn'] for c in default if c['kind'] == 'math'} >= {'tanh', 'erf', 'erf_inv', 'log', 'log1p'},
           'tanh, erf, erf_inv, log, log1p')

    folder = tempfile.mkdtemp(prefix='laxscan-selftest-')
    try:
        expect(capture.main(['--out', folder, '--cases-only']) == 0, 'capture.py --cases-only runs without JAX')
        expect(json.load(open(os.path.join(folder, 'cases.json'))) == default, '--cases-only writes the default list')
        expect('no truth.json' in bundle.check(folder), 'a folder without truth.json is not a bundle')
        entries = bundle.file_entries(folder)
        expect(set(entries) == {'cases.json'} and len(entries['cases.json']['sha256']) == 64, 'hashes the data files present')
        bundle.write_json(os.path.join(folder, 'provenance.json'), {'files': entries})
        with open(os.path.join(folder, 'cases.json'), 'a') as f:
            f.write(' ')
        # check() stops at the missing truth.json, so compare the hash directly, as it does.
        expect(bundle.sha256_file(os.path.join(folder, 'cases.json')) != entries['cases.json']['sha256'],
               'one changed byte changes the sha256')
    finally:
        shutil.rmtree(folder)

    info = provenance.cpu('processor\t: 0\nmodel name\t: Test CPU @ 3.0GHz\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f\n', '')
    expect(info['model'] == 'Test CPU @ 3.0GHz', 'reads the model name')
    expect(info['simd_flags'] == ['fma', 'avx', 'avx2', 'avx512f', 'sse4_2'], 'reads the SIMD flags in a fixed order')
    info = provenance.cpu('', 'Architecture:  x86_64\nModel name:   Other CPU\nFlags:  fma avx2\n')
    expect(info['model'] == 'Other CPU' and info['simd_flags'] == ['fma', 'avx2'], 'falls back to lscpu')
    expect(provenance.XLA_PINS['0.11.0'].startswith('131bf41'), 'JAX 0.11.0 pins XLA 131bf41')
    print('selftest: ok, %d checks, %d default cases (%d bytes of cases.json)' % (checks, len(default), size))
    return 0


if __name__ == '__main__':
    sys.exit(main())
