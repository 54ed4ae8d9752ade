"""Tests of :mod:`mlopt.neural_network`: backpropagation against finite differences, the same
steps as scikit-learn's MLPClassifier, accuracy on the digits, the estimator API, bad input."""

import functools
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from mlopt.gradcheck import check_gradient
from mlopt.neural_network import (
    MLPClassifierGD,
    forward_pass,
    init_weights,
    loss_and_gradient,
    pack,
    unpack,
)
from mlopt.optimizers import SGD, Adam


def flat(sizes, X, y, activation, alpha):
    """(fun, grad) of theta for check_gradient."""

    def fun(theta):
        return loss_and_gradient(*unpack(theta, sizes), X, y, activation=activation, alpha=alpha)[0]

    def grad(theta):
        _, gW, gb = loss_and_gradient(
            *unpack(theta, sizes), X, y, activation=activation, alpha=alpha
        )
        return pack(gW, gb)

    return fun, grad


def parameters(model):
    return np.concatenate([p.ravel() for p in [*model.coefs_, *model.intercepts_]])


def relative_difference(ours, reference):
    a, b = parameters(ours), parameters(reference)
    return np.max(np.abs(a - b)) / np.max(np.abs(b))


# ---------------------------------------------------------------------------------------
# Backpropagation
# ---------------------------------------------------------------------------------------


# ReLU is left out: its kink makes finite differences wrong wherever a unit sits near 0.
@pytest.mark.parametrize("activation", ["tanh", "logistic", "identity"])
@pytest.mark.parametrize("sizes", [[3, 4], [3, 5, 4], [2, 4, 3, 3]])
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), alpha=st.sampled_from([0.0, 0.1]))
# Once a false alarm of check_gradient (sizes [3, 5, 4], logistic): a coordinate of size
# 1e-5 next to a loss of 1.5, whose truncation error the error estimate had missed.
@example(seed=59875199, alpha=0.0)
def test_backprop_matches_finite_differences(activation, sizes, seed, alpha):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(7, sizes[0]))
    y = rng.integers(0, sizes[-1], 7)
    coefs, intercepts = init_weights(sizes, activation=activation, random_state=seed % 2**31)
    fun, grad = flat(sizes, X, y, activation, alpha)
    result = check_gradient(fun, grad, pack(coefs, intercepts))
    assert result.ok, result.diagnosis


def test_relu_backprop_matches_finite_differences_away_from_the_kink():
    rng = np.random.default_rng(1)
    sizes = [4, 6, 3]
    X = rng.normal(size=(10, 4))
    y = rng.integers(0, 3, 10)
    coefs, intercepts = init_weights(sizes, random_state=1)
    A = forward_pass(coefs, intercepts, X)
    pre = X @ coefs[0] + intercepts[0]
    assert np.min(np.abs(pre)) > 1e-3  # no unit within finite-difference reach of its kink
    assert A[1].shape == (10, 6)
    fun, grad = flat(sizes, X, y, "relu", 0.01)
    result = check_gradient(fun, grad, pack(coefs, intercepts))
    assert result.ok, result.diagnosis


