"""Compare mlopt's gradient-descent estimators with scikit-learn's linear models.

``LinearRegressionGD`` is compared with ``Ridge`` (direct solver) and ``SGDRegressor``;
``LogisticRegressionGD`` with ``LogisticRegression(solver="lbfgs")`` and ``SGDClassifier``
(``loss="log_loss"``, binary problems only: for more classes it fits one-vs-rest, another
objective). Every estimator minimises the same L2-regularised objective of mlopt,

    J(w, b) = (1/n) sum_i loss(y_i, w.x_i + b) + (alpha/2) ||w||^2,    alpha = 0.01,

with the half squared error or the cross-entropy as the loss: ``Ridge(alpha=n * alpha)``,
``LogisticRegression(C=1 / (n * alpha))``, ``SGDRegressor(alpha=alpha)`` and
``SGDClassifier(alpha=alpha)`` have the same minimiser (the script checks it). mlopt runs in
two settings: its default (full-batch gradient descent, step 1/L) and the same with Nesterov
momentum 0.9 (``optimizer=SGD(lr=1/L, momentum=0.9, nesterov=True)``, L computed as mlopt does).

The optimum J* is computed once per problem (closed form for least squares, SciPy's L-BFGS with
gradient tolerance 1e-12 for the cross-entropy). The metric is the **time to target**: the
wall time of the cheapest ``fit`` whose solution has J(w) - J* <= 1e-6 * max(1, |J*|), J always
computed by the same function (``mlopt.linear_model.smooth_objective_and_gradient``, checked at
start against an independent implementation). "Cheapest" means the smallest ``max_iter``
(epochs or L-BFGS iterations) with ``tol`` switched off (``tol=None`` for mlopt and the SGD
estimators, ``tol=0`` for L-BFGS), the same rule for both sides. It is found by growing
``max_iter`` geometrically until the target is reached (mlopt's ``loss_curve_`` then gives
the first epoch that reaches it; for scikit-learn a bisection narrows it to within 1/16) or
until the search's time budget (3 s per method and problem; 25 s and max_iter <= 128 for
n = 1e6) is spent; a method that does not reach the target is recorded with the gap and the
time of its bounded run. The timed fits (after one warm-up fit) interleave the methods and are
repeated; the summary takes the median. The script also records the test R^2 / accuracy on a
held-out split and the distance of the coefficients to the optimum.

All libraries run with one BLAS / OpenMP thread (``--threads``): on a loaded 2-core machine
multithreaded OpenBLAS made SciPy's L-BFGS-B, with its many tiny BLAS calls, up to 70 times
slower, which would measure thread contention rather than the algorithms.

Problems: ``load_diabetes`` (regression), ``load_breast_cancer`` (binary), ``load_wine``
(3 classes), 25 % held out, and synthetic ``make_regression`` / ``make_classification`` data
with 20 features and n = 1e3, 1e4, 1e5, 1e6 training samples; features standardised, targets
not. Seeds 0-2 (data, split and SGD shuffling), 5 timed fits per method (3 for n = 1e5);
n = 1e6 runs seed 0 only, without separate warm-up, 5 timed fits but one if it takes over 1 s,
to keep the full run at about 5 minutes on 2 cores.

Outputs: ``benchmarks/results/estimators.csv`` (one row per timed fit),
``estimators_summary.csv``, ``estimators_machine.csv`` and ``estimators.png``. Run::

    python benchmarks/estimators.py            # full run, about 5 minutes on 2 cores
    python benchmarks/estimators.py --quick    # smoke test: small problems, 2 seeds
    python benchmarks/estimators.py --profile  # cProfile of mlopt's fits (text output)
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import scipy
import sklearn
from _common import cpu_model, write_csv
from scipy.optimize import minimize
from scipy.special import expit, log_expit, softmax
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_wine,
    make_classification,
    make_regression,
)
from sklearn.linear_model import (
    LogisticRegression,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from sklearn.metrics import log_loss, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits

import mlopt
from mlopt.linear_model import (
    LinearRegressionGD,
    LogisticRegressionGD,
    smooth_objective_and_gradient,
)
from mlopt.optimizers import SGD

RESULTS = Path(__file__).resolve().parent / "results"
ALPHA = 0.01  # mlopt's alpha on every problem; converted for scikit-learn below
RTOL = 1e-6  # target: J - J* <= RTOL * max(1, |J*|)
N_FEATURES = 20  # synthetic data
SIZES = [1_000, 10_000, 100_000, 1_000_000]
MAX_EPOCHS = 100_000  # hard cap on max_iter in the search
BIG_CAP = 128  # cap on max_iter for n = 1e6
BIG_BUDGET = 25.0  # seconds of search per method for n = 1e6
MOMENTUM = 0.9
LOSS = {"regression": "squared_error", "binary": "binomial", "multiclass": "multinomial"}


# -- problems and the objective --------------------------------------------------------------


@dataclass
class Problem:
    name: str  # e.g. "diabetes", "synthetic-classification"
    kind: str  # "regression", "binary" or "multiclass"
    seed: int
    X: np.ndarray  # training features, standardised
    y: np.ndarray  # training targets (class indices 0..K-1 for classification)
    X_test: np.ndarray
    y_test: np.ndarray
    J_star: float = np.nan
    theta_star: np.ndarray | None = None

    @property
    def n(self):
        return self.X.shape[0]

    @property
    def n_outputs(self):
        return len(np.unique(self.y)) if self.kind == "multiclass" else 1

    @property
    def target(self):
        return RTOL * max(1.0, abs(self.J_star))


def load_problem(name, seed, n=None):
    """Standardised train / test split of a bundled data set or of synthetic data."""
    if name == "synthetic-regression":
        n_test = min(n // 4, 100_000)
        X, y = make_regression(
            n + n_test, N_FEATURES, n_informative=10, noise=10.0, random_state=seed
        )
        kind = "regression"
    elif name == "synthetic-classification":
        n_test = min(n // 4, 100_000)
        X, y = make_classification(
            n + n_test, N_FEATURES, n_informative=10, n_redundant=0, random_state=seed
        )
        kind = "binary"
    else:
        loader, kind = {
            "diabetes": (load_diabetes, "regression"),
            "breast_cancer": (load_breast_cancer, "binary"),
            "wine": (load_wine, "multiclass"),
        }[name]
        X, y = loader(return_X_y=True)
        n, n_test = None, 0.25
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=n, test_size=n_test, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    return Problem(
        name, kind, seed, scaler.transform(X_train), y_train, scaler.transform(X_test), y_test
    )


def unpack(problem, theta):
    d = problem.X.shape[1]
    K = problem.n_outputs
    return theta[: K * d].reshape(K, d), theta[K * d :]


def objective(problem, coef, intercept):
    """THE objective J of every solution: mlopt's smooth part (no L1 term here)."""
    W = np.atleast_2d(coef)
    b = np.atleast_1d(np.asarray(intercept, dtype=float))
    f, _, _ = smooth_objective_and_gradient(
        W, b, problem.X, problem.y, loss=LOSS[problem.kind], alpha=ALPHA
    )
    return f


