r"""Checks for the book's exercises: is the reader's answer right, and if not, what is wrong?

Every exercise whose answer can be computed (a number, an array, a function, an update rule, a
formula) has a check, keyed by the exercise's label. Call it from a notebook with your answer:

>>> import numpy as np
>>> from mlopt.exercises import check
>>> def dloss_dz(z, y):
...     return y - 1 / (1 + np.exp(-z))
>>> check("logreg-ex-sigmoid", dloss_dz)
logreg-ex-sigmoid: not right yet. Your result has the wrong sign: it equals minus the right one.

A check returns a :class:`CheckResult`; it prints as one sentence and never raises, so that a
notebook runs from top to bottom whatever the state of its answers. It

* says "not attempted yet" for an untouched stub: ``None`` or ``...``, or a function that raises
  :class:`NotImplementedError` or returns ``None`` or ``...``;
* says "correct" and what it compared when the answer is right, in any equivalent form and up to
  a stated tolerance;
* says what is wrong otherwise and, for the mistakes learners typically make (a flipped sign, a
  lost factor 2, a sum instead of a mean, a penalised intercept, Adam without bias correction,
  the moving-average momentum with PyTorch's learning rate, a missing inertia term, an
  off-by-one step counter, ...), names the mistake (:attr:`CheckResult.mistake`);
* never prints the expected answer, and prints only text that is the same on every run and
  every machine (no timings, no digits at the level of round-off).

Some checks need the data the answer refers to, passed as keywords (``X=..., y=...``): the
check computes what it compares with from them, so it works in any notebook, inside the book
or not. :func:`describe` says what each check expects; :data:`UNCHECKED` lists the exercises
without a check and why.

Notes
-----
A check compares your answer with a reference on the inputs it chooses (fixed, seeded), so a
function that is right only for the book's data can fail here: that is deliberate. The
tolerances are stated in the "correct" message.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, softmax
from scipy.stats import norm

__all__ = ["check", "CheckResult", "describe", "labels", "UNCHECKED"]

#: Exercises without a check, each with the reason it has none.
UNCHECKED = {
    "linreg-ex-scaling": "an explanation (why min-max scaling leaves the columns correlated with "
    "the intercept); the condition numbers it rests on are checked in other exercises",
    "pso-ex-article": "a deliberately wrong, random algorithm whose outcome, a median over 5 "
    "runs, has no reference value; the correct update is checked in pso-ex-stability",
    "ga-ex-pressure": "an exploration whose answer is a comparison of medians over random runs; "
    "the selection probabilities behind it are checked in ga-ex-tournament",
    "ht-ex-batch": "a random search whose ranking is noisy by design (the solution says to rerun "
    "it with another seed before trusting it); no single answer to compare with",
    "ht-ex-lcb": "an exploration whose answer (which kappa spreads its points more) is an "
    "observation on one run; the acquisition it uses is checked in bo-ex-kappa",
}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of :func:`check`; it prints as its message.

    Attributes
    ----------
    label : str
        The exercise's label.
    status : {"correct", "incorrect", "not attempted"}
        The verdict.
    message : str
        One or two sentences for the reader, without the expected answer.
    mistake : str or None
        A short name for the diagnosed mistake when ``status == "incorrect"`` (for example
        ``"flipped-sign"``, ``"factor-2"``, ``"sum-instead-of-mean"``, ``"off-by-one"``,
        ``"no-bias-correction"``), ``"mismatch"`` when no known mistake fits, None otherwise.
    """

    label: str
    status: str
    message: str
    mistake: str | None = None

    @property
    def correct(self) -> bool:
        """Whether the answer passed the check."""
        return self.status == "correct"

    def __str__(self):
        return self.message

    def __repr__(self):
        return self.message


@dataclass(frozen=True)
class _Check:
    label: str
    answer: str
    run: Callable


_CHECKS: dict[str, _Check] = {}


class _Mistake(Exception):
    """Raised inside a check: the answer is wrong, with a message and a mistake name."""

    def __init__(self, message, name="mismatch"):
        super().__init__(message)
        self.message, self.name = message, name


class _NotAttempted(Exception):
    """Raised inside a check when the answer is still a stub."""