def test_a_missing_activation_derivative_is_caught():
    rng = np.random.default_rng(0)
    sizes = [3, 4, 2]
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 2, 6)
    theta = pack(*init_weights(sizes, activation="tanh", random_state=0))
    fun, grad = flat(sizes, X, y, "tanh", 0.0)

    def buggy(theta):
        coefs, intercepts = unpack(theta, sizes)
        H = np.tanh(X @ coefs[0] + intercepts[0])
        Z = H @ coefs[1] + intercepts[1]
        P = np.exp(Z - Z.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        delta = (P - np.eye(2)[y]) / len(y)
        delta_hidden = delta @ coefs[1].T  # bug: no * (1 - H**2)
        return pack([X.T @ delta_hidden, H.T @ delta], [delta_hidden.sum(0), delta.sum(0)])

    assert_allclose(buggy(theta)[12:20], grad(theta)[12:20])  # the output layer is right
    assert not check_gradient(fun, buggy, theta).ok


def test_zero_weights_give_log_k_and_no_hidden_gradient():
    coefs = [np.zeros((3, 5)), np.zeros((5, 4))]
    intercepts = [np.zeros(5), np.zeros(4)]
    X, y = np.ones((2, 3)), np.array([0, 3])
    loss, gW, gb = loss_and_gradient(coefs, intercepts, X, y)
    assert loss == pytest.approx(np.log(4))
    assert not np.any(gW[0]) and not np.any(gb[0]) and not np.any(gW[1])


# ---------------------------------------------------------------------------------------
# The same steps as scikit-learn's MLPClassifier
# ---------------------------------------------------------------------------------------

EPOCHS, BATCH, ALPHA_SK = 5, 30, 0.3


@functools.cache
def random_data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(120, 5)), rng.integers(0, 3, 120)  # 4 whole batches of 30


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic"])
@pytest.mark.parametrize(
    ("sklearn_solver", "optimizer"),
    [
        (
            dict(solver="sgd", momentum=0.9, nesterovs_momentum=False, learning_rate_init=0.05),
            SGD(lr=0.05, momentum=0.9),
        ),
        (
            dict(solver="sgd", momentum=0.9, nesterovs_momentum=True, learning_rate_init=0.05),
            SGD(lr=0.05, momentum=0.9, nesterov=True),
        ),
        (
            dict(solver="sgd", momentum=0.0, learning_rate_init=0.1),
            SGD(lr=0.1),
        ),
        # scikit-learn's epsilon is sqrt(1 - beta2^t) times Adam's: negligible at 1e-300.
        (
            dict(solver="adam", learning_rate_init=0.01, epsilon=1e-300),
            Adam(lr=0.01, eps=0.0),
        ),
        (
            dict(solver="adam", learning_rate_init=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-300),
            Adam(lr=0.02, betas=(0.8, 0.99), eps=0.0),
        ),
    ],
)
def test_reproduces_scikit_learn_mlpclassifier(activation, sklearn_solver, optimizer):
    X, y = random_data()
    common = dict(batch_size=BATCH, max_iter=EPOCHS, random_state=3, activation=activation)
    reference = MLPClassifier(
        (7, 4), alpha=ALPHA_SK, tol=0.0, n_iter_no_change=100, **sklearn_solver, **common
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference.fit(X, y)
    ours = MLPClassifierGD(
        (7, 4), alpha=ALPHA_SK / BATCH, optimizer=optimizer, tol=None, **common
    ).fit(X, y)
    assert ours.t_ == EPOCHS * len(X) // BATCH
    assert relative_difference(ours, reference) < 1e-12
    assert_allclose(ours.loss_curve_, reference.loss_curve_, rtol=1e-12)
    assert_allclose(ours.predict_proba(X), reference.predict_proba(X), rtol=1e-10, atol=1e-14)


def test_initial_weights_are_scikit_learns():
    X, y = random_data()
    reference = MLPClassifier((6,), max_iter=1, learning_rate_init=1e-300, random_state=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference.fit(X, y)
    coefs, intercepts = init_weights([5, 6, 3], random_state=7)
    for ours, theirs in zip(
        coefs + intercepts, reference.coefs_ + reference.intercepts_, strict=True
    ):
        assert_allclose(ours, theirs, rtol=1e-12)


def test_early_stopping_reproduces_scikit_learn():
    X, y = random_data()
    common = dict(
        batch_size=27,
        max_iter=30,
        random_state=0,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=3,
        tol=1e-4,
    )  # 108 = 4 batches of 27
    reference = MLPClassifier((8,), solver="adam", epsilon=1e-300, alpha=0.27, **common)
    ours = MLPClassifierGD((8,), optimizer=Adam(lr=0.001, eps=0.0), alpha=0.01, **common)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference.fit(X, y)
        ours.fit(X, y)
    assert ours.n_iter_ == reference.n_iter_
    assert_allclose(ours.validation_scores_, reference.validation_scores_)
    assert relative_difference(ours, reference) < 1e-12


@functools.cache
def digits():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_digits_with_default_hyper_parameters():
    X_train, X_test, y_train, y_test = digits()
    with threadpool_limits(limits=1):  # small matrices: threads only add overhead
        ours = MLPClassifierGD(random_state=0).fit(X_train, y_train)
        reference = MLPClassifier(random_state=0).fit(X_train, y_train)
    assert ours.score(X_test, y_test) >= 0.95
    assert ours.score(X_test, y_test) >= reference.score(X_test, y_test) - 0.01
    assert ours.n_iter_ < ours.max_iter  # stopped by its tolerance, without a warning


# ---------------------------------------------------------------------------------------
# The estimator: stopping, clipping, divergence, optimizers
# ---------------------------------------------------------------------------------------


def test_convergence_warning_when_max_iter_is_hit():
    X, y = random_data()
    with pytest.warns(ConvergenceWarning, match=r"stopped at max_iter=2 epochs"):
        model = MLPClassifierGD((5,), max_iter=2).fit(X, y)
    assert model.n_iter_ == 2 and len(model.loss_curve_) == 2


def test_no_warning_with_tol_none():
    X, y = random_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MLPClassifierGD((5,), max_iter=2, tol=None).fit(X, y)


def test_clipping_bounds_every_step():
    X, y = random_data()
    X = 100 * X  # unscaled features: huge gradients
    model = MLPClassifierGD(
        (5,),
        optimizer=SGD(lr=0.1),
        clip_norm=0.5,
        batch_size=None,
        max_iter=3,
        tol=None,
        random_state=0,
    ).fit(X, y)
    start = pack(*init_weights([5, 5, 3], random_state=0))
    assert np.linalg.norm(parameters(model) - start) <= 3 * 0.1 * 0.5 * (1 + 1e-12)


def test_divergence_names_the_epoch_and_the_learning_rate():
    X, y = random_data()
    model = MLPClassifierGD((5,), optimizer="sgd", lr=1e200, max_iter=5, random_state=0)
    with pytest.raises(
        FloatingPointError, match=r"diverged at epoch \d+ with lr=1e\+200: .* clip_norm"
    ):
        model.fit(1e100 * X, y)


def test_optimizer_instance_is_not_modified_and_lr_overrides_it():
    X, y = random_data()
    opt = SGD(lr=0.1, momentum=0.9)
    a = MLPClassifierGD((4,), optimizer=opt, lr=0.05, max_iter=2, tol=None, random_state=0)
    b = MLPClassifierGD(
        (4,), optimizer=SGD(lr=0.05, momentum=0.9), max_iter=2, tol=None, random_state=0
    )
    assert_allclose(parameters(a.fit(X, y)), parameters(b.fit(X, y)), rtol=0, atol=0)
    assert opt.t == 0 and opt.lr == 0.1


def test_schedule_as_lr_and_no_hidden_layer():
    X, y = random_data()
    model = MLPClassifierGD(
        (), lr=lambda t: 0.01 / (1 + t), optimizer="sgd", max_iter=2, tol=None, random_state=0
    ).fit(X, y)
    assert [c.shape for c in model.coefs_] == [(5, 3)]


def test_string_labels_and_two_classes():
    X, y = random_data()
    labels = np.array(["cat", "dog"])[y % 2]
    model = MLPClassifierGD((6,), max_iter=3, tol=None, random_state=0).fit(X, labels)
    assert set(model.predict(X)) <= {"cat", "dog"}
    assert model.predict_proba(X).shape == (120, 2)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("activation", "softplus"),
        ("alpha", -1.0),
        ("batch_size", 0),
        ("optimizer", "lbfgs"),
        ("optimizer", object()),
        ("lr", 0.0),
        ("max_iter", 0),
        ("tol", -1.0),
        ("n_iter_no_change", 0),
        ("early_stopping", "yes"),
        ("validation_fraction", 1.0),
        ("clip_norm", 0.0),
        ("shuffle", 2),
        ("random_state", "seed"),
        ("hidden_layer_sizes", 0),
    ],
)
def test_bad_parameter_raises_value_error_naming_it(param, value):
    X, y = random_data()
    with pytest.raises(ValueError, match=f"The '{param}' parameter of MLPClassifierGD must be"):
        MLPClassifierGD(**{param: value}).fit(X, y)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: MLPClassifierGD((3, 0)).fit(*random_data()),
            r"hidden_layer_sizes must be a sequence of at least 0 positive integers",
        ),
        (
            lambda: MLPClassifierGD((3, 2.5)).fit(*random_data()),
            r"hidden_layer_sizes must be a sequence",
        ),
        (lambda: MLPClassifierGD().fit(np.ones((3, 2)), [1, 1, 1]), "at least 2 classes"),
        (lambda: init_weights([3]), r"layer_sizes must be a sequence of at least 2"),
        (lambda: init_weights([3, 2], activation="softplus"), "activation must be one of"),
        (lambda: unpack(np.zeros(5), [2, 2]), r"theta must have shape \(6,\)"),
    ],
)
def test_bad_input_raises_with_the_fix(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    [
        MLPClassifierGD((10,), lr=0.01, max_iter=50),
        MLPClassifierGD((5,), optimizer="sgd", lr=0.1, batch_size=16, max_iter=30, tol=None),
    ]
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
