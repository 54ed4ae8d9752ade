"""A driver that runs any :mod:`mlopt.optimizers` optimizer on a differentiable function."""

from __future__ import annotations

import copy
import math

import numpy as np
from scipy.optimize import OptimizeResult

from ._status import ERROR_MESSAGE, INTERRUPTED_MESSAGE, attach_partial_result
from ._validation import check_callback, check_integer, check_interval, check_vector
from .functions import BenchmarkFunction
from .optimizers import Optimizer, _read_only

__all__ = ["minimize"]

# Every message `minimize` can return, kept in one place (as scipy.optimize does); the
# status codes are those of the package-wide table in mlopt._status.
MESSAGES = {
    0: "Converged: max |gradient| <= gtol.",
    1: "Stopped: max_iter iterations reached before max |gradient| <= gtol.",
    2: (
        "Diverged at iteration {nit}: the {what} is no longer finite. "
        "The step size is too large for this problem; try a smaller learning rate "
        "(for example lr / 10) with {optimizer}."
    ),
    3: "Stopped by the callback.",
    4: INTERRUPTED_MESSAGE,
    5: ERROR_MESSAGE,
}
GREW = (
    " The objective grew from {f0:.3g} to {f1:.3g}: the learning rate may be too large "
    "(or the gradient's sign wrong; see mlopt.check_gradient)."
)


def value_and_grad(fun, jac=None, *, name="fun"):
    """Return one callable ``x -> (value, grad)`` from the ways a caller may give them.

    ``jac=None`` (or ``True``, SciPy's spelling): ``fun`` returns ``(value, grad)``, unless
    ``fun`` has a ``grad`` method (every :mod:`mlopt.functions` benchmark), which is then
    used; a callable ``jac``: ``fun`` returns the value and ``jac`` the gradient.
    """
    if not callable(fun) or isinstance(fun, type):
        raise ValueError(f"{name} must be a callable x -> (value, gradient); got {fun!r}.")
    if jac is None or jac is True:
        grad = getattr(fun, "grad", None)
        if callable(grad):
            if (
                isinstance(fun, BenchmarkFunction)
                and type(fun).__call__ is BenchmarkFunction.__call__
                and type(fun).grad is BenchmarkFunction.grad
            ):
                return fun._value_and_grad  # the same pair, its input checked once
            return lambda x: (fun(x), grad(x))
        return fun
    if not callable(jac) or isinstance(jac, type):
        raise ValueError(
            f"jac must be None, True or a callable x -> gradient; got {jac!r}. With jac=None, "
            f"{name} returns the pair (value, gradient)."
        )
    return lambda x: (fun(x), jac(x))


def evaluate(fun, x, *, name="fun"):
    """Call ``fun(x) -> (value, grad)``; check what comes back; no NumPy warning escapes."""
    with np.errstate(all="ignore"):
        out = fun(x.copy())
    return _checked_value_and_grad(out, x, name)


def _checked_value_and_grad(out, x, name):
    """:func:`evaluate`'s checks of ``out = fun(x)``; returns ``(float value, float64 grad)``."""
    # What the checks below return unchanged, recognised at once: a pair (a float, a float64
    # array of x's shape) is returned as (the same float, the same array).
    if type(out) is tuple and len(out) == 2:
        value, grad = out
        if (
            type(grad) is np.ndarray
            and grad.dtype is _FLOAT64
            and grad.shape == x.shape
            and type(value) in _FLOATS
        ):
            return float(value), grad
    if not (isinstance(out, tuple | list) and len(out) == 2):
        raise ValueError(
            f"{name}(x) must return a pair (value, gradient); got {type(out).__name__} "
            f"{out!r:.60}. Pass the gradient as jac=grad, or pass an mlopt.functions "
            "benchmark, whose gradient is used."
        )
    value, grad = out
    if np.iscomplexobj(value) or np.iscomplexobj(grad):
        raise ValueError(f"{name}(x) must return real numbers; got complex {value!r:.60}.")
    try:
        value = np.asarray(value, dtype=float)
        grad = np.asarray(grad, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name}(x) must return (a real number, an array of reals); got {out!r:.80}."
        ) from exc
    if value.size != 1:
        raise ValueError(
            f"{name}(x) must return a real number as its value; got an array of shape "
            f"{value.shape}."
        )
    if grad.shape != x.shape:
        raise ValueError(
            f"{name} must return (value, grad) with grad of shape {x.shape}; got {grad.shape}."
        )
    return float(value.reshape(())), grad