def check(label, answer=None, /, **context) -> CheckResult:
    """Check the reader's answer to the exercise ``label``.

    Parameters
    ----------
    label : str
        The exercise's label, as in the book (for example ``"linreg-ex-gradient"``); see
        :func:`labels`.
    answer : object
        The answer: a number, an array, a function, ... as :func:`describe` says. ``None``,
        ``...``, or a function that raises :class:`NotImplementedError` or returns ``None``
        count as "not attempted yet".
    **context
        Data that the check needs to compute what it compares with, for the exercises that
        refer to the chapter's data (``X``, ``y``, ``L``, ...; :func:`describe` names them).

    Returns
    -------
    CheckResult
        Prints as one sentence: correct (and what was compared), not attempted yet, or what
        is wrong.

    Raises
    ------
    KeyError
        If ``label`` is not a checked exercise (the message says whether it is in
        :data:`UNCHECKED`).
    TypeError
        If a keyword the check needs is missing: a mistake in the workspace, not in the answer.

    Examples
    --------
    >>> check("ht-ex-top5", ...)
    ht-ex-top5: not attempted yet. Replace the ... by your answer and run the cell again.
    >>> check("ht-ex-top5", 58).mistake
    'off-by-one'
    """
    if label not in _CHECKS:
        if label in UNCHECKED:
            raise KeyError(f"{label!r} has no check: {UNCHECKED[label]}")
        raise KeyError(f"no exercise labelled {label!r}; mlopt.exercises.labels() lists them")
    spec = _CHECKS[label]
    try:
        if any(_is_stub(value) for value in context.values()):
            raise _NotAttempted  # a workspace whose data the reader has not computed yet
        what = spec.run(answer, **context)
    except _NotAttempted:
        return CheckResult(
            label,
            "not attempted",
            f"{label}: not attempted yet. Replace the ... by your answer and run the cell again.",
        )
    except _Mistake as wrong:
        return CheckResult(
            label, "incorrect", f"{label}: not right yet. {wrong.message}", wrong.name
        )
    return CheckResult(label, "correct", f"{label}: correct. {what}")


def labels():
    """The labels of the exercises that have a check, in the book's order.

    Examples
    --------
    >>> labels()[:2]
    ['train-ex-intercept', 'train-ex-lr']
    """
    return list(_CHECKS)


def describe(label):
    """What the check of ``label`` expects as its answer, and which keywords it needs.

    Examples
    --------
    >>> print(describe("ht-ex-top5"))
    the number of uniform random points needed (an integer)
    """
    return _CHECKS[label].answer


def _exercise(label, answer):
    def register(run):
        _CHECKS[label] = _Check(label, answer, run)
        return run

    return register


# ----------------------------------------------------------------------------------------------
# Helpers: calling the reader's code, comparing, diagnosing.


def _is_stub(value):
    return value is None or value is Ellipsis


def _call(fn, *args):
    """Call the reader's function; a stub or an error becomes a verdict, not an exception."""
    if _is_stub(fn):
        raise _NotAttempted
    if not callable(fn):
        raise _Mistake(f"The answer should be a function; got {type(fn).__name__}.", "type")
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]  # in-place edits are theirs
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(*args)
    except NotImplementedError:
        raise _NotAttempted from None
    except Exception as exc:  # the reader's bug, reported as a verdict
        raise _Mistake(f"Your function raised {type(exc).__name__}: {exc}", "error") from None
    if _is_stub(out):
        raise _NotAttempted
    return out


def _array(value, what="The result"):
    if _is_stub(value):
        raise _NotAttempted
    if isinstance(value, tuple | list) and any(_is_stub(v) for v in value):
        raise _NotAttempted
    try:
        if isinstance(value, tuple):  # (w, b) and the like: one flat vector
            arr = np.concatenate([np.atleast_1d(np.asarray(v, dtype=float)).ravel() for v in value])
        else:
            arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Mistake(f"{what} should be numbers; got {type(value).__name__}.", "type") from None
    return arr


def _number(value, what="The answer"):
    arr = _array(value, what)
    if arr.size != 1:
        raise _Mistake(f"{what} should be a single number; got {arr.size} numbers.", "shape")
    x = float(arr.ravel()[0])
    if not math.isfinite(x):
        raise _Mistake(f"{what} is not finite ({x}).", "not-finite")
    return x


def _need(context, *names):
    missing = [n for n in names if n not in context]
    if missing:
        raise TypeError(
            "this check needs the keyword argument(s) " + ", ".join(missing) + " (see describe())"
        )
    return [context[n] for n in names]


def _close(a, b, rtol, atol):
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and np.allclose(a, b, rtol, atol)


