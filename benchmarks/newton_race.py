"""The race of the chapter "Newton, quasi-Newton methods and line search", with wall times.

The chapter prints iterations and evaluations, which are the same on every machine, and only
conclusions about wall time that hold with a wide margin. This script prints the timings:

1. the race: gradient descent, Nesterov, Adam, `mlopt.newton`, `mlopt.lbfgs`, SciPy's
   L-BFGS-B and scikit-learn's `newton-cholesky` and `lbfgs` on the chapter's two problems
   (breast-cancer logistic regression with alpha = 0.01, d = 31; Rosenbrock from (-1.2, 1)),
   each stopped at max |gradient| <= 1e-6 or after 3000 steps: iterations, evaluations, and
   the best of `--repeats` wall times (after one warm-up run);
2. the crossover: synthetic logistic regression (make_classification, n = 1000, alpha = 1e-3)
   of growing dimension d, `mlopt.newton` against `mlopt.lbfgs` and scikit-learn's
   `newton-cholesky` against its `lbfgs`, best of `--repeats` wall times to the same
   tolerance; the crossover is the smallest d at which Newton is the slower.

Run from the repository's root: ``.venv/bin/python benchmarks/newton_race.py`` (about a
minute; ``--quick`` for a smoke test of a few seconds). Nothing is written to ``results/``.
Timings depend on the machine, its load and its BLAS threads (``OPENBLAS_NUM_THREADS``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize as scipy_minimize
from scipy.special import expit
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_model  # noqa: E402

import mlopt  # noqa: E402
from mlopt.functions import rosenbrock  # noqa: E402
from mlopt.linear_model import flat_objective  # noqa: E402
from mlopt.optimizers import SGD, Adam  # noqa: E402

MAX_ITER = 3000


def logistic_problem(X, y, alpha):
    """(fun, hess, L) of the penalised logistic regression, theta = (w, b)."""
    n, d = X.shape
    fun = flat_objective(X, y, loss="binomial", alpha=alpha)
    X_tilde = np.column_stack([X, np.ones(n)])
    penalty = alpha * np.diag(np.append(np.ones(d), 0.0))

    def hess(theta):
        p = expit(X_tilde @ theta)
        return X_tilde.T @ ((p * (1 - p))[:, None] * X_tilde) / n + penalty

    L = np.linalg.eigvalsh(X_tilde.T @ X_tilde / n)[-1] / 4 + alpha
    return fun, hess, L


def rosenbrock_hessian(point):
    x, y = point
    return np.array([[2 - 400 * (y - 3 * x**2), -400 * x], [-400 * x, 200.0]])


def best_time(run, repeats):
    """(result, best wall time of `repeats` runs after one warm-up)."""
    result = run()
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        run()
        times.append(time.perf_counter() - begin)
    return result, min(times)


def race(repeats):
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(
        X_bc, 1 - y_bc, test_size=0.25, random_state=0, stratify=1 - y_bc
    )
    Z = StandardScaler().fit_transform(X_train)
    n, d = Z.shape
    alpha = 0.01
    logistic, logistic_hessian, L = logistic_problem(Z, y_train, alpha)

    def rosen_pair(x):
        return rosenbrock(x), rosenbrock.grad(x)

    problems = {
        "logistic": (logistic, logistic, np.zeros(d + 1), logistic_hessian, 1 / L),
        "Rosenbrock": (rosenbrock, rosen_pair, np.array([-1.2, 1.0]), rosenbrock_hessian, 1e-3),
    }
    runs = {
        "gradient descent": lambda f, pair, x0, h, lr: mlopt.minimize(
            f, x0, optimizer=SGD(lr=lr), max_iter=MAX_ITER, history=False
        ),
        "Nesterov": lambda f, pair, x0, h, lr: mlopt.minimize(
            f,
            x0,
            optimizer=SGD(lr=lr, momentum=0.9, nesterov=True),
            max_iter=MAX_ITER,
            history=False,
        ),
        "Adam": lambda f, pair, x0, h, lr: mlopt.minimize(
            f, x0, optimizer=Adam(lr=0.01), max_iter=MAX_ITER, history=False
        ),
        "mlopt.newton": lambda f, pair, x0, h, lr: mlopt.newton(f, x0, hess=h, history=False),
        "mlopt.lbfgs": lambda f, pair, x0, h, lr: mlopt.lbfgs(f, x0, history=False),
        "SciPy L-BFGS-B": lambda f, pair, x0, h, lr: scipy_minimize(
            pair, x0, jac=True, method="L-BFGS-B", options={"gtol": 1e-6, "ftol": 0.0}
        ),
    }
    for solver in ("newton-cholesky", "lbfgs"):
        runs[f"scikit-learn {solver}"] = lambda f, pair, x0, h, lr, solver=solver: (
            LogisticRegression(C=1 / (n * alpha), solver=solver, tol=1e-6, max_iter=MAX_ITER).fit(
                Z, y_train
            )
        )
    print(f"\nThe race (best of {repeats} wall times; max |gradient| <= 1e-6 or {MAX_ITER} steps)")
    header = f"{'method':30s}"
    for problem in problems:
        header += f"{problem + ': iter':>18s}{'evals':>7s}{'time (ms)':>11s}"
    print(header)
    table = {}
    for method, run in runs.items():
        row = f"{method:30s}"
        for problem, args in problems.items():
            if method.startswith("scikit") and problem != "logistic":
                row += f"{'':36s}"
                continue
            res, seconds = best_time(lambda run=run, args=args: run(*args), repeats)
            table[problem, method] = seconds
            if isinstance(res, LogisticRegression):
                row += f"{res.n_iter_[0]:18d}{'':>7s}{1e3 * seconds:11.2f}"
            else:
                done = np.max(np.abs(res.jac)) <= 1e-6
                iterations = f"{res.nit}" if done else f">{res.nit}"
                row += f"{iterations:>18s}{res.nfev:7d}{1e3 * seconds:11.2f}"
        print(row)
    for problem in problems:
        gd = table[problem, "gradient descent"]
        print(
            f"{problem}: gradient descent / Newton time {gd / table[problem, 'mlopt.newton']:.0f}, "
            f"gradient descent / L-BFGS time {gd / table[problem, 'mlopt.lbfgs']:.0f}, "
            f"mlopt.lbfgs / SciPy L-BFGS-B time "
            f"{table[problem, 'mlopt.lbfgs'] / table[problem, 'SciPy L-BFGS-B']:.2f}"
        )


def crossover(dimensions, repeats, n=1000, alpha=1e-3):
    print(f"\nThe crossover (synthetic logistic regression, n = {n}, best of {repeats})")
    print(
        f"{'d':>6s}{'newton it':>10s}{'lbfgs it':>9s}{'lbfgs ev':>9s}{'newton ms':>11s}"
        f"{'lbfgs ms':>10s}{'sk newton ms':>14s}{'sk lbfgs ms':>13s}"
    )
    first_slower = {}
    for d in dimensions:
        X, y = make_classification(n_samples=n, n_features=d, n_informative=d // 2, random_state=0)
        X = StandardScaler().fit_transform(X)
        fun, hess, _ = logistic_problem(X, y, alpha)
        x0 = np.zeros(d + 1)
        res_n, t_n = best_time(
            lambda fun=fun, x0=x0, hess=hess: mlopt.newton(fun, x0, hess=hess, history=False),
            repeats,
        )
        res_l, t_l = best_time(lambda fun=fun, x0=x0: mlopt.lbfgs(fun, x0, history=False), repeats)
        sk = {}
        for solver in ("newton-cholesky", "lbfgs"):
            _, sk[solver] = best_time(
                lambda solver=solver, X=X, y=y: LogisticRegression(
                    C=1 / (n * alpha), solver=solver, tol=1e-6, max_iter=10_000
                ).fit(X, y),
                repeats,
            )
        print(
            f"{d:6d}{res_n.nit:10d}{res_l.nit:9d}{res_l.nfev:9d}{1e3 * t_n:11.1f}"
            f"{1e3 * t_l:10.1f}{1e3 * sk['newton-cholesky']:14.1f}{1e3 * sk['lbfgs']:13.1f}"
        )
        if t_n > t_l:
            first_slower.setdefault("mlopt", d)
        if sk["newton-cholesky"] > sk["lbfgs"]:
            first_slower.setdefault("scikit-learn", d)
    for who in ("mlopt", "scikit-learn"):
        print(f"{who}: Newton first slower than L-BFGS at d = {first_slower.get(who, 'none')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test of a few seconds")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"CPU: {cpu_model()}; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    repeats = 1 if args.quick else args.repeats
    race(repeats)
    dimensions = [10, 100] if args.quick else [10, 30, 100, 200, 300, 1000]
    crossover(dimensions, repeats)


if __name__ == "__main__":
    main()
