"""Shared fixtures: the book is built once per test session (as `make book` builds it)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The PyTorch reference generator runs only in a separate environment with torch installed.
collect_ignore = ["reference/make_torch_reference.py"]

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def built_book():
    """Build the book from scratch (--all), every notebook executed, warnings as errors."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    if not jupyter_book.exists():
        pytest.fail(f"{jupyter_book} not found: run `make test`, which installs everything.")
    shutil.rmtree(HTML, ignore_errors=True)  # no stale page survives from an earlier build
    cmd = [str(jupyter_book), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        problems = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
        problems = [line for line in problems if "Kernel is running over TCP" not in line]
        tail = "\n".join(problems[:40] or log.splitlines()[-40:])
        pytest.fail(f"The book build failed (warnings are errors):\n{tail}")
    return log
