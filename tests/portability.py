"""Re-run every notebook under perturbed numerical environments and require the stored outputs.

A reader's laptop has another CPU than the machine that stored the notebooks' outputs: NumPy
dispatches its SIMD loops (exp, log, cos, sums) to other instruction sets, and OpenBLAS picks
another kernel, so results can differ in their last bits. A stored output that prints such
bits (a round-off-level number to three digits, a count that a tie can flip, a chaotic run's
digits) then fails strict nbval there. This module reproduces that on any one machine, by
running nbval in environments that change what NumPy and OpenBLAS do:

- ``NPY_DISABLE_CPU_FEATURES`` turns NumPy's dispatch down (to the next lower level, or to
  the build's baseline); the names must be among those NumPy reports as found, so they are
  read from this machine;
- ``OPENBLAS_CORETYPE`` forces an older OpenBLAS kernel;
- ``OPENBLAS_NUM_THREADS`` changes how OpenBLAS splits its work.

Run it on its own with ``python tests/portability.py`` (it prints each environment, what NumPy
and OpenBLAS report in it, and nbval's verdict); ``make test`` runs it through
``tests/test_portability.py``, both environments in parallel while the rest of the suite runs.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
NOTEBOOK_DIRS = ("chapters", "appendices")

# What NumPy and OpenBLAS report in an environment: printed with every verdict, so that a
# failure names the environment it happened in.
_REPORT = """
import json, numpy, threadpoolctl
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
blas = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({
    "numpy": numpy.__version__,
    "simd_found": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
    "blas": [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
             for i in blas],
}))
"""


def report(env: dict[str, str] | None = None) -> dict:
    """What NumPy (version, SIMD features in use) and OpenBLAS (kernel, threads) report."""
    proc = subprocess.run(
        [sys.executable, "-c", _REPORT],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    return json.loads(proc.stdout)


def describe(rep: dict) -> str:
    blas = ", ".join(
        f"{b['internal_api']} {b['version']} core {b['architecture']}, {b['num_threads']} thread(s)"
        for b in rep["blas"]
    )
    simd = ", ".join(rep["simd_found"]) or "none beyond the baseline"
    return f"NumPy {rep['numpy']} SIMD found: {simd}; BLAS: {blas or 'none reported'}"


@dataclass
class Environment:
    name: str
    variables: dict[str, str]
    reason: str
    report: dict = field(default_factory=dict)


def environments() -> list[Environment]:
    """Two perturbed environments, derived from what this machine's NumPy reports."""
    found = report()["simd_found"]
    x86 = platform.machine().lower() in ("x86_64", "amd64")
    # NumPy lists its dispatch targets from the lowest to the highest level.
    one_level_down = found[1:] if len(found) > 1 else found
    envs = [
        Environment(
            "simd-one-level-down",
            {
                "NPY_DISABLE_CPU_FEATURES": ",".join(one_level_down),
                "OPENBLAS_NUM_THREADS": "1",
                **({"OPENBLAS_CORETYPE": "Haswell"} if x86 else {}),
            },
            "a laptop one SIMD generation older, OpenBLAS's AVX2 kernel, one BLAS thread",
        ),
        Environment(
            "simd-baseline",
            {
                "NPY_DISABLE_CPU_FEATURES": ",".join(found),
                "OPENBLAS_NUM_THREADS": "2",
                **({"OPENBLAS_CORETYPE": "Sandybridge"} if x86 else {}),
            },
            "NumPy at its build baseline, OpenBLAS's AVX kernel, two BLAS threads",
        ),
    ]
    for env in envs:
        if not env.variables["NPY_DISABLE_CPU_FEATURES"]:
            del env.variables["NPY_DISABLE_CPU_FEATURES"]  # nothing to disable on this CPU
    return envs


def nbval_command(paths=None) -> list[str]:
    paths = [str(ROOT / d) for d in NOTEBOOK_DIRS] if paths is None else [str(p) for p in paths]
    return [
        sys.executable,
        "-m",
        "pytest",
        "--nbval",
        "--nbval-sanitize-with",
        str(SANITIZE),
        "-p",
        "no:cacheprovider",
        "-q",
        *paths,
    ]


def start(env: Environment, paths=None, log_dir: Path | None = None) -> dict:
    """Start nbval on the notebooks in ``env``, in the background; return a handle.

    The run writes ``NAME.log`` (nbval's output) and, when it ends, ``NAME.rc`` (its exit
    code) into ``log_dir``, so that any process can wait for it with :func:`finish` (under
    pytest-xdist the test that waits is not the process that started the run)."""
    env.report = report(env.variables)
    log_dir = Path(log_dir or ROOT / "_build" / "portability")
    log_dir.mkdir(parents=True, exist_ok=True)
    log, rc = log_dir / f"{env.name}.log", log_dir / f"{env.name}.rc"
    rc.unlink(missing_ok=True)
    script = '"$@" > "$LOG" 2>&1; echo $? > "$RC.tmp"; mv "$RC.tmp" "$RC"'
    proc = subprocess.Popen(
        ["sh", "-c", script, "sh", *nbval_command(paths)],
        cwd=ROOT,
        env={**os.environ, **env.variables, "LOG": str(log), "RC": str(rc)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # The process is kept in the handle (dropping a running Popen warns); finish() waits on the
    # files, so that a process that did not start it can wait too.
    return {"log": log, "rc": rc, "started": time.time(), "process": proc}


def finish(handle: dict, timeout: float = 3600) -> tuple[int, str, float]:
    """Wait for a run started by :func:`start`; return its exit code, output and seconds."""
    rc, log = Path(handle["rc"]), Path(handle["log"])
    deadline = time.time() + timeout
    while not rc.exists():
        if time.time() > deadline:
            return -1, f"no result after {timeout:.0f} s", timeout
        time.sleep(1)
    if handle.get("process") is not None:
        handle["process"].wait()
    output = log.read_text() if log.exists() else ""
    return int(rc.read_text()), output, rc.stat().st_mtime - handle["started"]


def handle(env: Environment, log_dir: Path) -> dict:
    """The handle of a run of ``env`` started in ``log_dir`` by another process."""
    return {
        "log": log_dir / f"{env.name}.log",
        "rc": log_dir / f"{env.name}.rc",
        "started": float((log_dir / "started").read_text()),
    }


def failures(output: str) -> list[str]:
    """nbval's FAILED lines, and the diff lines of each mismatch (without the PNG frames)."""
    keep = []
    for line in output.splitlines():
        if line.startswith("FAILED") or line.lstrip().startswith(("- ", "+ ")):
            keep.append(line[:200])
    return keep


def main() -> int:
    print(f"native: {describe(report())}")
    envs = environments()
    procs = [(env, start(env)) for env in envs]
    status = 0
    for env, proc in procs:
        code, output, seconds = finish(proc)
        verdict = "stored outputs reproduced" if code == 0 else "MISMATCH"
        print(f"{env.name}: {env.reason}\n  {env.variables}\n  {describe(env.report)}")
        print(f"  {verdict} ({output.strip().splitlines()[-1]}; {seconds:.0f} s)")
        if code:
            print("\n".join("    " + line for line in failures(output)[:40]))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