def _constant_ratio(got, expected):
    """The c with got = c * expected if there is one (to 1e-4), else None."""
    if got.shape != expected.shape or not np.all(np.isfinite(got)):
        return None
    scale = np.max(np.abs(expected))
    if scale == 0:
        return None
    big = np.abs(expected) > 1e-3 * scale
    ratios = got[big] / expected[big]
    c = float(np.median(ratios))
    if np.allclose(got, c * expected, rtol=1e-4, atol=1e-9 * scale):
        return c
    return None


def _diagnose(got, expected, *, rtol, atol, mistakes=(), what="The result"):
    """Raise a _Mistake unless got matches expected; try the catalogued mistakes first."""
    if got.shape != expected.shape:
        raise _Mistake(
            f"{what} has shape {got.shape}; it should have shape {expected.shape}.", "shape"
        )
    if not np.all(np.isfinite(got)):
        raise _Mistake(f"{what} contains inf or nan.", "not-finite")
    if _close(got, expected, rtol, atol):
        return
    for name, message, candidate in mistakes:
        candidate = np.asarray(candidate, dtype=float)
        if candidate.shape == got.shape and _close(got, candidate, max(rtol, 1e-6), atol):
            raise _Mistake(message, name)
    c = _constant_ratio(got, expected)
    if c is not None:
        if abs(c + 1) < 1e-3:
            raise _Mistake(
                f"{what} has the wrong sign: it equals minus the right one.", "flipped-sign"
            )
        if abs(abs(c) - 2) < 1e-3 or abs(abs(c) - 0.5) < 1e-3:
            raise _Mistake(
                f"{what} is off by a factor {'2' if abs(c) > 1 else '1/2'}: a lost or extra "
                "factor 2, as between the mean squared error and half of it?",
                "factor-2",
            )
        raise _Mistake(f"{what} is off by a constant factor of about {c:.3g}.", "constant-factor")
    raise _Mistake(f"{what} does not match the right one (relative tolerance {rtol:g}).")


def _check_function(
    fn, cases, reference, *, rtol=1e-6, atol=1e-12, mistakes=(), what=None, nonfinite=None
):
    """Compare fn(*case) with reference(*case) over the cases, with named wrong formulas.

    ``mistakes`` holds ``(name, message, wrong_function)``; a wrong function that reproduces the
    reader's output on every case names the mistake. ``nonfinite``, a ``(name, message)`` pair,
    names the mistake behind an inf or nan in the reader's output.
    """
    got, expected = [], []
    for case in cases:
        ref = np.atleast_1d(np.asarray(reference(*case), dtype=float))
        out = np.atleast_1d(_array(_call(fn, *case), "Your function's result"))
        if out.shape != ref.shape:
            if out.size == ref.size:
                out = out.reshape(ref.shape)
            else:
                raise _Mistake(
                    f"Your function returns shape {out.shape} where shape {ref.shape} is expected.",
                    "shape",
                )
        got.append(out.ravel())
        expected.append(ref.ravel())
    got, expected = np.concatenate(got), np.concatenate(expected)
    if nonfinite is not None and not np.all(np.isfinite(got)):
        raise _Mistake(nonfinite[1], nonfinite[0])
    candidates = []
    for name, message, wrong in mistakes:
        try:
            with np.errstate(all="ignore"):
                values = [np.atleast_1d(np.asarray(wrong(*c), dtype=float)).ravel() for c in cases]
        except (ValueError, IndexError, ZeroDivisionError):  # a mistake that cannot run here
            continue
        candidates.append((name, message, np.concatenate(values)))
    _diagnose(
        got,
        expected,
        rtol=rtol,
        atol=atol,
        mistakes=candidates,
        what=what or "Your result",
    )


def _integer(value, what="The answer"):
    x = _number(value, what)
    if abs(x - round(x)) > 1e-9:
        raise _Mistake(
            f"{what} should be a whole number; round it (up or down?).", "not-an-integer"
        )
    return round(x)


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------------------------
# Chapter 0: training a model.


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
    from .functions import rosenbrock

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
    from .gradcheck import numerical_gradient

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


# ----------------------------------------------------------------------------------------------
# Chapter 1: linear regression.


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


# ----------------------------------------------------------------------------------------------
# Chapter 2: logistic regression.


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


# ----------------------------------------------------------------------------------------------
# Chapter 3: gradient descent variants.


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
    "eta = 2/(L + mu), for kappa = 100 and a factor 1e6 (an integer)",
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


# ----------------------------------------------------------------------------------------------
# Chapter 4: momentum and adaptive methods.


