"""Newton's method with a backtracking line search (damped Newton)."""

from __future__ import annotations

import numpy as np
import scipy.linalg
from scipy.optimize import OptimizeResult

from ._minimize import History, call_callback, check_history, evaluate, value_and_grad
from ._status import ERROR_MESSAGE, INTERRUPTED_MESSAGE, LINE_SEARCH_FAILED, attach_partial_result
from ._validation import check_callable, check_callback, check_integer, check_interval, check_vector
from .line_search import backtracking

__all__ = ["newton", "LINE_SEARCH_FAILED"]

MESSAGES = {
    0: "Converged: max |gradient| <= gtol.",
    1: "Stopped: max_iter iterations reached before max |gradient| <= gtol.",
    2: (
        "Diverged at iteration {nit}: the {what} is no longer finite. Check hess (for example "
        "against finite differences of the gradient) or start closer to a minimiser."
    ),
    3: "Stopped by the callback.",
    4: INTERRUPTED_MESSAGE,
    5: ERROR_MESSAGE,
    6: (
        "Stopped at iteration {nit}: the line search found no step that decreases f enough "
        "(max |gradient| = {gmax:.1e} > gtol). Near a minimiser rounding errors hide the "
        "decrease: a gtol this small may be out of reach; otherwise check the gradient "
        "(mlopt.check_gradient) and hess."
    ),
}
SHIFTED = (
    " The Hessian was not positive definite at {shifted} of the {nit} iterations; there a "
    "multiple of the identity was added to it (Levenberg-style shift) to get a descent "
    "direction."
)


def _check_hessian(H, d):
    H = np.asarray(H, dtype=float)
    if H.shape != (d, d):
        raise ValueError(f"hess(x) must return an array of shape ({d}, {d}); got {H.shape}.")
    return 0.5 * (H + H.T)  # symmetric, whatever rounding did to the caller's formula


def shifted_cholesky(H, beta=1e-3):
    r"""Cholesky factor of :math:`H + \tau I` for the smallest :math:`\tau` tried that works.

    Algorithm 3.3 of Nocedal and Wright: :math:`\tau_0 = 0` if the diagonal of :math:`H` is
    positive, else :math:`-\min_i H_{ii} + \beta'`; then :math:`\tau \leftarrow
    \max(2\tau, \beta')` until the factorisation succeeds, with :math:`\beta' = \beta
    \max(1, \max_i |H_{ii}|)` scaled to the Hessian.

    Returns
    -------
    factor : tuple
        The factor, as :func:`scipy.linalg.cho_factor` returns it.
    tau : float
        The shift used: 0 when :math:`H` is positive definite.
    """
    diagonal = np.diag(H)
    beta = beta * max(1.0, float(np.max(np.abs(diagonal))))
    tau = 0.0 if np.min(diagonal) > 0 else -float(np.min(diagonal)) + beta
    d = H.shape[0]
    while True:
        try:
            return scipy.linalg.cho_factor(H + tau * np.eye(d)), tau
        except np.linalg.LinAlgError:
            tau = max(2 * tau, beta)