def independent_objective(problem, coef, intercept):
    """The same J written with scikit-learn's metrics, to check :func:`objective`."""
    W = np.atleast_2d(coef)
    Z = problem.X @ W.T + intercept
    penalty = 0.5 * ALPHA * np.sum(W**2)
    if problem.kind == "regression":
        return 0.5 * mean_squared_error(problem.y, Z[:, 0]) + penalty
    if problem.kind == "binary":
        return log_loss(problem.y, expit(Z[:, 0]), labels=[0, 1]) + penalty
    return log_loss(problem.y, softmax(Z, axis=1), labels=np.arange(W.shape[0])) + penalty


def check_objective():
    """Largest relative difference between the two implementations of J at random points."""
    rng = np.random.default_rng(0)
    worst = 0.0
    for name in ["diabetes", "breast_cancer", "wine"]:
        p = load_problem(name, seed=0)
        d = p.X.shape[1]
        for _ in range(3):
            W = rng.normal(scale=0.3, size=(p.n_outputs, d))
            b = rng.normal(size=p.n_outputs)
            a, c = objective(p, W, b), independent_objective(p, W, b)
            worst = max(worst, abs(a - c) / abs(c))
    assert worst < 1e-12, f"the two objectives differ by {worst:.2e}"
    return worst


def solve_optimum(problem):
    """J* and the minimiser (W*, b*) flattened, to high accuracy."""
    X, y = problem.X, problem.y
    if problem.kind == "regression":  # closed form: centre, then (Xc'Xc/n + alpha I) w = Xc'yc/n
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc = X - x_mean
        w = np.linalg.solve(
            Xc.T @ Xc / problem.n + ALPHA * np.eye(X.shape[1]), Xc.T @ (y - y_mean) / problem.n
        )
        theta = np.concatenate([w, [y_mean - x_mean @ w]])
    else:
        K, d = problem.n_outputs, X.shape[1]

        def fun(theta):
            W, b = unpack(problem, theta)
            f, gW, gb = smooth_objective_and_gradient(
                W, b, X, y, loss=LOSS[problem.kind], alpha=ALPHA
            )
            return f, np.concatenate([gW.ravel(), np.atleast_1d(gb)])

        res = minimize(
            fun,
            np.zeros(K * d + K),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": 10_000, "maxcor": 30, "gtol": 1e-12, "ftol": 0.0},
        )
        assert np.max(np.abs(res.jac)) < 1e-8, f"{problem.name}: J* not accurate"
        theta = res.x
    problem.theta_star = theta
    problem.J_star = objective(problem, *unpack(problem, theta))


