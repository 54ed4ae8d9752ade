"""Compare mlopt's derivative-free optimizers with the established libraries.

What is compared (10 seeds, 0-9, per configuration):

* ``particle_swarm`` vs pyswarms' ``GlobalBestPSO`` (same w, c1, c2, 30 particles; pyswarms
  with its defaults: periodic walls, no velocity clamp, initial velocities uniform in
  [0, 1]), and ``genetic_algorithm`` vs DEAP's ``eaSimple`` (SBX, polynomial mutation,
  tournament of 3, the same parameters), on sphere, rosenbrock, rastrigin and ackley in
  d = 2, 10 and 30, and on Branin. PSO also runs on sphere and rastrigin in d = 10 with
  the minimiser moved towards a wall ("-shifted", see :class:`Shifted`): pyswarms'
  periodic walls help when the minimiser is in the middle of the box and hurt when it is
  near a wall.
* ``bayesian_optimization`` vs scikit-optimize's ``gp_minimize`` and the
  ``bayesian-optimization`` package (both with their defaults) on Branin, 30 calls of
  which 5 initial points.

How: every library minimises the same objective through a wrapper that counts the points
evaluated, times the calls, and keeps the best value among the first ``B`` points, ``B``
being the evaluation budget (each library runs the fewest iterations that reach ``B``, at
most one swarm or population more; the extra points are not scored). A run scores the
**regret**, that best value minus the known minimum. Budgets ``B``: 5,000 evaluations in
d = 2, 15,000 in d = 10 and 20,000 in d = 30 (DEAP takes about 50 us per evaluation in
d = 30, so more would pass the time limit; 20,000 takes PSO close to the minimum of
sphere, but neither method to that of rastrigin or rosenbrock: a fixed-budget comparison);
1,000 for PSO and GA on Branin (a modest budget, next to BO's 30 calls); 30 calls for BO.

Timing: the wall time of each run and the time spent inside the objective (wrapper
included) are measured; their difference divided by the number of points evaluated is the
optimiser's own **overhead per evaluation**. mlopt calls ``func`` once per point (its
interface is ``func(x) -> float``, for expensive black boxes) while pyswarms calls it once
per swarm on a ``(30, d)`` array: that difference is in the time per run, not in the
overhead (``objective_seconds_per_eval`` holds it). The libraries are interleaved seed by
seed (so that a change of the machine's load hits them alike), each after an untimed
warm-up run; the summary reports medians. Every library runs with one BLAS / OpenMP thread
(threadpoolctl; mlopt's GP fit uses one anyway): on the shared 2-core machine,
scikit-optimize with its default two threads ran six times slower.

Skipped: BO in d = 10 and 30. One run of 30 calls on ackley-10d took 6.6 s for mlopt and
6.9 s for scikit-optimize (one trial), so ten seeds would add 2-3 minutes to the 4-minute
run, past the 5-minute limit. Also skipped: BO on sphere, rosenbrock, rastrigin and
ackley (Branin is the usual BO test and already takes 40 % of the run time), and GA on the
shifted problems.

Outputs, in ``benchmarks/results/``: ``derivative_free.csv`` (one row per run),
``derivative_free_summary.csv`` (median and quartiles of the regret, evaluations, seconds
per run, overhead and objective time per evaluation), ``derivative_free_machine.csv``
(machine, library versions, command, wall time), ``derivative_free.png`` (median regret
with interquartile bars) and ``derivative_free_overhead.png`` (seconds per evaluation, with
and without the objective). Runs other than the default one (``--only``, ``--seeds``,
``--first-seed``) write files with a suffix, and ``--quick`` writes to a temporary
directory.

Run it with the reference libraries of ``benchmarks/requirements.txt`` installed (``make
bench`` does it)::

    python benchmarks/derivative_free.py              # everything: 5 min idle, 8.5 loaded
    python benchmarks/derivative_free.py --quick      # smoke test: a few seconds
    python benchmarks/derivative_free.py --only bo --first-seed 10   # BO on seeds 10-19
    python benchmarks/derivative_free.py --replot     # redraw the PNGs from the summary
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
from _common import cpu_model, write_csv
from threadpoolctl import threadpool_limits

from mlopt.bayesian_optimization import bayesian_optimization
from mlopt.functions import ackley, branin, rastrigin, rosenbrock, sphere
from mlopt.genetic_algorithm import genetic_algorithm
from mlopt.particle_swarm import particle_swarm

RESULTS = Path(__file__).resolve().parent / "results"
FUNCTIONS = [sphere, rosenbrock, rastrigin, ackley]
DIMENSIONS = [2, 10, 30]
BUDGET = {2: 5000, 10: 15000, 30: 20000}  # evaluations for PSO and GA
BRANIN_BUDGET = 1000  # PSO and GA on Branin
BO_CALLS, BO_INITIAL = 30, 5
SHIFTED = [(sphere, 10), (rastrigin, 10)]  # PSO only
N_PARTICLES, POPULATION = 30, 50
PSO = {"w": 0.7298, "c1": 1.49618, "c2": 1.49618}  # mlopt's defaults, given to pyswarms
QUICK = {"dimensions": [2], "budget": {2: 500}, "branin_budget": 300, "bo_calls": 8}


class Shifted:
    """``func(x - s)`` on ``func``'s box, its minimiser moved 70 % of the way to a wall.

    The minimiser ``x*`` goes to ``c + 0.7 (u - c)`` with ``c`` the centre of the box and
    ``u`` its upper corner (e.g. 3.58 in every coordinate for sphere and rastrigin).
    """

    def __init__(self, func, d):
        self.func, self.d, self.minimum = func, d, func.minimum
        self.name = f"{func.name}-shifted"
        low, high = np.array(func.bounds(d)).T
        centre = (low + high) / 2
        self.shift = centre + 0.7 * (high - centre) - func.minimizers(d)[0]

    def bounds(self, d):
        return self.func.bounds(d)

    def __call__(self, x):
        return self.func(np.asarray(x, dtype=float) - self.shift)


class Objective:
    """Wrap ``func``: count points, time the calls, keep the best of the first ``budget``.

    A call may hold one point or a ``(n, d)`` array of points. ``seconds`` covers the whole
    wrapper, so that its bookkeeping is not counted as the optimiser's overhead.
    """

    def __init__(self, func, budget):
        self.func, self.budget = func, budget
        self.nfev, self.seconds, self.best = 0, 0.0, math.inf

    def __call__(self, x):
        start = time.perf_counter()
        value = self.func(x)
        values = np.atleast_1d(np.asarray(value, dtype=float))
        scored = values[: max(self.budget - self.nfev, 0)]
        if scored.size:
            self.best = min(self.best, float(np.min(scored)))
        self.nfev += values.size
        self.seconds += time.perf_counter() - start
        return value


# -- one run of each library; each minimises an Objective -----------------------------------


def pso_iterations(budget):
    """Iterations after the initial swarm so that N_PARTICLES * (iterations + 1) >= budget."""
    return math.ceil(budget / N_PARTICLES) - 1


def pso_mlopt(obj, bounds, seed):
    particle_swarm(
        obj, bounds, n_particles=N_PARTICLES, max_iter=pso_iterations(obj.budget), rng=seed
    )


def pso_pyswarms(obj, bounds, seed):
    from pyswarms.single import GlobalBestPSO

    np.random.seed(seed)  # noqa: NPY002 (pyswarms draws from NumPy's global generator)
    low, high = np.array(bounds).T
    opt = GlobalBestPSO(n_particles=N_PARTICLES, dimensions=len(bounds), options=PSO,
                        bounds=(low, high))  # fmt: skip
    # pyswarms evaluates the swarm at the start of each of its iterations.
    opt.optimize(obj, iters=pso_iterations(obj.budget) + 1, verbose=False)


def ga_mlopt(obj, bounds, seed):
    # 50 + 49 g evaluations: the elite is not evaluated again.
    generations = math.ceil((obj.budget - POPULATION) / (POPULATION - 1))
    genetic_algorithm(obj, bounds, population_size=POPULATION, generations=generations, rng=seed)


def ga_deap(obj, bounds, seed):
    from deap import algorithms, base, creator, tools

    random.seed(seed)
    if not hasattr(creator, "FitnessMin"):
        creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
        creator.create("Individual", list, fitness=creator.FitnessMin)
    low, high = (list(b) for b in zip(*bounds, strict=True))
    d = len(bounds)
    toolbox = base.Toolbox()
    toolbox.register(
        "individual",
        lambda: creator.Individual(
            random.uniform(lo, hi) for lo, hi in zip(low, high, strict=True)
        ),
    )
    toolbox.register("population", tools.initRepeat, list, toolbox.individual)
    toolbox.register("evaluate", lambda ind: (obj(np.array(ind)),))
    toolbox.register("mate", tools.cxSimulatedBinaryBounded, eta=15.0, low=low, up=high)
    toolbox.register(
        "mutate", tools.mutPolynomialBounded, eta=20.0, low=low, up=high, indpb=1.0 / d
    )
    toolbox.register("select", tools.selTournament, tournsize=3)
    # With mutpb = 1 every child is re-evaluated: 50 (ngen + 1) evaluations.
    algorithms.eaSimple(
        toolbox.population(n=POPULATION),
        toolbox,
        cxpb=0.9,
        mutpb=1.0,
        ngen=math.ceil(obj.budget / POPULATION) - 1,
        halloffame=tools.HallOfFame(1),
        verbose=False,
    )


def bo_mlopt(obj, bounds, seed):
    bayesian_optimization(obj, bounds, n_calls=obj.budget, n_initial_points=BO_INITIAL, rng=seed)


def bo_skopt(obj, bounds, seed):
    from skopt import gp_minimize

    gp_minimize(
        lambda x: float(obj(np.array(x))),
        bounds,
        n_calls=obj.budget,
        n_initial_points=BO_INITIAL,
        random_state=seed,
    )


def bo_bayes_opt(obj, bounds, seed):
    from bayes_opt import BayesianOptimization

    (l1, u1), (l2, u2) = bounds
    opt = BayesianOptimization(
        f=lambda x1, x2: -float(obj(np.array([x1, x2]))),
        pbounds={"x1": (l1, u1), "x2": (l2, u2)},
        random_state=seed,
        verbose=0,
    )
    opt.maximize(init_points=BO_INITIAL, n_iter=obj.budget - BO_INITIAL)


LIBRARIES = {
    "pso": [("mlopt", pso_mlopt), ("pyswarms", pso_pyswarms)],
    "ga": [("mlopt", ga_mlopt), ("deap", ga_deap)],
    "bo": [
        ("mlopt", bo_mlopt),
        ("scikit-optimize", bo_skopt),
        ("bayesian-optimization", bo_bayes_opt),
    ],
}


# -- running and reporting ------------------------------------------------------------------


def problems(method, quick):
    """The (problem name, func, d, budget) of ``method``."""
    if method == "bo":
        return [("branin", branin, 2, QUICK["bo_calls"] if quick else BO_CALLS)]
    dims = QUICK["dimensions"] if quick else DIMENSIONS
    budget = QUICK["budget"] if quick else BUDGET
    out = [(f"{f.name}-{d}d", f, d, budget[d]) for f in FUNCTIONS for d in dims]
    out.append(("branin", branin, 2, QUICK["branin_budget"] if quick else BRANIN_BUDGET))
    if method == "pso" and not quick:
        out += [(f"{f.name}-shifted-{d}d", Shifted(f, d), d, budget[d]) for f, d in SHIFTED]
    return out


def run_problem(method, problem, func, d, budget, seeds):
    """Run every library of ``method`` on one problem, interleaved seed by seed."""
    bounds = func.bounds(d)
    libraries = []
    for library, run in LIBRARIES[method]:
        try:  # untimed warm-up: imports, caches
            run(Objective(func, BO_INITIAL + 1 if method == "bo" else 60), bounds, 0)
        except ImportError as exc:
            print(f"  {library}: not installed ({exc}); skipped", flush=True)
            continue
        libraries.append((library, run))
    rows = []
    for seed in seeds:
        for library, run in libraries:
            obj = Objective(func, budget)
            start = time.perf_counter()
            run(obj, bounds, seed)
            seconds = time.perf_counter() - start
            rows.append(
                {
                    "method": method,
                    "problem": problem,
                    "d": d,
                    "library": library,
                    "seed": seed,
                    "budget": budget,
                    "best": obj.best,
                    "regret": obj.best - func.minimum,
                    "nfev": obj.nfev,
                    "seconds": seconds,
                    "objective_seconds": obj.seconds,
                    "overhead_seconds_per_eval": (seconds - obj.seconds) / obj.nfev,
                }
            )
    return rows


def summarise(rows):
    groups = {}
    for row in rows:
        key = (row["method"], row["problem"], row["d"], row["library"])
        groups.setdefault(key, []).append(row)
    summary = []
    for (method, problem, d, library), group in groups.items():
        q25, q50, q75 = np.percentile([r["regret"] for r in group], [25, 50, 75])
        summary.append(
            {
                "method": method,
                "problem": problem,
                "d": d,
                "library": library,
                "seeds": len(group),
                "median": q50,
                "q25": q25,
                "q75": q75,
                "mean_nfev": float(np.mean([r["nfev"] for r in group])),
                "seconds_per_run": float(np.median([r["seconds"] for r in group])),
                "overhead_seconds_per_eval": float(
                    np.median([r["overhead_seconds_per_eval"] for r in group])
                ),
                "objective_seconds_per_eval": float(
                    np.median([r["objective_seconds"] / r["nfev"] for r in group])
                ),
            }
        )
    return summary


def print_table(summary):
    header = (
        f"{'method':<6} {'problem':<22} {'library':<22} {'median regret':>13} {'IQR':>21} "
        f"{'nfev':>6} {'s/run':>7} {'overhead/eval':>13}"
    )
    print(header)
    print("-" * len(header))
    for s in summary:
        iqr = f"[{s['q25']:.2e}, {s['q75']:.2e}]"
        print(
            f"{s['method']:<6} {s['problem']:<22} {s['library']:<22} {s['median']:>13.2e} "
            f"{iqr:>21} {s['mean_nfev']:>6.0f} {s['seconds_per_run']:>7.3f} "
            f"{s['overhead_seconds_per_eval']:>13.2e}"
        )


def machine(argv, wall_seconds):
    """Machine, library versions and the command, as (key, value) rows."""

    def pkg(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    cpu = cpu_model()
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
        "command": " ".join(["python benchmarks/derivative_free.py", *argv]),
        "wall_seconds": f"{wall_seconds:.0f}",
        "platform": platform.platform(),
        "processor": cpu,
        "cpu_count": os.cpu_count(),
        "load_average_1min_at_end": f"{os.getloadavg()[0]:.2f}",
        "python": platform.python_version(),
        "mlopt_commit": commit,
    }
    for name in [
        "numpy",
        "scipy",
        "scikit-learn",
        "pyswarms",
        "deap",
        "scikit-optimize",
        "bayesian-optimization",
    ]:
        info[name] = pkg(name)
    return [{"key": key, "value": value} for key, value in info.items()]


# Okabe-Ito colours, with a marker and a line style per library (colour-blind safe, and
# readable in grey).
STYLE = {
    "mlopt": ("#0072B2", "o", "-"),
    "pyswarms": ("#D55E00", "s", "--"),
    "deap": ("#E69F00", "D", "--"),
    "scikit-optimize": ("#CC79A7", "s", "--"),
    "bayesian-optimization": ("#009E73", "^", ":"),
}
FLOOR = 1e-16  # regrets below (including 0 and -2e-16 from rounding) are drawn here


def plot(summary, out, tag):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9})
    methods = [m for m in ["pso", "ga", "bo"] if any(s["method"] == m for s in summary)]
    titles = {
        "pso": "Particle swarm: mlopt vs pyswarms",
        "ga": "Genetic algorithm: mlopt vs DEAP",
        "bo": "BO on Branin",
    }
    # PSO on a row of its own, GA and BO side by side below it.
    layout = [row for row in (["pso"], ["ga", "bo"]) if any(m in methods for m in row)]
    layout = [[m for m in row if m in methods] for row in layout]
    width = 11 if methods != ["bo"] else 4
    fig = plt.figure(figsize=(width, 4.3 * len(layout)), facecolor="white")
    grid = fig.add_gridspec(len(layout), 1)
    axes = []
    for r, row in enumerate(layout):
        widths = [max(len({s["problem"] for s in summary if s["method"] == m}), 3) for m in row]
        sub = grid[r].subgridspec(1, len(row), width_ratios=widths)
        axes += [(fig.add_subplot(sub[0, c]), m) for c, m in enumerate(row)]
    for ax, method in axes:
        rows = [s for s in summary if s["method"] == method]
        names = list(dict.fromkeys(s["problem"] for s in rows))
        libs = list(dict.fromkeys(s["library"] for s in rows))
        for k, lib in enumerate(libs):
            colour, marker, style = STYLE.get(lib, ("#000000", "D", "-."))
            offset = (k - (len(libs) - 1) / 2) * 0.22
            pts = [(names.index(s["problem"]) + offset, s) for s in rows if s["library"] == lib]
            x = [p for p, _ in pts]
            med = np.array([max(s["median"], FLOOR) for _, s in pts])
            lo = med - np.array([max(s["q25"], FLOOR) for _, s in pts])
            hi = np.array([max(s["q75"], FLOOR) for _, s in pts]) - med
            bars = ax.errorbar(
                x, med, yerr=[lo, hi], fmt=marker, color=colour, mfc="white" if k else colour,
                ms=6, capsize=3, elinewidth=1.4, label=lib,
            )  # fmt: skip
            for line in bars[2]:
                line.set_linestyle(style)
        ax.set_yscale("log")
        ax.set_xticks(range(len(names)), names, rotation=60, ha="right")
        ax.set_xlim(-0.6, len(names) - 0.4)
        ax.set_title(titles[method])
        ax.grid(axis="y", color="0.85", linewidth=0.6)
        ax.set_facecolor("white")
        if method == "bo":  # room for the legend above the points
            low, high = ax.get_ylim()
            ax.set_ylim(low, high * (high / low) ** 0.6)
        ax.legend(loc="upper left", fontsize=7 if method == "bo" else 8, framealpha=0.9)
        ax.set_ylabel(f"regret: median and IQR (floor {FLOOR:g})")
    fig.tight_layout()
    fig.savefig(out / f"derivative_free{tag}.png", dpi=150, facecolor="white")
    plt.close(fig)

    # Time per evaluation: median over the problems of each method and dimension.
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.9), sharey=True, facecolor="white")
    groups = list(dict.fromkeys((s["method"], s["d"]) for s in summary))
    libs = list(dict.fromkeys(s["library"] for s in summary))
    panels = [
        ("overhead_seconds_per_eval", "in the optimiser (objective excluded)"),
        ("total", "in all (objective included)"),
    ]
    for ax, (column, title) in zip(axes, panels, strict=True):
        for k, lib in enumerate(libs):
            colour, marker, _ = STYLE.get(lib, ("#000000", "D", "-."))
            xs, ys = [], []
            for i, (method, d) in enumerate(groups):
                vals = [
                    s["seconds_per_run"] / s["mean_nfev"] if column == "total" else s[column]
                    for s in summary
                    if (s["method"], s["d"], s["library"]) == (method, d, lib)
                ]
                if vals:
                    xs.append(i + (k - (len(libs) - 1) / 2) * 0.12)
                    ys.append(np.median(vals))
            ax.plot(xs, ys, marker=marker, linestyle="none", color=colour, ms=7, label=lib,
                    mfc=colour if lib == "mlopt" else "white", mew=1.5)  # fmt: skip
        ax.set_yscale("log")
        ax.set_xticks(range(len(groups)), [f"{m} d={d}" for m, d in groups], rotation=30)
        ax.set_title(f"Seconds per evaluation {title}")
        ax.grid(axis="y", color="0.85", linewidth=0.6)
        ax.set_facecolor("white")
    axes[0].set_ylabel("seconds per evaluation (median over problems)")
    axes[0].legend(fontsize=8, framealpha=0.9)
    fig.tight_layout()
    fig.savefig(out / f"derivative_free_overhead{tag}.png", dpi=150, facecolor="white")
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: d = 2, 2 seeds")
    parser.add_argument("--seeds", type=int, help="number of seeds (default 10, quick 2)")
    parser.add_argument("--first-seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--only", choices=["pso", "ga", "bo"], action="append")
    parser.add_argument("--out", type=Path, help="output directory (default results/)")
    parser.add_argument(
        "--replot", action="store_true", help="only redraw the plots from the summary CSV"
    )
    args = parser.parse_args()
    n_seeds = args.seeds or (2 if args.quick else 10)
    seeds = range(args.first_seed, args.first_seed + n_seeds)
    methods = args.only or ["pso", "ga", "bo"]
    # Anything but the full default run writes files with a suffix.
    tag = "" if args.only is None else "_" + "_".join(methods)
    if n_seeds != (2 if args.quick else 10) or args.first_seed != 0:
        tag += f"_seeds{seeds[0]}-{seeds[-1]}"
    out = args.out or (Path(tempfile.gettempdir()) / "mlopt_bench_quick" if args.quick else RESULTS)
    if args.quick:
        tag += "_quick"
    out.mkdir(parents=True, exist_ok=True)
    if args.replot:
        with open(out / f"derivative_free_summary{tag}.csv") as file:
            summary = [
                {k: v if k in ("method", "problem", "library") else float(v) for k, v in r.items()}
                | {"d": int(r["d"]), "seeds": int(r["seeds"])}
                for r in csv.DictReader(file)
            ]
        plot(summary, out, tag)
        return
    warnings.simplefilter("ignore")  # the reference libraries' deprecation chatter
    logging.getLogger("pyswarms").setLevel(logging.ERROR)

    start = time.perf_counter()
    rows = []
    # One BLAS / OpenMP thread for every library (mlopt's GP fit uses one anyway): on the
    # shared 2-core machine, scikit-optimize with its default 2 threads ran 6x slower.
    with threadpool_limits(limits=1):
        for method in methods:
            for problem, func, d, budget in problems(method, args.quick):
                t = time.perf_counter()
                rows += run_problem(method, problem, func, d, budget, seeds)
                print(f"{method} {problem}: {time.perf_counter() - t:.1f} s", flush=True)
    wall = time.perf_counter() - start
    summary = summarise(rows)
    write_csv(out / f"derivative_free{tag}.csv", rows)
    write_csv(out / f"derivative_free_summary{tag}.csv", summary)
    write_csv(out / f"derivative_free_machine{tag}.csv", machine(sys.argv[1:], wall))
    plot(summary, out, tag)
    print()
    print_table(summary)
    print(f"\n{len(rows)} runs in {wall:.0f} s; results in {out}")


if __name__ == "__main__":
    main()
