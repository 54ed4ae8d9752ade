"""Gradient checking: compare an analytic gradient with central finite differences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_interval, check_vector

__all__ = ["numerical_gradient", "check_gradient", "GradientCheck"]


def numerical_gradient(fun, x, *, h=1e-6):
    r"""Central finite-difference approximation of the gradient of ``fun`` at ``x``.

    .. math::

        \frac{\partial f}{\partial x_i}(x) \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h},

    whose error is :math:`O(h^2)` for a smooth :math:`f` (forward differences have
    :math:`O(h)`), plus a rounding error of order :math:`\epsilon_{\text{mach}} |f| / h`.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x : array_like of shape (d,)
        Where to differentiate.
    h : float, default=1e-6
        Step, in ``(0, inf)``. It is scaled by ``max(1, |x_i|)`` per coordinate.

    Returns
    -------
    ndarray of shape (d,)

    Examples
    --------
    >>> numerical_gradient(lambda x: x[0] ** 2 + 3 * x[1], [1.0, 5.0]).round(6)
    array([2., 3.])
    """
    if not callable(fun) or isinstance(fun, type):
        raise ValueError(f"fun must be a callable fun(x) -> float; got {fun!r}.")
    x = check_vector("x", x)
    h = check_interval("h", h, 0.0, np.inf)
    grad = np.empty_like(x)
    for i in range(x.size):
        step = h * max(1.0, abs(x[i]))
        e = np.zeros_like(x)
        e[i] = step
        grad[i] = (_value(fun, x + e) - _value(fun, x - e)) / (2 * step)
    return grad


@dataclass(frozen=True)
class GradientCheck:
    r"""The outcome of :func:`check_gradient`.

    Attributes
    ----------
    ok : bool
        Whether the analytic gradient matches the finite differences.
    max_error : float
        Largest relative error :math:`|a_i - n_i| / \max(|a_i|, |n_i|)` over the coordinates
        (``inf`` when a coordinate is not finite).
    analytic, numerical : ndarray
        The two gradients that were compared.
    diagnosis : str
        A sentence for the reader: what agrees, or what looks wrong.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt import check_gradient
    >>> check = check_gradient(lambda x: x @ x, lambda x: x, np.array([1.0, -2.0]))
    >>> check.ok, check.numerical.round(6)
    (False, array([ 2., -4.]))
    """

    ok: bool
    max_error: float
    analytic: np.ndarray
    numerical: np.ndarray
    diagnosis: str

    def __str__(self):
        return self.diagnosis


def _value(fun, x, name="fun"):
    """``float(fun(x))``, refusing None, complex numbers and arrays of more than one entry."""
    with np.errstate(all="ignore"):
        value = fun(x)
    if value is None or np.iscomplexobj(value):
        raise ValueError(f"{name}(x) must return a real number; got {value!r}.")
    try:
        value = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}(x) must return a real number; got {value!r}.") from exc
    if value.size != 1:
        raise ValueError(
            f"{name}(x) must return a real number; got an array of shape {value.shape}."
        )
    return float(value.reshape(()))


# Candidate steps of check_gradient, in units of eps**(1/3) * max(1, |x_i|), the step that
# balances truncation and rounding for a function of size 1 with derivatives of size 1.
_STEP_FACTORS = 10.0 ** np.arange(-2, 6)
_CBRT_EPS = float(np.cbrt(np.finfo(float).eps))
_ROUNDING = 100 * np.finfo(float).eps  # relative error assumed in each value of fun (a sum
# of many terms, such as a mean loss, carries the rounding of each: 10 eps was seen too small)


def _differences(fun, x, f0, h):
    """Central differences with the step chosen per coordinate, and their error estimates.

    For each coordinate the difference quotient is computed at steps growing tenfold. Its
    rounding error is about ``eps |f| / step``, and its truncation error (which grows as the
    step squared) shows as the change from the previous step; the step with the smallest sum
    of the two is kept. With ``h`` given, that single step is used.
    """
    d = x.size
    numerical, error = np.full(d, np.nan), np.full(d, np.inf)
    for i in range(d):
        unit = max(1.0, abs(x[i]))
        steps = [h * unit] if h is not None else _CBRT_EPS * unit * _STEP_FACTORS
        quotients, roundings = [], []
        for step in steps:
            e = np.zeros(d)
            e[i] = step
            f_plus, f_minus = _value(fun, x + e), _value(fun, x - e)
            if not (np.isfinite(f_plus) and np.isfinite(f_minus)):
                break  # a larger step leaves the domain too
            step = ((x + e)[i] - (x - e)[i]) / 2  # the step actually taken, after rounding
            with np.errstate(all="ignore"):
                quotients.append((f_plus - f_minus) / (2 * step))
                roundings.append(_ROUNDING * max(abs(f_plus), abs(f_minus), abs(f0)) / step)
        if not quotients:
            continue
        q, r = np.array(quotients), np.array(roundings)
        # Truncation of step k, bounded by the change from step k - 1 (whose truncation is a
        # hundredth of step k's); for the smallest step, a hundredth of that of the next.
        # Taking the change beyond the rounding estimates instead can leave nothing of a
        # truncation error that the (deliberately generous) rounding estimates exceed.
        t = np.abs(np.diff(q))
        t = np.concatenate([[t[0] / 100 if t.size else 0.0], t])
        best = int(np.argmin(r + t))
        numerical[i], error[i] = q[best], r[best] + t[best]
    return numerical, error


def _factor(c):
    """``c`` with 3 significant digits, more when 3 would print 1 for a factor that is not 1."""
    text = f"{c:.3g}"
    return f"{c:.6g}" if text in ("1", "-1") else text


def _agrees(a, n, error, rtol):
    """Per coordinate: ``|a - n| <= rtol max(|a|, |n|) + error``."""
    return np.abs(a - n) <= rtol * np.maximum(np.abs(a), np.abs(n)) + error


def check_gradient(fun, grad, x, *, h=None, rtol=1e-5):
    r"""Check an analytic gradient against central finite differences and say what is wrong.

    Coordinate :math:`i` agrees when

    .. math::

        |a_i - n_i| \le \text{rtol} \cdot \max(|a_i|, |n_i|) + e_i,

    with :math:`a` the analytic and :math:`n` the numerical gradient, and :math:`e_i` the
    estimated error of :math:`n_i`: the test is relative, so it means the same for a
    function of size :math:`10^{-8}` and one of size :math:`10^{12}`. The finite-difference
    step is chosen per coordinate from the function's size: among steps
    :math:`\epsilon^{1/3} \max(1, |x_i|) \cdot 10^k`, :math:`k = -2, \dots, 5`, the one whose
    rounding error (about :math:`\epsilon |f| / h`) plus truncation error (seen as the change
    from the previous step) is smallest. When the check fails, the diagnosis looks for the two
    most common mistakes: a flipped sign (:math:`a \approx -n`) and a lost constant factor
    (:math:`a \approx c\, n`, as when the 2 of a square is dropped), and names the
    coordinates that disagree or are not finite.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    grad : callable
        ``grad(x) -> ndarray of shape (d,)``, the gradient to check.
    x : array_like of shape (d,)
        The point at which to compare; pick a generic one (not a minimiser, where both
        gradients vanish).
    h : float, optional
        A fixed finite-difference step (scaled by ``max(1, |x_i|)``), in ``(0, inf)``;
        by default it is chosen as described above.
    rtol : float, default=1e-5
        Largest accepted relative error, in ``(0, inf)``.

    Returns
    -------
    GradientCheck

    Raises
    ------
    ValueError
        If ``fun`` or ``grad`` is not callable, ``x`` is not a finite 1-D array, ``fun``
        does not return a finite real number at ``x``, or ``grad`` does not return real
        numbers of the shape of ``x``.

    Examples
    --------
    >>> f = lambda x: float(x @ x)
    >>> print(check_gradient(f, lambda x: 2 * x, [1.0, -2.0]))
    The gradient agrees with finite differences (max relative error below 1e-05).
    >>> print(check_gradient(f, lambda x: -2 * x, [1.0, -2.0]))
    The gradient has the wrong sign: it equals minus the finite-difference gradient.

    The verdict does not depend on the function's scale:

    >>> check_gradient(lambda x: 1e-6 * float(x @ x), lambda x: -2e-6 * x, [1.0, -2.0]).ok
    False
    >>> check_gradient(lambda x: 1e12 + float(x @ x), lambda x: 2 * x, [1.0, -2.0]).ok
    True
    """
    if not callable(fun) or isinstance(fun, type):
        raise ValueError(f"fun must be a callable fun(x) -> float; got {fun!r}.")
    if not callable(grad) or isinstance(grad, type):
        raise ValueError(f"grad must be a callable grad(x) -> array of shape (d,); got {grad!r}.")
    x = check_vector("x", x)
    rtol = check_interval("rtol", rtol, 0.0, np.inf)
    if h is not None:
        h = check_interval("h", h, 0.0, np.inf)
    with np.errstate(all="ignore"):
        g = grad(x.copy())
    if g is None or np.iscomplexobj(g):
        raise ValueError(f"grad(x) must return real numbers; got {g!r}.")
    try:
        analytic = np.atleast_1d(np.asarray(g, dtype=float))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"grad(x) must return an array of real numbers; got {g!r}.") from exc
    if analytic.shape != x.shape:
        raise ValueError(f"grad(x) must have shape {x.shape}; got {analytic.shape}.")
    f0 = _value(fun, x)
    if not np.isfinite(f0):
        raise ValueError(f"fun(x) must be finite at the point checked; got {f0} at x = {x}.")
    numerical, error = _differences(fun, x, f0, h)

    with np.errstate(all="ignore"):
        scale = np.maximum(np.abs(analytic), np.abs(numerical))
        rel = np.where(scale > 0, np.abs(analytic - numerical) / np.where(scale > 0, scale, 1), 0)
    max_error = float(np.max(rel)) if np.all(np.isfinite(rel)) else np.inf

    not_finite = np.flatnonzero(~np.isfinite(analytic))
    if not_finite.size:
        diagnosis = (
            f"The gradient is not finite in coordinate(s) {not_finite.tolist()}: grad(x) "
            "returned NaN or inf there."
        )
        return GradientCheck(False, np.inf, analytic, numerical, diagnosis)
    unknown = np.flatnonzero(~np.isfinite(numerical))
    if unknown.size:
        diagnosis = (
            f"fun is not finite next to x along coordinate(s) {unknown.tolist()}, so the "
            "finite differences cannot check them; move x inside the domain of fun."
        )
        return GradientCheck(False, np.inf, analytic, numerical, diagnosis)

    ok = _agrees(analytic, numerical, error, rtol)
    if np.all(ok):
        if max_error <= rtol:
            diagnosis = (
                f"The gradient agrees with finite differences (max relative error below {rtol:g})."
            )
        else:
            diagnosis = (
                "The gradient agrees with finite differences to within their rounding error "
                f"(max relative error {max_error:.1e}; at this function's size finite "
                "differences resolve no more)."
            )
        return GradientCheck(True, max_error, analytic, numerical, diagnosis)

    denominator = float(numerical @ numerical)
    c = float(analytic @ numerical) / denominator if denominator > 0 else np.nan
    if np.isfinite(c) and c != 0 and np.all(_agrees(analytic, c * numerical, abs(c) * error, rtol)):
        if np.isclose(c, -1.0, rtol=1e-3):
            diagnosis = (
                "The gradient has the wrong sign: it equals minus the finite-difference gradient."
            )
        else:
            diagnosis = (
                f"The gradient is off by a constant factor: it equals {_factor(c)} times the "
                "finite-difference gradient (a lost factor such as the 2 of a square, or a "
                "missing 1/n?)."
            )
    else:
        bad = np.flatnonzero(~ok)
        diagnosis = (
            f"The gradient disagrees with finite differences in coordinate(s) {bad.tolist()} "
            f"(max relative error {max_error:.1e})."
        )
    return GradientCheck(False, max_error, analytic, numerical, diagnosis)
