r"""A multilayer perceptron for classification, trained by the optimizers of :mod:`mlopt`.

The network maps a row :math:`x` of the data through :math:`L` dense layers,

.. math::

    a^{(0)} = x, \qquad
    z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}, \qquad
    a^{(l)} = \varphi(z^{(l)}) \quad (l < L), \qquad
    p = \operatorname{softmax}(z^{(L)}),

with :math:`W^{(l)}` of shape (fan-in, fan-out) as in scikit-learn's ``coefs_``, and is
trained on the mean cross-entropy plus an L2 penalty on the weights (not the biases),

.. math::

    J(\theta) = \frac{1}{n} \sum_{i=1}^n -\log p_{i, y_i}
    + \frac{\alpha}{2} \sum_{l=1}^L \lVert W^{(l)} \rVert_F^2 .

Backpropagation computes :math:`\nabla J` layer by layer, from the output back, with
:math:`\delta^{(l)} = \partial J / \partial z^{(l)}` for a batch stacked in rows:

.. math::

    \delta^{(L)} = \tfrac{1}{n} (P - Y), \qquad
    \nabla_{W^{(l)}} J = {A^{(l-1)}}^\top \delta^{(l)} + \alpha W^{(l)}, \qquad
    \nabla_{b^{(l)}} J = \mathbf{1}^\top \delta^{(l)}, \qquad
    \delta^{(l-1)} = \bigl(\delta^{(l)} {W^{(l)}}^\top\bigr) \odot \varphi'(Z^{(l-1)}).

Public names: :class:`MLPClassifierGD` (the estimator), :func:`init_weights`,
:func:`forward_pass`, :func:`loss_and_gradient` (the pieces it is made of, for a reader who
wants to run them by hand), :func:`pack` and :func:`unpack` (between the lists of layers and
the one flat vector that the optimizers update) and ``ACTIVATIONS``.
"""

from __future__ import annotations

import copy
import numbers
import warnings
from itertools import pairwise

import numpy as np
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._losses import multinomial_log_loss
from .optimizers import OPTIMIZERS, Optimizer, get_optimizer

__all__ = [
    "ACTIVATIONS",
    "MLPClassifierGD",
    "forward_pass",
    "init_weights",
    "loss_and_gradient",
    "pack",
    "unpack",
]


def _relu(z):
    return np.maximum(z, 0.0)


