"""Case kinds: one module per family of JAX calls. Every module in this folder is found by name, so a new family
is one new file here (and one handler file in src/LaxScan/Verification/); nothing else is edited.

A kind module defines:
    KINDS = ('name', ...)                 the case kinds its run() handles (cases.json's "kind")
    make_cases(variant, full=False)       the case list: plain Python, no JAX, deterministic for (variant, full)
    run(case)                             computes one case with JAX, returns its result fields (truth.json)
"""
import importlib
import os
import pkgutil

_HERE = os.path.dirname(os.path.abspath(__file__))


def modules():
    """Every kind module, in name order (so case lists come out in the same order everywhere)."""
    found = []
    for info in sorted(pkgutil.iter_modules([_HERE]), key=lambda m: m.name):
        if info.name.startswith('_'):
            continue
        m = importlib.import_module(__name__ + '.' + info.name)
        for attribute in ('KINDS', 'make_cases', 'run'):
            if not hasattr(m, attribute):
                raise TypeError('kind module %s has no %s; see kinds/__init__.py' % (info.name, attribute))
        found.append(m)
    return found


def runners():
    """{kind: run function} over every module; two modules claiming one kind is an error."""
    table = {}
    for m in modules():
        for kind in m.KINDS:
            if kind in table:
                raise TypeError('kind %r is claimed by two modules' % kind)
            table[kind] = m.run
    return table
