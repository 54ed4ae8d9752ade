"""Pin the facts that chapters 1 and 2 (linear and logistic regression) state in their prose.

The notebooks are checked output by output by nbval; these tests say *which* properties the
text relies on, so that a change in mlopt that breaks one fails here with a readable message.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from mlopt import minimize
from mlopt.linear_model import (
    LinearRegressionGD,
    LogisticRegressionGD,
    smooth_objective_and_gradient,
)
from mlopt.optimizers import SGD


def one_feature_data():
    """The data of chapter 1: y = 1.5 x + 2 + noise, x in [1, 5]."""
    rng = np.random.default_rng(0)
    x = rng.uniform(1.0, 5.0, size=50)
    y = 1.5 * x + 2.0 + rng.normal(scale=0.5, size=50)
    return x[:, None], y


def objective(X, y):
    def fun(theta):
        f, grad_w, grad_b = smooth_objective_and_gradient(theta[:1], theta[1], X, y)
        return f, np.append(grad_w, grad_b)

    return fun


def largest_curvature(X):
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.eigvalsh(A.T @ A / len(A)).max()


def test_step_just_below_two_over_L_descends_and_just_above_climbs():
    X, y = one_feature_data()
    L = largest_curvature(X)
    fun = objective(X, y)
    start = fun(np.zeros(2))[0]
    below = minimize(fun, np.zeros(2), optimizer=SGD(lr=0.99 * 2 / L), max_iter=300, gtol=0)
    above = minimize(fun, np.zeros(2), optimizer=SGD(lr=1.01 * 2 / L), max_iter=300, gtol=0)
    assert below.fun < start < above.fun


def test_standardised_single_feature_converges_in_one_step():
    X, y = one_feature_data()
    X_std = (X - X.mean()) / X.std()
    L = largest_curvature(X_std)
    assert L == pytest.approx(1.0)
    res = minimize(
        objective(X_std, y), np.zeros(2), optimizer=SGD(lr=1 / L), max_iter=50, gtol=1e-8
    )
    assert res.success and res.nit == 1


def test_diabetes_gradient_descent_matches_least_squares_only_when_standardised():
    X, y = load_diabetes(return_X_y=True, scaled=False)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.25, random_state=0)
    reference = LinearRegression().fit(X_train, y_train)
    model = make_pipeline(
        StandardScaler(), LinearRegressionGD(penalty=None, tol=1e-4, max_iter=20_000)
    )
    model.fit(X_train, y_train)
    coef = model[-1].coef_ / model[0].scale_
    assert np.max(np.abs(coef - reference.coef_)) < 1e-3 * np.max(np.abs(reference.coef_))
    with pytest.warns(ConvergenceWarning, match="standardise the features"):
        LinearRegressionGD(penalty=None, tol=1e-4, max_iter=3000).fit(X_train, y_train)


def test_naive_cross_entropy_fails_and_the_stable_one_does_not():
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    with np.errstate(all="ignore"):
        p = 1 / (1 + np.exp(-z))
        naive = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert np.isnan(naive[[0, 3]]).all() and np.isinf(naive[[1, 2]]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f, grad_w, grad_b = smooth_objective_and_gradient(
            [1.0], 0.0, z[:, None], y, loss="binomial"
        )
    assert f == pytest.approx(500.0)
    assert np.isfinite(grad_w).all() and np.isfinite(grad_b)


def test_breast_cancer_gradient_descent_matches_scikit_learn():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, 1 - y, test_size=0.25, random_state=0, stratify=y)
    alpha = 0.01
    ours = make_pipeline(
        StandardScaler(), LogisticRegressionGD(alpha=alpha, tol=1e-6, max_iter=100_000)
    )
    theirs = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=1 / (len(y_train) * alpha), tol=1e-10, max_iter=10_000),
    )
    a, b = ours.fit(X_train, y_train)[-1].coef_, theirs.fit(X_train, y_train)[-1].coef_
    assert np.max(np.abs(a - b)) < 1e-3 * np.max(np.abs(b))


def test_weights_grow_without_bound_on_separable_data_unless_penalised():
    X, y = make_classification(
        n_samples=200,
        n_features=2,
        n_informative=2,
        n_redundant=0,
        n_clusters_per_class=1,
        class_sep=2.0,
        flip_y=0.0,
        random_state=0,
    )
    norms = {}
    for alpha in [0.0, 0.01]:
        for max_iter in [300, 1000]:
            model = LogisticRegressionGD(alpha=alpha, tol=None, max_iter=max_iter).fit(X, y)
            norms[alpha, max_iter] = np.linalg.norm(model.coef_)
        if alpha == 0.0:
            assert model.score(X, y) == 1.0  # separable
    assert norms[0.0, 1000] > norms[0.0, 300] + 1.0
    assert norms[0.01, 1000] == pytest.approx(norms[0.01, 300], rel=1e-2)


def test_logistic_regression_needs_nonlinear_features_for_the_moons():
    X, y = make_moons(n_samples=400, noise=0.2, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0)
    linear = make_pipeline(
        StandardScaler(), LogisticRegressionGD(alpha=1e-3, tol=1e-5, max_iter=100_000)
    )
    cubic = make_pipeline(
        PolynomialFeatures(3, include_bias=False),
        StandardScaler(),
        LogisticRegressionGD(alpha=1e-3, tol=1e-5, max_iter=100_000),
    )
    acc_linear = linear.fit(X_train, y_train).score(X_test, y_test)
    acc_cubic = cubic.fit(X_train, y_train).score(X_test, y_test)
    assert acc_linear < 0.9 < acc_cubic
