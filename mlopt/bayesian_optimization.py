"""Bayesian optimisation with a Gaussian-process surrogate and EI, PI or LCB acquisition."""

from __future__ import annotations

import functools

import numpy as np
from scipy.linalg.lapack import dtrtrs
from scipy.optimize import minimize
from scipy.spatial.distance import cdist
from scipy.special import ndtr
from scipy.stats import qmc
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler
from threadpoolctl import ThreadpoolController

from ._callable_module import make_callable
from ._gp_hyperparameters import maximise_marginal_likelihood
from ._search_space import Evaluations, check_bounds
from ._status import attach_partial_result
from ._validation import check_callback, check_integer, check_interval, check_rng

__all__ = [
    "bayesian_optimization",
    "expected_improvement",
    "probability_of_improvement",
    "lower_confidence_bound",
    "fit_gp",
]

ACQUISITIONS = ("ei", "pi", "lcb", "ucb")  # "ucb" is an alias of "lcb" (GP-UCB)
# The acquisition is maximised by L-BFGS-B from the N_STARTS best of N_CANDIDATES uniform
# points of the unit cube, plus the incumbent (the best point evaluated so far).
N_CANDIDATES = 5000
N_STARTS = 10
# Finite-difference step (in unit-cube widths) and evaluation cap of each L-BFGS-B run.
# The posterior standard deviation is a difference of nearly equal numbers near the data,
# so steps of 1e-8 (scipy's default) see rounding noise and stall the line search. Runs
# that reach the cap (about one in ten on Branin) have located a sharp peak of the
# acquisition to about seven digits and only fail line searches there; before the cap (200)
# they took half of the search's evaluations.
LBFGSB_EPS = 1e-6
LBFGSB_MAXFUN = 50
# Restarts of the GP's hyper-parameter search (maximum marginal likelihood).
N_RESTARTS_GP = 2


def expected_improvement(mu, sigma, best, xi=0.01):
    r"""Expected improvement (EI) over ``best`` for minimisation, with margin ``xi``.

    With the posterior mean :math:`\mu(x)`, standard deviation :math:`\sigma(x)`, the best
    value seen :math:`f^*` and :math:`z = (f^* - \mu - \xi) / \sigma`,

    .. math::

        \mathrm{EI}(x) = \mathbb{E}\left[\max(f^* - \xi - f(x), 0)\right]
        = (f^* - \mu - \xi)\, \Phi(z) + \sigma\, \varphi(z),

    where :math:`\Phi` and :math:`\varphi` are the standard normal CDF and density. Where
    :math:`\sigma = 0` it is :math:`\max(f^* - \mu - \xi, 0)`.

    Parameters
    ----------
    mu, sigma : array_like
        Posterior mean and standard deviation (``sigma >= 0``), of the same shape.
    best : float
        The best (lowest) value observed, :math:`f^*`.
    xi : float, default=0.01
        Exploration margin :math:`\xi \ge 0`, in the units of :math:`f`: only improvements
        larger than :math:`\xi` count.

    Returns
    -------
    ndarray
        :math:`\mathrm{EI} \ge 0`, of the shape of ``mu``.

    References
    ----------
    Jones, Schonlau and Welch, "Efficient global optimization of expensive black-box
    functions", Journal of Global Optimization 13(4):455-492, 1998.

    Examples
    --------
    >>> from mlopt.bayesian_optimization import expected_improvement
    >>> expected_improvement([0.0, 1.0], [1.0, 0.0], best=0.5, xi=0.0).round(4)
    array([0.6978, 0.    ])
    """
    mu, sigma = _check_posterior(mu, sigma)
    best = check_interval("best", best)
    xi = check_interval("xi", xi, 0.0, np.inf, closed="left")
    return _expected_improvement(mu, sigma, best, xi)


def _expected_improvement(mu, sigma, best, xi):
    """:func:`expected_improvement` of checked float arrays, without input checks."""
    improvement = best - mu - xi
    # Far from the incumbent z -> -inf and Phi(z), phi(z) -> 0: overflow and underflow are
    # the right answer there, not a problem to report.
    with np.errstate(over="ignore", under="ignore"):
        z = np.divide(improvement, sigma, out=np.zeros_like(improvement), where=sigma > 0)
        ei = np.where(
            sigma > 0, improvement * _Phi(z) + sigma * _phi(z), np.maximum(improvement, 0.0)
        )
    return np.maximum(ei, 0.0)  # rounding can leave -1e-17 far from the incumbent


