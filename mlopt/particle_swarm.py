"""Particle swarm optimisation (PSO) with a global best, an inertia weight and a box."""

from __future__ import annotations

import numpy as np

from ._callable_module import make_callable
from ._search_space import Evaluations, StopRun, check_bounds
from ._status import attach_partial_result
from ._validation import check_callback, check_integer, check_interval, check_rng

__all__ = ["particle_swarm"]


def particle_swarm(
    func,
    bounds,
    *,
    n_particles=30,
    max_iter=200,
    inertia=0.7298,
    cognitive=1.49618,
    social=1.49618,
    rng=None,
    callback=None,
):
    r"""Minimise a function over a box with global-best particle swarm optimisation.

    A swarm of :math:`n` particles moves through the box. Particle :math:`i` has a position
    :math:`x_i`, a velocity :math:`v_i` and remembers its personal best :math:`p_i`, the best
    position it has visited; :math:`g` is the best position any particle has visited (the
    global best). At every iteration, for every particle,

    .. math::

        v_i &\leftarrow w\, v_i + c_1 r_1 \odot (p_i - x_i) + c_2 r_2 \odot (g - x_i), \\
        x_i &\leftarrow x_i + v_i,

    where :math:`w` is the inertia weight, :math:`c_1` and :math:`c_2` are the cognitive and
    social acceleration coefficients, :math:`r_1, r_2` are vectors of independent
    :math:`\mathcal{U}(0, 1)` numbers drawn afresh for every particle, dimension and
    iteration, and :math:`\odot` is the element-wise product. Then :math:`f(x_i)` is
    evaluated, and :math:`p_i` and :math:`g` are updated where :math:`f` decreased.

    Parameters
    ----------
    func : callable
        ``func(x) -> float``, the objective :math:`f`, for ``x`` of shape ``(d,)``. A NaN or
        infinite value ranks as :math:`+\infty`; it does not stop the run.
    bounds : sequence of (float, float) or scipy.optimize.Bounds
        The box: ``d`` pairs ``(low, high)`` of finite numbers with ``low < high``.
    n_particles : int, default=30
        Swarm size :math:`n`, in ``[1, inf)``.
    max_iter : int, default=200
        Number of iterations (velocity and position updates of the whole swarm), in
        ``[0, inf)``.
    inertia : float, default=0.7298
        Inertia weight :math:`w`, in ``[0, inf)``. With :math:`w \ge 1` the swarm does not
        settle (the velocity clamp below keeps it inside the box).
    cognitive : float, default=1.49618
        Cognitive coefficient :math:`c_1` (pull towards the particle's own best), in
        ``[0, inf)``.
    social : float, default=1.49618
        Social coefficient :math:`c_2` (pull towards the swarm's best), in ``[0, inf)``.
    rng : None, int or numpy.random.Generator, optional
        Source of randomness, passed to :func:`numpy.random.default_rng` (SciPy's SPEC 7).
        The same int gives an identical run.
    callback : callable, optional
        ``callback(intermediate_result)`` is called after every evaluation (with ``nit``
        the number of iterations completed, 0 for the initial swarm) and after every
        iteration with an
        :class:`~scipy.optimize.OptimizeResult` holding ``x`` and ``fun`` (the global best so
        far), ``nit`` and ``nfev``. Returning ``True`` or raising ``StopIteration`` stops the
        run (status 3).

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x`` and ``fun`` (the best point evaluated, :math:`g`, and :math:`f(g)`), ``nit``
        (iterations done), ``nfev`` (calls of ``func``: ``n_particles * (nit + 1)``, the
        initial swarm and one evaluation per particle per iteration), ``success``,
        ``status`` (0 budget used, 2 no finite value seen, 3 stopped by the callback,
        4 interrupted by ``KeyboardInterrupt``: the codes of :mod:`mlopt._status`),
        ``message`` and ``history``, a dict with ``x`` of shape ``(nfev, d)`` and ``fun`` of
        shape ``(nfev,)``, every evaluation in order (particle by particle, iteration by
        iteration: row ``t * n_particles + i`` is particle ``i`` at iteration ``t``).

    Notes
    -----
    **Defaults.** Clerc and Kennedy [3]_ showed that the swarm converges when the velocity
    update is multiplied by the constriction factor

    .. math::

        \chi = \frac{2}{\left|2 - \varphi - \sqrt{\varphi^2 - 4\varphi}\right|},
        \qquad \varphi = \varphi_1 + \varphi_2 > 4,

    i.e. :math:`v_i \leftarrow \chi\,[v_i + \varphi_1 r_1 \odot (p_i - x_i) + \varphi_2 r_2
    \odot (g - x_i)]`. With :math:`\varphi_1 = \varphi_2 = 2.05`, :math:`\chi \approx 0.7298`
    and this is the inertia-weight update above [2]_ with :math:`w = \chi = 0.7298` and
    :math:`c_1 = c_2 = \chi \cdot 2.05 = 1.49618`: the defaults.

    **Initialisation.** Positions are uniform in the box; velocities are
    :math:`v_i = (u_i - x_i) / 2` with :math:`u_i` another uniform point of the box (as in
    the 2007 standard PSO), so the first move stays of the size of the swarm.

    **Velocity clamping.** Each velocity component is clipped to
    :math:`[-v_{\max,j}, v_{\max,j}]` with :math:`v_{\max,j} = \text{high}_j -
    \text{low}_j`, the width of the box: with the defaults the clamp rarely acts, but it keeps
    a swarm with :math:`w \ge 1` from exploding.

    **Boundary rule (absorbing walls).** A coordinate that leaves the box after the position
    update is set to the nearest bound and its velocity component to zero. Every evaluated
    point therefore lies inside the box, and a minimum on the boundary is reachable.

    Kennedy and Eberhart's original PSO [1]_ had no inertia weight (:math:`w = 1`, with
    velocity clamping as its only brake); Shi and Eberhart [2]_ introduced :math:`w`. This is
    the synchronous global-best variant: all particles move, then all personal bests and the
    global best are updated.

    References
    ----------
    .. [1] Kennedy, J. and Eberhart, R., "Particle swarm optimization", Proceedings of
       ICNN'95, International Conference on Neural Networks, vol. 4, pp. 1942-1948, 1995.
    .. [2] Shi, Y. and Eberhart, R., "A modified particle swarm optimizer", 1998 IEEE
       International Conference on Evolutionary Computation, pp. 69-73, 1998.
    .. [3] Clerc, M. and Kennedy, J., "The particle swarm -- explosion, stability, and
       convergence in a multidimensional complex space", IEEE Transactions on Evolutionary
       Computation 6(1):58-73, 2002.

    Examples
    --------
    >>> from mlopt.functions import sphere
    >>> from mlopt.particle_swarm import particle_swarm
    >>> res = particle_swarm(sphere, sphere.bounds(2), n_particles=20, max_iter=100, rng=0)
    >>> res.fun < 1e-10, res.nfev, res.history["x"].shape
    (True, 2020, (2020, 2))
    """
    lower, upper = check_bounds(bounds)
    n_particles = check_integer("n_particles", n_particles, 1)
    max_iter = check_integer("max_iter", max_iter, 0)
    w = check_interval("inertia", inertia, 0.0, np.inf, closed="left")
    c1 = check_interval("cognitive", cognitive, 0.0, np.inf, closed="left")
    c2 = check_interval("social", social, 0.0, np.inf, closed="left")
    rng = check_rng(rng)
    callback = check_callback(callback)
    evaluate = Evaluations(func, lower, upper)
    shape = (n_particles, lower.shape[0])
    v_max = upper - lower

    budget = f"max_iter = {max_iter} iterations"
    nit, status = 0, None
    try:
        # Initial swarm: uniform positions, velocities half-way towards another uniform point.
        x = rng.uniform(lower, upper, size=shape)
        v = (rng.uniform(lower, upper, size=shape) - x) / 2
        fx = evaluate(x, callback=callback)  # the callback may stop after any evaluation
        p, fp = x.copy(), fx.copy()  # personal bests
        g = p[np.argmin(fp)].copy()  # global best

        while nit < max_iter and status is None:
            r1 = rng.random(shape)
            r2 = rng.random(shape)
            v = w * v + c1 * r1 * (p - x) + c2 * r2 * (g - x)
            v = np.clip(v, -v_max, v_max)
            x = x + v
            # Absorbing walls: put an escaped coordinate on the bound and stop it there.
            outside = (x < lower) | (x > upper)
            x = np.clip(x, lower, upper)
            v[outside] = 0.0
            fx = evaluate(x, callback=callback, nit=nit)  # it may stop after any evaluation
            improved = fx < fp
            p[improved], fp[improved] = x[improved], fx[improved]
            g = p[np.argmin(fp)].copy()
            nit += 1
            if evaluate.stop(callback, nit):
                status = 3
    except StopRun:
        status = 3
    except KeyboardInterrupt:
        status = 4
    except Exception as exc:
        attach_partial_result(exc, evaluate.result(nit, 5, budget), "particle_swarm")
        raise
    return evaluate.result(nit, status, budget)


# `mlopt.particle_swarm(...)` calls the function of the same name (see mlopt._callable_module).
make_callable(__name__, particle_swarm)
