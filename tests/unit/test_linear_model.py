"""Tests of :mod:`mlopt.linear_model`: equivalence with scikit-learn, gradients, API, errors."""

import functools
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import check_grad
from scipy.special import logsumexp, softmax
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlopt._losses import LOSSES
from mlopt.linear_model import (
    LinearRegressionGD,
    LogisticRegressionGD,
    smooth_objective_and_gradient,
    soft_threshold,
)
from mlopt.optimizers import SGD, Adagrad, Adam
from mlopt.schedules import inverse_time

# Run to convergence: max |gradient of J| <= TOL is far below what 1e-4 agreement needs.
TOL, MAX_ITER = 1e-9, 100_000
RTOL = 1e-4


@functools.cache
def standardised(name):
    """A data set bundled with scikit-learn, with standardised features."""
    loader = {"diabetes": load_diabetes, "breast_cancer": load_breast_cancer, "wine": load_wine}
    X, y = loader[name](return_X_y=True)
    return StandardScaler().fit_transform(X), y


def relative_difference(ours, reference):
    """max |difference| / max |reference|, over the coefficients and intercepts together."""
    a = np.concatenate([np.ravel(ours.coef_), np.ravel(ours.intercept_)])
    b = np.concatenate([np.ravel(reference.coef_), np.ravel(reference.intercept_)])
    return np.max(np.abs(a - b)) / np.max(np.abs(b))


# ---------------------------------------------------------------------------------------
# soft_threshold and the losses
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "threshold", "expected"),
    [
        (3.0, 1.0, 2.0),
        (-3.0, 1.0, -2.0),
        (0.5, 1.0, 0.0),
        (-1.0, 1.0, 0.0),
        (2.0, 0.0, 2.0),
        ([1.0, -4.0, 0.2], [0.5, 1.0, 0.1], [0.5, -3.0, 0.1]),
    ],
)
def test_soft_threshold(z, threshold, expected):
    assert_allclose(soft_threshold(z, threshold), expected, atol=0)


def test_soft_threshold_gives_positive_zeros():
    assert not np.any(np.signbit(soft_threshold([-0.5, 0.5, -1.0], 1.0)))


def test_soft_threshold_is_the_prox_of_the_l1_norm():
    # S_tau(z) minimises 0.5 (w - z)^2 + tau |w|: compare with a fine grid search.
    grid = np.linspace(-5, 5, 100_001)
    for z, tau in [(2.3, 0.7), (-1.1, 0.4), (0.3, 0.5)]:
        best = grid[np.argmin(0.5 * (grid - z) ** 2 + tau * np.abs(grid))]
        assert soft_threshold(z, tau) == pytest.approx(best, abs=1e-4)


@pytest.mark.parametrize(
    ("loss", "Y", "Z", "expected"),
    [
        ("binomial", [[1.0], [0.0], [1.0], [0.0]], [[1000.0], [-1000.0], [-1000.0], [1000.0]], 500),
        ("multinomial", [[1.0, 0.0], [0.0, 1.0]], [[1000.0, -1000.0], [1000.0, -1000.0]], 1000),
    ],
)
def test_cross_entropy_is_stable_at_extreme_logits(loss, Y, Z, expected):
    # pytest turns warnings into errors, so an overflow warning would fail this test.
    value, grad = LOSSES[loss][0](np.array(Y), np.array(Z))
    assert value == pytest.approx(expected)
    assert np.all(np.isfinite(grad))


def test_losses_match_their_textbook_formulas():
    rng = np.random.default_rng(0)
    Z = rng.normal(scale=3, size=(50, 3))
    labels = rng.integers(0, 3, 50)
    Y = np.eye(3)[labels]
    value, grad = LOSSES["multinomial"][0](Y, Z)
    assert value == pytest.approx(np.mean(logsumexp(Z, axis=1) - Z[np.arange(50), labels]))
    assert_allclose(grad, (softmax(Z, axis=1) - Y) / 50)
    y, z = Y[:, :1], Z[:, :1]
    p = 1 / (1 + np.exp(-z))
    value, grad = LOSSES["binomial"][0](y, z)
    assert value == pytest.approx(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))
    assert_allclose(grad, (p - y) / 50)
    value, grad = LOSSES["squared_error"][0](y, z)
    assert value == pytest.approx(np.mean(0.5 * (y - z) ** 2))
    assert_allclose(grad, (z - y) / 50)