def _test_problems():
    """(name, grad, start) for the optimizer checks: Rosenbrock and two quadratics."""
    from .functions import rosenbrock

    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    D = np.diag([1.0, 10.0, 0.5])
    return [
        (rosenbrock.grad, np.array([-1.2, 1.0])),
        (lambda t: A @ t, np.array([1.0, -2.0])),
        (lambda t: D @ t + 0.1 * t**3, np.array([0.5, -1.0, 2.0])),
    ]


def _run_optimizer(opt, grad, theta, steps):
    path = []
    for _ in range(steps):
        theta = opt.step(theta, grad(theta))
        path.append(theta)
    return np.array(path)


@_exercise(
    "mom-ex-nesterov",
    "a function nesterov(grad, theta0, lr, mu, steps) returning the "
    "look-ahead points phi_1..phi_steps, shape (steps, d)",
)
def _mom_nesterov(answer, **context):
    from .optimizers import SGD

    lr, mu, steps = 1e-3, 0.9, 100
    cases = [(grad, start, lr, mu, steps) for grad, start in _test_problems()]

    def sutskever(grad, theta, lr, mu, steps):
        u, out = np.zeros_like(theta), []
        for _ in range(steps):
            u = mu * u - lr * grad(theta + mu * u)
            theta = theta + u
            out.append(theta)
        return np.array(out)

    _check_function(
        answer,
        cases,
        lambda g, s, lr, mu, k: _run_optimizer(SGD(lr=lr, momentum=mu, nesterov=True), g, s, k),
        rtol=1e-9,
        atol=1e-12,
        mistakes=[
            (
                "theta-not-lookahead",
                "These are the points theta_t; the exercise asks for the "
                "look-ahead points phi_t = theta_t + mu u_t.",
                sutskever,
            ),
            (
                "heavy-ball",
                "That is heavy-ball momentum: Nesterov evaluates the gradient at the "
                "look-ahead point.",
                lambda g, s, lr, mu, k: _run_optimizer(SGD(lr=lr, momentum=mu), g, s, k),
            ),
        ],
    )
    return "Matches SGD(nesterov=True) over 100 steps on 3 problems."


@_exercise(
    "mom-ex-dampening",
    "a function pytorch_lr(lr, beta): the learning rate for "
    "SGD(momentum=beta) (no dampening) that reproduces the moving-average iterates",
)
def _mom_dampening(answer, **context):
    _check_function(
        answer,
        [(0.01, 0.9), (0.1, 0.5), (0.003, 0.99)],
        lambda lr, beta: lr * (1 - beta),
        rtol=1e-9,
        mistakes=[
            (
                "moving-average-lr",
                "That is the moving-average convention's learning rate used with "
                "PyTorch's buffer, which omits the factor (1 - beta): the steps would be "
                "1/(1 - beta) times too long.",
                lambda lr, beta: lr,
            ),
            (
                "inverted",
                "The factor goes the other way: PyTorch's buffer is the larger one.",
                lambda lr, beta: lr / (1 - beta),
            ),
        ],
    )
    return (
        "Matches for 3 (lr, beta): PyTorch's buffer is the moving average divided by "
        "1 - beta, from the first step on."
    )


@_exercise(
    "mom-ex-momentum-sweep",
    "a function polyak_momentum(L, lam_min): Polyak's optimal heavy-ball momentum",
)
def _mom_sweep(answer, **context):
    def polyak(L, m):
        k = np.sqrt(L / m)
        return ((k - 1) / (k + 1)) ** 2

    _check_function(
        answer,
        [(50.0, 1.0), (10.0, 0.1), (4.0, 1.0)],
        polyak,
        rtol=1e-8,
        mistakes=[
            (
                "not-squared",
                "That is heavy ball's rate of convergence; the optimal momentum is its square.",
                lambda L, m: (np.sqrt(L / m) - 1) / (np.sqrt(L / m) + 1),
            ),
            (
                "no-square-root",
                "Square roots are missing: (kappa - 1)/(kappa + 1) is gradient descent's rate.",
                lambda L, m: (L / m - 1) / (L / m + 1),
            ),
        ],
    )
    return "Matches Polyak's momentum for 3 spectra."


