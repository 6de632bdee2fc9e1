"""What a bundle records about where it was made. cpu() and environment() are plain Python; versions() imports
JAX, jaxlib, Flax and numpy."""
import datetime
import os
import platform
import subprocess
import sys

# The XLA commit each jaxlib release pins (jax-ml/jax third_party/xla/revision.bzl at the release tag).
XLA_PINS = {
    '0.5.0': 'a91d9c30c545eccdbc26075c2b2ff04a014e66e9', '0.5.1': '75916151739a1174f3ce02efe825fbd19bb61b86',
    '0.5.2': '75916151739a1174f3ce02efe825fbd19bb61b86', '0.5.3': 'df971129bd82e381954da0185b534220e21798a4',
    '0.6.0': '0d1b60216ea13b0d261d59552a0f7ef20c4f76c5', '0.6.1': '47a47140b5f7a33d86901316d9c569de179bae08',
    '0.6.2': '3d5ece64321630dade7ff733ae1353fc3c83d9cc', '0.7.0': '3d25fed5571304e446903bc00e4f457b2b0f73dc',
    '0.7.1': '31eb6029e8973337ef6c99810c27e1d807791c11', '0.7.2': '0fccb8a6037019b20af2e502ba4b8f5e0f98c8f6',
    '0.8.0': '9f150f6b75c08d6ea7b97697c4f393f1a0eb6121', '0.8.1': 'a7e58876b73dfa9bb6bc785f6981a332c133bb55',
    '0.8.2': '913ae2eaa3cb88971003592a90959685a78c9e30', '0.8.3': '913ae2eaa3cb88971003592a90959685a78c9e30',
    '0.9.0': 'bb760b047bdbfeff962f0366ad5cc782c98657e0', '0.9.0.1': 'bb760b047bdbfeff962f0366ad5cc782c98657e0',
    '0.9.1': '3cc8846c10052cc1c32c4db87866eac4e4cdbccd', '0.9.2': '187a5eb58277a85847d1516bd1e20b7faf03d5ef',
    '0.10.0': 'b6f37ab7767f428fd6f993de5e211643d47d4deb', '0.10.1': '9b635916ecc6df6efee62d8e4b0c7ef87ef84d69',
    '0.10.2': '5a9e73cbd92530cac2ac36f4736a774b2412afe2', '0.11.0': '131bf41acb4650e4391a640c3f1859c1c86ad74b',
}

ENV_NAMES = ('XLA_FLAGS', 'JAX_PLATFORMS', 'JAX_ENABLE_X64', 'JAX_DEFAULT_MATMUL_PRECISION', 'JAX_THREEFRY_PARTITIONABLE',
             'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'TF_CPP_MIN_LOG_LEVEL', 'NPROC')


def cpu(cpuinfo_text=None, lscpu_text=None):
    """The CPU: model name, flags, logical CPUs, the CPUs this process may use. Reads /proc/cpuinfo and lscpu
    unless texts are given (the self-test passes them)."""
    if cpuinfo_text is None:
        try:
            cpuinfo_text = open('/proc/cpuinfo').read()
        except OSError:
            cpuinfo_text = ''
    if lscpu_text is None:
        try:
            lscpu_text = subprocess.run(['lscpu'], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            lscpu_text = ''
    model, flags = None, []
    for line in cpuinfo_text.splitlines():
        key, _, value = line.partition(':')
        key = key.strip()
        if key == 'model name' and model is None:
            model = value.strip()
        elif key == 'flags' and not flags:
            flags = value.split()
    for line in lscpu_text.splitlines():
        key, _, value = line.partition(':')
        if key.strip() == 'Model name' and model is None:
            model = value.strip()
        if key.strip() == 'Flags' and not flags:
            flags = value.split()
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = None
    wanted = ('fma', 'avx', 'avx2', 'avx512f', 'avx512vl', 'avx512bw', 'avx512dq', 'f16c', 'sse4_2', 'avx_vnni',
              'avx512_bf16', 'amx_tile')
    return {'model': model or platform.processor() or None, 'machine': platform.machine(),
            'logical_cpus': os.cpu_count(), 'usable_cpus': usable,
            'simd_flags': [f for f in wanted if f in flags], 'flags': flags, 'lscpu': lscpu_text}


def environment():
    """The environment variables that change what XLA:CPU does, and the host."""
    return {'env': {n: os.environ.get(n) for n in ENV_NAMES if os.environ.get(n) is not None},
            'xla_flags': os.environ.get('XLA_FLAGS', ''), 'platform': platform.platform(), 'python': sys.version,
            'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}


def versions():
    """jax, jaxlib, flax, numpy versions; the git hashes their builds record; the XLA commit jaxlib pins (from
    XLA_PINS, or None with a pointer where the release is newer than this table)."""
    import numpy as np
    import jax
    import jaxlib
    import flax
    v = {'jax': jax.__version__, 'jaxlib': getattr(jaxlib, '__version__', None), 'flax': flax.__version__,
         'numpy': np.__version__}
    for name, module in (('jax_git_hash', 'jax.version'), ('jaxlib_git_hash', 'jaxlib.version')):
        try:
            v[name] = getattr(__import__(module, fromlist=['_git_hash']), '_git_hash', None)
        except ImportError:
            v[name] = None
    pin = XLA_PINS.get(v['jaxlib'] or '')
    v['xla_commit'] = pin
    v['xla_commit_source'] = ('jax-ml/jax third_party/xla/revision.bzl at jax-v%s' % v['jaxlib']) if pin else (
        'not in this harness table: read third_party/xla/revision.bzl at jax commit %s' % v.get('jaxlib_git_hash'))
    v['devices'] = [str(d) for d in jax.devices()]
    for name in ('jax_threefry_partitionable', 'jax_enable_x64', 'jax_default_matmul_precision'):
        try:
            v[name] = getattr(jax.config, name)
        except AttributeError:
            v[name] = None
    try:
        import io
        import contextlib
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            jax.print_environment_info()
        v['environment_info'] = text.getvalue()
    except Exception as e:  # noqa: BLE001 - an optional extra
        v['environment_info'] = repr(e)
    return v
