"""One table of bad input per public function: the exception, and a message that names the
parameter, the accepted range and the value received.

Families: wrong type, None, empty, 0-d, wrong shape, complex, NaN/inf, out of range, and a
faulty objective or callback. ``CASES`` maps each public function to its rows; the test at
the bottom runs them all and ``test_every_public_function_has_a_table`` checks the coverage.
"""

import numpy as np
import pytest

from mlopt import SGD, Adam, check_gradient, minimize
from mlopt.bayesian_optimization import (
    bayesian_optimization,
    expected_improvement,
    fit_gp,
    lower_confidence_bound,
    probability_of_improvement,
)
from mlopt.functions import sphere
from mlopt.genetic_algorithm import genetic_algorithm
from mlopt.gradcheck import numerical_gradient
from mlopt.linear_model import (
    LinearRegressionGD,
    LogisticRegressionGD,
    flat_objective,
    smooth_objective_and_gradient,
)
from mlopt.optimizers import get_optimizer
from mlopt.particle_swarm import particle_swarm
from mlopt.proximal import fista, ista, soft_threshold


def pair(x):
    return float(x @ x), 2 * x


X2 = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
Y2 = np.array([1.0, 2.0, 3.0])
BOX = [(-1.0, 1.0), (-1.0, 1.0)]


def minimize_(fun=pair, x0=(1.0, 2.0), **kwargs):
    return minimize(fun, x0, **{"optimizer": SGD(lr=0.1), **kwargs})


def ista_(fun=pair, x0=(1.0, 2.0), solver=ista, **kwargs):
    return solver(fun, x0, **{"lr": 0.1, "l1": 0.1, **kwargs})


def fista_(**kwargs):
    return ista_(solver=fista, **kwargs)


def search(method, func=sphere, bounds=BOX, **kwargs):
    small = {
        particle_swarm: {"n_particles": 3, "max_iter": 2},
        genetic_algorithm: {"population_size": 4, "generations": 2},
        bayesian_optimization: {"n_calls": 3, "n_initial_points": 2},
    }[method]
    return method(func, bounds, **{**small, **kwargs})


def derivative_free_rows(method, extra):
    return [
        ("func not callable", lambda: search(method, func=3), "func must be a callable"),
        ("func a class", lambda: search(method, func=float), "func must be a callable"),
        ("bounds None", lambda: search(method, bounds=None), "bounds must be a sequence"),
        ("bounds empty", lambda: search(method, bounds=[]), "bounds must be a sequence"),
        ("bounds 0-d", lambda: search(method, bounds=3.0), "bounds must be a sequence"),
        ("bounds shape", lambda: search(method, bounds=[(0, 1, 2)]), "bounds must be a sequence"),
        ("bounds complex", lambda: search(method, bounds=[(0j, 1)]), "complex"),
        ("bounds nan", lambda: search(method, bounds=[(0, np.nan)]), "non-finite"),
        ("bounds reversed", lambda: search(method, bounds=[(1, 0)]), "low >= high"),
        ("rng float", lambda: search(method, rng=1.5), r"rng must be .* got 1.5"),
        ("rng bool", lambda: search(method, rng=True), r"rng must be .* got True"),
        (
            "rng RandomState",
            lambda: search(method, rng=np.random.RandomState(0)),
            "rng must be None, a non-negative int",
        ),
        ("rng negative", lambda: search(method, rng=-1), r"rng must be .* got -1"),
        ("callback", lambda: search(method, callback=1), "callback must be None or a callable"),
        (
            "func returns None",
            lambda: search(method, func=lambda x: None),
            r"func\(x\) must return a real number; got None",
        ),
        (
            "func returns complex",
            lambda: search(method, func=lambda x: 1j),
            r"func\(x\) must return a real number; got 1j",
        ),
        (
            "func returns an array",
            lambda: search(method, func=lambda x: x),
            r"func\(x\) must return a real number; got an array of shape \(2,\)",
        ),
        *extra,
    ]


