"""Tests of :mod:`mlopt.optimizers`.

The main check replays trajectories recorded with PyTorch 2.13 in float64
(``tests/reference/torch_trajectories.json``, written by ``make_torch_reference.py``) and
requires every iterate to agree to 1e-12 relative. The other tests pin down what the book says
about each method: hand-computed first steps, conventions (momentum, AMSGrad, bias correction,
decoupled weight decay), the input contract, and convergence on a quadratic and on Rosenbrock.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlopt import schedules
from mlopt.optimizers import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop, get_optimizer

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "reference" / "torch_trajectories.json").read_text()
)
PROBLEMS = REFERENCE["problems"]


def gradient(problem: str, x: np.ndarray) -> np.ndarray:
    """Gradients of the reference problems (the same expressions as make_torch_reference.py)."""
    data = PROBLEMS[problem]
    if problem == "rosenbrock":
        return np.array(
            [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)]
        )
    if problem == "quadratic":
        return np.asarray(data["d"]) * x
    a, b = np.asarray(data["A"]), np.asarray(data["b"])
    return a.T @ (a @ x - b) / len(b)


def run(opt: Optimizer, grad, x0, n_steps: int) -> np.ndarray:
    """Iterates x_0, ..., x_n of ``opt`` from ``x0``, one row each."""
    x = np.asarray(x0, dtype=float)
    iterates = [x]
    for _ in range(n_steps):
        x = opt.step(x, grad(x))
        iterates.append(x)
    return np.array(iterates)


def reference_id(entry: dict) -> str:
    kwargs = {key: value for key, value in entry["kwargs"].items() if key != "lr"}
    schedule = entry["schedule"]["name"] if entry["schedule"] else ""
    parts = [entry["optimizer"], *(f"{k}={v}" for k, v in kwargs.items()), schedule]
    return "-".join(part for part in [*parts, entry["problem"]] if part).replace(" ", "")


def mlopt_optimizer(entry: dict) -> Optimizer:
    """The mlopt optimizer that reproduces a recorded PyTorch run."""
    kwargs = {key: tuple(v) if isinstance(v, list) else v for key, v in entry["kwargs"].items()}
    if entry["schedule"] is not None:
        kwargs["lr"] = getattr(schedules, entry["schedule"]["name"])(**entry["schedule"]["kwargs"])
    return get_optimizer(entry["optimizer"], **kwargs)


# --- agreement with PyTorch ------------------------------------------------------------------


def test_reference_covers_every_optimizer_and_option():
    seen = {
        (entry["optimizer"], key) for entry in REFERENCE["trajectories"] for key in entry["kwargs"]
    }
    for name, options in {
        "sgd": ["momentum", "dampening", "nesterov", "weight_decay"],
        "adagrad": ["lr_decay", "weight_decay", "initial_accumulator_value", "eps"],
        "rmsprop": ["alpha", "momentum", "centered", "weight_decay"],
        "adam": ["betas", "eps", "weight_decay", "amsgrad"],
        "adamw": ["betas", "weight_decay", "amsgrad"],
    }.items():
        assert {(name, option) for option in options} <= seen
    scheduled = {entry["optimizer"] for entry in REFERENCE["trajectories"] if entry["schedule"]}
    assert scheduled == {"sgd", "adagrad", "rmsprop", "adam", "adamw"}
    assert REFERENCE["torch_version"].startswith("2.13.0")


@pytest.mark.parametrize("entry", REFERENCE["trajectories"], ids=reference_id)
def test_matches_pytorch(entry):
    expected = np.array(entry["iterates"])
    actual = run(
        mlopt_optimizer(entry),
        lambda x: gradient(entry["problem"], x),
        expected[0],
        len(expected) - 1,
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-14)


# --- hand-computed steps ---------------------------------------------------------------------

X0 = np.array([1.0, 2.0])
G = np.array([0.5, -1.0])


def test_sgd_first_step_is_gradient_descent():
    np.testing.assert_allclose(SGD(lr=0.1).step(X0, G), X0 - 0.1 * G, rtol=1e-15)


def test_sgd_momentum_buffer_starts_at_the_gradient():
    opt = SGD(lr=0.1, momentum=0.9, dampening=0.5)
    x1 = opt.step(X0, G)
    np.testing.assert_allclose(x1, X0 - 0.1 * G)  # b_1 = g_1: no dampening on the first step
    x2 = opt.step(x1, 2 * G)
    np.testing.assert_allclose(opt.b, 0.9 * G + 0.5 * 2 * G)
    np.testing.assert_allclose(x2, x1 - 0.1 * (0.9 * G + G))


def test_sgd_nesterov_adds_momentum_to_the_gradient():
    opt = SGD(lr=0.1, momentum=0.9, nesterov=True)
    x1 = opt.step(X0, G)
    np.testing.assert_allclose(x1, X0 - 0.1 * (G + 0.9 * G))


def test_sgd_weight_decay_adds_l2_gradient():
    np.testing.assert_allclose(
        SGD(lr=0.1, weight_decay=0.2).step(X0, G), X0 - 0.1 * (G + 0.2 * X0), rtol=1e-15
    )


def test_adagrad_first_step_has_length_lr():
    x1 = Adagrad(lr=0.1).step(X0, 1e3 * G)
    np.testing.assert_allclose(x1, X0 - 0.1 * np.sign(G), rtol=1e-12)


def test_adagrad_second_step_uses_the_sum_of_squares():
    opt = Adagrad(lr=0.1, initial_accumulator_value=0.5)
    x1 = opt.step(X0, G)
    x2 = opt.step(x1, G)
    s2 = 0.5 + 2 * G**2
    np.testing.assert_allclose(opt.s, s2)
    np.testing.assert_allclose(x2, x1 - 0.1 * G / (np.sqrt(s2) + 1e-10))


def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_alpha():
    x1 = RMSprop(lr=0.01, alpha=0.99).step(X0, G)
    np.testing.assert_allclose(x1, X0 - 0.01 / np.sqrt(0.01) * np.sign(G), rtol=1e-6)


def test_rmsprop_centered_divides_by_the_standard_deviation():
    opt = RMSprop(lr=0.01, alpha=0.5, centered=True, eps=1e-12)
    x1 = opt.step(X0, G)
    # v_1 = g^2/2, g_avg_1 = g/2: v_1 - g_avg_1^2 = g^2/4, so the step is lr * g / (|g|/2)
    np.testing.assert_allclose(x1, X0 - 0.01 * 2 * np.sign(G), rtol=1e-10)


def test_adam_first_step_has_length_lr_thanks_to_bias_correction():
    lr, (beta1, beta2) = 0.1, (0.9, 0.999)
    x1 = Adam(lr=lr).step(X0, G)
    np.testing.assert_allclose(X0 - x1, lr * np.sign(G), rtol=1e-7)
    # Without bias correction, m_1 = 0.1 g and v_1 = 0.001 g^2: the step would be 3.16 lr.
    m1, v1 = (1 - beta1) * G, (1 - beta2) * G**2
    uncorrected = lr * m1 / np.sqrt(v1)  # (eps left out)
    np.testing.assert_allclose(np.abs(uncorrected), (1 - beta1) / np.sqrt(1 - beta2) * lr)
    assert np.all(np.abs(uncorrected) > 3 * lr)
    # Correcting v but not m gives 0.1 lr.
    np.testing.assert_allclose(np.abs(lr * m1 / np.sqrt(v1 / (1 - beta2))), 0.1 * lr)


def test_adam_second_step_by_hand():
    lr, beta1, beta2, eps = 0.01, 0.8, 0.9, 1e-8
    opt = Adam(lr=lr, betas=(beta1, beta2), eps=eps)
    g1, g2 = G, np.array([-0.25, 3.0])
    x1 = opt.step(X0, g1)
    x2 = opt.step(x1, g2)
    m2 = beta1 * (1 - beta1) * g1 + (1 - beta1) * g2
    v2 = beta2 * (1 - beta2) * g1**2 + (1 - beta2) * g2**2
    m_hat, v_hat = m2 / (1 - beta1**2), v2 / (1 - beta2**2)
    np.testing.assert_allclose(x2, x1 - lr * m_hat / (np.sqrt(v_hat) + eps), rtol=1e-14)


def test_amsgrad_takes_the_max_of_uncorrected_v_as_pytorch_does():
    # A large gradient, then a zero one: v_2 < v_1, so AMSGrad keeps v_1.
    beta2 = 0.999
    opt = Adam(lr=0.1, betas=(0.9, beta2), amsgrad=True)
    x1 = opt.step(np.array([0.0]), np.array([1.0]))
    x2 = opt.step(x1, np.array([0.0]))
    v1 = (1 - beta2) * 1.0
    np.testing.assert_allclose(opt.v_max, [v1])
    m_hat = 0.9 * 0.1 / (1 - 0.9**2)
    v_hat = v1 / (1 - beta2**2)  # PyTorch: max of raw v, divided by the current correction
    np.testing.assert_allclose(x2, x1 - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-14)
    # The maximum of the bias-corrected v_hat (v_hat_1 = 1) would give a different step.
    other = x1 - 0.1 * m_hat / (np.sqrt(1.0) + 1e-8)
    assert abs(x2[0] - other[0]) > 1e-3


def test_adamw_first_step_decays_then_steps():
    lr, lam = 0.1, 0.5
    x1 = AdamW(lr=lr, weight_decay=lam).step(X0, G)
    np.testing.assert_allclose(x1, X0 * (1 - lr * lam) - lr * np.sign(G), rtol=1e-7)


# --- conventions -----------------------------------------------------------------------------


def test_momentum_conventions_differ_by_one_minus_beta_in_lr():
    """v = beta v + (1 - beta) g with lr' equals PyTorch's b = beta b + g with lr = (1-beta) lr'."""
    beta, lr_ema = 0.9, 0.05
    grad = lambda x: gradient("quadratic", x) / 100  # noqa: E731
    x, v = np.ones(3), np.zeros(3)
    ema = [x]
    for _ in range(30):
        v = beta * v + (1 - beta) * grad(x)
        x = x - lr_ema * v
        ema.append(x)
    torch_form = run(SGD(lr=(1 - beta) * lr_ema, momentum=beta), grad, np.ones(3), 30)
    np.testing.assert_allclose(torch_form, np.array(ema), rtol=1e-12)


