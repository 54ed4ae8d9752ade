"""Checks of the exercises on regularisation."""

from __future__ import annotations

import math

import numpy as np

from ._core import (
    _array,
    _call,
    _check_function,
    _diagnose,
    _exercise,
    _Mistake,
    _need,
    _number,
    _rng,
)


def _soft(z, tau):
    return np.sign(z) * np.maximum(np.abs(z) - tau, 0.0)


@_exercise("reg-ex-soft-threshold", "a function my_soft_threshold(z, tau), vectorised")
def _reg_soft(answer, **context):
    rng = _rng(10)
    z, tau = rng.normal(size=1000), rng.uniform(0, 1, 1000)
    z[:10] = tau[:10] * np.array([1, -1] * 5)  # |z| = tau exactly
    _check_function(
        answer,
        [(z, tau)],
        _soft,
        rtol=1e-12,
        atol=1e-12,
        mistakes=[
            (
                "hard-threshold",
                "That is hard thresholding: the surviving values must also shrink by tau.",
                lambda z, t: np.where(np.abs(z) > t, z, 0.0),
            ),
            ("lost-sign", "The sign of z is lost.", lambda z, t: np.maximum(np.abs(z) - t, 0.0)),
            (
                "no-zero",
                "Small values cross zero instead of stopping at it.",
                lambda z, t: z - t * np.sign(z),
            ),
        ],
    )
    return "Matches soft thresholding on 1000 points, including |z| = tau."


@_exercise(
    "reg-ex-article-fix",
    "a function gradient(theta) of the fixed loss; needs A= (with "
    "the intercept's column first), y= and lam=",
)
def _reg_article_fix(answer, **context):
    A, y, lam = _need(context, "A", "y", "lam")
    A, y = np.asarray(A, dtype=float), np.asarray(y, dtype=float)
    n, p = A.shape
    mask = np.r_[0.0, np.ones(p - 1)]

    def grad(theta, penalty_mask=mask, penalty_factor=2.0):
        return 2 / n * A.T @ (A @ theta - y) + penalty_factor * lam * penalty_mask * theta

    points = [np.linspace(-1, 1, p) + 0.3, _rng(5).normal(size=p), np.full(p, 2.0)]
    got = np.concatenate([_array(_call(answer, t), "Your gradient").ravel() for t in points])
    expected = np.concatenate([grad(t) for t in points])
    _diagnose(
        got,
        expected,
        rtol=1e-7,
        atol=1e-10,
        what="Your gradient",
        mistakes=[
            (
                "penalised-intercept",
                "The intercept is penalised: leave theta[0] out of the penalty.",
                np.concatenate([grad(t, np.ones(p)) for t in points]),
            ),
            (
                "penalty-factor-2",
                "The penalty's gradient lost its factor 2: the derivative of "
                "alpha theta_j^2 is 2 alpha theta_j.",
                np.concatenate([grad(t, mask, 1.0) for t in points]),
            ),
            (
                "both",
                "Two of the errors remain: the intercept is penalised and the "
                "penalty's gradient lost its factor 2.",
                np.concatenate([grad(t, np.ones(p), 1.0) for t in points]),
            ),
            (
                "sum-instead-of-mean",
                "The data term sums the squared errors; the loss takes their mean.",
                np.concatenate([grad(t) + (n - 1) * 2 / n * A.T @ (A @ t - y) for t in points]),
            ),
        ],
    )
    return "Your gradient matches the fixed loss's at 3 points."


@_exercise(
    "reg-ex-dof",
    "a function dof(D, n_alpha): the effective degrees of freedom of ridge "
    "regression from the singular values D",
)
def _reg_dof(answer, **context):
    D = np.sort(_rng(6).uniform(0.5, 30, size=10))[::-1]
    cases = [(D, lam) for lam in (0.1, 100.0, 1e4)]
    _check_function(
        answer,
        cases,
        lambda D, lam: np.sum(D**2 / (D**2 + lam)),
        rtol=1e-9,
        mistakes=[
            (
                "singular-not-squared",
                "The singular values enter squared: X^T X has eigenvalues d_j^2.",
                lambda D, lam: np.sum(D / (D + lam)),
            ),
            (
                "complement",
                "That is d minus the degrees of freedom.",
                lambda D, lam: np.sum(lam / (D**2 + lam)),
            ),
        ],
    )
    return "Matches the trace of the hat matrix for 3 values of n alpha."