def test_estimator_probabilities_are_stable_at_extreme_logits():
    X, y = np.array([[-1.0], [1.0]]), np.array([0, 1])
    model = LogisticRegressionGD(max_iter=1, tol=None).fit(X, y)
    model.coef_, model.intercept_ = np.array([[1000.0]]), np.array([0.0])
    assert_allclose(model.predict_proba(X), [[1, 0], [0, 1]])
    assert_allclose(model.predict_log_proba(X), [[0, -1000], [-1000, 0]])


# ---------------------------------------------------------------------------------------
# The gradient of the smooth part, against finite differences
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("loss", "n_outputs"), [("squared_error", 1), ("binomial", 1), ("multinomial", 3)]
)
@pytest.mark.parametrize("penalty", [(0.0, 0.0), (0.3, 0.0), (0.3, 1.0), (0.3, 0.4)])
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_gradient_matches_finite_differences(loss, n_outputs, penalty, seed):
    alpha, l1_ratio = penalty
    rng = np.random.default_rng(seed)
    n, p = 20, 4
    X = rng.normal(size=(n, p))
    y = rng.normal(size=n) if loss == "squared_error" else rng.integers(0, max(2, n_outputs), n)
    shape = (p,) if n_outputs == 1 and loss == "squared_error" else (n_outputs, p)
    n_coef = int(np.prod(shape))

    def split(theta):
        return theta[:n_coef].reshape(shape), theta[n_coef:]

    def f(theta):
        return smooth_objective_and_gradient(
            *split(theta), X, y, loss=loss, alpha=alpha, l1_ratio=l1_ratio
        )[0]

    def grad(theta):
        _, g_coef, g_intercept = smooth_objective_and_gradient(
            *split(theta), X, y, loss=loss, alpha=alpha, l1_ratio=l1_ratio
        )
        return np.concatenate([g_coef.ravel(), g_intercept])

    theta = rng.normal(size=n_coef + n_outputs)
    assert check_grad(f, grad, theta) < 1e-5 * max(1.0, np.linalg.norm(grad(theta)))


# ---------------------------------------------------------------------------------------
# Equivalence with scikit-learn, full batch and run to convergence
# ---------------------------------------------------------------------------------------

A = 0.5  # alpha of the penalised regressions


def _regression_cases():
    n = standardised("diabetes")[0].shape[0]
    return [
        pytest.param(dict(penalty=None), LinearRegression(), id="none-LinearRegression"),
        pytest.param(dict(penalty="l2", alpha=A), Ridge(alpha=n * A, tol=1e-12), id="l2-Ridge"),
        pytest.param(
            dict(penalty="l1", alpha=A), Lasso(alpha=A, tol=1e-12, max_iter=100_000), id="l1-Lasso"
        ),
        pytest.param(
            dict(penalty="elasticnet", alpha=A, l1_ratio=0.7),
            ElasticNet(alpha=A, l1_ratio=0.7, tol=1e-12, max_iter=100_000),
            id="elasticnet-ElasticNet",
        ),
    ]


@pytest.mark.parametrize(("params", "reference"), _regression_cases())
def test_regression_matches_scikit_learn(params, reference):
    X, y = standardised("diabetes")
    ours = LinearRegressionGD(**params, tol=TOL, max_iter=MAX_ITER).fit(X, y)
    reference.fit(X, y)
    assert relative_difference(ours, reference) < RTOL
    # The L1 penalty gives exact zeros, in the same places as coordinate descent.
    assert_array_equal(ours.coef_ == 0, reference.coef_ == 0)


def test_lasso_has_exact_zeros():
    X, y = standardised("diabetes")
    lasso = LinearRegressionGD(penalty="l1", alpha=A, tol=TOL, max_iter=MAX_ITER).fit(X, y)
    assert 0 < np.sum(lasso.coef_ == 0) < X.shape[1]


# Columns of breast_cancer on which the classes overlap: with all 30 features the data are
# linearly separable and unpenalised logistic regression has no minimiser.
OVERLAPPING = [0, 1, 4]


@pytest.mark.parametrize(
    ("data", "columns", "alpha"),
    [
        pytest.param("breast_cancer", OVERLAPPING, None, id="binary-none"),
        pytest.param("breast_cancer", slice(None), 0.01, id="binary-l2"),
        pytest.param("wine", slice(None), 0.01, id="multinomial-l2"),
    ],
)
def test_classification_matches_scikit_learn(data, columns, alpha):
    X, y = standardised(data)
    X = X[:, columns]
    n = X.shape[0]
    penalty = dict(penalty=None) if alpha is None else dict(penalty="l2", alpha=alpha)
    ours = LogisticRegressionGD(**penalty, tol=TOL, max_iter=MAX_ITER).fit(X, y)
    C = np.inf if alpha is None else 1 / (n * alpha)
    reference = LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)
    assert ours.coef_.shape == reference.coef_.shape
    assert relative_difference(ours, reference) < RTOL
    assert_allclose(ours.predict_proba(X), reference.predict_proba(X), atol=1e-5)


