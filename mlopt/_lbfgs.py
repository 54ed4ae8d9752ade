"""L-BFGS: the limited-memory BFGS quasi-Newton method with a strong Wolfe line search."""

from __future__ import annotations

from collections import deque

import numpy as np
from scipy.optimize import OptimizeResult

from ._minimize import History, call_callback, check_history, evaluate, value_and_grad
from ._newton import MESSAGES as NEWTON_MESSAGES
from ._status import LINE_SEARCH_FAILED, attach_partial_result
from ._validation import check_callback, check_integer, check_interval, check_vector
from .line_search import strong_wolfe

__all__ = ["lbfgs", "two_loop_direction"]

MESSAGES = NEWTON_MESSAGES | {
    6: (
        "Stopped at iteration {nit}: the line search found no step that satisfies the strong "
        "Wolfe conditions, even along -gradient (max |gradient| = {gmax:.1e} > gtol). Near a "
        "minimiser rounding errors hide the decrease: a gtol this small may be out of reach; "
        "otherwise check the gradient (mlopt.check_gradient)."
    ),
}


def two_loop_direction(g, s_history, y_history):
    r"""The L-BFGS direction :math:`p = -H g` by the two-loop recursion.

    :math:`H` is the matrix that the BFGS update of the inverse Hessian,

    .. math::

        H \leftarrow (I - \rho_i s_i y_i^\top) H (I - \rho_i y_i s_i^\top)
        + \rho_i s_i s_i^\top, \qquad \rho_i = 1 / (y_i^\top s_i),

    builds from :math:`H_0 = \gamma I`, :math:`\gamma = s^\top y / y^\top y` of the newest
    pair, with the pairs :math:`(s_i, y_i)` oldest first; :math:`H` is never formed
    (Nocedal and Wright, Algorithm 7.4). With no pairs, :math:`p = -g`.

    Parameters
    ----------
    g : numpy.ndarray of shape (d,)
        The gradient.
    s_history, y_history : sequences of numpy.ndarray of shape (d,)
        The steps :math:`s_i = x_{i+1} - x_i` and gradient changes
        :math:`y_i = g_{i+1} - g_i`, oldest first, each with :math:`y_i^\top s_i > 0`.

    Returns
    -------
    numpy.ndarray of shape (d,)
        :math:`-H g`, in :math:`O(m d)` operations for :math:`m` pairs.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([1.0, 4.0])  # on a quadratic y = A s; two pairs determine H = A^-1
    >>> S = [np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    >>> two_loop_direction(np.array([1.0, 4.0]), S, [A @ s for s in S])
    array([-1., -1.])
    """
    q = np.array(g, dtype=float)
    rhos, alphas = [], []
    for s, y in zip(reversed(s_history), reversed(y_history), strict=True):  # newest first
        rho = 1.0 / (y @ s)
        alpha = rho * (s @ q)
        q = q - alpha * y
        rhos.append(rho)
        alphas.append(alpha)
    gamma = 1.0
    if len(s_history):
        gamma = (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1])
    r = gamma * q
    for s, y, rho, alpha in zip(
        s_history, y_history, reversed(rhos), reversed(alphas), strict=True
    ):
        beta = rho * (y @ r)  # oldest to newest
        r = r + (alpha - beta) * s
    return -r


