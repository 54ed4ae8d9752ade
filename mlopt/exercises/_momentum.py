"""Checks of the exercises on momentum and adaptive methods."""

from __future__ import annotations

import numpy as np

from ._core import (
    _check_function,
    _exercise,
    _rng,
)


def _test_problems():
    """(name, grad, start) for the optimizer checks: Rosenbrock and two quadratics."""
    from ..functions import rosenbrock

    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    D = np.diag([1.0, 10.0, 0.5])
    return [
        (rosenbrock.grad, np.array([-1.2, 1.0])),
        (lambda t: A @ t, np.array([1.0, -2.0])),
        (lambda t: D @ t + 0.1 * t**3, np.array([0.5, -1.0, 2.0])),
    ]


def _run_optimizer(opt, grad, theta, steps):
    path = []
    for _ in range(steps):
        theta = opt.step(theta, grad(theta))
        path.append(theta)
    return np.array(path)


@_exercise(
    "mom-ex-nesterov",
    "a function nesterov(grad, theta0, lr, mu, steps) returning the "
    "look-ahead points theta_tilde_1..theta_tilde_steps, shape (steps, d)",
)
def _mom_nesterov(answer, **context):
    from ..optimizers import SGD

    lr, mu, steps = 1e-3, 0.9, 100
    cases = [(grad, start, lr, mu, steps) for grad, start in _test_problems()]

    def sutskever(grad, theta, lr, mu, steps):
        u, out = np.zeros_like(theta), []
        for _ in range(steps):
            u = mu * u - lr * grad(theta + mu * u)
            theta = theta + u
            out.append(theta)
        return np.array(out)

    _check_function(
        answer,
        cases,
        lambda g, s, lr, mu, k: _run_optimizer(SGD(lr=lr, momentum=mu, nesterov=True), g, s, k),
        rtol=1e-9,
        atol=1e-12,
        mistakes=[
            (
                "theta-not-lookahead",
                "These are the points theta_t; the exercise asks for the "
                "look-ahead points theta_tilde_t = theta_t + mu Delta_t.",
                sutskever,
            ),
            (
                "heavy-ball",
                "That is heavy-ball momentum: Nesterov evaluates the gradient at the "
                "look-ahead point.",
                lambda g, s, lr, mu, k: _run_optimizer(SGD(lr=lr, momentum=mu), g, s, k),
            ),
        ],
    )
    return "Matches SGD(nesterov=True) over 100 steps on 3 problems."


@_exercise(
    "mom-ex-dampening",
    "a function pytorch_lr(lr, mu): the learning rate for "
    "SGD(momentum=mu) (no dampening) that reproduces the moving-average iterates",
)
def _mom_dampening(answer, **context):
    _check_function(
        answer,
        [(0.01, 0.9), (0.1, 0.5), (0.003, 0.99)],
        lambda lr, beta: lr * (1 - beta),
        rtol=1e-9,
        mistakes=[
            (
                "moving-average-lr",
                "That is the moving-average convention's learning rate used with "
                "PyTorch's buffer, which omits the factor (1 - mu): the steps would be "
                "1/(1 - mu) times too long.",
                lambda lr, beta: lr,
            ),
            (
                "inverted",
                "The factor goes the other way: PyTorch's buffer is the larger one.",
                lambda lr, beta: lr / (1 - beta),
            ),
        ],
    )
    return (
        "Matches for 3 (lr, mu): PyTorch's buffer is the moving average divided by "
        "1 - mu, from the first step on."
    )


@_exercise(
    "mom-ex-momentum-sweep",
    "a function polyak_momentum(L, lam_min): Polyak's optimal heavy-ball momentum",
)
def _mom_sweep(answer, **context):
    def polyak(L, m):
        k = np.sqrt(L / m)
        return ((k - 1) / (k + 1)) ** 2

    _check_function(
        answer,
        [(50.0, 1.0), (10.0, 0.1), (4.0, 1.0)],
        polyak,
        rtol=1e-8,
        mistakes=[
            (
                "not-squared",
                "That is heavy ball's rate of convergence; the optimal momentum is its square.",
                lambda L, m: (np.sqrt(L / m) - 1) / (np.sqrt(L / m) + 1),
            ),
            (
                "no-square-root",
                "Square roots are missing: (kappa - 1)/(kappa + 1) is gradient descent's rate.",
                lambda L, m: (L / m - 1) / (L / m + 1),
            ),
        ],
    )
    return "Matches Polyak's momentum for 3 spectra."


