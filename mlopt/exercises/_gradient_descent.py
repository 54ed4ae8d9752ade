"""Checks of the exercises on gradient descent variants."""

from __future__ import annotations

import math

import numpy as np

from ._core import (
    _call,
    _check_function,
    _constant_ratio,
    _exercise,
    _integer,
    _is_stub,
    _Mistake,
    _NotAttempted,
    _number,
)


@_exercise(
    "gdv-ex-unbiased",
    "a function batch_variance(sigma2, n, b): the variance of a "
    "mini-batch gradient drawn without replacement",
)
def _gdv_unbiased(answer, **context):
    cases = [(1.0, 8, 3), (2.5, 100, 10), (0.7, 20, 20), (1.3, 50, 1)]
    _check_function(
        answer,
        cases,
        lambda s, n, b: s / b * (n - b) / (n - 1),
        rtol=1e-8,
        mistakes=[
            (
                "with-replacement",
                "That is the variance for batches drawn with replacement; without "
                "replacement it is smaller (a finite-population correction).",
                lambda s, n, b: s / b,
            ),
            (
                "n-instead-of-n-minus-1",
                "The correction divides by n - 1, not by n.",
                lambda s, n, b: s / b * (n - b) / n,
            ),
        ],
    )
    return "Matches the variance formula for 4 (sigma^2, n, b), including b = 1 and b = n."


_SCHEDULES = {
    "constant": "a constant rate has sum eta_t^2 = infinity",
    "1/t": "the harmonic series diverges while sum 1/t^2 converges",
    "1/sqrt(t)": "sum eta_t^2 for 1/sqrt(t) is the harmonic series",
    "exponential": "sum eta gamma^t = eta/(1 - gamma) is finite",
}


@_exercise(
    "gdv-ex-robbins",
    "a dict {'constant': bool, '1/t': bool, '1/sqrt(t)': bool, "
    "'exponential': bool}: which schedules satisfy the Robbins-Monro conditions",
)
def _gdv_robbins(answer, **context):
    if _is_stub(answer) or (isinstance(answer, dict) and all(map(_is_stub, answer.values()))):
        raise _NotAttempted
    if not isinstance(answer, dict) or set(answer) != set(_SCHEDULES):
        raise _Mistake(
            "The answer should be a dict with the keys " + ", ".join(_SCHEDULES) + ".", "type"
        )
    if any(_is_stub(v) for v in answer.values()):
        raise _NotAttempted
    wrong = [name for name in _SCHEDULES if bool(answer[name]) != (name == "1/t")]
    if wrong:
        raise _Mistake(
            f"{len(wrong)} of the 4 answers are wrong: check both sums, sum eta_t "
            "and sum eta_t^2, for " + " and ".join(wrong) + ".",
            "robbins-monro",
        )
    return "All 4 schedules classified correctly."


@_exercise(
    "gdv-ex-one-over-l",
    "the number of extra steps eta = 1/L needs, compared with "
    "eta = 2/(L + lambda_min), for kappa = 100 and a factor 1e6 (an integer)",
)
def _gdv_one_over_l(answer, **context):
    extra = _integer(answer, "The number of extra steps")
    slow = math.ceil(math.log(1e-6) / math.log(1 - 1 / 100))
    fast = math.ceil(math.log(1e-6) / math.log(99 / 101))
    if abs(extra - (slow - fast)) <= 1:
        return "Matches the difference of the predicted step counts (to one step)."
    if abs(extra - slow) <= 1:
        raise _Mistake("That is the total count for eta = 1/L, not the difference.", "total")
    if abs(extra - fast) <= 1:
        raise _Mistake(
            "That is the count for the best step; the question asks how many more eta = 1/L needs.",
            "total",
        )
    raise _Mistake(
        "That is not the difference of the two step counts: each count is "
        "log(1e-6) / log(rate), rounded up."
    )


@_exercise(
    "gdv-ex-quartic",
    "a function f_approx(t, eta, x0): the asymptotic value of f(x_t) for gradient descent on x^4",
)
def _gdv_quartic(answer, **context):
    cases = [(t, eta, x0) for t in (1e5, 1e6, 1e7) for eta, x0 in ((0.1, 1.0), (0.01, 0.5))]
    _check_function(
        answer,
        cases,
        lambda t, eta, x0: 1 / (1 / x0**2 + 8 * eta * t) ** 2,
        rtol=1e-2,
        atol=0,
        mistakes=[
            (
                "x-squared",
                "That is the asymptotic x_t^2; f(x_t) = x_t^4.",
                lambda t, eta, x0: 1 / (1 / x0**2 + 8 * eta * t),
            ),
            (
                "factor-2",
                "1/x_t^2 grows by 8 eta per step, not 4 eta.",
                lambda t, eta, x0: 1 / (1 / x0**2 + 4 * eta * t) ** 2,
            ),
        ],
    )
    return "Matches 1/(64 eta^2 t^2) asymptotically (to 1 %) for 6 (t, eta, x0)."


@_exercise(
    "gdv-ex-batch-floor",
    "a function floor(eta, b) proportional to the noise floor of "
    "constant-rate SGD (any constant factor)",
)
def _gdv_batch_floor(answer, **context):
    cases = [(eta, b) for eta in (0.01, 0.02, 0.05) for b in (1, 4, 16)]
    got = np.array([_number(_call(answer, eta, b), "Your floor") for eta, b in cases])
    forms = {
        "right": lambda eta, b: eta / b,
        "sqrt-b": lambda eta, b: eta / np.sqrt(b),
        "eta-squared": lambda eta, b: eta**2 / b,
        "no-eta": lambda eta, b: 1 / b,
        "no-b": lambda eta, b: eta,
    }
    messages = {
        "sqrt-b": "The floor is proportional to the variance, which falls like 1/b, not 1/sqrt(b).",
        "eta-squared": "The floor grows like eta, not eta^2: one step's noise is eta^2 times the "
        "variance, but the contraction per step is only 1 - O(eta).",
        "no-eta": "The floor depends on eta too: a smaller rate averages the noise more.",
        "no-b": "The floor depends on b too: the gradient variance falls like 1/b.",
    }
    for name, form in forms.items():
        ref = np.array([form(*c) for c in cases])
        c = _constant_ratio(got, ref)
        if c is not None and c > 0:
            if name == "right":
                return "Proportional to eta/b on 9 (eta, b) pairs."
            raise _Mistake(messages[name], name)
    raise _Mistake("Your floor is not proportional to the right expression of eta and b.")
