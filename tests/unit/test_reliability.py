"""The seven reliability promises of issue 14, one block each, for every iterative method.

1. Interrupting a run loses nothing (KeyboardInterrupt returns the result so far; any other
   exception carries it as ``partial_result``); a callback can stop every method anywhere.
2. ``check_gradient`` gives the right verdict at every scale.
3. Adaptive optimizers never freeze silently, and a failed step leaves their state as it was.
4. Divergence is reported by ista/fista as minimize reports it.
6. ``history=`` lets the caller keep less.
7. ``eps=0`` and ``betas=(0, 0)`` are accepted and give PyTorch's first step.
(5, the validation of every input, is the table of ``test_bad_input.py``.)
"""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import mlopt
from mlopt import SGD, Adagrad, Adam, AdamW, RMSprop, check_gradient, minimize
from mlopt.bayesian_optimization import bayesian_optimization
from mlopt.functions import sphere
from mlopt.genetic_algorithm import genetic_algorithm
from mlopt.particle_swarm import particle_swarm
from mlopt.proximal import fista, ista

# --- 1. interruption ----------------------------------------------------------------------


def quadratic(x):
    return 0.5 * float(x @ x), x


def gradient_run(method, fun, **kwargs):
    x0 = np.array([3.0, -4.0])
    if method == "minimize":
        return minimize(fun, x0, optimizer=SGD(lr=0.01), max_iter=50, gtol=0.0, **kwargs)
    solver = ista if method == "ista" else fista
    return solver(fun, x0, lr=0.01, l1=0.0, max_iter=50, tol=0.0, **kwargs)


def search_run(method, func, **kwargs):
    bounds = sphere.bounds(2)
    if method == "pso":
        return particle_swarm(func, bounds, n_particles=4, max_iter=5, rng=0, **kwargs)
    if method == "ga":
        return genetic_algorithm(func, bounds, population_size=4, generations=5, rng=0, **kwargs)
    return bayesian_optimization(func, bounds, n_calls=7, n_initial_points=4, rng=0, **kwargs)


def failing_after(n_calls, inner, exc):
    """``inner``, except that call number ``n_calls + 1`` raises ``exc``."""
    calls = []

    def fun(x):
        if len(calls) == n_calls:
            raise exc
        calls.append(1)
        return inner(x)

    return fun


GRADIENT_METHODS = ["minimize", "ista", "fista"]
SEARCH_METHODS = ["pso", "ga", "bo"]


@pytest.mark.parametrize("method", GRADIENT_METHODS)
def test_keyboard_interrupt_in_fun_returns_the_iterates_so_far(method):
    res = gradient_run(method, failing_after(6, quadratic, KeyboardInterrupt()))
    assert res.status == 4 and not res.success and "Interrupted" in res.message
    assert res.nfev == 6 and len(res.history["x"]) == res.nit + 1
    assert_array_equal(res.history["x"][-1], res.x)


@pytest.mark.parametrize("method", GRADIENT_METHODS)
def test_keyboard_interrupt_in_callback_returns_the_iterates_so_far(method):
    def callback(intermediate):
        if intermediate.nit == 3:
            raise KeyboardInterrupt

    res = gradient_run(method, quadratic, callback=callback)
    assert res.status == 4 and res.nit == 3 and len(res.history["fun"]) == 4


@pytest.mark.parametrize("method", GRADIENT_METHODS)
def test_other_exception_carries_the_partial_result(method):
    with pytest.raises(RuntimeError, match="disk full") as info:
        gradient_run(method, failing_after(5, quadratic, RuntimeError("disk full")))
    partial = info.value.partial_result
    assert partial.status == 5 and partial.nfev == 5 and partial.nit >= 2
    assert len(partial.history["x"]) == partial.nit + 1
    assert any("partial_result" in note for note in info.value.__notes__)


@pytest.mark.parametrize("method", GRADIENT_METHODS)
@pytest.mark.parametrize("stop", ["return", "raise"])
def test_callback_stops_a_gradient_method(method, stop):
    def callback(intermediate):
        if intermediate.nit == 2:
            if stop == "raise":
                raise StopIteration
            return True
        return False

    res = gradient_run(method, quadratic, callback=callback)
    assert res.status == 3 and res.nit == 2 and res.message == "Stopped by the callback."


