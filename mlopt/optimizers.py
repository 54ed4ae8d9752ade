r"""First-order optimizers: SGD with momentum, Adagrad, RMSprop, Adam and AdamW.

Each class implements, in float64 NumPy, the update rule printed in the documentation of the
PyTorch class of the same name (``torch.optim.SGD``, ...) with ``maximize=False``, and is
checked step by step against trajectories recorded with PyTorch 2.13: over 50 steps the iterates
agree to rounding error (at most 8e-15 apart; the tests require 1e-12 relative).
The code of each update uses the book's symbols, one line per line of the equation:

==================  ===========================================================================
symbol              meaning
==================  ===========================================================================
``t``               step number, :math:`t = 1, 2, \dots` inside the update
``g``               gradient :math:`g_t = \nabla f(\theta_{t-1})` (plus :math:`\lambda\theta_{t-1}`
                    when ``weight_decay`` :math:`= \lambda > 0`)
``b``               momentum buffer :math:`b_t`
``s``               Adagrad's running sum of squared gradients :math:`s_t`
``m``, ``v``        first and second moment estimates :math:`m_t, v_t`
``m_hat, v_hat``    bias-corrected moments :math:`\hat m_t, \hat v_t` (Adam)
``lr``              learning rate :math:`\eta` (:math:`\eta_t` with a schedule)
==================  ===========================================================================

Usage: An optimizer holds the state of the iteration (the step counter ``t`` and its buffers); the
parameters stay with the caller::

    opt = Adam(lr=0.01)
    for _ in range(100):
        x = opt.step(x, grad(x))   # returns a new array, never modifies x or grad(x)
    opt.reset()                    # back to t = 0 and empty buffers

``lr`` is a positive float or a schedule, any callable ``t -> lr`` such as those of
:mod:`mlopt.schedules`, where ``t`` is the number of steps already taken: the first step uses
``lr(0)``. This is what PyTorch does when ``scheduler.step()`` follows every
``optimizer.step()``.

Conventions shared by all the optimizers, and where they differ from other texts:

* ``weight_decay`` :math:`\lambda` adds :math:`\lambda \theta` to the gradient (an L2 penalty
  :math:`\tfrac{\lambda}{2}\|\theta\|^2` on the objective), except in :class:`AdamW`, where it
  shrinks the parameters directly (decoupled weight decay).
* ``eps`` is added *after* the square root, :math:`\sqrt{v} + \epsilon`, as in PyTorch and the
  papers; TensorFlow's RMSprop adds it inside. ``eps = 0`` is accepted, as in PyTorch, and
  gives the same steps; then a coordinate whose gradients have all been zero gives 0/0, which
  raises :class:`FloatingPointError` (PyTorch returns ``nan``).
* Hyper-parameter ranges are those of PyTorch, narrowed where PyTorch accepts values that
  cannot work: ``lr`` must be positive, ``momentum``, ``alpha`` and the ``betas`` lie in
  :math:`[0, 1)` (PyTorch allows ``momentum`` :math:`\ge 1`, which makes the buffer grow
  without bound) and ``eps`` in :math:`[0, \infty)`.
* A run that diverges stops with an error rather than filling arrays with ``inf`` and ``nan``:
  a non-finite ``grad`` raises :class:`ValueError`, and an update that overflows, in the
  parameters or in a buffer (a squared gradient above about 1e308 makes ``v`` infinite, which
  would freeze that coordinate for ever), raises :class:`FloatingPointError`, both naming the
  step. A step that raises leaves the optimizer exactly as it was before the step (``t`` and
  every buffer), so that the caller may lower ``lr`` and go on.

For example:

Ten steps of Adam on :math:`f(\theta) = \tfrac12 \|\theta\|^2`, whose gradient is :math:`\theta`:

>>> import numpy as np
>>> from mlopt.optimizers import Adam
>>> opt = Adam(lr=0.1)
>>> opt
Adam(lr=0.1, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, amsgrad=False)
>>> x = np.array([1.0, -2.0])
>>> for _ in range(10):
...     x = opt.step(x, x)
>>> opt.t, x.round(3)
(10, array([ 0.076, -1.025]))
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import (
    address_free_repr,
    check_bool,
    check_interval,
    check_scalar,
    check_vector,
    signature_repr,
)

__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "OPTIMIZERS", "get_optimizer"]

_LR_HINT = "lr may also be a schedule: a callable t -> lr, such as mlopt.schedules.cosine."


def _check_lr(lr):
    """Return a valid ``lr``: a float in (0, inf), or a callable schedule (checked at each step)."""
    if callable(lr):
        return lr
    return check_scalar("lr", lr, positive=True, hint=_LR_HINT)


def _check_betas(betas) -> tuple[float, float]:
    """Return ``betas`` as a pair of floats in [0, 1), else raise ``ValueError``."""
    if not isinstance(betas, tuple | list) or len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2) of floats in [0, 1); got {betas!r}.")
    beta1 = check_interval("betas[0]", betas[0], 0.0, 1.0, closed="left")
    beta2 = check_interval("betas[1]", betas[1], 0.0, 1.0, closed="left")
    return beta1, beta2


def _read_only(arr: np.ndarray) -> np.ndarray:
    """A read-only view of ``arr``: the updates may read the caller's array but never write it."""
    view = arr.view()
    view.flags.writeable = False
    return view


