"""The marginal likelihood behind ``fit_gp``'s hyper-parameter search, against scikit-learn.

``mlopt._gp_hyperparameters`` writes the negative log marginal likelihood of the one kernel
``fit_gp`` uses and makes ``GaussianProcessRegressor.fit``'s search on it. The references:
scikit-learn's ``log_marginal_likelihood`` (value and gradient), central finite
differences, and the hyper-parameters ``GaussianProcessRegressor`` itself chooses.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import approx_fprime
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

from mlopt._gp_hyperparameters import (
    maximise_marginal_likelihood,
    negative_log_marginal_likelihood,
)


def kernel(d):
    """The kernel of fit_gp, in d dimensions."""
    return ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
        length_scale=np.full(d, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5
    ) + WhiteKernel(1e-6, (1e-10, 1e-1))


def data(n, d, seed):
    rng = np.random.default_rng(seed)
    Z = rng.random((n, d))
    y = np.sin(6 * Z[:, 0]) + Z.sum(axis=1) ** 2 + 0.01 * rng.standard_normal(n)
    return Z, y


def standardised(y):
    return (y - y.mean()) / y.std()


def sklearn_gp(Z, y, d, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianProcessRegressor(kernel(d), normalize_y=True, **params).fit(Z, y)


@pytest.mark.parametrize(("n", "d"), [(2, 1), (5, 2), (20, 2), (30, 3)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_value_and_gradient_equal_scikit_learn(n, d, seed):
    Z, y = data(n, d, seed)
    gp = sklearn_gp(Z, y, d, optimizer=None)
    bounds = gp.kernel_.bounds
    theta = np.random.default_rng(seed + 10).uniform(bounds[:, 0], bounds[:, 1])
    lml, grad = gp.log_marginal_likelihood(theta, eval_gradient=True)
    value, gradient = negative_log_marginal_likelihood(theta, Z, standardised(y))
    assert_allclose(value, -lml, rtol=1e-10)
    assert_allclose(gradient, -grad, rtol=1e-7, atol=1e-9 * np.abs(grad).max())


@pytest.mark.parametrize(("n", "d"), [(5, 2), (20, 2), (12, 3)])
def test_gradient_equals_finite_differences(n, d):
    Z, y = data(n, d, 4)
    theta = np.log(np.r_[2.0, np.linspace(0.2, 0.7, d), 1e-3])
    y = standardised(y)
    _, gradient = negative_log_marginal_likelihood(theta, Z, y)
    numerical = approx_fprime(theta, lambda t: negative_log_marginal_likelihood(t, Z, y)[0], 1e-6)
    assert_allclose(gradient, numerical, rtol=1e-5, atol=1e-6)


def test_a_matrix_not_positive_definite_gives_inf_as_in_scikit_learn():
    # Three equal points and sigma_f^2 = 1e300: the jitter 1e-10 is lost to rounding and K
    # is singular in floating point. scikit-learn's likelihood is then -inf, gradient 0.
    Z, y = np.zeros((3, 1)), np.array([1.0, -1.0, 0.0])
    theta = np.log([1e300, 0.5, 1e-10])
    gp = GaussianProcessRegressor(kernel(1), optimizer=None).fit(Z, y)
    lml, grad = gp.log_marginal_likelihood(theta, eval_gradient=True)
    value, gradient = negative_log_marginal_likelihood(theta, Z, y)
    assert lml == -np.inf and not grad.any()
    assert value == np.inf and not gradient.any()


@pytest.mark.parametrize(("n", "d"), [(5, 2), (10, 2), (20, 2), (30, 2), (15, 3)])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_search_finds_what_scikit_learn_finds(n, d, seed):
    Z, y = data(n, d, seed)
    gp = sklearn_gp(Z, y, d, n_restarts_optimizer=2, random_state=seed)
    k = kernel(d)
    theta = maximise_marginal_likelihood(Z, y, k.theta, k.bounds, 2, seed)
    # The same starts and the same L-BFGS-B on the same function: the same optimum, up to
    # rounding along directions where the likelihood is flat.
    assert gp.log_marginal_likelihood(theta) >= gp.log_marginal_likelihood_value_ - 1e-5
    assert_allclose(gp.log_marginal_likelihood(theta), gp.log_marginal_likelihood_value_, rtol=1e-6)
