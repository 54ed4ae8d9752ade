r"""Learning-rate schedules: the step size as a function of the step count.

A schedule is a small callable object ``lr_t = schedule(t)``, where ``t = 0, 1, 2, ...`` counts
the optimizer steps already taken, so the first step uses ``schedule(0)``. Every optimizer in
:mod:`mlopt.optimizers` accepts a schedule wherever it accepts a constant ``lr``.

====================================  =========================================================
schedule                              learning rate at step :math:`t`
====================================  =========================================================
``constant(lr)``                      :math:`\eta`
``step_decay(lr, step_size, gamma)``  :math:`\eta \, \gamma^{\lfloor t / s \rfloor}`
``exponential(lr, gamma)``            :math:`\eta \, \gamma^{t}`
``inverse_time(lr, decay)``           :math:`\eta / (1 + c\, t)`
``cosine(lr, t_max, lr_min)``         :math:`\eta_{\min} + \tfrac12 (\eta - \eta_{\min})
                                      (1 + \cos(\pi t / T))` for :math:`t \le T`, then
                                      :math:`\eta_{\min}`
====================================  =========================================================

with :math:`\eta` = ``lr``, :math:`\gamma` = ``gamma``, :math:`s` = ``step_size``,
:math:`c` = ``decay``, :math:`T` = ``t_max`` and :math:`\eta_{\min}` = ``lr_min``.

Schedules are vectorised, so ``schedule(np.arange(100))`` gives the whole sequence for a plot;
a scalar ``t`` gives a Python ``float``. Their ``repr`` is the call that builds them, with no
memory address, so notebook outputs are reproducible text.

``step_decay``, ``exponential`` and ``cosine`` give the same learning rates as PyTorch's
``torch.optim.lr_scheduler.StepLR``, ``ExponentialLR`` and ``CosineAnnealingLR`` (for
:math:`t \le T`) when PyTorch's ``scheduler.step()`` is called after every ``optimizer.step()``;
the test-suite checks this against reference data recorded with PyTorch. Past :math:`t = T`,
PyTorch's cosine schedule climbs back up (it is periodic); here it stays at ``lr_min``.

For example:

>>> import numpy as np
>>> from mlopt.schedules import step_decay
>>> schedule = step_decay(lr=0.1, step_size=2, gamma=0.5)
>>> schedule
step_decay(lr=0.1, step_size=2, gamma=0.5)
>>> schedule(np.arange(6))
array([0.1  , 0.1  , 0.05 , 0.05 , 0.025, 0.025])
"""

from __future__ import annotations

import numpy as np

from ._validation import check_integer, check_interval, check_scalar, signature_repr

__all__ = ["Schedule", "constant", "step_decay", "exponential", "inverse_time", "cosine"]


