"""Checks of the exercises on training a model."""

from __future__ import annotations

import numpy as np

from ._core import (
    _call,
    _check_function,
    _diagnose,
    _exercise,
    _integer,
    _Mistake,
    _need,
    _number,
    _rng,
)


def _line_data():
    out = []
    for seed in range(3):
        rng = _rng(seed)
        x = rng.uniform(-1.0, 3.0, size=30)
        out.append((x, 1.5 - 2.0 * seed + 0.7 * x + rng.normal(scale=0.4, size=30)))
    return out


@_exercise(
    "train-ex-intercept", "a function intercept(w, x, y): the b for which dJ/db = 0, given w"
)
def _train_intercept(answer, **context):
    cases = [(w, x, y) for x, y in _line_data() for w in (-1.0, 0.5, 2.0)]
    _check_function(
        answer,
        cases,
        lambda w, x, y: np.mean(y) - w * np.mean(x),
        rtol=1e-8,
        atol=1e-10,
        mistakes=[
            (
                "slope-term",
                "The slope's contribution is missing: b depends on w too.",
                lambda w, x, y: np.mean(y),
            ),
            (
                "flipped-sign",
                "The term with w has the wrong sign.",
                lambda w, x, y: np.mean(y) + w * np.mean(x),
            ),
        ],
    )
    return (
        "Your intercept zeroes dJ/db for 3 slopes on 3 data sets: the line passes through "
        "the point of the averages."
    )


@_exercise("train-ex-lr", "the number of steps with eta = 0.1/a for an error 1e6 times smaller")
def _train_lr(answer, **context):
    t = _number(answer, "The number of steps")
    if 131 < t < 132:
        raise _Mistake(
            "A number of steps must be a whole number: round up, since the factor must reach 1e-6.",
            "not-an-integer",
        )
    t = _integer(t, "The number of steps")
    if t == 131:
        raise _Mistake(
            "Off by one: after that many steps the error is still above 1e-6 of the "
            "start; round up, not down.",
            "off-by-one",
        )
    if t in (56, 57):
        raise _Mistake(
            "Mixed logarithms: take the logarithm of both sides in the same base.",
            "mixed-logarithms",
        )
    if t == 1:
        raise _Mistake(
            "One step is the count for the best rate, eta = 1/a, not for eta = 0.1/a.", "best-rate"
        )
    if t != 132:
        raise _Mistake("That is not the smallest t with 0.9^t <= 1e-6.")
    return "It is the smallest t with 0.9^t <= 1e-6."


@_exercise("train-ex-forward", "a function forward_gradient(f, theta, h)")
def _train_forward(answer, **context):
    from ..functions import rosenbrock

    def wavy(t):
        return float(np.sum(np.sin(t)) + t[0] * t[1] ** 2)

    def forward(f, t, h):
        f0 = f(t)
        return np.array([(f(t + h * e) - f0) / h for e in np.eye(t.size)])

    def central(f, t, h):
        return np.array([(f(t + h * e) - f(t - h * e)) / (2 * h) for e in np.eye(t.size)])

    def backward(f, t, h):
        f0 = f(t)
        return np.array([(f0 - f(t - h * e)) / h for e in np.eye(t.size)])

    cases = [
        (f, np.array(p), h)
        for f, p in [(rosenbrock, [-0.8, 0.6]), (wavy, [0.3, -0.7, 0.9])]
        for h in (1e-2, 1e-3)
    ]
    _check_function(
        answer,
        cases,
        forward,
        rtol=1e-6,
        atol=1e-8,
        mistakes=[
            (
                "central-difference",
                "These are central differences; the exercise asks for "
                "forward ones, (f(theta + h e_i) - f(theta)) / h.",
                central,
            ),
            (
                "backward-difference",
                "These are backward differences, (f(theta) - f(theta - h "
                "e_i)) / h; the exercise asks for forward ones.",
                backward,
            ),
            (
                "factor-2",
                "The difference is divided by 2h; a forward difference spans h.",
                lambda f, t, h: forward(f, t, h) / 2,
            ),
            (
                "flipped-sign",
                "The difference has the wrong sign: f(theta + h e_i) comes first.",
                lambda f, t, h: -forward(f, t, h),
            ),
        ],
    )
    return "Matches forward differences on 2 functions for h = 1e-2 and 1e-3."


@_exercise("train-ex-bound", "the largest convergent learning rate found (a float); needs L=")
def _train_bound(answer, **context):
    (L,) = _need(context, "L")
    ratio = _number(answer, "The learning rate") * float(L) / 2  # in units of 2/L
    if 0.98 <= ratio <= 1.01:
        return "Your threshold agrees with 2/L to 2 %."
    if abs(ratio - 0.5) < 0.02:
        raise _Mistake(
            "That is 1/L, the safe choice, not the largest convergent rate: every "
            "rate between it and the threshold converges too.",
            "one-over-L",
        )
    if abs(ratio - 2) < 0.03:
        raise _Mistake(
            "That is the upper end of the bisection interval: the bisection kept the "
            "wrong half, or never ran.",
            "bisection",
        )
    if ratio > 1.01:
        raise _Mistake(
            "Gradient descent diverges at that rate: check your convergence test "
            "(compare the final loss with the starting loss).",
            "too-large",
        )
    raise _Mistake(
        "Rates somewhat larger than that still converge: check your convergence "
        "test and run more bisection steps.",
        "too-small",
    )


@_exercise(
    "train-ex-half",
    "a function article_loss(w, X, y): the loss whose gradient is -(1/n) X^T (y - X w)",
)
def _train_half(answer, **context):
    from ..gradcheck import numerical_gradient

    cases = []
    for seed in range(3):
        rng = _rng(seed)
        X = rng.normal(size=(25, 3))
        cases.append((rng.normal(size=3), X, X @ rng.normal(size=3) + rng.normal(size=25)))
    got, expected = [], []
    for w, X, y in cases:
        value = _number(_call(answer, w, X, y), "Your loss")
        if not np.isfinite(value):
            raise _Mistake("Your loss is not finite.", "not-finite")
        got.append(numerical_gradient(lambda v, X=X, y=y: _call(answer, v, X, y), w))
        expected.append(-X.T @ (y - X @ w) / len(y))
    n = 25
    factors = [
        (
            2.0,
            "factor-2",
            "Your loss is the full mean squared error; the article's gradient "
            "belongs to half of it.",
        ),
        (
            n,
            "sum-instead-of-mean",
            "Your loss sums the squared errors; the gradient's 1/n says the loss takes their mean.",
        ),
        (
            2.0 * n,
            "sum-instead-of-mean",
            "Your loss is the sum of squared errors; the gradient belongs to half of their mean.",
        ),
        (
            -1.0,
            "flipped-sign",
            "Your loss has the wrong sign: the article's gradient descends a "
            "loss that grows with the errors.",
        ),
    ]
    got, expected = np.concatenate(got), np.concatenate(expected)
    _diagnose(
        got,
        expected,
        rtol=1e-5,
        atol=1e-7,
        what="The gradient of your loss",
        mistakes=[(name, msg, c * expected) for c, name, msg in factors],
    )
    return (
        "The gradient of your loss (by finite differences) equals the article's gradient on "
        "3 data sets: it is half the mean squared error, up to a constant."
    )
