"""Tests of :mod:`mlopt.proximal`: ISTA and FISTA against scikit-learn's Lasso."""

import functools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.preprocessing import StandardScaler

from mlopt.proximal import fista, ista, soft_threshold

SOLVERS = [ista, fista]


@functools.cache
def diabetes():
    """Standardised features, centred targets, and the step 1/L of the least-squares loss."""
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y = y - y.mean()
    L = np.linalg.eigvalsh(X.T @ X / len(y))[-1]
    return X, y, 1.0 / L


def least_squares(X, y, ridge=0.0):
    """x -> (f(x), grad f(x)) for f(x) = |y - X x|^2 / (2n) + ridge / 2 |x|^2."""
    n = len(y)

    def fun_and_grad(w):
        r = X @ w - y
        return 0.5 * r @ r / n + 0.5 * ridge * w @ w, X.T @ r / n + ridge * w

    return fun_and_grad


def lasso_objective(X, y, w, alpha):
    return 0.5 * np.sum((y - X @ w) ** 2) / len(y) + alpha * np.sum(np.abs(w))


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("alpha", [0.5, 5.0, 20.0])
def test_matches_sklearn_lasso(solver, alpha):
    X, y, lr = diabetes()
    res = solver(least_squares(X, y), np.zeros(10), lr=lr, l1=alpha, max_iter=100_000, tol=1e-9)
    ref = Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    assert res.success
    assert_allclose(res.x, ref.coef_, atol=1e-6 * np.max(np.abs(ref.coef_)))
    assert_allclose(res.fun, lasso_objective(X, y, ref.coef_, alpha), rtol=1e-12)