def probability_of_improvement(mu, sigma, best, xi=0.01):
    r"""Probability of improvement (PI) over ``best`` for minimisation, with margin ``xi``.

    .. math::

        \mathrm{PI}(x) = P\left(f(x) < f^* - \xi\right) = \Phi\!\left(\frac{f^* - \mu - \xi}
        {\sigma}\right),

    and, where :math:`\sigma = 0`, 1 if :math:`\mu < f^* - \xi` else 0 (Kushner, 1964).

    Parameters
    ----------
    mu, sigma : array_like
        Posterior mean and standard deviation (``sigma >= 0``), of the same shape.
    best : float
        The best (lowest) value observed, :math:`f^*`.
    xi : float, default=0.01
        Exploration margin :math:`\xi \ge 0`, in the units of :math:`f`.

    Returns
    -------
    ndarray
        PI in :math:`[0, 1]`, of the shape of ``mu``.

    References
    ----------
    Kushner, "A new method of locating the maximum point of an arbitrary multipeak curve in
    the presence of noise", Journal of Basic Engineering 86(1):97-106, 1964.

    Examples
    --------
    >>> from mlopt.bayesian_optimization import probability_of_improvement
    >>> probability_of_improvement([0.0, 1.0], [1.0, 0.0], best=0.5, xi=0.0).round(4)
    array([0.6915, 0.    ])
    """
    mu, sigma = _check_posterior(mu, sigma)
    best = check_interval("best", best)
    xi = check_interval("xi", xi, 0.0, np.inf, closed="left")
    return _probability_of_improvement(mu, sigma, best, xi)


def _probability_of_improvement(mu, sigma, best, xi):
    """:func:`probability_of_improvement` of checked float arrays, without input checks."""
    improvement = best - mu - xi
    with np.errstate(over="ignore", under="ignore"):  # z -> -inf gives Phi(z) = 0
        z = np.divide(improvement, sigma, out=np.zeros_like(improvement), where=sigma > 0)
        return np.where(sigma > 0, _Phi(z), (improvement > 0).astype(float))


def lower_confidence_bound(mu, sigma, kappa=1.96):
    r"""Lower confidence bound (LCB), the minimisation form of GP-UCB.

    .. math::

        \mathrm{LCB}(x) = \mu(x) - \kappa\, \sigma(x).

    The next point minimises LCB (equivalently maximises UCB of :math:`-f`), optimism in
    the face of uncertainty (Srinivas et al., 2010).

    Parameters
    ----------
    mu, sigma : array_like
        Posterior mean and standard deviation (``sigma >= 0``), of the same shape.
    kappa : float, default=1.96
        Width of the band :math:`\kappa \ge 0`; larger values explore more.

    Returns
    -------
    ndarray
        LCB, of the shape of ``mu``.

    References
    ----------
    Srinivas, Krause, Kakade and Seeger, "Gaussian process optimization in the bandit
    setting: no regret and experimental design", ICML 2010, pp. 1015-1022.

    Examples
    --------
    >>> from mlopt.bayesian_optimization import lower_confidence_bound
    >>> lower_confidence_bound([0.0, 1.0], [1.0, 0.0], kappa=2.0)
    array([-2.,  1.])
    """
    mu, sigma = _check_posterior(mu, sigma)
    kappa = check_interval("kappa", kappa, 0.0, np.inf, closed="left")
    return _lower_confidence_bound(mu, sigma, kappa)


def _lower_confidence_bound(mu, sigma, kappa):
    """:func:`lower_confidence_bound` of checked float arrays, without input checks."""
    return mu - kappa * sigma


def _Phi(z):
    """The standard normal CDF (``scipy.stats.norm.cdf`` without its per-call overhead)."""
    return ndtr(z)


def _phi(z):
    """The standard normal density, computed as ``scipy.stats.norm.pdf`` computes it."""
    return np.exp(-(z**2) / 2.0) / np.sqrt(2 * np.pi)


