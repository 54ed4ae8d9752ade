"""The acquisition search's posterior and the unchecked acquisition formulas.

``bayesian_optimization`` evaluates the posterior with ``_posterior`` (the fitted model's
own quantities in NumPy, without ``predict``'s input validation) and the acquisition with
the private cores of the public functions (without their input checks): both are checked
here against the public, validated versions.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from mlopt.bayesian_optimization import (
    _acquisition_to_minimise,
    _expected_improvement,
    _lower_confidence_bound,
    _posterior,
    _posterior_of,
    _probability_of_improvement,
    expected_improvement,
    fit_gp,
    lower_confidence_bound,
    probability_of_improvement,
)
from mlopt.functions import branin


def branin_model(n, seed=0, noise=0.0):
    """fit_gp on ``n`` random points of Branin's box (values plus Gaussian noise of standard
    deviation ``noise``), and 300 other points plus the data."""
    rng = np.random.default_rng(seed)
    lower, upper = np.array(branin.bounds()).T
    X = lower + rng.random((n, 2)) * (upper - lower)
    y = branin(X) + noise * rng.standard_normal(n)
    points = np.vstack([lower + rng.random((300, 2)) * (upper - lower), X])
    return fit_gp(X, y, branin.bounds()), X, points


# n = 3: length scales at a bound; n = 29: noise at its lower bound 1e-10; noisy values (30):
# fitted noise at its upper bound 0.1, which predict adds to the variance (WhiteKernel's diagonal).
@pytest.mark.parametrize(("n", "noise"), [(3, 0.0), (10, 0.0), (29, 0.0), (30, 30.0)])
def test_posterior_equals_predict(n, noise):
    model, _, points = branin_model(n, noise=noise)
    if noise:
        assert model["gp"].kernel_.k2.noise_level > 1e-3
    mu, sigma = model.predict(points, return_std=True)
    mu_fast, sigma_fast = _posterior(model["gp"], model["unit_cube"].transform(points))
    assert_allclose(mu_fast, mu, rtol=1e-12, atol=0)
    assert_allclose(sigma_fast, sigma, rtol=1e-12, atol=0)
    assert sigma_fast.min() >= 0.0


def test_private_acquisition_cores_equal_the_checked_functions():
    mu, sigma = np.array([0.0, 0.3, 1.0, 2.0]), np.array([1.0, 0.2, 0.5, 0.0])
    assert_array_equal(
        _expected_improvement(mu, sigma, 0.5, 0.1), expected_improvement(mu, sigma, 0.5, 0.1)
    )
    assert_array_equal(
        _probability_of_improvement(mu, sigma, 0.5, 0.1),
        probability_of_improvement(mu, sigma, 0.5, 0.1),
    )
    assert_array_equal(
        _lower_confidence_bound(mu, sigma, 2.0), lower_confidence_bound(mu, sigma, 2.0)
    )


@pytest.mark.parametrize("acquisition", ["ei", "pi", "lcb"])
def test_acquisition_search_values_equal_predict_and_the_public_functions(acquisition):
    model, X, points = branin_model(12, seed=2)
    gp, Z = model["gp"], model["unit_cube"].transform(points)
    best, xi, kappa = float(branin(X).min()), 0.01, 1.96
    mu, sigma = gp.predict(Z, return_std=True)
    public = {
        "ei": -expected_improvement(mu, sigma, best, xi),
        "pi": -probability_of_improvement(mu, sigma, best, xi),
        "lcb": lower_confidence_bound(mu, sigma, kappa),
    }[acquisition]
    fast = _acquisition_to_minimise(_posterior_of(gp), Z, acquisition, best, xi, kappa)
    assert_allclose(fast, public, rtol=1e-12, atol=0)