class Schedule:
    """Base class of the schedules: step-count checks, vectorisation and ``repr``.

    Subclasses store their parameters under the names of their ``__init__`` arguments and
    implement ``_lr(t)`` for a float array ``t`` of step counts. Their names are lower case,
    like the functions they stand for (as ``functools.partial``): ``cosine(lr=0.1, t_max=100)``
    builds the schedule and is also its ``repr``.

    Examples
    --------
    A schedule that halves the learning rate every ``k`` steps:

    >>> import numpy as np
    >>> from mlopt.schedules import Schedule
    >>> class halving(Schedule):
    ...     def __init__(self, lr, k):
    ...         self.lr, self.k = lr, k
    ...     def _lr(self, t):
    ...         return self.lr * 0.5 ** np.floor(t / self.k)
    >>> sched = halving(lr=0.1, k=10)
    >>> sched
    halving(lr=0.1, k=10)
    >>> sched(25), sched(np.array([0, 10]))
    (0.025, array([0.1 , 0.05]))
    """

    def __call__(self, t):
        """Return the learning rate at step ``t`` (a float), or at every step of an array ``t``."""
        t_arr = np.asarray(t, dtype=float)
        if not np.all(np.isfinite(t_arr) & (t_arr >= 0)):
            raise ValueError(
                f"t must be a step count (or an array of them) in the range [0, inf); got {t!r}."
            )
        lr = self._lr(t_arr)
        return float(lr) if lr.ndim == 0 else lr

    def _lr(self, t: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return signature_repr(self)


class constant(Schedule):
    r"""The same learning rate at every step.

    .. math:: \eta_t = \eta

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta`, in :math:`(0, \infty)`.

    Examples
    --------
    >>> from mlopt.schedules import constant
    >>> constant(lr=0.1)(7)
    0.1
    """

    def __init__(self, lr):
        self.lr = check_scalar("lr", lr, positive=True)

    def _lr(self, t):
        return np.full_like(t, self.lr)


class step_decay(Schedule):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    .. math:: \eta_t = \eta \, \gamma^{\lfloor t / s \rfloor}

    with :math:`\eta` = ``lr``, :math:`\gamma` = ``gamma`` and :math:`s` = ``step_size``.

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta`, in :math:`(0, \infty)`.
    step_size : int
        Number of steps :math:`s` between two decays, an integer :math:`\ge 1`.
    gamma : float
        Decay factor :math:`\gamma`, in :math:`(0, 1]`.

    Notes
    -----
    Equals PyTorch's ``StepLR(optimizer, step_size, gamma)``.

    Examples
    --------
    >>> from mlopt.schedules import step_decay
    >>> schedule = step_decay(lr=1.0, step_size=10, gamma=0.1)
    >>> schedule(9), schedule(10), schedule(25)
    (1.0, 0.1, 0.010000000000000002)
    """

    def __init__(self, lr, step_size, gamma):
        self.lr = check_scalar("lr", lr, positive=True)
        self.step_size = check_integer("step_size", step_size, 1)
        self.gamma = check_interval("gamma", gamma, 0.0, 1.0, closed="right")

    def _lr(self, t):
        return self.lr * self.gamma ** (t // self.step_size)


class exponential(Schedule):
    r"""Multiply the learning rate by ``gamma`` at every step.

    .. math:: \eta_t = \eta \, \gamma^{t}

    with :math:`\eta` = ``lr`` and :math:`\gamma` = ``gamma``.

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta`, in :math:`(0, \infty)`.
    gamma : float
        Decay factor per step :math:`\gamma`, in :math:`(0, 1]`.

    Notes
    -----
    Equals PyTorch's ``ExponentialLR(optimizer, gamma)``. The learning rate halves every
    :math:`\ln 2 / \ln(1 / \gamma)` steps (about 69 steps for :math:`\gamma = 0.99`).

    Examples
    --------
    >>> from mlopt.schedules import exponential
    >>> exponential(lr=1.0, gamma=0.5)(3)
    0.125
    """

    def __init__(self, lr, gamma):
        self.lr = check_scalar("lr", lr, positive=True)
        self.gamma = check_interval("gamma", gamma, 0.0, 1.0, closed="right")

    def _lr(self, t):
        return self.lr * self.gamma**t


class inverse_time(Schedule):
    r"""Learning rate decaying like :math:`1/t`.

    .. math:: \eta_t = \frac{\eta}{1 + c t}

    with :math:`\eta` = ``lr`` and :math:`c` = ``decay``.

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta`, in :math:`(0, \infty)`.
    decay : float
        Decay rate :math:`c`, in :math:`[0, \infty)`; ``decay=0`` is a constant schedule.

    Notes
    -----
    For :math:`c > 0` the step sizes satisfy the Robbins-Monro conditions
    :math:`\sum_t \eta_t = \infty`, :math:`\sum_t \eta_t^2 < \infty` under which SGD
    converges on strongly convex problems [1]_. PyTorch's ``Adagrad(lr, lr_decay)`` applies
    this schedule internally: ``Adagrad(lr=lr, lr_decay=k)`` equals
    ``Adagrad(lr=inverse_time(lr, k))``.

    References
    ----------
    .. [1] L. Bottou, F. E. Curtis and J. Nocedal, "Optimization methods for large-scale
       machine learning", SIAM Review 60(2), 223-311, 2018.

    Examples
    --------
    >>> from mlopt.schedules import inverse_time
    >>> inverse_time(lr=1.0, decay=0.5)(2)
    0.5
    """

    def __init__(self, lr, decay):
        self.lr = check_scalar("lr", lr, positive=True)
        self.decay = check_scalar("decay", decay, nonnegative=True)

    def _lr(self, t):
        return self.lr / (1 + self.decay * t)


class cosine(Schedule):
    r"""Cosine annealing from ``lr`` down to ``lr_min`` in ``t_max`` steps.

    .. math::

        \eta_t = \begin{cases}
            \eta_{\min} + \frac12 (\eta - \eta_{\min})
                \left(1 + \cos\left(\pi \frac{t}{T}\right)\right) & t \le T, \\
            \eta_{\min} & t > T,
        \end{cases}

    with :math:`\eta` = ``lr``, :math:`\eta_{\min}` = ``lr_min`` and :math:`T` = ``t_max``.

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\eta`, in :math:`(0, \infty)`.
    t_max : int
        Number of steps :math:`T` of the annealing, an integer :math:`\ge 1`.
    lr_min : float, default 0.0
        Final learning rate :math:`\eta_{\min}`, in :math:`[0, \eta]`.

    Notes
    -----
    Equals PyTorch's ``CosineAnnealingLR(optimizer, T_max=t_max, eta_min=lr_min)`` for
    :math:`t \le T`; after :math:`T` PyTorch's schedule rises again (a period of :math:`2T`),
    this one stays at ``lr_min``. The cosine schedule comes from SGDR [1]_, without its restarts.

    With the default ``lr_min=0`` the learning rate reaches 0 at :math:`t = T` and stays
    there: the optimizers of :mod:`mlopt.optimizers` accept a zero learning rate from a
    schedule, and every step from :math:`t = T` on leaves the parameters where they are. Run
    at most ``t_max`` steps, or choose ``lr_min > 0``.

    References
    ----------
    .. [1] I. Loshchilov and F. Hutter, "SGDR: Stochastic gradient descent with warm restarts",
       ICLR 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.schedules import cosine
    >>> schedule = cosine(lr=1.0, t_max=4)
    >>> schedule
    cosine(lr=1.0, t_max=4, lr_min=0.0)
    >>> schedule(np.arange(6)).round(4)
    array([1.    , 0.8536, 0.5   , 0.1464, 0.    , 0.    ])
    """

    def __init__(self, lr, t_max, lr_min=0.0):
        self.lr = check_scalar("lr", lr, positive=True)
        self.t_max = check_integer("t_max", t_max, 1)
        self.lr_min = check_interval("lr_min", lr_min, 0.0, self.lr, closed="both")

    def _lr(self, t):
        annealed = self.lr_min + (self.lr - self.lr_min) * (1 + np.cos(np.pi * t / self.t_max)) / 2
        return np.where(t <= self.t_max, annealed, self.lr_min)