def _check_posterior(mu, sigma):
    """``mu`` and ``sigma`` as broadcast float arrays; real, finite, ``sigma >= 0``."""
    arrays = []
    for name, value in (("mu", mu), ("sigma", sigma)):
        if value is None or np.iscomplexobj(value):
            raise ValueError(f"{name} must be real numbers; got {value!r}.")
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be real numbers; got {value!r}.") from exc
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must contain only finite numbers; got {value!r}.")
        arrays.append(arr)
    if np.any(arrays[1] < 0):
        raise ValueError(
            f"sigma is a standard deviation and must be in the range [0, inf); got {sigma!r}."
        )
    try:
        return np.broadcast_arrays(*arrays)
    except ValueError as exc:
        raise ValueError(
            f"mu and sigma must have the same shape; got {arrays[0].shape} and {arrays[1].shape}."
        ) from exc


def _seed(rng):
    """An int for scikit-learn's ``random_state`` (which takes no Generator) from ``rng``."""
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**31 - 1))
    return check_integer("rng", rng, 0, 2**32 - 1)


@functools.cache
def _threadpool_controller():
    """One :class:`threadpoolctl.ThreadpoolController` (finding the libraries costs ~0.4 ms)."""
    return ThreadpoolController()


def _one_blas_thread():
    """A context in which BLAS and OpenMP use one thread, like ``threadpool_limits(1)``."""
    return _threadpool_controller().limit(limits=1)


def fit_gp(X, y, bounds, *, rng=0):
    r"""Fit the Gaussian-process surrogate of :func:`bayesian_optimization` to data.

    The model is a :class:`sklearn.gaussian_process.GaussianProcessRegressor` with the kernel

    .. math::

        k(x, x') = \sigma_f^2\, \mathrm{Matern}_{5/2}\!\left(\frac{x - x'}{\ell}\right)
        + \sigma_n^2\, [x = x'],

    one length scale :math:`\ell_j` per coordinate, on inputs scaled to the unit cube
    (``MinMaxScaler`` fitted to ``bounds``) and outputs standardised (``normalize_y=True``).
    The amplitude :math:`\sigma_f^2 \in [10^{-3}, 10^3]`, the length scales
    :math:`\ell_j \in [10^{-2}, 10^2]` (in unit-cube widths) and the noise
    :math:`\sigma_n^2 \in [10^{-10}, 10^{-1}]` maximise the marginal likelihood
    (Rasmussen and Williams, 2006, ch. 5), from the initial values and two random restarts.
    The search is the one ``GaussianProcessRegressor.fit`` makes (the same starts, drawn
    from the same ``random_state``, the same L-BFGS-B), run on the marginal likelihood of
    this one kernel written in NumPy (``mlopt._gp_hyperparameters``), several times
    cheaper than scikit-learn's likelihood for any kernel; the regressor then gets the
    chosen kernel with ``optimizer=None``.

    Parameters
    ----------
    X : array_like of shape (n, d)
        Points inside ``bounds``.
    y : array_like of shape (n,)
        Values of :math:`f` at ``X``; rows with a NaN or infinite value are left out.
    bounds : sequence of (float, float) or scipy.optimize.Bounds
        The box, as given to :func:`bayesian_optimization`.
    rng : int or numpy.random.Generator, default=0
        Seeds the random restarts of the hyper-parameter search. With the default the fit
        is a deterministic function of the data, the one :func:`bayesian_optimization`
        makes at every iteration: refitting to the first ``k`` rows of ``res.history``
        reproduces the surrogate the run used to choose point ``k + 1``.

    Returns
    -------
    model : sklearn.pipeline.Pipeline
        ``Pipeline([("unit_cube", scaler), ("gp", gp)])``, fitted. Call
        ``model.predict(X_new, return_std=True)`` with points in the original coordinates
        for the posterior mean and standard deviation; ``model["gp"].kernel_`` is the fitted
        kernel.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.functions import branin
    >>> from mlopt.bayesian_optimization import fit_gp
    >>> X = np.array([[0, 5], [5, 5], [-3, 12], [9, 2], [2, 10], [7, 13]], dtype=float)
    >>> model = fit_gp(X, branin(X), branin.bounds())
    >>> mu, sigma = model.predict(X, return_std=True)  # at the data: close to f, sure
    >>> mu_far, sigma_far = model.predict([[10.0, 15.0]], return_std=True)  # far: unsure
    >>> bool(np.allclose(mu, branin(X), rtol=1e-3)), bool(sigma_far[0] > 10 * sigma.max())
    (True, True)
    """
    lower, upper = check_bounds(bounds)
    d = lower.shape[0]
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != d or y.shape != (X.shape[0],):
        raise ValueError(
            f"X must have shape (n, {d}) and y shape (n,); got {X.shape} and {y.shape}."
        )
    keep = np.isfinite(y)
    if not np.any(keep):
        raise ValueError("y must hold at least one finite value to fit the surrogate.")
    kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
        length_scale=np.full(d, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5
    ) + WhiteKernel(1e-6, (1e-10, 1e-1))
    scaler = MinMaxScaler().fit(np.vstack([lower, upper]))
    Z = scaler.transform(X[keep])
    with _one_blas_thread():
        # One BLAS thread: on these small matrices threads only add overhead (ten-fold on
        # a busy two-core machine).
        # The search GaussianProcessRegressor.fit would make (same starts, same L-BFGS-B),
        # on a likelihood written for this kernel: see mlopt._gp_hyperparameters.
        theta = maximise_marginal_likelihood(
            Z, y[keep], kernel.theta, kernel.bounds, N_RESTARTS_GP, _seed(rng)
        )
        gp = GaussianProcessRegressor(
            kernel.clone_with_theta(theta), normalize_y=True, optimizer=None
        )
        gp.fit(Z, y[keep])
    return Pipeline([("unit_cube", scaler), ("gp", gp)])