@pytest.mark.parametrize("method", SEARCH_METHODS)
def test_keyboard_interrupt_in_func_keeps_every_evaluation(method):
    res = search_run(method, failing_after(6, sphere, KeyboardInterrupt()))
    assert res.status == 4 and not res.success and "Interrupted" in res.message
    assert res.nfev == 6 and res.history["x"].shape == (6, 2)
    assert res.fun == res.history["fun"].min()


@pytest.mark.parametrize("method", SEARCH_METHODS)
def test_keyboard_interrupt_before_any_evaluation(method):
    res = search_run(method, failing_after(0, sphere, KeyboardInterrupt()))
    assert res.status == 4 and res.nfev == 0 and np.all(np.isnan(res.x))


@pytest.mark.parametrize("method", SEARCH_METHODS)
def test_exception_in_func_carries_every_evaluation(method):
    with pytest.raises(ZeroDivisionError) as info:
        search_run(method, failing_after(6, sphere, ZeroDivisionError("boom")))
    partial = info.value.partial_result
    assert partial.status == 5 and partial.nfev == 6 and partial.history["fun"].shape == (6,)
    assert "partial_result" in info.value.__notes__[0]


@pytest.mark.parametrize("method", SEARCH_METHODS)
def test_callback_stops_during_the_initial_design(method):
    res = search_run(method, sphere, callback=lambda r: r.nfev == 2)
    assert res.status == 3 and res.nit == 0 and res.nfev == 2
    assert res.history["x"].shape == (2, 2)


@pytest.mark.parametrize("method", SEARCH_METHODS)
def test_callback_stops_in_the_middle_of_an_iteration(method):
    # Six evaluations: past the initial design (4 points), inside the first iteration.
    res = search_run(method, sphere, callback=lambda r: r.nfev == 6)
    assert res.status == 3 and res.nfev == 6 and res.history["x"].shape == (6, 2)


@pytest.mark.parametrize("method", SEARCH_METHODS)
def test_keyboard_interrupt_in_callback(method):
    def callback(intermediate):
        if intermediate.nit == 1:
            raise KeyboardInterrupt

    res = search_run(method, sphere, callback=callback)
    assert res.status == 4 and res.nit == 1 and res.nfev == len(res.history["fun"])


def test_status_codes_mean_the_same_everywhere():
    from mlopt._status import STATUS

    assert STATUS == {
        0: "success",
        1: "max_iter reached",
        2: "diverged",
        3: "stopped by the callback",
        4: "interrupted",
        5: "exception raised",
        6: "line search failed",
    }
    stop = {"callback": lambda r: True}
    codes = [gradient_run(m, quadratic, **stop).status for m in GRADIENT_METHODS]
    codes += [search_run(m, sphere, **stop).status for m in SEARCH_METHODS]
    assert codes == [3] * 6


# --- 2. check_gradient at every scale --------------------------------------------------------


def test_check_gradient_issue_reproducers():
    x = [1.0, -2.0]
    assert not check_gradient(lambda x: 1e-6 * float(x @ x), lambda x: -2e-6 * x, x).ok
    assert not check_gradient(lambda x: 1e-8 * float(x @ x), lambda x: 2e-6 * x, x).ok
    assert check_gradient(lambda x: 1e12 + float(x @ x), lambda x: 2 * x, x).ok


@settings(max_examples=40, deadline=None)
@given(
    scale=st.floats(1e-12, 1e12),
    offset=st.floats(-1e12, 1e12),
    x=st.lists(st.floats(-10, 10), min_size=1, max_size=4),
)
def test_check_gradient_verdict_does_not_depend_on_scale(scale, offset, x):
    x = np.array(x)
    weights = np.arange(1.0, x.size + 1)

    def f(z):
        return offset + scale * float(weights @ z**2)

    def right(z):
        return 2 * scale * weights * z

    if np.max(np.abs(right(x))) <= 1e-3 * (abs(offset) + scale) * np.finfo(float).eps ** (1 / 3):
        return  # the gradient is below what any finite difference can see at this offset
    assert check_gradient(f, right, x).ok
    assert not check_gradient(f, lambda z: -right(z), x).ok
    assert not check_gradient(f, lambda z: 1.5 * right(z), x).ok


