"""Checks of the exercises on training a neural network."""

from __future__ import annotations

import numpy as np

from ._core import _check_function, _exercise, _rng


def _dense_tanh_backward(X, W, b, G):
    """The book's answer: (dW, db, dX) of H = tanh(X W + b), given G = dJ/dH."""
    H = np.tanh(X @ W + b)
    dZ = G * (1 - H**2)
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def _flat(fn):
    """fn returning (dW, db, dX), as one flat vector (how the check sees a tuple answer)."""
    return lambda *case: np.concatenate([np.ravel(part) for part in fn(*case)])


def _layer_cases():
    rng = _rng(17)
    cases = []
    for n, fan_in, fan_out in [(5, 3, 3), (7, 4, 4), (6, 2, 5)]:
        cases.append(
            (
                rng.normal(size=(n, fan_in)),
                rng.normal(size=(fan_in, fan_out)),
                rng.normal(size=fan_out),
                rng.normal(size=(n, fan_out)) / n,
            )
        )
    return cases


@_exercise(
    "nn-ex-backprop-layer",
    "a function dense_tanh_backward(X, W, b, G) returning (dW, db, dX) for the layer "
    "H = tanh(X W + b), where G = dJ/dH",
)
def _nn_backprop_layer(answer, **context):
    def no_derivative(X, W, b, G):
        return X.T @ G, G.sum(axis=0), G @ W.T

    def derivative_at_z(X, W, b, G):
        Z = X @ W + b
        dZ = G * (1 - Z**2)
        return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T

    def transposed(X, W, b, G):
        dW, db, _ = _dense_tanh_backward(X, W, b, G)
        H = np.tanh(X @ W + b)
        return dW, db, (G * (1 - H**2)) @ W  # only defined for square W

    def mean_bias(X, W, b, G):
        dW, db, dX = _dense_tanh_backward(X, W, b, G)
        return dW, db / len(X), dX

    _check_function(
        answer,
        _layer_cases()[:2],  # square weights, so that a transposed W still runs
        _flat(_dense_tanh_backward),
        rtol=1e-9,
        atol=1e-12,
        mistakes=[
            (
                "missing-activation-derivative",
                "The gradient skips the activation: multiply G by tanh'(Z) = 1 - H**2 "
                "before the products with X and W.",
                _flat(no_derivative),
            ),
            (
                "derivative-at-z",
                "tanh'(Z) is 1 - tanh(Z)**2 = 1 - H**2, not 1 - Z**2.",
                _flat(derivative_at_z),
            ),
            (
                "transposed-weight",
                "dX has the right shape only by luck (W is square here): it is dZ @ W.T, "
                "the transpose of the forward product's W.",
                _flat(transposed),
            ),
            (
                "mean-instead-of-sum",
                "db averages over the samples; G already carries the 1/n, so sum dZ over the rows.",
                _flat(mean_bias),
            ),
        ],
        what="Your (dW, db, dX)",
    )
    _check_function(answer, _layer_cases()[2:], _flat(_dense_tanh_backward), rtol=1e-9, atol=1e-12)
    return "Matches (dW, db, dX) to 1e-9 on three random layers, square and not."


def _mean_cross_entropy_grad(Z, y):
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    return (P - np.eye(Z.shape[1])[y]) / len(y)


@_exercise(
    "nn-ex-softmax-grad",
    "a function logits_gradient(Z, y): the gradient of the mean softmax cross-entropy "
    "with respect to the logits Z, shape (n, K)",
)
def _nn_softmax_grad(answer, **context):
    rng = _rng(8)
    cases = [
        (rng.normal(scale=2, size=(n, k)), rng.integers(0, k, n)) for n, k in [(6, 3), (9, 10)]
    ]
    cases.append((np.array([[800.0, 0.0, -800.0], [0.0, 1.0, 2.0]]), np.array([2, 0])))

    def softmax_only(Z, y):
        return _mean_cross_entropy_grad(Z, y) + np.eye(Z.shape[1])[y] / len(y)

    _check_function(
        answer,
        cases,
        _mean_cross_entropy_grad,
        rtol=1e-9,
        atol=1e-12,
        mistakes=[
            (
                "sum-instead-of-mean",
                "This is the gradient of the sum of the losses: the mean divides by n.",
                lambda Z, y: len(y) * _mean_cross_entropy_grad(Z, y),
            ),
            (
                "flipped-sign",
                "The gradient has the wrong sign: it is (P - Y) / n, probabilities minus "
                "one-hot targets.",
                lambda Z, y: -_mean_cross_entropy_grad(Z, y),
            ),
            ("no-target", "The one-hot targets Y are missing: P - Y, not P.", softmax_only),
        ],
        nonfinite=(
            "overflow",
            "Your result overflows for logits of 800: subtract each row's maximum before exp.",
        ),
        what="Your gradient",
    )
    return "Matches (P - Y) / n to 1e-9, including logits of +-800."


@_exercise(
    "nn-ex-glorot",
    "a function glorot_bound(fan_in, fan_out): the r of U(-r, r) with variance "
    "2 / (fan_in + fan_out)",
)
def _nn_glorot(answer, **context):
    cases = [(64, 32), (32, 10), (100, 100), (3, 1)]
    _check_function(
        answer,
        cases,
        lambda a, b: np.sqrt(6 / (a + b)),
        rtol=1e-9,
        mistakes=[
            (
                "std-not-bound",
                "That is the standard deviation; U(-r, r) has variance r**2 / 3, so r is "
                "sqrt(3) times larger.",
                lambda a, b: np.sqrt(2 / (a + b)),
            ),
            (
                "he-bound",
                "That is He's bound, which uses fan_in only; Glorot averages fan_in and fan_out.",
                lambda a, b: np.sqrt(6 / a),
            ),
            ("no-sqrt", "r**2, not r: take the square root.", lambda a, b: 6 / (a + b)),
        ],
        what="Your bound",
    )
    return "Matches sqrt(6 / (fan_in + fan_out)) on 4 layer shapes."