_FLOAT64 = np.dtype(np.float64)
_FLOATS = (float, np.float64)


def _is_float64_vector(x):
    return type(x) is np.ndarray and x.dtype is _FLOAT64 and x.ndim == 1


def check_history(history):
    """Return the history stride: 1 (every iterate), k, or 0 (none)."""
    if history is True:
        return 1
    if history is False:
        return 0
    return check_integer("history", history, 1)


class History:
    """The iterates and values a run keeps: every ``stride``-th one and the last."""

    def __init__(self, stride):
        self.stride = stride
        self.xs, self.fs, self.its = [], [], []

    def add(self, nit, x, f):
        if self.stride and nit % self.stride == 0:
            self.xs.append(x.copy())
            self.fs.append(f)
            self.its.append(nit)

    def as_dict(self, nit, x, f):
        """The history as arrays, the last iterate included."""
        if not self.stride:
            return None
        if self.its[-1] != nit:  # always keep the last iterate
            self.xs.append(x.copy())
            self.fs.append(f)
            self.its.append(nit)
        out = {"x": np.array(self.xs), "fun": np.array(self.fs)}
        if self.stride > 1:
            out["nit"] = np.array(self.its)
        return out


def call_callback(callback, intermediate):
    """True if ``callback`` asks to stop: it returned True or raised StopIteration."""
    try:
        return bool(callback(intermediate))
    except StopIteration:
        return True