def test_check_gradient_names_the_coordinates_that_are_not_finite():
    check = check_gradient(lambda x: float(x @ x), lambda x: np.array([2 * x[0], np.nan]), [1, 2])
    assert not check.ok and "coordinate(s) [1]" in check.diagnosis
    check = check_gradient(lambda x: float(np.sum(np.sqrt(x))), lambda x: [0.5, 1.0], [1.0, 0.0])
    assert not check.ok and "not finite next to x along coordinate(s) [1]" in check.diagnosis


# --- 3. adaptive optimizers never freeze ---------------------------------------------------

ADAPTIVE = [Adagrad, RMSprop, Adam, AdamW]


@pytest.mark.parametrize("cls", ADAPTIVE)
def test_a_huge_finite_gradient_raises_instead_of_freezing(cls):
    opt = cls(lr=0.1)
    x = opt.step(np.ones(2), np.ones(2))
    before = {name: getattr(opt, name) for name in ("t", *opt._buffers)}
    with pytest.raises(FloatingPointError, match="diverged"):
        opt.step(x, np.array([1e200, 1.0]))  # g**2 overflows to inf in the second moment
    for name, value in before.items():  # the state is exactly as before the failed step
        assert getattr(opt, name) is value
    assert opt.t == 1
    assert np.all(np.isfinite(opt.step(x, np.ones(2))))  # and the run can go on


@pytest.mark.parametrize("cls", [SGD, *ADAPTIVE])
def test_overflowing_parameters_leave_the_state_unchanged(cls):
    opt = cls(lr=1e300)
    x = opt.step(np.ones(2), np.ones(2) * 1e-300) if cls is SGD else np.ones(2)
    t = opt.t
    with pytest.raises(FloatingPointError):
        opt.step(np.full(2, 1e300), np.full(2, 1e300))
    assert opt.t == t
    assert x is not None


# --- 4. divergence in ista / fista --------------------------------------------------------


@pytest.mark.parametrize("solver", [ista, fista])
def test_ista_fista_report_divergence_as_minimize_does(solver):
    A = np.diag([1.0, 10.0])  # L = 10

    def f(x):
        return 0.5 * x @ A @ x, A @ x

    res = solver(f, np.ones(2), lr=0.3, l1=0.1, max_iter=100)
    assert not res.success and res.status in (1, 2)
    assert "grew" in res.message or "Diverged" in res.message
    assert "lr <= 1/L" in res.message
    assert "grew" in minimize(f, np.ones(2), optimizer=SGD(lr=0.3), max_iter=100).message
    res = solver(f, np.ones(2), lr=0.3, l1=0.1, max_iter=10_000)
    assert res.status == 2 and "Diverged" in res.message


# --- 6. history -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", GRADIENT_METHODS)
def test_history_can_keep_less(method):
    full = gradient_run(method, quadratic)
    assert full.history["x"].shape == (full.nit + 1, 2)
    none = gradient_run(method, quadratic, history=False)
    assert none.history is None
    assert_array_equal(none.x, full.x)
    some = gradient_run(method, quadratic, history=7)
    assert_array_equal(some.history["nit"], [0, 7, 14, 21, 28, 35, 42, 49, 50])
    assert_array_equal(some.history["x"], full.history["x"][some.history["nit"]])
    assert_array_equal(some.history["fun"], full.history["fun"][some.history["nit"]])


# --- 7. what torch.optim accepts ---------------------------------------------------------


