"""mlopt.gradcheck: finite differences and the diagnosis of common gradient bugs."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import approx_fprime

from mlopt.gradcheck import check_gradient, numerical_gradient

rng = np.random.default_rng(0)
X = rng.normal(size=(20, 3))
y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=20)


def mse(w):
    return float(np.mean((y - X @ w) ** 2))


def mse_grad(w):
    return -2 / len(y) * X.T @ (y - X @ w)


def test_central_differences_match_scipy_forward_differences():
    w = np.array([0.3, -0.7, 1.1])
    assert_allclose(numerical_gradient(mse, w), approx_fprime(w, mse, 1e-8), rtol=1e-5)
    assert_allclose(numerical_gradient(mse, w), mse_grad(w), rtol=1e-8)


def test_central_differences_are_second_order():
    f, df = np.sin, np.cos(1.0)
    err = [abs(numerical_gradient(lambda x: f(x[0]), [1.0], h=h)[0] - df) for h in (1e-2, 1e-3)]
    assert 80 < err[0] / err[1] < 120  # error shrinks by 100 when h shrinks by 10


def test_correct_gradient_passes():
    result = check_gradient(mse, mse_grad, [0.3, -0.7, 1.1])
    assert result.ok and result.max_error < 1e-8
    assert "agrees" in str(result)


def test_flipped_sign_is_diagnosed():
    # The seed article 000's bug: grad = (2/m) X^T (y - Xw), the sign flipped.
    result = check_gradient(mse, lambda w: 2 / len(y) * X.T @ (y - X @ w), [0.3, -0.7, 1.1])
    assert not result.ok and "wrong sign" in result.diagnosis


def test_lost_factor_two_is_diagnosed():
    # The seed article 001's bug: the gradient of half the MSE used for the MSE.
    result = check_gradient(mse, lambda w: -1 / len(y) * X.T @ (y - X @ w), [0.3, -0.7, 1.1])
    assert (
        not result.ok and "constant factor" in result.diagnosis and "0.5 times" in result.diagnosis
    )


def test_wrong_coordinate_is_named():
    def bad(w):
        g = mse_grad(w)
        g[2] += 1.0
        return g

    result = check_gradient(mse, bad, [0.3, -0.7, 1.1])
    assert not result.ok and "[2]" in result.diagnosis


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"h": 0.0}, "h must be"), ({"rtol": -1.0}, "rtol must be")],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        if "h" in kwargs:
            numerical_gradient(mse, [1.0, 2.0, 3.0], **kwargs)
        else:
            check_gradient(mse, mse_grad, [1.0, 2.0, 3.0], **kwargs)


def test_gradient_shape_mismatch():
    with pytest.raises(ValueError, match="grad\\(x\\) must have shape"):
        check_gradient(mse, lambda w: np.zeros(2), [1.0, 2.0, 3.0])
