r"""Proximal gradient methods for L1-penalised objectives: ISTA and FISTA.

Both minimise a composite objective

.. math::

    F(x) = f(x) + \lVert \tau \odot x \rVert_1 = f(x) + \sum_j \tau_j |x_j|,

with :math:`f` convex and differentiable with an :math:`L`-Lipschitz gradient, and
:math:`\tau \ge 0` the weights of the L1 term (``l1``: a number, or one weight per
coordinate, so that an intercept can be left unpenalised with a weight of 0). Each
iteration takes a gradient step on the smooth part :math:`f` and then the proximal step
of the L1 term, soft-thresholding :func:`soft_threshold`, which sets
small coordinates exactly to zero. With a step size :math:`\eta \le 1/L`, ISTA's
objective gap falls like :math:`O(1/k)` and FISTA's like :math:`O(1/k^2)` (Beck and
Teboulle, 2009; full reference in :func:`ista`).

Public names: :func:`ista`, :func:`fista` and :func:`soft_threshold`. Status codes are the
package-wide ones (:mod:`mlopt._status`): 0 converged, 1 ``max_iter`` reached, 2 diverged,
3 stopped by the callback, 4 interrupted.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import OptimizeResult

from ._minimize import GREW, History, call_callback, check_history, evaluate, value_and_grad
from ._status import ERROR_MESSAGE, INTERRUPTED_MESSAGE, attach_partial_result
from ._validation import check_callback, check_integer, check_interval, check_vector

__all__ = ["ista", "fista", "soft_threshold"]

# Every message the solvers can return, kept in one place (codes: mlopt._status).
MESSAGES = {
    0: "Converged: max |gradient mapping| <= tol.",
    1: "Stopped: max_iter iterations reached before max |gradient mapping| <= tol.",
    2: (
        "Diverged at iteration {nit}: the {what} is no longer finite. The step size "
        "lr={lr:.3g} is too large; use lr <= 1/L, with L the Lipschitz constant of the "
        "gradient of the smooth part."
    ),
    3: "Stopped by the callback.",
    4: INTERRUPTED_MESSAGE,
    5: ERROR_MESSAGE,
}
_FLOAT64 = np.dtype(np.float64)
_FLOATS = (float, np.float64)
_GREW_HINT = " Use lr <= 1/L, with L the Lipschitz constant of the gradient of the smooth part."


def soft_threshold(z, threshold):
    r"""Soft-thresholding, the proximal operator of :math:`\tau \lVert \cdot \rVert_1`.

    .. math::

        S_\tau(z) = \operatorname{arg\,min}_w \; \tfrac12 \lVert w - z \rVert_2^2
        + \tau \lVert w \rVert_1 = \operatorname{sign}(z) \max(|z| - \tau, 0),

    applied entry by entry: entries with :math:`|z_j| \le \tau` become exactly zero,
    the others move towards zero by :math:`\tau`.

    Parameters
    ----------
    z : array_like
        The point to shrink, e.g. the result of a gradient step on the smooth part; real
        numbers (a NaN stays NaN).
    threshold : float or array_like
        :math:`\tau`, in ``[0, inf)``; for a proximal gradient step with step size
        :math:`\eta` on :math:`\alpha \lVert w \rVert_1` it is :math:`\eta \alpha`.
        Broadcast against ``z``.

    Returns
    -------
    numpy.ndarray
        :math:`S_\tau(z)`, a new float array of the shape of ``z``.

    Raises
    ------
    ValueError
        If ``z`` or ``threshold`` is not real (None, text, complex), ``threshold`` is
        negative or NaN, or the two do not broadcast.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for
       linear inverse problems", SIAM J. Imaging Sciences 2(1), 183-202, 2009.

    Examples
    --------
    >>> from mlopt.proximal import soft_threshold
    >>> soft_threshold([-3.0, -0.5, 0.2, 2.0], 1.0)
    array([-2.,  0.,  0.,  1.])
    """
    if (  # a float64 array and a float threshold pass the checks below as they are
        type(z) is np.ndarray
        and z.dtype is _FLOAT64
        and type(threshold) in _FLOATS
        and threshold >= 0.0
    ):
        return np.sign(z) * np.maximum(np.abs(z) - threshold, 0.0) + 0.0
    z = _real_array("z", z)
    tau = _real_array("threshold", threshold)
    if np.any(np.isnan(tau)) or np.any(tau < 0):
        raise ValueError(
            f"threshold must be a real number (or array) in the range [0, inf); got {threshold!r}."
        )
    try:
        shape = np.broadcast_shapes(z.shape, tau.shape)
    except ValueError as exc:
        raise ValueError(
            f"threshold of shape {tau.shape} does not broadcast against z of shape {z.shape}."
        ) from exc
    if shape != z.shape:
        raise ValueError(f"threshold of shape {tau.shape} must broadcast to z's shape {z.shape}.")
    return np.sign(z) * np.maximum(np.abs(z) - tau, 0.0) + 0.0  # + 0.0: no -0.0


def _real_array(name, value):
    if value is None or np.iscomplexobj(value):
        raise ValueError(f"{name} must be real numbers; got {value!r}.")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be real numbers; got {value!r}.") from exc


def _check_l1(l1, x):
    try:
        tau = _real_array("l1", l1)
    except ValueError as exc:
        raise ValueError(
            f"l1 must be a non-negative float or an array of x0's shape; got {l1!r}."
        ) from exc
    if tau.ndim > 1 or (tau.ndim == 1 and tau.shape != x.shape):
        raise ValueError(
            f"l1 must be a non-negative float or an array of shape {x.shape}; got shape "
            f"{tau.shape}."
        )
    if not np.all(np.isfinite(tau)) or np.any(tau < 0):
        raise ValueError(f"l1 must be non-negative and finite; got {l1!r}.")
    return tau


def _proximal_gradient(fun, x0, lr, l1, max_iter, tol, jac, callback, history, accelerated):
    """The loop of ISTA (``accelerated=False``) and FISTA (``accelerated=True``)."""
    fun_and_grad = value_and_grad(fun, jac)
    x = check_vector("x0", x0)
    lr = check_interval("lr", lr, 0.0, np.inf, hint="Use lr <= 1/L for convergence.")
    tau = _check_l1(l1, x)
    max_iter = check_integer("max_iter", max_iter, 1)
    tol = check_interval("tol", tol, 0.0, np.inf, closed="left")
    callback = check_callback(callback)
    kept = History(check_history(history))

    f_x, g_x = evaluate(fun_and_grad, x)
    if not (np.isfinite(f_x) and np.all(np.isfinite(g_x))):
        raise ValueError(f"fun(x0) must be finite; got value {f_x} at x0 = {x}.")
    F_x = F_0 = f_x + float(np.sum(tau * np.abs(x)))
    nfev, nit, status, what = 1, 0, 1, ""
    kept.add(0, x, F_x)
    y, g_y = x, g_x  # the point the gradient step starts from (y = x for ISTA)
    t_k = 1.0  # FISTA's momentum sequence

    def result(status):
        if status == 2:
            message = MESSAGES[2].format(nit=nit + 1, what=what, lr=lr)
        else:
            message = MESSAGES[status].format(nit=nit, where="fun or callback")
            if status == 1 and F_x > F_0:
                message += GREW.format(f0=F_0, f1=F_x).split(":")[0] + "." + _GREW_HINT
        return OptimizeResult(
            x=x,
            fun=F_x,
            nit=nit,
            nfev=nfev,
            success=status == 0,
            status=status,
            message=message,
            history=kept.as_dict(nit, x, F_x),
        )

    try:
        while nit < max_iter:
            # Step 1: a gradient step on f from y, then the proximal step of the L1 term.
            with np.errstate(all="ignore"):
                x_new = soft_threshold(y - lr * g_y, lr * tau)
            if not np.isfinite(x_new).all():
                status, what = 2, "iterate"
                break
            gradient_mapping = (y - x_new) / lr
            f_new, g_new = evaluate(fun_and_grad, x_new)
            nfev += 1
            if not (math.isfinite(f_new) and np.isfinite(g_new).all()):
                status, what = 2, "objective" if not math.isfinite(f_new) else "gradient"
                break
            F_new = f_new + float((tau * np.abs(x_new)).sum())
            if accelerated:
                # Step 2 (FISTA): t_{k+1} = (1 + sqrt(1 + 4 t_k^2)) / 2, extrapolate.
                t_next = (1.0 + np.sqrt(1.0 + 4.0 * t_k**2)) / 2.0
                y_new = x_new + ((t_k - 1.0) / t_next) * (x_new - x)
                if (y_new == x_new).all():  # np.array_equal for arrays of one shape
                    g_y_new = g_new
                else:
                    _, g_y_new = evaluate(fun_and_grad, y_new)
                    nfev += 1
                y, g_y, t_k = y_new, g_y_new, t_next
            else:
                y, g_y = x_new, g_new
            x, F_x = x_new, F_new
            nit += 1
            kept.add(nit, x, F_x)
            if np.abs(gradient_mapping).max() <= tol:
                status = 0
                break
            if callback is not None:
                if call_callback(callback, OptimizeResult(x=x.copy(), fun=F_x, nit=nit)):
                    status = 3
                    break
    except KeyboardInterrupt:
        return result(4)
    except Exception as exc:
        attach_partial_result(exc, result(5), "fista" if accelerated else "ista")
        raise
    return result(status)


def ista(fun, x0, *, lr, l1, jac=None, max_iter=1000, tol=1e-8, callback=None, history=True):
    r"""Minimise :math:`f(x) + \lVert \tau \odot x \rVert_1` by ISTA (proximal gradient descent).

    Iteration :math:`k = 0, 1, \dots` is a gradient step on :math:`f` followed by
    soft-thresholding, the proximal operator of the L1 term:

    .. math::

        x_{k+1} = S_{\eta \tau}\bigl(x_k - \eta \nabla f(x_k)\bigr),
        \qquad S_{c}(z)_j = \operatorname{sign}(z_j) \max(|z_j| - c_j, 0).

    With :math:`\eta \le 1/L` the objective decreases at every iteration and
    :math:`F(x_k) - F^\star \le \lVert x_0 - x^\star \rVert^2 / (2 \eta k)` [1]_.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (f(x), grad f(x))``: the smooth part :math:`f` (a float) and its
        gradient (an array of the shape of ``x``); with ``jac`` given, or for an
        :mod:`mlopt.functions` benchmark, ``fun(x)`` returns the value only.
    x0 : array_like of shape (d,)
        The starting point :math:`x_0`.
    lr : float
        Step size :math:`\eta`, in ``(0, inf)``; the convergence guarantees need
        :math:`\eta \le 1/L`, with :math:`L` the Lipschitz constant of :math:`\nabla f`.
    l1 : float or array_like of shape (d,)
        Weights :math:`\tau \ge 0` of the L1 term; 0 leaves a coordinate unpenalised.
    max_iter : int, default=1000
        Maximum number of iterations, in ``[1, inf)``.
    jac : callable or bool, optional
        ``jac(x) -> grad f(x)``, as in :func:`scipy.optimize.minimize`; None or True means
        that ``fun`` returns ``(value, grad)``.
    tol : float, default=1e-8
        Stop when the largest entry of the gradient mapping
        :math:`(y_k - x_{k+1}) / \eta` is at most ``tol``, in ``[0, inf)``. It vanishes
        exactly at a minimiser of :math:`F`; with ``tol=0`` the run stops only at an
        exact fixed point (in floating point) or after ``max_iter`` iterations.
    callback : callable, optional
        ``callback(intermediate_result)`` is called after every iteration with an
        :class:`~scipy.optimize.OptimizeResult` holding ``x``, ``fun`` (:math:`F(x)`) and
        ``nit``. Returning ``True`` or raising ``StopIteration`` stops the run (status 3).
    history : bool or int, default=True
        Which iterates to keep in ``res.history``: all (``True``), every ``k``-th and the
        last (an int ``k``; the history then also holds their iteration numbers ``nit``),
        or none (``False``: ``res.history`` is None).

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x``, ``fun`` (:math:`F(x)`, L1 term included), ``nit``, ``nfev`` (calls of
        ``fun``), ``success``, ``status`` (0 converged, 1 ``max_iter`` reached,
        2 diverged, 3 stopped by the callback, 4 interrupted by ``KeyboardInterrupt``),
        ``message`` and ``history``, a dict with arrays ``x`` of shape
        ``(nit + 1, d)`` and ``fun`` of shape ``(nit + 1,)`` (the values of :math:`F`).

    Raises
    ------
    ValueError
        If ``fun`` is not callable, ``x0`` is not a finite 1-D array, ``lr`` is not
        positive, ``l1`` is negative or of the wrong shape, ``max_iter`` is not a positive
        integer, ``tol`` is negative, or :math:`f(x_0)` is not finite.
    Exception
        Any other exception raised by ``fun`` or ``callback`` propagates with the result
        so far attached as its ``partial_result`` attribute; a ``KeyboardInterrupt``
        returns it instead (status 4).

    See Also
    --------
    fista : the accelerated version, :math:`O(1/k^2)` instead of :math:`O(1/k)`.
    mlopt.linear_model.LinearRegressionGD : the lasso as a scikit-learn estimator.

    Notes
    -----
    A step size above :math:`2/L` makes the iterates grow without bound; the run then ends
    with status 2 (diverged) when they overflow, or with status 1 and a message that says
    the objective grew, as :func:`mlopt.minimize` reports it.

    For :math:`\tau = 0` this is gradient descent. Unlike the subgradient method, whose
    iterates oscillate around zero, ISTA's iterates contain exact zeros.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for
       linear inverse problems", SIAM J. Imaging Sciences 2(1), 183-202, 2009.

    Examples
    --------
    The lasso :math:`\tfrac12 \lVert x - c \rVert^2 + 1.0 \lVert x \rVert_1` is solved by
    soft-thresholding :math:`c`; with :math:`\eta = 1/L = 1` ISTA gets there in one step:

    >>> import numpy as np
    >>> from mlopt.proximal import ista
    >>> c = np.array([3.0, -0.5, 0.2])
    >>> res = ista(lambda x: (0.5 * np.sum((x - c) ** 2), x - c), np.zeros(3), lr=1.0, l1=1.0)
    >>> res.x, res.nit
    (array([2., 0., 0.]), 2)
    """
    return _proximal_gradient(
        fun, x0, lr, l1, max_iter, tol, jac, callback, history, accelerated=False
    )


def fista(fun, x0, *, lr, l1, jac=None, max_iter=1000, tol=1e-8, callback=None, history=True):
    r"""Minimise :math:`f(x) + \lVert \tau \odot x \rVert_1` by FISTA (accelerated ISTA).

    With :math:`y_0 = x_0` and :math:`t_0 = 1`, iteration :math:`k = 0, 1, \dots` is

    .. math::

        \begin{aligned}
        x_{k+1} &= S_{\eta \tau}\bigl(y_k - \eta \nabla f(y_k)\bigr) \\
        t_{k+1} &= \bigl(1 + \sqrt{1 + 4 t_k^2}\bigr) / 2 \\
        y_{k+1} &= x_{k+1} + \frac{t_k - 1}{t_{k+1}} \, (x_{k+1} - x_k)
        \end{aligned}

    With :math:`\eta \le 1/L`,
    :math:`F(x_k) - F^\star \le 2 \lVert x_0 - x^\star \rVert^2 / (\eta (k + 1)^2)` [1]_.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (f(x), grad f(x))``: the smooth part :math:`f` (a float) and its
        gradient (an array of the shape of ``x``); with ``jac`` given, or for an
        :mod:`mlopt.functions` benchmark, ``fun(x)`` returns the value only.
    x0 : array_like of shape (d,)
        The starting point :math:`x_0`.
    lr : float
        Step size :math:`\eta`, in ``(0, inf)``; the convergence guarantees need
        :math:`\eta \le 1/L`, with :math:`L` the Lipschitz constant of :math:`\nabla f`.
    l1 : float or array_like of shape (d,)
        Weights :math:`\tau \ge 0` of the L1 term; 0 leaves a coordinate unpenalised.
    max_iter : int, default=1000
        Maximum number of iterations, in ``[1, inf)``.
    jac : callable or bool, optional
        ``jac(x) -> grad f(x)``, as in :func:`scipy.optimize.minimize`; None or True means
        that ``fun`` returns ``(value, grad)``.
    tol : float, default=1e-8
        Stop when the largest entry of the gradient mapping
        :math:`(y_k - x_{k+1}) / \eta` is at most ``tol``, in ``[0, inf)``. It vanishes
        exactly at a minimiser of :math:`F`; with ``tol=0`` the run stops only at an
        exact fixed point (in floating point) or after ``max_iter`` iterations.
    callback : callable, optional
        ``callback(intermediate_result)`` is called after every iteration with an
        :class:`~scipy.optimize.OptimizeResult` holding ``x``, ``fun`` (:math:`F(x)`) and
        ``nit``. Returning ``True`` or raising ``StopIteration`` stops the run (status 3).
    history : bool or int, default=True
        Which iterates to keep in ``res.history``: all (``True``), every ``k``-th and the
        last (an int ``k``; the history then also holds their iteration numbers ``nit``),
        or none (``False``: ``res.history`` is None).

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x``, ``fun`` (:math:`F(x)`, L1 term included), ``nit``, ``nfev`` (calls of
        ``fun``), ``success``, ``status`` (0 converged, 1 ``max_iter`` reached,
        2 diverged, 3 stopped by the callback, 4 interrupted by ``KeyboardInterrupt``),
        ``message`` and ``history``, a dict with arrays ``x`` of shape
        ``(nit + 1, d)`` and ``fun`` of shape ``(nit + 1,)`` (the values of :math:`F`).

    Raises
    ------
    ValueError
        If ``fun`` is not callable, ``x0`` is not a finite 1-D array, ``lr`` is not
        positive, ``l1`` is negative or of the wrong shape, ``max_iter`` is not a positive
        integer, ``tol`` is negative, or :math:`f(x_0)` is not finite.
    Exception
        Any other exception raised by ``fun`` or ``callback`` propagates with the result
        so far attached as its ``partial_result`` attribute; a ``KeyboardInterrupt``
        returns it instead (status 4).

    See Also
    --------
    ista : the same method without the extrapolation step.

    Notes
    -----
    The objective of FISTA need not decrease at every iteration. Each iteration calls
    ``fun`` twice, at :math:`x_{k+1}` (for the history and the stopping test)
    and at :math:`y_{k+1}`, unless the two coincide; ``nfev`` counts the calls. Beck and
    Teboulle number the iterations from 1, with :math:`y_1 = x_0` and :math:`t_1 = 1`.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for
       linear inverse problems", SIAM J. Imaging Sciences 2(1), 183-202, 2009.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.proximal import fista
    >>> A = np.array([[1.0, 0.0], [0.0, 10.0]])
    >>> c = np.array([1.0, 1.0])
    >>> def f(x):  # 0.5 x^T A x - c^T x, with L = 10
    ...     return 0.5 * x @ A @ x - c @ x, A @ x - c
    >>> res = fista(f, np.zeros(2), lr=0.1, l1=0.5, tol=1e-10, max_iter=5000)
    >>> res.success, res.x.round(6)
    (True, array([0.5 , 0.05]))
    """
    return _proximal_gradient(
        fun, x0, lr, l1, max_iter, tol, jac, callback, history, accelerated=True
    )