def test_adamw_decay_is_proportional_but_adam_l2_is_not():
    """With a zero loss gradient, AdamW shrinks every weight by the same factor (1 - lr lambda)
    per step. Adam's L2 gradient lambda x is divided by sqrt(v_hat) ~ lambda |x|, so every weight
    moves by about lr per step whatever its size: the small weight is driven to 0 (where it then
    oscillates), the large one decays ten times less than with AdamW."""
    lr, lam, n = 0.01, 0.1, 50
    x0 = np.array([0.1, 100.0])
    zero = lambda x: np.zeros_like(x)  # noqa: E731
    decoupled = run(AdamW(lr=lr, weight_decay=lam), zero, x0, n)[-1]
    coupled = run(Adam(lr=lr, weight_decay=lam), zero, x0, n)[-1]
    np.testing.assert_allclose(decoupled, x0 * (1 - lr * lam) ** n, rtol=1e-12)  # 0.951 x0
    assert abs(coupled[0]) < lr
    np.testing.assert_allclose(x0[1] - coupled[1], n * lr, rtol=1e-2)
    assert x0[1] - coupled[1] < 0.11 * (x0[1] - decoupled[1])


def test_adamw_without_decay_is_adam():
    grad = lambda x: gradient("rosenbrock", x)  # noqa: E731
    x0 = PROBLEMS["rosenbrock"]["x0"]
    np.testing.assert_array_equal(
        run(AdamW(lr=0.01, weight_decay=0.0), grad, x0, 20), run(Adam(lr=0.01), grad, x0, 20)
    )


