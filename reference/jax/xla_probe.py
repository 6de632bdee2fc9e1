"""`capture.py --xla-dump`: what XLA:CPU makes of the seed's dot, for a reader who wants to see vfmadd against
vaddss. Runs the probes in a child process with XLA_FLAGS set (the flag must be set before XLA starts), then packs
the dump folder into one .tgz.

    python3 xla_probe.py DUMP_FOLDER      (the child; capture.py calls dump(tgz_path))
"""
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def dump(tgz_path):
    folder = tempfile.mkdtemp(prefix='laxscan-xla-dump-')
    env = dict(os.environ)
    # Only flags every XLA knows (an unknown flag aborts); the CPU backend writes its IR beside the HLO.
    env['XLA_FLAGS'] = (env.get('XLA_FLAGS', '') + ' --xla_dump_to=%s --xla_dump_hlo_as_text' % folder).strip()
    env.setdefault('JAX_PLATFORMS', 'cpu')
    subprocess.run([sys.executable, os.path.join(HERE, 'xla_probe.py'), folder], env=env, check=True)
    with tarfile.open(tgz_path, 'w:gz') as t:
        t.add(folder, arcname='xla_dump')


def _probes():
    import numpy as np
    import jax
    import jax.numpy as jnp
    for H in (1, 3, 9, 12, 17):
        W = jax.random.normal(jax.random.PRNGKey(H), (H, H), jnp.float32)
        x = jnp.linspace(-1, 1, H, dtype=jnp.float32)
        jax.block_until_ready(x @ W)
        jax.block_until_ready(jax.lax.scan(lambda c, _: (jnp.tanh(c @ W), None), jnp.tanh(x @ W), jnp.arange(3))[0])
        jax.block_until_ready(jnp.zeros((H,), jnp.float32) @ jnp.full((H, H), -0.5, jnp.float32))
    v = jnp.asarray(np.linspace(-5, 5, 64, dtype=np.float32))
    jax.block_until_ready(jax.lax.scan(lambda c, e: (c, (jnp.tanh(e), jax.lax.erf(e))), jnp.float32(0), v)[1])


if __name__ == '__main__':
    _probes()
