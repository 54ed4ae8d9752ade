"""Checks of the exercises of the chapter on Newton and quasi-Newton methods: the book's
solution passes, each catalogued wrong answer gets its named mistake, an untouched stub is
"not attempted" (the table format of tests/test_exercises.py)."""

import re

import numpy as np
import pytest
from scipy.special import expit

from mlopt import exercises
from mlopt.exercises import check


def stub(*args):
    raise NotImplementedError


def _newton_step(theta, X_tilde, y, alpha, *, sign=-1.0, mask_intercept=True, hessian=True):
    n = len(y)
    p = expit(X_tilde @ theta)
    mask = np.append(np.ones(X_tilde.shape[1] - 1), 0.0 if mask_intercept else 1.0)
    grad = X_tilde.T @ (p - y) / n + alpha * mask * theta
    if not hessian:
        return theta - grad
    H = X_tilde.T @ ((p * (1 - p))[:, None] * X_tilde) / n + alpha * np.diag(mask)
    return theta + sign * np.linalg.solve(H, grad)


def newton_ex_irls():
    return (
        _newton_step,
        {},
        [
            (lambda *c: _newton_step(*c, sign=1.0), "ascent", "wrong way"),
            (lambda *c: _newton_step(*c, mask_intercept=False), "penalised-intercept", "intercept"),
            (lambda *c: _newton_step(*c, hessian=False), "gradient-step", "gradient step"),
            (lambda *c: c[0], "mismatch", "does not match"),
        ],
    )


def newton_ex_cubic():
    return (
        lambda x: -(x**3),
        {},
        [
            (lambda x: x**3, "flipped-sign", "wrong sign"),
            (lambda x: x - x / np.sqrt(1 + x**2), "gradient-step", "gradient step"),
            (
                lambda x: x - (1 + x**2) ** -1.5 / (x / np.sqrt(1 + x**2)),
                "inverted-ratio",
                "upside down",
            ),
        ],
    )


def newton_ex_shift():
    return (
        lambda H: max(0.0, -np.linalg.eigvalsh(H)[0]),
        {},
        [
            (lambda H: abs(np.linalg.eigvalsh(H)[0]), "absolute-value", "no shift"),
            (lambda H: max(0.0, -np.min(np.diag(H))), "diagonal", "diagonal"),
            (lambda H: max(0.0, -np.linalg.eigvalsh(H)[-1]), "largest-eigenvalue", "smallest"),
        ],
    )


def newton_ex_armijo():
    return (
        lambda a, c1: 2 * (1 - c1) / a,
        {},
        [
            (lambda a, c1: 2 / a, "no-c1", "stability limit"),
            (lambda a, c1: 1 / a, "best-step", "exact minimiser"),
            (lambda a, c1: 2 * c1 / a, "c1-for-1-minus-c1", "swapped"),
            (lambda a, c1: (1 - c1) / a, "factor-2", "factor"),
        ],
    )


def newton_ex_curvature():
    return (
        lambda A, g, c2: (1 - c2) * (g @ g) / (g @ A @ g),
        {},
        [
            (lambda A, g, c2: c2 * (g @ g) / (g @ A @ g), "c2-for-1-minus-c2", "swapped"),
            (lambda A, g, c2: (g @ g) / (g @ A @ g), "exact-step", "exact line-search"),
        ],
    )


def _bfgs(H, s, y):
    rho = 1 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V + rho * np.outer(s, s)


def newton_ex_bfgs():
    return (
        _bfgs,
        {},
        [
            (
                lambda H, s, y: H + np.outer(y, y) / (y @ s) - H @ np.outer(s, s) @ H / (s @ H @ s),
                "direct-update",
                "Hessian approximation B",
            ),
            (
                lambda H, s, y: H - H @ np.outer(y, y) @ H / (y @ H @ y) + np.outer(s, s) / (y @ s),
                "dfp",
                "DFP",
            ),
            (
                lambda H, s, y: (
                    (np.eye(len(s)) - np.outer(y, s) / (y @ s))
                    @ H
                    @ (np.eye(len(s)) - np.outer(y, s) / (y @ s)).T
                    + np.outer(s, s) / (y @ s)
                ),
                "transposed",
                "transposed",
            ),
            (
                lambda H, s, y: _bfgs(H, s, y) - np.outer(s, s) / (y @ s),
                "no-ss-term",
                "missing",
            ),
        ],
    )


def newton_ex_memory():
    return (
        lambda d, m: 2 * m * d,
        {},
        [
            (lambda d, m: m * d, "one-vector", "two vectors"),
            (lambda d, m: d * d, "dense", "dense"),
            (lambda d, m: d * (d + 1) / 2, "symmetric", "symmetric"),
        ],
    )


CASES = {
    name.replace("_", "-"): fn
    for name, fn in list(globals().items())
    if re.fullmatch(r"newton_ex_.*", name)
}


def test_every_newton_check_has_a_table_entry():
    labels = [label for label in exercises.labels() if label.startswith("newton-ex-")]
    assert set(CASES) == set(labels) and len(labels) >= 6


@pytest.mark.parametrize("label", list(CASES))
def test_check(label):
    right, context, wrongs = CASES[label]()
    result = check(label, right, **context)
    assert result.correct, result.message
    assert result.message.startswith(f"{label}: correct.")

    for untouched in [None, ..., stub, lambda *args: None, lambda *args: ...]:
        result = check(label, untouched, **context)
        assert result.status == "not attempted", result.message
        assert "not attempted yet" in result.message

    assert wrongs
    for wrong, mistake, phrase in wrongs:
        result = check(label, wrong, **context)
        assert result.status == "incorrect", (mistake, result.message)
        assert result.mistake == mistake, result.message
        assert re.search(phrase, result.message), result.message


def test_a_function_that_raises_is_a_verdict():
    result = check("newton-ex-bfgs", lambda H, s, y: np.linalg.inv(np.zeros((2, 2))))
    assert result.mistake == "error" and "LinAlgError" in result.message