def test_adagrad_lr_decay_is_an_inverse_time_schedule():
    grad = lambda x: gradient("least_squares", x)  # noqa: E731
    x0 = PROBLEMS["least_squares"]["x0"]
    built_in = run(Adagrad(lr=0.3, lr_decay=0.1), grad, x0, 30)
    scheduled = run(Adagrad(lr=schedules.inverse_time(lr=0.3, decay=0.1)), grad, x0, 30)
    np.testing.assert_allclose(built_in, scheduled, rtol=1e-14)


def test_schedule_is_called_with_the_zero_based_step_count():
    calls = []

    def schedule(t):
        calls.append(t)
        return 0.1

    opt = SGD(lr=schedule)
    run(opt, lambda x: x, [1.0], 3)
    assert calls == [0, 1, 2]
    assert opt.lr_at(5) == 0.1


def test_constant_schedule_equals_float_lr():
    grad = lambda x: gradient("rosenbrock", x)  # noqa: E731
    x0 = PROBLEMS["rosenbrock"]["x0"]
    np.testing.assert_array_equal(
        run(Adam(lr=schedules.constant(0.01)), grad, x0, 10), run(Adam(lr=0.01), grad, x0, 10)
    )


# --- the step contract -----------------------------------------------------------------------

# Every optimizer with every option that keeps state or changes the update switched on.
ALL_OPTIMIZERS = {
    "SGD": lambda: SGD(lr=1e-3, momentum=0.9, nesterov=True, weight_decay=0.1),
    "Adagrad": lambda: Adagrad(lr=0.1, lr_decay=0.01, weight_decay=0.1),
    "RMSprop": lambda: RMSprop(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1),
    "Adam": lambda: Adam(lr=0.01, amsgrad=True, weight_decay=0.1),
    "AdamW": lambda: AdamW(lr=schedules.cosine(lr=0.01, t_max=100)),
}


