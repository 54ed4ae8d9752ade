"""Checks of user input shared by every module of :mod:`mlopt`: the one home of the checks.

Each check raises :class:`ValueError` whose message names the parameter, the accepted
range and the value received, in the style of scikit-learn::

    lr must be a real number in the range (0, inf); got -0.1.

The helpers that print objects (:func:`signature_repr`, :func:`address_free_repr`) live here
too, so that no module imports a private name of another.
"""

from __future__ import annotations

import inspect
import numbers
import re

import numpy as np

__all__ = [
    "address_free_repr",
    "check_bool",
    "check_callable",
    "check_callback",
    "check_integer",
    "check_interval",
    "check_rng",
    "check_scalar",
    "check_vector",
    "signature_repr",
]


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _short(value) -> str:
    """``repr(value)``, cut to 80 characters (an array of a million entries is not printed)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_interval(name: str, value, low=-np.inf, high=np.inf, *, closed="neither", hint=""):
    """Return ``float(value)`` if it is a real number inside an interval, else raise.

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
        If ``value`` is not a real number (a bool, a complex number and NaN are not) or lies
        outside the interval.

    Examples
    --------
    >>> check_interval("lr", -0.1, 0.0)
    Traceback (most recent call last):
    ...
    ValueError: lr must be a real number in the range (0, inf); got -0.1.
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
        msg = f"{name} must be a real number in the range {interval}; got {_short(value)}."
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


def check_integer(name: str, value, low, high=None) -> int:
    """Return ``int(value)`` if it is an integer in ``[low, high]``, else raise ``ValueError``.

    Examples
    --------
    >>> check_integer("max_iter", 2.5, 0)
    Traceback (most recent call last):
    ...
    ValueError: max_iter must be an integer in the range [0, inf); got 2.5.
    """
    interval = f"[{low}, {'inf' if high is None else high}]".replace(", inf]", ", inf)")
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
    ok = ok and value >= low and (high is None or value <= high)
    if not ok:
        raise ValueError(f"{name} must be an integer in the range {interval}; got {_short(value)}.")
    return int(value)


def check_bool(name: str, value) -> bool:
    """Return ``value`` if it is ``True`` or ``False``, else raise ``ValueError``."""
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be a bool (True or False); got {_short(value)}.")
    return bool(value)


def check_callable(name: str, value, signature: str):
    """Return ``value`` if it is callable, else raise ``ValueError`` naming ``signature``."""
    if not callable(value) or isinstance(value, type):
        raise ValueError(f"{name} must be a callable {signature}; got {_short(value)}.")
    return value


def check_callback(callback):
    """Return ``callback`` if it is None or callable, else raise ``ValueError``."""
    if callback is not None and not callable(callback):
        raise ValueError(
            "callback must be None or a callable callback(intermediate_result); "
            f"got {_short(callback)}."
        )
    return callback


def check_rng(rng) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from ``rng``, as SciPy's SPEC 7 prescribes.

    ``None`` gives fresh entropy; a non-negative int, a :class:`numpy.random.SeedSequence`
    or a :class:`numpy.random.BitGenerator` a reproducible generator; a
    :class:`numpy.random.Generator` is used as it is (and so advanced by the run). Anything
    else (a bool, a float, a string, a legacy ``RandomState``) raises ``ValueError``.

    Examples
    --------
    >>> int(check_rng(0).integers(10)) == int(check_rng(0).integers(10))
    True
    >>> check_rng(1.5)
    Traceback (most recent call last):
    ...
    ValueError: rng must be None, a non-negative int or a numpy.random.Generator; got 1.5.
    """
    accepted = (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)
    message = f"rng must be None, a non-negative int or a numpy.random.Generator; got {rng!r}."
    if rng is None or isinstance(rng, accepted):
        return np.random.default_rng(rng)
    if not isinstance(rng, numbers.Integral) or isinstance(rng, bool | np.bool_) or rng < 0:
        raise ValueError(message)
    return np.random.default_rng(int(rng))


def _as_real_array(name: str, value, what="an array") -> np.ndarray:
    """``np.asarray(value, dtype=float)`` that refuses None, strings and complex numbers."""
    if value is None:
        raise ValueError(f"{name} must be {what} of real numbers; got None.")
    arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
    if np.iscomplexobj(arr):
        raise ValueError(
            f"{name} must be real; got complex numbers {_short(value)} (mlopt does not drop "
            "imaginary parts: pass value.real if that is what you mean)."
        )
    if arr.dtype.kind not in "biuf":
        try:
            arr = np.asarray(arr, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{name} must be {what} of real numbers; got {_short(value)}."
            ) from exc
    return arr.astype(float, copy=True)


def check_vector(name: str, value, *, size: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite, non-empty 1-D float64 array (a copy), or raise.

    A scalar becomes an array of length one (``np.atleast_1d``), as in SciPy. None, complex
    numbers, empty arrays, arrays of more than one dimension, and NaN or infinite entries
    are refused with a message that names ``name``.

    Examples
    --------
    >>> check_vector("x0", 3)
    array([3.])
    >>> check_vector("x0", [])
    Traceback (most recent call last):
    ...
    ValueError: x0 must be a non-empty 1-D array; got an empty array.
    """
    arr = np.atleast_1d(_as_real_array(name, value, "a 1-D array"))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array; got an array of shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array; got an empty array.")
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{name} must have {size} elements; got {arr.shape[0]}.")
    if not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr)).tolist()
        raise ValueError(
            f"{name} must contain only finite numbers; got {_short(arr)} (not finite at "
            f"index {bad[:10]})."
        )
    return arr


def check_array(name: str, value, *, ndim: int, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a non-empty real float64 array with ``ndim`` dimensions, or raise."""
    arr = _as_real_array(name, value, f"a {ndim}-D array")
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array; got an array of shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got an array of shape {arr.shape}.")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers; got {_short(arr)}.")
    return arr


def address_free_repr(obj) -> str:
    """``repr(obj)`` without a memory address: ``<function <lambda> at 0x7f..>`` -> ``<lambda>``."""
    if isinstance(obj, float):
        return repr(obj)
    text = repr(obj)
    if re.search(r" at 0x[0-9a-fA-F]+", text):
        return getattr(obj, "__name__", type(obj).__name__)
    return text


def signature_repr(obj, format_value=repr) -> str:
    """``ClassName(a=1, b=2)`` from the ``__init__`` parameters stored as attributes."""
    names = inspect.signature(type(obj).__init__).parameters
    args = ", ".join(
        f"{name}={format_value(getattr(obj, name))}" for name in names if name != "self"
    )
    return f"{type(obj).__name__}({args})"
