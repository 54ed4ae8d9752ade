"""The test pipeline itself: nbval must be strict, so an edited stored output fails."""

import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT


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


ANIMATION = (
    "from mlopt.functions import rosenbrock\n"
    "from mlopt.plotting import animate_paths\n"
    "animate_paths(rosenbrock, {{'p': {path}}}, [(-2, 2), (-1, 3)], frames={frames}, dpi=20,\n"
    "              title={title!r})"
)
STORED = {"path": [[-1.5, 2.0], [-1.0, 1.0], [0.5, 0.2]], "frames": 3, "title": "a race"}


@pytest.fixture(scope="module")
def stored_animation(tmp_path_factory):
    """A notebook whose only cell draws an animation, executed once to store its output."""
    from nbclient import NotebookClient

    nb = _notebook("")
    nb.cells[0] = nbformat.v4.new_code_cell(ANIMATION.format(**STORED))
    NotebookClient(nb, kernel_name="python3").execute()
    return nb


@pytest.mark.parametrize(
    ("change", "passes"),
    [
        ({}, True),
        ({"path": [[-1.5, 2.0], [-1.0, 1.0], [0.9, 0.2]]}, False),
        ({"title": "another race"}, False),
        ({"frames": 2}, False),
    ],
)
def test_animation_is_compared_without_its_frames_pixels(
    tmp_path, stored_animation, change, passes
):
    """nbval with tests/nbval_sanitize.cfg ignores only the frames' base64 pixels: the same
    animation passes; a changed path, title or frame count still fails."""
    nb = nbformat.from_dict(stored_animation)
    nb.cells[0].source = ANIMATION.format(**{**STORED, **change})
    path = tmp_path / "animation.ipynb"
    nbformat.write(nb, path)
    sanitize = ROOT / "tests" / "nbval_sanitize.cfg"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-sanitize-with",
            str(sanitize),
            "-q",
            "-p",
            "no:cacheprovider",
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert (proc.returncode == 0) == passes, proc.stdout[-2000:]
