"""Checks of the exercises on particle swarms, genetic algorithms, Bayesian optimisation."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm

from ._core import (
    _call,
    _check_function,
    _exercise,
    _integer,
    _Mistake,
    _need,
    _number,
)


@_exercise("pso-ex-constriction", "a function constriction(psi): Clerc's chi")
def _pso_constriction(answer, **context):
    _check_function(
        answer,
        [(4.1,), (4.5,), (5.0,), (6.0,)],
        lambda p: 2 / abs(2 - p - np.sqrt(p**2 - 4 * p)),
        rtol=1e-9,
        mistakes=[
            (
                "absolute-value",
                "chi must be positive: the formula takes an absolute value.",
                lambda p: 2 / (2 - p - np.sqrt(p**2 - 4 * p)),
            ),
        ],
    )
    return "Matches chi for 4 values of psi."


@_exercise(
    "pso-ex-stability",
    "a function spectral_radius(omega, c1, c2) of the averaged one-particle recurrence",
)
def _pso_stability(answer, **context):
    def radius(omega, c1, c2, phi=None):
        phi = (c1 + c2) / 2 if phi is None else phi
        return max(abs(np.roots([1.0, -(1 + omega - phi), omega])))

    cases = [
        (0.7298, 1.49618, 1.49618),
        (1.0, 2.0, 2.0),
        (0.5, 1.0, 1.0),
        (0.9, 2.5, 1.5),
        (0.4, 3.0, 3.0),
    ]
    _check_function(
        answer,
        cases,
        radius,
        rtol=1e-8,
        mistakes=[
            (
                "phi-not-halved",
                "c_bar is (c1 + c2)/2: r1 and r2 were replaced by their mean 1/2.",
                lambda o, c1, c2: radius(o, c1, c2, c1 + c2),
            ),
            (
                "missing-inertia",
                "The inertia term is missing: the velocity carries omega v_t into "
                "the next step, which makes the recurrence second order.",
                lambda o, c1, c2: abs(1 - (c1 + c2) / 2),
            ),
            (
                "smaller-root",
                "That is the smaller root's modulus; stability needs both below 1.",
                lambda o, c1, c2: min(abs(np.roots([1.0, -(1 + o - (c1 + c2) / 2), o]))),
            ),
        ],
    )
    return "Matches the spectral radius for 5 (omega, c1, c2), real and complex roots."


@_exercise(
    "pso-ex-budget",
    "a function max_iter_for(n_particles, budget): the particle_swarm "
    "max_iter that spends the budget",
)
def _pso_budget(answer, **context):
    cases = [(10, 3000), (30, 3000), (100, 3000), (20, 1220)]
    _check_function(
        answer,
        cases,
        lambda p, budget: budget // p - 1,
        rtol=0,
        mistakes=[
            (
                "off-by-one",
                "Off by one: max_iter counts the iterations after the initial "
                "evaluation of the swarm.",
                lambda p, budget: budget // p,
            ),
        ],
    )
    return "Spends exactly the budget for 4 swarm sizes."


@_exercise(
    "pso-ex-gd",
    "the number of function evaluations of one PSO run with 20 particles "
    "and max_iter = 60 (an integer)",
)
def _pso_gd(answer, **context):
    count = _integer(answer, "The count")
    if count == 20 * 61:
        return "Counts the initial swarm and the 60 iterations."
    if count == 20 * 60:
        raise _Mistake(
            "Off by one: the swarm is evaluated once before the first iteration.", "off-by-one"
        )
    raise _Mistake("Each iteration evaluates every particle once.")


@_exercise(
    "ga-ex-tournament",
    "a function win_probability(r, N, k) for rank r (1 = best), vectorised over r",
)
def _ga_tournament(answer, **context):
    cases = [(np.arange(1, N + 1), N, k) for N, k in ((10, 3), (5, 2), (30, 4))]
    _check_function(
        answer,
        cases,
        lambda r, N, k: ((N - r + 1.0) ** k - (N - r) ** k) / N**k,
        rtol=1e-10,
        mistakes=[
            (
                "reversed-ranks",
                "The ranks are reversed: rank 1 is the best.",
                lambda r, N, k: (r**k - (r - 1.0) ** k) / N**k,
            ),
            (
                "cumulative",
                "That is the probability that the winner's rank is at least r; subtract "
                "the same for r + 1.",
                lambda r, N, k: ((N - r + 1.0) / N) ** k,
            ),
        ],
    )
    return "Matches the winning probabilities of every rank for 3 (N, k)."


@_exercise("ga-ex-sbx", "a function sbx_beta(u, eta_c): the SBX spread factor for uniform u")
def _ga_sbx(answer, **context):
    def beta(u, eta, e=1.0):
        return np.where(u <= 0.5, (2 * u) ** (1 / (eta + e)), (2 * (1 - u)) ** (-1 / (eta + e)))

    u = np.linspace(0.01, 0.99, 33)
    _check_function(
        answer,
        [(u, 15.0), (u, 2.0)],
        beta,
        rtol=1e-10,
        mistakes=[
            (
                "exponent",
                "The exponent is 1/(eta_c + 1), not 1/eta_c.",
                lambda u, eta: beta(u, eta, 0.0),
            ),
            (
                "swapped-branches",
                "The branches are swapped: u <= 1/2 gives beta <= 1.",
                lambda u, eta: beta(1 - u, eta),
            ),
        ],
    )
    return "Matches the spread factor on 33 values of u for eta_c = 15 and 2."


@_exercise(
    "ga-ex-elitism",
    "a function population_bests(f_history, population_size, "
    "generations, elitism): the best value in the population after each generation",
)
def _ga_elitism(answer, **context):
    from ..functions import rastrigin
    from ..genetic_algorithm import genetic_algorithm

    def bests(f, N, G, e, block=None):
        block = N - e if block is None else block
        out = [f[:N].min()]
        for k in range(G):
            children = f[N + k * block : N + (k + 1) * block]
            out.append(min(children.min(), out[-1]) if e else children.min())
        return np.array(out)

    cases = []
    for e in (0, 1, 2):
        res = genetic_algorithm(
            rastrigin, rastrigin.bounds(3), population_size=10, generations=15, elitism=e, rng=0
        )
        cases.append((res.history["fun"], 10, 12, e))  # fewer than run: no slice runs out
    _check_function(
        answer,
        cases,
        bests,
        rtol=1e-12,
        mistakes=[
            (
                "off-by-one",
                "Off by one in the generation blocks: the elites are not evaluated "
                "again, so a generation evaluates population_size - elitism children.",
                lambda f, N, G, e: bests(f, N, G, e, N) if e else bests(f, N, G, e),
            ),
            (
                "best-ever",
                "That is the best value ever found; without elitism the population can "
                "lose its best individual.",
                lambda f, N, G, e: np.minimum.accumulate(bests(f, N, G, e)),
            ),
        ],
    )
    return "Matches the population's best per generation for elitism 0, 1 and 2."


@_exercise(
    "ga-ex-pso",
    "a function generations_for(budget, population_size, elitism): the "
    "genetic_algorithm generations that spend about the budget",
)
def _ga_pso(answer, **context):
    cases = [(3000, 30, 1), (3000, 30, 0), (1000, 20, 2), (500, 50, 5)]
    for budget, N, e in cases:
        g = _integer(_call(answer, budget, N, e), "The number of generations")
        exact = (budget - N) / (N - e)
        if g in (math.floor(exact), math.ceil(exact)):
            continue
        if g in (budget // N, budget // N - 1):
            raise _Mistake(
                "The initial population is evaluated once, and the elites are not "
                "evaluated again: a generation costs population_size - elitism "
                "evaluations.",
                "budget-per-generation",
            )
        raise _Mistake(
            "That number of generations does not spend the budget: nfev = "
            "population_size + generations (population_size - elitism)."
        )
    return "Spends the budget to within one generation for 4 settings."


@_exercise(
    "bo-ex-ei", "a function ei(mu, sigma, f_best, xi): expected improvement for minimisation"
)
def _bo_ei(answer, **context):
    def ei(mu, s, f, xi, sign=1.0, pdf=True):
        a = sign * (f - xi - mu)
        z = a / s
        return a * norm.cdf(z) + (s * norm.pdf(z) if pdf else 0)

    mu = np.array([0.5, -0.3, 1.0, 0.0, -1.5])
    sigma = np.array([1.0, 0.2, 0.3, 2.0, 0.5])
    cases = [(mu, sigma, 0.0, 0.01), (mu, sigma, -1.0, 0.0)]
    _check_function(
        answer,
        cases,
        ei,
        rtol=1e-8,
        atol=1e-12,
        mistakes=[
            (
                "maximisation",
                "That is the improvement for maximisation; here f must fall below f* - xi.",
                lambda m, s, f, xi: ei(-m, s, -f, xi),
            ),
            (
                "missing-sigma-term",
                "The term sigma phi(z) is missing.",
                lambda m, s, f, xi: ei(m, s, f, xi, pdf=False),
            ),
        ],
    )
    return "Matches the closed form at 5 posteriors for 2 (f*, xi)."


@_exercise(
    "bo-ex-pi-greedy",
    "a function pi(mu, sigma, f_best, xi): probability of improvement for minimisation",
)
def _bo_pi(answer, **context):
    mu = np.array([0.5, -0.3, 1.0, 0.0, -1.5])
    sigma = np.array([1.0, 0.2, 0.3, 2.0, 0.5])
    cases = [(mu, sigma, 0.0, 0.1), (mu, sigma, -1.0, 0.5)]
    _check_function(
        answer,
        cases,
        lambda m, s, f, xi: norm.cdf((f - xi - m) / s),
        rtol=1e-8,
        atol=1e-12,
        mistakes=[
            (
                "margin-sign",
                "The margin has the wrong sign: an improvement must go xi below f*.",
                lambda m, s, f, xi: norm.cdf((f + xi - m) / s),
            ),
            (
                "maximisation",
                "That is the probability of improvement for maximisation.",
                lambda m, s, f, xi: norm.cdf((m - f - xi) / s),
            ),
        ],
    )
    return "Matches PI at 5 posteriors for 2 (f*, xi)."


@_exercise("bo-ex-kappa", "a function lcb(mu, sigma, kappa): the lower confidence bound")
def _bo_kappa(answer, **context):
    mu, sigma = np.array([0.5, -0.3, 1.0]), np.array([1.0, 0.2, 0.3])
    cases = [(mu, sigma, k) for k in (0.0, 2.0, 20.0)]
    _check_function(
        answer,
        cases,
        lambda m, s, k: m - k * s,
        rtol=1e-10,
        mistakes=[
            (
                "upper-bound",
                "That is the upper confidence bound; minimisation subtracts kappa sigma.",
                lambda m, s, k: m + k * s,
            ),
            (
                "variance",
                "kappa multiplies the standard deviation, not the variance.",
                lambda m, s, k: m - k * s**2,
            ),
        ],
    )
    return "Matches mu - kappa sigma for 3 values of kappa."


@_exercise(
    "bo-ex-noisy",
    "the point to report (a float); needs model= (the result of bayesian_optimization, or its "
    "model, then best_observed= is optional) and grid=",
)
def _bo_noisy(answer, **context):
    model, grid = _need(context, "model", "grid")
    observed = context.get("best_observed")
    if hasattr(model, "model"):  # the result of bayesian_optimization: its model and best x
        model, observed = model.model, model.x if observed is None else observed
    grid = np.asarray(grid, dtype=float)
    x = _number(answer, "The point")
    mean = np.ravel(model.predict(grid[:, None]))
    ref = grid[np.argmin(mean)]
    spacing = float(np.max(np.diff(grid))) if grid.size > 1 else 0.0
    if abs(x - ref) <= spacing + 1e-12:
        return "That is the minimiser of the posterior mean (to one grid step)."
    if observed is not None and abs(x - float(np.ravel(observed)[0])) <= spacing + 1e-12:
        raise _Mistake(
            "That is the best observed point: the minimum of noisy values is biased "
            "low, and it ignores the other evaluations.",
            "best-observed",
        )
    raise _Mistake("That point does not minimise the posterior mean on the grid.")


@_exercise(
    "bo-ex-evidence",
    "a function scale_length(theta, factor): the kernel's theta with "
    "the length scale (theta[1]) multiplied by factor",
)
def _bo_evidence(answer, **context):
    theta = np.log(np.array([1.7, 0.4, 0.01]))
    cases = [(theta, f) for f in (0.1, 10.0, 2.0)]

    def ref(t, f):
        return t + np.log(f) * np.array([0.0, 1.0, 0.0])

    _check_function(
        answer,
        cases,
        ref,
        rtol=1e-10,
        mistakes=[
            (
                "log-scale",
                "theta holds logarithms: multiplying the length scale adds log(factor).",
                lambda t, f: t * np.array([1.0, f, 1.0]),
            ),
            (
                "log-scale",
                "theta holds logarithms: add log(factor), not factor.",
                lambda t, f: t + f * np.array([0.0, 1.0, 0.0]),
            ),
            (
                "wrong-entry",
                "The length scale is theta[1]; theta[0] is the amplitude.",
                lambda t, f: t + np.log(f) * np.array([1.0, 0.0, 0.0]),
            ),
        ],
    )
    return "Multiplies the length scale by 3 factors and leaves the rest alone."
