"""What the derivative-free optimizers share: the box, the random generator, the bookkeeping.

:func:`~mlopt.particle_swarm.particle_swarm`, :func:`~mlopt.genetic_algorithm.genetic_algorithm`
and :func:`~mlopt.bayesian_optimization.bayesian_optimization` search a box
:math:`[l_1, u_1] \\times \\dots \\times [l_d, u_d]` with a budget of calls of ``func``. This
module checks their common input (``bounds``, ``rng``, ``callback``, integer and real
hyper-parameters), evaluates ``func`` safely and records every evaluation in order
(:class:`Evaluations`), and builds the :class:`~scipy.optimize.OptimizeResult` they return,
with every message kept in :data:`MESSAGES`.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.optimize import Bounds, OptimizeResult

from ._validation import check_interval

__all__ = [
    "MESSAGES",
    "Evaluations",
    "check_bounds",
    "check_callback",
    "check_integer",
    "check_interval",
    "check_rng",
]

# Every message the derivative-free optimizers can return, kept in one place.
MESSAGES = {
    0: "Completed: {budget}.",
    1: "Stopped by the callback after iteration {nit}.",
    2: (
        "func returned no finite value at the {nfev} points evaluated; "
        "check that func(x) returns a real number inside the bounds."
    ),
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
            pairs = np.asarray(bounds, dtype=float)
        except (TypeError, ValueError) as exc:
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


def check_integer(name, value, low, high=None):
    """Return ``int(value)`` if it is an integer in ``[low, high]``, else raise ``ValueError``."""
    interval = f"[{low}, {'inf' if high is None else high}]".replace(", inf]", ", inf)")
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    ok = ok and value >= low and (high is None or value <= high)
    if not ok:
        raise ValueError(f"{name} must be an integer in the range {interval}; got {value!r}.")
    return int(value)


def check_rng(rng):
    """Return ``numpy.random.default_rng(rng)`` (SciPy's SPEC 7), or raise ``ValueError``.

    ``None`` gives fresh entropy, an int (or ``SeedSequence``) a reproducible generator,
    and a ``numpy.random.Generator`` is used as it is (and so advanced by the run).
    """
    if isinstance(rng, bool):  # np.random.default_rng(True) would silently seed with 1
        raise ValueError(f"rng must be None, an int or a numpy.random.Generator; got {rng!r}.")
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"rng must be None, a non-negative int or a numpy.random.Generator; got {rng!r}."
        ) from exc


def check_callback(callback):
    """Return ``callback`` if it is None or callable, else raise ``ValueError``."""
    if callback is not None and not callable(callback):
        raise ValueError(
            f"callback must be None or a callable callback(intermediate_result); got {callback!r}."
        )
    return callback


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
        if not callable(func):
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
            try:
                value = np.asarray(value, dtype=float)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"func(x) must return a real number; got {value!r}.") from exc
        if value.size != 1:
            raise ValueError(
                f"func(x) must return a real number; got an array of shape {value.shape}."
            )
        return float(value.reshape(()))

    def __call__(self, X):
        """Evaluate ``func`` at the rows of ``X``; return the values with NaN replaced by inf."""
        X = np.clip(np.atleast_2d(np.asarray(X, dtype=float)), self.lower, self.upper)
        values = np.empty(X.shape[0])
        for i, x in enumerate(X):
            value = self._one(x)
            self.xs.append(x.copy())
            self.fs.append(value)
            values[i] = value if np.isfinite(value) else np.inf
            if values[i] < self.f_best or self.x_best is None:
                self.x_best, self.f_best = x.copy(), float(values[i])
        return values

    def history(self):
        """Return ``{"x": (nfev, d) array, "fun": (nfev,) array}`` in evaluation order."""
        d = self.lower.shape[0]
        return {"x": np.array(self.xs).reshape(-1, d), "fun": np.array(self.fs, dtype=float)}

    def intermediate(self, nit):
        """The :class:`~scipy.optimize.OptimizeResult` passed to ``callback`` after ``nit``."""
        return OptimizeResult(x=self.x_best.copy(), fun=self.f_best, nit=nit, nfev=self.nfev)

    def result(self, nit, stopped, budget, **extra):
        """Assemble the final :class:`~scipy.optimize.OptimizeResult`.

        ``stopped`` says whether the callback stopped the run, ``budget`` describes the full
        budget for the message (e.g. ``"max_iter = 200 iterations"``) and ``extra`` holds
        method-specific fields.
        """
        if not np.isfinite(self.f_best):
            status = 2
        else:
            status = 1 if stopped else 0
        message = MESSAGES[status].format(budget=budget, nit=nit, nfev=self.nfev)
        return OptimizeResult(
            x=self.x_best.copy(),
            fun=self.f_best,
            nit=nit,
            nfev=self.nfev,
            success=status == 0,
            status=status,
            message=message,
            history=self.history(),
            **extra,
        )
