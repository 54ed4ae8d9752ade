"""Checks of user input shared by every module of :mod:`mlopt`.

Each check raises :class:`ValueError` whose message names the parameter, the accepted
range and the value received, in the style of scikit-learn::

    lr must be a float in the range (0, inf); got -0.1.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["check_scalar", "check_vector", "check_interval"]


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_interval(name: str, value, low=-np.inf, high=np.inf, *, closed="neither", hint=""):
    """Return ``float(value)`` if it is a finite-or-allowed real number inside an interval.

    Parameters
    ----------
    name : str
        The parameter's name, as the user typed it.
    value : object
        The value received.
    low, high : float
        Interval end points (may be infinite).
    closed : {"neither", "left", "right", "both"}
        Which end points belong to the interval.
    hint : str, optional
        A sentence that tells the user what to do instead, appended to the message.

    Raises
    ------
    ValueError
        If ``value`` is not a real number or lies outside the interval.
    """
    left = "[" if closed in ("left", "both") else "("
    right = "]" if closed in ("right", "both") else ")"
    fmt = lambda v: "inf" if v == np.inf else "-inf" if v == -np.inf else f"{v:g}"  # noqa: E731
    interval = f"{left}{fmt(low)}, {fmt(high)}{right}"
    ok = _is_real(value) and not np.isnan(value)
    if ok:
        v = float(value)
        ok = (v > low or (v == low and left == "[")) and (v < high or (v == high and right == "]"))
    if not ok:
        msg = f"{name} must be a real number in the range {interval}; got {value!r}."
        if hint:
            msg += " " + hint
        raise ValueError(msg)
    return float(value)


def check_scalar(name: str, value, *, positive=False, nonnegative=False, hint=""):
    """Shorthand for the two intervals used most: ``(0, inf)`` and ``[0, inf)``."""
    if positive:
        return check_interval(name, value, 0.0, np.inf, closed="neither", hint=hint)
    if nonnegative:
        return check_interval(name, value, 0.0, np.inf, closed="left", hint=hint)
    return check_interval(name, value, hint=hint)


def check_vector(name: str, value, *, size: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite 1-D float64 array (a copy), or raise ``ValueError``.

    A scalar becomes an array of length one (``np.atleast_1d``), as in SciPy.
    """
    try:
        arr = np.atleast_1d(np.array(value, dtype=float))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a 1-D array of real numbers; got {value!r}.") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array; got an array of shape {arr.shape}.")
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{name} must have {size} elements; got {arr.shape[0]}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers; got {arr}.")
    return arr