def test_full_batch_gradient_descent_decreases_the_objective():
    X, y = standardised("breast_cancer")
    model = LogisticRegressionGD(penalty="elasticnet", alpha=0.01, l1_ratio=0.5, tol=1e-5)
    model.set_params(max_iter=MAX_ITER).fit(X, y)
    assert len(model.loss_curve_) == model.n_iter_
    assert np.all(np.diff(model.loss_curve_) <= 1e-12)


# ---------------------------------------------------------------------------------------
# Mini-batches, other optimizers, reproducibility
# ---------------------------------------------------------------------------------------


def test_minibatch_sgd_with_decaying_schedule_gets_close():
    X, y = standardised("diabetes")
    exact = LinearRegressionGD(penalty="l2", alpha=A, tol=TOL, max_iter=MAX_ITER).fit(X, y)
    sgd = LinearRegressionGD(
        penalty="l2",
        alpha=A,
        optimizer=SGD(lr=inverse_time(lr=0.05, decay=0.01)),
        batch_size=16,
        max_iter=200,
        tol=None,
        random_state=0,
    ).fit(X, y)
    assert relative_difference(sgd, exact) < 2e-2
    assert sgd.loss_curve_[-1] < 1.001 * exact.loss_curve_[-1]


@pytest.mark.parametrize(
    "optimizer", ["sgd", "rmsprop", Adagrad(lr=0.1), Adam(lr=0.05), SGD(lr=0.1, momentum=0.9)]
)
def test_adaptive_optimizers_reach_the_neighbourhood(optimizer):
    X, y = standardised("breast_cancer")
    minimum = LogisticRegressionGD(alpha=0.01, tol=1e-8, max_iter=MAX_ITER).fit(X, y)
    model = LogisticRegressionGD(
        alpha=0.01, optimizer=optimizer, batch_size=64, max_iter=50, tol=None, random_state=0
    ).fit(X, y)
    assert model.loss_curve_[-1] < minimum.loss_curve_[-1] + 0.01


def test_random_state_makes_minibatch_fits_reproducible():
    X, y = standardised("wine")
    params = dict(alpha=0.01, batch_size=10, max_iter=5, tol=None)
    a = LogisticRegressionGD(**params, random_state=0).fit(X, y)
    b = LogisticRegressionGD(**params, random_state=0).fit(X, y)
    c = LogisticRegressionGD(**params, random_state=1).fit(X, y)
    assert_array_equal(a.coef_, b.coef_)
    assert not np.array_equal(a.coef_, c.coef_)


def test_optimizer_instance_carries_no_state_across_fits():
    X, y = standardised("diabetes")
    optimizer = Adam(lr=0.5)
    before = pickle.dumps(optimizer)
    model = LinearRegressionGD(optimizer=optimizer, max_iter=20, tol=None)
    first = model.fit(X, y).coef_.copy()
    second = model.fit(X, y).coef_
    assert_array_equal(first, second)
    assert model.optimizer is optimizer
    assert pickle.dumps(optimizer) == before


# ---------------------------------------------------------------------------------------
# Errors and warnings
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("penalty", "l3"),
        ("alpha", -1.0),
        ("l1_ratio", 1.5),
        ("l1_ratio", -0.1),
        ("optimizer", "newton"),
        ("optimizer", object()),
        ("batch_size", 0),
        ("batch_size", 2.5),
        ("max_iter", 0),
        ("tol", -1e-3),
        ("fit_intercept", "yes"),
        ("shuffle", 1.5),
        ("random_state", "seed"),
    ],
)
@pytest.mark.parametrize("Estimator", [LinearRegressionGD, LogisticRegressionGD])
def test_bad_parameter_raises_value_error_naming_it(Estimator, param, value):
    X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0, 1, 1])
    message = f"The '{param}' parameter of {Estimator.__name__} must be"
    with pytest.raises(ValueError, match=message):
        Estimator(**{param: value}).fit(X, y)


