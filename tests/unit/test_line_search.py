"""mlopt.line_search: accepted steps satisfy their conditions (hypothesis), counts, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlopt.functions import rosenbrock
from mlopt.line_search import LineSearchResult, backtracking, strong_wolfe

C1, C2 = 1e-4, 0.9


def quartic(x):
    """A smooth, non-quadratic convex function: sum(x^4 / 4 + x^2 / 2)."""
    return float(np.sum(x**4 / 4 + x**2 / 2)), x**3 + x


def nonconvex(x):
    """Rastrigin-like bumps on a bowl: many local minima along a line."""
    return float(np.sum(x**2 + 2 * np.cos(3 * x))), 2 * x - 6 * np.sin(3 * x)


FUNCTIONS = [quartic, nonconvex, lambda x: (rosenbrock(x), rosenbrock.grad(x))]
points = st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2).map(np.array)


def _descent(fun, x, mix):
    """A descent direction: -gradient rotated towards a random direction, or None."""
    f0, g0 = fun(x)
    if np.max(np.abs(g0)) < 1e-6:
        return None
    p = -g0 + mix * np.linalg.norm(g0) * np.array([1.0, -0.5])
    return (f0, g0, p) if g0 @ p < -1e-8 * np.linalg.norm(g0) * np.linalg.norm(p) else None


@settings(max_examples=150, deadline=None)
@given(
    which=st.integers(0, 2),
    x=points,
    mix=st.floats(-0.9, 0.9),
    step=st.floats(1e-4, 10.0),
)
def test_accepted_steps_satisfy_their_conditions(which, x, mix, step):
    fun = FUNCTIONS[which]
    found = _descent(fun, x, mix)
    if found is None:
        return
    f0, g0, p = found
    slope0 = g0 @ p
    res = backtracking(fun, x, p, f0=f0, g0=g0, step=step)
    assert res.success
    assert res.fun <= f0 + C1 * res.step * slope0  # Armijo
    assert res.step <= step
    res = strong_wolfe(fun, x, p, f0=f0, g0=g0, step=step)
    if res.success:  # a budget of 50 evaluations is always enough on these functions
        assert res.fun <= f0 + C1 * res.step * slope0  # Armijo
        assert abs(res.jac @ p) <= C2 * abs(slope0)  # strong curvature condition
        assert (res.jac @ p) * (1 - C2) >= -abs(slope0)  # hence s^T y > 0
    assert res.success or res.nfev == 50


def test_results_hold_the_value_and_gradient_at_the_new_point():
    x, p = np.array([1.0, -0.5]), np.array([-1.0, 0.3])
    for search in (backtracking, strong_wolfe):
        res = search(quartic, x, p)
        assert isinstance(res, LineSearchResult)
        f, g = quartic(x + res.step * p)
        assert res.fun == f and np.array_equal(res.jac, g)


def test_backtracking_counts_its_evaluations():
    # f = x^2 from x = 1 along p = -4: t = 1 and 1/2 overshoot, t = 1/4 hits 0.
    res = backtracking(lambda x: (float(x @ x), 2 * x), [1.0], [-4.0])
    assert (res.step, res.nfev, res.success) == (0.25, 4, True)
    res = backtracking(lambda x: (float(x @ x), 2 * x), [1.0], [-4.0], f0=1.0, g0=[2.0])
    assert res.nfev == 3  # f(x) given: not evaluated again


def test_strong_wolfe_extrapolates_a_short_first_step():
    res = strong_wolfe(lambda x: (float(x @ x), 2 * x), [1.0], [-0.25], c2=0.1)
    assert (res.step, res.nfev, res.success) == (4.0, 4, True)


def test_strong_wolfe_on_rosenbrock_is_near_the_line_minimum():
    x = np.array([-1.2, 1.0])
    g = rosenbrock.grad(x)
    res = strong_wolfe(rosenbrock, x, -g)
    assert res.success and 5e-4 < res.step < 1e-3 and res.nfev <= 10


def test_a_non_finite_trial_counts_as_too_long():
    def log_barrier(x):  # finite only for x < 1
        with np.errstate(all="ignore"):
            return float(-np.log(1 - x[0]) + x[0] ** 2), np.array([1 / (1 - x[0]) + 2 * x[0]])

    for search in (backtracking, strong_wolfe):
        res = search(log_barrier, [0.0], [-1.0], step=5.0)  # x = -5 is fine
        assert res.success
        res = search(log_barrier, [-0.5], [1.0], step=5.0)  # x = 4.5: nan, shrink
        assert res.success and -0.5 + res.step < 1


def test_budget_exhausted_is_reported():
    res = backtracking(lambda x: (float(x @ x), 2 * x), [1.0], [-1e6], max_evals=3)
    assert not res.success and res.nfev == 4
    res = strong_wolfe(lambda x: (float(x @ x), 2 * x), [1.0], [-1e-9], max_evals=3)
    assert not res.success and res.nfev == 4


def test_benchmark_functions_and_jac_are_accepted():
    x = np.array([-1.2, 1.0])
    p = -rosenbrock.grad(x)
    a = backtracking(rosenbrock, x, p)
    b = backtracking(lambda z: rosenbrock(z), x, p, jac=rosenbrock.grad)
    assert a.step == b.step and a.nfev == b.nfev


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"p": [1.0, 0.0]}, "p must be a descent direction"),
        ({"p": [0.0, 0.0]}, "p must be a descent direction"),
        ({"p": [1.0]}, "p must have 2 elements"),
        ({"x": [[1.0, 2.0]]}, "x must be a 1-D array"),
        ({"x": [np.nan, 1.0]}, "x must contain only finite"),
        ({"step": 0.0}, r"step must be a real number in the range \(0, "),
        ({"c1": 1.0}, r"c1 must be a real number in the range \(0, 1\)"),
        ({"max_evals": 0}, r"max_evals must be an integer in the range \[1, inf\)"),
    ],
)
@pytest.mark.parametrize("search", [backtracking, strong_wolfe])
def test_bad_input_raises_value_error(search, kwargs, match):
    args = {"x": [1.0, 1.0], "p": [-1.0, -1.0]} | kwargs
    with pytest.raises(ValueError, match=match):
        search(quartic, args.pop("x"), args.pop("p"), **args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"shrink": 1.0}, "shrink must be"), ({"shrink": 0.0}, "shrink must be")],
)
def test_bad_shrink(kwargs, match):
    with pytest.raises(ValueError, match=match):
        backtracking(quartic, [1.0], [-1.0], **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"c1": 0.5, "c2": 0.4}, "c2 must be a real number in the range .* Choose 0 < c1 < c2 < 1"),
        ({"c2": 1.0}, "c2 must be"),
        ({"max_step": 0.5, "step": 1.0}, "step must be"),
    ],
)
def test_bad_wolfe_constants(kwargs, match):
    with pytest.raises(ValueError, match=match):
        strong_wolfe(quartic, [1.0], [-1.0], **kwargs)


def test_fun_returning_the_wrong_thing_is_reported():
    with pytest.raises(ValueError, match="must return a pair"):
        backtracking(lambda x: 1.0, [1.0], [-1.0], f0=1.0, g0=[1.0])