@pytest.fixture(params=list(ALL_OPTIMIZERS))
def optimizer(request):
    return ALL_OPTIMIZERS[request.param]()


def fresh_copy(opt: Optimizer) -> Optimizer:
    """A new optimizer with the same hyper-parameters as ``opt`` and no state."""
    names = [name for name in inspect.signature(type(opt).__init__).parameters if name != "self"]
    return type(opt)(**{name: getattr(opt, name) for name in names})


def rosenbrock_run(opt, n_steps=10):
    return run(opt, lambda x: gradient("rosenbrock", x), PROBLEMS["rosenbrock"]["x0"], n_steps)


def test_step_does_not_mutate_its_inputs(optimizer):
    x, g = X0.copy(), G.copy()
    for _ in range(3):
        x_new = optimizer.step(x, g)
        np.testing.assert_array_equal(x, X0)
        np.testing.assert_array_equal(g, G)
        assert x_new is not x and not np.shares_memory(x_new, x)


def test_state_does_not_alias_the_callers_arrays(optimizer):
    reference = rosenbrock_run(fresh_copy(optimizer))
    x = np.asarray(PROBLEMS["rosenbrock"]["x0"])
    iterates = [x]
    for _ in range(10):
        g = gradient("rosenbrock", x)
        x_new = optimizer.step(x, g)
        iterates.append(x_new.copy())
        # Scribbling on the arrays passed in or returned must not change the optimizer's state.
        g[:], x_new[:], x = 1e6, -7.0, iterates[-1].copy()
    np.testing.assert_array_equal(np.array(iterates), reference)


def test_step_accepts_lists_and_returns_float64():
    x1 = SGD(lr=0.5).step([1, 2], [2, 2])
    assert x1.dtype == np.float64
    np.testing.assert_array_equal(x1, [0.0, 1.0])


def test_scalar_params_become_length_one_arrays():
    np.testing.assert_array_equal(SGD(lr=0.5).step(1.0, 2.0), [0.0])


def test_runs_are_deterministic(optimizer):
    np.testing.assert_array_equal(rosenbrock_run(optimizer), rosenbrock_run(fresh_copy(optimizer)))


def test_reset_restores_the_initial_behaviour(optimizer):
    first = rosenbrock_run(optimizer)
    assert optimizer.t == 10
    optimizer.reset()
    assert optimizer.t == 0
    np.testing.assert_array_equal(rosenbrock_run(optimizer), first)


def test_step_counter_counts_steps(optimizer):
    for t in range(1, 4):
        optimizer.step(X0, G)
        assert optimizer.t == t


@settings(max_examples=50, deadline=None)
@given(
    x=arrays(np.float64, 4, elements=st.floats(-1e3, 1e3)),
    g=arrays(np.float64, 4, elements=st.floats(-1e3, 1e3)),
    lr=st.floats(1e-4, 1.0),
)
def test_sgd_step_is_x_minus_lr_g(x, g, lr):
    np.testing.assert_allclose(SGD(lr=lr).step(x, g), x - lr * g, rtol=0, atol=0)


# --- input errors ----------------------------------------------------------------------------

