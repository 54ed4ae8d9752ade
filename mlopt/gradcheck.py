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
    x = check_vector("x", x)
    h = check_interval("h", h, 0.0, np.inf)
    grad = np.empty_like(x)
    for i in range(x.size):
        step = h * max(1.0, abs(x[i]))
        e = np.zeros_like(x)
        e[i] = step
        grad[i] = (float(fun(x + e)) - float(fun(x - e))) / (2 * step)
    return grad


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of :func:`check_gradient`.

    Attributes
    ----------
    ok : bool
        Whether the analytic gradient matches the finite differences.
    max_error : float
        Largest relative error over the coordinates.
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


def check_gradient(fun, grad, x, *, h=1e-6, rtol=1e-5):
    r"""Check an analytic gradient against central finite differences and say what is wrong.

    The relative error of coordinate :math:`i` is
    :math:`|a_i - n_i| / \max(1, |a_i|, |n_i|)`, with :math:`a` the analytic and :math:`n`
    the numerical gradient. When the check fails, the diagnosis looks for the two most
    common mistakes: a flipped sign (:math:`a \approx -n`) and a lost constant factor
    (:math:`a \approx c\, n`, as when the 2 of a square is dropped).

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    grad : callable
        ``grad(x) -> ndarray of shape (d,)``, the gradient to check.
    x : array_like of shape (d,)
        The point at which to compare; pick a generic one (not a minimiser, where both
        gradients vanish).
    h : float, default=1e-6
        Finite-difference step, in ``(0, inf)``.
    rtol : float, default=1e-5
        Largest accepted relative error, in ``(0, inf)``.

    Returns
    -------
    GradientCheck

    Examples
    --------
    >>> f = lambda x: float(x @ x)
    >>> print(check_gradient(f, lambda x: 2 * x, [1.0, -2.0]))
    The gradient agrees with finite differences (max relative error below 1e-05).
    >>> print(check_gradient(f, lambda x: -2 * x, [1.0, -2.0]))
    The gradient has the wrong sign: it equals minus the finite-difference gradient.
    """
    x = check_vector("x", x)
    rtol = check_interval("rtol", rtol, 0.0, np.inf)
    analytic = np.asarray(grad(x), dtype=float)
    if analytic.shape != x.shape:
        raise ValueError(f"grad(x) must have shape {x.shape}; got {analytic.shape}.")
    numerical = numerical_gradient(fun, x, h=h)

    def rel_error(a, n):
        return float(np.max(np.abs(a - n) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(n)))))

    error = rel_error(analytic, numerical)
    if error <= rtol:
        return GradientCheck(
            True,
            error,
            analytic,
            numerical,
            f"The gradient agrees with finite differences (max relative error below {rtol:g}).",
        )

    scale = float(analytic @ numerical) / float(numerical @ numerical or 1.0)
    bad = np.flatnonzero(
        np.abs(analytic - numerical)
        / np.maximum(1.0, np.maximum(np.abs(analytic), np.abs(numerical)))
        > rtol
    )
    if np.isfinite(scale) and rel_error(analytic, scale * numerical) <= rtol:
        if np.isclose(scale, -1.0, rtol=1e-3):
            diagnosis = (
                "The gradient has the wrong sign: it equals minus the finite-difference gradient."
            )
        else:
            diagnosis = (
                f"The gradient is off by a constant factor: it equals {scale:.3g} times the "
                "finite-difference gradient (a lost factor such as the 2 of a square, or a "
                "missing 1/n?)."
            )
    else:
        diagnosis = (
            f"The gradient disagrees with finite differences in coordinate(s) {bad.tolist()} "
            f"(max relative error {error:.1e})."
        )
    return GradientCheck(False, error, analytic, numerical, diagnosis)
