"""mlopt.lbfgs: SciPy's L-BFGS-B optimum on the book's test functions and on logistic
regression, iteration counts, the two-loop recursion against the explicit BFGS matrix, bad
input and interruption."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize as scipy_minimize

from mlopt import lbfgs
from mlopt._lbfgs import two_loop_direction
from mlopt.functions import ackley, branin, himmelblau, rastrigin, rosenbrock, sphere

#: mlopt.lbfgs takes at most this many times SciPy's iterations (measured: 0.82 to 1.17).
ITERATION_FACTOR = 1.5


def _pair(f):
    return lambda x: (f(x), f.grad(x))


def _scipy(fun, x0, gtol):
    return scipy_minimize(
        fun,
        x0,
        jac=True,
        method="L-BFGS-B",
        options={"gtol": gtol, "ftol": 0.0, "maxiter": 10_000, "maxfun": 100_000},
    )


# (function, start, gtol): starts from which both solvers reach the same local minimiser.
# Ackley and Rastrigin are started inside the basin of their global minimum (elsewhere the
# two solvers may legitimately stop in different local minima), with a gtol that rounding
# lets them reach: their values near the minimum are differences of numbers of order 10
# (Branin's too: from (9, 3), NumPy 1.24's last bits already stop the line search at 6e-8).
PROBLEMS = [
    (sphere, [3.0, -4.0, 1.0], 1e-10),
    (rosenbrock, [-1.2, 1.0], 1e-10),
    (rosenbrock, [-1.5, 2.5], 1e-10),
    (rosenbrock, [0.5, -0.8, 1.2, 0.3, -1.0], 1e-10),
    (himmelblau, [0.5, 0.5], 1e-10),
    (himmelblau, [-2.0, 2.0], 1e-10),
    (rastrigin, [0.3, -0.2], 1e-7),
    (ackley, [0.3, -0.4], 1e-7),
    (branin, [3.0, 2.0], 1e-7),
    (branin, [9.0, 3.0], 1e-7),
]


@pytest.mark.parametrize(
    ("f", "x0", "gtol"), PROBLEMS, ids=[f"{f.__class__.__name__}-{x0}" for f, x0, _ in PROBLEMS]
)
def test_reaches_scipy_lbfgsb_optimum_on_the_test_functions(f, x0, gtol):
    ours = lbfgs(f, x0, gtol=gtol)
    theirs = _scipy(_pair(f), np.array(x0), gtol)
    assert ours.success, ours.message
    # Two points whose gradients are below gtol agree to about gtol / curvature.
    assert_allclose(ours.x, theirs.x, rtol=0, atol=max(1e-8, 100 * gtol))
    assert ours.nit <= ITERATION_FACTOR * theirs.nit + 2


def test_reaches_scipy_lbfgsb_optimum_on_logistic_regression():
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    from mlopt.linear_model import flat_objective

    X, y = load_breast_cancer(return_X_y=True)
    Z = StandardScaler().fit_transform(X)
    fun = flat_objective(Z, y, loss="binomial", alpha=0.01)
    x0 = np.zeros(Z.shape[1] + 1)
    ours = lbfgs(fun, x0, gtol=1e-9)  # below 1e-10 rounding hides the decrease of f
    theirs = _scipy(fun, x0, 1e-9)
    assert ours.success
    assert_allclose(ours.x, theirs.x, rtol=0, atol=1e-8)
    assert ours.nit <= ITERATION_FACTOR * theirs.nit


def _explicit_bfgs(S, Y):
    """H built by the BFGS formula from H0 = gamma I (gamma of the newest pair)."""
    d = len(S[0])
    H = (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1]) * np.eye(d)
    for s, y in zip(S, Y, strict=True):
        rho = 1 / (y @ s)
        V = np.eye(d) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
    return H


@pytest.mark.parametrize("m", [5, 8, 30])
def test_directions_equal_the_explicit_bfgs_product_while_the_memory_holds(m):
    # A convex quadratic plus a quartic in 6 dimensions: every pair has s^T y > 0.
    rng = np.random.default_rng(0)
    M = rng.normal(size=(6, 6))
    A = M @ M.T + np.eye(6)

    def f(x):
        return 0.5 * x @ A @ x + 0.25 * np.sum(x**4), A @ x + x**3

    x0 = rng.normal(size=6)
    records = []
    res = lbfgs(f, x0, m=m, gtol=1e-12, callback=lambda r: records.append(r))
    assert res.success and res.nit > 8
    g = f(x0)[1]
    S, Y = [], []
    checked = 0
    for k, r in enumerate(records):
        if k == 0:
            assert_allclose(r.direction, -g)  # no pairs yet: steepest descent
        elif k <= m:  # every pair is still in memory: L-BFGS is BFGS from H0 = gamma I
            expected = -_explicit_bfgs(S, Y) @ g
            scale = np.abs(expected).max()
            assert_allclose(r.direction, expected, rtol=1e-9, atol=1e-12 * scale)
            assert_allclose(
                two_loop_direction(g, S, Y), r.direction, rtol=1e-12, atol=1e-14 * scale
            )
            checked += 1
        else:  # only the newest m pairs count
            assert_allclose(
                two_loop_direction(g, S[-m:], Y[-m:]),
                r.direction,
                rtol=1e-12,
                atol=1e-14 * np.abs(r.direction).max(),
            )
        S.append(r.step * r.direction)  # the pair exactly as lbfgs stores it
        Y.append(r.jac - g)
        g = r.jac
    assert checked == min(m, len(records) - 1)


def test_two_loop_with_d_conjugate_pairs_is_newton_on_a_quadratic():
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]])
    S = list(np.linalg.eigh(A)[1].T)  # A-conjugate steps
    g = np.array([1.0, -2.0, 0.5])
    assert_allclose(two_loop_direction(g, S, [A @ s for s in S]), -np.linalg.solve(A, g))


def test_result_fields_history_and_counts():
    res = lbfgs(rosenbrock, [-1.2, 1.0])
    assert res.success and res.status == 0 and "Converged" in res.message
    assert res.history["x"].shape == (res.nit + 1, 2)
    assert res.nfev >= res.nit + 1
    calls = []
    lbfgs(lambda x: (calls.append(1), (rosenbrock(x), rosenbrock.grad(x)))[1], [-1.2, 1.0])
    assert len(calls) == res.nfev  # every evaluation counted, line search included


def test_stopping_rules():
    res = lbfgs(rosenbrock, [-1.2, 1.0], max_iter=5)
    assert res.status == 1 and res.nit == 5 and not res.success
    res = lbfgs(rosenbrock, [-1.2, 1.0], callback=lambda r: r.nit == 3)
    assert res.status == 3 and res.nit == 3
    res = lbfgs(rosenbrock, [-1.2, 1.0], max_iter=0)
    assert res.status == 1 and res.nit == 0 and res.nfev == 1


def test_line_search_failure_has_its_own_status():
    res = lbfgs(lambda x: (float(x @ x), -2 * x), [1.0, 1.0])  # a gradient of the wrong sign
    assert res.status == 6 and not res.success and "line search" in res.message


def test_x0_is_not_modified_and_jac_is_accepted():
    x0 = np.array([-1.2, 1.0])
    res = lbfgs(lambda x: rosenbrock(x), x0, jac=rosenbrock.grad)
    assert res.success and np.array_equal(x0, [-1.2, 1.0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x0": [[1.0, 2.0]]}, "x0 must be a 1-D array"),
        ({"x0": [np.nan, 1.0]}, "x0 must contain only finite"),
        ({"x0": []}, "x0 must be a non-empty"),
        ({"m": 0}, r"m must be an integer in the range \[1, inf\)"),
        ({"m": 2.5}, "m must be an integer"),
        ({"max_iter": -1}, "max_iter must be an integer"),
        ({"gtol": -1.0}, r"gtol must be a real number in the range \[0, inf\)"),
        ({"c1": 0.0}, "c1 must be a real number"),
        ({"c1": 0.5, "c2": 0.1}, "c2 must be a real number .* Choose 0 < c1 < c2 < 1"),
        ({"callback": "print"}, "callback must be None or a callable"),
        ({"history": -2}, "history must be an integer"),
    ],
)
def test_bad_input_raises_value_error(kwargs, match):
    args = {"x0": [1.0, 1.0]} | kwargs
    with pytest.raises(ValueError, match=match):
        lbfgs(rosenbrock, args.pop("x0"), **args)


def test_bad_fun_is_reported():
    with pytest.raises(ValueError, match="must return a pair"):
        lbfgs(lambda x: 1.0, [1.0, 1.0])
    with pytest.raises(ValueError, match="grad of shape"):
        lbfgs(lambda x: (0.0, np.zeros(3)), [1.0, 1.0])


@pytest.mark.parametrize("where", ["fun", "callback"])
def test_interruption_returns_the_partial_result(where):
    calls = {"n": 0}

    def interrupt_on_tenth(*args):
        calls["n"] += 1
        if calls["n"] == 10:
            raise KeyboardInterrupt

    fun, callback = rosenbrock, None
    if where == "fun":
        fun = lambda x: (interrupt_on_tenth(), (rosenbrock(x), rosenbrock.grad(x)))[1]  # noqa: E731
    else:
        callback = interrupt_on_tenth
    res = lbfgs(fun, [-1.2, 1.0], callback=callback)
    assert res.status == 4 and not res.success and "Interrupted" in res.message
    assert res.nit >= 1 and res.history["x"].shape[0] == res.nit + 1
    assert res.fun == rosenbrock(res.x)
    if where == "fun":
        assert res.nfev == 9  # the interrupted call returned nothing


@pytest.mark.parametrize("where", ["fun", "callback"])
def test_exceptions_carry_the_partial_result(where):
    calls = {"n": 0}

    def fail_on_tenth(*args):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("boom")

    fun, callback = rosenbrock, None
    if where == "fun":
        fun = lambda x: (fail_on_tenth(), (rosenbrock(x), rosenbrock.grad(x)))[1]  # noqa: E731
    else:
        callback = fail_on_tenth
    with pytest.raises(RuntimeError, match="boom") as info:
        lbfgs(fun, [-1.2, 1.0], callback=callback)
    assert info.value.partial_result.status == 5
    assert any("partial_result" in note for note in info.value.__notes__)
