"""Decodes checkpoints LaxScan wrote with python3-msgpack in Flax's layout (flax_layout.msgpack_restore, written
from flax.serialization's layout, not its code) and checks them against expected.json.

    /usr/bin/python3 check_laxscan_output.py FOLDER_OF_LAXSCAN_CHECKPOINTS
(FlaxMsgpackLayoutTests.Python_decodes_laxscan_s_checkpoints_to_the_fixture_values writes them and runs this.)

For each NAME.msgpack that has a fixture: every leaf's path, dtype, shape and bytes must equal expected.json's, the
tree must have nothing else, and the to_bytes layout of the decoded tree must give LaxScan's bytes back. Other files are
decoded and printed.
"""
import base64
import json
import os
import sys

import numpy as np

import flax_layout

here = os.path.dirname(os.path.abspath(__file__))
expected = json.load(open(os.path.join(here, 'expected.json')))['fixtures']
out = sys.argv[1]
failures = 0


def leaves(tree, prefix=()):
  for k, v in tree.items():
    if isinstance(v, dict):
      yield from leaves(v, prefix + (k,))
    else:
      yield prefix + (k,), v


for fname in sorted(os.listdir(out)):
  if not fname.endswith('.msgpack'):
    continue
  name = fname[:-len('.msgpack')]
  data = open(os.path.join(out, fname), 'rb').read()
  tree = flax_layout.msgpack_restore(data)
  got = list(leaves(tree))
  if name not in expected:
    print(f'{fname}: {len(data)} bytes, decoded by msgpack_restore:')
    for path, v in got:
      print(f"  {'/'.join(path)}: {type(v).__name__} {v.dtype}{list(v.shape)}\n{v}")
    continue
  want = expected[name]['leaves']
  ok = len(got) == len(want)
  for (path, v), w in zip(got, want):
    ok &= isinstance(v, np.ndarray) and list(path) == w['path'] and v.dtype.name == w['dtype'] \
        and list(v.shape) == w['shape'] and v.tobytes('C') == base64.b64decode(w['data'])
  chunk = expected[name].get('max_chunk_size')
  if chunk:
    flax_layout.MAX_CHUNK_SIZE = chunk
  repacked = flax_layout.to_bytes(tree)
  flax_layout.MAX_CHUNK_SIZE = 2**30
  same = repacked == data
  print(f"{fname}: {len(data)} bytes, {len(got)} leaves {'match' if ok else 'DIFFER'}, "
        f"flax to_bytes of the decoded tree {'is byte-identical' if same else 'DIFFERS'}")
  failures += (not ok) + (not same)

print('FAILED' if failures else 'all LaxScan checkpoints decode as expected')
sys.exit(1 if failures else 0)
