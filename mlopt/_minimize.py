"""A driver that runs any :mod:`mlopt.optimizers` optimizer on a differentiable function."""

from __future__ import annotations

import copy

import numpy as np
from scipy.optimize import OptimizeResult

from ._validation import check_interval, check_vector

__all__ = ["minimize"]

# Every message `minimize` can return, kept in one place (as scipy.optimize does).
MESSAGES = {
    0: "Converged: max |gradient| <= gtol.",
    1: "Stopped: max_iter iterations reached before max |gradient| <= gtol.",
    2: (
        "Diverged at iteration {nit}: the {what} is no longer finite. "
        "The step size is too large for this problem; try a smaller learning rate "
        "(for example lr / 10) with {optimizer}."
    ),
    3: "Stopped by the callback.",
}
_GREW = (
    " The objective grew from {f0:.3g} to {f1:.3g}: the learning rate may be too large "
    "(or the gradient's sign wrong; see mlopt.check_gradient)."
)


def _evaluate(fun, x):
    """Call ``fun(x) -> (value, grad)`` and return finite-or-not results without warnings."""
    with np.errstate(all="ignore"):
        value, grad = fun(x)
        value = float(value)
        grad = np.asarray(grad, dtype=float)
    if grad.shape != x.shape:
        raise ValueError(
            f"fun must return (value, grad) with grad of shape {x.shape}; got {grad.shape}."
        )
    return value, grad


def minimize(fun, x0, *, optimizer, max_iter=1000, gtol=1e-6, callback=None):
    r"""Minimise a differentiable function with a first-order optimizer.

    Starting from :math:`x_0`, repeat

    .. math::

        g_k = \nabla f(x_k), \qquad x_{k+1} = \operatorname{step}(x_k, g_k),

    where ``step`` is the update rule of ``optimizer`` (for plain gradient descent
    :math:`x_{k+1} = x_k - \eta g_k`), until :math:`\max_i |g_{k,i}| \le` ``gtol``
    or ``max_iter`` steps have been taken.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (value, grad)``: the objective :math:`f(x)` (a real number) and its
        gradient (an array of the same shape as ``x``).
    x0 : array_like of shape (d,)
        The starting point; a scalar is treated as a vector of length one.
    optimizer : mlopt.optimizers.Optimizer
        The update rule, e.g. ``SGD(lr=0.1)`` or ``Adam(lr=0.01)``. It is copied and reset
        first, so the object passed in is left untouched and every call starts afresh.
    max_iter : int, default=1000
        Maximum number of steps, in ``[0, inf)``.
    gtol : float, default=1e-6
        Stop successfully when the largest absolute gradient component is at most
        ``gtol``, in ``[0, inf)``.
    callback : callable, optional
        ``callback(intermediate_result)`` is called after every step with an
        :class:`~scipy.optimize.OptimizeResult` holding ``x``, ``fun``, ``jac`` and ``nit``.
        Returning ``True`` stops the run.

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x``, ``fun``, ``jac`` (gradient at ``x``), ``nit`` (steps taken), ``nfev``
        (calls of ``fun``), ``success``, ``status`` (0 converged, 1 ``max_iter`` reached,
        2 diverged, 3 stopped by the callback), ``message`` and ``history``, a dict with
        arrays ``x`` of shape ``(nit + 1, d)`` and ``fun`` of shape ``(nit + 1,)``.

    Notes
    -----
    A run whose value or gradient stops being finite ends with ``success=False`` and a
    message that contains "diverged" and suggests a smaller learning rate; it raises no
    exception and lets no NumPy warning through. ``x`` is then the last finite iterate and
    ``nit`` counts the steps that produced finite iterates.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt import minimize, SGD
    >>> res = minimize(lambda x: (x @ x, 2 * x), [3.0, -4.0], optimizer=SGD(lr=0.5))
    >>> res.success, res.nit, np.round(res.x, 6)
    (True, 1, array([0., 0.]))
    """
    x = check_vector("x0", x0)
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 0:
        raise ValueError(f"max_iter must be an integer in the range [0, inf); got {max_iter!r}.")
    gtol = check_interval("gtol", gtol, 0.0, np.inf, closed="left")
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable or None; got {callback!r}.")
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "reset")):
        raise ValueError(
            f"optimizer must be an mlopt optimizer such as mlopt.SGD(lr=0.1); got {optimizer!r}."
        )
    opt = copy.deepcopy(optimizer)
    opt.reset()

    value, grad = _evaluate(fun, x)
    nfev, nit = 1, 0
    xs, fs = [x.copy()], [value]
    status = None
    if not (np.isfinite(value) and np.all(np.isfinite(grad))):
        raise ValueError(f"fun(x0) must be finite; got value {value} at x0 = {x}.")

    while status is None:
        if np.max(np.abs(grad)) <= gtol:
            status = 0
            break
        if nit >= max_iter:
            status = 1
            break
        try:
            with np.errstate(all="ignore"):
                x_new = opt.step(x, grad)
        except FloatingPointError:  # the update itself overflowed
            x_new = np.full_like(x, np.nan)
        if not np.all(np.isfinite(x_new)):
            status, what = 2, "iterate"
            break
        new_value, new_grad = _evaluate(fun, x_new)
        nfev += 1
        if not (np.isfinite(new_value) and np.all(np.isfinite(new_grad))):
            status, what = 2, "objective" if not np.isfinite(new_value) else "gradient"
            break
        x, value, grad = x_new, new_value, new_grad
        nit += 1
        xs.append(x.copy())
        fs.append(value)
        if callback is not None:
            if callback(OptimizeResult(x=x.copy(), fun=value, jac=grad.copy(), nit=nit)):
                status = 3

    if status == 2:
        message = MESSAGES[2].format(nit=nit + 1, what=what, optimizer=optimizer)
    else:
        message = MESSAGES[status]
        if status == 1 and fs[-1] > fs[0]:
            message += _GREW.format(f0=fs[0], f1=fs[-1])
    return OptimizeResult(
        x=x,
        fun=value,
        jac=grad,
        nit=nit,
        nfev=nfev,
        success=status == 0,
        status=status,
        message=message,
        history={"x": np.array(xs), "fun": np.array(fs)},
    )
