"""The worked examples of chapters 3 and 4: the numbers the text shows, recomputed here.

Chapter 4 takes two steps of every optimizer by hand on
:math:`f(\\theta) = \\tfrac12(\\theta_1^2 + 10\\,\\theta_2^2)` from :math:`\\theta_0 = (1, 1)`.
Each test below recomputes those two steps from the update equations printed in the chapter
(independently of :mod:`mlopt`), compares them with :mod:`mlopt.optimizers` to 1e-12, checks
the values the chapter's text states, and checks the numbers glued into the executed
notebook. Chapter 3's worked example is one stochastic step with a sample index.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from mlopt.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
CH03 = CHAPTERS / "03_gradient_descent_variants.ipynb"
CH04 = CHAPTERS / "04_momentum_and_adaptive_methods.ipynb"
THETA0 = (1.0, 1.0)
CURVATURE = (1.0, 10.0)


def grad_f(theta):
    return [c * x for c, x in zip(CURVATURE, theta, strict=True)]


def glued(notebook: Path) -> dict[str, str]:
    """The values glued (``myst_nb.glue``) into an executed notebook, by name."""
    values = {}
    for cell in json.loads(notebook.read_text())["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                values[record["name"]] = output["data"][record["mime_prefix"] + "text/plain"]
    return values


# --- the update equations, in plain Python floats, one coordinate at a time ----------------


def sgd_steps(lr=0.1, mu=0.0, nesterov=False):
    theta, b, out = list(THETA0), [0.0, 0.0], []
    for t in (1, 2):
        g = grad_f(theta)
        for i in range(2):
            gi = g[i]
            if mu:
                b[i] = gi if t == 1 else mu * b[i] + gi
                gi = gi + mu * b[i] if nesterov else b[i]
            theta[i] = theta[i] - lr * gi
        out.append(tuple(theta))
    return out


def adagrad_steps(lr=0.1, eps=1e-10):
    theta, s, out = list(THETA0), [0.0, 0.0], []
    for _ in (1, 2):
        g = grad_f(theta)
        for i in range(2):
            s[i] += g[i] ** 2
            theta[i] -= lr * g[i] / (math.sqrt(s[i]) + eps)
        out.append(tuple(theta))
    return out


def rmsprop_steps(lr=0.01, alpha=0.99, eps=1e-8):
    theta, v, out = list(THETA0), [0.0, 0.0], []
    for _ in (1, 2):
        g = grad_f(theta)
        for i in range(2):
            v[i] = alpha * v[i] + (1 - alpha) * g[i] ** 2
            theta[i] -= lr * g[i] / (math.sqrt(v[i]) + eps)
        out.append(tuple(theta))
    return out


def adam_steps(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, decoupled_decay=0.0):
    theta, m, v, out = list(THETA0), [0.0, 0.0], [0.0, 0.0], []
    for t in (1, 2):
        g = grad_f(theta)
        for i in range(2):
            theta[i] -= lr * decoupled_decay * theta[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            theta[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
        out.append(tuple(theta))
    return out


# name in the notebook's glue keys, mlopt optimizer, independent steps, values the text states
CASES = {
    "sgd": (
        lambda: SGD(lr=0.1),
        lambda: sgd_steps(),
        [(0.9, 0.0), (0.81, 0.0)],
    ),
    "sgd_momentum": (
        lambda: SGD(lr=0.1, momentum=0.9),
        lambda: sgd_steps(mu=0.9),
        [(0.9, 0.0), (0.72, -0.9)],
    ),
    "nesterov": (
        lambda: SGD(lr=0.1, momentum=0.9, nesterov=True),
        lambda: sgd_steps(mu=0.9, nesterov=True),
        [(0.81, -0.9), (0.5751, 0.0)],
    ),
    "adagrad": (
        lambda: Adagrad(lr=0.1),
        lambda: adagrad_steps(),
        [(0.9, 0.9), (0.9 - 0.1 * 0.9 / math.sqrt(1.81),) * 2],
    ),
    "rmsprop": (lambda: RMSprop(lr=0.01), lambda: rmsprop_steps(), [(0.9, 0.9)]),
    "adam": (lambda: Adam(lr=0.1), lambda: adam_steps(), [(0.9, 0.9)]),
    "adamw": (
        lambda: AdamW(lr=0.1, weight_decay=0.1),
        lambda: adam_steps(decoupled_decay=0.1),
        [(0.89, 0.89)],
    ),
}


@pytest.mark.parametrize("key", list(CASES))
def test_two_steps_match_mlopt(key):
    make_optimizer, independent, _ = CASES[key]
    opt, theta = make_optimizer(), np.array(THETA0)
    for expected in independent():
        theta = opt.step(theta, np.array(grad_f(theta)))
        np.testing.assert_allclose(theta, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("key", list(CASES))
def test_values_stated_in_the_text(key):
    _, independent, stated = CASES[key]
    for expected, computed in zip(stated, independent(), strict=False):
        np.testing.assert_allclose(computed, expected, atol=1e-6)


@pytest.mark.parametrize("key", list(CASES))
def test_glued_values_in_chapter_4(key):
    # The chapter glues the steps its text quotes (not all of them): each one must equal
    # the independent computation; the table it prints is checked by nbval.
    values = glued(CH04)
    _, independent, _ = CASES[key]
    for t, theta in enumerate(independent(), start=1):
        for i in range(2):
            name = f"we_{key}_t{t}_{i + 1}"
            if name in values:
                assert float(values[name]) == pytest.approx(round(theta[i], 4), abs=1e-12)


def test_chapter_4_quotes_glued_worked_example_steps():
    assert any(name.startswith("we_") for name in glued(CH04))


def test_chapter_3_stochastic_step_uses_the_sample_index():
    # Chapter 3: one SGD step on the loss of example i_1 = 0, l_0(w) = (x_0^T w - y_0)^2 / 2.
    rng = np.random.default_rng(0)
    n, d = 200, 5
    X = rng.normal(size=(n, d)) * np.array([1.0, 0.9, 0.75, 0.6, 0.5])
    w_true = rng.normal(size=d)
    y = X @ w_true + 0.5 * rng.normal(size=n)
    w0 = np.zeros(d)
    by_hand = [w0[j] - 0.1 * X[0, j] * (X[0] @ w0 - y[0]) for j in range(d)]
    step = SGD(lr=0.1).step(w0, X[0] * (X[0] @ w0 - y[0]))
    np.testing.assert_allclose(step, by_hand, rtol=1e-12, atol=1e-15)
    full = SGD(lr=0.1).step(w0, X.T @ (X @ w0 - y) / n)
    values = glued(CH03)
    assert float(values["gdv_we_y0"]) == round(float(y[0]), 4)
    assert float(values["gdv_we_sgd_w1"]) == round(float(step[0]), 4)
    assert float(values["gdv_we_gd_w1"]) == round(float(full[0]), 4)
    assert not np.allclose(step, full)  # SGD's step is not the full-batch step
