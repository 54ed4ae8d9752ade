"""particle_swarm, genetic_algorithm, bayesian_optimization: one table of checks for all three.

Budgets are kept small (the whole file runs in well under 30 s); the quality checks use the
budgets the docstrings promise.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import Bounds, OptimizeResult
from scipy.stats import norm

from mlopt.bayesian_optimization import (
    bayesian_optimization,
    expected_improvement,
    fit_gp,
    lower_confidence_bound,
    probability_of_improvement,
)
from mlopt.functions import branin, rastrigin, sphere
from mlopt.genetic_algorithm import genetic_algorithm
from mlopt.particle_swarm import particle_swarm

# Each optimizer with a small budget, and the nfev that budget must give.
SMALL = {
    "pso": (particle_swarm, {"n_particles": 6, "max_iter": 5}, 6 * (5 + 1)),
    "ga": (genetic_algorithm, {"population_size": 8, "generations": 5, "elitism": 2}, 8 + 5 * 6),
    "bo": (bayesian_optimization, {"n_calls": 8, "n_initial_points": 4}, 8),
}
METHODS = list(SMALL)


def run(method, func, bounds, **kwargs):
    optimizer, small, _ = SMALL[method]
    return optimizer(func, bounds, **{**small, **kwargs})


@pytest.mark.parametrize("method", METHODS)
def test_result_fields_history_and_nfev(method):
    res = run(method, sphere, sphere.bounds(3), rng=0)
    assert isinstance(res, OptimizeResult)
    assert res.success and res.status == 0 and res.message.startswith("Completed")
    nfev = SMALL[method][2]
    assert res.nfev == nfev == len(res.history["fun"])
    assert res.history["x"].shape == (nfev, 3)
    # x, fun are the best evaluation, and fun is f(x)
    i = np.argmin(res.history["fun"])
    assert_array_equal(res.x, res.history["x"][i])
    assert res.fun == res.history["fun"][i] == sphere(res.x)
    assert isinstance(res.fun, float)
    assert "0x" not in repr(res)  # no memory address where a chapter prints the result


@pytest.mark.parametrize("method", METHODS)
def test_same_int_gives_identical_run_and_generator_is_accepted(method):
    first = run(method, sphere, sphere.bounds(2), rng=3)
    second = run(method, sphere, sphere.bounds(2), rng=3)
    assert_array_equal(first.history["x"], second.history["x"])
    assert_array_equal(first.history["fun"], second.history["fun"])
    from_generator = run(method, sphere, sphere.bounds(2), rng=np.random.default_rng(3))
    assert_array_equal(first.history["x"], from_generator.history["x"])
    other = run(method, sphere, sphere.bounds(2), rng=4)
    assert not np.array_equal(first.history["x"], other.history["x"])


def corner(x):
    """Minimum 0 at the corner (1, 1, 1) of the box [-1, 1]^3: the optimizer presses on it."""
    return float(np.sum((x - 2.0) ** 2) - 3.0)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("func, bounds", [(sphere, sphere.bounds(3)), (corner, [(-1, 1)] * 3)])
def test_every_evaluated_point_lies_inside_the_bounds(method, func, bounds):
    res = run(method, func, bounds, rng=1)
    low, high = np.array(bounds).T
    assert np.all(res.history["x"] >= low) and np.all(res.history["x"] <= high)


def test_minimum_on_the_boundary_is_found():
    res = particle_swarm(corner, [(-1, 1)] * 3, rng=0)
    assert_allclose(res.x, [1.0, 1.0, 1.0])
    res = genetic_algorithm(corner, [(-1, 1)] * 3, rng=0)
    assert_allclose(res.x, [1.0, 1.0, 1.0], atol=1e-2)


@pytest.mark.parametrize("method", METHODS)
def test_scipy_bounds_are_accepted(method):
    res = run(method, sphere, Bounds([-1.0, -2.0], [1.0, 2.0]), rng=0)
    assert res.history["x"].shape[1] == 2
    assert np.all(np.abs(res.history["x"]) <= [1.0, 2.0])


def nan_outside_disc(x):
    """Undefined (NaN, inf) on part of the box, with an overflow to provoke a NumPy warning."""
    if x[0] > 0.5:
        return np.nan
    if x[1] > 0.5:
        return np.exp(1e4)  # inf, with an overflow that must not escape as a warning
    return float(x @ x)


@pytest.mark.parametrize("method", METHODS)
def test_nan_and_inf_values_do_not_crash_the_run(method):
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        res = run(method, nan_outside_disc, [(-1, 1), (-1, 1)], rng=0)
    assert res.success and np.isfinite(res.fun) and res.fun == nan_outside_disc(res.x)
    assert not np.all(np.isfinite(res.history["fun"]))  # the bad points were visited


@pytest.mark.parametrize("method", METHODS)
def test_a_func_that_is_never_finite_is_reported(method):
    res = run(method, lambda x: np.nan, [(-1, 1)], rng=0)
    assert not res.success and res.status == 2 and "no finite value" in res.message
    assert res.nfev == SMALL[method][2]


@pytest.mark.parametrize("method", METHODS)
def test_callback_is_called_every_iteration_and_can_stop_the_run(method):
    seen = []

    def callback(intermediate):
        assert set(intermediate) == {"x", "fun", "nit", "nfev"}
        seen.append(intermediate.nit)
        return intermediate.nit == 2

    res = run(method, sphere, sphere.bounds(2), rng=0, callback=callback)
    # Called after every evaluation (of the initial design too, with nit = 0), with nit the
    # iterations completed, and after every iteration. BO evaluates once per iteration.
    n_design = {"pso": 6, "ga": 8, "bo": res.nfev - 2}[method]
    per_iteration = (res.nfev - n_design) // 2 if method != "bo" else 0
    expected = [0] * n_design + [0] * per_iteration + [1] + [1] * per_iteration + [2]
    assert seen == expected and res.nit == 2 and res.status == 3 and not res.success
    assert "callback" in res.message
    assert res.nfev == len(res.history["fun"])


# -- bad input: one row per parameter -------------------------------------------------------

BAD_BOUNDS = [
    [(1.0, 0.0)],
    [(0.0, 0.0)],
    [(0.0, np.inf)],
    [(np.nan, 1.0)],
    [(0.0, 1.0, 2.0)],
    [],
    [[0.0, 1.0], [2.0]],
    "abc",
    Bounds([0.0, 1.0], [1.0, 1.0]),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("bounds", BAD_BOUNDS)
def test_bad_bounds_raise(method, bounds):
    with pytest.raises(ValueError, match="bounds must be"):
        run(method, sphere, bounds)


BAD_PARAMETERS = [
    (particle_swarm, "n_particles", 0, r"n_particles must be an integer in the range \[1, inf\)"),
    (particle_swarm, "n_particles", 2.5, "n_particles must be an integer.*got 2.5"),
    (
        particle_swarm,
        "max_iter",
        -1,
        r"max_iter must be an integer in the range \[0, inf\); got -1",
    ),
    (particle_swarm, "inertia", -0.1, r"inertia must be a real number in the range \[0, inf\)"),
    (particle_swarm, "cognitive", np.nan, "cognitive must be a real number"),
    (particle_swarm, "social", "1.5", "social must be a real number.*got '1.5'"),
    (particle_swarm, "rng", "seed", "rng must be None"),
    (particle_swarm, "rng", -1, "rng must be None"),
    (particle_swarm, "callback", 3, "callback must be None or a callable"),
    (genetic_algorithm, "population_size", 1, r"population_size .* range \[2, inf\); got 1"),
    (genetic_algorithm, "generations", -2, r"generations .* range \[0, inf\); got -2"),
    (genetic_algorithm, "crossover_rate", 1.5, r"crossover_rate .* range \[0, 1\]; got 1.5"),
    (genetic_algorithm, "mutation_rate", -0.1, r"mutation_rate .* range \[0, 1\]; got -0.1"),
    (genetic_algorithm, "tournament_size", 0, r"tournament_size .* range \[1, 50\]; got 0"),
    (genetic_algorithm, "tournament_size", 51, r"tournament_size .* range \[1, 50\]; got 51"),
    (genetic_algorithm, "elitism", 50, r"elitism .* range \[0, 49\]; got 50"),
    (genetic_algorithm, "elitism", True, "elitism must be an integer"),
    (genetic_algorithm, "rng", 1.5, "rng must be None"),
    (bayesian_optimization, "n_calls", 0, r"n_calls .* range \[1, inf\); got 0"),
    (bayesian_optimization, "n_initial_points", 31, r"n_initial_points .* \[1, 30\]; got 31"),
    (bayesian_optimization, "n_initial_points", 0, r"n_initial_points .* \[1, 30\]; got 0"),
    (bayesian_optimization, "acquisition", "EI ", "acquisition must be one of 'ei', 'pi', 'lcb'"),
    (bayesian_optimization, "xi", -0.01, r"xi must be a real number in the range \[0, inf\)"),
    (bayesian_optimization, "kappa", np.inf, r"kappa .* \[0, inf\); got inf"),
    (bayesian_optimization, "callback", "print", "callback must be None or a callable"),
]


@pytest.mark.parametrize(
    "optimizer, name, value, match",
    BAD_PARAMETERS,
    ids=[f"{opt.__name__}-{name}-{value!r}" for opt, name, value, _ in BAD_PARAMETERS],
)
def test_bad_hyper_parameter_raises(optimizer, name, value, match):
    with pytest.raises(ValueError, match=match):
        optimizer(sphere, sphere.bounds(2), **{name: value})


@pytest.mark.parametrize("method", METHODS)
def test_func_must_return_a_number(method):
    with pytest.raises(ValueError, match="func.* must return a real number"):
        run(method, lambda x: x, sphere.bounds(2), rng=0)
    with pytest.raises(ValueError, match="func must be a callable"):
        run(method, "sphere", sphere.bounds(2), rng=0)


# -- quality at the documented budgets ------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_particle_swarm_solves_sphere_in_5d(seed):
    res = particle_swarm(sphere, sphere.bounds(5), rng=seed)
    assert res.fun < 1e-6
    assert res.nfev == 30 * (200 + 1) and res.nit == 200


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_genetic_algorithm_gets_below_one_on_rastrigin_2d(seed):
    res = genetic_algorithm(rastrigin, rastrigin.bounds(2), rng=seed)
    assert res.fun < 1.0
    assert res.nfev == 50 + 100 * 49


def test_bayesian_optimization_on_branin_has_small_regret_for_most_seeds():
    regrets = [
        bayesian_optimization(branin, branin.bounds(), rng=seed).fun - branin.minimum
        for seed in range(3)
    ]
    assert sum(r < 0.05 for r in regrets) >= 2, regrets


def test_ucb_is_an_alias_of_lcb():
    runs = [
        bayesian_optimization(branin, branin.bounds(), n_calls=8, acquisition=name, rng=0)
        for name in ("lcb", "ucb")
    ]
    np.testing.assert_array_equal(runs[0].history["x"], runs[1].history["x"])


@pytest.mark.parametrize("acquisition", ["pi", "lcb"])
def test_other_acquisitions_come_near_a_minimum_of_branin(acquisition):
    # A guard against a sign error, not a quality benchmark: a maximiser ends far above 0.5
    # on every seed. One seed alone is not a test: probability of improvement can settle in
    # a basin's shoulder (regret 0.85 for seed 0 with SciPy 1.10's initial design), and the
    # confidence bound with kappa = 1.96 keeps exploring Branin's three basins. The median
    # over five seeds is below 0.5 with room to spare (0.15 or less with the pinned and the
    # lowest stacks).
    regrets = []
    for seed in range(5):
        res = bayesian_optimization(
            branin, branin.bounds(), n_calls=25, acquisition=acquisition, rng=seed
        )
        assert res.nfev == 25 and res.nit == 20
        regrets.append(res.fun - branin.minimum)
    assert np.median(regrets) < 0.5, regrets


# -- acquisition functions and the surrogate ------------------------------------------------

MU = np.array([0.0, 0.3, 1.0, 2.0])
SIGMA = np.array([1.0, 0.2, 0.5, 0.0])


def test_expected_improvement_matches_the_formula():
    best, xi = 0.5, 0.1
    by_hand = [
        (best - m - xi) * norm.cdf((best - m - xi) / s) + s * norm.pdf((best - m - xi) / s)
        for m, s in zip(MU[:3], SIGMA[:3], strict=True)
    ]
    assert_allclose(expected_improvement(MU, SIGMA, best, xi)[:3], by_hand, rtol=1e-14)
    # sigma = 0: the improvement itself, or 0
    assert expected_improvement(MU, SIGMA, best, xi)[3] == 0.0
    assert expected_improvement(0.0, 0.0, 1.0, 0.0) == 1.0
    # a worked value: mu = 0, sigma = 1, best = 0.5, xi = 0: 0.5 Phi(0.5) + phi(0.5)
    assert_allclose(expected_improvement(0.0, 1.0, 0.5, 0.0), 0.6977966, rtol=1e-6)


def test_probability_of_improvement_and_lower_confidence_bound_match_the_formulas():
    best, xi = 0.5, 0.1
    assert_allclose(
        probability_of_improvement(MU, SIGMA, best, xi)[:3],
        norm.cdf((best - MU[:3] - xi) / SIGMA[:3]),
        rtol=1e-14,
    )
    assert_array_equal(probability_of_improvement([0.0, 1.0], [0.0, 0.0], 0.5, 0.0), [1.0, 0.0])
    assert_array_equal(lower_confidence_bound(MU, SIGMA, 2.0), MU - 2.0 * SIGMA)


def test_acquisition_functions_raise_no_warning_far_from_the_incumbent():
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        ei = expected_improvement([1e6, 0.0], [1e-300, 0.0], 0.0, 0.01)
        pi = probability_of_improvement([1e6, 0.0], [1e-300, 0.0], 0.0, 0.01)
    assert_array_equal(ei, [0.0, 0.0]) and assert_array_equal(pi, [0.0, 0.0])


def test_result_model_is_the_surrogate_refit_from_the_history():
    res = bayesian_optimization(branin, branin.bounds(), n_calls=8, n_initial_points=4, rng=0)
    grid = np.column_stack([np.linspace(-5, 10, 7), np.linspace(0, 15, 7)])
    refit = fit_gp(res.history["x"], res.history["fun"], branin.bounds())
    assert_allclose(
        res.model.predict(grid, return_std=True), refit.predict(grid, return_std=True), rtol=1e-12
    )
    mu, sigma = res.model.predict(res.history["x"], return_std=True)
    assert_allclose(mu, res.history["fun"], rtol=1e-2, atol=1e-2)  # it interpolates the data


def test_fit_gp_leaves_out_non_finite_values_and_checks_shapes():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5], [0.5, 2.0]])
    y = np.array([0.0, 2.0, np.nan, np.inf])
    model = fit_gp(X, y, [(0, 3), (0, 3)])
    assert model["gp"].X_train_.shape == (2, 2)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        fit_gp(X, y[:3], [(0, 3), (0, 3)])
    with pytest.raises(ValueError, match="at least one finite value"):
        fit_gp(X, np.full(4, np.nan), [(0, 3), (0, 3)])
