"""The byte layout of flax.serialization.to_bytes / msgpack_restore, written for these fixtures.

Flax cannot be installed where the fixtures are made, so this module produces the same bytes from the layout
(described in the docstrings and code of google/flax's flax/serialization.py, read at 18f8f311), not from Flax's
code:
- a checkpoint is one msgpack map (packb with use_bin_type=True, strict_types=True), keys as strings in the
  state dict's insertion order (to_bytes serializes in place, without the key-sorting copy);
- a numpy array is ext type 1 whose payload is msgpack of (shape tuple, dtype name, C-order bytes); a numpy
  scalar is ext type 3 with the payload of its 0-d array; a Python complex is ext type 2 of (real, imag);
- an array over MAX_CHUNK_SIZE bytes is replaced by {'__msgpack_chunked_array__': True, 'shape': {'0': d0, ...},
  'chunks': {'0': flat piece, ...}}, each piece max(1, MAX_CHUNK_SIZE // itemsize) elements.

Run with Debian's /usr/bin/python3 (python3-msgpack, python3-numpy).
"""
import msgpack
import numpy as np

MAX_CHUNK_SIZE = 2**30

NDARRAY, NATIVE_COMPLEX, NPSCALAR = 1, 2, 3
CHUNKED = '__msgpack_chunked_array__'


def _array_payload(array):
  return msgpack.packb((array.shape, array.dtype.name, array.tobytes('C')), use_bin_type=True)


def _encode_ext(value):
  if isinstance(value, np.ndarray):
    return msgpack.ExtType(NDARRAY, _array_payload(value))
  if isinstance(value, np.generic):
    return msgpack.ExtType(NPSCALAR, _array_payload(np.asarray(value)))
  if isinstance(value, complex):
    return msgpack.ExtType(NATIVE_COMPLEX, msgpack.packb((value.real, value.imag)))
  return value


def _array_from_payload(payload):
  # The dtype name and the bytes may arrive as str or bin, so the payload is read raw.
  shape, name, raw = msgpack.unpackb(payload, raw=True)
  if isinstance(name, bytes):
    name = name.decode()
  return np.frombuffer(raw, dtype=np.dtype(name)).reshape(shape)


def _decode_ext(code, payload):
  if code == NDARRAY:
    return _array_from_payload(payload)
  if code == NPSCALAR:
    return _array_from_payload(payload)[()]
  if code == NATIVE_COMPLEX:
    real, imag = msgpack.unpackb(payload)
    return complex(real, imag)
  return msgpack.ExtType(code, payload)


def _as_index_dict(items):
  return {str(i): item for i, item in enumerate(items)}


def _chunked(array):
  flat = array.reshape(-1)
  step = max(1, MAX_CHUNK_SIZE // array.dtype.itemsize)
  pieces = [flat[start:start + step] for start in range(0, flat.size, step)]
  return {CHUNKED: True, 'shape': _as_index_dict(array.shape), 'chunks': _as_index_dict(pieces)}


def _with_chunks(tree):
  if isinstance(tree, dict):
    return {key: _with_chunks(value) for key, value in tree.items()}
  if isinstance(tree, np.ndarray) and tree.size * tree.dtype.itemsize > MAX_CHUNK_SIZE:
    return _chunked(tree)
  return tree


def _without_chunks(tree):
  if isinstance(tree, dict):
    if CHUNKED in tree:
      shape = tuple(tree['shape'][str(i)] for i in range(len(tree['shape'])))
      pieces = [tree['chunks'][str(i)] for i in range(len(tree['chunks']))]
      return np.concatenate(pieces).reshape(shape)
    return {key: _without_chunks(value) for key, value in tree.items()}
  return tree


def _state_dict(tree):
  if isinstance(tree, dict):
    return {str(key): _state_dict(value) for key, value in tree.items()}
  return tree


def to_bytes(tree) -> bytes:
  """The bytes flax.serialization.to_bytes(tree) writes for a nested dict of numpy arrays and scalars."""
  return msgpack.packb(_with_chunks(_state_dict(tree)), default=_encode_ext, strict_types=True, use_bin_type=True)


def msgpack_restore(data: bytes):
  """What flax.serialization.msgpack_restore(data) returns: the nested dict, chunked arrays joined again."""
  return _without_chunks(msgpack.unpackb(data, ext_hook=_decode_ext, raw=False, strict_map_key=False))