@_exercise(
    "nn-ex-param-count",
    "a function n_parameters(layer_sizes): the number of weights and biases of the MLP",
)
def _nn_param_count(answer, **context):
    cases = [([64, 32, 10],), ([4, 3],), ([10, 8, 8, 8, 2],), ([64, 100, 10],)]

    def count(sizes, bias=True, input_bias=False):
        pairs = list(zip(sizes[:-1], sizes[1:], strict=False))
        return sum(a * b for a, b in pairs) + bias * sum(sizes[1:]) + input_bias * sizes[0]

    _check_function(
        answer,
        cases,
        count,
        rtol=0,
        atol=0.5,
        mistakes=[
            (
                "no-biases",
                "Only the weights are counted: every layer after the input has a bias per unit.",
                lambda s: count(s, bias=False),
            ),
            (
                "input-bias",
                "The input layer has no bias: the biases belong to the layers that compute.",
                lambda s: count(s, input_bias=True),
            ),
        ],
        what="Your count",
    )
    return "Matches the number of weights and biases of 4 networks."


@_exercise(
    "nn-ex-clip",
    "a function clip_by_norm(g, max_norm): g rescaled to norm max_norm when it is longer",
)
def _nn_clip(answer, **context):
    rng = _rng(5)
    cases = [(rng.normal(size=6) * s, c) for s, c in [(10.0, 1.0), (0.1, 1.0), (3.0, 2.0)]]
    cases.append((np.array([3.0, 4.0]), 5.0))

    def reference(g, c):
        norm = np.linalg.norm(g)
        return g * (c / norm) if norm > c else g

    _check_function(
        answer,
        cases,
        reference,
        rtol=1e-9,
        atol=1e-15,
        mistakes=[
            (
                "coordinate-clipping",
                "np.clip bounds each coordinate and turns the direction; clipping by norm "
                "rescales the whole vector, keeping its direction.",
                lambda g, c: np.clip(g, -c, c),
            ),
            (
                "always-rescale",
                "A gradient shorter than max_norm must be left as it is.",
                lambda g, c: g * (c / np.linalg.norm(g)),
            ),
        ],
        what="Your clipped gradient",
    )
    return "Matches clipping by norm on 4 gradients, short, long and on the boundary."


def _warmup_cosine(t, lr, warmup, t_max):
    t = np.asarray(t, dtype=float)
    warm = lr * (t + 1) / warmup
    cos = 0.5 * lr * (1 + np.cos(np.pi * (t - warmup) / (t_max - warmup)))
    return np.where(t < warmup, warm, cos)


@_exercise(
    "nn-ex-warmup",
    "a function warmup_cosine(t, lr, warmup, t_max), vectorised in t: linear warm-up to lr "
    "in warmup steps, then cosine decay to 0 at t_max",
)
def _nn_warmup(answer, **context):
    cases = [(np.arange(0, 61), 0.1, 10, 60), (np.arange(0, 201, 7), 0.03, 21, 210)]

    def from_zero(t, lr, w, T):
        out = _warmup_cosine(t, lr, w, T)
        return np.where(np.asarray(t) < w, lr * np.asarray(t, dtype=float) / w, out)

    def unshifted(t, lr, w, T):
        t = np.asarray(t, dtype=float)
        return np.where(t < w, lr * (t + 1) / w, 0.5 * lr * (1 + np.cos(np.pi * t / T)))

    _check_function(
        answer,
        cases,
        _warmup_cosine,
        rtol=1e-9,
        atol=1e-15,
        mistakes=[
            (
                "off-by-one",
                "The warm-up starts at lr * 0 / warmup = 0, a step that does nothing: the "
                "first step (t = 0) should already move, with lr / warmup.",
                from_zero,
            ),
            (
                "cosine-not-shifted",
                "The cosine starts at t = 0 instead of at the end of the warm-up: it should "
                "run over t - warmup from 0 to t_max - warmup.",
                unshifted,
            ),
        ],
        what="Your schedule",
    )
    return "Matches the warm-up and cosine schedule at every step of 2 runs."


@_exercise(
    "nn-ex-sklearn-alpha",
    "a function mlopt_alpha(sklearn_alpha, batch_size, n_samples): the alpha of "
    "MLPClassifierGD that gives MLPClassifier's steps (whole batches)",
)
def _nn_sklearn_alpha(answer, **context):
    cases = [(1e-4, 200, 1000), (0.3, 30, 120), (2.0, 64, 1344), (1.0, 1344, 1344)]
    _check_function(
        answer,
        cases,
        lambda a, b, n: a / b,
        rtol=1e-9,
        mistakes=[
            (
                "divided-by-n",
                "scikit-learn divides its penalty by the number of samples in the batch, "
                "not in the whole training set.",
                lambda a, b, n: a / n,
            ),
            (
                "multiplied",
                "The other way round: scikit-learn's penalty per sample is alpha / b, so "
                "MLPClassifierGD's alpha is smaller.",
                lambda a, b, n: a * b,
            ),
            ("unchanged", "The two alphas are on different scales.", lambda a, b, n: a),
        ],
        what="Your alpha",
    )
    return "Matches alpha / batch_size on 4 settings."
