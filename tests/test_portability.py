"""Every stored output is reproduced on other CPUs: nbval in perturbed numerical environments.

The runs themselves start at collection (``tests/conftest.py``) and run beside the rest of the
suite; see ``tests/portability.py`` for the environments and why they stand for other machines.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import portability
import pytest

ENVIRONMENTS = {env.name: env for env in portability.environments()}


@pytest.mark.parametrize("name", sorted(ENVIRONMENTS))
def test_stored_outputs_reproduce_in_perturbed_environment(name):
    env = ENVIRONMENTS[name]
    run_dir = os.environ.get("MLOPT_PORTABILITY_DIR")
    if run_dir:  # started by tests/conftest.py when pytest began
        env.report = portability.report(env.variables)
        run = portability.handle(env, Path(run_dir))
    else:
        run = portability.start(env)
    code, output, seconds = portability.finish(run)
    assert code == 0, (
        f"Stored outputs differ in {name} ({env.reason}; {env.variables}; "
        f"{portability.describe(env.report)}). A cell prints digits that depend on the CPU: "
        "print what the computation determines (see README, 'Reproducible outputs').\n"
        + "\n".join(portability.failures(output)[:60])
    )


# A cell that breaks the rules on purpose: a round-off-level number printed to three digits
# (OpenBLAS's dot product of NumPy's SIMD exp and sin, against an exactly rounded sum).
FRAGILE = textwrap.dedent(
    """\
    import math
    import numpy as np
    y = np.exp(np.sin(np.linspace(0.0, 50.0, 100_001)))
    print(f"{y @ y - math.fsum(y * y):.3g}")"""
)


def test_a_fragile_cell_fails_the_portability_check(tmp_path):
    """The check is not blind: a cell printing round-off to three digits fails it."""
    env = ENVIRONMENTS["simd-baseline"]
    native = subprocess.run([sys.executable, "-c", FRAGILE], capture_output=True, text=True)
    perturbed = subprocess.run(
        [sys.executable, "-c", FRAGILE],
        capture_output=True,
        text=True,
        env={**os.environ, **env.variables},
    )
    if native.stdout == perturbed.stdout:
        pytest.skip(f"{env.name} does not change this computation on this CPU ({native.stdout!r})")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(FRAGILE, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=native.stdout)]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "fragile.ipynb"
    nbformat.write(nb, path)
    code, output, _ = portability.finish(portability.start(env, [path], log_dir=tmp_path))
    assert code != 0 and "FAILED" in output, output[-2000:]
    # ...and the same notebook passes natively, so the failure is the environment's doing.
    rerun = subprocess.run(portability.nbval_command([path]), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stdout[-2000:]