@_exercise(
    "reg-ex-correlated",
    "the elastic-net coefficients (an array); needs X= (with the twin "
    "column), y=, alpha= and l1_ratio=",
)
def _reg_correlated(answer, **context):
    X, y, alpha, rho = _need(context, "X", "y", "alpha", "l1_ratio")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = _array(answer, "Your coefficients")
    if w.shape != (X.shape[1],):
        raise _Mistake(
            f"Your coefficients have shape {w.shape}; X has {X.shape[1]} columns.", "shape"
        )
    n = len(y)

    def kkt_violation(l1, ridge):
        g = X.T @ (X @ w - y) / n + ridge * w
        v = np.where(w != 0, np.abs(g + l1 * np.sign(w)), np.maximum(np.abs(g) - l1, 0))
        return float(np.max(v))

    tol = 1e-4 * max(1.0, float(np.max(np.abs(X.T @ y))) / n)
    if kkt_violation(alpha * rho, alpha * (1 - rho)) <= tol:
        return f"Your coefficients satisfy the elastic net's optimality conditions (to {tol:.1g})."
    if kkt_violation(alpha, 0.0) <= tol:
        raise _Mistake("These are a lasso solution; the elastic net has an L2 term too.", "lasso")
    raise _Mistake(
        "Your coefficients do not satisfy the elastic net's optimality conditions: "
        "run the solver longer, or check alpha and l1_ratio.",
        "not-optimal",
    )


@_exercise(
    "reg-ex-ista-step",
    "the largest eigenvalue L_A of X_A^T X_A / n (a float); needs X= and w= (the lasso solution)",
)
def _reg_ista_step(answer, **context):
    X, w = _need(context, "X", "w")
    X, w = np.asarray(X, dtype=float), np.asarray(w, dtype=float)
    n = len(X)
    got = _number(answer, "L_A")
    ref = np.linalg.eigvalsh(X[:, w != 0].T @ X[:, w != 0] / n)[-1]
    full = np.linalg.eigvalsh(X.T @ X / n)[-1]
    if math.isclose(got, ref, rel_tol=1e-6):
        return "Matches the curvature on the active features."
    if math.isclose(got, full, rel_tol=1e-6):
        raise _Mistake(
            "That is L for all features; A holds only those with non-zero coefficients.",
            "all-features",
        )
    if math.isclose(got, n * ref, rel_tol=1e-6):
        raise _Mistake("The factor 1/n is missing.", "sum-instead-of-mean")
    raise _Mistake("That is not the largest eigenvalue of X_A^T X_A / n.")


@_exercise(
    "reg-ex-enet-prox",
    "a function enet_prox(z, eta_alpha, rho): the proximal operator of the elastic-net penalty",
)
def _reg_enet_prox(answer, **context):
    z = np.linspace(-3, 3, 25)
    cases = [(z, ea, rho) for ea, rho in ((0.8, 0.6), (2.0, 0.2), (0.5, 1.0))]
    _check_function(
        answer,
        cases,
        lambda z, ea, r: _soft(z, ea * r) / (1 + ea * (1 - r)),
        rtol=1e-9,
        atol=1e-12,
        mistakes=[
            (
                "no-shrinkage",
                "The division by 1 + eta alpha (1 - rho) is missing: that is the lasso's prox.",
                lambda z, ea, r: _soft(z, ea * r),
            ),
            (
                "threshold-divided",
                "Only the threshold is divided; divide the whole soft-thresholded value.",
                lambda z, ea, r: _soft(z, ea * r / (1 + ea * (1 - r))),
            ),
        ],
    )
    return "Matches the elastic-net prox on 25 points for 3 settings."