def test_one_class_raises():
    with pytest.raises(ValueError, match="at least 2 classes"):
        LogisticRegressionGD().fit(np.ones((3, 2)), [1, 1, 1])


def test_divergence_names_the_epoch_and_the_learning_rate():
    X, y = standardised("diabetes")
    model = LinearRegressionGD(penalty=None, optimizer=SGD(lr=50.0), max_iter=1000)
    with pytest.raises(
        FloatingPointError, match=r"diverged at epoch \d+ with lr=50: .* below 2/L = 0\.\d+"
    ):
        model.fit(X, y)


def test_convergence_warning_when_max_iter_is_hit():
    X, y = standardised("diabetes")
    with pytest.warns(ConvergenceWarning, match=r"did not converge in max_iter=3 epochs"):
        model = LinearRegressionGD(max_iter=3).fit(X, y)
    assert model.n_iter_ == 3


def test_no_warning_when_converged_or_tol_is_none():
    X, y = standardised("diabetes")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LinearRegressionGD(max_iter=3, tol=None).fit(X, y)
        LinearRegressionGD(penalty="l2", alpha=A, tol=1e-3).fit(X, y)


# ---------------------------------------------------------------------------------------
# scikit-learn compatibility
# ---------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    [
        LinearRegressionGD(),
        LogisticRegressionGD(),
        LogisticRegressionGD(penalty="l1", alpha=0.01),
        LinearRegressionGD(optimizer="adam", batch_size=8, max_iter=50),
    ]
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


def test_pipeline_grid_search_and_cross_validation():
    X, y = load_breast_cancer(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), LogisticRegressionGD(alpha=0.01, tol=1e-3))
    scores = cross_val_score(pipeline, X, y, cv=3)
    assert scores.min() > 0.9
    search = GridSearchCV(pipeline, {"logisticregressiongd__alpha": [0.01, 0.1]}, cv=3).fit(X, y)
    assert search.best_score_ > 0.9


def test_classifier_api():
    X, y = standardised("wine")
    labels = np.array(["a", "b", "c"])[y]
    model = LogisticRegressionGD(alpha=0.01, tol=1e-3).fit(X, labels)
    assert_array_equal(model.classes_, ["a", "b", "c"])
    assert model.coef_.shape == (3, X.shape[1]) and model.intercept_.shape == (3,)
    proba = model.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_allclose(np.exp(model.predict_log_proba(X)), proba)
    assert_array_equal(model.predict(X), model.classes_[np.argmax(proba, axis=1)])
    assert model.decision_function(X).shape == (X.shape[0], 3)


def test_full_batch_evaluates_the_objective_once_per_epoch(monkeypatch):
    """Full-batch descent reuses the end-of-epoch gradient for the next step: one evaluation
    of f per epoch (plus the first step), and still exactly the iterates of plain GD."""
    from sklearn.datasets import make_regression

    import mlopt.linear_model as lm

    X, y = make_regression(n_samples=60, n_features=4, noise=1.0, random_state=0)
    calls = {"objective": 0, "gradient": 0}
    originals = {
        "objective": lm._smooth_objective_and_gradient,
        "gradient": lm._smooth_gradient,
    }

    def counting(kind):
        def counted(*args, **kwargs):
            calls[kind] += 1
            return originals[kind](*args, **kwargs)

        return counted

    monkeypatch.setattr(lm, "_smooth_objective_and_gradient", counting("objective"))
    monkeypatch.setattr(lm, "_smooth_gradient", counting("gradient"))
    model = LinearRegressionGD(max_iter=25, tol=None).fit(X, y)
    # f and its gradient at the end of each epoch; the gradient alone for the first step
    assert calls == {"objective": 25, "gradient": 1}
    # The same numbers as gradient descent written out: theta <- theta - grad f(theta) / L.
    alpha = model.alpha
    lr = 1.0 / (lm._largest_eigenvalue_of_gram(X, True) + alpha)
    w, b = np.zeros(4), 0.0
    for _ in range(25):
        _, grad_w, grad_b = lm.smooth_objective_and_gradient(w, b, X, y, alpha=alpha)
        w, b = w - lr * grad_w, b - lr * grad_b
    assert_array_equal(model.coef_, w)
    assert model.intercept_ == b
    # Mini-batches still compute the gradient of every batch.
    calls.update(objective=0, gradient=0)
    LinearRegressionGD(max_iter=3, tol=None, batch_size=20, random_state=0).fit(X, y)
    assert calls == {"objective": 3, "gradient": 3 * 3}
