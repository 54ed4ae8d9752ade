"""mlopt.newton: scikit-learn's newton-cholesky solution, quadratic convergence, indefinite
Hessians, stopping rules, bad input and interruption."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import OptimizeResult
from scipy.special import expit

from mlopt import newton
from mlopt.functions import rosenbrock

A = np.array([[3.0, 1.0], [1.0, 2.0]])


def quadratic(x):
    return 0.5 * x @ A @ x, A @ x


def quadratic_hessian(x):
    return A


def rosenbrock_hessian(point):
    x, y = point
    return np.array([[2 - 400 * (y - 3 * x**2), -400 * x], [-400 * x, 200.0]])


def logistic_problem(alpha=0.01):
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    from mlopt.linear_model import flat_objective

    X, y = load_breast_cancer(return_X_y=True)
    Z = StandardScaler().fit_transform(X)
    n, d = Z.shape
    Z_tilde = np.column_stack([Z, np.ones(n)])
    mask = np.append(np.ones(d), 0.0)

    def hess(theta):
        p = expit(Z_tilde @ theta)
        return Z_tilde.T @ ((p * (1 - p))[:, None] * Z_tilde) / n + alpha * np.diag(mask)

    return Z, y, flat_objective(Z, y, loss="binomial", alpha=alpha), hess


def test_logistic_regression_matches_scikit_learn_newton_cholesky():
    from sklearn.linear_model import LogisticRegression

    Z, y, fun, hess = logistic_problem()
    n, d = Z.shape
    sk = LogisticRegression(C=1 / (n * 0.01), solver="newton-cholesky", tol=1e-14, max_iter=100)
    sk.fit(Z, y)
    reference = np.append(sk.coef_[0], sk.intercept_)
    errors = []
    res = newton(
        fun,
        np.zeros(d + 1),
        hess=hess,
        gtol=1e-12,
        callback=lambda r: errors.append(np.linalg.norm(r.x - reference)),
    )
    assert res.success and res.nshift == 0
    assert_allclose(res.x, reference, rtol=0, atol=1e-10)
    assert res.nit <= sk.n_iter_[0] + 1  # as few steps as scikit-learn's solver
    # Quadratic convergence: near the optimum the correct digits at least double per step.
    digits = [-math.log10(e / np.linalg.norm(reference)) for e in errors if e > 1e-11]
    close = [k for k in range(len(digits) - 1) if digits[k] >= 1.0]
    assert len(close) >= 2
    for k in close:
        assert digits[k + 1] >= 1.8 * digits[k], digits
    # ... and the full step t = 1 is taken there.
    steps = []
    newton(fun, np.zeros(d + 1), hess=hess, gtol=1e-12, callback=lambda r: steps.append(r.step))
    assert steps[-3:] == [1.0, 1.0, 1.0]


def test_quadratic_is_solved_in_one_step():
    res = newton(quadratic, [1.0, -2.0], hess=quadratic_hessian)
    assert isinstance(res, OptimizeResult)
    assert res.success and res.status == 0 and res.nit == 1
    assert res.nfev == 2 and res.nhev == 1
    assert np.max(np.abs(res.x)) < 1e-15
    assert res.history["x"].shape == (2, 2) and res.history["fun"].shape == (2,)
    assert "Converged" in res.message


@pytest.mark.parametrize("x0", [[-1.2, 1.0], [0.0, 1.0], [2.0, 2.0], [-1.5, 2.5]])
def test_rosenbrock_converges_from_every_start(x0):
    res = newton(rosenbrock, x0, hess=rosenbrock_hessian, gtol=1e-10)
    assert res.success
    assert_allclose(res.x, [1.0, 1.0], atol=1e-9)


def test_an_indefinite_hessian_is_shifted_and_reported():
    # At (0, 1) Rosenbrock's Hessian is diag(-398, 200): the Newton step would ascend.
    shifts = []
    res = newton(
        rosenbrock,
        [0.0, 1.0],
        hess=rosenbrock_hessian,
        gtol=1e-10,
        callback=lambda r: shifts.append(r.shift),
    )
    assert res.success and res.nshift >= 1 and shifts[0] > 398
    assert "not positive definite" in res.message and "shift" in res.message


def test_a_saddle_is_escaped_not_converged_to():
    # f = x^2 - y^2 + y^4/4: a saddle at 0, minima at y = +-sqrt(2); pure Newton goes to 0.
    def f(z):
        x, y = z
        return x**2 - y**2 + y**4 / 4, np.array([2 * x, -2 * y + y**3])

    def h(z):
        return np.diag([2.0, -2 + 3 * z[1] ** 2])

    res = newton(f, [0.5, 0.1], hess=h, gtol=1e-10)
    assert res.success and abs(abs(res.x[1]) - np.sqrt(2)) < 1e-9


def test_damping_makes_newton_converge_where_the_pure_step_diverges():
    # f = sqrt(1 + x^2): the pure Newton map is x -> -x^3, divergent from |x| > 1.
    res = newton(
        lambda x: (float(np.sqrt(1 + x @ x)), x / np.sqrt(1 + x @ x)),
        [1.5],
        hess=lambda x: np.array([[(1 + x[0] ** 2) ** -1.5]]),
        gtol=1e-10,
    )
    assert res.success and abs(res.x[0]) < 1e-10


def test_max_iter_callback_and_history_stride():
    res = newton(rosenbrock, [-1.2, 1.0], hess=rosenbrock_hessian, max_iter=3)
    assert res.status == 1 and res.nit == 3 and not res.success
    res = newton(rosenbrock, [-1.2, 1.0], hess=rosenbrock_hessian, callback=lambda r: r.nit == 2)
    assert res.status == 3 and res.nit == 2
    res = newton(rosenbrock, [-1.2, 1.0], hess=rosenbrock_hessian, history=5)
    assert res.history["nit"][-1] == res.nit and list(res.history["nit"][:2]) == [0, 5]
    assert newton(rosenbrock, [-1.2, 1.0], hess=rosenbrock_hessian, history=False).history is None


def test_x0_is_not_modified_and_jac_is_accepted():
    x0 = np.array([1.0, -2.0])
    res = newton(lambda x: 0.5 * x @ A @ x, x0, jac=lambda x: A @ x, hess=quadratic_hessian)
    assert res.success and np.array_equal(x0, [1.0, -2.0])


def test_a_non_finite_hessian_is_divergence():
    res = newton(quadratic, [1.0, 1.0], hess=lambda x: np.full((2, 2), np.nan))
    assert res.status == 2 and "Hessian" in res.message and res.nit == 0


def test_line_search_failure_has_its_own_status():
    # A gradient that disagrees with the function: no step decreases f as promised.
    res = newton(lambda x: (float(x @ x), -2 * x), [1.0, 1.0], hess=lambda x: -2 * np.eye(2))
    assert res.status == 6 and not res.success and "line search" in res.message


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x0": [[1.0, 2.0]]}, "x0 must be a 1-D array"),
        ({"x0": [np.inf, 1.0]}, "x0 must contain only finite"),
        ({"hess": None}, "hess must be a callable"),
        ({"hess": lambda x: np.eye(3)}, r"hess\(x\) must return an array of shape \(2, 2\)"),
        ({"max_iter": -1}, "max_iter must be an integer"),
        ({"gtol": -1.0}, r"gtol must be a real number in the range \[0, inf\)"),
        ({"c1": 0.5}, r"c1 must be a real number in the range \(0, 0.5\)"),
        ({"callback": 3}, "callback must be None or a callable"),
        ({"history": 0}, "history must be an integer"),
    ],
)
def test_bad_input_raises_value_error(kwargs, match):
    args = {"x0": [1.0, 1.0], "hess": quadratic_hessian} | kwargs
    with pytest.raises(ValueError, match=match):
        newton(quadratic, args.pop("x0"), **args)


def test_bad_fun_is_reported():
    with pytest.raises(ValueError, match="grad of shape"):
        newton(lambda x: (0.0, np.zeros(3)), [1.0, 1.0], hess=quadratic_hessian)
    with pytest.raises(ValueError, match=r"fun\(x0\) must be finite"):
        newton(lambda x: (np.inf, x), [1.0], hess=lambda x: np.eye(1))


@pytest.mark.parametrize("where", ["fun", "hess", "callback"])
def test_interruption_returns_the_partial_result(where):
    calls = {"n": 0}

    def interrupt_on_third(*args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    fun = rosenbrock
    hess = rosenbrock_hessian
    callback = None
    if where == "fun":
        fun = lambda x: (interrupt_on_third(), (rosenbrock(x), rosenbrock.grad(x)))[1]  # noqa: E731
    elif where == "hess":
        hess = lambda x: (interrupt_on_third(), rosenbrock_hessian(x))[1]  # noqa: E731
    else:
        callback = interrupt_on_third
    res = newton(fun, [-1.2, 1.0], hess=hess, callback=callback)
    assert res.status == 4 and not res.success and "Interrupted" in res.message
    assert res.nit >= 1 and res.history["x"].shape[0] == res.nit + 1
    assert res.fun == rosenbrock(res.x)


@pytest.mark.parametrize("where", ["fun", "hess", "callback"])
def test_exceptions_carry_the_partial_result(where):
    calls = {"n": 0}

    def fail_on_third(*args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("boom")

    kwargs = {"hess": rosenbrock_hessian}
    fun = rosenbrock
    if where == "fun":
        fun = lambda x: (fail_on_third(), (rosenbrock(x), rosenbrock.grad(x)))[1]  # noqa: E731
    elif where == "hess":
        kwargs["hess"] = lambda x: (fail_on_third(), rosenbrock_hessian(x))[1]  # noqa: E731
    else:
        kwargs["callback"] = fail_on_third
    with pytest.raises(RuntimeError, match="boom") as info:
        newton(fun, [-1.2, 1.0], **kwargs)
    partial = info.value.partial_result
    assert partial.status == 5 and partial.nit >= 1
    assert any("partial_result" in note for note in info.value.__notes__)