def _posterior(gp, Z):
    r"""``gp.predict(Z, return_std=True)`` for a GP fitted by :func:`fit_gp`, unchecked.

    ``gp`` is the fitted ``model["gp"]`` and ``Z`` a ``(m, d)`` float array of points of
    the unit cube (``model["unit_cube"].transform(X)``). With the fitted amplitude
    :math:`\sigma_f^2`, length scales :math:`\ell`, noise :math:`\sigma_n^2`, the training
    points :math:`X`, ``alpha_`` :math:`= K^{-1} \tilde y` (``y`` standardised to
    :math:`\tilde y = (y - m_y) / s_y`), ``L_`` the Cholesky factor of :math:`K` and
    :math:`k_* = \sigma_f^2\, \mathrm{Matern}_{5/2}((z - X) / \ell)`,

    .. math::

        \mu(z) = m_y + s_y\, k_*^\top \alpha, \qquad
        \sigma^2(z) = s_y^2 \left(\sigma_f^2 + \sigma_n^2 - v^\top v\right),
        \quad v = L^{-1} k_*,

    in the operations and order of scikit-learn's ``predict`` (equal to it to rounding),
    which also counts the noise :math:`\sigma_n^2` in the variance and sets negative
    variances (rounding, at the data) to 0. It skips ``predict``'s input validation,
    which costs more than the arithmetic on the few hundred points an acquisition search
    evaluates at a time.
    """
    return _posterior_of(gp)(Z)


def _posterior_of(gp):
    """The function ``Z -> _posterior(gp, Z)``, with what does not depend on ``Z`` computed
    once: the acquisition search evaluates it a few thousand times per iteration, mostly at
    one to three points, where the per-call overhead is the cost."""
    kernel = gp.kernel_
    amplitude, length_scale = kernel.k1.k1.constant_value, kernel.k1.k2.length_scale
    prior_variance = amplitude + kernel.k2.noise_level
    X_scaled, L, alpha = gp.X_train_ / length_scale, gp.L_, gp.alpha_
    y_mean, y_std, y_var = gp._y_train_mean, gp._y_train_std, gp._y_train_std**2
    sqrt5 = np.sqrt(5.0)

    def posterior(Z):
        # k_*: the Matern 5/2 kernel as scikit-learn's Matern(nu=2.5) writes it, times sigma_f^2
        r = cdist(Z / length_scale, X_scaled) * sqrt5
        k_star = amplitude * ((1.0 + r + r**2 / 3.0) * np.exp(-r))
        mu = y_std * (k_star @ alpha) + y_mean
        v = dtrtrs(L, k_star.T, lower=1)[0]  # solve_triangular's LAPACK call, unwrapped
        var = prior_variance - np.einsum("ij,ji->i", v.T, v)
        var[var < 0] = 0.0
        return mu, np.sqrt(var * y_var)

    return posterior