BAD_HYPERPARAMETERS = [
    (SGD, {"lr": -0.1}, r"lr must be a real number in the range \(0, inf\); got -0.1\."),
    (SGD, {"lr": 0.0}, r"lr must be .* \(0, inf\); got 0.0\. lr may also be a schedule"),
    (SGD, {"lr": "0.1"}, r"lr must be a real number .*; got '0.1'"),
    (SGD, {"lr": np.nan}, r"lr must be .*; got nan"),
    (SGD, {"lr": 0.1, "momentum": -0.5}, r"momentum must be .* \[0, 1\); got -0.5"),
    (SGD, {"lr": 0.1, "momentum": 1.0}, r"momentum must be .* \[0, 1\); got 1.0"),
    (SGD, {"lr": 0.1, "dampening": 1.5}, r"dampening must be .* \[0, 1\]; got 1.5"),
    (SGD, {"lr": 0.1, "nesterov": 1}, r"nesterov must be a bool \(True or False\); got 1"),
    (SGD, {"lr": 0.1, "weight_decay": -1}, r"weight_decay must be .* \[0, inf\); got -1"),
    (SGD, {"lr": 0.1, "nesterov": True}, r"nesterov=True requires momentum > 0 and dampening = 0"),
    (
        SGD,
        {"lr": 0.1, "nesterov": True, "momentum": 0.9, "dampening": 0.1},
        r"requires momentum > 0 and dampening = 0; got momentum=0.9 and dampening=0.1",
    ),
    (Adagrad, {"lr": -1.0}, r"lr must be .* \(0, inf\); got -1.0"),
    (Adagrad, {"lr_decay": -0.1}, r"lr_decay must be .* \[0, inf\); got -0.1"),
    (Adagrad, {"weight_decay": -0.1}, r"weight_decay must be .* \[0, inf\); got -0.1"),
    (
        Adagrad,
        {"initial_accumulator_value": -1.0},
        r"initial_accumulator_value must be .* \[0, inf\); got -1.0",
    ),
    (Adagrad, {"eps": -1e-10}, r"eps must be .* \[0, inf\); got -1e-10"),
    (Adagrad, {"eps": 1j}, r"eps must be a real number .* got 1j"),
    (RMSprop, {"lr": 0}, r"lr must be .* \(0, inf\); got 0"),
    (RMSprop, {"alpha": 1.0}, r"alpha must be .* \[0, 1\); got 1.0"),
    (RMSprop, {"alpha": -0.1}, r"alpha must be .* \[0, 1\); got -0.1"),
    (RMSprop, {"eps": -1e-8}, r"eps must be .* \[0, inf\); got -1e-08"),
    (RMSprop, {"weight_decay": -0.1}, r"weight_decay must be .* \[0, inf\); got -0.1"),
    (RMSprop, {"momentum": 1.0}, r"momentum must be .* \[0, 1\); got 1.0"),
    (RMSprop, {"centered": "yes"}, r"centered must be a bool \(True or False\); got 'yes'"),
    (Adam, {"lr": -0.001}, r"lr must be .* \(0, inf\); got -0.001"),
    (Adam, {"betas": 0.9}, r"betas must be a pair \(beta1, beta2\) of floats in \[0, 1\); got 0.9"),
    (Adam, {"betas": (0.9, 0.99, 0.999)}, r"betas must be a pair"),
    (Adam, {"betas": (1.0, 0.999)}, r"betas\[0\] must be .* \[0, 1\); got 1.0"),
    (Adam, {"betas": (0.9, -0.1)}, r"betas\[1\] must be .* \[0, 1\); got -0.1"),
    (Adam, {"eps": np.nan}, r"eps must be .* \[0, inf\); got nan"),
    (Adam, {"eps": None}, r"eps must be .* \[0, inf\); got None"),
    (Adam, {"weight_decay": -0.01}, r"weight_decay must be .* \[0, inf\); got -0.01"),
    (Adam, {"amsgrad": None}, r"amsgrad must be a bool \(True or False\); got None"),
    (AdamW, {"lr": np.inf}, r"lr must be .* \(0, inf\); got inf"),
    (AdamW, {"betas": (0.9, 1.5)}, r"betas\[1\] must be .* \[0, 1\); got 1.5"),
    (AdamW, {"eps": -1.0}, r"eps must be .* \[0, inf\); got -1.0"),
    (AdamW, {"weight_decay": -0.01}, r"weight_decay must be .* \[0, inf\); got -0.01"),
    (AdamW, {"amsgrad": 0}, r"amsgrad must be a bool \(True or False\); got 0"),
]


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    BAD_HYPERPARAMETERS,
    ids=[f"{cls.__name__}-{kwargs}" for cls, kwargs, _ in BAD_HYPERPARAMETERS],
)
def test_bad_hyperparameter_raises(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)


