"""Compare mlopt's derivative-free optimizers with the established libraries.

* ``bayesian_optimization`` vs scikit-optimize's ``gp_minimize`` and the
  ``bayesian-optimization`` package on Branin, 30 calls of which 5 initial points;
* ``particle_swarm`` vs pyswarms' ``GlobalBestPSO``, and ``genetic_algorithm`` vs DEAP
  (``eaSimple`` with SBX, polynomial mutation and tournament selection), at equal budgets
  of function evaluations, on sphere, rosenbrock, rastrigin and ackley in d = 2 and 10.

Every run is scored by its regret, the best value found minus the known minimum; the script
prints the median and interquartile range over the seeds and the time per run, and writes
one row per run to ``benchmarks/results/*.csv`` plus ``summary.csv``.

Run it in its own environment (see README.md), not in the book's .venv::

    /tmp/benchvenv/bin/python benchmarks/derivative_free.py            # everything, 10 seeds
    /tmp/benchvenv/bin/python benchmarks/derivative_free.py --only bo --seeds 3
    /tmp/benchvenv/bin/python benchmarks/derivative_free.py --only bo --first-seed 10
"""

from __future__ import annotations

import argparse
import csv
import random
import time
import warnings
from pathlib import Path

import numpy as np

from mlopt.bayesian_optimization import bayesian_optimization
from mlopt.functions import ackley, branin, rastrigin, rosenbrock, sphere
from mlopt.genetic_algorithm import genetic_algorithm
from mlopt.particle_swarm import particle_swarm

RESULTS = Path(__file__).resolve().parent / "results"
FUNCTIONS = [sphere, rosenbrock, rastrigin, ackley]
DIMENSIONS = [2, 10]
# Equal budgets: PSO with 30 particles for ITERATIONS[d] iterations evaluates
# 30 * (ITERATIONS[d] + 1) points; the GA with 50 individuals and elitism 1 evaluates
# 50 + 49 * GENERATIONS[d] points (DEAP's eaSimple about 50 per generation: it re-evaluates
# only the changed individuals, and the actual counts are written to the CSV).
ITERATIONS = {2: 200, 10: 500}
GENERATIONS = {2: 100, 10: 300}
PSO = {"w": 0.7298, "c1": 1.49618, "c2": 1.49618}

# -- one run of each library; each returns (best value, number of evaluations) ------------


def counted(func):
    """Wrap ``func`` to count point evaluations (one call may hold many rows)."""
    calls = [0]

    def wrapper(x):
        x = np.asarray(x, dtype=float)
        calls[0] += 1 if x.ndim == 1 else x.shape[0]
        return func(x)

    return wrapper, calls


def bo_mlopt(seed):
    res = bayesian_optimization(branin, branin.bounds(), n_calls=30, n_initial_points=5, rng=seed)
    return res.fun, res.nfev


def bo_skopt(seed):
    from skopt import gp_minimize

    f, calls = counted(branin)
    res = gp_minimize(
        lambda x: float(f(x)), branin.bounds(), n_calls=30, n_initial_points=5, random_state=seed
    )
    return float(res.fun), calls[0]


def bo_bayes_opt(seed):
    from bayes_opt import BayesianOptimization

    f, calls = counted(branin)
    (l1, u1), (l2, u2) = branin.bounds()
    opt = BayesianOptimization(
        f=lambda x1, x2: -float(f([x1, x2])),
        pbounds={"x1": (l1, u1), "x2": (l2, u2)},
        random_state=seed,
        verbose=0,
    )
    opt.maximize(init_points=5, n_iter=25)
    return -float(opt.max["target"]), calls[0]


def pso_mlopt(func, d, seed):
    res = particle_swarm(func, func.bounds(d), n_particles=30, max_iter=ITERATIONS[d], rng=seed)
    return res.fun, res.nfev


def pso_pyswarms(func, d, seed):
    from pyswarms.single import GlobalBestPSO

    np.random.seed(seed)  # noqa: NPY002 (pyswarms draws from NumPy's global generator)
    f, calls = counted(func)
    low, high = np.array(func.bounds(d)).T
    opt = GlobalBestPSO(n_particles=30, dimensions=d, options=PSO, bounds=(low, high))
    # pyswarms evaluates the swarm at the start of each of its iterations: ITERATIONS + 1
    # of them match mlopt's initial swarm plus ITERATIONS moves.
    cost, _ = opt.optimize(f, iters=ITERATIONS[d] + 1, verbose=False)
    return float(cost), calls[0]


def ga_mlopt(func, d, seed):
    res = genetic_algorithm(
        func, func.bounds(d), population_size=50, generations=GENERATIONS[d], rng=seed
    )
    return res.fun, res.nfev