def _acquisition_to_minimise(posterior, Z, acquisition, best, xi, kappa):
    """The acquisition at the rows of ``Z`` (unit cube), signed so that lower is better;
    ``posterior`` is ``_posterior_of(gp)``."""
    mu, sigma = posterior(Z)
    if acquisition == "ei":
        return -_expected_improvement(mu, sigma, best, xi)
    if acquisition == "pi":
        return -_probability_of_improvement(mu, sigma, best, xi)
    return _lower_confidence_bound(mu, sigma, kappa)


def _next_point(gp, acquisition, best, xi, kappa, z_incumbent, rng):
    """Maximise the acquisition over the unit cube: random candidates, then L-BFGS-B."""
    d = z_incumbent.shape[0]
    posterior = _posterior_of(gp)
    candidates = rng.random((N_CANDIDATES, d))
    values = _acquisition_to_minimise(posterior, candidates, acquisition, best, xi, kappa)
    # Divide by the largest |value| so that L-BFGS-B's absolute tolerances act relatively
    # (EI near a good incumbent is often 1e-8 or smaller); the argmin does not change.
    scale = max(float(np.max(np.abs(values))), 1e-300)
    z_best, v_best = candidates[np.argmin(values)], float(np.min(values)) / scale

    stencil = np.vstack([np.zeros(d), np.eye(d)])

    def objective_and_gradient(z):
        # One batched prediction at z and at z + h e_j (forward differences, or backward
        # at the upper face): d + 1 points in one call of the GP is far cheaper than d + 1.
        steps = np.where(z + LBFGSB_EPS <= 1.0, LBFGSB_EPS, -LBFGSB_EPS)
        Z = z + stencil * steps  # rows z, z + steps_1 e_1, ..., z + steps_d e_d
        values = _acquisition_to_minimise(posterior, Z, acquisition, best, xi, kappa) / scale
        return values[0], (values[1:] - values[0]) / steps

    starts = np.vstack([candidates[np.argsort(values)[:N_STARTS]], z_incumbent])
    for z0 in starts:
        res = minimize(
            objective_and_gradient,
            z0,
            jac=True,
            method="L-BFGS-B",
            bounds=[(0.0, 1.0)] * d,
            options={"maxfun": LBFGSB_MAXFUN},
        )
        if res.fun < v_best:
            z_best, v_best = res.x, float(res.fun)
    return np.clip(z_best, 0.0, 1.0)


