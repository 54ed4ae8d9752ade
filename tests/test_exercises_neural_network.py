"""Table tests of the checks of the neural-network chapter's exercises (mlopt.exercises):
the book's solution passes, each catalogued wrong answer gets its named mistake, and an
untouched stub is "not attempted". Same table form as tests/test_exercises.py."""

import re

import numpy as np
import pytest

from mlopt import exercises
from mlopt.exercises import check


def stub(*args):
    raise NotImplementedError


def dense_tanh_backward(X, W, b, G):
    H = np.tanh(X @ W + b)
    dZ = G * (1 - H**2)
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def nn_ex_backprop_layer():
    def no_derivative(X, W, b, G):
        return X.T @ G, G.sum(axis=0), G @ W.T

    def at_z(X, W, b, G):
        dZ = G * (1 - (X @ W + b) ** 2)
        return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T

    def transposed(X, W, b, G):
        dZ = G * (1 - np.tanh(X @ W + b) ** 2)
        return X.T @ dZ, dZ.sum(axis=0), dZ @ W

    def mean_bias(X, W, b, G):
        dW, db, dX = dense_tanh_backward(X, W, b, G)
        return dW, db / len(X), dX

    return (
        dense_tanh_backward,
        {},
        [
            (no_derivative, "missing-activation-derivative", "skips the activation"),
            (at_z, "derivative-at-z", "not 1 - Z"),
            (transposed, "transposed-weight", r"W\.T"),
            (mean_bias, "mean-instead-of-sum", "1/n"),
            (lambda X, W, b, G: 1 / 0, "error", "ZeroDivisionError"),
        ],
    )


def logits_gradient(Z, y):
    Z = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return (P - np.eye(Z.shape[1])[y]) / len(y)


def nn_ex_softmax_grad():
    def naive(Z, y):  # no shift: overflows at logits of 800
        with np.errstate(all="ignore"):
            P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        return (P - np.eye(Z.shape[1])[y]) / len(y)

    return (
        logits_gradient,
        {},
        [
            (lambda Z, y: len(y) * logits_gradient(Z, y), "sum-instead-of-mean", "divides by n"),
            (lambda Z, y: -logits_gradient(Z, y), "flipped-sign", "wrong sign"),
            (
                lambda Z, y: logits_gradient(Z, y) + np.eye(Z.shape[1])[y] / len(y),
                "no-target",
                "one-hot targets",
            ),
            (naive, "overflow", "maximum"),
        ],
    )


def nn_ex_glorot():
    return (
        lambda fan_in, fan_out: np.sqrt(6 / (fan_in + fan_out)),
        {},
        [
            (lambda a, b: np.sqrt(2 / (a + b)), "std-not-bound", "standard deviation"),
            (lambda a, b: np.sqrt(6 / a), "he-bound", "He's bound"),
            (lambda a, b: 6 / (a + b), "no-sqrt", "square root"),
            (lambda a, b: np.sqrt(3 / (a + b)), "constant-factor", "constant factor"),
        ],
    )


def nn_ex_param_count():
    def n_parameters(sizes):
        return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=False))

    return (
        n_parameters,
        {},
        [
            (
                lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=False)),
                "no-biases",
                "bias per unit",
            ),
            (lambda s: n_parameters(s) + s[0], "input-bias", "input layer has no bias"),
        ],
    )


def nn_ex_clip():
    def clip_by_norm(g, max_norm):
        norm = np.linalg.norm(g)
        return g * min(1.0, max_norm / norm)

    return (
        clip_by_norm,
        {},
        [
            (lambda g, c: np.clip(g, -c, c), "coordinate-clipping", "direction"),
            (lambda g, c: g * c / np.linalg.norm(g), "always-rescale", "left as it is"),
        ],
    )


def warmup_cosine(t, lr, warmup, t_max):
    t = np.asarray(t, dtype=float)
    return np.where(
        t < warmup,
        lr * (t + 1) / warmup,
        0.5 * lr * (1 + np.cos(np.pi * (t - warmup) / (t_max - warmup))),
    )


def nn_ex_warmup():
    def from_zero(t, lr, w, T):
        t = np.asarray(t, dtype=float)
        return np.where(t < w, lr * t / w, warmup_cosine(t, lr, w, T))

    def unshifted(t, lr, w, T):
        t = np.asarray(t, dtype=float)
        return np.where(t < w, lr * (t + 1) / w, 0.5 * lr * (1 + np.cos(np.pi * t / T)))

    return (
        warmup_cosine,
        {},
        [
            (from_zero, "off-by-one", "first step"),
            (unshifted, "cosine-not-shifted", "end of the warm-up"),
        ],
    )


def nn_ex_sklearn_alpha():
    return (
        lambda alpha, batch_size, n_samples: alpha / batch_size,
        {},
        [
            (lambda a, b, n: a / n, "divided-by-n", "not in the whole training set"),
            (lambda a, b, n: a * b, "multiplied", "other way round"),
            (lambda a, b, n: a, "unchanged", "different scales"),
        ],
    )


CASES = {
    "nn-ex-backprop-layer": nn_ex_backprop_layer,
    "nn-ex-softmax-grad": nn_ex_softmax_grad,
    "nn-ex-glorot": nn_ex_glorot,
    "nn-ex-param-count": nn_ex_param_count,
    "nn-ex-clip": nn_ex_clip,
    "nn-ex-warmup": nn_ex_warmup,
    "nn-ex-sklearn-alpha": nn_ex_sklearn_alpha,
}


def test_every_check_of_the_chapter_has_a_table_entry():
    assert set(CASES) == {label for label in exercises.labels() if label.startswith("nn-ex-")}


@pytest.mark.parametrize("label", list(CASES))
def test_check(label):
    right, context, wrongs = CASES[label]()
    result = check(label, right, **context)
    assert result.correct, result.message
    assert result.message.startswith(f"{label}: correct.")

    for untouched in [None, ..., stub, lambda *args: None, lambda *args: ...]:
        result = check(label, untouched, **context)
        assert result.status == "not attempted", result.message
        assert "not attempted yet" in result.message

    for wrong, mistake, phrase in wrongs:
        result = check(label, wrong, **context)
        assert result.status == "incorrect", (mistake, result.message)
        assert result.mistake == mistake, result.message
        assert re.search(phrase, result.message), result.message
