#!/usr/bin/env python3
"""The five mutants of issue 9: each changes one numerical rule in a copy of the source, so that `dotnet test` can
show it bites. Each mutant is anchored on a pattern, not a line number, and fails loudly when the pattern is gone
(the GEMV kernels are being rewritten; update the pattern then, never drop the mutant).

    python3 mutants.py list
    python3 mutants.py apply NAME REPO_COPY      (exit 3 when a pattern is not found)
"""
import glob
import os
import re
import sys


def fma_to_mul_add(m):
    lanes, a, b, c = m.group(1), m.group(2).strip(), m.group(3).strip(), m.group(4).strip()
    return '%s.Add(%s.Multiply(%s, %s), %s)' % (lanes, lanes, a, b, c)


def one_ulp_up(m):
    return m.group(1) + '%X' % (int(m.group(2).replace('_', ''), 16) + 1)


# name: (description, [(file glob, regex, replacement, how many matches to change: 1 or 0 for all)])
MUTANTS = {
    'gemv-fma': (
        "one GEMV FMA becomes a multiply then an add: the vector kernels' fused multiply-add of W[k, n] * x[k] onto the accumulator",
        [('src/LaxScan/Lax/Gemv*.cs', r'\b(T\w*)\.FusedMultiplyAdd\(([^(),]+),([^(),]+),([^(),]+)\)', fma_to_mul_add, 1)]),
    'epilogue-first-term': (
        "the scalar epilogue's first term becomes fma(W[0, n], x[0], +0) instead of the plain product (a -0 product turns +0)",
        [('src/LaxScan/Lax/Gemv*.cs', r'float acc = first;', 'float acc = first + 0f;', 1)]),
    'tanh-coefficient': (
        "tanh's last numerator coefficient n6 moves up by one ulp (0x3BA059DC -> 0x3BA059DD)",
        [('src/LaxScan/Numerics/XlaMath.Tanh.cs', r'(TanhN6\s*=\s*0x)([0-9A-Fa-f_]+)', one_ulp_up, 1)]),
    'threefry-rotation': (
        "threefry's first two rotations R_A = 13, 15 are swapped, in the scalar block and the vector lanes alike",
        [('src/LaxScan/Random/Threefry2x32.cs', r'Round\(ref x0, ref x1, 13\);(\s*)Round\(ref x0, ref x1, 15\);',
          r'Round(ref x0, ref x1, 15);\1Round(ref x0, ref x1, 13);', 1),
         ('src/LaxScan/Random/Threefry2x32.cs',
          r'RotateLeft\(x1, 13\), x0\);(\s*)(x0 = \w+\.Add\(x0, x1\); x1 = \w+\.Xor\(\w+\.)RotateLeft\(x1, 15\)',
          r'RotateLeft(x1, 15), x0);\1\2RotateLeft(x1, 13)', 1)]),
    'ftz-off': (
        "flush-to-zero emulation off: XlaMath.FlushToZero, FlushRounded and every lane FlushToZero return their input",
        [('src/LaxScan/Numerics/XlaMath.cs', r'(public static float FlushToZero\(float x\)\s*\{)', r'\1 return x;', 1),
         ('src/LaxScan/Numerics/XlaMath.cs', r'(internal static float FlushRounded\(float rounded, double exact\)\s*\{)', r'\1 return rounded;', 1),
         ('src/LaxScan/Numerics/FloatLanes.cs', r'(public static Vector(128|256|512)<float> FlushToZero\(Vector\2<float> a\)\s*\{)', r'\1 return a;', 0)]),
}


def apply(name, root):
    description, edits = MUTANTS[name]
    for pattern_glob, regex, replacement, count in edits:
        files = sorted(glob.glob(os.path.join(root, pattern_glob)))
        done = False
        for path in files:
            text = open(path).read()
            new, n = re.subn(regex, replacement, text, count=count)
            if n:
                # C# would warn about the unreachable code after an early return; the build must still pass.
                if 'return' in (replacement if isinstance(replacement, str) else ''):
                    new = '#pragma warning disable CS0162\n' + new
                open(path, 'w').write(new)
                print('mutant %s: %d change(s) in %s' % (name, n, os.path.relpath(path, root)))
                done = True
                break
        if not done:
            print('mutant %s: PATTERN NOT FOUND in %s: %s' % (name, pattern_glob, regex), file=sys.stderr)
            print('The code changed; update this mutant in tests/mutation/mutants.py (never drop it).', file=sys.stderr)
            sys.exit(3)


if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'list':
        for name, (description, _) in MUTANTS.items():
            print('%s\t%s' % (name, description))
    elif len(sys.argv) == 4 and sys.argv[1] == 'apply' and sys.argv[2] in MUTANTS:
        apply(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