CASES = {
    "minimize": [
        ("fun not callable", lambda: minimize_(fun="f"), "fun must be a callable"),
        (
            "fun returns a scalar",
            lambda: minimize_(fun=lambda x: float(x @ x)),
            r"fun\(x\) must return a pair \(value, gradient\); got float .*jac=grad",
        ),
        (
            "fun returns complex",
            lambda: minimize_(fun=lambda x: (1j, x)),
            "must return real numbers",
        ),
        ("grad wrong shape", lambda: minimize_(fun=lambda x: (0.0, x[:1])), "grad of shape"),
        ("fun(x0) not finite", lambda: minimize_(fun=lambda x: (np.nan, x)), "must be finite"),
        ("x0 None", lambda: minimize_(x0=None), "x0 must be a 1-D array of real numbers; got None"),
        ("x0 empty", lambda: minimize_(x0=[]), "x0 must be a non-empty 1-D array"),
        ("x0 2-D", lambda: minimize_(x0=[[1.0]]), r"x0 must be a 1-D array; got .* \(1, 1\)"),
        ("x0 complex", lambda: minimize_(x0=[1j, 2]), "x0 must be real; got complex"),
        ("x0 nan", lambda: minimize_(x0=[np.nan, 1]), r"x0 must contain only finite .* \[0\]"),
        ("x0 text", lambda: minimize_(x0="ab"), "x0 must be a 1-D array of real numbers"),
        ("optimizer class", lambda: minimize_(optimizer=SGD), "got the class SGD itself"),
        ("optimizer name", lambda: minimize_(optimizer="sgd"), "optimizer must be an mlopt"),
        ("max_iter float", lambda: minimize_(max_iter=2.0), r"max_iter must be an integer .*2.0"),
        ("max_iter negative", lambda: minimize_(max_iter=-1), r"max_iter .* \[0, inf\); got -1"),
        ("gtol negative", lambda: minimize_(gtol=-1.0), r"gtol .* \[0, inf\); got -1.0"),
        ("gtol nan", lambda: minimize_(gtol=np.nan), r"gtol .* got nan"),
        ("callback", lambda: minimize_(callback=3), "callback must be None or a callable"),
        ("jac", lambda: minimize_(jac=3), "jac must be None, True or a callable"),
        ("history", lambda: minimize_(history=0), r"history must be an integer .* \[1, inf\)"),
    ],
    "ista": [
        ("fun not callable", lambda: ista_(fun=None), "fun must be a callable"),
        ("fun returns a scalar", lambda: ista_(fun=lambda x: 1.0), "must return a pair"),
        ("x0 empty", lambda: ista_(x0=[]), "x0 must be a non-empty"),
        ("x0 complex", lambda: ista_(x0=[1j]), "x0 must be real"),
        ("lr zero", lambda: ista_(lr=0.0), r"lr must be .* \(0, inf\); got 0.0"),
        ("lr text", lambda: ista_(lr="1"), r"lr must be a real number .* got '1'"),
        ("l1 negative", lambda: ista_(l1=-1.0), "l1 must be non-negative"),
        ("l1 shape", lambda: ista_(l1=[1.0, 2.0, 3.0]), r"l1 must be .* shape \(2,\)"),
        ("l1 complex", lambda: ista_(l1=1j), "l1 must be a non-negative float"),
        ("max_iter zero", lambda: ista_(max_iter=0), r"max_iter .* \[1, inf\); got 0"),
        ("tol negative", lambda: ista_(tol=-1.0), r"tol .* \[0, inf\)"),
        ("callback", lambda: ista_(callback="no"), "callback must be None or a callable"),
        ("history", lambda: ista_(history=1.5), "history must be an integer"),
    ],
    "fista": [
        ("fun not callable", lambda: fista_(fun=1), "fun must be a callable"),
        ("x0 inf", lambda: fista_(x0=[np.inf, 0]), "x0 must contain only finite"),
        ("lr negative", lambda: fista_(lr=-1.0), r"lr must be .* \(0, inf\)"),
        ("l1 nan", lambda: fista_(l1=np.nan), "l1 must be non-negative and finite"),
        ("max_iter bool", lambda: fista_(max_iter=True), "max_iter must be an integer"),
    ],
    "soft_threshold": [
        ("z None", lambda: soft_threshold(None, 1.0), "z must be real numbers; got None"),
        ("z complex", lambda: soft_threshold([1j], 1.0), "z must be real numbers"),
        ("z text", lambda: soft_threshold("ab", 1.0), "z must be real numbers"),
        ("threshold negative", lambda: soft_threshold([1.0], -1.0), r"threshold .* \[0, inf\)"),
        ("threshold nan", lambda: soft_threshold([1.0], np.nan), r"threshold .* \[0, inf\)"),
        ("threshold complex", lambda: soft_threshold([1.0], 1j), "threshold must be real"),
        (
            "threshold shape",
            lambda: soft_threshold([1.0, 2.0], [1.0, 2.0, 3.0]),
            "does not broadcast",
        ),
        (
            "threshold larger shape",
            lambda: soft_threshold(1.0, [1.0, 2.0]),
            "must broadcast to z's shape",
        ),
    ],
    "check_gradient": [
        ("fun not callable", lambda: check_gradient(1, lambda x: x, [1.0]), "fun must be"),
        ("grad not callable", lambda: check_gradient(sphere, None, [1.0]), "grad must be"),
        ("x empty", lambda: check_gradient(sphere, sphere.grad, []), "x must be a non-empty"),
        ("x complex", lambda: check_gradient(sphere, sphere.grad, [1j]), "x must be real"),
        ("x nan", lambda: check_gradient(sphere, sphere.grad, [np.nan]), "x must contain only"),
        (
            "grad wrong shape",
            lambda: check_gradient(sphere, lambda x: [1.0, 2.0, 3.0], [1.0]),
            r"grad\(x\) must have shape \(1,\); got \(3,\)",
        ),
        (
            "grad complex",
            lambda: check_gradient(sphere, lambda x: x * 1j, [1.0]),
            r"grad\(x\) must return real numbers",
        ),
        (
            "fun returns None",
            lambda: check_gradient(lambda x: None, sphere.grad, [1.0]),
            r"fun\(x\) must return a real number; got None",
        ),
        (
            "fun not finite",
            lambda: check_gradient(lambda x: np.inf, sphere.grad, [1.0]),
            r"fun\(x\) must be finite",
        ),
        ("rtol zero", lambda: check_gradient(sphere, sphere.grad, [1.0], rtol=0), r"rtol .*\(0"),
        ("h negative", lambda: check_gradient(sphere, sphere.grad, [1.0], h=-1), r"h .* \(0, inf"),
    ],
    "numerical_gradient": [
        ("fun not callable", lambda: numerical_gradient(None, [1.0]), "fun must be a callable"),
        ("x 2-D", lambda: numerical_gradient(sphere, [[1.0]]), "x must be a 1-D array"),
        ("h zero", lambda: numerical_gradient(sphere, [1.0], h=0), r"h must be .* \(0, inf\)"),
        (
            "fun returns complex",
            lambda: numerical_gradient(lambda x: 1j, [1.0]),
            r"fun\(x\) must return a real number",
        ),
    ],
    "particle_swarm": derivative_free_rows(
        particle_swarm,
        [
            ("n_particles zero", lambda: search(particle_swarm, n_particles=0), "n_particles"),
            ("max_iter float", lambda: search(particle_swarm, max_iter=1.5), "max_iter must be"),
            ("inertia negative", lambda: search(particle_swarm, inertia=-1), r"inertia .* \[0"),
            ("social nan", lambda: search(particle_swarm, social=np.nan), "social must be"),
            ("cognitive complex", lambda: search(particle_swarm, cognitive=1j), "cognitive"),
        ],
    ),
    "genetic_algorithm": derivative_free_rows(
        genetic_algorithm,
        [
            (
                "population_size 1",
                lambda: search(genetic_algorithm, population_size=1),
                r"population_size must be an integer in the range \[2, inf\); got 1",
            ),
            (
                "crossover_rate > 1",
                lambda: search(genetic_algorithm, crossover_rate=1.5),
                r"crossover_rate .* \[0, 1\]; got 1.5",
            ),
            (
                "mutation_rate negative",
                lambda: search(genetic_algorithm, mutation_rate=-0.1),
                "mutation_rate",
            ),
            (
                "tournament_size too large",
                lambda: search(genetic_algorithm, tournament_size=9),
                r"tournament_size .* \[1, 4\]; got 9",
            ),
            ("elitism", lambda: search(genetic_algorithm, elitism=4), r"elitism .* \[0, 3\]"),
        ],
    ),
    "bayesian_optimization": derivative_free_rows(
        bayesian_optimization,
        [
            ("n_calls zero", lambda: search(bayesian_optimization, n_calls=0), "n_calls"),
            (
                "n_initial_points > n_calls",
                lambda: search(bayesian_optimization, n_initial_points=5),
                r"n_initial_points .* \[1, 3\]; got 5",
            ),
            (
                "acquisition",
                lambda: search(bayesian_optimization, acquisition="EI"),
                r"acquisition must be one of 'ei', 'pi'.*; got 'EI'",
            ),
            ("xi negative", lambda: search(bayesian_optimization, xi=-1), r"xi .* \[0, inf\)"),
            ("kappa inf", lambda: search(bayesian_optimization, kappa=np.inf), "kappa must be"),
        ],
    ),
    "expected_improvement": [
        ("mu None", lambda: expected_improvement(None, [1.0], 0.0), "mu must be real numbers"),
        ("mu complex", lambda: expected_improvement([1j], [1.0], 0.0), "mu must be real"),
        ("mu nan", lambda: expected_improvement([np.nan], [1.0], 0.0), "mu must contain only"),
        ("sigma negative", lambda: expected_improvement([0.0], [-1.0], 0.0), r"sigma .* \[0, inf"),
        ("shapes", lambda: expected_improvement([0.0, 1.0], [1.0] * 3, 0.0), "same shape"),
        ("best nan", lambda: expected_improvement([0.0], [1.0], np.nan), "best must be a real"),
        ("best None", lambda: expected_improvement([0.0], [1.0], None), "best must be a real"),
        ("xi negative", lambda: expected_improvement([0.0], [1.0], 0.0, xi=-1), r"xi .* \[0"),
    ],
    "probability_of_improvement": [
        ("sigma text", lambda: probability_of_improvement([0.0], "a", 0.0), "sigma must be real"),
        ("best inf", lambda: probability_of_improvement([0.0], [1.0], np.inf), "best must be"),
        ("xi nan", lambda: probability_of_improvement([0.0], [1.0], 0.0, xi=np.nan), "xi must"),
    ],
    "lower_confidence_bound": [
        ("mu inf", lambda: lower_confidence_bound([np.inf], [1.0]), "mu must contain only"),
        ("sigma negative", lambda: lower_confidence_bound([0.0], [-1.0]), "sigma is a standard"),
        ("kappa negative", lambda: lower_confidence_bound([0.0], [1.0], kappa=-1), r"kappa .*\[0"),
    ],
    "fit_gp": [
        ("X shape", lambda: fit_gp([1.0, 2.0], [1.0, 2.0], BOX), r"X must have shape \(n, 2\)"),
        ("y all nan", lambda: fit_gp(X2[:, :2], [np.nan] * 3, BOX), "at least one finite"),
        ("bounds", lambda: fit_gp(X2, Y2, [(1, 0), (0, 1)]), "low >= high"),
        ("rng float", lambda: fit_gp(X2, Y2, BOX, rng=0.5), r"rng must be an integer .* 0.5"),
    ],
    "smooth_objective_and_gradient": [
        (
            "loss",
            lambda: smooth_objective_and_gradient([1.0, 2.0], 0.0, X2, Y2, loss="l2"),
            "loss must be one of 'squared_error', 'binomial', 'multinomial'; got 'l2'",
        ),
        (
            "coef complex",
            lambda: smooth_objective_and_gradient([1j, 2.0], 0.0, X2, Y2),
            "coef must be real numbers",
        ),
        (
            "coef empty",
            lambda: smooth_objective_and_gradient([], 0.0, X2, Y2),
            r"coef must have shape \(n_features,\)",
        ),
        (
            "X wrong width",
            lambda: smooth_objective_and_gradient([1.0], 0.0, X2, Y2),
            r"X must have shape \(n_samples, 1\)",
        ),
        (
            "X nan",
            lambda: smooth_objective_and_gradient([1.0, 1.0], 0.0, X2 * np.nan, Y2),
            "X must contain only finite",
        ),
        (
            "y wrong length",
            lambda: smooth_objective_and_gradient([1.0, 1.0], 0.0, X2, Y2[:2]),
            r"y must have shape \(3,\)",
        ),
        (
            "binomial labels",
            lambda: smooth_objective_and_gradient([1.0, 1.0], 0.0, X2, Y2, loss="binomial"),
            "y must hold labels 0 or 1 for loss='binomial'",
        ),
        (
            "multinomial labels",
            lambda: smooth_objective_and_gradient(
                np.ones((2, 2)), np.zeros(2), X2, Y2, loss="multinomial"
            ),
            r"y must hold class indices 0, ..., 1",
        ),
        (
            "intercept shape",
            lambda: smooth_objective_and_gradient([1.0, 1.0], [0.0, 0.0], X2, Y2),
            "intercept must have 1 entries",
        ),
        (
            "alpha negative",
            lambda: smooth_objective_and_gradient([1.0, 1.0], 0.0, X2, Y2, alpha=-1),
            r"alpha must be .* \[0, inf\); got -1",
        ),
        (
            "l1_ratio > 1",
            lambda: smooth_objective_and_gradient([1.0, 1.0], 0.0, X2, Y2, l1_ratio=2),
            r"l1_ratio must be .* \[0, 1\]; got 2",
        ),
    ],
    "flat_objective": [
        ("X 1-D", lambda: flat_objective([1.0, 2.0], [1.0, 2.0]), "X must be a non-empty 2-D"),
        ("y complex", lambda: flat_objective(X2, Y2 * 1j), "y must be real numbers"),
        ("labels", lambda: flat_objective(X2, Y2, loss="binomial"), "y must hold labels 0 or 1"),
        ("theta shape", lambda: flat_objective(X2, Y2)(np.ones(2)), r"theta must have shape"),
    ],
    "get_optimizer": [
        ("name", lambda: get_optimizer("adamax"), "optimizer must be one of 'sgd'"),
        ("class", lambda: get_optimizer(Adam), "optimizer must be one of"),
        ("kwargs with instance", lambda: get_optimizer(Adam(), lr=1.0), "cannot be combined"),
    ],
    "LinearRegressionGD": [
        (
            "X too large to square",
            lambda: LinearRegressionGD().fit(X2 * 1e200, Y2),
            "X has entries as large as 7e\\+200: their squares overflow",
        ),
        (
            "y too large to square",
            lambda: LinearRegressionGD().fit(X2, Y2 * 1e200),
            "y has entries as large as 3e\\+200",
        ),
        (
            "optimizer class",
            lambda: LinearRegressionGD(optimizer=SGD).fit(X2, Y2),
            "The 'optimizer' parameter of LinearRegressionGD must be",
        ),
        (
            "lr zero",
            lambda: LinearRegressionGD(lr=0.0).fit(X2, Y2),
            "The 'lr' parameter of LinearRegressionGD must be",
        ),
        ("X complex", lambda: LinearRegressionGD().fit(X2 * 1j, Y2), "Complex data not supported"),
    ],
    "LogisticRegressionGD": [
        (
            "X too large to square",
            lambda: LogisticRegressionGD().fit(X2 * 1e160, [0, 1, 0]),
            "X has entries as large as 7e\\+160",
        ),
        (
            "optimizer text",
            lambda: LogisticRegressionGD(optimizer="lbfgs").fit(X2, [0, 1, 0]),
            "The 'optimizer' parameter of LogisticRegressionGD must be",
        ),
        ("one class", lambda: LogisticRegressionGD().fit(X2, [1, 1, 1]), "at least 2 classes"),
    ],
}


