"""The reader's wait: how long each notebook takes from the top in a fresh kernel, and where.

For every notebook of the book (``chapters/`` and ``appendices/``), run it ``--repeat`` times
(default 3) in a fresh kernel, as "Run All" does, and report the median of

- ``total``: from asking for a kernel to the last cell's reply (what a reader waits);
- ``kernel``: starting the kernel until it answers;
- ``imports``: the first code cell (the chapter's imports);
- ``cells``: every other cell; the three slowest are named with their share.

It also times ``import mlopt`` against ``import numpy`` in fresh interpreters (the median of
``--repeat`` runs each, with the interpreter's own start-up subtracted).

Writes ``benchmarks/results/book_timing.csv`` and ``benchmarks/results/book_timing_import.csv``,
and prints a table. Run with ``make bench-book`` (a few minutes; not part of ``make test``).

    python benchmarks/book_timing.py [--repeat 3] [notebook ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import write_csv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def _timestamp(value):
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def time_notebook(path: Path) -> dict:
    """Execute ``path`` once in a fresh kernel; return the phases in seconds."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        cell_times = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            timing = cell.metadata.get("execution", {})
            begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
            seconds = _timestamp(end) - _timestamp(begin) if begin and end else 0.0
            cell_times.append((index, seconds))
    total = time.perf_counter() - start
    return {"total": total, "kernel": ready - start, "cells": cell_times}


def time_imports(repeat: int) -> dict:
    def best(code):
        runs = []
        for _ in range(repeat):
            proc = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(float(proc.stdout))
        return statistics.median(runs)

    numpy = best("import numpy")
    mlopt = best("import mlopt")
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mlopt; print(', '.join(m for m in "
            "('sklearn', 'matplotlib', 'scipy.stats') if m in sys.modules) or 'none')",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return {
        "import numpy (s)": numpy,
        "import mlopt (s)": mlopt,
        "mlopt / numpy": mlopt / numpy,
        "heavy modules loaded": heavy,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(ROOT.glob("chapters/*.ipynb")) + sorted(
        ROOT.glob("appendices/*.ipynb")
    )
    rows = []
    print(f"{'notebook':42s} {'median':>7s} {'kernel':>7s} {'imports':>8s}  slowest cells")
    for path in paths:
        runs = [time_notebook(path) for _ in range(args.repeat)]
        median = statistics.median(r["total"] for r in runs)
        kernel = statistics.median(r["kernel"] for r in runs)
        per_cell = {}
        for r in runs:
            for index, seconds in r["cells"]:
                per_cell.setdefault(index, []).append(seconds)
        cells = {index: statistics.median(v) for index, v in per_cell.items()}
        first = min(cells) if cells else None
        imports = cells.get(first, 0.0)
        rest = sorted(((s, i) for i, s in cells.items() if i != first), reverse=True)[:3]
        slowest = ", ".join(f"cell {i}: {s:.1f} s" for s, i in rest)
        name = str(path.relative_to(ROOT))
        print(f"{name:42s} {median:7.1f} {kernel:7.1f} {imports:8.1f}  {slowest}")
        rows.append(
            {
                "notebook": name,
                "median (s)": round(median, 1),
                "kernel start (s)": round(kernel, 1),
                "first code cell, imports (s)": round(imports, 1),
                "other cells (s)": round(sum(cells.values()) - imports, 1),
                "slowest cells (index: median s)": slowest,
                "runs": args.repeat,
            }
        )
    total = sum(r["median (s)"] for r in rows)
    print(f"{'all notebooks':42s} {total:7.1f}")
    imports = time_imports(max(args.repeat, 5))
    print(
        ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in imports.items()
        )
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_csv(RESULTS / "book_timing.csv", rows)
    write_csv(
        RESULTS / "book_timing_import.csv",
        [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in imports.items()}],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
