"""Flax's msgpack checkpoint layout, replicated from flax/serialization.py.

flax cannot be installed where these fixtures are made, so the functions below copy the
parts of google/flax's flax/serialization.py (HEAD 18f8f311c275d57f46d95e41b15aa97b454754c0)
that decide the bytes, with jax.Array branches dropped (numpy arrays only):
_ndarray_to_bytes (l.249), _dtype_from_name (l.262), _ndarray_from_bytes (l.270),
_MsgpackExtType (l.278), _msgpack_ext_pack (l.286), _msgpack_ext_unpack (l.304),
_chunk/_unchunk/_chunk_array_leaves_in_place/_unchunk_array_leaves_in_place (l.324-390),
msgpack_serialize (l.396) and msgpack_restore (l.418).

Run with Debian's /usr/bin/python3 (python3-msgpack, python3-numpy).
"""
import enum

import msgpack
import numpy as np

MAX_CHUNK_SIZE = 2**30


def _ndarray_to_bytes(arr) -> bytes:
  if arr.dtype.hasobject or arr.dtype.isalignedstruct:
    raise ValueError('Object and structured dtypes not supported')
  tpl = (arr.shape, arr.dtype.name, arr.tobytes('C'))
  return msgpack.packb(tpl, use_bin_type=True)


def _dtype_from_name(name):
  return np.dtype(name)


def _ndarray_from_bytes(data: bytes) -> np.ndarray:
  shape, dtype_name, buffer = msgpack.unpackb(data, raw=True)
  return np.frombuffer(
    buffer, dtype=_dtype_from_name(dtype_name), count=-1, offset=0
  ).reshape(shape, order='C')


class _MsgpackExtType(enum.IntEnum):
  ndarray = 1
  native_complex = 2
  npscalar = 3


def _msgpack_ext_pack(x):
  if isinstance(x, np.ndarray):
    return msgpack.ExtType(_MsgpackExtType.ndarray, _ndarray_to_bytes(x))
  if isinstance(x, np.generic):
    return msgpack.ExtType(_MsgpackExtType.npscalar, _ndarray_to_bytes(np.asarray(x)))
  elif isinstance(x, complex):
    return msgpack.ExtType(_MsgpackExtType.native_complex, msgpack.packb((x.real, x.imag)))
  return x


def _msgpack_ext_unpack(code, data):
  if code == _MsgpackExtType.ndarray:
    return _ndarray_from_bytes(data)
  elif code == _MsgpackExtType.native_complex:
    complex_tuple = msgpack.unpackb(data)
    return complex(complex_tuple[0], complex_tuple[1])
  elif code == _MsgpackExtType.npscalar:
    ar = _ndarray_from_bytes(data)
    return ar[()]
  return msgpack.ExtType(code, data)


_tuple_to_dict = lambda tpl: {str(x): y for x, y in enumerate(tpl)}
_dict_to_tuple = lambda dct: tuple(dct[str(i)] for i in range(len(dct)))


def _chunk(arr):
  chunksize = max(1, int(MAX_CHUNK_SIZE / arr.dtype.itemsize))
  data = {'__msgpack_chunked_array__': True, 'shape': _tuple_to_dict(arr.shape)}
  flatarr = arr.reshape(-1)
  chunks = [flatarr[i : i + chunksize] for i in range(0, flatarr.size, chunksize)]
  data['chunks'] = _tuple_to_dict(chunks)
  return data


def _unchunk(data):
  assert '__msgpack_chunked_array__' in data
  shape = _dict_to_tuple(data['shape'])
  flatarr = np.concatenate(_dict_to_tuple(data['chunks']))
  return flatarr.reshape(shape)


def _chunk_array_leaves_in_place(d):
  if isinstance(d, dict):
    for k, v in d.items():
      if isinstance(v, np.ndarray):
        if v.size * v.dtype.itemsize > MAX_CHUNK_SIZE:
          d[k] = _chunk(v)
      elif isinstance(v, dict):
        _chunk_array_leaves_in_place(v)
  elif isinstance(d, np.ndarray):
    if d.size * d.dtype.itemsize > MAX_CHUNK_SIZE:
      return _chunk(d)
  return d


def _unchunk_array_leaves_in_place(d):
  if isinstance(d, dict):
    if '__msgpack_chunked_array__' in d:
      return _unchunk(d)
    else:
      for k, v in d.items():
        if isinstance(v, dict) and '__msgpack_chunked_array__' in v:
          d[k] = _unchunk(v)
        elif isinstance(v, dict):
          _unchunk_array_leaves_in_place(v)
  return d


def _tree_copy(x):
  # flax: jax.tree_util.tree_map(lambda x: x, pytree), which rebuilds dicts with their keys SORTED (JAX flattens
  # dicts in sorted key order). to_bytes passes in_place=True, so its key order is the state dict's insertion order.
  if isinstance(x, dict):
    return {k: _tree_copy(x[k]) for k in sorted(x)}
  return x


def msgpack_serialize(pytree, in_place: bool = False) -> bytes:
  if not in_place:
    pytree = _tree_copy(pytree)
  pytree = _chunk_array_leaves_in_place(pytree)
  return msgpack.packb(pytree, default=_msgpack_ext_pack, strict_types=True)


def msgpack_restore(encoded_pytree: bytes):
  state_dict = msgpack.unpackb(
    encoded_pytree, ext_hook=_msgpack_ext_unpack, raw=False, strict_map_key=False
  )
  return _unchunk_array_leaves_in_place(state_dict)


def to_state_dict(target):
  """flax's to_state_dict for nested dicts (_dict_state_dict, l.158): string keys, insertion order."""
  if isinstance(target, dict):
    return {str(k): to_state_dict(v) for k, v in target.items()}
  return target


def to_bytes(target) -> bytes:
  """flax.serialization.to_bytes (l.454)."""
  return msgpack_serialize(to_state_dict(target), in_place=True)