def _plotting():
    import matplotlib

    matplotlib.use("Agg")
    from mlopt import plotting

    return plotting


def plot(name, *args, **kwargs):
    import matplotlib.pyplot as plt

    try:
        return getattr(_plotting(), name)(*args, **kwargs)
    finally:
        plt.close("all")


def quadratic_2d(p):
    return np.sum(np.atleast_2d(p) ** 2, axis=1)


CASES |= {
    "plot_contours": [
        ("f not callable", lambda: plot("plot_contours", 3, BOX), "f must be a callable"),
        ("bounds missing", lambda: plot("plot_contours", quadratic_2d), "bounds must be given"),
        ("bounds shape", lambda: plot("plot_contours", quadratic_2d, [(0, 1)]), "bounds must be"),
        ("bounds reversed", lambda: plot("plot_contours", quadratic_2d, [(1, 0), (0, 1)]), "low"),
        ("bounds complex", lambda: plot("plot_contours", sphere, [(0j, 1), (0, 1)]), "real"),
        ("levels", lambda: plot("plot_contours", sphere, BOX, levels=1), r"levels .* \[2, inf"),
        ("resolution", lambda: plot("plot_contours", sphere, BOX, resolution=2.5), "resolution"),
        ("paths not dict", lambda: plot("plot_contours", sphere, BOX, paths=[[0, 0]]), "dict"),
        (
            "path shape",
            lambda: plot("plot_contours", sphere, BOX, paths={"a": [1.0, 2.0, 3.0]}),
            r"paths\['a'\] must be an array of shape \(k, 2\)",
        ),
        (
            "path nan",
            lambda: plot("plot_contours", sphere, BOX, paths={"a": [[np.nan, 0.0]]}),
            "finite",
        ),
        (
            "minimizers shape",
            lambda: plot("plot_contours", quadratic_2d, BOX, minimizers=[[0, 0, 0]]),
            r"minimizers must have shape \(m, 2\)",
        ),
    ],
    "plot_loss_curves": [
        ("not a dict", lambda: plot("plot_loss_curves", [1.0, 0.5]), "curves must be a dict"),
        ("empty", lambda: plot("plot_loss_curves", {}), "at least one curve"),
        ("empty curve", lambda: plot("plot_loss_curves", {"a": []}), "non-empty 1-D"),
        ("complex", lambda: plot("plot_loss_curves", {"a": [1j]}), "real numbers"),
        ("minimum nan", lambda: plot("plot_loss_curves", {"a": [1.0]}, minimum=np.nan), "minim"),
        ("log", lambda: plot("plot_loss_curves", {"a": [1.0]}, log="yes"), "log must be a bool"),
    ],
    "plot_decision_regions": [
        ("no predict", lambda: plot("plot_decision_regions", 3, X2[:, :2], [0, 1, 0]), "predict"),
        (
            "X 3 features",
            lambda: plot("plot_decision_regions", LogisticRegressionGD(), np.ones((3, 3)), Y2),
            r"X must be a finite array of shape \(n, 2\)",
        ),
        (
            "y length",
            lambda: plot("plot_decision_regions", LogisticRegressionGD(), X2, [0, 1]),
            r"y must have shape \(3,\)",
        ),
        (
            "padding",
            lambda: plot("plot_decision_regions", LogisticRegressionGD(), X2, Y2, padding=-1),
            r"padding .* \[0, inf\)",
        ),
    ],
    "plot_gp_posterior": [
        ("bounds 2-D", lambda: plot("plot_gp_posterior", None, X2, Y2, BOX), r"bounds must be"),
        (
            "X shape",
            lambda: plot("plot_gp_posterior", None, X2, Y2, [(0, 1)]),
            r"X must have shape \(n, 1\)",
        ),
        (
            "acquisition",
            lambda: plot("plot_gp_posterior", None, X2[:, :1], Y2, [(0, 1)], acquisition=3),
            "acquisition must be a callable",
        ),
    ],
    "plot_snapshots": [
        ("no history", lambda: plot("plot_snapshots", sphere, {}, 3, [0]), "OptimizeResult"),
        (
            "population_size",
            lambda: plot("plot_snapshots", sphere, search(particle_swarm), 0, [0]),
            "population_size",
        ),
        (
            "iteration out of range",
            lambda: plot("plot_snapshots", sphere, search(particle_swarm), 3, [9]),
            r"iterations\[i\] must be an integer in the range \[0, 2\]; got 9",
        ),
    ],
    "animate_paths": [
        ("empty", lambda: plot("animate_paths", sphere, {}, BOX), "at least one path"),
        ("frames", lambda: plot("animate_paths", sphere, {"a": [[0, 0]]}, BOX, frames=0), "frames"),
        (
            "interval",
            lambda: plot("animate_paths", sphere, {"a": [[0, 0]]}, BOX, interval=-5),
            r"interval .* \(0, inf\)",
        ),
        ("path 1-D", lambda: plot("animate_paths", sphere, {"a": [0, 0]}, BOX), r"shape \(k, 2\)"),
    ],
}

ROWS = [(fn, *row) for fn, rows in CASES.items() for row in rows]


@pytest.mark.parametrize(
    ("function", "case", "call", "match"), ROWS, ids=[f"{r[0]}-{r[1]}" for r in ROWS]
)
def test_bad_input_is_refused_with_a_message_that_names_it(function, case, call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_every_public_function_has_a_table():
    """Every driver, helper and estimator has at least three bad-input rows."""
    assert {name: len(rows) for name, rows in CASES.items() if len(rows) < 3} == {}