def minimize(
    fun, x0, *, optimizer, jac=None, max_iter=1000, gtol=1e-6, callback=None, history=True
):
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
        gradient (an array of the same shape as ``x``). With ``jac`` given, or for an
        :mod:`mlopt.functions` benchmark (which has a ``grad`` method), ``fun(x)`` returns
        the value only.
    x0 : array_like of shape (d,)
        The starting point; a scalar is treated as a vector of length one.
    optimizer : mlopt.optimizers.Optimizer
        The update rule, an instance such as ``SGD(lr=0.1)`` or ``Adam(lr=0.01)``. It is
        copied and reset first, so the object passed in is left untouched and every call
        starts afresh.
    jac : callable or bool, optional
        ``jac(x) -> grad``, the gradient, as in :func:`scipy.optimize.minimize`; ``None`` or
        ``True`` means that ``fun`` returns ``(value, grad)`` (or is a benchmark).
    max_iter : int, default=1000
        Maximum number of steps, in ``[0, inf)``.
    gtol : float, default=1e-6
        Stop successfully when the largest absolute gradient component is at most
        ``gtol``, in ``[0, inf)``.
    callback : callable, optional
        ``callback(intermediate_result)`` is called after every step with an
        :class:`~scipy.optimize.OptimizeResult` holding ``x``, ``fun``, ``jac`` and ``nit``.
        Returning ``True`` or raising ``StopIteration`` stops the run (status 3).
    history : bool or int, default=True
        Which iterates to keep in ``res.history``: all of them (``True``), every ``k``-th
        and the last (an int ``k >= 1``; the history then also holds ``nit``, the
        iteration numbers of its rows), or none (``False``; ``res.history`` is None). At
        :math:`d = 10^5` and 300 iterations the full history takes 240 MB.

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x``, ``fun``, ``jac`` (gradient at ``x``), ``nit`` (steps taken), ``nfev``
        (calls of ``fun``), ``success``, ``status`` (0 converged, 1 ``max_iter`` reached,
        2 diverged, 3 stopped by the callback, 4 interrupted: the table of
        :mod:`mlopt._status`), ``message`` and ``history``, a dict with arrays ``x`` of
        shape ``(nit + 1, d)`` and ``fun`` of shape ``(nit + 1,)``.

    Raises
    ------
    ValueError
        If an argument is invalid, or ``fun`` returns something other than a real value
        and a gradient of the shape of ``x0`` (the message says what it returned).
    Exception
        Any exception raised by ``fun`` or ``callback`` other than ``KeyboardInterrupt``
        propagates, with the result so far attached as its ``partial_result`` attribute
        (status 5) and a note saying so.

    Notes
    -----
    A run whose value or gradient stops being finite ends with ``success=False`` and a
    message that contains "diverged" and suggests a smaller learning rate; it raises no
    exception and lets no NumPy warning through. ``x`` is then the last finite iterate and
    ``nit`` counts the steps that produced finite iterates. A ``KeyboardInterrupt``
    (Ctrl-C, or "interrupt the kernel" in Jupyter) raised while ``fun`` or ``callback``
    runs ends the run with status 4 and returns everything computed so far.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt import minimize, SGD
    >>> res = minimize(lambda x: (x @ x, 2 * x), [3.0, -4.0], optimizer=SGD(lr=0.5))
    >>> res.success, res.nit, np.round(res.x, 6)
    (True, 1, array([0., 0.]))

    A benchmark function brings its own gradient:

    >>> from mlopt.functions import sphere
    >>> minimize(sphere, [3.0, -4.0], optimizer=SGD(lr=0.5)).nit
    1
    """
    fun_and_grad = value_and_grad(fun, jac)
    x = check_vector("x0", x0)
    max_iter = check_integer("max_iter", max_iter, 0)
    gtol = check_interval("gtol", gtol, 0.0, np.inf, closed="left")
    callback = check_callback(callback)
    stride = check_history(history)
    if isinstance(optimizer, type):
        raise ValueError(
            f"optimizer must be an optimizer instance such as {optimizer.__name__}(lr=0.1); "
            f"got the class {optimizer.__name__} itself."
        )
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "reset")):
        raise ValueError(
            f"optimizer must be an mlopt optimizer such as mlopt.SGD(lr=0.1); got {optimizer!r}."
        )
    opt = copy.deepcopy(optimizer)
    opt.reset()
    checked_step = type(opt).step is Optimizer.step

    value, grad = evaluate(fun_and_grad, x)
    if not (np.isfinite(value) and np.all(np.isfinite(grad))):
        raise ValueError(f"fun(x0) must be finite; got value {value} at x0 = {x}.")
    nfev, nit = 1, 0
    kept = History(stride)
    kept.add(0, x, value)
    f0 = value
    status, what = None, ""

    def result(status):
        if status == 2:
            message = MESSAGES[2].format(nit=nit + 1, what=what, optimizer=optimizer)
        else:
            message = MESSAGES[status].format(nit=nit, where="fun or callback")
            if status == 1 and value > f0:
                message += GREW.format(f0=f0, f1=value)
        return OptimizeResult(
            x=x,
            fun=value,
            jac=grad,
            nit=nit,
            nfev=nfev,
            success=status == 0,
            status=status,
            message=message,
            history=kept.as_dict(nit, x, value),
        )

    try:
        while status is None:
            if np.abs(grad).max() <= gtol:
                status = 0
                break
            if nit >= max_iter:
                status = 1
                break
            # The step and the evaluation of fun at the new point, as evaluate() does it,
            # under one errstate (entering one costs about as much as a small step).
            with np.errstate(all="ignore"):
                try:
                    if checked_step and _is_float64_vector(x):
                        # what opt.step(x, grad) does after its input checks, which x and grad
                        # pass: finite float64 vectors of one size (x0 and its gradient were
                        # checked above, every later pair below); a step that returns has a
                        # finite result
                        x_new = opt._checked_step(_read_only(x), _read_only(grad), errstate=False)
                        finite = True
                    else:
                        x_new = opt.step(x, grad)
                        finite = np.isfinite(x_new).all()
                except FloatingPointError:  # the update itself overflowed
                    x_new, finite = np.full_like(x, np.nan), False
                if finite:
                    out = fun_and_grad(x_new.copy())
            if not finite:
                status, what = 2, "iterate"
                break
            new_value, new_grad = _checked_value_and_grad(out, x_new, "fun")
            nfev += 1
            if not (math.isfinite(new_value) and np.isfinite(new_grad).all()):
                status, what = 2, "objective" if not math.isfinite(new_value) else "gradient"
                break
            x, value, grad = x_new, new_value, new_grad
            nit += 1
            kept.add(nit, x, value)
            if callback is not None:
                intermediate = OptimizeResult(x=x.copy(), fun=value, jac=grad.copy(), nit=nit)
                if call_callback(callback, intermediate):
                    status = 3
    except KeyboardInterrupt:
        return result(4)
    except Exception as exc:
        attach_partial_result(exc, result(5), "minimize")
        raise
    return result(status)
