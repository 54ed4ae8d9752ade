"""A real-coded genetic algorithm: tournament selection, SBX crossover, polynomial mutation."""

from __future__ import annotations

import numpy as np

from ._callable_module import make_callable
from ._search_space import Evaluations, StopRun, check_bounds
from ._status import attach_partial_result
from ._validation import check_callback, check_integer, check_interval, check_rng

__all__ = ["genetic_algorithm"]

# Distribution indices of SBX and of polynomial mutation: larger values keep children
# closer to their parents. 15 and 20 are the usual choices (e.g. in NSGA-II codes).
ETA_CROSSOVER = 15.0
ETA_MUTATION = 20.0


def tournament(f, n, size, rng):
    """Indices of ``n`` winners of tournaments of ``size`` individuals drawn with replacement."""
    entrants = rng.integers(0, f.shape[0], size=(n, size))
    return entrants[np.arange(n), np.argmin(f[entrants], axis=1)]


def sbx_crossover(parents_a, parents_b, eta, rng):
    r"""Simulated binary crossover of two arrays of parents, gene by gene (no bounds).

    With :math:`u \sim \mathcal{U}(0, 1)`, the spread factor :math:`\beta` is
    :math:`(2u)^{1/(\eta+1)}` if :math:`u \le 1/2`, else :math:`(2(1-u))^{-1/(\eta+1)}`.
    """
    u = rng.random(parents_a.shape)
    beta = np.where(
        u <= 0.5,
        (2 * u) ** (1 / (eta + 1)),
        (2 * (1 - u)) ** (-1 / (eta + 1)),  # u < 1, so 1 - u > 0
    )
    child_a = 0.5 * ((1 + beta) * parents_a + (1 - beta) * parents_b)
    child_b = 0.5 * ((1 - beta) * parents_a + (1 + beta) * parents_b)
    return child_a, child_b


def polynomial_mutation(x, rate, eta, lower, upper, rng):
    r"""Polynomial mutation: each gene moves by :math:`\delta` box widths with probability ``rate``.

    With :math:`u \sim \mathcal{U}(0, 1)`, :math:`\delta = (2u)^{1/(\eta+1)} - 1` if
    :math:`u < 1/2`, else :math:`1 - (2(1-u))^{1/(\eta+1)}`, so :math:`\delta \in (-1, 1)`.
    """
    u = rng.random(x.shape)
    delta = np.where(
        u < 0.5,
        (2 * u) ** (1 / (eta + 1)) - 1,
        1 - (2 * (1 - u)) ** (1 / (eta + 1)),
    )
    mutate = rng.random(x.shape) < rate
    return np.where(mutate, x + delta * (upper - lower), x)