def newton(
    fun, x0, *, hess, jac=None, max_iter=100, gtol=1e-6, c1=1e-4, callback=None, history=True
):
    r"""Minimise a twice-differentiable function by Newton's method with a line search.

    At :math:`x_k`, with gradient :math:`g_k` and Hessian :math:`H_k`:

    1. factor :math:`H_k + \tau_k I = L_k L_k^\top` (Cholesky): :math:`\tau` starts at 0
       if every diagonal entry of :math:`H_k` is positive, else at
       :math:`-\min_i (H_k)_{ii} + \beta`, and :math:`\tau \leftarrow \max(2\tau, \beta)`
       until the factorisation succeeds (Nocedal and Wright, Algorithm 3.3);
    2. solve for the Newton direction :math:`(H_k + \tau_k I)\, p_k = -g_k`;
    3. backtrack from :math:`t = 1` until Armijo's condition
       :math:`f(x_k + t p_k) \le f(x_k) + c_1 t\, g_k^\top p_k` holds
       (:func:`mlopt.line_search.backtracking`);
    4. :math:`x_{k+1} = x_k + t_k p_k`,

    until :math:`\max_i |g_{k,i}| \le` ``gtol`` or ``max_iter`` steps. Near a minimiser with
    a positive definite Hessian the full step :math:`t = 1` is accepted and the convergence
    is quadratic: the number of correct digits roughly doubles at every step.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (value, grad)``, or the value only with ``jac`` given, or an
        :mod:`mlopt.functions` benchmark; as for :func:`mlopt.minimize`.
    x0 : array_like of shape (d,)
        The starting point.
    hess : callable
        ``hess(x) -> H``, the Hessian, an array of shape ``(d, d)``; it is symmetrised.
    jac : callable or bool, optional
        ``jac(x) -> grad`` if ``fun`` returns the value only.
    max_iter : int, default=100
        Maximum number of Newton steps, in ``[0, inf)``.
    gtol : float, default=1e-6
        Stop when the largest absolute gradient component is at most ``gtol``, in
        ``[0, inf)``.
    c1 : float, default=1e-4
        Armijo's constant of the line search, in ``(0, 1/2)``: below 1/2 so that the full
        Newton step is accepted near a minimiser.
    callback : callable, optional
        ``callback(intermediate_result)`` after every step, with ``x``, ``fun``, ``jac``,
        ``nit``, ``step`` (the line search's :math:`t_k`) and ``shift`` (:math:`\tau_k`).
        Returning ``True`` or raising ``StopIteration`` stops the run (status 3).
    history : bool or int, default=True
        The iterates to keep, as for :func:`mlopt.minimize`.

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x``, ``fun``, ``jac``, ``nit`` (Newton steps), ``nfev`` (calls of ``fun``, those
        of the line search included), ``nhev`` (calls of ``hess``), ``nshift`` (steps whose
        Hessian was shifted), ``success``, ``status``, ``message`` and ``history``. The
        status codes are those of :mod:`mlopt._status` (0 converged, 1 ``max_iter``,
        2 diverged: the Hessian or the direction is not finite, 3 callback, 4 interrupted)
        and 6: the line search found no acceptable step.

    Raises
    ------
    ValueError
        If an argument is invalid, or ``fun`` or ``hess`` return arrays of the wrong shape.
    Exception
        An exception raised by ``fun``, ``hess`` or ``callback`` (other than
        ``KeyboardInterrupt``, which returns the result so far with status 4) propagates
        with the result so far attached as its ``partial_result`` attribute.

    Notes
    -----
    A step costs one Hessian (:math:`O(n d^2)` for a sum of :math:`n` terms in :math:`d`
    unknowns) and one Cholesky factorisation (:math:`d^3/3` multiplications), against
    :math:`O(n d)` for a gradient step. scikit-learn's
    ``LogisticRegression(solver="newton-cholesky")`` and SciPy's
    ``minimize(method="Newton-CG")`` are Newton methods too; the latter solves the Newton
    system approximately by conjugate gradients and needs only Hessian-vector products.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt import newton
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]])
    >>> res = newton(lambda x: (0.5 * x @ A @ x, A @ x), [1.0, -2.0], hess=lambda x: A)
    >>> res.nit, res.status  # a quadratic is minimised by one Newton step
    (1, 0)

    References
    ----------
    Nocedal, J. and Wright, S. J. (2006). *Numerical Optimization*, 2nd ed., Springer,
    sections 3.3-3.4.
    """
    fun_and_grad = value_and_grad(fun, jac)
    hess = check_callable("hess", hess, "x -> Hessian, an array of shape (d, d)")
    x = check_vector("x0", x0)
    max_iter = check_integer("max_iter", max_iter, 0)
    gtol = check_interval("gtol", gtol, 0.0, np.inf, closed="left")
    c1 = check_interval("c1", c1, 0.0, 0.5)
    callback = check_callback(callback)
    stride = check_history(history)

    calls = {"fun": 0, "hess": 0}

    def counted(x):
        out = fun_and_grad(x)
        calls["fun"] += 1  # after the call: an interrupted evaluation returned nothing
        return out

    value, grad = evaluate(counted, x)
    if not (np.isfinite(value) and np.all(np.isfinite(grad))):
        raise ValueError(f"fun(x0) must be finite; got value {value} at x0 = {x}.")
    nit, nshift, what = 0, 0, ""
    kept = History(stride)
    kept.add(0, x, value)

    def result(status):
        message = MESSAGES[status].format(
            nit=nit + (status == 2),
            what=what,
            where="fun, hess or callback",
            gmax=float(np.max(np.abs(grad))),
        )
        if nshift and status != 2:
            message += SHIFTED.format(shifted=nshift, nit=nit)
        return OptimizeResult(
            x=x,
            fun=value,
            jac=grad,
            nit=nit,
            nfev=calls["fun"],
            nhev=calls["hess"],
            nshift=nshift,
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
            # Step 1: the Hessian, shifted if it is not positive definite.
            with np.errstate(all="ignore"):
                H = _check_hessian(hess(x.copy()), x.size)
            calls["hess"] += 1
            if not np.all(np.isfinite(H)):
                status, what = 2, "Hessian"
                break
            factor, tau = shifted_cholesky(H)
            # Step 2: the Newton direction.
            p = scipy.linalg.cho_solve(factor, -grad)
            if not np.all(np.isfinite(p)):
                status, what = 2, "Newton direction"
                break
            # Step 3: backtracking from the full step t = 1.
            search = backtracking(counted, x, p, f0=value, g0=grad, step=1.0, c1=c1)
            if not search.success:
                status = LINE_SEARCH_FAILED
                break
            # Step 4: the new iterate.
            x = x + search.step * p
            value, grad = search.fun, search.jac
            nit += 1
            nshift += tau > 0
            kept.add(nit, x, value)
            if callback is not None:
                intermediate = OptimizeResult(
                    x=x.copy(), fun=value, jac=grad.copy(), nit=nit, step=search.step, shift=tau
                )
                if call_callback(callback, intermediate):
                    status = 3
    except KeyboardInterrupt:
        return result(4)
    except Exception as exc:
        attach_partial_result(exc, result(5), "newton")
        raise
    return result(status)