BAD_INPUTS = [
    (np.ones(2), np.ones(3), r"grad must have 2 elements; got 3\."),
    (
        np.ones((2, 2)),
        np.ones((2, 2)),
        r"params must be a 1-D array; got an array of shape \(2, 2\)",
    ),
    (np.ones(2), np.ones((2, 1)), r"grad must be a 1-D array; got an array of shape \(2, 1\)"),
    (np.array([1.0, np.nan]), np.ones(2), r"params must contain only finite numbers"),
    (
        np.ones(2),
        np.array([np.inf, 1.0]),
        r"grad must contain only finite .* at step t=0\. .*diverged",
    ),
    (np.ones(2), "abc", r"grad must be a 1-D array of real numbers; got 'abc'"),
]


@pytest.mark.parametrize(
    ("params", "grad", "match"),
    BAD_INPUTS,
    ids=["size-mismatch", "2-D-params", "2-D-grad", "nan-params", "inf-grad", "text-grad"],
)
def test_bad_step_input_raises(optimizer, params, grad, match):
    with pytest.raises(ValueError, match=match):
        optimizer.step(params, grad)
    assert optimizer.t == 0


def test_changing_the_number_of_parameters_requires_reset(optimizer):
    optimizer.step(np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match=r"params has 3 elements, .* built for 2; call reset\(\)"):
        optimizer.step(np.ones(3), np.ones(3))
    optimizer.reset()
    optimizer.step(np.ones(3), np.ones(3))


@pytest.mark.parametrize(
    ("schedule", "bad_step", "got"),
    [
        (lambda t: 0.1 if t < 3 else -0.1, 3, "-0.1"),
        (lambda t: 0.1 if t < 2 else float("nan"), 2, "nan"),
        (lambda t: 0.1 if t < 1 else np.inf, 1, "inf"),
    ],
)
def test_schedule_giving_a_bad_lr_raises_naming_the_step(schedule, bad_step, got):
    opt = SGD(lr=schedule)
    x = run(opt, lambda x: x, [1.0], bad_step)
    with pytest.raises(
        ValueError, match=rf"at step t={bad_step}, must be .* \[0, inf\); got {got}"
    ):
        opt.step(x[-1], x[-1])
    assert opt.t == bad_step


@pytest.mark.parametrize("cls", [SGD, Adagrad, RMSprop, Adam, AdamW])
def test_schedule_reaching_zero_leaves_the_parameters_in_place(cls):
    # cosine with lr_min=0 gives lr = 0 at t = t_max: a legitimate step that does not move.
    opt = cls(lr=schedules.cosine(lr=0.1, t_max=4), weight_decay=0.0)
    x = run(opt, lambda x: x, [1.0, -2.0], 4)
    np.testing.assert_array_equal(opt.step(x[-1], x[-1]), x[-1])


def test_divergence_raises_floating_point_error():
    opt = SGD(lr=1e300)
    with pytest.raises(
        FloatingPointError, match=r"at step t=0 overflowed .* smaller lr than 1e\+300"
    ):
        opt.step(np.ones(2), np.full(2, 1e300))


@pytest.mark.parametrize("cls", [SGD, Adagrad, RMSprop, Adam, AdamW])
def test_zero_gradient_does_not_move_the_parameters(cls):
    """No 0/0 when a coordinate has only seen zero gradients: eps > 0 is enforced."""
    opt = cls(lr=0.1, weight_decay=0.0)
    for _ in range(3):
        np.testing.assert_array_equal(opt.step(X0, np.zeros(2)), X0)


# --- get_optimizer and repr ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("sgd", SGD),
        ("adagrad", Adagrad),
        ("rmsprop", RMSprop),
        ("adam", Adam),
        ("adamw", AdamW),
        ("Adam", Adam),
    ],
)
def test_get_optimizer_by_name(name, cls):
    opt = get_optimizer(name, lr=0.05)
    assert type(opt) is cls and opt.lr == 0.05


def test_get_optimizer_passes_instances_through():
    opt = Adam()
    assert get_optimizer(opt) is opt
    with pytest.raises(ValueError, match=r"cannot be combined with an optimizer instance"):
        get_optimizer(opt, lr=0.1)


