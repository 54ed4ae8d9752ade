"""Checks of the exercises on linear regression."""

from __future__ import annotations

import numpy as np

from ._core import (
    _array,
    _call,
    _check_function,
    _close,
    _diagnose,
    _exercise,
    _Mistake,
    _need,
    _rng,
)


def _design_matrices():
    out = []
    for seed in range(3):
        rng = _rng(seed)
        X = rng.normal(loc=seed, size=(20, 3))
        out.append((np.column_stack([X, np.ones(20)]),))
    return out


@_exercise(
    "linreg-ex-normal",
    "a function hessian(X_tilde): the Hessian of J = ||X_tilde theta - y||^2 / (2n)",
)
def _linreg_normal(answer, **context):
    _check_function(
        answer,
        _design_matrices(),
        lambda X: X.T @ X / len(X),
        rtol=1e-8,
        mistakes=[
            (
                "sum-instead-of-mean",
                "The factor 1/n is missing: J averages over the n examples.",
                lambda X: X.T @ X,
            ),
            (
                "factor-2",
                "That is the Hessian of the mean squared error, twice J: J has the factor 1/(2n).",
                lambda X: 2 * X.T @ X / len(X),
            ),
        ],
    )
    return "Matches the Hessian of J on 3 design matrices."


@_exercise(
    "linreg-ex-half",
    "a function lr_bound(L): the largest stable learning rate for M = 2J, given J's L",
)
def _linreg_half(answer, **context):
    _check_function(
        answer,
        [(0.5,), (3.0,), (40.0,)],
        lambda L: 1 / L,
        rtol=1e-8,
        mistakes=[
            (
                "factor-2",
                "That is the bound for J; M = 2J has twice J's curvature.",
                lambda L: 2 / L,
            ),
            (
                "factor-2",
                "The factor 2 went the wrong way: M's Hessian is twice J's, so its "
                "bound is smaller.",
                lambda L: 4 / L,
            ),
        ],
    )
    return "Matches the step-size bound for M for 3 values of L."


def _linear_gradient_check(answer, X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = X.shape
    points = [np.linspace(-1, 1, d + 1), _rng(0).normal(size=d + 1), np.zeros(d + 1)]
    got, expected = [], []
    for theta in points:
        out = _array(_call(answer, theta), "Your gradient")
        if out.size == d:
            raise _Mistake(
                f"Your gradient has {d} entries; theta stacks {d} weights and the "
                "intercept, so the gradient has one more.",
                "missing-intercept",
            )
        r = X @ theta[:-1] + theta[-1] - y
        ref = np.append(X.T @ r, r.sum()) / n
        got.append(out.ravel())
        expected.append(ref)
    got, expected = np.concatenate(got), np.concatenate(expected)
    if got.shape == expected.shape:
        weights = np.ones(got.size, dtype=bool)
        weights[d :: d + 1] = False
        if _close(got[weights], expected[weights], 1e-6, 1e-9) and not _close(
            got, expected, 1e-6, 1e-9
        ):
            raise _Mistake(
                "The weights' entries are right, the intercept's is not: dJ/db is the "
                "mean residual.",
                "intercept",
            )
    _diagnose(
        got,
        expected,
        rtol=1e-6,
        atol=1e-9,
        what="Your gradient",
        mistakes=[
            (
                "sum-instead-of-mean",
                "Your gradient sums over the examples; J takes the mean, so divide by n.",
                n * expected,
            ),
            (
                "factor-2",
                "Your gradient is twice the right one: it is the gradient of the mean "
                "squared error, but J is half of it.",
                2 * expected,
            ),
        ],
    )
    return f"Your gradient matches the gradient of J at 3 points ({n} examples, {d} features)."


@_exercise(
    "linreg-ex-gradient",
    "a function my_gradient(theta); needs X= (the standardised features) and y=",
)
def _linreg_gradient(answer, **context):
    X, y = _need(context, "X", "y")
    return _linear_gradient_check(answer, X, y)


@_exercise(
    "linreg-ex-best-step",
    "a function best_step(L, lam_min): the best constant learning rate on a quadratic",
)
def _linreg_best_step(answer, **context):
    _check_function(
        answer,
        [(10.0, 1.0), (4.0, 0.01), (1.0, 0.5)],
        lambda L, m: 2 / (L + m),
        rtol=1e-8,
        mistakes=[
            ("one-over-L", "That is the safe step 1/L, not the best one.", lambda L, m: 1 / L),
            (
                "edge",
                "That is the edge of stability 2/L, where the steep direction no longer shrinks.",
                lambda L, m: 2 / L,
            ),
            (
                "factor-2",
                "A factor 2 is lost: the best step balances 1 - eta lam_min against eta L - 1.",
                lambda L, m: 1 / (L + m),
            ),
        ],
    )
    return "Matches the step that minimises max |1 - eta lambda| for 3 spectra."


@_exercise(
    "linreg-ex-lstsq",
    "the coefficients theta of the degree-19 fit; needs P= (the "
    "polynomial features) and z= (the targets)",
)
def _linreg_lstsq(answer, **context):
    P, z = _need(context, "P", "z")
    P, z = np.asarray(P, dtype=float), np.asarray(z, dtype=float)
    theta = _array(answer, "Your coefficients")
    if theta.shape != (P.shape[1],):
        raise _Mistake(
            f"Your coefficients have shape {theta.shape}; P has {P.shape[1]} columns.", "shape"
        )
    mse = float(np.mean((P @ theta - z) ** 2))
    if mse <= 1e-8 * float(np.var(z)):
        return (
            "Your coefficients interpolate the training points (training MSE below 1e-8 of "
            "the variance of z)."
        )
    with np.errstate(all="ignore"):
        normal = np.linalg.solve(P.T @ P, P.T @ z)
    if np.allclose(theta, normal, rtol=1e-6):
        raise _Mistake(
            "These solve the normal equations, whose condition number is the square "
            "of P's: no digit survives, and the fit is far from interpolating.",
            "normal-equations",
        )
    raise _Mistake(
        "Your coefficients do not interpolate the training points; the "
        "least-squares error is zero for this square system."
    )
