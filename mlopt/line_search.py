r"""Line searches: how far to go along a descent direction.

Given a point :math:`x`, a descent direction :math:`p` (:math:`\nabla f(x)^\top p < 0`) and
the one-dimensional function :math:`\phi(t) = f(x + t p)`, a line search picks a step
:math:`t > 0` that satisfies

* the **Armijo** (sufficient decrease) condition
  :math:`\phi(t) \le \phi(0) + c_1 t \phi'(0)`, which :func:`backtracking` guarantees, or
* the **strong Wolfe** conditions, Armijo's plus the curvature condition
  :math:`|\phi'(t)| \le c_2 |\phi'(0)|`, which :func:`strong_wolfe` guarantees,

with :math:`0 < c_1 < c_2 < 1`. Both return a :class:`LineSearchResult` holding the step,
the value and gradient at the new point (so that a driver need not evaluate them again) and
the number of evaluations of ``fun``. :func:`mlopt.newton` uses :func:`backtracking`,
:func:`mlopt.lbfgs` uses :func:`strong_wolfe`.

References
----------
Nocedal, J. and Wright, S. J. (2006). *Numerical Optimization*, 2nd ed., Springer,
chapter 3 (Algorithms 3.1, 3.5 and 3.6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._minimize import evaluate, value_and_grad
from ._validation import check_integer, check_interval, check_vector

__all__ = ["LineSearchResult", "backtracking", "strong_wolfe"]


@dataclass(frozen=True)
class LineSearchResult:
    """What a line search found.

    Attributes
    ----------
    step : float
        The step :math:`t`; the new point is ``x + step * p``.
    fun : float
        :math:`f(x + t p)`.
    jac : numpy.ndarray
        :math:`\\nabla f(x + t p)`.
    nfev : int
        Calls of ``fun`` made by the search.
    success : bool
        Whether ``step`` satisfies the conditions the search promises. When False (the
        evaluation budget ran out, usually because rounding errors hide any decrease near
        a minimiser), ``step`` is the last step tried.
    """

    step: float
    fun: float
    jac: np.ndarray
    nfev: int
    success: bool


def _setup(fun, x, p, f0, g0, jac):
    """The pair-returning callable, x, p and (f0, g0, phi'(0)), checked."""
    fun_and_grad = value_and_grad(fun, jac)
    x = check_vector("x", x)
    p = check_vector("p", p, size=x.size)
    nfev = 0
    if f0 is None or g0 is None:
        f0, g0 = evaluate(fun_and_grad, x)
        nfev = 1
    g0 = np.asarray(g0, dtype=float)
    slope = float(g0 @ p)
    if not slope < 0:
        raise ValueError(
            f"p must be a descent direction, with gradient @ p < 0; got gradient @ p = "
            f"{slope:.3g}. Use p = -gradient, or a Newton or quasi-Newton direction computed "
            "from a positive definite matrix."
        )
    return fun_and_grad, x, p, float(f0), slope, nfev


def backtracking(
    fun, x, p, *, f0=None, g0=None, jac=None, step=1.0, c1=1e-4, shrink=0.5, max_evals=60
):
    r"""Backtracking line search: shrink the step until Armijo's condition holds.

    Try :math:`t = t_0, \rho t_0, \rho^2 t_0, \dots` and accept the first with

    .. math::

        f(x + t p) \le f(x) + c_1 t \, \nabla f(x)^\top p .

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (value, grad)``, or the value only with ``jac`` given, or an
        :mod:`mlopt.functions` benchmark; as for :func:`mlopt.minimize`.
    x : array_like of shape (d,)
        The current point.
    p : array_like of shape (d,)
        A descent direction: :math:`\nabla f(x)^\top p < 0`.
    f0, g0 : float and array_like, optional
        :math:`f(x)` and :math:`\nabla f(x)` if already known (saves one evaluation).
    jac : callable, optional
        The gradient, if ``fun`` returns the value only.
    step : float, default=1.0
        The first step :math:`t_0`, in ``(0, inf)``; 1 is the Newton step.
    c1 : float, default=1e-4
        Armijo's constant, in ``(0, 1)``.
    shrink : float, default=0.5
        The factor :math:`\rho`, in ``(0, 1)``.
    max_evals : int, default=60
        Evaluations of ``fun`` allowed, in ``[1, inf)``.

    Returns
    -------
    LineSearchResult
        ``step`` satisfies Armijo's condition when ``success`` is True. A step whose value
        or gradient is not finite counts as too long and is shrunk.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.line_search import backtracking
    >>> f = lambda x: (float(x @ x), 2 * x)
    >>> res = backtracking(f, [1.0], [-4.0])  # t = 1 and 1/2 overshoot, 1/4 reaches 0
    >>> res.step, res.nfev, res.success
    (0.25, 4, True)

    References
    ----------
    Armijo, L. (1966). Minimization of functions having Lipschitz continuous first partial
    derivatives. *Pacific Journal of Mathematics* 16(1), 1-3.
    Nocedal and Wright (2006), Algorithm 3.1.
    """
    step = check_interval("step", step, 0.0, np.inf)
    c1 = check_interval("c1", c1, 0.0, 1.0)
    shrink = check_interval("shrink", shrink, 0.0, 1.0)
    max_evals = check_integer("max_evals", max_evals, 1)
    fun_and_grad, x, p, f0, slope, nfev = _setup(fun, x, p, f0, g0, jac)
    t = step
    for _ in range(max_evals):
        f_t, g_t = evaluate(fun_and_grad, x + t * p)
        nfev += 1
        finite = np.isfinite(f_t) and np.all(np.isfinite(g_t))
        if finite and f_t <= f0 + c1 * t * slope:
            return LineSearchResult(t, f_t, g_t, nfev, True)
        t *= shrink
    return LineSearchResult(t / shrink, f_t, g_t, nfev, False)


def _cubic_minimiser(a, fa, da, b, fb, db):
    """The minimiser of the cubic with values and slopes (fa, da) at a and (fb, db) at b,
    or None if it has none (Nocedal and Wright, equation 3.59)."""
    if a == b or not np.isfinite(fb):
        return None
    with np.errstate(all="ignore"):
        d1 = da + db - 3 * (fa - fb) / (a - b)
        radicand = d1 * d1 - da * db
        if not (np.isfinite(radicand) and radicand >= 0):
            return None
        d2 = np.sign(b - a) * np.sqrt(radicand)
        t = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2)
    return float(t) if np.isfinite(t) else None


