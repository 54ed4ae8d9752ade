"""Shared fixtures: the book is built once per test session (as `make book` builds it)."""

import os
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


def run_jupyter_book(output, *options, env=None):
    """Run `jupyter-book build --all` on the book after removing ``output``, so that nothing
    stale survives from an earlier build; return the finished process (log in stdout)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    if not jupyter_book.exists():
        pytest.fail(f"{jupyter_book} not found: run `make test`, which installs everything.")
    shutil.rmtree(output, ignore_errors=True)
    cmd = [str(jupyter_book), "build", str(ROOT), "--all", *options]
    env = None if env is None else {**os.environ, **env}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.fixture(scope="session")
def built_book():
    """Build the book from scratch (--all) as `make book` does, warnings as errors.

    Like `make book`, it typesets the outputs stored in the notebooks: nbval, in the same
    test run, proves them equal to a fresh execution, so executing every notebook once more
    here would only cost time."""
    proc = run_jupyter_book(HTML, "-W", "-n", "--keep-going", env={"MLOPT_BOOK_EXECUTE": "off"})
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        problems = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
        problems = [line for line in problems if "Kernel is running over TCP" not in line]
        tail = "\n".join(problems[:40] or log.splitlines()[-40:])
        pytest.fail(f"The book build failed (warnings are errors):\n{tail}")
    return log


# The portability runs (tests/test_portability.py) re-run every notebook in two perturbed
# numerical environments. They start as soon as the tests are collected, so that they use
# the second core while the rest of the suite runs; their tests only wait for the verdicts.
def pytest_collection_finish(session):
    if any(
        item.nodeid.startswith("tests/test_portability.py::test_stored") for item in session.items
    ):
        import portability

        session.config.portability_runs = [
            (env, portability.start(env)) for env in portability.environments()
        ]


def pytest_terminal_summary(terminalreporter, config):
    results = getattr(config, "portability_results", None)
    if results:
        import portability

        terminalreporter.section("portability: stored outputs in perturbed environments")
        terminalreporter.write_line(f"native: {portability.describe(portability.report())}")
        for env, code, seconds, last in results:
            verdict = "reproduced" if code == 0 else "MISMATCH"
            terminalreporter.write_line(
                f"{env.name} ({env.reason}): {env.variables}\n"
                f"    {portability.describe(env.report)}\n    {verdict}: {last} ({seconds:.0f} s)"
            )