def genetic_algorithm(
    func,
    bounds,
    *,
    population_size=50,
    generations=100,
    crossover_rate=0.9,
    mutation_rate=None,
    tournament_size=3,
    elitism=1,
    rng=None,
    callback=None,
):
    r"""Minimise a function over a box with a real-coded genetic algorithm.

    A population of :math:`N` individuals (points :math:`x \in \mathbb{R}^d`, their genes
    the coordinates :math:`x_j`) evolves for a number of generations. Each generation keeps
    the ``elitism`` best individuals unchanged and breeds :math:`N - \text{elitism}` children:

    1. **Selection.** Each parent is the best (lowest :math:`f`) of ``tournament_size``
       individuals drawn at random with replacement.
    2. **Crossover.** With probability ``crossover_rate`` a pair of parents :math:`a, b`
       is recombined by simulated binary crossover (SBX) [2]_, gene by gene:

       .. math::

           x^{(1)}_j = \tfrac12 \left[ (1 + \beta_j)\, a_j + (1 - \beta_j)\, b_j \right],
           \qquad
           x^{(2)}_j = \tfrac12 \left[ (1 - \beta_j)\, a_j + (1 + \beta_j)\, b_j \right],

       .. math::

           \beta_j = \begin{cases}
               (2 u_j)^{1/(\eta_c + 1)} & u_j \le \tfrac12, \\
               \left(2 (1 - u_j)\right)^{-1/(\eta_c + 1)} & u_j > \tfrac12,
           \end{cases}
           \qquad u_j \sim \mathcal{U}(0, 1),

       so that the children are spread around the parents as a one-point crossover of
       binary strings spreads them, and their mean is the parents' mean. Otherwise the
       children are copies of the parents.
    3. **Mutation.** Each gene of each child is mutated with probability ``mutation_rate``
       by polynomial mutation [3]_:

       .. math::

           x_j \leftarrow x_j + \delta_j\, (\text{high}_j - \text{low}_j),
           \qquad
           \delta_j = \begin{cases}
               (2 u_j)^{1/(\eta_m + 1)} - 1 & u_j < \tfrac12, \\
               1 - \left(2 (1 - u_j)\right)^{1/(\eta_m + 1)} & u_j \ge \tfrac12.
           \end{cases}

    4. **Repair and evaluation.** Children are clipped to the box, so every evaluated point
       lies inside it, and :math:`f` is evaluated at each child.

    The distribution indices are fixed at :math:`\eta_c = 15` and :math:`\eta_m = 20`.

    Parameters
    ----------
    func : callable
        ``func(x) -> float``, the objective :math:`f`, for ``x`` of shape ``(d,)``. A NaN or
        infinite value ranks as :math:`+\infty` (the individual loses every tournament
        against a finite one); it does not stop the run.
    bounds : sequence of (float, float) or scipy.optimize.Bounds
        The box: ``d`` pairs ``(low, high)`` of finite numbers with ``low < high``.
    population_size : int, default=50
        Number of individuals :math:`N`, in ``[2, inf)``.
    generations : int, default=100
        Number of generations bred after the initial population, in ``[0, inf)``.
    crossover_rate : float, default=0.9
        Probability that a pair of parents is recombined, in ``[0, 1]``.
    mutation_rate : float, optional
        Probability that a gene is mutated, in ``[0, 1]``; default ``1 / d``, one mutated
        gene per child on average.
    tournament_size : int, default=3
        Individuals per tournament, in ``[1, population_size]``; 1 is random selection,
        larger values raise the selection pressure.
    elitism : int, default=1
        Number of best individuals copied unchanged into the next generation, in
        ``[0, population_size - 1]``.
    rng : None, int or numpy.random.Generator, optional
        Source of randomness, passed to :func:`numpy.random.default_rng` (SciPy's SPEC 7).
        The same int gives an identical run.
    callback : callable, optional
        ``callback(intermediate_result)`` is called after every evaluation (with ``nit``
        the number of generations completed, 0 for the initial population) and after every
        generation with an
        :class:`~scipy.optimize.OptimizeResult` holding ``x`` and ``fun`` (the best so far),
        ``nit`` and ``nfev``. Returning ``True`` or raising ``StopIteration`` stops the run
        (status 3).

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x`` and ``fun`` (the best point evaluated and its value), ``nit`` (generations
        bred), ``nfev`` (calls of ``func``: ``population_size + nit * (population_size -
        elitism)``; elites are not evaluated again), ``success``, ``status`` (0 budget used,
        2 no finite value seen, 3 stopped by the callback, 4 interrupted by
        ``KeyboardInterrupt``: the codes of :mod:`mlopt._status`), ``message`` and
        ``history``, a dict with ``x`` of shape ``(nfev, d)`` and ``fun`` of shape
        ``(nfev,)``, every evaluation in order.

    Notes
    -----
    Holland's genetic algorithm [1]_ works on binary strings; this real-coded variant
    works on the coordinates directly, with SBX standing in for one-point crossover and
    polynomial mutation for bit flips. Selection uses only the ranking of :math:`f`, so
    the algorithm is unchanged by any increasing transformation of :math:`f`.

    References
    ----------
    .. [1] Holland, J. H., "Adaptation in Natural and Artificial Systems", University of
       Michigan Press, Ann Arbor, 1975.
    .. [2] Deb, K. and Agrawal, R. B., "Simulated binary crossover for continuous search
       space", Complex Systems 9(2):115-148, 1995.
    .. [3] Deb, K. and Goyal, M., "A combined genetic adaptive search (GeneAS) for
       engineering design", Computer Science and Informatics 26(4):30-45, 1996.

    Examples
    --------
    >>> from mlopt.functions import sphere
    >>> from mlopt.genetic_algorithm import genetic_algorithm
    >>> res = genetic_algorithm(sphere, sphere.bounds(2), generations=50, rng=0)
    >>> res.fun < 1e-3, res.nfev, res.history["fun"].shape
    (True, 2500, (2500,))
    """
    lower, upper = check_bounds(bounds)
    d = lower.shape[0]
    N = check_integer("population_size", population_size, 2)
    generations = check_integer("generations", generations, 0)
    crossover_rate = check_interval("crossover_rate", crossover_rate, 0.0, 1.0, closed="both")
    if mutation_rate is None:
        mutation_rate = 1.0 / d
    mutation_rate = check_interval("mutation_rate", mutation_rate, 0.0, 1.0, closed="both")
    tournament_size = check_integer("tournament_size", tournament_size, 1, N)
    elitism = check_integer("elitism", elitism, 0, N - 1)
    rng = check_rng(rng)
    callback = check_callback(callback)
    evaluate = Evaluations(func, lower, upper)
    n_children = N - elitism
    n_pairs = (n_children + 1) // 2

    budget = f"generations = {generations} generations"
    nit, status = 0, None
    try:
        population = rng.uniform(lower, upper, size=(N, d))
        f = evaluate(population, callback=callback)  # the callback may stop after any of these

        while nit < generations and status is None:
            # Step 1: selection by tournament, two parents per pair.
            a = population[tournament(f, n_pairs, tournament_size, rng)]
            b = population[tournament(f, n_pairs, tournament_size, rng)]
            # Step 2: SBX crossover of a fraction crossover_rate of the pairs.
            child_a, child_b = sbx_crossover(a, b, ETA_CROSSOVER, rng)
            crossed = rng.random((n_pairs, 1)) < crossover_rate
            child_a, child_b = np.where(crossed, child_a, a), np.where(crossed, child_b, b)
            children = np.concatenate([child_a, child_b])[:n_children]
            # Step 3: polynomial mutation, gene by gene.
            children = polynomial_mutation(children, mutation_rate, ETA_MUTATION, lower, upper, rng)
            # Step 4: repair (clip to the box) and evaluate; the elites survive unchanged.
            children = np.clip(children, lower, upper)
            elite = np.argsort(f, kind="stable")[:elitism]
            population = np.concatenate([population[elite], children])
            f = np.concatenate([f[elite], evaluate(children, callback=callback, nit=nit)])
            nit += 1
            if evaluate.stop(callback, nit):
                status = 3
    except StopRun:
        status = 3
    except KeyboardInterrupt:
        status = 4
    except Exception as exc:
        attach_partial_result(exc, evaluate.result(nit, 5, budget), "genetic_algorithm")
        raise
    return evaluate.result(nit, status, budget)


# `mlopt.genetic_algorithm(...)` calls the function of the same name (see mlopt._callable_module).
make_callable(__name__, genetic_algorithm)
