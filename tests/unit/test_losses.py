"""The gradient-only path of the linear models' mini-batch steps equals the full objective's.

The estimators' mini-batch steps call ``_smooth_gradient`` with the loss's gradient alone
(``mlopt._losses.GRADIENTS``) instead of ``_smooth_objective_and_gradient``, which also
computes the loss. These tests hold the two to the same numbers bit for bit, so that a fit
takes exactly the same steps either way.
"""

import numpy as np
import pytest

from mlopt._losses import GRADIENTS, LOSSES
from mlopt.linear_model import (
    LinearRegressionGD,
    LogisticRegressionGD,
    _encode_targets,
    _smooth_gradient,
    _smooth_objective_and_gradient,
)


def _targets(loss, rng, n, k):
    if loss == "squared_error":
        return rng.normal(size=n)
    return rng.integers(0, 2 if loss == "binomial" else k, size=n).astype(float)


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("scale", [1e-3, 1.0, 30.0, 1e3])
def test_gradient_equals_the_losss_second_return_bit_for_bit(loss, scale):
    rng = np.random.default_rng(0)
    k = 1 if loss != "multinomial" else 4
    for n in (1, 7, 64):
        Z = scale * rng.normal(size=(n, k))
        Y = _encode_targets(_targets(loss, rng, n, k), loss, k)
        assert np.array_equal(GRADIENTS[loss](Y, Z), LOSSES[loss][0](Y, Z)[1])


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("ridge_share", [0.0, 0.5])
def test_smooth_gradient_equals_the_objectives_gradient_bit_for_bit(loss, ridge_share):
    rng = np.random.default_rng(1)
    k = 1 if loss != "multinomial" else 3
    for n, d in [(1, 1), (16, 5), (64, 30)]:
        X = rng.normal(size=(n, d))
        y = _targets(loss, rng, n, k)
        W, b = rng.normal(size=(k, d)), rng.normal(size=k)
        alpha, l1_ratio = 0.3, 1.0 - ridge_share
        _, grad_W, grad_b = _smooth_objective_and_gradient(W, b, X, y, loss, alpha, l1_ratio)
        fast_W, fast_b = _smooth_gradient(
            W, b, X, _encode_targets(y, loss, k), GRADIENTS[loss], alpha * (1.0 - l1_ratio)
        )
        assert np.array_equal(fast_W, grad_W) and np.array_equal(fast_b, grad_b)


def _fit_through_the_full_objective(estimator, X, y, monkeypatch):
    """Fit with the mini-batch steps computed by ``_smooth_objective_and_gradient``."""
    import mlopt.linear_model as lm

    def slow(W, b, X_batch, Y_batch, gradient_function, ridge):
        loss = next(name for name, g in GRADIENTS.items() if g is gradient_function)
        y_batch = Y_batch.argmax(axis=1) if loss == "multinomial" else Y_batch.ravel()
        # alpha = ridge with l1_ratio = 0 gives the same ridge weight, ridge * (1 - 0.0)
        _, grad_W, grad_b = lm._smooth_objective_and_gradient(
            W, b, X_batch, y_batch, loss, ridge, 0.0
        )
        return grad_W, grad_b

    with monkeypatch.context() as m:
        m.setattr(lm, "_smooth_gradient", slow)
        return estimator.fit(X, y)


@pytest.mark.parametrize(
    "make",
    [
        lambda: LinearRegressionGD(batch_size=8, max_iter=5, tol=None, random_state=0),
        lambda: LinearRegressionGD(
            penalty="elasticnet",
            alpha=0.1,
            l1_ratio=0.5,
            batch_size=8,
            max_iter=5,
            tol=None,
            random_state=0,
        ),
        lambda: LogisticRegressionGD(alpha=0.0, batch_size=8, max_iter=5, tol=None, random_state=0),
        lambda: LogisticRegressionGD(
            alpha=0.01, batch_size=16, max_iter=5, tol=None, random_state=1
        ),
    ],
)
@pytest.mark.parametrize("classes", [2, 3])
def test_a_fit_takes_the_same_steps_as_through_the_full_objective(make, classes, monkeypatch):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 4))
    estimator = make()
    if isinstance(estimator, LinearRegressionGD):
        if classes == 3:
            pytest.skip("one regression target is enough")
        y = X @ np.arange(1.0, 5.0) + rng.normal(size=50)
    else:
        y = rng.integers(0, classes, size=50)
    fast = make().fit(X, y)
    slow = _fit_through_the_full_objective(estimator, X, y, monkeypatch)
    assert np.array_equal(fast.coef_, slow.coef_)
    assert np.array_equal(fast.intercept_, slow.intercept_)
    assert np.array_equal(fast.loss_curve_, slow.loss_curve_)