def _logistic(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the sigmoid, without overflow for large |z|


#: name -> (activation :math:`\varphi`, its derivative written with the activation's output
#: :math:`a = \varphi(z)`): :math:`\varphi'(z) = 1` (identity), :math:`1 - a^2` (tanh),
#: :math:`a (1 - a)` (logistic), :math:`[a > 0]` (ReLU, taking 0 at the kink).
ACTIVATIONS = {
    "identity": (lambda z: z, lambda a: np.ones_like(a)),
    "tanh": (np.tanh, lambda a: 1.0 - a**2),
    "logistic": (_logistic, lambda a: a * (1.0 - a)),
    "relu": (_relu, lambda a: (a > 0).astype(float)),
}


# ---------------------------------------------------------------------------------------
# The pieces: initialisation, forward pass, backpropagation
# ---------------------------------------------------------------------------------------


def init_weights(layer_sizes, *, activation="relu", random_state=None):
    r"""Glorot-uniform initial weights and biases, drawn as scikit-learn's MLPClassifier does.

    Layer :math:`l` gets weights and biases uniform in :math:`[-r, r]` with
    :math:`r = \sqrt{6 / (\text{fan-in} + \text{fan-out})}` (Glorot and Bengio [1]_), or
    :math:`\sqrt{2 / (\text{fan-in} + \text{fan-out})}` for the logistic activation; the
    weights of a layer are drawn before its biases, layer after layer, from one
    ``numpy.random.RandomState``, so that the same ``random_state`` gives the same numbers
    as ``sklearn.neural_network.MLPClassifier``.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, from the inputs to the outputs, each at least 1; at least two.
    activation : {"identity", "tanh", "logistic", "relu"}, default="relu"
        The hidden activation (it sets the bound :math:`r`).
    random_state : int, numpy.random.RandomState or None, default=None
        The source of the random numbers.

    Returns
    -------
    coefs : list of numpy.ndarray
        ``coefs[l]`` of shape ``(layer_sizes[l], layer_sizes[l + 1])``.
    intercepts : list of numpy.ndarray
        ``intercepts[l]`` of shape ``(layer_sizes[l + 1],)``.

    References
    ----------
    .. [1] X. Glorot and Y. Bengio, "Understanding the difficulty of training deep
       feedforward neural networks", AISTATS 2010.

    Examples
    --------
    >>> from mlopt.neural_network import init_weights
    >>> coefs, intercepts = init_weights([4, 3, 2], random_state=0)
    >>> [c.shape for c in coefs], [b.shape for b in intercepts]
    ([(4, 3), (3, 2)], [(3,), (2,)])
    """
    sizes = _check_layer_sizes("layer_sizes", layer_sizes, minimum=2)
    _check_activation(activation)
    rng = check_random_state(random_state)
    factor = 2.0 if activation == "logistic" else 6.0
    coefs, intercepts = [], []
    for fan_in, fan_out in pairwise(sizes):
        bound = np.sqrt(factor / (fan_in + fan_out))
        coefs.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
        intercepts.append(rng.uniform(-bound, bound, fan_out))
    return coefs, intercepts


def forward_pass(coefs, intercepts, X, activation="relu"):
    r"""The activations of every layer: :math:`[X, A^{(1)}, \dots, A^{(L-1)}, P]`.

    Parameters
    ----------
    coefs, intercepts : list of numpy.ndarray
        The weights :math:`W^{(l)}` (fan-in, fan-out) and biases :math:`b^{(l)}`.
    X : numpy.ndarray of shape (n_samples, n_features)
        The inputs, one row per sample.
    activation : {"identity", "tanh", "logistic", "relu"}, default="relu"
        The hidden activation :math:`\varphi`; the output layer is a softmax.

    Returns
    -------
    list of numpy.ndarray
        ``L + 1`` arrays: the inputs, the hidden activations and the class probabilities
        :math:`P` (rows summing to 1).

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.neural_network import forward_pass
    >>> coefs = [np.eye(2), np.zeros((2, 3))]
    >>> intercepts = [np.zeros(2), np.zeros(3)]
    >>> forward_pass(coefs, intercepts, np.array([[1.0, -1.0]]))[-1].round(3)
    array([[0.333, 0.333, 0.333]])
    """
    activations, logits = _forward(coefs, intercepts, X, activation)
    return [*activations, softmax(logits, axis=1)]


def _forward(coefs, intercepts, X, activation):
    """The inputs and hidden activations ``[X, A1, ..., A(L-1)]``, and the logits ``Z(L)``."""
    phi, _ = ACTIVATIONS[activation]
    activations = [X]
    for W, b in zip(coefs[:-1], intercepts[:-1], strict=True):
        activations.append(phi(activations[-1] @ W + b))
    logits = activations[-1] @ coefs[-1] + intercepts[-1]
    return activations, logits


def loss_and_gradient(coefs, intercepts, X, y, *, activation="relu", alpha=0.0):
    r"""The objective :math:`J` on the batch ``(X, y)`` and its gradient, by backpropagation.

    .. math::

        J = \frac{1}{n} \sum_{i=1}^n -\log p_{i, y_i}
        + \frac{\alpha}{2} \sum_l \lVert W^{(l)} \rVert_F^2

    Parameters
    ----------
    coefs, intercepts : list of numpy.ndarray
        The weights :math:`W^{(l)}` (fan-in, fan-out) and biases :math:`b^{(l)}`.
    X : numpy.ndarray of shape (n_samples, n_features)
        The inputs.
    y : numpy.ndarray of shape (n_samples,)
        Class indices ``0, ..., K - 1``, with :math:`K` the width of the last layer.
    activation : {"identity", "tanh", "logistic", "relu"}, default="relu"
        The hidden activation.
    alpha : float, default=0.0
        The L2 strength :math:`\alpha`, in ``[0, inf)``.

    Returns
    -------
    loss : float
        :math:`J`.
    coef_grads, intercept_grads : list of numpy.ndarray
        :math:`\nabla_{W^{(l)}} J` and :math:`\nabla_{b^{(l)}} J`, shaped like the parameters.

    Examples
    --------
    At zero weights every class has probability 1/K, so the loss is :math:`\log K`:

    >>> import numpy as np
    >>> from mlopt.neural_network import loss_and_gradient
    >>> coefs = [np.zeros((2, 4)), np.zeros((4, 3))]
    >>> intercepts = [np.zeros(4), np.zeros(3)]
    >>> X, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 2])
    >>> loss, coef_grads, intercept_grads = loss_and_gradient(coefs, intercepts, X, y)
    >>> bool(np.isclose(loss, np.log(3))), intercept_grads[-1].round(3)
    (True, array([-0.167,  0.333, -0.167]))
    """
    _, phi_prime = ACTIVATIONS[activation]
    n_layers = len(coefs)
    # Forward pass, keeping every layer's activations for the backward pass.
    A, logits = _forward(coefs, intercepts, X, activation)
    Y = (np.asarray(y)[:, None] == np.arange(coefs[-1].shape[1])).astype(float)  # one-hot
    data_loss, delta = multinomial_log_loss(Y, logits)  # delta = (P - Y) / n
    loss = data_loss + 0.5 * alpha * sum(np.sum(W**2) for W in coefs)
    # Backward pass: delta = dJ/dZ of the layer, from the output back to the first layer.
    coef_grads, intercept_grads = [None] * n_layers, [None] * n_layers
    for layer in range(n_layers - 1, -1, -1):
        coef_grads[layer] = A[layer].T @ delta + alpha * coefs[layer]
        intercept_grads[layer] = delta.sum(axis=0)
        if layer > 0:
            delta = (delta @ coefs[layer].T) * phi_prime(A[layer])
    return float(loss), coef_grads, intercept_grads


def pack(coefs, intercepts):
    r"""The parameters as one flat vector :math:`\theta`: every weight matrix row by row, then
    every bias vector, in layer order (the order of scikit-learn's ``_pack``).

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.neural_network import pack, unpack
    >>> coefs, intercepts = [np.ones((2, 3)), np.ones((3, 1))], [np.zeros(3), np.zeros(1)]
    >>> theta = pack(coefs, intercepts)
    >>> theta.shape
    (13,)
    >>> [c.shape for c in unpack(theta, [2, 3, 1])[0]]
    [(2, 3), (3, 1)]
    """
    return np.concatenate([np.ravel(p) for p in [*coefs, *intercepts]])


def unpack(theta, layer_sizes):
    """The lists ``(coefs, intercepts)`` of :func:`pack`'s vector ``theta`` (views, no copy).

    Parameters
    ----------
    theta : numpy.ndarray
        The flat parameter vector.
    layer_sizes : sequence of int
        Units per layer, from the inputs to the outputs.
    """
    sizes = list(layer_sizes)
    n_weights = sum(a * b for a, b in pairwise(sizes))
    if np.shape(theta) != (n_weights + sum(sizes[1:]),):
        raise ValueError(
            f"theta must have shape ({n_weights + sum(sizes[1:])},) for layer sizes {sizes}; "
            f"got shape {np.shape(theta)}."
        )
    coefs, intercepts, start = [], [], 0
    for fan_in, fan_out in pairwise(sizes):
        coefs.append(theta[start : start + fan_in * fan_out].reshape(fan_in, fan_out))
        start += fan_in * fan_out
    for fan_out in sizes[1:]:
        intercepts.append(theta[start : start + fan_out])
        start += fan_out
    return coefs, intercepts


def _check_layer_sizes(name, sizes, minimum):
    """A list of positive integers, at least ``minimum`` of them."""
    if isinstance(sizes, numbers.Integral) and not isinstance(sizes, bool):
        sizes = [sizes]
    try:
        sizes = list(sizes)
    except TypeError:
        sizes = None
    if (
        sizes is None
        or len(sizes) < minimum
        or not all(
            isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1 for s in sizes
        )
    ):
        raise ValueError(
            f"{name} must be a sequence of at least {minimum} positive integers (units per "
            f"layer); got {sizes if sizes is not None else name!r}."
        )
    return [int(s) for s in sizes]


def _check_activation(activation):
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}; got {activation!r}."
        )


