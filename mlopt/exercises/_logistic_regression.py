"""Checks of the exercises on logistic regression."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, softmax

from ._core import (
    _array,
    _call,
    _check_function,
    _diagnose,
    _exercise,
    _is_stub,
    _Mistake,
    _need,
    _NotAttempted,
    _rng,
)
from ._linear_regression import _design_matrices


@_exercise(
    "logreg-ex-sigmoid",
    "a function dloss_dz(z, y): the derivative of the cross-entropy with respect to the logit",
)
def _logreg_sigmoid(answer, **context):
    z = np.array([-3.0, -0.5, 0.7, 4.0])
    cases = [(z, np.zeros(4)), (z, np.ones(4)), (-z, np.array([0.0, 1.0, 1.0, 0.0]))]
    _check_function(
        answer,
        cases,
        lambda z, y: expit(z) - y,
        rtol=1e-8,
        atol=1e-12,
        mistakes=[
            (
                "sigmoid-derivative",
                "That is the derivative of sigma itself, not of the loss.",
                lambda z, y: expit(z) * (1 - expit(z)),
            ),
            (
                "squared-error",
                "That is the derivative of the squared error (sigma - y)^2 / 2, "
                "not of the cross-entropy.",
                lambda z, y: (expit(z) - y) * expit(z) * (1 - expit(z)),
            ),
        ],
    )
    return "Matches dl/dz at 4 logits for y = 0 and y = 1."


@_exercise(
    "logreg-ex-hessian",
    "a function hessian(theta, X_tilde): the Hessian of the binary cross-entropy",
)
def _logreg_hessian(answer, **context):
    def ref(theta, X, s=None):
        p = expit(X @ theta)
        s = p * (1 - p) if s is None else s
        return X.T @ (s[:, None] * X) / len(X)

    cases = []
    for seed, (X,) in enumerate(_design_matrices()):
        cases.append((_rng(seed + 10).normal(size=X.shape[1]), X))
    cases.append((np.zeros(4), cases[0][1]))
    _check_function(
        answer,
        cases,
        ref,
        rtol=1e-7,
        mistakes=[
            (
                "sum-instead-of-mean",
                "The factor 1/n is missing: J averages over the examples.",
                lambda t, X: len(X) * ref(t, X),
            ),
            (
                "bound",
                "That is the upper bound with every s_i = 1/4; S depends on theta.",
                lambda t, X: X.T @ X / (4 * len(X)),
            ),
            (
                "sigma-only",
                "S holds sigma(z_i)(1 - sigma(z_i)), not sigma(z_i).",
                lambda t, X: ref(t, X, expit(X @ t)),
            ),
        ],
    )
    return "Matches the Hessian of the cross-entropy at 4 parameter vectors."


@_exercise(
    "logreg-ex-softmax-grad",
    "a function my_softmax_gradient(theta); needs X= "
    "(the standardised features) and y= (integer classes)",
)
def _logreg_softmax(answer, **context):
    X, y = _need(context, "X", "y")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
    n, d = X.shape
    K = int(y.max()) + 1
    size = K * d + K
    got, expected = [], []
    for seed in range(3):
        theta = _rng(seed + 1).normal(size=size)
        W, b = theta[: K * d].reshape(K, d), theta[K * d :]
        residual = (softmax(X @ W.T + b, axis=1) - np.eye(K)[y]) / n
        expected.append(np.concatenate([(residual.T @ X).ravel(), residual.sum(axis=0)]))
        got.append(_array(_call(answer, theta), "Your gradient").ravel())
    got, expected = np.concatenate(got), np.concatenate(expected)
    _diagnose(
        got,
        expected,
        rtol=1e-6,
        atol=1e-9,
        what="Your gradient",
        mistakes=[
            (
                "sum-instead-of-mean",
                "Your gradient sums over the examples; the loss is a mean, so divide by n.",
                n * expected,
            ),
        ],
    )
    return f"Your gradient matches the softmax cross-entropy's at 3 points ({K} classes)."


@_exercise(
    "logreg-ex-two-classes",
    "a function logistic_params(W, b) -> (w, b) for two-class softmax weights W of shape (2, d)",
)
def _logreg_two_classes(answer, **context):
    cases = [(_rng(s).normal(size=(2, 3)), _rng(s + 5).normal(size=2)) for s in range(3)]

    def ref(W, b):
        return np.append(W[1] - W[0], b[1] - b[0])

    _check_function(
        answer,
        cases,
        ref,
        rtol=1e-10,
        mistakes=[
            (
                "class-order",
                "The difference is the wrong way round: sigma(z) is the probability of class 1.",
                lambda W, b: -ref(W, b),
            ),
        ],
    )
    return "The logistic parameters give the softmax's probabilities for 3 random models."


@_exercise(
    "logreg-ex-threshold",
    "a function missed_malignant(y_true, p, tau): the number of "
    "malignant tumours (y = 1) not flagged at threshold tau",
)
def _logreg_threshold(answer, **context):
    rng = _rng(3)
    y = rng.integers(0, 2, size=60)
    p = np.round(rng.uniform(size=60), 1)  # on the grid of the thresholds: p == tau occurs
    cases = [(y, p, tau) for tau in (0.5, 0.3, 0.1)]
    _check_function(
        answer,
        cases,
        lambda y, p, t: np.sum((p < t) & (y == 1)),
        rtol=0,
        mistakes=[
            (
                "false-alarms",
                "That counts false alarms (benign tumours flagged), not missed malignant ones.",
                lambda y, p, t: np.sum((p >= t) & (y == 0)),
            ),
            (
                "strict-threshold",
                "A probability equal to tau is flagged as malignant (p >= tau).",
                lambda y, p, t: np.sum((p <= t) & (y == 1)),
            ),
            (
                "detected",
                "That counts the detected malignant tumours, not the missed ones.",
                lambda y, p, t: np.sum((p >= t) & (y == 1)),
            ),
        ],
    )
    return "Matches the count of missed malignant cases at 3 thresholds."


@_exercise(
    "logreg-ex-penalty",
    "a fitted LogisticRegressionGD(penalty='l2', alpha=...); needs "
    "X= and y= (the data it was fitted on)",
)
def _logreg_penalty(answer, **context):
    X, y = _need(context, "X", "y")
    if _is_stub(answer):
        raise _NotAttempted
    if not hasattr(answer, "coef_"):
        raise _Mistake(
            "The answer should be a fitted estimator (with coef_ and intercept_).", "type"
        )
    if getattr(answer, "penalty", "l2") != "l2":
        raise _Mistake(
            "Fit with penalty='l2': without a penalty the separable data have no "
            "minimiser, and the norm keeps growing.",
            "no-penalty",
        )
    alpha = float(answer.alpha)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = np.ravel(answer.coef_), float(np.ravel(answer.intercept_)[0])
    r = expit(X @ w + b) - y
    grad_w, grad_b = X.T @ r / len(y) + alpha * w, r.mean()
    tol = 1e-4
    if max(np.max(np.abs(grad_w)), abs(grad_b)) <= tol:
        return (
            f"Your (w, b) zeroes the gradient of the L2-penalised cross-entropy with alpha "
            f"= {alpha:g} (to {tol:g})."
        )
    if np.max(np.abs(grad_w)) <= tol and abs(grad_b + alpha * b) <= tol:
        raise _Mistake(
            "The intercept is penalised: the penalty applies to w only.", "penalised-intercept"
        )
    raise _Mistake(
        "Your (w, b) is not a minimiser yet: the gradient is not below 1e-4; "
        "lower tol or raise max_iter.",
        "not-converged",
    )