@_exercise("mom-ex-bias", "a function expected_m(t, beta1, g_bar): E[m_t] of Adam's first moment")
def _mom_bias(answer, **context):
    cases = [(t, b, g) for t in (1, 2, 5, 20) for b, g in ((0.9, 1.0), (0.5, -2.0))]
    _check_function(
        answer,
        cases,
        lambda t, b, g: (1 - b**t) * g,
        rtol=1e-9,
        mistakes=[
            (
                "off-by-one",
                "Off by one in the step counter: after t steps the weights sum to 1 - beta1^t.",
                lambda t, b, g: (1 - b ** (t - 1)) * g,
            ),
            (
                "off-by-one",
                "Off by one in the step counter: after t steps the weights sum to 1 - beta1^t.",
                lambda t, b, g: (1 - b ** (t + 1)) * g,
            ),
            (
                "complement",
                "That is the missing part, the bias, not E[m_t].",
                lambda t, b, g: b**t * g,
            ),
            (
                "first-term",
                "That is only the newest term's weight; sum the geometric series.",
                lambda t, b, g: (1 - b) * g,
            ),
        ],
    )
    return "Matches (1 - beta1^t) g_bar for 8 (t, beta1, g_bar)."


@_exercise(
    "mom-ex-rmsprop",
    "a function rmsprop_corrected(grad, theta, lr, alpha_r, steps) returning the final theta",
)
def _mom_rmsprop(answer, **context):
    from ..optimizers import Adam

    def rmsprop(grad, theta, lr, a, steps, shift=0, correct=True):
        v = 0.0
        for t in range(1, steps + 1):
            g = grad(theta)
            v = a * v + (1 - a) * g**2
            v_hat = v / (1 - a ** (t + shift)) if correct else v
            theta = theta - lr * g / (np.sqrt(v_hat) + 1e-8)
        return theta

    cases = [(grad, start, 0.01, 0.99, 30) for grad, start in _test_problems()]
    _check_function(
        answer,
        cases,
        lambda g, s, lr, a, k: _run_optimizer(Adam(lr=lr, betas=(0.0, a)), g, s, k)[-1],
        rtol=1e-7,
        atol=1e-10,
        mistakes=[
            (
                "no-bias-correction",
                "That is RMSprop without bias correction (like Adam without "
                "it): divide v_t by 1 - alpha^t.",
                lambda g, s, lr, a, k: rmsprop(g, s, lr, a, k, correct=False),
            ),
            (
                "off-by-one",
                "Off by one in the step counter: the first step has t = 1.",
                lambda g, s, lr, a, k: rmsprop(g, s, lr, a, k, shift=1),
            ),
            (
                "off-by-one",
                "Off by one in the step counter: counting from t = 0 divides by 1 - alpha^0 = 0, "
                "which wipes out the first step. The first step has t = 1.",
                lambda g, s, lr, a, k: rmsprop(g, s, lr, a, k, shift=-1),
            ),
        ],
        nonfinite=(
            "off-by-one",
            "Your result is inf or nan: a step counter that starts at t = 0 divides by "
            "1 - alpha^0 = 0. The first step has t = 1.",
        ),
    )
    return "Matches Adam with beta1 = 0 and bias correction over 30 steps on 3 problems."


@_exercise(
    "mom-ex-sgd-decay",
    "a function decay_step(theta, g, lr, weight_decay): one SGD step with weight decay",
)
def _mom_sgd_decay(answer, **context):
    rng = _rng(4)
    cases = [
        (rng.normal(size=3), rng.normal(size=3), lr, wd) for lr, wd in ((0.1, 0.2), (0.01, 0.5))
    ]
    _check_function(
        answer,
        cases,
        lambda t, g, lr, wd: (1 - lr * wd) * t - lr * g,
        rtol=1e-10,
        mistakes=[
            (
                "decay-without-lr",
                "The decay is multiplied by the learning rate too: (1 - eta lambda).",
                lambda t, g, lr, wd: (1 - wd) * t - lr * g,
            ),
            (
                "flipped-sign",
                "The decay has the wrong sign: it shrinks theta.",
                lambda t, g, lr, wd: (1 + lr * wd) * t - lr * g,
            ),
            (
                "decay-after-step",
                "The decay multiplies theta before the gradient step, not the result of the step.",
                lambda t, g, lr, wd: (1 - lr * wd) * (t - lr * g),
            ),
        ],
    )
    return "Matches one step of SGD with an L2 penalty for 2 settings."