def bayesian_optimization(
    func,
    bounds,
    *,
    n_calls=30,
    n_initial_points=5,
    acquisition="ei",
    xi=0.01,
    kappa=1.96,
    rng=None,
    callback=None,
):
    r"""Minimise an expensive function over a box with Gaussian-process Bayesian optimisation.

    Bayesian optimisation puts a Gaussian-process prior on the objective :math:`f` and,
    after :math:`n` evaluations :math:`\mathcal{D}_n = \{(x_k, f(x_k))\}_{k \le n}`, uses
    the posterior mean :math:`\mu_n(x)` and standard deviation :math:`\sigma_n(x)` to choose
    where to evaluate next, by maximising an acquisition function :math:`a`:

    .. math::

        x_{n+1} = \operatorname*{arg\,max}_{x \in \text{box}} a(x; \mu_n, \sigma_n, f_n^*),
        \qquad f_n^* = \min_{k \le n} f(x_k).

    1. Evaluate :math:`f` at ``n_initial_points`` points of a Latin hypercube in the box.
    2. Fit the surrogate (:func:`fit_gp`) to all evaluations so far.
    3. Maximise the acquisition: ``"ei"`` (:func:`expected_improvement`), ``"pi"``
       (:func:`probability_of_improvement`) or ``"lcb"`` (minimise
       :func:`lower_confidence_bound`, :math:`\mu - \kappa\sigma`; ``"ucb"``, for GP-UCB, is
       an alias).
    4. Evaluate :math:`f` at the maximiser; repeat from step 2 until ``n_calls``
       evaluations.

    Parameters
    ----------
    func : callable
        ``func(x) -> float``, the objective :math:`f`, for ``x`` of shape ``(d,)``. A NaN or
        infinite value is left out of the surrogate's data (and never becomes the best
        point); it does not stop the run.
    bounds : sequence of (float, float) or scipy.optimize.Bounds
        The box: ``d`` pairs ``(low, high)`` of finite numbers with ``low < high``.
    n_calls : int, default=30
        Total number of evaluations of ``func``, initial points included, in ``[1, inf)``.
    n_initial_points : int, default=5
        Number of Latin-hypercube points evaluated before the surrogate is first used, in
        ``[1, n_calls]``.
    acquisition : {"ei", "pi", "lcb", "ucb"}, default="ei"
        Expected improvement, probability of improvement or lower confidence bound
        (``"ucb"`` is an alias of ``"lcb"``).
    xi : float, default=0.01
        Exploration margin of EI and PI, in ``[0, inf)``, in the units of :math:`f`.
    kappa : float, default=1.96
        Exploration weight of the lower confidence bound, in ``[0, inf)``.
    rng : None, int or numpy.random.Generator, optional
        Source of randomness (the Latin hypercube, the random starts of the acquisition
        search), passed to :func:`numpy.random.default_rng` (SciPy's SPEC 7). The same int
        gives an identical run.
    callback : callable, optional
        ``callback(intermediate_result)`` is called after every evaluation: after each
        point of the initial design (with ``nit = 0``) and after every iteration, with an
        :class:`~scipy.optimize.OptimizeResult` holding ``x`` and ``fun`` (the best so far),
        ``nit`` and ``nfev``. Returning ``True`` or raising ``StopIteration`` stops the run
        (status 3).

    Returns
    -------
    res : scipy.optimize.OptimizeResult
        ``x`` and ``fun`` (the best point evaluated and its value), ``nit`` (iterations
        after the initial design), ``nfev`` (calls of ``func``: ``n_calls`` unless the
        callback stopped the run), ``success``, ``status`` (0 budget used, 2 no finite
        value seen, 3 stopped by the callback, 4 interrupted by ``KeyboardInterrupt``: the
        codes of :mod:`mlopt._status`), ``message``, ``history`` (a dict with ``x`` of
        shape ``(nfev, d)`` and ``fun`` of shape ``(nfev,)``, every evaluation in order) and
        ``model``, the surrogate (:func:`fit_gp`) fitted to all ``nfev`` evaluations (None
        if none was finite). ``fit_gp(res.history["x"][:k], res.history["fun"][:k],
        bounds)`` is the surrogate that chose evaluation ``k + 1``.

    Notes
    -----
    The Matérn 5/2 kernel with one length scale per coordinate (ARD) is the choice of Snoek
    et al. [5]_, who found the squared-exponential kernel unrealistically smooth for
    tuning problems. Unlike them, the hyper-parameters are point estimates, refitted by
    maximum marginal likelihood (Rasmussen and Williams [4]_) at every iteration, not
    integrated out by MCMC. The fitted noise term keeps the fit stable when points come
    close together. EI is due to Jones et al. [2]_ (after Močkus), PI to Kushner [1]_,
    the confidence bound to Srinivas et al. [3]_.

    The acquisition is maximised over the box scaled to the unit cube: it is evaluated at
    5000 uniform random points, and L-BFGS-B (:func:`scipy.optimize.minimize`, with
    forward-difference gradients of step :math:`10^{-6}` and at most 50 evaluations; a run
    that needs more is in failed line searches at a sharp peak it has already located to
    about seven digits) is started from the best 10 of
    them and from the incumbent :math:`\operatorname{arg\,min}_k f(x_k)`; the best point
    found is evaluated next.
    The posterior is computed from the fitted model's own quantities (``alpha_``, ``L_``,
    ``kernel_``), equal to ``predict(Z, return_std=True)`` but without its input checks.

    scikit-optimize's ``gp_minimize`` uses the same kind of surrogate; its defaults differ
    (a portfolio of acquisitions, "gp_hedge", and 10 initial points).

    References
    ----------
    .. [1] Kushner, H. J., "A new method of locating the maximum point of an arbitrary
       multipeak curve in the presence of noise", Journal of Basic Engineering
       86(1):97-106, 1964.
    .. [2] Jones, D. R., Schonlau, M. and Welch, W. J., "Efficient global optimization of
       expensive black-box functions", Journal of Global Optimization 13(4):455-492, 1998.
    .. [3] Srinivas, N., Krause, A., Kakade, S. M. and Seeger, M., "Gaussian process
       optimization in the bandit setting: no regret and experimental design", Proceedings
       of the 27th International Conference on Machine Learning, pp. 1015-1022, 2010.
    .. [4] Rasmussen, C. E. and Williams, C. K. I., "Gaussian Processes for Machine
       Learning", MIT Press, Cambridge, MA, 2006.
    .. [5] Snoek, J., Larochelle, H. and Adams, R. P., "Practical Bayesian optimization of
       machine learning algorithms", Advances in Neural Information Processing Systems 25,
       pp. 2951-2959, 2012.

    Examples
    --------
    >>> from mlopt.functions import branin
    >>> from mlopt.bayesian_optimization import bayesian_optimization
    >>> res = bayesian_optimization(branin, branin.bounds(), n_calls=30, rng=0)
    >>> res.fun - branin.minimum < 0.05, res.nfev, res.history["x"].shape
    (True, 30, (30, 2))
    """
    lower, upper = check_bounds(bounds)
    d = lower.shape[0]
    n_calls = check_integer("n_calls", n_calls, 1)
    n_initial_points = check_integer("n_initial_points", n_initial_points, 1, n_calls)
    if not isinstance(acquisition, str) or acquisition not in ACQUISITIONS:
        raise ValueError(
            f"acquisition must be one of 'ei', 'pi', 'lcb' (alias 'ucb'); got {acquisition!r}."
        )
    xi = check_interval("xi", xi, 0.0, np.inf, closed="left")
    kappa = check_interval("kappa", kappa, 0.0, np.inf, closed="left")
    rng = check_rng(rng)
    callback = check_callback(callback)
    evaluate = Evaluations(func, lower, upper)
    width = upper - lower
    box = np.column_stack([lower, upper])

    budget = f"n_calls = {n_calls} evaluations"
    nit, status = 0, None
    try:
        # Step 1: the initial design, a Latin hypercube in the unit cube, one point at a time
        # so that the callback can stop the run after any evaluation.
        try:
            design = qmc.LatinHypercube(d, rng=rng)
        except TypeError:  # SciPy < 1.15 calls the generator `seed`
            design = qmc.LatinHypercube(d, seed=rng)
        for z in design.random(n_initial_points):
            evaluate(lower + z * width)
            if evaluate.stop(callback, nit):
                status = 3
                break

        while evaluate.nfev < n_calls and status is None:
            history = evaluate.history()
            if np.isfinite(evaluate.f_best):
                # Step 2: fit the surrogate; Step 3: maximise the acquisition.
                gp = fit_gp(history["x"], history["fun"], box)["gp"]
                z_incumbent = (evaluate.x_best - lower) / width
                with _one_blas_thread():  # small matrices: see fit_gp
                    z_next = _next_point(
                        gp, acquisition, evaluate.f_best, xi, kappa, z_incumbent, rng
                    )
            else:  # no finite value yet: nothing to model, keep sampling at random
                z_next = rng.random(d)
            # Step 4: evaluate the chosen point.
            evaluate(lower + z_next * width)
            nit += 1
            if evaluate.stop(callback, nit):
                status = 3
    except KeyboardInterrupt:
        status = 4
    except Exception as exc:
        partial = evaluate.result(nit, 5, budget, model=None)
        attach_partial_result(exc, partial, "bayesian_optimization")
        raise

    history = evaluate.history()
    model = fit_gp(history["x"], history["fun"], box) if np.isfinite(evaluate.f_best) else None
    return evaluate.result(nit, status, budget, model=model)


# `mlopt.bayesian_optimization(...)` calls the function of the same name
# (see mlopt._callable_module).
make_callable(__name__, bayesian_optimization)