def lbfgs(
    fun,
    x0,
    *,
    m=10,
    jac=None,
    max_iter=1000,
    gtol=1e-6,
    c1=1e-4,
    c2=0.9,
    callback=None,
    history=True,
):
    r"""Minimise a differentiable function by L-BFGS with a strong Wolfe line search.

    At :math:`x_k`, with gradient :math:`g_k` and the last :math:`m` pairs
    :math:`s_i = x_{i+1} - x_i`, :math:`y_i = g_{i+1} - g_i`:

    1. the direction :math:`p_k = -H_k g_k` by the two-loop recursion
       (``two_loop_direction``), :math:`H_k` the BFGS approximation of the inverse
       Hessian built from the stored pairs;
    2. a step :math:`t_k` satisfying the strong Wolfe conditions
       (:func:`mlopt.line_search.strong_wolfe`), trying :math:`t = 1` first (at the first
       iteration, :math:`t = \min(1, 1/\lVert g_0 \rVert)`);
    3. :math:`x_{k+1} = x_k + t_k p_k`; store :math:`(s_k, y_k)`, dropping the oldest pair
       when there are more than :math:`m`.

    The curvature condition guarantees :math:`s_k^\top y_k > 0`, so :math:`H_k` stays
    positive definite and :math:`p_k` is a descent direction. The run stops when
    :math:`\max_i |g_{k,i}| \le` ``gtol`` or after ``max_iter`` steps.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (value, grad)``, or the value only with ``jac`` given, or an
        :mod:`mlopt.functions` benchmark; as for :func:`mlopt.minimize`.
    x0 : array_like of shape (d,)
        The starting point.
    m : int, default=10
        The number of pairs kept, in ``[1, inf)``: the memory is :math:`2 m d` numbers
        instead of BFGS's :math:`d^2`. SciPy's L-BFGS-B keeps 10 as well.
    jac : callable or bool, optional
        ``jac(x) -> grad`` if ``fun`` returns the value only.
    max_iter : int, default=1000
        Maximum number of steps, in ``[0, inf)``.
    gtol : float, default=1e-6
        Stop when the largest absolute gradient component is at most ``gtol``, in
        ``[0, inf)``.
    c1, c2 : float, default=1e-4 and 0.9
        The constants of the strong Wolfe conditions, :math:`0 < c_1 < c_2 < 1`.
    callback : callable, optional
        ``callback(intermediate_result)`` after every step, with ``x``, ``fun``, ``jac``,
        ``nit``, ``step`` (:math:`t_k`) and ``direction`` (:math:`p_k`). Returning ``True``
        or raising ``StopIteration`` stops the run (status 3).
    history : bool or int, default=True
        The iterates to keep, as for :func:`mlopt.minimize`.

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x``, ``fun``, ``jac``, ``nit``, ``nfev`` (calls of ``fun``, those of the line
        search included), ``success``, ``status``, ``message`` and ``history``. The status
        codes are those of :func:`mlopt.newton`: 0 converged, 1 ``max_iter``, 2 diverged
        (the direction is not finite), 3 callback, 4 interrupted, 6 the line search found
        no acceptable step even along :math:`-g_k` (after a failure along the quasi-Newton
        direction the memory is cleared and the step retried along :math:`-g_k`).

    Raises
    ------
    ValueError
        If an argument is invalid or ``fun`` returns something other than a real value
        and a gradient of the shape of ``x0``.
    Exception
        An exception raised by ``fun`` or ``callback`` (other than ``KeyboardInterrupt``,
        which returns the result so far with status 4) propagates with the result so far
        attached as its ``partial_result`` attribute.

    Notes
    -----
    SciPy's ``minimize(method="L-BFGS-B")`` runs the same recursion in its compact matrix
    form, which also handles bounds; its line search (Moré and Thuente) uses
    :math:`c_1 = 10^{-3}`, :math:`c_2 = 0.9`, and it also stops when :math:`f` decreases by
    less than ``ftol`` relative. scikit-learn's ``LogisticRegression(solver="lbfgs")``
    calls SciPy's.

    Examples
    --------
    >>> from mlopt import lbfgs
    >>> from mlopt.functions import rosenbrock
    >>> res = lbfgs(rosenbrock, [-1.2, 1.0])
    >>> res.success, res.x.round(6)
    (True, array([1., 1.]))

    References
    ----------
    Liu, D. C. and Nocedal, J. (1989). On the limited memory BFGS method for large scale
    optimization. *Mathematical Programming* 45, 503-528.
    Nocedal, J. and Wright, S. J. (2006). *Numerical Optimization*, 2nd ed., Springer,
    chapters 6-7.
    """
    fun_and_grad = value_and_grad(fun, jac)
    x = check_vector("x0", x0)
    m = check_integer("m", m, 1)
    max_iter = check_integer("max_iter", max_iter, 0)
    gtol = check_interval("gtol", gtol, 0.0, np.inf, closed="left")
    c1 = check_interval("c1", c1, 0.0, 1.0)
    c2 = check_interval("c2", c2, c1, 1.0, hint="Choose 0 < c1 < c2 < 1.")
    callback = check_callback(callback)
    stride = check_history(history)

    calls = [0]

    def counted(x):
        out = fun_and_grad(x)
        calls[0] += 1  # after the call: an interrupted evaluation returned nothing
        return out

    value, grad = evaluate(counted, x)
    if not (np.isfinite(value) and np.all(np.isfinite(grad))):
        raise ValueError(f"fun(x0) must be finite; got value {value} at x0 = {x}.")
    s_history, y_history = deque(maxlen=m), deque(maxlen=m)
    nit, what = 0, ""
    kept = History(stride)
    kept.add(0, x, value)

    def result(status):
        message = MESSAGES[status].format(
            nit=nit + (status == 2),
            what=what,
            where="fun or callback",
            gmax=float(np.max(np.abs(grad))),
        )
        return OptimizeResult(
            x=x,
            fun=value,
            jac=grad,
            nit=nit,
            nfev=calls[0],
            success=status == 0,
            status=status,
            message=message,
            history=kept.as_dict(nit, x, value),
        )

    status = None
    try:
        while status is None:
            if np.max(np.abs(grad)) <= gtol:
                status = 0
                break
            if nit >= max_iter:
                status = 1
                break
            # Step 1: the quasi-Newton direction.
            with np.errstate(all="ignore"):
                p = two_loop_direction(grad, s_history, y_history)
            if not np.all(np.isfinite(p)):
                status, what = 2, "search direction"
                break
            # Step 2: a step satisfying the strong Wolfe conditions.
            first = 1.0 if len(s_history) else min(1.0, 1.0 / np.linalg.norm(grad))
            search = strong_wolfe(counted, x, p, f0=value, g0=grad, step=first, c1=c1, c2=c2)
            if not search.success:
                if s_history:  # forget the curvature pairs and retry along -gradient
                    s_history.clear()
                    y_history.clear()
                    continue
                status = LINE_SEARCH_FAILED
                break
            # Step 3: the new iterate and the new curvature pair.
            s = search.step * p
            y = search.jac - grad
            if s @ y > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):  # Wolfe: s^T y > 0
                s_history.append(s)
                y_history.append(y)
            x = x + s
            value, grad = search.fun, search.jac
            nit += 1
            kept.add(nit, x, value)
            if callback is not None:
                intermediate = OptimizeResult(
                    x=x.copy(),
                    fun=value,
                    jac=grad.copy(),
                    nit=nit,
                    step=search.step,
                    direction=p.copy(),
                )
                if call_callback(callback, intermediate):
                    status = 3
    except KeyboardInterrupt:
        return result(4)
    except Exception as exc:
        attach_partial_result(exc, result(5), "lbfgs")
        raise
    return result(status)
