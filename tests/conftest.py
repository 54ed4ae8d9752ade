"""Shared fixtures: the book is built once per test session (as `make book` builds it)."""

import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

# The PyTorch reference generator runs only in a separate environment with torch installed.
collect_ignore = ["reference/make_torch_reference.py"]

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


# Debian's Chromium, headless, for the website and JupyterLab tests (test_browser.py,
# test_lab.py). Without the background-networking flags it floods the closed network.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with 'apt-get install chromium' "
            "(make test does this when run as root) or set CHROMIUM=/path/to/chromium."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@contextmanager
def _locked(name):
    """An exclusive lock shared by every process of a test run (xdist workers included)."""
    path = ROOT / "_build" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_jupyter_book(output, *options, env=None):
    """Run `jupyter-book build --all` on the book after removing ``output``, so that nothing
    stale survives from an earlier build; return the finished process (log in stdout).

    Builds run one at a time (the HTML and LaTeX builders share jupyter-book's doctrees),
    whichever xdist worker asks for them."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    if not jupyter_book.exists():
        pytest.fail(f"{jupyter_book} not found: run `make test`, which installs everything.")
    cmd = [str(jupyter_book), "build", str(ROOT), "--all", *options]
    env = None if env is None else {**os.environ, **env}
    with _locked(".jupyter-book-build.lock"):
        shutil.rmtree(output, ignore_errors=True)
        return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.fixture(scope="session")
def built_book(testrun_uid):
    """Build the book from scratch (--all) as `make book` does, warnings as errors.

    Like `make book`, it typesets the outputs stored in the notebooks: nbval, in the same
    test run, proves them equal to a fresh execution, so executing every notebook once more
    here would only cost time. The first xdist worker that needs the book builds it; the
    others read its log."""
    marker = ROOT / "_build" / f".html-build-{testrun_uid}.log"
    with _locked(".html-build-once.lock"):
        if marker.exists():
            code, log = marker.read_text().split("\n", 1)
        else:
            proc = run_jupyter_book(
                HTML, "-W", "-n", "--keep-going", env={"MLOPT_BOOK_EXECUTE": "off"}
            )
            code, log = str(proc.returncode), proc.stdout + proc.stderr
            for old in marker.parent.glob(".html-build-*.log"):
                old.unlink()
            marker.write_text(f"{code}\n{log}")
    if code != "0":
        problems = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
        problems = [line for line in problems if "Kernel is running over TCP" not in line]
        tail = "\n".join(problems[:40] or log.splitlines()[-40:])
        pytest.fail(f"The book build failed (warnings are errors):\n{tail}")
    return log


# The portability runs (tests/test_portability.py) re-run every notebook in two perturbed
# numerical environments. The main pytest process starts them as soon as it is configured, so
# that they run beside the rest of the suite; their tests (on whichever xdist worker) only
# wait for the exit codes the runs leave in MLOPT_PORTABILITY_DIR.
PORTABILITY_DIR = "MLOPT_PORTABILITY_DIR"


def _selects_portability(config):
    """Whether the command line's paths include tests/test_portability.py."""
    target = ROOT / "tests" / "test_portability.py"
    for arg in config.args or [str(ROOT / "tests")]:
        path = Path(arg.split("::")[0])
        if not path.is_absolute():
            path = Path(config.invocation_params.dir) / path
        path = path.resolve()
        if path == target or (path.is_dir() and target.is_relative_to(path)):
            return True
    return False


def pytest_configure(config):
    if hasattr(config, "workerinput") or os.environ.get(PORTABILITY_DIR):
        return  # an xdist worker: the main process has started the runs
    if not _selects_portability(config):
        return
    import portability

    runs = ROOT / "_build" / "portability"
    shutil.rmtree(runs, ignore_errors=True)
    run_dir = runs / "run"
    run_dir.mkdir(parents=True)
    (run_dir / "started").write_text(repr(time.time()))
    os.environ[PORTABILITY_DIR] = str(run_dir)
    config.portability_envs = portability.environments()
    config.portability_runs = [
        portability.start(env, log_dir=run_dir) for env in config.portability_envs
    ]


def pytest_unconfigure(config):
    """Stop the portability runs if the session ended before its tests waited for them."""
    for run in getattr(config, "portability_runs", []):
        if run["process"].poll() is None:
            os.killpg(run["process"].pid, 15)
        run["process"].wait()


def pytest_terminal_summary(terminalreporter, config):
    envs = getattr(config, "portability_envs", None)
    if not envs:
        return
    import portability

    run_dir = Path(os.environ[PORTABILITY_DIR])
    terminalreporter.section("portability: stored outputs in perturbed environments")
    terminalreporter.write_line(f"native: {portability.describe(portability.report())}")
    for env in envs:
        rc, log = run_dir / f"{env.name}.rc", run_dir / f"{env.name}.log"
        lines = log.read_text().strip().splitlines() if log.exists() else []
        verdict = (
            "not finished"
            if not rc.exists()
            else ("reproduced" if rc.read_text().strip() == "0" else "MISMATCH")
        )
        terminalreporter.write_line(
            f"{env.name} ({env.reason}): {env.variables}\n"
            f"    {portability.describe(env.report)}\n"
            f"    {verdict}: {lines[-1] if lines else 'no output'}"
        )