@_exercise("mom-ex-bias", "a function expected_m(t, beta1, g_bar): E[m_t] of Adam's first moment")
def _mom_bias(answer, **context):
    cases = [(t, b, g) for t in (1, 2, 5, 20) for b, g in ((0.9, 1.0), (0.5, -2.0))]
    _check_function(
        answer,
        cases,
        lambda t, b, g: (1 - b**t) * g,
        rtol=1e-9,
        mistakes=[
            (
                "off-by-one",
                "Off by one in the step counter: after t steps the weights sum to 1 - beta1^t.",
                lambda t, b, g: (1 - b ** (t - 1)) * g,
            ),
            (
                "off-by-one",
                "Off by one in the step counter: after t steps the weights sum to 1 - beta1^t.",
                lambda t, b, g: (1 - b ** (t + 1)) * g,
            ),
            (
                "complement",
                "That is the missing part, the bias, not E[m_t].",
                lambda t, b, g: b**t * g,
            ),
            (
                "first-term",
                "That is only the newest term's weight; sum the geometric series.",
                lambda t, b, g: (1 - b) * g,
            ),
        ],
    )
    return "Matches (1 - beta1^t) g_bar for 8 (t, beta1, g_bar)."


@_exercise(
    "mom-ex-rmsprop",
    "a function rmsprop_corrected(grad, theta, lr, alpha_r, steps) returning the final theta",
)
def _mom_rmsprop(answer, **context):
    from .optimizers import Adam

    def rmsprop(grad, theta, lr, a, steps, shift=0, correct=True):
        v = 0.0
        for t in range(1, steps + 1):
            g = grad(theta)
            v = a * v + (1 - a) * g**2
            v_hat = v / (1 - a ** (t + shift)) if correct else v
            theta = theta - lr * g / (np.sqrt(v_hat) + 1e-8)
        return theta

    cases = [(grad, start, 0.01, 0.99, 30) for grad, start in _test_problems()]
    _check_function(
        answer,
        cases,
        lambda g, s, lr, a, k: _run_optimizer(Adam(lr=lr, betas=(0.0, a)), g, s, k)[-1],
        rtol=1e-7,
        atol=1e-10,
        mistakes=[
            (
                "no-bias-correction",
                "That is RMSprop without bias correction (like Adam without "
                "it): divide v_t by 1 - alpha^t.",
                lambda g, s, lr, a, k: rmsprop(g, s, lr, a, k, correct=False),
            ),
            (
                "off-by-one",
                "Off by one in the step counter: the first step has t = 1.",
                lambda g, s, lr, a, k: rmsprop(g, s, lr, a, k, shift=1),
            ),
            (
                "off-by-one",
                "Off by one in the step counter: counting from t = 0 divides by 1 - alpha^0 = 0, "
                "which wipes out the first step. The first step has t = 1.",
                lambda g, s, lr, a, k: rmsprop(g, s, lr, a, k, shift=-1),
            ),
        ],
        nonfinite=(
            "off-by-one",
            "Your result is inf or nan: a step counter that starts at t = 0 divides by "
            "1 - alpha^0 = 0. The first step has t = 1.",
        ),
    )
    return "Matches Adam with beta1 = 0 and bias correction over 30 steps on 3 problems."


@_exercise(
    "mom-ex-sgd-decay",
    "a function decay_step(theta, g, lr, weight_decay): one SGD step with weight decay",
)
def _mom_sgd_decay(answer, **context):
    rng = _rng(4)
    cases = [
        (rng.normal(size=3), rng.normal(size=3), lr, wd) for lr, wd in ((0.1, 0.2), (0.01, 0.5))
    ]
    _check_function(
        answer,
        cases,
        lambda t, g, lr, wd: (1 - lr * wd) * t - lr * g,
        rtol=1e-10,
        mistakes=[
            (
                "decay-without-lr",
                "The decay is multiplied by the learning rate too: (1 - eta lambda).",
                lambda t, g, lr, wd: (1 - wd) * t - lr * g,
            ),
            (
                "flipped-sign",
                "The decay has the wrong sign: it shrinks theta.",
                lambda t, g, lr, wd: (1 + lr * wd) * t - lr * g,
            ),
            (
                "decay-after-step",
                "The decay multiplies theta before the gradient step, not the result of the step.",
                lambda t, g, lr, wd: (1 - lr * wd) * (t - lr * g),
            ),
        ],
    )
    return "Matches one step of SGD with an L2 penalty for 2 settings."