@pytest.mark.parametrize("solver", SOLVERS)
def test_exact_zeros_where_sklearn_has_zeros(solver):
    X, y, lr = diabetes()
    res = solver(least_squares(X, y), np.zeros(10), lr=lr, l1=5.0, max_iter=100_000, tol=1e-9)
    ref = Lasso(alpha=5.0, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    assert np.sum(ref.coef_ == 0) >= 3
    assert_array_equal(res.x == 0, ref.coef_ == 0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_elastic_net_via_the_smooth_part(solver):
    X, y, lr = diabetes()
    alpha, rho = 2.0, 0.5
    res = solver(
        least_squares(X, y, ridge=alpha * (1 - rho)),
        np.zeros(10),
        lr=1 / (1 / lr + alpha * (1 - rho)),
        l1=alpha * rho,
        max_iter=100_000,
        tol=1e-9,
    )
    ref = ElasticNet(alpha=alpha, l1_ratio=rho, fit_intercept=False, tol=1e-12).fit(X, y)
    assert_allclose(res.x, ref.coef_, atol=1e-6 * np.max(np.abs(ref.coef_)))


def test_per_coordinate_weights_leave_the_intercept_unpenalised():
    X, y_centred, lr = diabetes()
    y = y_centred + 150.0
    X1 = np.hstack([X, np.ones((len(y), 1))])
    weights = np.r_[np.full(10, 5.0), 0.0]
    lr1 = 1.0 / np.linalg.eigvalsh(X1.T @ X1 / len(y))[-1]
    res = fista(least_squares(X1, y), np.zeros(11), lr=lr1, l1=weights, max_iter=100_000)
    ref = Lasso(alpha=5.0, tol=1e-12).fit(X, y)
    assert_allclose(res.x[:10], ref.coef_, atol=1e-6 * np.max(np.abs(ref.coef_)))
    assert_allclose(res.x[10], ref.intercept_, rtol=1e-8)


def test_ista_objective_decreases_monotonically():
    X, y, lr = diabetes()
    res = ista(least_squares(X, y), np.zeros(10), lr=lr, l1=1.0, max_iter=2000, tol=0.0)
    assert res.nit > 100
    assert np.all(np.diff(res.history["fun"]) <= 1e-12 * res.history["fun"][0])


@functools.cache
def underdetermined():
    """A lasso with n < d: not strongly convex, so only the sublinear rates hold."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 80))
    y = X[:, :5] @ np.ones(5) + 0.1 * rng.normal(size=30)
    lr = 1.0 / np.linalg.eigvalsh(X.T @ X / 30)[-1]
    return X, y, lr


def test_fista_is_faster_than_ista():
    X, y, lr = underdetermined()
    F_star = fista(least_squares(X, y), np.zeros(80), lr=lr, l1=0.05, max_iter=50_000).fun
    runs = [
        solver(least_squares(X, y), np.zeros(80), lr=lr, l1=0.05, max_iter=100, tol=0.0)
        for solver in SOLVERS
    ]
    gap_ista, gap_fista = (r.history["fun"][-1] - F_star for r in runs)
    assert gap_fista < gap_ista / 100
    converged = [
        solver(least_squares(X, y), np.zeros(80), lr=lr, l1=0.05, max_iter=100_000, tol=1e-6)
        for solver in SOLVERS
    ]
    assert all(r.success for r in converged)
    assert converged[1].nit < converged[0].nit


def test_rates_of_beck_and_teboulle_hold_on_an_underdetermined_lasso():
    X, y, lr = underdetermined()
    alpha = 0.05
    best = fista(least_squares(X, y), np.zeros(80), lr=lr, l1=alpha, max_iter=50_000, tol=0.0)
    F_star, x_star = best.fun, best.x
    k = np.arange(1, 201)
    R2 = np.sum(x_star**2)  # x0 = 0
    for solver, bound in [(ista, R2 / (2 * lr * k)), (fista, 2 * R2 / (lr * (k + 1) ** 2))]:
        res = solver(least_squares(X, y), np.zeros(80), lr=lr, l1=alpha, max_iter=200, tol=0.0)
        gap = res.history["fun"][1:] - F_star
        assert np.all(gap <= bound * (1 + 1e-9))


def test_first_step_is_soft_thresholding_of_a_gradient_step():
    X, y, lr = diabetes()
    fun_and_grad = least_squares(X, y)
    x0 = np.linspace(-1, 1, 10)
    expected = soft_threshold(x0 - lr * fun_and_grad(x0)[1], lr * 3.0)
    for solver in SOLVERS:
        res = solver(fun_and_grad, x0, lr=lr, l1=3.0, max_iter=1, tol=0.0)
        assert_allclose(res.x, expected, rtol=0, atol=0)
        assert res.history["x"].shape == (2, 10) and res.history["fun"].shape == (2,)
        assert res.status == 1 and not res.success


@pytest.mark.parametrize("solver", SOLVERS)
def test_zero_penalty_is_gradient_descent_to_least_squares(solver):
    X, y, lr = diabetes()
    res = solver(least_squares(X, y), np.zeros(10), lr=lr, l1=0.0, max_iter=100_000)
    assert_allclose(res.x, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_too_large_step_is_reported_as_divergence(solver):
    X, y, lr = diabetes()
    res = solver(least_squares(X, y), np.zeros(10), lr=50 * lr, l1=1.0, max_iter=10_000)
    assert res.status == 2 and not res.success
    assert "Diverged" in res.message and "lr <= 1/L" in res.message
    assert np.all(np.isfinite(res.x))


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr": 0.0}, "lr must be a real number in the range"),
        ({"lr": -1.0}, "lr must be"),
        ({"l1": -0.1}, "l1 must be non-negative"),
        ({"l1": [1.0, 2.0]}, r"l1 must be .* shape \(3,\)"),
        ({"l1": "a"}, "l1 must be"),
        ({"max_iter": 0}, "max_iter must be an integer"),
        ({"max_iter": 2.5}, "max_iter must be an integer"),
        ({"tol": -1e-3}, "tol must be"),
        ({"x0": [[1.0, 2.0]]}, "x0 must be a 1-D array"),
        ({"x0": [np.nan, 0.0, 0.0]}, "x0 must contain only finite"),
        ({"fun": "f"}, "fun must be a callable"),
        ({"fun": lambda x: (0.0, np.zeros(2))}, "grad of shape"),
        ({"fun": lambda x: (np.inf, x)}, "must be finite"),
    ],
)
def test_bad_input_raises(solver, kwargs, match):
    args = {
        "fun": lambda x: (0.5 * x @ x, x),
        "x0": np.ones(3),
        "lr": 0.5,
        "l1": 0.1,
    } | kwargs
    with pytest.raises(ValueError, match=match):
        solver(args.pop("fun"), args.pop("x0"), **args)