@pytest.mark.parametrize("name", ["adamax", "", None, 3])
def test_get_optimizer_lists_the_valid_names(name):
    valid = "'sgd', 'adagrad', 'rmsprop', 'adam', 'adamw'"
    with pytest.raises(ValueError, match=re.escape(f"optimizer must be one of {valid}")):
        get_optimizer(name)


@pytest.mark.parametrize(
    ("opt", "text"),
    [
        (SGD(lr=0.1), "SGD(lr=0.1, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0)"),
        (
            Adagrad(),
            "Adagrad(lr=0.01, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, "
            "eps=1e-10)",
        ),
        (
            RMSprop(),
            "RMSprop(lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0.0, momentum=0.0, "
            "centered=False)",
        ),
        (Adam(), "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0, amsgrad=False)"),
        (
            AdamW(lr=schedules.cosine(lr=0.1, t_max=100)),
            "AdamW(lr=cosine(lr=0.1, t_max=100, lr_min=0.0), betas=(0.9, 0.999), eps=1e-08, "
            "weight_decay=0.01, amsgrad=False)",
        ),
    ],
    ids=["SGD", "Adagrad", "RMSprop", "Adam", "AdamW-schedule"],
)
def test_repr(opt, text):
    assert repr(opt) == text


def test_repr_of_a_function_schedule_has_no_memory_address():
    def halving(t):
        return 0.1 * 0.5**t

    assert repr(SGD(lr=lambda t: 0.1)).startswith("SGD(lr=<lambda>, momentum=0.0, ")
    assert repr(Adam(lr=halving)).startswith("Adam(lr=halving, ")


# --- convergence -----------------------------------------------------------------------------

QUADRATIC = (lambda x: gradient("quadratic", x), [1.0, 1.0, 1.0], [0.0, 0.0, 0.0])
ROSENBROCK = (lambda x: gradient("rosenbrock", x), [-1.5, 2.0], [1.0, 1.0])

CONVERGENCE = [
    ("sgd", SGD(lr=0.015), QUADRATIC, 1000, 1e-5),
    ("momentum", SGD(lr=0.01, momentum=0.9), QUADRATIC, 300, 1e-5),
    ("nesterov", SGD(lr=0.01, momentum=0.9, nesterov=True), QUADRATIC, 300, 1e-5),
    ("adagrad", Adagrad(lr=0.5), QUADRATIC, 300, 1e-5),
    ("rmsprop", RMSprop(lr=0.01), QUADRATIC, 300, 1e-5),
    ("adam", Adam(lr=0.1), QUADRATIC, 300, 1e-5),
    ("amsgrad", Adam(lr=0.1, amsgrad=True), QUADRATIC, 300, 1e-5),
    ("adamw", AdamW(lr=0.1), QUADRATIC, 300, 1e-5),  # decay towards 0: the minimiser stays 0
    ("momentum", SGD(lr=1e-3, momentum=0.9), ROSENBROCK, 5000, 1e-6),
    ("nesterov", SGD(lr=1e-3, momentum=0.9, nesterov=True), ROSENBROCK, 5000, 1e-6),
    ("adagrad", Adagrad(lr=0.5), ROSENBROCK, 10000, 1e-2),  # steps shrink like 1/sqrt(t)
    ("rmsprop", RMSprop(lr=1e-3, momentum=0.9), ROSENBROCK, 3000, 1e-3),  # stalls at ~lr
    ("adam", Adam(lr=0.05), ROSENBROCK, 3000, 1e-6),
    ("amsgrad", Adam(lr=0.05, amsgrad=True), ROSENBROCK, 5000, 1e-6),
]


@pytest.mark.parametrize(
    ("opt", "problem", "n_steps", "tol"),
    [row[1:] for row in CONVERGENCE],
    ids=[f"{row[0]}-{'quadratic' if row[2] is QUADRATIC else 'rosenbrock'}" for row in CONVERGENCE],
)
def test_converges(opt, problem, n_steps, tol):
    grad, x0, x_star = problem
    opt.reset()  # the table's instances are shared: start from a clean state
    x = np.asarray(x0)
    for _ in range(n_steps):
        x = opt.step(x, grad(x))
    np.testing.assert_allclose(x, x_star, rtol=0, atol=tol)