def _check_params(params) -> np.ndarray:
    """``check_vector`` for the parameters, without its copy when they are a float64 vector.

    The updates never write into their inputs (every line makes a new array), so a finite 1-D
    float64 array is passed on as a read-only view instead of being copied: at n = 1e7 the copy
    took a tenth of an SGD step. Anything else goes through ``check_vector`` as before.
    """
    if (
        type(params) is np.ndarray
        and params.dtype == np.float64
        and params.ndim == 1
        and np.isfinite(params).all()
    ):
        return _read_only(params)
    return check_vector("params", params)


def _check_grad(grad, size: int, t: int) -> np.ndarray:
    """``check_vector`` for the gradient, with a hint when it is not finite (a diverged run).

    Like :func:`_check_params`, a gradient of the right shape is not copied but passed on as a
    read-only view (after one finiteness check); any other input goes through ``check_vector``.
    """
    try:
        g = np.atleast_1d(np.asarray(grad, dtype=float))
    except (TypeError, ValueError):
        g = None
    if g is not None and g.shape == (size,):
        if not np.isfinite(g).all():
            raise ValueError(
                f"grad must contain only finite numbers; got {g} at step t={t}. The iteration "
                "has probably diverged: try a smaller lr (and call reset() before starting again)."
            )
        return _read_only(g)
    return check_vector("grad", grad, size=size)


