"""Checks of the exercises on hyper-parameter tuning."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit

from ._core import (
    _exercise,
    _integer,
    _Mistake,
    _need,
    _number,
)


@_exercise("ht-ex-top5", "the number of uniform random points needed (an integer)")
def _ht_top5(answer, **context):
    n = _integer(answer, "The number of points")
    if n == 59:
        return "It is the smallest n with 1 - 0.95^n >= 0.95."
    if n == 58:
        raise _Mistake(
            "Off by one: with that many points the probability is still below 95 %; round up.",
            "off-by-one",
        )
    if n == 20:
        raise _Mistake(
            "1/0.05 points hit the region once on average; a probability of 95 % needs more.",
            "expected-count",
        )
    raise _Mistake("That is not the smallest n with 1 - 0.95^n >= 0.95.")


@_exercise(
    "ht-ex-curvature",
    "lambda_max of the Hessian at the trained model (a float); needs "
    "X= (the standardised features) and model= (the fitted LogisticRegressionGD)",
)
def _ht_curvature(answer, **context):
    X, model = _need(context, "X", "model")
    X = np.asarray(X, dtype=float)
    got = _number(answer, "lambda_max")
    Xt = np.column_stack([X, np.ones(len(X))])
    p = expit(model.decision_function(X))
    ref = np.linalg.eigvalsh(Xt.T @ (Xt * (p * (1 - p))[:, None]) / len(X))[-1]
    L = np.linalg.eigvalsh(Xt.T @ Xt / len(X))[-1] / 4
    if math.isclose(got, ref, rel_tol=1e-6):
        return "Matches the largest curvature at the trained model."
    if math.isclose(got, L, rel_tol=1e-6):
        raise _Mistake(
            "That is L, the bound with every sigma(1 - sigma) = 1/4, not the "
            "curvature at the trained model.",
            "bound",
        )
    if math.isclose(got, len(X) * ref, rel_tol=1e-6):
        raise _Mistake("The factor 1/n is missing.", "sum-instead-of-mean")
    raise _Mistake("That is not the largest eigenvalue of the Hessian at the trained model.")


@_exercise(
    "ht-ex-noise",
    "the expected maximum of 16 independent standard normal numbers (a "
    "float, from a simulation or a table)",
)
def _ht_noise(answer, **context):
    value = _number(answer, "The expected maximum")
    if abs(value - 1.766) <= 0.03:
        return "Agrees with E[max of 16 N(0, 1)] to 0.03."
    if abs(value - math.sqrt(2 * math.log(16))) <= 0.03:
        raise _Mistake(
            "That is the asymptotic sqrt(2 ln n), which overestimates for small n.", "asymptotic"
        )
    raise _Mistake(
        "That is not the expected maximum of 16 standard normal numbers (tolerance 0.03)."
    )