def _clip_by_norm(grad, max_norm):
    """``grad`` rescaled to Euclidean norm ``max_norm`` if it is longer (Pascanu et al.)."""
    norm = np.sqrt(grad @ grad)
    if norm > max_norm:
        return grad * (max_norm / norm)
    return grad


# ---------------------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------------------


class MLPClassifierGD(ClassifierMixin, BaseEstimator):
    r"""Multilayer perceptron classifier trained by mini-batch gradient methods.

    Minimises the mean softmax cross-entropy plus an L2 penalty on the weights,

    .. math::

        J(\theta) = \frac{1}{n} \sum_{i=1}^n -\log p_{i, y_i}(\theta)
        + \frac{\alpha}{2} \sum_{l} \lVert W^{(l)} \rVert_F^2,

    over the weights :math:`W^{(l)}` and biases :math:`b^{(l)}` of the network
    :math:`z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}`, :math:`a^{(l)} = \varphi(z^{(l)})`,
    :math:`p = \operatorname{softmax}(z^{(L)})`, by mini-batch steps of any optimizer of
    :mod:`mlopt.optimizers` on the gradient that :func:`loss_and_gradient` computes by
    backpropagation. Each epoch shuffles the samples, splits them into batches of
    ``batch_size`` and takes one step per batch:

    .. math::

        \theta_t = \operatorname{step}\bigl(\theta_{t-1},\ \nabla J_{B_t}(\theta_{t-1})\bigr),
        \qquad
        \nabla J_{B}(\theta) = \frac{1}{|B|} \sum_{i \in B} \nabla (-\log p_{i, y_i})
        + \alpha\, W .

    Parameters
    ----------
    hidden_layer_sizes : int or sequence of int, default=(100,)
        Units of each hidden layer, each at least 1 (an empty sequence gives softmax
        regression).
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
        The hidden activation :math:`\varphi`.
    alpha : float, default=1e-4
        L2 strength :math:`\alpha`, in ``[0, inf)`` (see Notes for scikit-learn's scaling).
    batch_size : int or None, default=200
        Samples per step, in ``[1, inf)``; capped at ``n_samples``; None means the full
        batch.
    optimizer : {"sgd", "adagrad", "rmsprop", "adam", "adamw"} or Optimizer, default="adam"
        The update rule: a name (a key of :data:`mlopt.optimizers.OPTIMIZERS`, built with
        its class's defaults) or an instance of :class:`mlopt.optimizers.Optimizer`, which
        is deep-copied and reset at every fit.
    lr : float, callable or None, default=None
        The learning rate, in ``(0, inf)``, or a schedule ``t -> lr`` with ``t`` the number
        of steps (batches) taken: it replaces the ``lr`` of ``optimizer``. None keeps it
        (0.001 for "adam", 0.01 for "sgd").
    max_iter : int, default=200
        Maximum number of epochs, in ``[1, inf)``.
    tol : float or None, default=1e-4
        Improvement that counts, in ``[0, inf)``: training stops when the epoch's mean
        training loss (or, with ``early_stopping``, the validation accuracy) has not
        improved by ``tol`` for more than ``n_iter_no_change`` epochs in a row. None runs
        exactly ``max_iter`` epochs and never warns.
    n_iter_no_change : int, default=10
        Epochs without improvement tolerated, in ``[1, inf)``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified for two classes,
        as in scikit-learn), stop on its
        accuracy, and keep the parameters of the epoch with the best validation accuracy.
    validation_fraction : float, default=0.1
        Share of the training data held out with ``early_stopping``, in ``(0, 1)``.
    clip_norm : float or None, default=None
        Gradient clipping: a mini-batch gradient longer than ``clip_norm`` (Euclidean norm
        over all parameters) is rescaled to that length before the step, in ``(0, inf)``.
    shuffle : bool, default=True
        Whether to shuffle the samples before each epoch.
    random_state : int, numpy.random.RandomState or None, default=None
        Seeds the initial weights, the shuffling and the validation split.

    Attributes
    ----------
    classes_ : numpy.ndarray of shape (n_classes,)
        The class labels.
    coefs_ : list of numpy.ndarray
        ``coefs_[l]`` is :math:`W^{(l+1)}`, of shape (fan-in, fan-out).
    intercepts_ : list of numpy.ndarray
        ``intercepts_[l]`` is :math:`b^{(l+1)}`.
    n_iter_ : int
        Epochs run.
    t_ : int
        Optimizer steps taken (batches).
    loss_curve_ : numpy.ndarray
        The mean of the mini-batch objectives :math:`J_B` over each epoch (as
        scikit-learn's ``loss_curve_``), taken along the way, before each step.
    validation_scores_ : numpy.ndarray or None
        Validation accuracy after each epoch (``early_stopping`` only).
    best_validation_score_ : float or None
        The best of ``validation_scores_`` (``early_stopping`` only).
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    **The same numbers as scikit-learn's MLPClassifier.** The initial weights
    (:func:`init_weights`), the shuffling (the order of an epoch is the previous order
    permuted by ``RandomState.permutation``, the same draws as ``sklearn.utils.shuffle``)
    and the validation split use the random numbers in the same order as
    ``MLPClassifier(random_state=...)``, so with the mapping below the two take the same
    steps, up to rounding (the test-suite compares 5 epochs; the parameters agree to about
    1e-13 relative):

    * ``MLPClassifier(alpha=a)`` is ``alpha=a / b`` here when every batch has :math:`b`
      samples: scikit-learn adds :math:`\frac{a}{2 |B|} \sum_l \lVert W^{(l)} \rVert^2` to the
      loss of each batch :math:`B`, this class :math:`\frac{\alpha}{2} \sum_l
      \lVert W^{(l)} \rVert^2` (so that a mini-batch gradient of :math:`J` is unbiased); a
      last, smaller batch is penalised more by scikit-learn.
    * ``solver="sgd", momentum=mu, nesterovs_momentum=False, learning_rate_init=eta`` is
      ``optimizer=SGD(lr=eta, momentum=mu)``: scikit-learn's velocity
      :math:`u_t = \mu u_{t-1} - \eta g_t`, :math:`\theta_t = \theta_{t-1} + u_t`, is
      :math:`u_t = -\eta b_t` in PyTorch's form :math:`b_t = \mu b_{t-1} + g_t`.
    * ``nesterovs_momentum=True`` (scikit-learn's default) is ``SGD(..., nesterov=True)``:
      its update :math:`\mu u_t - \eta g_t` is :math:`-\eta (g_t + \mu b_t)`.
    * ``solver="adam", learning_rate_init=eta, beta_1=b1, beta_2=b2, epsilon=e'`` is
      ``Adam(lr=eta, betas=(b1, b2), eps=e)`` with :math:`e = e' / \sqrt{1 - \beta_2^t}`:
      scikit-learn folds the bias correction into the step,
      :math:`\eta_t = \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t)`,
      :math:`\theta_t = \theta_{t-1} - \eta_t m_t / (\sqrt{v_t} + e')`, which is
      :math:`\hat m_t / (\sqrt{\hat v_t} + \epsilon)` with a time-varying :math:`\epsilon`;
      the two agree to rounding when :math:`e'` is negligible against :math:`\sqrt{v_t}`
      (the tests use :math:`e' = 10^{-300}` and :math:`\epsilon = 0`).
    * ``batch_size="auto"`` (``min(200, n)``) is ``batch_size=200`` (capped at ``n``).
    * ``tol``, ``n_iter_no_change``, ``early_stopping`` and ``validation_fraction`` follow
      the same rule on the same quantities (the epoch's mean training loss, or the
      validation accuracy with the best parameters restored).

    The defaults are those of ``MLPClassifier``, except ``alpha``, which has the meaning
    above (``MLPClassifier(alpha=1e-4)`` with batches of 200 is ``alpha=5e-7`` here).
    Two classes: scikit-learn uses one logistic output unit, this class a softmax over two
    (the same predictions are reachable, but the parameters differ). scikit-learn's
    learning-rate schedules ``"invscaling"`` and ``"adaptive"`` are not reproduced; pass an
    ``lr`` schedule of :mod:`mlopt.schedules` instead.

    **Divergence.** A step whose gradient or parameters are not finite raises
    ``FloatingPointError`` naming the epoch and the learning rate; lower ``lr``, or clip
    the gradient with ``clip_norm``.

    References
    ----------
    .. [1] D. E. Rumelhart, G. E. Hinton and R. J. Williams, "Learning representations by
       back-propagating errors", Nature 323, 533-536, 1986.
    .. [2] X. Glorot and Y. Bengio, "Understanding the difficulty of training deep
       feedforward neural networks", AISTATS 2010.
    .. [3] R. Pascanu, T. Mikolov and Y. Bengio, "On the difficulty of training recurrent
       neural networks", ICML 2013.
    .. [4] scikit-learn, ``sklearn/neural_network/_multilayer_perceptron.py`` and
       ``_stochastic_optimizers.py`` (version 1.7).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from mlopt.neural_network import MLPClassifierGD
    >>> from mlopt.optimizers import SGD
    >>> X, y = load_iris(return_X_y=True)
    >>> model = make_pipeline(
    ...     StandardScaler(),
    ...     MLPClassifierGD(hidden_layer_sizes=(8,), optimizer=SGD(lr=0.1, momentum=0.9),
    ...                     batch_size=30, max_iter=50, tol=None, random_state=0))
    >>> round(model.fit(X, y).score(X, y), 2)
    0.99
    >>> [c.shape for c in model[-1].coefs_]
    [(4, 8), (8, 3)]
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(numbers.Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "optimizer": [StrOptions(set(OPTIMIZERS)), Optimizer],
        "lr": [Interval(numbers.Real, 0, None, closed="neither"), callable, None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither")],
        "clip_norm": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        *,
        activation="relu",
        alpha=1e-4,
        batch_size=200,
        optimizer="adam",
        lr=None,
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        early_stopping=False,
        validation_fraction=0.1,
        clip_norm=None,
        shuffle=True,
        random_state=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alpha = alpha
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.clip_norm = clip_norm
        self.shuffle = shuffle
        self.random_state = random_state

    def _make_optimizer(self):
        """A fresh optimizer: the user's instance is deep-copied and reset, never modified."""
        if isinstance(self.optimizer, Optimizer):
            optimizer = copy.deepcopy(self.optimizer)
            if self.lr is not None:
                optimizer.lr = self.lr
            optimizer.reset()
            return optimizer
        if self.lr is not None:
            return get_optimizer(self.optimizer, lr=self.lr)
        if self.optimizer == "sgd":
            return get_optimizer("sgd", lr=0.01)
        return get_optimizer(self.optimizer)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the network on ``(X, y)``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Training features (standardise them: gradient methods are slow otherwise).
        y : array_like of shape (n_samples,)
            Class labels; at least two classes.

        Returns
        -------
        self : MLPClassifierGD
            The fitted estimator.
        """
        hidden = _check_layer_sizes("hidden_layer_sizes", self.hidden_layer_sizes, minimum=0)
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data; "
                f"got only one class: {self.classes_[0]!r}."
            )
        layer_sizes = [X.shape[1], *hidden, len(self.classes_)]
        rng = check_random_state(self.random_state)
        # Step 1: initial weights (the first random numbers, as in scikit-learn).
        coefs, intercepts = init_weights(layer_sizes, activation=self.activation, random_state=rng)
        theta = pack(coefs, intercepts)
        # Step 2: the validation split, if any (the next random numbers).
        X_val = y_val = None
        if self.early_stopping:
            # Stratified for two classes only, as scikit-learn (its multi-class targets are
            # one-hot rows, which it does not stratify).
            stratify = y_index if len(self.classes_) == 2 else None
            X, X_val, y_index, y_val = train_test_split(
                X, y_index, test_size=self.validation_fraction, random_state=rng, stratify=stratify
            )
        n_samples = X.shape[0]
        batch_size = n_samples if self.batch_size is None else min(self.batch_size, n_samples)
        optimizer = self._make_optimizer()
        alpha = float(self.alpha)
        order = np.arange(n_samples)

        def objective(theta, X_batch, y_batch):
            coefs, intercepts = unpack(theta, layer_sizes)
            loss, coef_grads, intercept_grads = loss_and_gradient(
                coefs, intercepts, X_batch, y_batch, activation=self.activation, alpha=alpha
            )
            return loss, pack(coef_grads, intercept_grads)

        loss_curve, val_scores = [], []
        best_loss, best_score, best_theta, no_improvement = np.inf, -np.inf, theta, 0
        stopped = False
        with np.errstate(all="ignore"):  # finiteness is checked explicitly
            for epoch in range(1, self.max_iter + 1):
                # Step 3: one epoch, one optimizer step per mini-batch.
                if self.shuffle:
                    order = order[rng.permutation(n_samples)]
                total = 0.0
                for start in range(0, n_samples, batch_size):
                    idx = order[start : start + batch_size]
                    lr = optimizer.lr_at(optimizer.t)
                    loss, grad = objective(theta, X[idx], y_index[idx])
                    if not (np.isfinite(loss) and np.all(np.isfinite(grad))):
                        raise self._diverged(epoch, lr, "loss or gradient")
                    if self.clip_norm is not None:
                        grad = _clip_by_norm(grad, self.clip_norm)
                    try:
                        theta = optimizer.step(theta, grad)
                    except FloatingPointError as exc:
                        raise self._diverged(epoch, lr, "parameter vector") from exc
                    total += loss * len(idx)
                loss_curve.append(total / n_samples)
                # Step 4: the stopping rule, on the training loss or the validation accuracy.
                if self.early_stopping:
                    coefs, intercepts = unpack(theta, layer_sizes)
                    P = forward_pass(coefs, intercepts, X_val, self.activation)[-1]
                    score = float(np.mean(np.argmax(P, axis=1) == y_val))
                    val_scores.append(score)
                    no_improvement = (
                        no_improvement + 1 if score < best_score + (self.tol or 0) else 0
                    )
                    if score > best_score:
                        best_score, best_theta = score, theta
                else:
                    current = loss_curve[-1]
                    no_improvement = (
                        no_improvement + 1 if current > best_loss - (self.tol or 0) else 0
                    )
                    best_loss = min(best_loss, current)
                if self.tol is not None and no_improvement > self.n_iter_no_change:
                    stopped = True
                    break

        if self.tol is not None and not stopped:
            warnings.warn(
                f"{type(self).__name__} stopped at max_iter={self.max_iter} epochs while the "
                f"{'validation accuracy' if self.early_stopping else 'training loss'} was still "
                f"improving by more than tol={self.tol:g}. Increase max_iter, or set tol=None "
                "to run a fixed number of epochs without this warning.",
                ConvergenceWarning,
                stacklevel=3,
            )
        if self.early_stopping:
            theta = best_theta
        self.coefs_, self.intercepts_ = (
            [p.copy() for p in part] for part in unpack(theta, layer_sizes)
        )
        self.n_iter_ = epoch
        self.t_ = optimizer.t
        self.loss_curve_ = np.asarray(loss_curve)
        self.validation_scores_ = np.asarray(val_scores) if self.early_stopping else None
        self.best_validation_score_ = best_score if self.early_stopping else None
        return self

    def _diverged(self, epoch, lr, what):
        return FloatingPointError(
            f"{type(self).__name__} diverged at epoch {epoch} with lr={lr:.3g}: the {what} is no "
            "longer finite. Lower the learning rate, standardise the features, or clip the "
            "gradient with clip_norm."
        )

    def predict_proba(self, X):
        """Class probabilities, the softmax of the last layer.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_classes)
            Probabilities, in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return forward_pass(self.coefs_, self.intercepts_, X, self.activation)[-1]

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