class Optimizer:
    r"""Base class: learning-rate schedules, input checks, the step counter, ``reset``, ``repr``.

    A subclass stores its hyper-parameters under the names of its ``__init__`` arguments, lists
    its state arrays in ``_buffers``, may allocate them in ``_start(n)`` (called at the first
    step, with ``n`` the number of parameters), and implements the update in
    ``_update(x, g, lr, t)``, where ``t`` is the 1-based number of the step being taken.
    ``x`` and ``g`` are read-only views, often of the caller's own arrays (they are not
    copied): ``_update`` must return a new array, and copy ``g`` before keeping it as state.

    Attributes
    ----------
    t : int
        Number of steps taken since construction or the last :meth:`reset`.

    Examples
    --------
    Sign descent, :math:`\theta_t = \theta_{t-1} - \eta\, \operatorname{sign}(g_t)`, as an
    optimizer:

    >>> import numpy as np
    >>> from mlopt.optimizers import Optimizer
    >>> class SignSGD(Optimizer):
    ...     def _update(self, x, g, lr, t):
    ...         return x - lr * np.sign(g)
    >>> opt = SignSGD(lr=0.5)
    >>> x = opt.step(np.array([1.0, -3.0]), np.array([2.0, -0.1]))
    >>> x, opt.t
    (array([ 0.5, -2.5]), 1)
    """

    _buffers: tuple[str, ...] = ()

    def __init__(self, lr):
        self.lr = _check_lr(lr)
        self.reset()

    def reset(self) -> None:
        """Forget the state: set ``t`` to 0 and clear the buffers (momentum, moments, ...)."""
        self.t = 0
        self._n_params = None
        for name in self._buffers:
            setattr(self, name, None)

    def lr_at(self, t: int) -> float:
        """Return the learning rate of the step taken when ``t`` steps have been taken.

        Raises
        ------
        ValueError
            If a schedule gives a learning rate that is negative or not a finite real number.
            A schedule may reach 0 (cosine annealing with ``lr_min=0`` does at ``t_max``):
            such a step leaves the parameters where they are.
        """
        if not callable(self.lr):
            return self.lr
        lr = self.lr(t)
        if isinstance(lr, np.ndarray) and lr.ndim == 0:
            lr = lr.item()
        if type(lr) is float and 0.0 <= lr < np.inf:
            return lr  # what the check below returns, without building its message's hint
        return check_interval(
            f"lr({t}), the learning rate that the schedule gives at step t={t},",
            lr,
            0.0,
            np.inf,
            closed="left",
            hint=f"The schedule is {address_free_repr(self.lr)}; it must give a non-negative, "
            "finite learning rate at every step taken.",
        )

    def step(self, params, grad) -> np.ndarray:
        """Take one step from ``params`` along the gradient ``grad``; return the new parameters.

        Parameters
        ----------
        params : array_like, shape (n,)
            Current parameters :math:`\\theta_{t-1}`. Not modified.
        grad : array_like, shape (n,)
            Gradient of the objective at ``params``. Not modified.

        Returns
        -------
        ndarray, shape (n,)
            The new parameters :math:`\\theta_t`, a new float64 array.

        Raises
        ------
        ValueError
            If ``params`` or ``grad`` is not a finite 1-D array, their lengths differ, the length
            changed since the previous step (call :meth:`reset` first), or a schedule gives an
            invalid learning rate.
        FloatingPointError
            If the update overflows (the iteration diverged).

        Notes
        -----
        The step counter ``t`` in error messages is the number of steps already taken, the
        argument of a schedule ``lr(t)``; the update itself uses :math:`t + 1`, as the
        pseudo-code numbers steps from 1.
        """
        x = _check_params(params)
        g = _check_grad(grad, x.size, self.t)
        return self._checked_step(x, g)

    def _checked_step(self, x, g, errstate=True):
        """:meth:`step` on checked input: ``x`` and ``g`` as ``_check_params`` and ``_check_grad``
        return them (finite float64 read-only vectors of one size). :func:`mlopt.minimize` and
        the estimators of :mod:`mlopt.linear_model`, which have checked them already, call it
        directly, with NumPy's warnings already off (``errstate=False``).
        """
        if self._n_params is not None and x.size != self._n_params:
            raise ValueError(
                f"params has {x.size} elements, but the optimizer's state was built for "
                f"{self._n_params}; call reset() before optimizing another problem."
            )
        saved = self._state()
        try:
            if self._n_params is None:
                self._n_params = x.size
                self._start(x.size)
            lr = self.lr_at(self.t)
            if errstate:
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    x_new = self._update(x, g, lr, self.t + 1)
            else:
                x_new = self._update(x, g, lr, self.t + 1)
            overflowed = [
                name
                for name in self._buffers
                if getattr(self, name) is not None and not np.isfinite(getattr(self, name)).all()
            ]
            if not np.isfinite(x_new).all():
                overflowed.insert(0, "params")
            if overflowed:
                raise FloatingPointError(
                    f"the update at step t={self.t} overflowed (the parameters are no longer "
                    f"finite): the iteration diverged ({', '.join(overflowed)} not finite). Try "
                    f"a smaller lr than {address_free_repr(self.lr)}, and call reset() before "
                    "starting again."
                )
        except BaseException:
            self._restore(saved)  # a failed step leaves the state as it was
            raise
        self.t += 1
        return x_new

    def _state(self) -> dict:
        """The step counter and buffers, by reference: the updates never write in place."""
        names = ("t", "_n_params", *self._buffers)
        return {name: getattr(self, name) for name in names}

    def _restore(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def _start(self, n: int) -> None:
        """Allocate the buffers for ``n`` parameters (called at the first step)."""

    def _update(self, x: np.ndarray, g: np.ndarray, lr: float, t: int) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return signature_repr(self, format_value=address_free_repr)


class SGD(Optimizer):
    r"""Stochastic gradient descent, with optional heavy-ball or Nesterov momentum.

    With :math:`\eta` = ``lr``, :math:`\mu` = ``momentum``, :math:`\tau` = ``dampening`` and
    :math:`\lambda` = ``weight_decay``, step :math:`t = 1, 2, \dots` is

    .. math::

        \begin{aligned}
        g_t &\leftarrow \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
        b_t &\leftarrow \begin{cases} g_t & t = 1 \\
                                      \mu b_{t-1} + (1 - \tau) g_t & t > 1 \end{cases}
             && \text{(if } \mu \ne 0\text{)} \\
        g_t &\leftarrow \begin{cases} g_t + \mu b_t & \text{nesterov} \\
                                      b_t & \text{otherwise} \end{cases}
             && \text{(if } \mu \ne 0\text{)} \\
        \theta_t &\leftarrow \theta_{t-1} - \eta g_t
        \end{aligned}

    Without momentum this is plain gradient descent [1]_; with it, Polyak's heavy ball [2]_, or
    Nesterov's accelerated gradient in the form of Sutskever et al. [3]_.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta`, in :math:`(0, \infty)`, or a schedule ``t -> lr``.
    momentum : float, default 0.0
        Momentum factor :math:`\mu`, in :math:`[0, 1)`.
    dampening : float, default 0.0
        Dampening :math:`\tau` of the gradient in the momentum buffer, in :math:`[0, 1]`.
    nesterov : bool, default False
        Use Nesterov momentum; requires ``momentum > 0`` and ``dampening = 0``.
    weight_decay : float, default 0.0
        L2 penalty coefficient :math:`\lambda`, in :math:`[0, \infty)`.

    Attributes
    ----------
    t : int
        Number of steps taken.
    b : ndarray or None
        Momentum buffer :math:`b_t` (``None`` before the first step or without momentum).

    Notes
    -----
    **Two momentum conventions.** PyTorch, and this class, accumulate the gradients,
    :math:`b_t = \mu b_{t-1} + g_t`, :math:`\theta_t = \theta_{t-1} - \eta b_t`. Many texts
    use an exponential moving average, :math:`v_t = \beta v_{t-1} + (1 - \beta) g_t`,
    :math:`\theta_t = \theta_{t-1} - \eta' v_t` with :math:`v_0 = 0`. With :math:`\mu = \beta`,
    :math:`v_t = (1 - \beta) b_t`, so the two produce the same iterates when
    :math:`\eta = (1 - \beta) \eta'`: the moving-average form needs a learning rate
    :math:`1 / (1 - \beta)` times larger (10 times for :math:`\beta = 0.9`) to take the same
    steps. Setting ``dampening`` :math:`= \mu` does not give the moving average exactly, because
    PyTorch sets :math:`b_1 = g_1` without dampening.

    Polyak [2]_ and Sutskever et al. [3]_ put the learning rate inside the buffer,
    :math:`u_t = \mu u_{t-1} - \eta g_t`, :math:`\theta_t = \theta_{t-1} + u_t`; this is the
    same as PyTorch's form for a constant learning rate, not for a schedule.

    **Nesterov.** Sutskever et al. evaluate the gradient at the look-ahead point
    :math:`\theta + \mu u`. PyTorch, and this class, use the equivalent form of Bengio et al.
    [4]_, which evaluates it at the current iterate, :math:`\theta_t = \theta_{t-1} -
    \eta (g_t + \mu b_t)`: the iterates are the look-ahead points of the original method.

    References
    ----------
    .. [1] H. Robbins and S. Monro, "A stochastic approximation method", Annals of Mathematical
       Statistics 22(3), 400-407, 1951.
    .. [2] B. T. Polyak, "Some methods of speeding up the convergence of iteration methods",
       USSR Computational Mathematics and Mathematical Physics 4(5), 1-17, 1964.
    .. [3] I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of initialization
       and momentum in deep learning", ICML 2013.
    .. [4] Y. Bengio, N. Boulanger-Lewandowski and R. Pascanu, "Advances in optimizing
       recurrent networks", ICASSP 2013.

    Examples
    --------
    One step from :math:`\theta = (1, 2)` with gradient :math:`(0.5, -1)`:

    >>> import numpy as np
    >>> from mlopt.optimizers import SGD
    >>> opt = SGD(lr=0.1)
    >>> opt.step(np.array([1.0, 2.0]), np.array([0.5, -1.0]))
    array([0.95, 2.1 ])

    With momentum the second step is longer when the gradient keeps its direction:
    :math:`b_2 = 0.9 \cdot 1 + 1`.

    >>> opt = SGD(lr=0.1, momentum=0.9)
    >>> x = opt.step(np.array([0.0]), np.array([1.0]))
    >>> opt.step(x, np.array([1.0])), opt.b
    (array([-0.29]), array([1.9]))
    """

    _buffers = ("b",)

    def __init__(self, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        self.momentum = check_interval("momentum", momentum, 0.0, 1.0, closed="left")
        self.dampening = check_interval("dampening", dampening, 0.0, 1.0, closed="both")
        self.nesterov = check_bool("nesterov", nesterov)
        self.weight_decay = check_scalar("weight_decay", weight_decay, nonnegative=True)
        if self.nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError(
                "nesterov=True requires momentum > 0 and dampening = 0; got "
                f"momentum={momentum!r} and dampening={dampening!r}."
            )
        super().__init__(lr)

    def _update(self, x, g, lr, t):
        mu, tau = self.momentum, self.dampening
        if self.weight_decay != 0:
            g = g + self.weight_decay * x
        if mu != 0:
            if t > 1:
                self.b = mu * self.b + (1 - tau) * g
            else:
                self.b = g.copy()
            if self.nesterov:
                g = g + mu * self.b
            else:
                g = self.b
        return x - lr * g


class Adagrad(Optimizer):
    r"""Adagrad: per-coordinate step sizes shrinking with the accumulated squared gradients.

    With :math:`\eta` = ``lr``, :math:`c` = ``lr_decay``, :math:`\lambda` =
    ``weight_decay`` and :math:`s_0` = ``initial_accumulator_value``, step :math:`t` is

    .. math::

        \begin{aligned}
        g_t &\leftarrow \nabla f(\theta_{t-1}) \\
        \tilde\eta_t &\leftarrow \eta / (1 + (t - 1)\, c) \\
        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        s_t &\leftarrow s_{t-1} + g_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} - \tilde\eta_t \, g_t / (\sqrt{s_t} + \epsilon)
        \end{aligned}

    (squares, roots and divisions are per coordinate) [1]_.

    Parameters
    ----------
    lr : float or callable, default 0.01
        Learning rate :math:`\eta`, in :math:`(0, \infty)`, or a schedule ``t -> lr``.
    lr_decay : float, default 0.0
        Inverse-time decay rate :math:`c` of the learning rate, in :math:`[0, \infty)`.
    weight_decay : float, default 0.0
        L2 penalty coefficient :math:`\lambda`, in :math:`[0, \infty)`.
    initial_accumulator_value : float, default 0.0
        Initial value :math:`s_0` of every coordinate of the sum, in :math:`[0, \infty)`.
    eps : float, default 1e-10
        Term :math:`\epsilon` added to the denominator, in :math:`[0, \infty)`.

    Attributes
    ----------
    t : int
        Number of steps taken.
    s : ndarray or None
        Sum of squared gradients :math:`s_t` (``None`` before the first step).

    Notes
    -----
    The first step moves every coordinate by about :math:`\eta` (if :math:`s_0 = 0`):
    :math:`g_1 / \sqrt{g_1^2} = \operatorname{sign}(g_1)`. Later steps shrink as
    :math:`s_t` grows, like :math:`\eta / \sqrt{t}` for gradients of constant size.

    ``lr_decay`` is an inverse-time schedule of the 0-based step count: ``Adagrad(lr=a,
    lr_decay=k)`` takes the same steps as ``Adagrad(lr=mlopt.schedules.inverse_time(a, k))``.
    With both a schedule and ``lr_decay``, the two factors multiply, as in PyTorch.

    References
    ----------
    .. [1] J. Duchi, E. Hazan and Y. Singer, "Adaptive subgradient methods for online learning
       and stochastic optimization", Journal of Machine Learning Research 12, 2121-2159, 2011.

    Examples
    --------
    The first step has length ``lr`` in every coordinate, whatever the gradient's scale:

    >>> import numpy as np
    >>> from mlopt.optimizers import Adagrad
    >>> Adagrad(lr=0.1).step(np.array([1.0, 1.0]), np.array([100.0, -0.01]))
    array([0.9, 1.1])
    """

    _buffers = ("s",)

    def __init__(
        self, lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10
    ):
        self.lr_decay = check_scalar("lr_decay", lr_decay, nonnegative=True)
        self.weight_decay = check_scalar("weight_decay", weight_decay, nonnegative=True)
        self.initial_accumulator_value = check_scalar(
            "initial_accumulator_value", initial_accumulator_value, nonnegative=True
        )
        self.eps = check_scalar("eps", eps, nonnegative=True)
        super().__init__(lr)

    def _start(self, n):
        self.s = np.full(n, self.initial_accumulator_value)

    def _update(self, x, g, lr, t):
        lr_tilde = lr / (1 + (t - 1) * self.lr_decay)
        if self.weight_decay != 0:
            g = g + self.weight_decay * x
        self.s = self.s + g**2
        return x - lr_tilde * g / (np.sqrt(self.s) + self.eps)


class RMSprop(Optimizer):
    r"""RMSprop: divide the gradient by a moving average of its recent magnitude.

    With :math:`\eta` = ``lr``, :math:`\alpha` = ``alpha``, :math:`\mu` = ``momentum`` and
    :math:`\lambda` = ``weight_decay``, step :math:`t` is

    .. math::

        \begin{aligned}
        g_t &\leftarrow \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
        v_t &\leftarrow \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
        \tilde v_t &\leftarrow v_t \\
        \bar g_t &\leftarrow \alpha \bar g_{t-1} + (1 - \alpha) g_t
            && \text{(if centered)} \\
        \tilde v_t &\leftarrow \tilde v_t - \bar g_t^2
            && \text{(if centered)} \\
        b_t &\leftarrow \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon)
            && \text{(if } \mu > 0\text{)} \\
        \theta_t &\leftarrow \theta_{t-1} - \eta b_t
            && \text{(if } \mu > 0\text{)} \\
        \theta_t &\leftarrow \theta_{t-1} - \eta g_t / (\sqrt{\tilde v_t} + \epsilon)
            && \text{(if } \mu = 0\text{)}
        \end{aligned}

    with :math:`v_0 = \bar g_0 = b_0 = 0` [1]_; the centered variant [2]_ divides by an estimate
    of the gradient's standard deviation instead of its root mean square.

    Parameters
    ----------
    lr : float or callable, default 0.01
        Learning rate :math:`\eta`, in :math:`(0, \infty)`, or a schedule ``t -> lr``.
    alpha : float, default 0.99
        Smoothing constant :math:`\alpha` of the moving averages, in :math:`[0, 1)`.
    eps : float, default 1e-8
        Term :math:`\epsilon` added to the denominator, in :math:`[0, \infty)`.
    weight_decay : float, default 0.0
        L2 penalty coefficient :math:`\lambda`, in :math:`[0, \infty)`.
    momentum : float, default 0.0
        Momentum factor :math:`\mu`, in :math:`[0, 1)`.
    centered : bool, default False
        Normalise by the centered second moment :math:`v_t - \bar g_t^2`.

    Attributes
    ----------
    t : int
        Number of steps taken.
    v, g_avg, b : ndarray or None
        Moving average of :math:`g^2`, moving average of :math:`g` (if centered) and momentum
        buffer (if ``momentum > 0``); ``None`` when unused or before the first step.

    Notes
    -----
    RMSprop has no bias correction: the first step is
    :math:`\eta \operatorname{sign}(g_1) / \sqrt{1 - \alpha}`, ten times ``lr`` for
    :math:`\alpha = 0.99` (Adam corrects this, see :class:`Adam`). :math:`\epsilon` is added after
    the square root, as in PyTorch; TensorFlow adds it inside. In the centered variant
    :math:`v_t - \bar g_t^2 \ge 0` in exact arithmetic; it is clipped at 0 so that rounding
    cannot make its square root ``nan`` (PyTorch does not clip).

    References
    ----------
    .. [1] T. Tieleman and G. Hinton, "Lecture 6.5 - RMSProp: divide the gradient by a running
       average of its recent magnitude", COURSERA: Neural Networks for Machine Learning, 2012.
    .. [2] A. Graves, "Generating sequences with recurrent neural networks",
       arXiv:1308.0850, 2013.

    Examples
    --------
    Without bias correction the first step is :math:`1/\sqrt{1 - 0.99} = 10` times ``lr``:

    >>> import numpy as np
    >>> from mlopt.optimizers import RMSprop
    >>> RMSprop(lr=0.01).step(np.array([0.0]), np.array([3.0])).round(6)
    array([-0.1])
    """

    _buffers = ("v", "g_avg", "b")

    def __init__(
        self, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False
    ):
        self.alpha = check_interval("alpha", alpha, 0.0, 1.0, closed="left")
        self.eps = check_scalar("eps", eps, nonnegative=True)
        self.weight_decay = check_scalar("weight_decay", weight_decay, nonnegative=True)
        self.momentum = check_interval("momentum", momentum, 0.0, 1.0, closed="left")
        self.centered = check_bool("centered", centered)
        super().__init__(lr)

    def _start(self, n):
        self.v = np.zeros(n)
        if self.centered:
            self.g_avg = np.zeros(n)
        if self.momentum > 0:
            self.b = np.zeros(n)

    def _update(self, x, g, lr, t):
        alpha, mu = self.alpha, self.momentum
        if self.weight_decay != 0:
            g = g + self.weight_decay * x
        self.v = alpha * self.v + (1 - alpha) * g**2
        v_tilde = self.v
        if self.centered:
            self.g_avg = alpha * self.g_avg + (1 - alpha) * g
            v_tilde = np.maximum(v_tilde - self.g_avg**2, 0.0)
        if mu > 0:
            self.b = mu * self.b + g / (np.sqrt(v_tilde) + self.eps)
            return x - lr * self.b
        return x - lr * g / (np.sqrt(v_tilde) + self.eps)


class Adam(Optimizer):
    r"""Adam: momentum on the gradient, scaled by a moving root mean square, bias-corrected.

    With :math:`\eta` = ``lr``, :math:`(\beta_1, \beta_2)` = ``betas`` and :math:`\lambda` =
    ``weight_decay``, step :math:`t` is

    .. math::

        \begin{aligned}
        g_t &\leftarrow \nabla f(\theta_{t-1}) + \lambda \theta_{t-1} \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &\leftarrow m_t / (1 - \beta_1^t) \\
        v_t^{\max} &\leftarrow \max(v_{t-1}^{\max}, v_t) && \text{(if amsgrad)} \\
        \hat v_t &\leftarrow v_t^{\max} / (1 - \beta_2^t) && \text{(if amsgrad)} \\
        \hat v_t &\leftarrow v_t / (1 - \beta_2^t) && \text{(otherwise)} \\
        \theta_t &\leftarrow \theta_{t-1} - \eta \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
        \end{aligned}

    with :math:`m_0 = v_0 = v_0^{\max} = 0` [1]_, and AMSGrad [2]_ as an option.

    Parameters
    ----------
    lr : float or callable, default 0.001
        Learning rate :math:`\eta`, in :math:`(0, \infty)`, or a schedule ``t -> lr``.
    betas : tuple of two floats, default (0.9, 0.999)
        Decay rates :math:`(\beta_1, \beta_2)` of the moment estimates, each in :math:`[0, 1)`.
    eps : float, default 1e-8
        Term :math:`\epsilon` added to the denominator, in :math:`[0, \infty)`.
    weight_decay : float, default 0.0
        L2 penalty coefficient :math:`\lambda`, in :math:`[0, \infty)`, added to the gradient;
        see :class:`AdamW` for decoupled weight decay.
    amsgrad : bool, default False
        Normalise by the largest second moment seen so far (AMSGrad).

    Attributes
    ----------
    t : int
        Number of steps taken.
    m, v, v_max : ndarray or None
        First and second moment estimates, and the running maximum of :math:`v` (if
        ``amsgrad``); ``None`` when unused or before the first step.

    Notes
    -----
    **Bias correction.** :math:`m_t` and :math:`v_t` start at 0, so early on they underestimate
    the moments by the factors :math:`1 - \beta_1^t` and :math:`1 - \beta_2^t`; dividing by these
    factors removes the bias. Without it the first step would be
    :math:`\eta (1 - \beta_1) / \sqrt{1 - \beta_2} \approx 3.16 \eta` per coordinate for
    the default betas (or :math:`0.1 \eta` if only :math:`v` were corrected), instead of
    :math:`\eta`.

    **AMSGrad.** This class computes what PyTorch 2.13 computes (read in
    ``torch/optim/adam.py``, and checked on reference trajectories): the running maximum of the
    *uncorrected* :math:`v_t`, divided by the *current* :math:`1 - \beta_2^t`. This is not the
    maximum of the corrected :math:`\hat v_t`, and differs from Reddi et al.'s algorithm, which
    corrects neither moment and keeps :math:`\max(\hat v_{t-1}, v_t)`.

    **Weight decay.** ``weight_decay`` here is an L2 penalty: :math:`\lambda \theta` is added to
    the gradient and then divided by :math:`\sqrt{\hat v_t}`, so large-gradient coordinates are
    barely regularised. :class:`AdamW` decouples the two.

    References
    ----------
    .. [1] D. P. Kingma and J. Ba, "Adam: A method for stochastic optimization", ICLR 2015.
    .. [2] S. J. Reddi, S. Kale and S. Kumar, "On the convergence of Adam and beyond",
       ICLR 2018.

    Examples
    --------
    Thanks to the bias correction the first step moves each coordinate by about ``lr``,
    whatever the gradient's scale:

    >>> import numpy as np
    >>> from mlopt.optimizers import Adam
    >>> Adam(lr=0.1).step(np.array([1.0, 1.0]), np.array([100.0, -0.01])).round(6)
    array([0.9, 1.1])
    """

    _buffers = ("m", "v", "v_max")

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        self.betas = _check_betas(betas)
        self.eps = check_scalar("eps", eps, nonnegative=True)
        self.weight_decay = check_scalar("weight_decay", weight_decay, nonnegative=True)
        self.amsgrad = check_bool("amsgrad", amsgrad)
        super().__init__(lr)

    def _start(self, n):
        self.m = np.zeros(n)
        self.v = np.zeros(n)
        if self.amsgrad:
            self.v_max = np.zeros(n)

    def _update(self, x, g, lr, t):
        if self.weight_decay != 0:
            g = g + self.weight_decay * x
        return self._adam_step(x, g, lr, t)

    def _adam_step(self, x, g, lr, t):
        """The moment updates and the step, shared by :class:`Adam` and :class:`AdamW`."""
        beta1, beta2 = self.betas
        self.m = beta1 * self.m + (1 - beta1) * g
        self.v = beta2 * self.v + (1 - beta2) * g**2
        m_hat = self.m / (1 - beta1**t)
        if self.amsgrad:
            self.v_max = np.maximum(self.v_max, self.v)
            v_hat = self.v_max / (1 - beta2**t)
        else:
            v_hat = self.v / (1 - beta2**t)
        return x - lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay.

    Identical to :class:`Adam` except for the weight decay, which shrinks the parameters
    directly instead of entering the gradient [1]_:

    .. math::

        \begin{aligned}
        g_t &\leftarrow \nabla f(\theta_{t-1}) \\
        \theta_t &\leftarrow \theta_{t-1} - \eta \lambda \theta_{t-1} \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &\leftarrow m_t / (1 - \beta_1^t) \\
        v_t^{\max} &\leftarrow \max(v_{t-1}^{\max}, v_t) && \text{(if amsgrad)} \\
        \hat v_t &\leftarrow v_t^{\max} / (1 - \beta_2^t) && \text{(if amsgrad)} \\
        \hat v_t &\leftarrow v_t / (1 - \beta_2^t) && \text{(otherwise)} \\
        \theta_t &\leftarrow \theta_t - \eta \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)
        \end{aligned}

    Parameters
    ----------
    lr : float or callable, default 0.001
        Learning rate :math:`\eta`, in :math:`(0, \infty)`, or a schedule ``t -> lr``.
    betas : tuple of two floats, default (0.9, 0.999)
        Decay rates :math:`(\beta_1, \beta_2)` of the moment estimates, each in :math:`[0, 1)`.
    eps : float, default 1e-8
        Term :math:`\epsilon` added to the denominator, in :math:`[0, \infty)`.
    weight_decay : float, default 0.01
        Decoupled weight decay coefficient :math:`\lambda`, in :math:`[0, \infty)`: each step
        multiplies the parameters by :math:`1 - \eta \lambda`.
    amsgrad : bool, default False
        Normalise by the largest second moment seen so far (as in :class:`Adam`).

    Attributes
    ----------
    t : int
        Number of steps taken.
    m, v, v_max : ndarray or None
        As in :class:`Adam`.

    Notes
    -----
    With ``weight_decay`` in :class:`Adam` the penalty's gradient :math:`\lambda \theta` is
    divided by :math:`\sqrt{\hat v_t}` like the rest of the gradient. Here every coordinate
    shrinks by the same factor :math:`1 - \eta \lambda` per step. For plain SGD the two
    forms are the same update, :math:`\theta (1 - \eta\lambda) - \eta g`; for Adam they
    are not, which is the point of [1]_.

    The decay is multiplied by the (scheduled) learning rate :math:`\eta_t`, as in PyTorch.
    Loshchilov and Hutter write :math:`\theta_t = \theta_{t-1} - \eta_t (\alpha \hat m_t /
    (\sqrt{\hat v_t} + \epsilon) + \lambda' \theta_{t-1})`, where the decay is multiplied by
    the schedule multiplier :math:`\eta_t` but not by the learning rate :math:`\alpha`: their
    :math:`\lambda'` is :math:`\alpha \lambda` here. ``AdamW(weight_decay=0)`` is ``Adam()``.

    References
    ----------
    .. [1] I. Loshchilov and F. Hutter, "Decoupled weight decay regularization", ICLR 2019.

    Examples
    --------
    With a zero gradient only the decay acts: :math:`\theta (1 - \eta \lambda)`.

    >>> import numpy as np
    >>> from mlopt.optimizers import AdamW
    >>> AdamW(lr=0.1, weight_decay=0.5).step(np.array([2.0, -4.0]), np.zeros(2))
    array([ 1.9, -3.8])
    """

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad)

    def _update(self, x, g, lr, t):
        x = x - lr * self.weight_decay * x
        return self._adam_step(x, g, lr, t)


#: The optimizers by name, as get_optimizer and the estimators of mlopt.linear_model take them.
OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": SGD,
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adamw": AdamW,
}


def get_optimizer(name_or_instance, **kwargs) -> Optimizer:
    """Return an optimizer from its name and hyper-parameters, or pass an instance through.

    Parameters
    ----------
    name_or_instance : str or Optimizer
        One of ``"sgd"``, ``"adagrad"``, ``"rmsprop"``, ``"adam"``, ``"adamw"`` (case is
        ignored), or an :class:`Optimizer`, returned as is.
    **kwargs
        Hyper-parameters passed to the class; only with a name.

    Raises
    ------
    ValueError
        If the name is unknown, or keyword arguments come with an instance.

    Examples
    --------
    >>> from mlopt.optimizers import get_optimizer
    >>> get_optimizer("sgd", lr=0.1, momentum=0.9)
    SGD(lr=0.1, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0)
    """
    if isinstance(name_or_instance, Optimizer):
        if kwargs:
            raise ValueError(
                f"hyper-parameters {sorted(kwargs)} cannot be combined with an optimizer "
                f"instance ({name_or_instance!r}); pass a name, or set them on the instance."
            )
        return name_or_instance
    names = ", ".join(repr(name) for name in OPTIMIZERS)
    if not isinstance(name_or_instance, str) or name_or_instance.lower() not in OPTIMIZERS:
        raise ValueError(
            f"optimizer must be one of {names} or an Optimizer instance; got {name_or_instance!r}."
        )
    return OPTIMIZERS[name_or_instance.lower()](**kwargs)
