"""Makes the Flax-layout checkpoints in this folder with Debian's python3-msgpack and numpy.

    /usr/bin/python3 make_fixtures.py

Each NAME.msgpack is flax_layout.to_bytes(tree) (flax.serialization.to_bytes's layout). expected.json lists, per
fixture, its leaves in order: path, dtype, shape and the C-order bytes (base64), plus whether LaxScan can write the
same bytes ("roundtrip") or must refuse to read the file ("reject", with the text the error must contain).
"""
import base64
import json
import sys

import numpy as np

import flax_layout


def rng_f32(seed, shape):
  return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def leaves(tree, prefix=()):
  for k, v in tree.items():
    if isinstance(v, dict):
      yield from leaves(v, prefix + (k,))
    else:
      yield prefix + (k,), np.asarray(v)


fixtures = {}


def add(name, tree, roundtrip=True, reject=None, chunk=None):
  old = flax_layout.MAX_CHUNK_SIZE
  if chunk is not None:
    flax_layout.MAX_CHUNK_SIZE = chunk
  try:
    data = flax_layout.to_bytes(tree)
  finally:
    flax_layout.MAX_CHUNK_SIZE = old
  with open(name + '.msgpack', 'wb') as f:
    f.write(data)
  entry = {'file': name + '.msgpack', 'roundtrip': roundtrip}
  if chunk is not None:
    entry['max_chunk_size'] = chunk
  if reject is not None:
    entry['reject'] = reject
  else:
    # Python's own decode of its bytes, so a fixture whose layout code above is wrong cannot pass.
    back = flax_layout.msgpack_restore(data)
    entry['leaves'] = []
    for path, arr in leaves(tree):
      got = back
      for p in path:
        got = got[p]
      got = np.asarray(got)
      assert got.dtype == arr.dtype and got.shape == arr.shape and got.tobytes() == arr.tobytes(), path
      entry['leaves'].append({
        'path': list(path), 'dtype': arr.dtype.name, 'shape': list(arr.shape),
        'data': base64.b64encode(arr.tobytes('C')).decode('ascii')})
  fixtures[name] = entry
  print(f'{name}.msgpack: {len(data)} bytes')


special = np.array([[0.0, -0.0, np.inf, -np.inf],
                    [np.nan, 1e-45, -1e-45, 1.1754942e-38],
                    [3.4028235e38, -3.4028235e38, 1.0, -1.0],
                    [0.1, 1 / 3, 2.5e-8, 65504.0]], dtype=np.float32)

add('w4x4', {'params': {'W': rng_f32(0, (4, 4))}})
add('w4x4_special', {'params': {'W': special}})
add('dense_nested', {'params': {'Dense_0': {'kernel': rng_f32(1, (3, 2)), 'bias': np.zeros((2,), np.float32)},
                                'Dense_1': {'kernel': rng_f32(2, (2, 5)), 'bias': rng_f32(3, (5,))}},
                     'batch_stats': {'count': np.array(7, np.float32),
                                     'a_name_longer_than_thirty_one_characters': np.arange(6, dtype=np.uint32).reshape(2, 3)},
                     'empty': {}})
add('mixed_dtypes', {'params': {'u8': np.arange(5, dtype=np.uint8), 'u16': np.arange(3, dtype=np.uint16) * 300,
                                'u32': np.array([0, 1, 2**32 - 1], np.uint32), 'u64': np.array([2**64 - 1], np.uint64),
                                'zero_size': np.zeros((0, 3), np.float32)}})
# bin16/ext16 (1,600 payload bytes) and bin32/ext32 (66,048 bytes) headers.
add('w20x20', {'params': {'W': rng_f32(4, (20, 20))}})
add('w128x129', {'params': {'W': rng_f32(5, (128, 129))}})
# Flax chunks arrays over MAX_CHUNK_SIZE (2**30 bytes); the same code with a 64-byte limit gives the same layout small.
add('chunked', {'params': {'W': rng_f32(6, (5, 7)), 'b': rng_f32(7, (3,))}}, chunk=64)
# np.float32(1.5) is an np.generic: ext 3 (npscalar). Flax's own variables are jax arrays (ext 1), so LaxScan
# reads ext 3 as a 0-d array but writes 0-d arrays as ext 1, like Flax does for jax arrays.
add('npscalar', {'params': {'s': np.float32(1.5)}}, roundtrip=False)
add('w_float64', {'params': {'W': rng_f32(8, (4, 4)).astype(np.float64)}}, roundtrip=False,
    reject='float64')
add('w_int32', {'params': {'W': np.arange(16, dtype=np.int32).reshape(4, 4)}}, roundtrip=False, reject='int32')
add('w_float16', {'params': {'W': np.arange(4, dtype=np.float16)}}, roundtrip=False, reject='float16')
add('python_float_leaf', {'params': {'lr': 0.5}}, roundtrip=False, reject='float')
add('list_leaf', {'params': {'xs': [1, 2]}}, roundtrip=False, reject='array')

with open('expected.json', 'w') as f:
  json.dump({'generator': 'make_fixtures.py with python3-msgpack ' + '.'.join(map(str, __import__('msgpack').version))
             + ', numpy ' + np.__version__, 'fixtures': fixtures}, f, indent=1)
  f.write('\n')
