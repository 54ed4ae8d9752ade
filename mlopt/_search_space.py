"""What the derivative-free optimizers share: the box, the random generator, the bookkeeping.

:func:`~mlopt.particle_swarm.particle_swarm`, :func:`~mlopt.genetic_algorithm.genetic_algorithm`
and :func:`~mlopt.bayesian_optimization.bayesian_optimization` search a box
:math:`[l_1, u_1] \\times \\dots \\times [l_d, u_d]` with a budget of calls of ``func``. This
module checks their box (``bounds``; the other checks live in :mod:`mlopt._validation`),
evaluates ``func`` safely and records every evaluation in order
(:class:`Evaluations`), and builds the :class:`~scipy.optimize.OptimizeResult` they return,
with every message kept in :data:`MESSAGES`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import Bounds, OptimizeResult

from ._minimize import call_callback
from ._status import ERROR_MESSAGE, INTERRUPTED_MESSAGE

__all__ = ["MESSAGES", "Evaluations", "StopRun", "check_bounds"]

# Every message the derivative-free optimizers can return, kept in one place; the codes are
# those of the package-wide table in mlopt._status.
MESSAGES = {
    0: "Completed: {budget}.",
    2: (
        "func returned no finite value at the {nfev} points evaluated; "
        "check that func(x) returns a real number inside the bounds."
    ),
    3: "Stopped by the callback after iteration {nit}.",
    4: INTERRUPTED_MESSAGE,
    5: ERROR_MESSAGE,
}

_BOUNDS_HELP = (
    "bounds must be a sequence of d (low, high) pairs of finite real numbers with "
    "low < high, or a scipy.optimize.Bounds"
)


def check_bounds(bounds):
    """Return the box ``bounds`` as two float arrays ``(lower, upper)`` of shape ``(d,)``.

    Parameters
    ----------
    bounds : sequence of (float, float) or scipy.optimize.Bounds
        One pair ``(low, high)`` per coordinate, with ``low < high``, both finite.

    Raises
    ------
    ValueError
        If ``bounds`` is not of shape ``(d, 2)`` with ``d >= 1``, holds a non-finite or
        non-real entry, or has a pair with ``low >= high``. The message names ``bounds``.
    """
    if bounds is None:
        raise ValueError(f"{_BOUNDS_HELP}; got None.")
    if isinstance(bounds, Bounds):
        try:
            lower, upper = np.broadcast_arrays(
                np.atleast_1d(np.asarray(bounds.lb, dtype=float)),
                np.atleast_1d(np.asarray(bounds.ub, dtype=float)),
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{_BOUNDS_HELP}; got {bounds!r}.") from exc
        pairs = np.column_stack([lower, upper]) if lower.ndim == 1 else np.empty((0, 3))
    else:
        try:
            if np.iscomplexobj(np.asarray(bounds)):
                raise ValueError(f"{_BOUNDS_HELP}; got complex numbers {bounds!r}.")
            pairs = np.asarray(bounds, dtype=float)
        except (TypeError, ValueError) as exc:
            if "complex" in str(exc):
                raise
            raise ValueError(f"{_BOUNDS_HELP}; got {bounds!r}.") from exc
    if pairs.ndim != 2 or pairs.shape[1] != 2 or pairs.shape[0] == 0:
        raise ValueError(f"{_BOUNDS_HELP}; got an array of shape {pairs.shape}: {bounds!r}.")
    if not np.all(np.isfinite(pairs)):
        raise ValueError(f"{_BOUNDS_HELP}; got a non-finite entry in {bounds!r}.")
    lower, upper = pairs[:, 0].copy(), pairs[:, 1].copy()
    bad = np.flatnonzero(lower >= upper)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{_BOUNDS_HELP}; got low >= high for coordinate {i}: ({lower[i]:g}, {upper[i]:g})."
        )
    return lower, upper


_FLOATS = (float, np.float64)


class StopRun(Exception):  # noqa: N818 (a signal, not an error)
    """The callback asked to stop in the middle of a batch of evaluations."""


class Evaluations:
    """Evaluate ``func`` at points of the box and remember every evaluation in order.

    Parameters
    ----------
    func : callable
        ``func(x) -> float`` for ``x`` of shape ``(d,)``.
    lower, upper : ndarray of shape (d,)
        The box, as returned by :func:`check_bounds`.

    Notes
    -----
    Each point is clipped to the box before ``func`` sees it (the optimizers only propose
    points inside the box; the clip guards against a last-bit rounding error). ``func`` runs
    under ``np.errstate(all="ignore")`` so that an overflow inside it raises no NumPy
    warning. A NaN or infinite value is kept as it is in the history but ranks as
    :math:`+\\infty` (:meth:`__call__` returns it as ``inf``), so such points never become the
    best point and the run goes on.
    """

    def __init__(self, func, lower, upper):
        if not callable(func) or isinstance(func, type):
            raise ValueError(f"func must be a callable func(x) -> float; got {func!r}.")
        self.func, self.lower, self.upper = func, lower, upper
        self.xs, self.fs = [], []
        self.x_best, self.f_best = None, np.inf

    @property
    def nfev(self):
        """The number of calls of ``func`` so far."""
        return len(self.fs)

    def _one(self, x):
        with np.errstate(all="ignore"):
            value = self.func(x.copy())
            if type(value) in _FLOATS:  # the common case, which the checks below pass
                return float(value)
            if value is None or np.iscomplexobj(value):
                raise ValueError(f"func(x) must return a real number; got {value!r}.")
            try:
                value = np.asarray(value, dtype=float)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"func(x) must return a real number; got {value!r}.") from exc
        if value.size != 1:
            raise ValueError(
                f"func(x) must return a real number; got an array of shape {value.shape}."
            )
        return float(value.reshape(()))

    def __call__(self, X, *, callback=None, nit=0):
        """Evaluate ``func`` at the rows of ``X``; return the values with NaN replaced by inf.

        With ``callback``, it is called after every evaluation (with ``nit``), and
        :class:`StopRun` is raised as soon as it asks to stop.
        """
        X = np.clip(np.atleast_2d(np.asarray(X, dtype=float)), self.lower, self.upper)
        values = np.empty(X.shape[0])
        for i, x in enumerate(X):
            value = self._one(x)
            self.xs.append(x.copy())
            self.fs.append(value)
            values[i] = value if math.isfinite(value) else np.inf
            if values[i] < self.f_best or self.x_best is None:
                self.x_best, self.f_best = x.copy(), float(values[i])
            if self.stop(callback, nit):
                raise StopRun
        return values

    def history(self):
        """Return ``{"x": (nfev, d) array, "fun": (nfev,) array}`` in evaluation order."""
        d = self.lower.shape[0]
        return {"x": np.array(self.xs).reshape(-1, d), "fun": np.array(self.fs, dtype=float)}

    def intermediate(self, nit):
        """The :class:`~scipy.optimize.OptimizeResult` passed to ``callback`` after ``nit``."""
        return OptimizeResult(x=self.x_best.copy(), fun=self.f_best, nit=nit, nfev=self.nfev)

    def stop(self, callback, nit):
        """Call ``callback`` (if any) after iteration ``nit``; True if it asks to stop."""
        return callback is not None and call_callback(callback, self.intermediate(nit))

    def result(self, nit, status, budget, **extra):
        """Assemble the final :class:`~scipy.optimize.OptimizeResult`.

        ``status`` is 3 (callback), 4 (interrupted) or 5 (exception), or None when the run
        ended normally (then 0, or 2 if no finite value was seen); ``budget`` describes the
        full budget for the message (e.g. ``"max_iter = 200 iterations"``) and ``extra``
        holds method-specific fields.
        """
        if status is None:
            status = 0 if np.isfinite(self.f_best) else 2
        message = MESSAGES[status].format(
            budget=budget, nit=nit, nfev=self.nfev, where="func or callback"
        )
        if self.x_best is None:  # interrupted before the first evaluation returned
            x_best = np.full(self.lower.shape, np.nan)
        else:
            x_best = self.x_best.copy()
        return OptimizeResult(
            x=x_best,
            fun=self.f_best,
            nit=nit,
            nfev=self.nfev,
            success=status == 0,
            status=status,
            message=message,
            history=self.history(),
            **extra,
        )