def test_eps_zero_and_zero_betas_give_torch_first_steps():
    x, g = np.array([1.0, -2.0]), np.array([0.5, -3.0])
    # torch: with eps = 0 the first step of Adam, AdamW and Adagrad is lr * sign(g), of
    # RMSprop lr * sign(g) / sqrt(1 - alpha).
    assert_allclose(Adam(lr=0.1, eps=0).step(x, g), x - 0.1 * np.sign(g), rtol=1e-15)
    assert_allclose(Adam(lr=0.1, betas=(0, 0), eps=0).step(x, g), x - 0.1 * np.sign(g))
    adamw = AdamW(lr=0.1, betas=(0.0, 0.0), eps=0.0, weight_decay=0)
    assert_allclose(adamw.step(x, g), [0.9, -1.9])
    assert_allclose(Adagrad(lr=0.1, eps=0).step(x, g), x - 0.1 * np.sign(g), rtol=1e-15)
    assert_allclose(RMSprop(lr=0.1, eps=0).step(x, g), x - 1.0 * np.sign(g), atol=1e-15)
    # betas = (0, 0) on later steps: m = g and v = g^2, so every step is lr * sign(g).
    opt = Adam(lr=0.1, betas=(0, 0))
    for _ in range(3):
        x = opt.step(x, g)
    assert_allclose(x, [0.7, -1.7], rtol=1e-7)


def test_eps_zero_with_a_zero_gradient_raises_rather_than_returning_nan():
    with pytest.raises(FloatingPointError):
        Adam(lr=0.1, eps=0).step(np.ones(2), np.array([1.0, 0.0]))


# --- one calling convention, names a reader can call, lazy import ------------------------


def test_drivers_take_a_benchmark_or_jac():
    by_pair = minimize(lambda x: (sphere(x), sphere.grad(x)), [1.0, 2.0], optimizer=SGD(lr=0.1))
    by_benchmark = minimize(sphere, [1.0, 2.0], optimizer=SGD(lr=0.1))
    by_jac = minimize(
        lambda x: float(x @ x), [1.0, 2.0], jac=lambda x: 2 * x, optimizer=SGD(lr=0.1)
    )
    assert_array_equal(by_pair.x, by_benchmark.x)
    assert_array_equal(by_pair.x, by_jac.x)
    assert_array_equal(
        ista(sphere, [1.0, 2.0], lr=0.1, l1=0.1).x,
        ista(lambda x: float(x @ x), [1.0, 2.0], jac=lambda x: 2 * x, lr=0.1, l1=0.1).x,
    )


def test_flat_objective_matches_the_split_one():
    from mlopt.linear_model import flat_objective, smooth_objective_and_gradient

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 3, 20)
    fun = flat_objective(X, y, loss="multinomial", alpha=0.1)
    theta = rng.normal(size=fun.size)
    f, grad = fun(theta)
    f2, gw, gb = smooth_objective_and_gradient(
        theta[:9].reshape(3, 3), theta[9:], X, y, loss="multinomial", alpha=0.1
    )
    assert f == f2
    assert_array_equal(grad, np.concatenate([gw.ravel(), gb]))
    assert check_gradient(lambda t: fun(t)[0], lambda t: fun(t)[1], theta).ok


@pytest.mark.parametrize("name", ["particle_swarm", "genetic_algorithm", "bayesian_optimization"])
def test_derivative_free_names_are_callable_and_keep_their_module_paths(name):
    import importlib
    import inspect

    module = getattr(mlopt, name)
    function = getattr(importlib.import_module(f"mlopt.{name}"), name)
    assert inspect.signature(module) == inspect.signature(function)
    budget = {"particle_swarm": {"max_iter": 2}, "genetic_algorithm": {"generations": 2}}
    kwargs = budget.get(name, {"n_calls": 3, "n_initial_points": 2})
    a = module(sphere, sphere.bounds(2), rng=0, **kwargs)
    b = function(sphere, sphere.bounds(2), rng=0, **kwargs)
    assert_array_equal(a.history["x"], b.history["x"])
    assert callable(mlopt.bayesian_optimization.expected_improvement)


def test_import_mlopt_is_lazy():
    code = (
        "import sys, mlopt; "
        "heavy = [m for m in ('sklearn', 'matplotlib', 'scipy.stats') if m in sys.modules]; "
        "assert not heavy, heavy; "
        "mlopt.minimize; mlopt.Adam; "
        "assert not [m for m in ('sklearn', 'matplotlib') if m in sys.modules]; "
        "assert 'bayesian_optimization' in dir(mlopt)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
