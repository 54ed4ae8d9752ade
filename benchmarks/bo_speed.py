"""Time and regret of ``mlopt.bayesian_optimization`` against scikit-optimize's ``gp_minimize``.

What is compared: both libraries minimise Branin (``mlopt.functions.branin``, minimum
0.397887) with 30 calls of which 5 initial points, on seeds 0-9 (``--seeds``,
``--first-seed``): mlopt with its defaults (EI, xi = 0.01), ``gp_minimize`` with its
defaults (gp_hedge acquisition, a Matern 5/2 GP with two restarts of its hyper-parameter
search at every iteration, L-BFGS acquisition search from 5 of 10,000 points). A run
scores its **regret**, the best value of its 30 evaluations minus the minimum.

How it times: the two libraries run side by side, seed by seed, in one process (each
after an untimed warm-up run; the order alternates from seed to seed), so that the load
of the shared machine hits both alike; both run with one BLAS / OpenMP thread
(threadpoolctl; mlopt's GP uses one anyway). The time of a run is its wall time,
objective included (Branin costs microseconds). The summary gives, per library, the
median time per run, the median and quartiles of the regret, and the ratio of the median
times (mlopt / scikit-optimize); ``ratio_of_paired_times`` is the median of the per-seed
ratios, which is less sensitive to a change of load between seeds.

Outputs, in ``benchmarks/results/``: ``bo_speed.csv`` (one row per run),
``bo_speed_summary.csv`` and ``bo_speed_machine.csv`` (machine, library versions, command,
load). ``--first-seed`` other than 0 or ``--seeds`` other than 10 add a suffix;
``--quick`` (2 seeds, 10 calls) writes to a temporary directory.

Run it with scikit-optimize installed (``benchmarks/requirements.txt``)::

    python benchmarks/bo_speed.py                   # 10 seeds: about 1-3 minutes
    python benchmarks/bo_speed.py --first-seed 10   # seeds 10-19
    python benchmarks/bo_speed.py --quick           # smoke test, seconds
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
from _common import cpu_model, write_csv
from threadpoolctl import threadpool_limits

from mlopt.bayesian_optimization import bayesian_optimization
from mlopt.functions import branin

RESULTS = Path(__file__).resolve().parent / "results"
N_CALLS, N_INITIAL = 30, 5


def run_mlopt(n_calls, seed):
    """Best value found by mlopt in ``n_calls`` evaluations."""
    res = bayesian_optimization(
        branin, branin.bounds(), n_calls=n_calls, n_initial_points=N_INITIAL, rng=seed
    )
    return float(np.min(res.history["fun"][:n_calls]))


def run_skopt(n_calls, seed):
    """Best value found by ``gp_minimize`` (its defaults) in ``n_calls`` evaluations."""
    from skopt import gp_minimize

    res = gp_minimize(
        lambda x: float(branin(np.array(x))),
        branin.bounds(),
        n_calls=n_calls,
        n_initial_points=N_INITIAL,
        random_state=seed,
    )
    return float(np.min(res.func_vals[:n_calls]))


LIBRARIES = {"mlopt": run_mlopt, "scikit-optimize": run_skopt}


def side_by_side(seeds, n_calls):
    """One row per (seed, library), the libraries alternating in order from seed to seed."""
    for run in LIBRARIES.values():  # untimed warm-up: imports, caches
        run(N_INITIAL + 1, 0)
    rows = []
    for i, seed in enumerate(seeds):
        order = list(LIBRARIES) if i % 2 == 0 else list(reversed(LIBRARIES))
        for library in order:
            start = time.perf_counter()
            best = LIBRARIES[library](n_calls, seed)
            seconds = time.perf_counter() - start
            row = {"library": library, "seed": seed, "n_calls": n_calls, "seconds": seconds}
            row |= {"best": best, "regret": best - branin.minimum}
            rows.append(row)
            print(f"  seed {seed:2d} {library:16s} {seconds:6.2f} s  regret {row['regret']:.2e}")
    return rows


def summarise(rows):
    """Per library: median seconds per run, median and quartiles of the regret; the ratios."""
    summary = []
    for library in LIBRARIES:
        runs = [r for r in rows if r["library"] == library]
        regret = np.array([r["regret"] for r in runs])
        summary.append(
            {
                "library": library,
                "seeds": len(runs),
                "median_seconds_per_run": float(np.median([r["seconds"] for r in runs])),
                "median_regret": float(np.median(regret)),
                "q25_regret": float(np.quantile(regret, 0.25)),
                "q75_regret": float(np.quantile(regret, 0.75)),
            }
        )
    mine, theirs = summary
    paired = [
        a["seconds"] / b["seconds"]
        for a, b in zip(
            [r for r in rows if r["library"] == "mlopt"],
            [r for r in rows if r["library"] == "scikit-optimize"],
            strict=True,
        )
    ]
    for row in summary:
        row["time_ratio_mlopt_over_skopt"] = (
            mine["median_seconds_per_run"] / theirs["median_seconds_per_run"]
        )
        row["ratio_of_paired_times"] = float(np.median(paired))
    return summary


def machine(argv, wall_seconds):
    """Machine, library versions and the command, as (key, value) rows."""

    def pkg(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=here,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", ":/mlopt"], cwd=here)
        commit += " (mlopt/ modified)" if dirty.returncode else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    info = {
        "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),  # noqa: UP017
        "command": " ".join(["python benchmarks/bo_speed.py", *argv]),
        "wall_seconds": f"{wall_seconds:.0f}",
        "platform": platform.platform(),
        "processor": cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average_1min_at_end": f"{os.getloadavg()[0]:.2f}",
        "python": platform.python_version(),
        "mlopt_commit": commit,
    }
    for name in ["numpy", "scipy", "scikit-learn", "scikit-optimize"]:
        info[name] = pkg(name)
    return [{"key": k, "value": v} for k, v in info.items()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (default 10)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="2 seeds, 10 calls, to /tmp")
    args = parser.parse_args()
    n_seeds, n_calls = (2, 10) if args.quick else (args.seeds, N_CALLS)
    seeds = range(args.first_seed, args.first_seed + n_seeds)
    if args.quick:
        out, suffix = Path(tempfile.mkdtemp(prefix="bo_speed_")), ""
    else:
        out = RESULTS
        suffix = "" if (args.first_seed, n_seeds) == (0, 10) else f"_seeds{seeds[0]}-{seeds[-1]}"
    start = time.perf_counter()
    with threadpool_limits(limits=1):
        rows = side_by_side(seeds, n_calls)
    summary = summarise(rows)
    write_csv(out / f"bo_speed{suffix}.csv", rows)
    write_csv(out / f"bo_speed_summary{suffix}.csv", summary)
    write_csv(
        out / f"bo_speed_machine{suffix}.csv", machine(sys.argv[1:], time.perf_counter() - start)
    )
    print(f"\nBranin, {n_calls} calls, {N_INITIAL} initial points, seeds {seeds[0]}-{seeds[-1]}:")
    print(f"{'library':16s} {'s/run':>7s} {'median regret':>14s} {'q25':>9s} {'q75':>9s}")
    for row in summary:
        print(
            f"{row['library']:16s} {row['median_seconds_per_run']:7.2f} "
            f"{row['median_regret']:14.2e} {row['q25_regret']:9.2e} {row['q75_regret']:9.2e}"
        )
    print(
        f"time ratio mlopt / scikit-optimize: {summary[0]['time_ratio_mlopt_over_skopt']:.3f} "
        f"(median of paired ratios {summary[0]['ratio_of_paired_times']:.3f}); written to {out}"
    )


if __name__ == "__main__":
    main()
