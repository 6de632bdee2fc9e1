#!/usr/bin/env python3
"""The mutants of the mutation check: each changes one numerical rule in a copy of the source, so that `dotnet test`
can show it bites. Each mutant is anchored on a pattern, not a line number, and fails loudly when the pattern is gone
(update the pattern then, never drop the mutant).

The GEMV mutants hit each kernel that runs on its own: the register blocks of the panel path (Block8, Block1), the
batch tiles (Tile6x4 under AVX-512, Tile2x4 under AVX2), the memory-order streaming kernel, the scalar outputs past
the last vector, and the scalar reference Gemv.Reference alone. A mutant only in the reference must be killed by a
test that compares it with a hand-derived value, not only by the tests that compare the kernels with it.

A mutant marked `equivalent` changes code in a way no input can observe (the reason says why); it is run like the
others and expected to survive. If one is ever killed, the reason is wrong: report it.

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


def step_to_mul_add(m):
    """`acc = Step<TL, TV, TF>(w, x, acc);` (one FMA of a vector kernel) -> `acc = TL.Add(TL.Multiply(w, x), acc);`."""
    return '%s = TL.Add(TL.Multiply(%s, %s), %s);' % (m.group(1), m.group(2).strip(), m.group(3).strip(), m.group(4).strip())


# The argument list of one vector FMA step: w (may hold one level of parentheses), x, acc.
STEP_ARGS = r'((?:[^(),]|\([^()]*\))+),\s*([^(),]+),\s*([^(),]+)\)'

# name: (description, [(file glob, regex, replacement, how many matches to change: 1 or 0 for all)], equivalent reason or None)
MUTANTS = {
    'gemv-fma-block8': (
        "one FMA of the widest register block (Block8: 8 vectors of outputs, the panel path's main kernel) becomes a "
        "multiply then an add, for the first vector of outputs only",
        [('src/LaxScan/Kernels/Gemv.Kernels.cs',
          r'(a0) = Step<TL, TV, TF>\(' + STEP_ARGS + r';(?=(?:\s*a\d = Step<TL, TV, TF>[^\n]*\n){7})',
          step_to_mul_add, 1)], None),
    'gemv-fma-block1': (
        "the FMA of the one-vector register block (Block1, the outputs left after the wider blocks) becomes a multiply "
        "then an add",
        [('src/LaxScan/Kernels/Gemv.Kernels.cs',
          r'(a0) = Step<TL, TV, TF>\(' + r'(TL\.Load\(ref w, row\)),\s*(TL\.Create\(Unsafe\.Add\(ref x, i\)\)),\s*(a0)\);',
          step_to_mul_add, 1)], None),
    'gemv-fma-tile6x4': (
        "one FMA of the AVX-512 batch tile (Tile6x4: row 5, the fourth vector) becomes a multiply then an add",
        [('src/LaxScan/Kernels/Gemv.Batch.cs', r'(a53) = Step<TL, TV, TF>\(' + STEP_ARGS + ';', step_to_mul_add, 1)], None),
    'gemv-fma-tile2x4': (
        "one FMA of the AVX2 batch tile (Tile2x4: row 1, the fourth vector) becomes a multiply then an add",
        [('src/LaxScan/Kernels/Gemv.Batch.cs', r'(a13) = Step<TL, TV, TF>\(' + STEP_ARGS + r';(?=\s*\})', step_to_mul_add, 1)], None),
    'gemv-fma-stream': (
        "one FMA of the memory-order streaming kernel (W larger than 128 KiB, row-major) becomes a multiply then an add "
        "(every fourth row of each pass of eight)",
        [('src/LaxScan/Kernels/Gemv.Dispatch.cs', r'(acc) = Step<TL, TV, TF>\((TL\.Load\(ref r3, o\)),\s*(x3),\s*(acc)\);',
          step_to_mul_add, 1)], None),
    'gemv-fma-scalar-output': (
        "the FMA of the kernels' scalar outputs (past the last whole vector, and every output at the scalar tier) "
        "becomes a multiply then an add",
        [('src/LaxScan/Kernels/Gemv.Kernels.cs',
          r'acc = ScalarStep<TF>\(Unsafe\.Add\(ref w, row\), Unsafe\.Add\(ref x, i\), acc\);',
          'acc = (Unsafe.Add(ref w, row) * Unsafe.Add(ref x, i)) + acc;', 1)], None),
    'gemv-fma-reference': (
        "the scalar reference Gemv.Reference (only) rounds each product before adding it: XlaMath.Add(XlaMath.Mul(w, x), acc)",
        [('src/LaxScan/Kernels/Gemv.cs', r': XlaMath\.Fma\(wi, xi, acc\);', ': XlaMath.Add(XlaMath.Mul(wi, xi), acc);', 1)], None),
    'epilogue-first-term': (
        "the scalar reference's epilogue outputs (the last N mod 8) start from fma(W[0, n], x[0], +0) instead of the "
        "plain product (a -0 product turns +0); the reference only",
        [('src/LaxScan/Kernels/Gemv.cs', r'\? XlaMath\.Mul\(wi, xi\) :', '? XlaMath.Fma(wi, xi, 0f) :', 1)], None),
    'tail-start-vector': (
        "the vector kernels start the last N mod 8 accumulators at +0 instead of -0 (the start table's -0 half "
        "becomes +0)",
        [('src/LaxScan/Kernels/Gemv.Kernels.cs', r'Enumerable\.Repeat\(-0f, 16\)', 'Enumerable.Repeat(0f, 16)', 1)], None),
    'tail-start-scalar-output': (
        "the kernels' scalar outputs start the last N mod 8 accumulators at +0 instead of -0",
        [('src/LaxScan/Kernels/Gemv.Kernels.cs', r'j >= tailStart \? -0f : 0f;', 'j >= tailStart ? 0f : 0f;', 1)], None),
    'tail-start-stream': (
        "the streaming kernel starts the last N mod 8 accumulators at +0 instead of -0",
        [('src/LaxScan/Kernels/Gemv.Dispatch.cs', r'j >= tailStart \? -0f : 0f;', 'j >= tailStart ? 0f : 0f;', 1)], None),
    'tail-tiles-of-16': (
        "XLA's scalar epilogue is taken to start at N - N mod 16 (the AVX-512 width) instead of N - N mod 8, in the "
        "reference and the kernels alike",
        [('src/LaxScan/Kernels/Gemv.cs', r'n - \(n % 8\)', 'n - (n % 16)', 1)], None),
    'tanh-coefficient': (
        "tanh's last numerator coefficient n6 moves up by one ulp (0x3BA059DC -> 0x3BA059DD)",
        [('src/LaxScan/Numerics/XlaMath.Tanh.cs', r'(TanhN6\s*=\s*0x)([0-9A-Fa-f_]+)', one_ulp_up, 1)], None),
    'exp-coefficient': (
        "exp's first polynomial coefficient p0 moves up by one ulp (0x39506967 -> 0x39506968), scalar and lanes alike",
        [('src/LaxScan/Numerics/XlaMath.Exp.cs', r'(ExpP0\s*=\s*0x)([0-9A-Fa-f_]+)', one_ulp_up, 1)], None),
    'logistic-contraction': (
        "logistic's 1 + z * 2^n is a multiply then an add instead of fma(z, 2^n, 1), scalar and lanes",
        [('src/LaxScan/Numerics/XlaMath.Logistic.cs', r'return Div\(1f, Fma\(z, pow2, 1f\)\);', 'return Div(1f, Add(1f, Mul(z, pow2)));', 1),
         ('src/LaxScan/Numerics/XlaMath.Logistic.cs', r'TL\.FusedMultiplyAdd\(z, pow2, one\)', 'TL.Add(one, TL.Multiply(z, pow2))', 1)],
        "z * 2^n is exact unless it is below 2^-126 (then 1 + it rounds to 1 either way) or overflows (then both are "
        "+inf), so rn(1 + rn(z * 2^n)) = fma(z, 2^n, 1) on every input; Logistic_is_one_over_one_plus_exp_of_minus_x "
        "states this equality and docs/parity.md says the contraction cannot show in the bits"),
    'lstm-cell-contraction': (
        "the LSTM cell reference (CellMath.Lstm) computes new_c = rn(f * c) + rn(i * g) instead of fma(f, c, rn(i * g))",
        [('src/LaxScan/Linen/Recurrent/Kernels/CellMath.cs', r'XlaMath\.Fma\(f, c, XlaMath\.Mul\(i, g\)\)',
          'XlaMath.Add(XlaMath.Mul(f, c), XlaMath.Mul(i, g))', 1)], None),
    'truncnormal-clip-lower': (
        "the fused truncated normal clips at lower instead of nextafter(lower, +inf) (jnp.clip's bound)",
        [('src/LaxScan/Random/TruncatedNormalFill.cs', r'XlaMath\.NextAfter\(lower, float\.PositiveInfinity\)', 'lower', 1)], None),
    'truncnormal-divide': (
        "the fused truncated normal computes erf(bound / sqrt2) with a division, not XLA's multiply by rn(1 / sqrt2)",
        [('src/LaxScan/Random/TruncatedNormalFill.cs', r'lower \* InverseSqrt2', 'lower / Sqrt2', 1),
         ('src/LaxScan/Random/TruncatedNormalFill.cs', r'upper \* InverseSqrt2', 'upper / Sqrt2', 1)], None),
    'truncnormal-erf-rule': (
        "the fused truncated normal ignores the release's erf rule for its bounds (always the newest)",
        [('src/LaxScan/Random/TruncatedNormalFill.cs', r'(XlaMath\.Erf\(XlaMath\.FlushToZero\((?:lower|upper) \* InverseSqrt2\)), erfRule\)',
          r'\1)', 0)], None),
    'threefry-rotation': (
        "threefry's first two rotations R_A = 13, 15 are swapped in the scalar block (Threefry2x32.Block)",
        [('src/LaxScan/Random/Threefry2x32.cs', r'Round\(ref x0, ref x1, 13\);(\s*)Round\(ref x0, ref x1, 15\);',
          r'Round(ref x0, ref x1, 15);\1Round(ref x0, ref x1, 13);', 1)], None),
    'threefry-rotation-lanes': (
        "threefry's first two rotations are swapped in the one-block vector form (RoundsA<TLanes, TV>)",
        [('src/LaxScan/Random/Threefry2x32.cs',
          r'RotateLeft\(x1, 13\), x0\);(\s*)(x0 = \w+\.Add\(x0, x1\); x1 = \w+\.Xor\(\w+\.)RotateLeft\(x1, 15\)',
          r'RotateLeft(x1, 15), x0);\1\2RotateLeft(x1, 13)', 1)], None),
    'threefry-rotation-interleaved': (
        "threefry's first two rotations are swapped in the two-block interleaved vector form (Rounds2A, used by the "
        "partitionable bits and the fused truncated normal)",
        [('src/LaxScan/Random/Threefry2x32.cs',
          r'(Round2<TLanes, TV>\(ref a0, ref a1, ref b0, ref b1, )13\);(\s*)(Round2<TLanes, TV>\(ref a0, ref a1, ref b0, ref b1, )15\);',
          r'\g<1>15);\2\g<3>13);', 1)], None),
    'ftz-off': (
        "flush-to-zero emulation off: XlaMath.FlushToZero, FlushRounded and every lane FlushToZero return their input",
        [('src/LaxScan/Numerics/XlaMath.cs', r'((?:public|internal) static float FlushToZero\(float x\)\s*\{)', r'\1 return x;', 1),
         ('src/LaxScan/Numerics/XlaMath.cs', r'(internal static float FlushRounded\(float rounded, double exact\)\s*\{)', r'\1 return rounded;', 1),
         ('src/LaxScan/Numerics/FloatLanes.cs', r'(public static Vector(128|256|512)<float> FlushToZero\(Vector\2<float> a\)\s*\{)', r'\1 return a;', 0)], None),
}


def apply(name, root):
    description, edits, _ = MUTANTS[name]
    for pattern_glob, regex, replacement, count in edits:
        files = sorted(glob.glob(os.path.join(root, pattern_glob)))
        done = False
        for path in files:
            text = open(path).read()
            new, n = re.subn(regex, replacement, text, count=count)
            if n:
                # C# would warn about the unreachable code after an early return; the build must still pass.
                if isinstance(replacement, str) and re.match(r'\\1 return \w+;$', replacement):
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
        for name, (description, _, equivalent) in MUTANTS.items():
            print('%s\t%s\t%s' % (name, 'equivalent' if equivalent else 'must-die', description))
    elif len(sys.argv) >= 2 and sys.argv[1] == 'equivalent':
        for name, (_, _, equivalent) in MUTANTS.items():
            if equivalent:
                print(name)
    elif len(sys.argv) == 4 and sys.argv[1] == 'apply' and sys.argv[2] in MUTANTS:
        apply(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
