"""The registry of checks, :func:`check` and the helpers every check uses."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

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
