r"""Maximum marginal likelihood for the surrogate of :func:`mlopt.bayesian_optimization.fit_gp`.

The surrogate is scikit-learn's :class:`~sklearn.gaussian_process.GaussianProcessRegressor`
with the kernel

.. math::

    k(z, z') = \sigma_f^2\, \mathrm{Matern}_{5/2}\!\left(\frac{z - z'}{\ell}\right)
    + \sigma_n^2\, [z = z'].

``GaussianProcessRegressor.fit`` chooses :math:`\theta = (\log\sigma_f^2, \log\ell_1, \dots,
\log\ell_d, \log\sigma_n^2)` by L-BFGS-B on the negative log marginal likelihood, once from
the kernel's initial values and then from ``n_restarts_optimizer`` log-uniform random
points. Its likelihood works for any composition of kernels, and on the 5 to 30 points of a
Bayesian-optimisation run the generality costs several times the arithmetic (kernel
objects cloned and their parameter lists rebuilt at every evaluation; about 130 evaluations
per fit). :func:`maximise_marginal_likelihood` makes the same search (the same starts drawn
from the same ``RandomState``, the same L-BFGS-B, the same selection) on
:func:`negative_log_marginal_likelihood`, the same function written for this one kernel;
``fit_gp`` then hands the chosen kernel to ``GaussianProcessRegressor`` with
``optimizer=None``. ``tests/unit/test_gp_hyperparameters.py`` checks the function and its
gradient against scikit-learn's ``log_marginal_likelihood`` and finite differences, and the
chosen hyper-parameters against ``GaussianProcessRegressor``'s own search.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.lapack import dpotrf, dpotri, dpotrs
from scipy.optimize import minimize

# scikit-learn's GaussianProcessRegressor(alpha=1e-10) adds this to K's diagonal.
JITTER = 1e-10
_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


def negative_log_marginal_likelihood(theta, Z, y):
    r"""Negative log marginal likelihood of ``y`` at ``Z`` and its gradient in ``theta``.

    With :math:`K = \sigma_f^2 M + (\sigma_n^2 + 10^{-10}) I`, :math:`M_{ij} =
    \mathrm{Matern}_{5/2}(\lVert (z_i - z_j)/\ell \rVert)` and
    :math:`\alpha = K^{-1} y` (Rasmussen and Williams, 2006, eqs. 2.30 and 5.9),

    .. math::

        -\log p(y \mid Z, \theta) = \tfrac12 y^\top \alpha + \tfrac12 \log\det K
        + \tfrac n2 \log 2\pi, \qquad
        \frac{\partial \log p}{\partial \theta_k} = \tfrac12 \operatorname{tr}\!\left(
        (\alpha\alpha^\top - K^{-1}) \frac{\partial K}{\partial \theta_k}\right),

    with :math:`\partial K / \partial \log\sigma_f^2 = \sigma_f^2 M`,
    :math:`\partial K / \partial \log\sigma_n^2 = \sigma_n^2 I` and, for
    :math:`r = \sqrt5\, \lVert (z_i - z_j)/\ell \rVert` and
    :math:`D_{ijk} = (z_{ik} - z_{jk})^2 / \ell_k^2`,
    :math:`\partial K_{ij} / \partial \log\ell_k = \sigma_f^2 \tfrac53 D_{ijk} (1 + r) e^{-r}`.

    Parameters
    ----------
    theta : ndarray of shape (d + 2,)
        :math:`(\log\sigma_f^2, \log\ell_1, \dots, \log\ell_d, \log\sigma_n^2)`, the order of
        scikit-learn's ``kernel.theta``.
    Z : ndarray of shape (n, d)
        Inputs (the unit cube in ``fit_gp``).
    y : ndarray of shape (n,)
        Outputs, standardised as ``normalize_y=True`` does.

    Returns
    -------
    value : float
        :math:`-\log p(y \mid Z, \theta)`; ``inf`` if :math:`K` is not positive definite in
        floating point (as scikit-learn returns).
    gradient : ndarray of shape (d + 2,)
        Its gradient (zeros where ``value`` is ``inf``).
    """
    n = Z.shape[0]
    amplitude, noise = np.exp(theta[0]), np.exp(theta[-1])
    Z = (Z / np.exp(theta[1:-1])).T
    D = (Z[:, :, np.newaxis] - Z[:, np.newaxis, :]) ** 2  # D[k, i, j] = D_ijk, (d, n, n)
    r = np.sqrt(5.0 * D.sum(axis=0))
    e = np.exp(-r)
    M = (1.0 + r + r**2 / 3.0) * e
    K = amplitude * M
    K.flat[:: n + 1] += noise + JITTER
    # LAPACK directly (Cholesky, solve, inverse): scipy.linalg's wrappers cost more than
    # the arithmetic on matrices this small.
    L, info = dpotrf(K, lower=1, clean=1)
    if info != 0:  # not positive definite in floating point
        return np.inf, np.zeros_like(theta)
    alpha = dpotrs(L, y, lower=1)[0]
    K_inv = dpotri(L, lower=1)[0]  # its lower triangle
    K_inv = K_inv + K_inv.T  # dpotrf's clean=1 zeroed the upper triangle, which dpotri keeps
    K_inv.flat[:: n + 1] *= 0.5
    value = 0.5 * (y @ alpha) + np.log(np.diag(L)).sum() + n * _HALF_LOG_2PI
    W = np.outer(alpha, alpha) - K_inv
    gradient = np.empty_like(theta)
    gradient[0] = 0.5 * amplitude * np.vdot(W, M)
    # sum_ij W_ij dK_ij/dlog(l_k), with dK_ij/dlog(l_k) = sigma_f^2 5/3 (1 + r) e^-r D_ijk
    gradient[1:-1] = (0.5 * amplitude * 5.0 / 3.0) * (
        D.reshape(-1, n * n) @ (W * (1.0 + r) * e).ravel()
    )
    gradient[-1] = 0.5 * noise * np.trace(W)
    return value, -gradient


def maximise_marginal_likelihood(Z, y, theta0, bounds, n_restarts, random_state):
    """The hyper-parameters ``GaussianProcessRegressor.fit`` would choose, found faster.

    Parameters
    ----------
    Z : ndarray of shape (n, d)
        Inputs.
    y : ndarray of shape (n,)
        Outputs, not yet standardised: standardised here as ``normalize_y=True`` does
        (mean 0, standard deviation 1, a zero standard deviation taken as 1).
    theta0 : ndarray of shape (d + 2,)
        The first start, ``kernel.theta``.
    bounds : ndarray of shape (d + 2, 2)
        ``kernel.bounds`` (logarithms).
    n_restarts : int
        Further starts, drawn log-uniformly in ``bounds``.
    random_state : int
        Seeds :class:`numpy.random.RandomState`, as ``GaussianProcessRegressor``'s
        ``random_state`` does, so that both draw the same restarts.

    Returns
    -------
    theta : ndarray of shape (d + 2,)
        The best optimum of the ``1 + n_restarts`` L-BFGS-B runs.
    """
    std = np.std(y)
    y = (y - np.mean(y)) / (std if std > 10 * np.finfo(float).eps else 1.0)
    random_state = np.random.RandomState(random_state)
    starts = [theta0] + [
        random_state.uniform(bounds[:, 0], bounds[:, 1]) for _ in range(n_restarts)
    ]
    optima = [
        minimize(
            negative_log_marginal_likelihood,
            start,
            args=(Z, y),
            method="L-BFGS-B",
            jac=True,
            bounds=bounds,
        )
        for start in starts
    ]
    return min(optima, key=lambda res: res.fun).x
