"""mlopt.minimize: stopping rules, history, divergence, callbacks and bad input."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import OptimizeResult

from mlopt import minimize
from mlopt.optimizers import SGD, Adam

A = np.diag([1.0, 10.0])  # f(x) = x^T A x / 2, L = 10


def quadratic(x):
    return 0.5 * x @ A @ x, A @ x


def test_gradient_descent_matches_closed_form():
    # On a diagonal quadratic GD contracts coordinate i by (1 - lr * a_i) per step.
    x0 = np.array([1.0, 1.0])
    res = minimize(quadratic, x0, optimizer=SGD(lr=0.1), max_iter=5, gtol=0.0)
    assert_allclose(res.x, x0 * (1 - 0.1 * np.diag(A)) ** 5, rtol=1e-14)
    assert res.nit == 5 and res.nfev == 6 and res.status == 1 and not res.success


def test_result_fields_and_history_shapes():
    res = minimize(quadratic, [1.0, -2.0], optimizer=SGD(lr=0.15), max_iter=500)
    assert isinstance(res, OptimizeResult)
    assert res.success and res.status == 0 and "Converged" in res.message
    assert np.max(np.abs(res.jac)) <= 1e-6
    assert res.history["x"].shape == (res.nit + 1, 2)
    assert res.history["fun"].shape == (res.nit + 1,)
    assert_allclose(res.history["x"][-1], res.x)
    assert res.history["fun"][-1] == res.fun
    assert_allclose(res.history["x"][0], [1.0, -2.0])


def test_zero_steps_when_started_at_the_minimum():
    res = minimize(quadratic, [0.0, 0.0], optimizer=SGD(lr=0.1))
    assert res.success and res.nit == 0 and res.nfev == 1


@pytest.mark.parametrize("lr", [0.21, 1.0, 1e3])
def test_divergence_is_reported_not_raised(lr):
    # Above 2/L = 0.2 gradient descent diverges on this quadratic.
    with np.errstate(all="raise"):  # no NumPy warning may escape
        res = minimize(quadratic, [1.0, 1.0], optimizer=SGD(lr=lr), max_iter=100_000)
    assert not res.success and res.status == 2
    assert "diverged" in res.message.lower() and "smaller learning rate" in res.message
    assert np.all(np.isfinite(res.x)) and np.isfinite(res.fun)
    assert res.history["x"].shape == (res.nit + 1, 2)


def test_growth_without_overflow_is_flagged_at_max_iter():
    res = minimize(quadratic, [1.0, 1.0], optimizer=SGD(lr=0.25), max_iter=10)
    assert res.status == 1 and "grew" in res.message


def test_callback_can_stop_the_run():
    seen = []

    def callback(intermediate):
        seen.append(intermediate.nit)
        return intermediate.nit == 3

    res = minimize(quadratic, [1.0, 1.0], optimizer=SGD(lr=0.01), callback=callback)
    assert seen == [1, 2, 3] and res.status == 3 and res.nit == 3


def test_optimizer_passed_in_is_not_modified_and_runs_repeat():
    opt = Adam(lr=0.1)
    first = minimize(quadratic, [1.0, 1.0], optimizer=opt, max_iter=20, gtol=0.0)
    second = minimize(quadratic, [1.0, 1.0], optimizer=opt, max_iter=20, gtol=0.0)
    assert_allclose(first.history["x"], second.history["x"], rtol=0, atol=0)
    fresh = Adam(lr=0.1)
    assert_allclose(opt.step(np.ones(2), np.ones(2)), fresh.step(np.ones(2), np.ones(2)))


def test_scalar_start_is_a_vector_of_length_one():
    res = minimize(lambda x: (float(x[0] ** 2), 2 * x), 3.0, optimizer=SGD(lr=0.25))
    assert res.x.shape == (1,) and res.success


def test_x0_is_not_mutated():
    x0 = np.array([1.0, 1.0])
    minimize(quadratic, x0, optimizer=SGD(lr=0.1), max_iter=3)
    assert_allclose(x0, [1.0, 1.0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x0": [[1.0, 2.0]]}, "x0 must be a 1-D array"),
        ({"x0": [np.nan, 1.0]}, "x0 must contain only finite"),
        ({"max_iter": -1}, "max_iter must be an integer"),
        ({"max_iter": 2.5}, "max_iter must be an integer"),
        ({"gtol": -1.0}, r"gtol must be a real number in the range \[0, inf\)"),
        ({"optimizer": "sgd"}, "optimizer must be an mlopt optimizer"),
        ({"callback": 3}, "callback must be None or a callable"),
    ],
)
def test_bad_input_raises_value_error(kwargs, match):
    args = {"x0": [1.0, 1.0], "optimizer": SGD(lr=0.1)} | kwargs
    x0 = args.pop("x0")
    with pytest.raises(ValueError, match=match):
        minimize(quadratic, x0, **args)


def test_wrong_gradient_shape_is_reported():
    with pytest.raises(ValueError, match="grad of shape"):
        minimize(lambda x: (0.0, np.zeros(3)), [1.0, 1.0], optimizer=SGD(lr=0.1))


def test_non_finite_start_is_reported():
    with pytest.raises(ValueError, match="fun\\(x0\\) must be finite"):
        minimize(lambda x: (np.inf, x), [1.0], optimizer=SGD(lr=0.1))


def test_overflow_inside_the_update_is_reported_as_divergence():
    # A finite gradient so large that the step itself overflows.
    res = minimize(
        lambda x: (float(x @ x), 1e300 * np.ones(2)),
        [1.0, 1.0],
        optimizer=SGD(lr=1e300),
        max_iter=5,
    )
    assert res.status == 2 and "diverged" in res.message.lower() and res.nit == 0