def ga_deap(func, d, seed):
    from deap import algorithms, base, creator, tools

    random.seed(seed)
    if not hasattr(creator, "FitnessMin"):
        creator.create("FitnessMin", base.Fitness, weights=(-1.0,))
        creator.create("Individual", list, fitness=creator.FitnessMin)
    low, high = (list(b) for b in zip(*func.bounds(d), strict=True))
    f, calls = counted(func)
    toolbox = base.Toolbox()
    toolbox.register(
        "individual",
        lambda: creator.Individual(
            random.uniform(lo, hi) for lo, hi in zip(low, high, strict=True)
        ),
    )
    toolbox.register("population", tools.initRepeat, list, toolbox.individual)
    toolbox.register("evaluate", lambda ind: (float(f(np.array(ind))),))
    toolbox.register("mate", tools.cxSimulatedBinaryBounded, eta=15.0, low=low, up=high)
    toolbox.register(
        "mutate", tools.mutPolynomialBounded, eta=20.0, low=low, up=high, indpb=1.0 / d
    )
    toolbox.register("select", tools.selTournament, tournsize=3)
    hof = tools.HallOfFame(1)
    algorithms.eaSimple(
        toolbox.population(n=50),
        toolbox,
        cxpb=0.9,
        mutpb=1.0,
        ngen=GENERATIONS[d],
        halloffame=hof,
        verbose=False,
    )
    return float(hof[0].fitness.values[0]), calls[0]


# -- running and reporting ------------------------------------------------------------------


def measure(name, library, run, problem, minimum, seeds):
    rows = []
    for seed in seeds:
        start = time.perf_counter()
        try:
            best, nfev = run(seed)
        except ImportError as exc:  # the reference library is not installed
            print(f"  {library}: not installed ({exc}); skipped")
            return []
        seconds = time.perf_counter() - start
        rows.append(
            {
                "method": name,
                "library": library,
                "problem": problem,
                "seed": seed,
                "regret": best - minimum,
                "nfev": nfev,
                "seconds": seconds,
            }
        )
    return rows


def summarise(rows):
    groups = {}
    for row in rows:
        groups.setdefault((row["method"], row["problem"], row["library"]), []).append(row)
    summary = []
    for (method, problem, library), group in groups.items():
        regret = np.array([r["regret"] for r in group])
        q25, q50, q75 = np.percentile(regret, [25, 50, 75])
        summary.append(
            {
                "method": method,
                "problem": problem,
                "library": library,
                "seeds": len(group),
                "median_regret": q50,
                "q25_regret": q25,
                "q75_regret": q75,
                "mean_nfev": float(np.mean([r["nfev"] for r in group])),
                "seconds_per_run": float(np.mean([r["seconds"] for r in group])),
            }
        )
    return summary


def print_table(summary):
    header = f"{'method':<5} {'problem':<14} {'library':<22} {'median regret':>13} "
    header += f"{'IQR':>21} {'nfev':>7} {'s/run':>7}"
    print(header)
    print("-" * len(header))
    for s in summary:
        iqr = f"[{s['q25_regret']:.2e}, {s['q75_regret']:.2e}]"
        print(
            f"{s['method']:<5} {s['problem']:<14} {s['library']:<22} "
            f"{s['median_regret']:>13.2e} {iqr:>21} {s['mean_nfev']:>7.0f} "
            f"{s['seconds_per_run']:>7.2f}"
        )


def write_csv(path, rows):
    if not rows:
        return
    with open(path, "w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (default 10)")
    parser.add_argument("--first-seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--only", choices=["bo", "pso", "ga"], action="append")
    args = parser.parse_args()
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    parts = args.only or ["bo", "pso", "ga"]
    # Runs on other seeds than 0-9 go to their own files.
    tag = "" if args.first_seed == 0 else f"_seeds{seeds[0]}-{seeds[-1]}"
    warnings.simplefilter("ignore")  # the reference libraries' deprecation chatter
    RESULTS.mkdir(exist_ok=True)
    all_rows = []

    if "bo" in parts:
        print("Bayesian optimisation on branin, 30 calls (5 initial points)", flush=True)
        rows = []
        for library, run in [
            ("mlopt", bo_mlopt),
            ("scikit-optimize", bo_skopt),
            ("bayesian-optimization", bo_bayes_opt),
        ]:
            rows += measure("bo", library, run, "branin", branin.minimum, seeds)
            print(f"  {library} done", flush=True)
        write_csv(RESULTS / f"bo_branin{tag}.csv", rows)
        all_rows += rows

    for part, runs in [
        ("pso", [("mlopt", pso_mlopt), ("pyswarms", pso_pyswarms)]),
        ("ga", [("mlopt", ga_mlopt), ("deap", ga_deap)]),
    ]:
        if part not in parts:
            continue
        print(f"{part} on {', '.join(f.name for f in FUNCTIONS)}, d = 2 and 10", flush=True)
        rows = []
        for func in FUNCTIONS:
            for d in DIMENSIONS:
                for library, run in runs:
                    rows += measure(
                        part,
                        library,
                        lambda seed, run=run, func=func, d=d: run(func, d, seed),
                        f"{func.name}-{d}d",
                        func.minimum,
                        seeds,
                    )
        write_csv(RESULTS / f"{part}{tag}.csv", rows)
        all_rows += rows

    summary = summarise(all_rows)
    suffix = "" if parts == ["bo", "pso", "ga"] else "_" + "_".join(parts)
    write_csv(RESULTS / f"summary{suffix}{tag}.csv", summary)
    print()
    print_table(summary)


if __name__ == "__main__":
    main()