# -- the methods ------------------------------------------------------------------------------


def lipschitz(problem):
    """L of the smooth objective, as mlopt computes it (largest eigenvalue of [X, 1]'[X, 1]/n)."""
    X = problem.X
    n, d = X.shape
    gram = np.empty((d + 1, d + 1))
    gram[:d, :d] = X.T @ X
    gram[:d, d] = gram[d, :d] = X.sum(axis=0)
    gram[d, d] = n
    curvature = {"regression": 1.0, "binary": 0.25, "multiclass": 0.5}[problem.kind]
    return curvature * np.linalg.eigvalsh(gram / n)[-1] + ALPHA


def fit_mlopt(problem, epochs, seed):
    Est = LinearRegressionGD if problem.kind == "regression" else LogisticRegressionGD
    return Est(alpha=ALPHA, max_iter=epochs, tol=None).fit(problem.X, problem.y)


def fit_mlopt_nesterov(problem, epochs, seed):
    Est = LinearRegressionGD if problem.kind == "regression" else LogisticRegressionGD
    optimizer = SGD(lr=1.0 / lipschitz(problem), momentum=MOMENTUM, nesterov=True)
    return Est(alpha=ALPHA, optimizer=optimizer, max_iter=epochs, tol=None).fit(
        problem.X, problem.y
    )


def fit_ridge(problem, _, seed):
    return Ridge(alpha=ALPHA * problem.n).fit(problem.X, problem.y)


def fit_lbfgs(problem, iterations, seed):
    C = 1.0 / (problem.n * ALPHA)
    return LogisticRegression(C=C, solver="lbfgs", max_iter=iterations, tol=0.0).fit(
        problem.X, problem.y
    )


def fit_sgd_regressor(problem, epochs, seed):
    return SGDRegressor(alpha=ALPHA, max_iter=epochs, tol=None, random_state=seed).fit(
        problem.X, problem.y
    )


def fit_sgd_classifier(problem, epochs, seed):
    return SGDClassifier(
        loss="log_loss", alpha=ALPHA, max_iter=epochs, tol=None, random_state=seed
    ).fit(problem.X, problem.y)


@dataclass
class Method:
    name: str  # the label in the CSVs and the plot
    library: str
    fit: object  # fit(problem, setting, seed) -> fitted estimator
    knob: str  # what the setting counts: "epochs", "iterations" or "" (direct solver)
    kinds: tuple  # the problem kinds it handles
    start: int = 1  # the first max_iter of the search
    curve: bool = False  # whether the fitted estimator has mlopt's loss_curve_


METHODS = [
    Method("mlopt GD", "mlopt", fit_mlopt, "epochs", tuple(LOSS), 16, True),
    Method("mlopt GD+Nesterov", "mlopt", fit_mlopt_nesterov, "epochs", tuple(LOSS), 16, True),
    Method("sklearn Ridge", "scikit-learn", fit_ridge, "", ("regression",)),
    Method("sklearn SGDRegressor", "scikit-learn", fit_sgd_regressor, "epochs", ("regression",)),
    Method(
        "sklearn LogisticRegression(lbfgs)",
        "scikit-learn",
        fit_lbfgs,
        "iterations",
        ("binary", "multiclass"),
    ),
    Method("sklearn SGDClassifier", "scikit-learn", fit_sgd_classifier, "epochs", ("binary",)),
]