def strong_wolfe(
    fun,
    x,
    p,
    *,
    f0=None,
    g0=None,
    jac=None,
    step=1.0,
    c1=1e-4,
    c2=0.9,
    max_step=1e10,
    max_evals=50,
):
    r"""Line search for a step that satisfies the strong Wolfe conditions.

    With :math:`\phi(t) = f(x + t p)`, find :math:`t > 0` with

    .. math::

        \phi(t) \le \phi(0) + c_1 t \phi'(0), \qquad |\phi'(t)| \le c_2 |\phi'(0)| .

    The search doubles the step until it brackets such a point (a step that breaks Armijo's
    condition, or a step where :math:`\phi` slopes upwards), then shrinks the bracket by
    safeguarded cubic interpolation ("zoom"): Algorithms 3.5 and 3.6 of Nocedal and Wright.

    Parameters
    ----------
    fun, x, p, f0, g0, jac
        As for :func:`backtracking`.
    step : float, default=1.0
        The first step tried, in ``(0, max_step]``; 1 is the quasi-Newton step.
    c1 : float, default=1e-4
        Armijo's constant, in ``(0, c2)``.
    c2 : float, default=0.9
        The curvature constant, in ``(c1, 1)``: 0.9 for quasi-Newton methods, 0.1 for
        nonlinear conjugate gradients.
    max_step : float, default=1e10
        The largest step tried, in ``(0, inf)``.
    max_evals : int, default=50
        Evaluations of ``fun`` allowed, in ``[1, inf)``.

    Returns
    -------
    LineSearchResult
        ``step`` satisfies both conditions when ``success`` is True.

    Notes
    -----
    A step that satisfies the curvature condition has :math:`s^\top y > 0` for
    :math:`s = t p` and :math:`y = \nabla f(x + t p) - \nabla f(x)`, which keeps the BFGS
    matrix positive definite. SciPy's ``scipy.optimize.line_search`` implements the same
    conditions (with ``c2=0.9`` as default); this version returns the gradient at the new
    point and counts every evaluation.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.line_search import strong_wolfe
    >>> f = lambda x: (float(x @ x), 2 * x)
    >>> strong_wolfe(f, [1.0], [-0.25]).step  # phi'(1) = -0.375: flat enough for c2 = 0.9
    1.0
    >>> res = strong_wolfe(f, [1.0], [-0.25], c2=0.1)  # t = 1, 2 too steep; t = 4 exact
    >>> res.step, res.nfev, res.success
    (4.0, 4, True)

    References
    ----------
    Wolfe, P. (1969). Convergence conditions for ascent methods. *SIAM Review* 11(2),
    226-235. Nocedal and Wright (2006), section 3.5.
    """
    c1 = check_interval("c1", c1, 0.0, 1.0)
    c2 = check_interval("c2", c2, c1, 1.0, hint="Choose 0 < c1 < c2 < 1.")
    max_step = check_interval("max_step", max_step, 0.0, np.inf)
    step = check_interval("step", step, 0.0, max_step, closed="right")
    max_evals = check_integer("max_evals", max_evals, 1)
    fun_and_grad, x, p, f0, slope0, nfev = _setup(fun, x, p, f0, g0, jac)
    budget = [max_evals]

    def phi(t):
        budget[0] -= 1
        f_t, g_t = evaluate(fun_and_grad, x + t * p)
        return f_t, g_t, float(g_t @ p) if np.all(np.isfinite(g_t)) else np.nan

    def armijo(t, f_t):
        return np.isfinite(f_t) and f_t <= f0 + c1 * t * slope0

    def curvature(d_t):
        return abs(d_t) <= -c2 * slope0

    def zoom(lo, f_lo, d_lo, hi, f_hi, d_hi, last):
        # Invariants: lo satisfies Armijo and has the lowest value seen; d_lo (hi - lo) < 0.
        t, f_t, g_t = last  # returned, unsuccessfully, if the budget is already spent
        while budget[0] > 0:
            t = _cubic_minimiser(lo, f_lo, d_lo, hi, f_hi, d_hi)
            width = hi - lo
            margin = 0.1 * abs(width)
            if t is None or not min(lo, hi) + margin <= t <= max(lo, hi) - margin:
                t = lo + 0.5 * width  # bisection when interpolation is unsafe
            f_t, g_t, d_t = phi(t)
            if not armijo(t, f_t) or f_t >= f_lo:
                hi, f_hi, d_hi = t, f_t, d_t
            else:
                if curvature(d_t):
                    return t, f_t, g_t, True
                if d_t * (hi - lo) >= 0:
                    hi, f_hi, d_hi = lo, f_lo, d_lo
                lo, f_lo, d_lo = t, f_t, d_t
        return t, f_t, g_t, False

    t_prev, f_prev, d_prev = 0.0, f0, slope0
    t = step
    while True:
        f_t, g_t, d_t = phi(t)
        if not armijo(t, f_t) or (t_prev > 0 and f_t >= f_prev):
            t, f_t, g_t, ok = zoom(t_prev, f_prev, d_prev, t, f_t, d_t, (t, f_t, g_t))
            break
        if curvature(d_t):
            ok = True
            break
        if d_t >= 0:
            t, f_t, g_t, ok = zoom(t, f_t, d_t, t_prev, f_prev, d_prev, (t, f_t, g_t))
            break
        if budget[0] <= 0 or t >= max_step:
            ok = False
            break
        t_prev, f_prev, d_prev = t, f_t, d_t
        t = min(2 * t, max_step)
    used = max_evals - budget[0]
    return LineSearchResult(float(t), f_t, g_t, nfev + used, ok)
