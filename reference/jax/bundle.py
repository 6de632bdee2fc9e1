"""Writing and checking a bundle folder. Plain Python (no JAX): the test suite runs it.

A bundle is a folder with
    cases.json       the case list: [{"id", "kind", ...fields of the kind}]
    truth.json       {"meta": {...}, "results": {id: {...result fields} or {"error": traceback}}}
    provenance.json  versions, CPU, flags, date, and "files": {name: {"sha256", "bytes"}} for each data file
and optionally xla_dump.tgz (capture.py --xla-dump).
"""
import hashlib
import json
import os

FORMAT = 'laxscan-jax-bundle'
FORMAT_VERSION = 1
DATA_FILES = ('cases.json', 'truth.json', 'xla_dump.tgz')


def write_json(path, value):
    """Compact JSON, one trailing newline; written to a temporary name and renamed, so it is complete or absent."""
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(value, f, separators=(',', ':'), sort_keys=False)
        f.write('\n')
    os.replace(tmp, path)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def file_entries(folder):
    """{name: {"sha256", "bytes"}} for each data file present in the folder."""
    entries = {}
    for name in DATA_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            entries[name] = {'sha256': sha256_file(path), 'bytes': os.path.getsize(path)}
    return entries


def check(folder):
    """The problems of a bundle folder as a list of sentences (empty when it is sound): missing files, invalid
    JSON, a case without a result, hashes that do not match provenance.json."""
    problems = []
    for name in ('cases.json', 'truth.json'):
        if not os.path.isfile(os.path.join(folder, name)):
            problems.append('no %s' % name)
    if problems:
        return problems
    try:
        cases = json.load(open(os.path.join(folder, 'cases.json')))
        truth = json.load(open(os.path.join(folder, 'truth.json')))
    except ValueError as e:
        return ['invalid JSON: %s' % e]
    ids = [c.get('id') for c in cases]
    if len(set(ids)) != len(ids):
        problems.append('duplicate case ids')
    results = truth.get('results', {})
    missing = [i for i in ids if i not in results]
    if missing:
        problems.append('%d cases have no result (first: %s)' % (len(missing), missing[0]))
    prov_path = os.path.join(folder, 'provenance.json')
    if os.path.isfile(prov_path):
        listed = json.load(open(prov_path)).get('files', {})
        for name, entry in listed.items():
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                problems.append('%s is listed in provenance.json but missing' % name)
            elif sha256_file(path) != entry.get('sha256'):
                problems.append('%s does not match its sha256 in provenance.json' % name)
    else:
        problems.append('no provenance.json')
    return problems