def timed_fit(method, problem, setting):
    """Fit and time it, with the garbage collector off (as ``timeit`` does)."""
    gc.disable()
    try:
        start = time.perf_counter()
        est = method.fit(problem, setting, problem.seed)
        seconds = time.perf_counter() - start
    finally:
        gc.enable()
    return est, seconds


def gap_of(problem, est):
    return objective(problem, est.coef_, est.intercept_) - problem.J_star


def search(method, problem, budget, cap=MAX_EPOCHS):
    """The cheapest max_iter that reaches the target: (setting, reached, search fits).

    max_iter grows geometrically (x2; x4 for mlopt, whose loss curve gives the first epoch
    that reaches the target) until the target is reached, max_iter reaches ``cap``, or the
    next fit, predicted from the last one, would take the search past ``budget`` seconds in
    all; then a last fit uses what remains of the budget. For scikit-learn a bisection then
    narrows the setting to within 1/16 (about 6 %), while the budget lasts.
    """
    if not method.knob:
        return None, True, 0
    k, last_fail, probes, spent = min(method.start, cap), 0, 0, 0.0
    while True:
        est, seconds = timed_fit(method, problem, k)
        probes, spent = probes + 1, spent + seconds
        if method.curve:  # mlopt records J after every epoch: read the first success off it
            hits = np.flatnonzero(est.loss_curve_ - problem.J_star <= problem.target)
            if hits.size:
                return int(hits[0]) + 1, True, probes
        elif gap_of(problem, est) <= problem.target:
            lo, hi = last_fail, k  # bisection: lo fails, hi reaches
            while hi - lo > max(1, hi // 16) and spent < budget:
                mid = (lo + hi) // 2
                est, seconds = timed_fit(method, problem, mid)
                probes, spent = probes + 1, spent + seconds
                if gap_of(problem, est) <= problem.target:
                    hi = mid
                else:
                    lo = mid
            return hi, True, probes
        per_iteration = seconds / k
        nxt = min(k * (4 if method.curve else 2), cap)
        if spent + per_iteration * nxt > budget:  # fill the rest of the budget instead
            nxt = min(int((budget - spent) / per_iteration), cap)
        if nxt <= k:
            return k, False, probes
        last_fail, k = k, nxt


def score(problem, est):
    """Test R^2 (regression) or accuracy (classification)."""
    return est.score(problem.X_test, problem.y_test)


def run_problem(problem, repeats, budget, cap=MAX_EPOCHS, warm_up=True, repeat_limit=np.inf):
    """Search, warm up, then time each method ``repeats`` times, interleaved.

    A method that did not reach the target is timed once (its bounded run), without warm-up:
    the search has just run the same fit. So is a method whose first timed fit took more than
    ``repeat_limit`` seconds.
    """
    first_seconds = {}
    t0 = time.perf_counter()
    solve_optimum(problem)
    t_opt = time.perf_counter() - t0
    methods = [m for m in METHODS if problem.kind in m.kinds]
    settings = {}
    for m in methods:
        settings[m.name] = search(m, problem, budget, cap)
        if warm_up and settings[m.name][1]:
            timed_fit(m, problem, settings[m.name][0])
    rows = []
    for repeat in range(repeats):
        for m in methods:
            setting, reached, probes = settings[m.name]
            if repeat > 0 and (not reached or first_seconds.get(m.name, 0.0) > repeat_limit):
                continue
            est, seconds = timed_fit(m, problem, setting)
            first_seconds.setdefault(m.name, seconds)
            gap = gap_of(problem, est)
            W, b = np.atleast_2d(est.coef_), np.atleast_1d(est.intercept_)
            theta = np.concatenate([W.ravel(), b])
            coef_err = np.linalg.norm(theta - problem.theta_star) / np.linalg.norm(
                problem.theta_star
            )
            rows.append(
                {
                    "problem": problem.name,
                    "kind": problem.kind,
                    "n": problem.n,
                    "d": problem.X.shape[1],
                    "classes": problem.n_outputs if problem.kind == "multiclass" else "",
                    "seed": problem.seed,
                    "method": m.name,
                    "library": m.library,
                    "repeat": repeat,
                    "knob": m.knob,
                    "setting": "" if setting is None else setting,
                    "search_fits": probes,
                    "reached": bool(gap <= problem.target),
                    "seconds": seconds,
                    "J_star": problem.J_star,
                    "gap": gap,
                    "gap_over_target": gap / problem.target,
                    "coef_rel_err": coef_err,
                    "test_score": score(problem, est),
                    "score_name": "R2" if problem.kind == "regression" else "accuracy",
                    "J_star_seconds": t_opt,
                }
            )
            assert rows[-1]["reached"] == reached or not reached, (m.name, problem.name)
    return rows


# -- reporting --------------------------------------------------------------------------------


def summarise(rows):
    """Median over repeats, then over seeds; time ratios against mlopt GD within each run."""
    groups = {}
    for r in rows:
        groups.setdefault((r["problem"], r["n"], r["method"]), []).append(r)
    per_seed = {}  # (problem, n, method, seed) -> median seconds
    for r in rows:
        per_seed.setdefault((r["problem"], r["n"], r["method"], r["seed"]), []).append(r["seconds"])
    per_seed = {key: float(np.median(v)) for key, v in per_seed.items()}
    reached = {}
    for r in rows:
        key = (r["problem"], r["n"], r["method"], r["seed"])
        reached[key] = reached.get(key, True) and r["reached"]
    summary = []
    for (problem, n, method), group in groups.items():
        seeds = sorted({r["seed"] for r in group})
        seconds = [per_seed[(problem, n, method, s)] for s in seeds]
        # mlopt GD's time over this method's, for the seeds where both reached the target
        ratio = []
        for s in seeds:
            this, gd = (problem, n, method, s), (problem, n, "mlopt GD", s)
            if reached[this] and reached[gd]:
                ratio.append(per_seed[gd] / per_seed[this])
        settings = [r["setting"] for r in group if r["setting"] != ""]
        summary.append(
            {
                "problem": problem,
                "n": n,
                "method": method,
                "seeds": len(seeds),
                "fits": len(group),
                "reached": f"{sum(r['reached'] for r in group)}/{len(group)}",
                "median_seconds": float(np.median(seconds)),
                "mlopt_gd_over_this": float(np.median(ratio)) if ratio else "",
                "knob": group[0]["knob"],
                "median_setting": float(np.median(settings)) if settings else "",
                "median_gap_over_target": float(np.median([r["gap_over_target"] for r in group])),
                "median_coef_rel_err": float(np.median([r["coef_rel_err"] for r in group])),
                "median_test_score": float(np.median([r["test_score"] for r in group])),
                "score_name": group[0]["score_name"],
            }
        )
    return summary


def print_table(summary):
    print(
        "| problem | n | method | reached | median s | mlopt GD / this | max_iter | gap/target "
        "| test score |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for s in summary:
        setting = "" if s["median_setting"] == "" else f"{s['median_setting']:.0f} {s['knob']}"
        ratio = "" if s["mlopt_gd_over_this"] == "" else f"{s['mlopt_gd_over_this']:.3g}"
        print(
            f"| {s['problem']} | {s['n']} | {s['method']} | {s['reached']} | "
            f"{s['median_seconds']:.2e} | {ratio} | {setting} | "
            f"{s['median_gap_over_target']:.2g} | {s['median_test_score']:.4f} |"
        )


def machine_rows(args, wall, objective_check):
    info = {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "command": "python benchmarks/estimators.py"
        + (" --quick" if args.quick else "")
        + (f" --threads {args.threads}" if args.threads != 1 else ""),
        "wall_seconds": f"{wall:.1f}",
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "load_average_at_end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "mlopt": getattr(mlopt, "__version__", "?"),
        "alpha": ALPHA,
        "target": f"J - J* <= {RTOL:g} * max(1, |J*|)",
        "objective_check_max_rel_diff": f"{objective_check:.1e}",
    }
    for pool in threadpool_info():
        info[f"threads_{pool['user_api']}_{pool['internal_api']}"] = pool["num_threads"]
    return [{"key": k, "value": v} for k, v in info.items()]


STYLE = {  # Okabe-Ito colours, each with its own marker and line style (and bar hatch)
    "mlopt GD": ("#0072B2", "o", "-", ""),
    "mlopt GD+Nesterov": ("#56B4E9", "s", "--", "//"),
    "sklearn Ridge": ("#D55E00", "^", "-.", ".."),
    "sklearn LogisticRegression(lbfgs)": ("#D55E00", "^", "-.", ".."),
    "sklearn SGDRegressor": ("#009E73", "D", ":", "xx"),
    "sklearn SGDClassifier": ("#009E73", "D", ":", "xx"),
}


def all_reached(summary_row):
    done, total = summary_row["reached"].split("/")
    return done == total


def plot(summary, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("synthetic-regression", "least squares + L2 (make_regression, d = 20)"),
        ("synthetic-classification", "logistic + L2 (make_classification, d = 20)"),
    ]
    fig, axes = plt.subplots(
        1, 3, figsize=(16, 4.8), facecolor="white", gridspec_kw={"width_ratios": [1, 1, 1.1]}
    )
    for ax, (problem, title) in zip(axes, panels, strict=False):
        rows = [s for s in summary if s["problem"] == problem]
        for method in dict.fromkeys(s["method"] for s in rows):
            colour, marker, style, _ = STYLE[method]
            pts = sorted(
                (s["n"], s["median_seconds"], all_reached(s)) for s in rows if s["method"] == method
            )
            n = np.array([p[0] for p in pts], dtype=float)
            t = np.array([p[1] for p in pts])
            ok = np.array([p[2] for p in pts])
            if ok.any():
                ax.plot(n[ok], t[ok], color=colour, marker=marker, linestyle=style, label=method)
            if (~ok).any():
                ax.plot(
                    n[~ok],
                    t[~ok],
                    color=colour,
                    marker=marker,
                    linestyle="none",
                    markerfacecolor="white",
                    markersize=9,
                    label=None if ok.any() else f"{method} (not reached)",
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("training samples n")
        ax.set_ylabel("time to reach J - J* <= 1e-6 max(1, |J*|)  [s]")
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, loc="best")

    # The bundled data sets: one group of horizontal bars per data set.
    ax = axes[2]
    ax.set_xscale("log")
    bundled = ["diabetes", "breast_cancer", "wine"]
    ticks, labels, y = [], [], 0.0
    for problem in bundled:
        rows = [s for s in summary if s["problem"] == problem]
        for s in rows:
            colour, _, _, hatch = STYLE[s["method"]]
            ok = all_reached(s)
            ax.barh(
                y,
                s["median_seconds"],
                color=colour if ok else "white",
                hatch=hatch,
                edgecolor=colour if not ok else "black",
                linewidth=0.6,
            )
            ax.text(
                s["median_seconds"] * 1.15,
                y,
                f"{s['median_seconds']:.2g} s" + ("" if ok else " (not in every run)"),
                va="center",
                fontsize=7,
            )
            ticks.append(y)
            labels.append(s["method"].replace("sklearn ", "").replace("(lbfgs)", " lbfgs"))
            y += 1
        y += 0.8
    ax.set_yticks(ticks, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("time to target [s]")
    ax.set_title("bundled data: " + ", ".join(bundled) + " (top to bottom)", fontsize=10)
    times = [s["median_seconds"] for s in summary if s["problem"] in bundled]
    ax.set_xlim(min(times) / 3, max(times) * 30)
    for ax in axes:
        ax.set_facecolor("white")
        ax.grid(True, which="major", color="0.85")
        ax.set_axisbelow(True)
    fig.text(
        0.5,
        0.01,
        f"Median over seeds of the median of repeated fits; hollow: target not reached in every "
        f"run (time of the bounded run). alpha = {ALPHA:g}, one BLAS / OpenMP thread.",
        ha="center",
        fontsize=8,
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(path, dpi=150, facecolor="white")
    plt.close(fig)


# -- profile ----------------------------------------------------------------------------------


def lean_gd(X, y, epochs, lr):
    """mlopt's full-batch GD on the binomial loss (same iterates, same loss curve), written
    with one pass over X per epoch: the objective recorded after epoch k reuses the logits
    that the gradient of epoch k + 1 needs, and the loss needs a single ``log_expit``
    (log sigma(-z) = log sigma(z) - z). Only for the profile: how much is implementation."""
    n, d = X.shape
    w, b, curve = np.zeros(d), 0.0, []
    z = np.zeros(n)
    for _ in range(epochs):
        residual = (expit(z) - y) / n
        w, b = w - lr * (X.T @ residual + ALPHA * w), b - lr * residual.sum()
        z = X @ w + b
        curve.append(np.sum((1 - y) * z - log_expit(z)) / n + 0.5 * ALPHA * w @ w)
    return w, b, np.array(curve)


def profile():
    """cProfile of mlopt's default fit on two problems where it is slow: where the time goes;
    then the same iterations written with one pass over the data per epoch."""
    for name, n in [("breast_cancer", None), ("synthetic-classification", 100_000)]:
        p = load_problem(name, seed=0, n=n)
        solve_optimum(p)
        epochs, _, _ = search(METHODS[0], p, budget=30.0)
        profiler = cProfile.Profile()
        profiler.enable()
        fit_mlopt(p, epochs, 0)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
        print(f"\n== mlopt GD on {name} (n = {p.n}), {epochs} epochs ==")
        print("\n".join(out.getvalue().splitlines()[:40]))
        times = {"mlopt": [], "lean": []}
        y = p.y.astype(float)
        for _ in range(5):
            est, seconds = timed_fit(METHODS[0], p, epochs)
            times["mlopt"].append(seconds)
            gc.disable()
            start = time.perf_counter()
            w, b, curve = lean_gd(p.X, y, epochs, 1.0 / lipschitz(p))
            times["lean"].append(time.perf_counter() - start)
            gc.enable()
        mlopt_s, lean_s = np.median(times["mlopt"]), np.median(times["lean"])
        print(
            f"same {epochs} iterations, one pass per epoch: {lean_s / epochs * 1e3:.3f} ms/epoch "
            f"vs mlopt's {mlopt_s / epochs * 1e3:.3f} ms/epoch ({mlopt_s / lean_s:.1f}x); "
            f"iterates agree to {np.max(np.abs(est.coef_[0] - w)):.0e}, loss curves to "
            f"{np.max(np.abs(est.loss_curve_ - curve)):.0e}"
        )


# -- main -------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small problems, 2 seeds")
    parser.add_argument("--profile", action="store_true", help="profile mlopt's fits only")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS / OpenMP threads (default 1; 0 leaves the libraries' defaults)",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # ConvergenceWarning of every capped fit
    # On a loaded 2-core machine, multithreaded OpenBLAS makes the tiny BLAS calls of SciPy's
    # L-BFGS-B (and mlopt's small matrix products) many times slower; one thread per library
    # is the fair default, and the same for both sides.
    with threadpool_limits(limits=args.threads or None):
        run(args)


def run(args):
    if args.profile:
        profile()
        return
    start = time.perf_counter()
    check = check_objective()
    print(f"objective check: mlopt's J and scikit-learn's metrics agree to {check:.1e}")
    seeds = [0, 1] if args.quick else [0, 1, 2]
    sizes = SIZES[:1] if args.quick else SIZES
    budget = 0.2 if args.quick else 3.0  # seconds of search per method and problem
    RESULTS.mkdir(exist_ok=True)
    tag = "_quick" if args.quick else ""
    plan = [(name, None) for name in ["diabetes", "breast_cancer", "wine"]]
    plan += [
        (name, n) for n in sizes for name in ["synthetic-regression", "synthetic-classification"]
    ]
    rows = []
    for name, n in plan:
        big = n is not None and n >= 1_000_000
        for seed in seeds[:1] if big else seeds:
            repeats = 2 if args.quick else (1 if big else 3 if n and n >= 100_000 else 5)
            t0 = time.perf_counter()
            problem = load_problem(name, seed, n)
            if big:  # max_iter capped at 128, search budget 25 s, fits over 1 s timed once
                rows += run_problem(
                    problem, 5, BIG_BUDGET, cap=BIG_CAP, warm_up=False, repeat_limit=1.0
                )
            else:
                rows += run_problem(problem, repeats, budget)
            print(
                f"{name:<25} n={problem.n:<8} seed {seed}: {time.perf_counter() - t0:6.1f} s",
                flush=True,
            )
            del problem
            write_csv(RESULTS / f"estimators{tag}.csv", rows)  # partial results survive
    summary = summarise(rows)
    write_csv(RESULTS / f"estimators_summary{tag}.csv", summary)
    plot(summary, RESULTS / f"estimators{tag}.png")
    wall = time.perf_counter() - start
    write_csv(RESULTS / f"estimators_machine{tag}.csv", machine_rows(args, wall, check))
    print()
    print_table(summary)
    print(f"\nwall time {wall:.0f} s")


if __name__ == "__main__":
    main()