# ----------------------------------------------------------------------------------------------
# Chapter 5: regularisation.


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
                "lam theta_j^2 is 2 lam theta_j.",
                np.concatenate([grad(t, mask, 1.0) for t in points]),
            ),
            (
                "both",
                "Two of the article's errors remain: the intercept is penalised and the "
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
    "a function dof(D, lam): the effective degrees of freedom of ridge "
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
    return "Matches the trace of the hat matrix for 3 values of lambda."


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


# ----------------------------------------------------------------------------------------------
# Chapter 6: particle swarms, genetic algorithms, Bayesian optimisation.


@_exercise("pso-ex-constriction", "a function constriction(phi): Clerc's chi")
def _pso_constriction(answer, **context):
    _check_function(
        answer,
        [(4.1,), (4.5,), (5.0,), (6.0,)],
        lambda p: 2 / abs(2 - p - np.sqrt(p**2 - 4 * p)),
        rtol=1e-9,
        mistakes=[
            (
                "absolute-value",
                "chi must be positive: the formula takes an absolute value.",
                lambda p: 2 / (2 - p - np.sqrt(p**2 - 4 * p)),
            ),
        ],
    )
    return "Matches chi for 4 values of phi."


@_exercise(
    "pso-ex-stability",
    "a function spectral_radius(omega, c1, c2) of the averaged one-particle recurrence",
)
def _pso_stability(answer, **context):
    def radius(omega, c1, c2, phi=None):
        phi = (c1 + c2) / 2 if phi is None else phi
        return max(abs(np.roots([1.0, -(1 + omega - phi), omega])))

    cases = [
        (0.7298, 1.49618, 1.49618),
        (1.0, 2.0, 2.0),
        (0.5, 1.0, 1.0),
        (0.9, 2.5, 1.5),
        (0.4, 3.0, 3.0),
    ]
    _check_function(
        answer,
        cases,
        radius,
        rtol=1e-8,
        mistakes=[
            (
                "phi-not-halved",
                "phi is (c1 + c2)/2: r1 and r2 were replaced by their mean 1/2.",
                lambda o, c1, c2: radius(o, c1, c2, c1 + c2),
            ),
            (
                "missing-inertia",
                "The inertia term is missing: the velocity carries omega v_t into "
                "the next step, which makes the recurrence second order.",
                lambda o, c1, c2: abs(1 - (c1 + c2) / 2),
            ),
            (
                "smaller-root",
                "That is the smaller root's modulus; stability needs both below 1.",
                lambda o, c1, c2: min(abs(np.roots([1.0, -(1 + o - (c1 + c2) / 2), o]))),
            ),
        ],
    )
    return "Matches the spectral radius for 5 (omega, c1, c2), real and complex roots."


@_exercise(
    "pso-ex-budget",
    "a function max_iter_for(n_particles, budget): the particle_swarm "
    "max_iter that spends the budget",
)
def _pso_budget(answer, **context):
    cases = [(10, 3000), (30, 3000), (100, 3000), (20, 1220)]
    _check_function(
        answer,
        cases,
        lambda p, budget: budget // p - 1,
        rtol=0,
        mistakes=[
            (
                "off-by-one",
                "Off by one: max_iter counts the iterations after the initial "
                "evaluation of the swarm.",
                lambda p, budget: budget // p,
            ),
        ],
    )
    return "Spends exactly the budget for 4 swarm sizes."


@_exercise(
    "pso-ex-gd",
    "the number of function evaluations of one PSO run with 20 particles "
    "and max_iter = 60 (an integer)",
)
def _pso_gd(answer, **context):
    count = _integer(answer, "The count")
    if count == 20 * 61:
        return "Counts the initial swarm and the 60 iterations."
    if count == 20 * 60:
        raise _Mistake(
            "Off by one: the swarm is evaluated once before the first iteration.", "off-by-one"
        )
    raise _Mistake("Each iteration evaluates every particle once.")


@_exercise(
    "ga-ex-tournament",
    "a function win_probability(r, N, k) for rank r (1 = best), vectorised over r",
)
def _ga_tournament(answer, **context):
    cases = [(np.arange(1, N + 1), N, k) for N, k in ((10, 3), (5, 2), (30, 4))]
    _check_function(
        answer,
        cases,
        lambda r, N, k: ((N - r + 1.0) ** k - (N - r) ** k) / N**k,
        rtol=1e-10,
        mistakes=[
            (
                "reversed-ranks",
                "The ranks are reversed: rank 1 is the best.",
                lambda r, N, k: (r**k - (r - 1.0) ** k) / N**k,
            ),
            (
                "cumulative",
                "That is the probability that the winner's rank is at least r; subtract "
                "the same for r + 1.",
                lambda r, N, k: ((N - r + 1.0) / N) ** k,
            ),
        ],
    )
    return "Matches the winning probabilities of every rank for 3 (N, k)."


@_exercise("ga-ex-sbx", "a function sbx_beta(u, eta_c): the SBX spread factor for uniform u")
def _ga_sbx(answer, **context):
    def beta(u, eta, e=1.0):
        return np.where(u <= 0.5, (2 * u) ** (1 / (eta + e)), (2 * (1 - u)) ** (-1 / (eta + e)))

    u = np.linspace(0.01, 0.99, 33)
    _check_function(
        answer,
        [(u, 15.0), (u, 2.0)],
        beta,
        rtol=1e-10,
        mistakes=[
            (
                "exponent",
                "The exponent is 1/(eta_c + 1), not 1/eta_c.",
                lambda u, eta: beta(u, eta, 0.0),
            ),
            (
                "swapped-branches",
                "The branches are swapped: u <= 1/2 gives beta <= 1.",
                lambda u, eta: beta(1 - u, eta),
            ),
        ],
    )
    return "Matches the spread factor on 33 values of u for eta_c = 15 and 2."


@_exercise(
    "ga-ex-elitism",
    "a function population_bests(f_history, population_size, "
    "generations, elitism): the best value in the population after each generation",
)
def _ga_elitism(answer, **context):
    from .functions import rastrigin
    from .genetic_algorithm import genetic_algorithm

    def bests(f, N, G, e, block=None):
        block = N - e if block is None else block
        out = [f[:N].min()]
        for k in range(G):
            children = f[N + k * block : N + (k + 1) * block]
            out.append(min(children.min(), out[-1]) if e else children.min())
        return np.array(out)

    cases = []
    for e in (0, 1, 2):
        res = genetic_algorithm(
            rastrigin, rastrigin.bounds(3), population_size=10, generations=15, elitism=e, rng=0
        )
        cases.append((res.history["fun"], 10, 12, e))  # fewer than run: no slice runs out
    _check_function(
        answer,
        cases,
        bests,
        rtol=1e-12,
        mistakes=[
            (
                "off-by-one",
                "Off by one in the generation blocks: the elites are not evaluated "
                "again, so a generation evaluates population_size - elitism children.",
                lambda f, N, G, e: bests(f, N, G, e, N) if e else bests(f, N, G, e),
            ),
            (
                "best-ever",
                "That is the best value ever found; without elitism the population can "
                "lose its best individual.",
                lambda f, N, G, e: np.minimum.accumulate(bests(f, N, G, e)),
            ),
        ],
    )
    return "Matches the population's best per generation for elitism 0, 1 and 2."


@_exercise(
    "ga-ex-pso",
    "a function generations_for(budget, population_size, elitism): the "
    "genetic_algorithm generations that spend about the budget",
)
def _ga_pso(answer, **context):
    cases = [(3000, 30, 1), (3000, 30, 0), (1000, 20, 2), (500, 50, 5)]
    for budget, N, e in cases:
        g = _integer(_call(answer, budget, N, e), "The number of generations")
        exact = (budget - N) / (N - e)
        if g in (math.floor(exact), math.ceil(exact)):
            continue
        if g in (budget // N, budget // N - 1):
            raise _Mistake(
                "The initial population is evaluated once, and the elites are not "
                "evaluated again: a generation costs population_size - elitism "
                "evaluations.",
                "budget-per-generation",
            )
        raise _Mistake(
            "That number of generations does not spend the budget: nfev = "
            "population_size + generations (population_size - elitism)."
        )
    return "Spends the budget to within one generation for 4 settings."


@_exercise(
    "bo-ex-ei", "a function ei(mu, sigma, f_best, xi): expected improvement for minimisation"
)
def _bo_ei(answer, **context):
    def ei(mu, s, f, xi, sign=1.0, pdf=True):
        a = sign * (f - xi - mu)
        z = a / s
        return a * norm.cdf(z) + (s * norm.pdf(z) if pdf else 0)

    mu = np.array([0.5, -0.3, 1.0, 0.0, -1.5])
    sigma = np.array([1.0, 0.2, 0.3, 2.0, 0.5])
    cases = [(mu, sigma, 0.0, 0.01), (mu, sigma, -1.0, 0.0)]
    _check_function(
        answer,
        cases,
        ei,
        rtol=1e-8,
        atol=1e-12,
        mistakes=[
            (
                "maximisation",
                "That is the improvement for maximisation; here f must fall below f* - xi.",
                lambda m, s, f, xi: ei(-m, s, -f, xi),
            ),
            (
                "missing-sigma-term",
                "The term sigma phi(z) is missing.",
                lambda m, s, f, xi: ei(m, s, f, xi, pdf=False),
            ),
        ],
    )
    return "Matches the closed form at 5 posteriors for 2 (f*, xi)."


@_exercise(
    "bo-ex-pi-greedy",
    "a function pi(mu, sigma, f_best, xi): probability of improvement for minimisation",
)
def _bo_pi(answer, **context):
    mu = np.array([0.5, -0.3, 1.0, 0.0, -1.5])
    sigma = np.array([1.0, 0.2, 0.3, 2.0, 0.5])
    cases = [(mu, sigma, 0.0, 0.1), (mu, sigma, -1.0, 0.5)]
    _check_function(
        answer,
        cases,
        lambda m, s, f, xi: norm.cdf((f - xi - m) / s),
        rtol=1e-8,
        atol=1e-12,
        mistakes=[
            (
                "margin-sign",
                "The margin has the wrong sign: an improvement must go xi below f*.",
                lambda m, s, f, xi: norm.cdf((f + xi - m) / s),
            ),
            (
                "maximisation",
                "That is the probability of improvement for maximisation.",
                lambda m, s, f, xi: norm.cdf((m - f - xi) / s),
            ),
        ],
    )
    return "Matches PI at 5 posteriors for 2 (f*, xi)."


@_exercise("bo-ex-kappa", "a function lcb(mu, sigma, kappa): the lower confidence bound")
def _bo_kappa(answer, **context):
    mu, sigma = np.array([0.5, -0.3, 1.0]), np.array([1.0, 0.2, 0.3])
    cases = [(mu, sigma, k) for k in (0.0, 2.0, 20.0)]
    _check_function(
        answer,
        cases,
        lambda m, s, k: m - k * s,
        rtol=1e-10,
        mistakes=[
            (
                "upper-bound",
                "That is the upper confidence bound; minimisation subtracts kappa sigma.",
                lambda m, s, k: m + k * s,
            ),
            (
                "variance",
                "kappa multiplies the standard deviation, not the variance.",
                lambda m, s, k: m - k * s**2,
            ),
        ],
    )
    return "Matches mu - kappa sigma for 3 values of kappa."


@_exercise(
    "bo-ex-noisy",
    "the point to report (a float); needs model= (the result of bayesian_optimization, or its "
    "model, then best_observed= is optional) and grid=",
)
def _bo_noisy(answer, **context):
    model, grid = _need(context, "model", "grid")
    observed = context.get("best_observed")
    if hasattr(model, "model"):  # the result of bayesian_optimization: its model and best x
        model, observed = model.model, model.x if observed is None else observed
    grid = np.asarray(grid, dtype=float)
    x = _number(answer, "The point")
    mean = np.ravel(model.predict(grid[:, None]))
    ref = grid[np.argmin(mean)]
    spacing = float(np.max(np.diff(grid))) if grid.size > 1 else 0.0
    if abs(x - ref) <= spacing + 1e-12:
        return "That is the minimiser of the posterior mean (to one grid step)."
    if observed is not None and abs(x - float(np.ravel(observed)[0])) <= spacing + 1e-12:
        raise _Mistake(
            "That is the best observed point: the minimum of noisy values is biased "
            "low, and it ignores the other evaluations.",
            "best-observed",
        )
    raise _Mistake("That point does not minimise the posterior mean on the grid.")


@_exercise(
    "bo-ex-evidence",
    "a function scale_length(theta, factor): the kernel's theta with "
    "the length scale (theta[1]) multiplied by factor",
)
def _bo_evidence(answer, **context):
    theta = np.log(np.array([1.7, 0.4, 0.01]))
    cases = [(theta, f) for f in (0.1, 10.0, 2.0)]

    def ref(t, f):
        return t + np.log(f) * np.array([0.0, 1.0, 0.0])

    _check_function(
        answer,
        cases,
        ref,
        rtol=1e-10,
        mistakes=[
            (
                "log-scale",
                "theta holds logarithms: multiplying the length scale adds log(factor).",
                lambda t, f: t * np.array([1.0, f, 1.0]),
            ),
            (
                "log-scale",
                "theta holds logarithms: add log(factor), not factor.",
                lambda t, f: t + f * np.array([0.0, 1.0, 0.0]),
            ),
            (
                "wrong-entry",
                "The length scale is theta[1]; theta[0] is the amplitude.",
                lambda t, f: t + np.log(f) * np.array([1.0, 0.0, 0.0]),
            ),
        ],
    )
    return "Multiplies the length scale by 3 factors and leaves the rest alone."


# ----------------------------------------------------------------------------------------------
# Chapter 7: hyper-parameter tuning.


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
