"""The test pipeline itself: nbval must be strict, so an edited stored output fails."""

import subprocess
import sys

import nbformat
import pytest


def _notebook(stored_output):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(round(0.1 + 0.2, 3))", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_output)]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


@pytest.mark.parametrize(("stored", "passes"), [("0.3\n", True), ("0.31\n", False)])
def test_nbval_compares_stored_outputs(tmp_path, stored, passes):
    path = tmp_path / "check.ipynb"
    nbformat.write(_notebook(stored), path)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert (proc.returncode == 0) == passes, proc.stdout[-2000:]
