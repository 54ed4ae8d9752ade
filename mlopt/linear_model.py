r"""Linear and logistic regression fitted by (proximal, mini-batch) gradient descent.

Both estimators minimise, over the coefficients :math:`w` and the intercept :math:`b`,

.. math::

    J(w, b) = \underbrace{\frac{1}{n} \sum_{i=1}^n \ell(y_i, w^\top x_i + b)
    + \frac{\alpha (1 - \rho)}{2} \lVert w \rVert_2^2}_{f(w, b)\ \text{smooth}}
    + \underbrace{\alpha \rho \lVert w \rVert_1}_{\text{non-smooth}},

with :math:`\rho` = ``l1_ratio``. Each step is a gradient step on the smooth part
:math:`f` (taken by any optimizer of :mod:`mlopt.optimizers`) followed by the proximal
step of the L1 term, :func:`soft_threshold`. With plain gradient descent this is ISTA,
the proximal gradient method.

Public names: :class:`LinearRegressionGD`, :class:`LogisticRegressionGD`,
:func:`smooth_objective_and_gradient`, :func:`flat_objective` (the same objective on one flat
parameter vector, ready for :func:`mlopt.minimize` and :func:`mlopt.proximal.ista`) and
:func:`soft_threshold` (from :mod:`mlopt.proximal`).
"""

from __future__ import annotations

import copy
import numbers
import warnings

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._losses import GRADIENTS, LOSSES
from ._validation import check_interval
from .optimizers import OPTIMIZERS, Optimizer, _read_only, get_optimizer
from .proximal import soft_threshold

__all__ = [
    "LinearRegressionGD",
    "LogisticRegressionGD",
    "flat_objective",
    "smooth_objective_and_gradient",
    "soft_threshold",
]

# Above this size a square overflows float64 (1.8e308): data that large must be rescaled.
_LARGEST_SQUARABLE = 1e150


# ---------------------------------------------------------------------------------------
# The objective
# ---------------------------------------------------------------------------------------


def _encode_targets(y, loss, n_outputs):
    """Targets as a float array of shape (n_samples, n_outputs): one-hot for "multinomial"."""
    y = np.asarray(y)
    if loss == "multinomial":
        return (y[:, None] == np.arange(n_outputs)).astype(float)
    return y.astype(float).reshape(-1, 1)


def smooth_objective_and_gradient(
    coef, intercept, X, y, *, loss="squared_error", alpha=0.0, l1_ratio=0.0
):
    r"""The smooth part :math:`f` of the objective and its gradient.

    .. math::

        f(w, b) = \frac{1}{n} \sum_{i=1}^n \ell(y_i, W x_i + b)
        + \frac{\alpha (1 - \rho)}{2} \lVert W \rVert_F^2,
        \qquad
        \nabla_W f = \frac{1}{n} (\hat{P} - Y)^\top X + \alpha (1 - \rho) W,
        \qquad
        \nabla_b f = \frac{1}{n} (\hat{P} - Y)^\top \mathbf{1},

    where :math:`\hat{P}` holds the predictions (identity, sigmoid or softmax of the
    logits :math:`Z = X W^\top + b`) and :math:`Y` the targets (one-hot for
    ``"multinomial"``). The intercept is not penalised. The full objective of the
    estimators is :math:`J = f + \alpha \rho \lVert W \rVert_1`; its L1 term is not
    differentiable at zero and is handled by :func:`soft_threshold` instead.

    Parameters
    ----------
    coef : array_like of shape (n_features,) or (n_outputs, n_features)
        The coefficients :math:`W`, shaped like an estimator's ``coef_``.
    intercept : float or array_like of shape (n_outputs,)
        The intercept :math:`b`, shaped like an estimator's ``intercept_``.
    X : array_like of shape (n_samples, n_features)
        The features.
    y : array_like of shape (n_samples,)
        Real targets for ``"squared_error"``; 0 or 1 for ``"binomial"``; integer class
        indices in ``0, ..., n_outputs - 1`` for ``"multinomial"``.
    loss : {"squared_error", "binomial", "multinomial"}, default="squared_error"
        :math:`\ell(y, z) = \tfrac12 (y - z)^2`, the binary cross-entropy of the logit
        :math:`z`, or the softmax cross-entropy of the logits :math:`z \in \mathbb{R}^K`.
    alpha : float, default=0.0
        Regularisation strength :math:`\alpha`, in ``[0, inf)``.
    l1_ratio : float, default=0.0
        :math:`\rho`, in ``[0, 1]``: only the L2 share :math:`1 - \rho` is in :math:`f`.

    Returns
    -------
    f : float
        The smooth part of the objective.
    grad_coef : numpy.ndarray
        :math:`\nabla_W f`, of the shape of ``coef``.
    grad_intercept : float or numpy.ndarray
        :math:`\nabla_b f`, of the shape of ``intercept``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.linear_model import smooth_objective_and_gradient
    >>> X = np.array([[1.0], [2.0]])
    >>> y = np.array([1.0, 3.0])
    >>> smooth_objective_and_gradient([1.0], 0.0, X, y)  # residuals 0 and -1
    (0.25, array([-1.]), -0.5)
    """
    checked = _check_smooth_inputs(coef, intercept, X, y, loss, alpha, l1_ratio)
    return _smooth_objective_and_gradient(*checked)


def _check_smooth_inputs(coef, intercept, X, y, loss, alpha, l1_ratio):
    """The checks of :func:`smooth_objective_and_gradient`; returns its checked arguments."""
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(map(repr, LOSSES))}; got {loss!r}.")
    alpha = check_interval("alpha", alpha, 0.0, np.inf, closed="left")
    l1_ratio = check_interval("l1_ratio", l1_ratio, 0.0, 1.0, closed="both")
    coef = _real("coef", coef)
    if coef.ndim not in (1, 2) or coef.size == 0:
        raise ValueError(
            "coef must have shape (n_features,) or (n_outputs, n_features); got shape "
            f"{coef.shape}."
        )
    W = np.atleast_2d(coef)  # (n_outputs, n_features)
    b = np.atleast_1d(_real("intercept", intercept))  # (n_outputs,)
    if b.shape != (W.shape[0],):
        raise ValueError(
            f"intercept must have {W.shape[0]} entries, one per row of coef; got shape "
            f"{np.shape(intercept)}."
        )
    X = _real("X", X)
    if X.ndim != 2 or X.shape[1] != W.shape[1] or X.shape[0] == 0:
        raise ValueError(
            f"X must have shape (n_samples, {W.shape[1]}) with n_samples >= 1, to match coef; "
            f"got shape {X.shape}."
        )
    y = _check_targets(y, loss, X.shape[0], W.shape[0])
    return coef, intercept, X, y, loss, alpha, l1_ratio


def _smooth_objective_and_gradient(coef, intercept, X, y, loss, alpha, l1_ratio):
    """:func:`smooth_objective_and_gradient` on checked input (the estimators' inner loop)."""
    loss_function, _ = LOSSES[loss]
    coef = np.asarray(coef, dtype=float)
    W = np.atleast_2d(coef)
    b = np.atleast_1d(np.asarray(intercept, dtype=float))
    Y = _encode_targets(y, loss, W.shape[0])
    ridge = alpha * (1.0 - l1_ratio)

    data_loss, dZ = loss_function(Y, X @ W.T + b)  # dZ = (P_hat - Y) / n
    f = data_loss + 0.5 * ridge * (W**2).sum()
    grad_W, grad_b = _chain_rule(dZ, X, W, ridge)

    grad_intercept = grad_b.reshape(np.shape(intercept))
    if grad_intercept.ndim == 0:
        grad_intercept = float(grad_intercept)
    return float(f), grad_W.reshape(coef.shape), grad_intercept


def _chain_rule(dZ, X, W, ridge):
    """The gradient of f in (W, b), ridge term included, from dZ, its gradient in Z = X W^T + b."""
    return dZ.T @ X + ridge * W, dZ.sum(axis=0)


def _smooth_gradient(W, b, X, Y, gradient_function, ridge):
    """The gradient of :func:`_smooth_objective_and_gradient` alone, on a 2-D ``W``, a 1-D
    ``b`` and encoded targets ``Y`` (a mini-batch step's work): the same operations, so the
    same numbers, without the loss value or the input conversions."""
    return _chain_rule(gradient_function(Y, X @ W.T + b), X, W, ridge)


def _real(name, value):
    """A real float array (None, text and complex numbers refused), finite."""
    if value is None or np.iscomplexobj(value):
        raise ValueError(f"{name} must be real numbers; got {value!r:.80}.")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be real numbers; got {value!r:.80}.") from exc
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must contain only finite numbers; got {value!r:.80}.")
    return arr


_FLOAT64 = np.dtype(np.float64)


def _is_float64_vector(x):
    return type(x) is np.ndarray and x.dtype is _FLOAT64 and x.ndim == 1


def _check_targets(y, loss, n_samples, n_outputs):
    """The targets of ``loss``: reals; 0 or 1 (binomial); class indices 0..K-1 (multinomial)."""
    y = _real("y", y)
    if y.shape != (n_samples,):
        raise ValueError(f"y must have shape ({n_samples},), one per row of X; got {y.shape}.")
    if loss == "binomial" and not np.all((y == 0) | (y == 1)):
        raise ValueError(
            f"y must hold labels 0 or 1 for loss='binomial'; got values {np.unique(y)[:10]}."
        )
    if loss == "multinomial" and not np.all((y == np.round(y)) & (y >= 0) & (y < n_outputs)):
        raise ValueError(
            f"y must hold class indices 0, ..., {n_outputs - 1} (one per row of coef) for "
            f"loss='multinomial'; got values {np.unique(y)[:10]}."
        )
    return y


def flat_objective(X, y, *, loss="squared_error", alpha=0.0, l1_ratio=0.0, fit_intercept=True):
    r"""The smooth objective as a function of one flat parameter vector :math:`\theta`.

    Returns ``fun(theta) -> (f, grad)`` with :math:`\theta = (\operatorname{vec} W, b)`
    (the rows of :math:`W` one after the other, then the intercepts; no intercept when
    ``fit_intercept=False``), the form :func:`mlopt.minimize`, :func:`mlopt.proximal.ista`
    and :func:`mlopt.gradcheck.check_gradient` take. ``f`` is
    :func:`smooth_objective_and_gradient`.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        The features.
    y : array_like of shape (n_samples,)
        The targets, as for :func:`smooth_objective_and_gradient`; for ``"multinomial"``
        the number of outputs is the number of classes, ``max(y) + 1``.
    loss, alpha, l1_ratio
        As for :func:`smooth_objective_and_gradient`.
    fit_intercept : bool, default=True
        Whether :math:`\theta` ends with the intercepts.

    Returns
    -------
    fun : callable
        ``fun(theta) -> (float, ndarray)``; ``fun.size`` is the length of :math:`\theta`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt import minimize, SGD
    >>> from mlopt.linear_model import flat_objective
    >>> X, y = np.array([[1.0], [2.0]]), np.array([1.0, 3.0])
    >>> fun = flat_objective(X, y)
    >>> fun(np.array([1.0, 0.0]))  # theta = (w, b): residuals 0 and -1
    (0.25, array([-1. , -0.5]))
    >>> minimize(fun, np.zeros(fun.size), optimizer=SGD(lr=0.3)).x.round(4)
    array([ 2., -1.])
    """
    X = _real("X", X)
    if X.ndim != 2 or X.size == 0:
        raise ValueError(f"X must be a non-empty 2-D array; got shape {X.shape}.")
    y_arr = _real("y", y)
    n_outputs = int(np.max(y_arr)) + 1 if loss == "multinomial" and y_arr.size else 1
    n_features = X.shape[1]
    n_coef = n_outputs * n_features
    size = n_coef + (n_outputs if fit_intercept else 0)
    # Check everything once, here, rather than at every call.
    _check_smooth_inputs(
        np.zeros((n_outputs, n_features)), np.zeros(n_outputs), X, y_arr, loss, alpha, l1_ratio
    )
    alpha, l1_ratio = float(alpha), float(l1_ratio)

    def fun(theta):
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (size,):
            raise ValueError(f"theta must have shape ({size},); got {theta.shape}.")
        W = theta[:n_coef].reshape(n_outputs, n_features)
        b = theta[n_coef:] if fit_intercept else np.zeros(n_outputs)
        f, grad_W, grad_b = _smooth_objective_and_gradient(W, b, X, y_arr, loss, alpha, l1_ratio)
        parts = [grad_W.ravel(), grad_b] if fit_intercept else [grad_W.ravel()]
        return f, np.concatenate(parts)

    fun.size = size
    return fun


def _min_norm_subgradient(grad_f, w, threshold):
    r"""The smallest element of :math:`\nabla f(w) + \tau \partial \lVert w \rVert_1`.

    Where :math:`w_j \ne 0` it is :math:`\partial_j f + \tau \operatorname{sign}(w_j)`;
    where :math:`w_j = 0` the subdifferential is the interval
    :math:`\partial_j f + [-\tau, \tau]`, whose point closest to zero is
    :math:`S_\tau(\partial_j f)`. It vanishes exactly at the minimiser (the optimality
    conditions of the lasso), so its max-norm measures how far a fit is from converged.
    """
    return np.where(w != 0, grad_f + threshold * np.sign(w), soft_threshold(grad_f, threshold))


def _largest_eigenvalue_of_gram(X, fit_intercept):
    r""":math:`\lambda_{\max}(\tilde X^\top \tilde X / n)`, with :math:`\tilde X = [X, 1]`
    if ``fit_intercept`` (the curvature of the least-squares loss)."""
    n = X.shape[0]
    if fit_intercept:
        X = np.hstack([X, np.ones((n, 1))])
    scale = 1.0
    if float(np.max(np.abs(X))) > 1e100:  # rescale, so that the Gram matrix cannot overflow
        scale = float(np.max(np.abs(X)))
        X = X / scale
    gram = X.T @ X if X.shape[1] <= n else X @ X.T  # same non-zero eigenvalues
    return float(np.linalg.eigvalsh(gram / n)[-1]) * scale**2


def _check_scale(name, values):
    """Refuse data whose squares overflow float64, with the fix (rescale) in the message."""
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    if largest > _LARGEST_SQUARABLE:
        raise ValueError(
            f"{name} has entries as large as {largest:.3g}: their squares overflow float64, so "
            f"no step size can work. Rescale {name} (for example with "
            "sklearn.preprocessing.StandardScaler) to entries below 1e150."
        )


def _batches(n_samples, batch_size, shuffle, rng):
    """Index the mini-batches of one epoch (one slice, no copy, for the full batch)."""
    if batch_size >= n_samples:
        return [slice(None)]
    order = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
    return [order[start : start + batch_size] for start in range(0, n_samples, batch_size)]


# ---------------------------------------------------------------------------------------
# The estimators
# ---------------------------------------------------------------------------------------


class _LinearModelGD(BaseEstimator):
    """Parameters, validation and the training loop shared by the two estimators."""

    _parameter_constraints: dict = {
        "penalty": [StrOptions({"l2", "l1", "elasticnet"}), None],
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "optimizer": [StrOptions(set(OPTIMIZERS)), Optimizer],
        "lr": [Interval(numbers.Real, 0, None, closed="neither"), callable, None],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left"), None],
        "fit_intercept": ["boolean"],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        penalty="l2",
        alpha=1e-4,
        l1_ratio=0.15,
        optimizer="sgd",
        lr=None,
        batch_size=None,
        max_iter=1000,
        tol=1e-4,
        fit_intercept=True,
        shuffle=True,
        random_state=None,
    ):
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.optimizer = optimizer
        self.lr = lr
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.shuffle = shuffle
        self.random_state = random_state

    def _effective_penalty(self):
        """(alpha, l1_ratio) of the objective: no penalty is alpha = 0, "l2" is rho = 0."""
        if self.penalty is None:
            return 0.0, 0.0
        l1_ratio = {"l2": 0.0, "l1": 1.0, "elasticnet": self.l1_ratio}[self.penalty]
        return float(self.alpha), float(l1_ratio)

    def _make_optimizer(self, X, curvature, ridge, batch_size):
        """A fresh optimizer and the smoothness constant L of the full-batch smooth part.

        For the name "sgd" the step size is 1 / L(b), with L(b) the expected smoothness of
        the mini-batch loss for batches of b samples drawn without replacement (Gower et
        al. 2019, Prop. 3.8), which goes from L_max = max_i L_i (single samples) to L (the
        full batch). Other names use their class's default ``lr``.
        """
        n = X.shape[0]
        L = curvature * _largest_eigenvalue_of_gram(X, self.fit_intercept) + ridge
        if not isinstance(self.optimizer, str):
            optimizer = copy.deepcopy(self.optimizer)  # the user's instance keeps no state
            if self.lr is not None:
                optimizer.lr = self.lr
            optimizer.reset()
            return optimizer, L
        if self.lr is not None:
            return get_optimizer(self.optimizer, lr=self.lr), L
        if self.optimizer != "sgd":
            return get_optimizer(self.optimizer), L
        if batch_size == n:
            L_b = L
        else:
            L_max = curvature * (np.max(np.sum(X**2, axis=1)) + self.fit_intercept) + ridge
            b = batch_size
            L_b = n * (b - 1) / (b * (n - 1)) * L + (n - b) / (b * (n - 1)) * L_max
        return get_optimizer("sgd", lr=1.0 / L_b if L_b > 0 else 1.0), L

    def _fit_linear(self, X, y, loss, n_outputs):
        """Minimise J over (coef, intercept) and set the fitted attributes."""
        n_samples, n_features = X.shape
        alpha, l1_ratio = self._effective_penalty()
        threshold = alpha * l1_ratio  # weight of the L1 term
        _, curvature = LOSSES[loss]
        batch_size = n_samples if self.batch_size is None else min(self.batch_size, n_samples)
        optimizer, L = self._make_optimizer(X, curvature, alpha * (1 - l1_ratio), batch_size)
        rng = check_random_state(self.random_state)

        # theta = (W.ravel(), b): the flat parameter vector the optimizer updates.
        n_coef = n_outputs * n_features
        theta = np.zeros(n_coef + (n_outputs if self.fit_intercept else 0))

        def unpack(theta):
            W = theta[:n_coef].reshape(n_outputs, n_features)
            b = theta[n_coef:] if self.fit_intercept else np.zeros(n_outputs)
            return W, b

        def objective_and_optimality(theta):
            W, b = unpack(theta)
            f, grad_W, grad_b = _smooth_objective_and_gradient(W, b, X, y, loss, alpha, l1_ratio)
            J = f + threshold * np.abs(W).sum()
            grad = _min_norm_subgradient(grad_W, W, threshold).ravel()
            if self.fit_intercept:
                grad = np.concatenate([grad, grad_b])
            return J, np.abs(grad).max(), (grad_W, grad_b)

        def diverged(epoch, lr, what):
            if lr >= 2 / L:
                advice = (
                    f"Lower the learning rate (for full-batch gradient descent on this data "
                    f"lr must be below 2/L = {2 / L:.3g})."
                )
            else:
                advice = (
                    f"lr is below 2/L = {2 / L:.3g}, the bound of full-batch gradient "
                    "descent, but mini-batches or an adaptive optimizer can still diverge: "
                    "lower lr further, and standardise the features."
                )
            return FloatingPointError(
                f"{type(self).__name__} diverged at epoch {epoch} with lr={lr:.3g}: the "
                f"{what} is no longer finite. {advice}"
            )

        checked_step = type(optimizer).step is Optimizer.step
        # The mini-batch steps need the gradient only: targets encoded once, rows taken per batch.
        Y = _encode_targets(y, loss, n_outputs)
        gradient_function = GRADIENTS[loss]
        ridge = alpha * (1.0 - l1_ratio)
        loss_curve = []
        converged = False
        # Full-batch gradient descent steps from where the end-of-epoch check evaluated f: its
        # gradient is reused (the same numbers) rather than computed a second time.
        full_gradient = None
        with np.errstate(all="ignore"):  # finiteness is checked explicitly below
            for epoch in range(1, self.max_iter + 1):
                for idx in _batches(n_samples, batch_size, self.shuffle, rng):
                    X_batch = X[idx]
                    lr = optimizer.lr_at(optimizer.t)  # the step size of this step
                    W, b = unpack(theta)
                    if full_gradient is not None:
                        grad_W, grad_b = full_gradient
                    else:
                        grad_W, grad_b = _smooth_gradient(
                            W, b, X_batch, Y[idx], gradient_function, ridge
                        )
                    grad = np.concatenate([grad_W.ravel(), grad_b if self.fit_intercept else []])
                    if not np.isfinite(grad).all():
                        raise diverged(epoch, lr, "gradient")
                    # Step 1: a gradient step on the smooth part f.
                    try:
                        if checked_step and _is_float64_vector(theta):
                            # optimizer.step after its input checks, which theta and grad
                            # (finite float64 vectors of one size) pass
                            theta = optimizer._checked_step(
                                _read_only(theta), _read_only(grad), errstate=False
                            )
                        else:
                            theta = optimizer.step(theta, grad)
                    except FloatingPointError as exc:
                        raise diverged(epoch, lr, "coefficient vector") from exc
                    # Step 2: the proximal step of the L1 term, coefficients only.
                    if threshold > 0:
                        w = soft_threshold(theta[:n_coef], lr * threshold)
                        theta = np.concatenate([w, theta[n_coef:]])
                    if not np.isfinite(theta).all():
                        raise diverged(epoch, lr, "coefficient vector")

                J, optimality, gradient = objective_and_optimality(theta)
                if batch_size == n_samples:
                    full_gradient = gradient
                if not np.isfinite(J):
                    raise diverged(epoch, lr, "objective")
                loss_curve.append(J)
                if self.tol is not None and optimality <= self.tol:
                    converged = True
                    break

        if self.tol is not None and not converged:
            warnings.warn(
                f"{type(self).__name__} did not converge in max_iter={self.max_iter} epochs: "
                f"max |gradient| = {optimality:.3g} > tol={self.tol:g}. Increase max_iter "
                "or tol, or standardise the features (gradient descent is slow on "
                "ill-conditioned data).",
                ConvergenceWarning,
                stacklevel=4,
            )

        W, b = unpack(theta)
        self.n_iter_ = epoch
        self.loss_curve_ = np.asarray(loss_curve)
        return W, b.copy()

    def _decision_scores(self, X):
        """Logits / predictions ``X @ coef_.T + intercept_`` for validated X."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ np.atleast_2d(self.coef_).T + self.intercept_


class LinearRegressionGD(RegressorMixin, _LinearModelGD):
    r"""Least squares with elastic-net penalty, fitted by proximal gradient descent.

    Minimises

    .. math::

        J(w, b) = \frac{1}{2n} \sum_{i=1}^n (y_i - w^\top x_i - b)^2
        + \alpha \left( \rho \lVert w \rVert_1
        + \frac{1 - \rho}{2} \lVert w \rVert_2^2 \right),

    the objective of scikit-learn's ``Lasso``, ``ElasticNet`` and ``SGDRegressor``.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
        The regulariser: "l2" sets :math:`\rho = 0`, "l1" sets :math:`\rho = 1`,
        "elasticnet" uses ``l1_ratio``, None sets :math:`\alpha = 0`.
    alpha : float, default=1e-4
        Regularisation strength :math:`\alpha`, in ``[0, inf)``.
    l1_ratio : float, default=0.15
        The share :math:`\rho` of L1 in the elastic net, in ``[0, 1]``; used only when
        ``penalty="elasticnet"``.
    optimizer : {"sgd", "adagrad", "rmsprop", "adam", "adamw"} or Optimizer, default="sgd"
        The update rule for the smooth part: a name (a key of
        :data:`mlopt.optimizers.OPTIMIZERS`), or an instance of a subclass of
        :class:`mlopt.optimizers.Optimizer`, which is deep-copied and reset at every fit.
        For "sgd" the step size is :math:`1/L`, with :math:`L` the smoothness constant of
        :math:`f` (see Notes); the other names use their class's default ``lr``.
    lr : float, callable or None, default=None
        The learning rate, in ``(0, inf)``, or a schedule ``t -> lr`` (as scikit-learn's
        ``SGDRegressor`` has ``eta0``): it replaces the default of ``optimizer`` (and the
        ``lr`` of an optimizer instance). None keeps the defaults above.
    batch_size : int or None, default=None
        Samples per gradient step, in ``[1, inf)``; None (or a value above ``n_samples``)
        means full-batch gradient descent.
    max_iter : int, default=1000
        Maximum number of epochs (passes over the data), in ``[1, inf)``.
    tol : float or None, default=1e-4
        Stop when, at the end of an epoch, the max-norm of the (minimum-norm sub)gradient
        of :math:`J` on the whole training set is at most ``tol``, in ``[0, inf)``.
        None runs exactly ``max_iter`` epochs and never warns.
    fit_intercept : bool, default=True
        Whether to fit the (unpenalised) intercept :math:`b`.
    shuffle : bool, default=True
        Whether to shuffle the samples before each epoch (mini-batches only).
    random_state : int, numpy.random.RandomState or None, default=None
        Seeds the shuffling, for reproducible mini-batch runs.

    Attributes
    ----------
    coef_ : numpy.ndarray of shape (n_features,)
        The coefficients :math:`w`.
    intercept_ : float
        The intercept :math:`b` (0.0 when ``fit_intercept=False``).
    n_iter_ : int
        Epochs run.
    loss_curve_ : numpy.ndarray, one value per epoch
        The objective :math:`J` after each epoch.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    **Stopping rule.** The fit stops when the max-norm of the smallest subgradient of
    :math:`J` (its gradient when no L1 term is present) is at most ``tol``, evaluated
    on the whole training set after each epoch, like the ``tol`` of scikit-learn's
    ``LogisticRegression(solver="lbfgs")``. Otherwise a ``ConvergenceWarning`` is issued
    after ``max_iter`` epochs. ``tol`` is absolute: for least squares the gradient has the
    units of :math:`y` times those of :math:`x`, so scale ``tol`` with the targets (or
    standardise them). ``loss_curve_`` holds :math:`J` after every epoch.

    **Step size.** The smooth part :math:`f` is :math:`L`-smooth with
    :math:`L = c \, \lambda_{\max}(\tilde X^\top \tilde X / n) + \alpha (1 - \rho)`,
    :math:`\tilde X = [X, \mathbf{1}]` when ``fit_intercept``, and :math:`c` the bound on
    the loss's second derivative (1 for the squared error, 1/4 for the logistic loss,
    1/2 for the softmax). Full-batch gradient descent decreases :math:`J` for any
    step size below :math:`2/L`; the default "sgd" uses :math:`1/L`. With mini-batches of
    :math:`b` samples it uses :math:`1/\mathcal{L}(b)`, the expected smoothness [5]_

    .. math::

        \mathcal{L}(b) = \frac{n (b - 1)}{b (n - 1)} L + \frac{n - b}{b (n - 1)} L_{\max},
        \qquad L_{\max} = c \max_i \lVert \tilde x_i \rVert^2 + \alpha (1 - \rho),

    which is :math:`L_{\max}` for single samples (the step of scikit-learn's SAG solver)
    and :math:`L` for the full batch. A constant step makes mini-batch SGD settle in a
    neighbourhood of the minimum; pass ``SGD(lr=schedule)`` with a decaying schedule to
    converge. A fit whose
    coefficients or objective stop being finite raises ``FloatingPointError`` naming the
    epoch, the learning rate and the bound :math:`2/L`.

    **L1.** After each optimizer step the coefficients (not the intercept) go through
    :func:`soft_threshold` with threshold :math:`\eta_t \alpha \rho`, :math:`\eta_t` the
    optimizer's learning rate at that step; this gives exact zeros. With plain SGD
    (no momentum) and full batches it is ISTA [1]_; with other optimizers it is a
    heuristic, since their effective per-coordinate step size is not :math:`\eta_t`.

    **Other conventions.** ``penalty=None`` is ``LinearRegression``; ``penalty="l2"`` with
    ``alpha=a`` is ``Ridge(alpha=n * a)`` (Ridge does not divide the loss by n);
    ``penalty="l1"`` is ``Lasso(alpha=a)``; ``penalty="elasticnet"`` is
    ``ElasticNet(alpha=a, l1_ratio=rho)``.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for
       linear inverse problems", SIAM J. Imaging Sciences 2(1), 183-202, 2009.
    .. [2] R. Tibshirani, "Regression shrinkage and selection via the lasso", J. Royal
       Statistical Society B 58(1), 267-288, 1996.
    .. [3] H. Zou and T. Hastie, "Regularization and variable selection via the elastic
       net", J. Royal Statistical Society B 67(2), 301-320, 2005.
    .. [4] scikit-learn user guide, "Stochastic Gradient Descent",
       https://scikit-learn.org/stable/modules/sgd.html
    .. [5] R. M. Gower, N. Loizou, X. Qian, A. Sailanbayev, E. Shulgin and P. Richtarik,
       "SGD: general analysis and improved rates", ICML 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.preprocessing import StandardScaler
    >>> from mlopt.linear_model import LinearRegressionGD
    >>> X, y = load_diabetes(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> lasso = LinearRegressionGD(penalty="l1", alpha=5.0, tol=1e-3).fit(X, y)
    >>> np.flatnonzero(lasso.coef_)  # the features the lasso keeps, as sklearn's Lasso
    array([1, 2, 3, 6, 8])
    >>> round(lasso.score(X, y), 3)
    0.489
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the model by gradient descent on the training data.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Training features.
        y : array_like of shape (n_samples,)
            Real targets.

        Returns
        -------
        self : LinearRegressionGD
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        _check_scale("X", X)
        _check_scale("y", y)
        W, b = self._fit_linear(X, y, "squared_error", n_outputs=1)
        self.coef_ = W[0]
        self.intercept_ = float(b[0])
        return self

    def predict(self, X):
        """Predict :math:`\\hat y = X w + b`.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
            Predictions.
        """
        return self._decision_scores(X)[:, 0]


class LogisticRegressionGD(ClassifierMixin, _LinearModelGD):
    r"""Logistic (binary) or softmax (multinomial) regression fitted by gradient descent.

    Minimises the mean cross-entropy plus an elastic-net penalty,

    .. math::

        J(W, b) = \frac{1}{n} \sum_{i=1}^n \left( \log \sum_{k=1}^K e^{z_{ik}}
        - z_{i y_i} \right)
        + \alpha \left( \rho \lVert W \rVert_1
        + \frac{1 - \rho}{2} \lVert W \rVert_F^2 \right),
        \qquad z_i = W x_i + b,

    with :math:`K` rows of :math:`W` for :math:`K > 2` classes (softmax) and a single
    row for two classes, where the loss is
    :math:`-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))` with :math:`y \in \{0, 1\}`
    (the second class of ``classes_`` is the positive one). The losses are computed
    from the logits by log-sum-exp, so they stay finite at logits of :math:`\pm 1000`.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
        The regulariser: "l2" sets :math:`\rho = 0`, "l1" sets :math:`\rho = 1`,
        "elasticnet" uses ``l1_ratio``, None sets :math:`\alpha = 0`.
    alpha : float, default=1e-4
        Regularisation strength :math:`\alpha`, in ``[0, inf)``.
    l1_ratio : float, default=0.15
        The share :math:`\rho` of L1 in the elastic net, in ``[0, 1]``; used only when
        ``penalty="elasticnet"``.
    optimizer : {"sgd", "adagrad", "rmsprop", "adam", "adamw"} or Optimizer, default="sgd"
        The update rule for the smooth part: a name (a key of
        :data:`mlopt.optimizers.OPTIMIZERS`), or an instance of a subclass of
        :class:`mlopt.optimizers.Optimizer`, which is deep-copied and reset at every fit.
        For "sgd" the step size is :math:`1/L`, with :math:`L` the smoothness constant of
        :math:`f` (see Notes); the other names use their class's default ``lr``.
    lr : float, callable or None, default=None
        The learning rate, in ``(0, inf)``, or a schedule ``t -> lr`` (as scikit-learn's
        ``SGDRegressor`` has ``eta0``): it replaces the default of ``optimizer`` (and the
        ``lr`` of an optimizer instance). None keeps the defaults above.
    batch_size : int or None, default=None
        Samples per gradient step, in ``[1, inf)``; None (or a value above ``n_samples``)
        means full-batch gradient descent.
    max_iter : int, default=1000
        Maximum number of epochs (passes over the data), in ``[1, inf)``.
    tol : float or None, default=1e-4
        Stop when, at the end of an epoch, the max-norm of the (minimum-norm sub)gradient
        of :math:`J` on the whole training set is at most ``tol``, in ``[0, inf)``.
        None runs exactly ``max_iter`` epochs and never warns.
    fit_intercept : bool, default=True
        Whether to fit the (unpenalised) intercept :math:`b`.
    shuffle : bool, default=True
        Whether to shuffle the samples before each epoch (mini-batches only).
    random_state : int, numpy.random.RandomState or None, default=None
        Seeds the shuffling, for reproducible mini-batch runs.

    Attributes
    ----------
    classes_ : numpy.ndarray of shape (n_classes,)
        The class labels.
    coef_ : numpy.ndarray of shape (1, n_features) or (n_classes, n_features)
        The coefficients: one row for two classes, one per class otherwise.
    intercept_ : numpy.ndarray of shape (1,) or (n_classes,)
        The intercepts (zeros when ``fit_intercept=False``).
    n_iter_ : int
        Epochs run.
    loss_curve_ : numpy.ndarray, one value per epoch
        The objective :math:`J` after each epoch.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    **Stopping rule.** The fit stops when the max-norm of the smallest subgradient of
    :math:`J` (its gradient when no L1 term is present) is at most ``tol``, evaluated
    on the whole training set after each epoch, like the ``tol`` of scikit-learn's
    ``LogisticRegression(solver="lbfgs")``. Otherwise a ``ConvergenceWarning`` is issued
    after ``max_iter`` epochs. ``tol`` is absolute: for least squares the gradient has the
    units of :math:`y` times those of :math:`x`, so scale ``tol`` with the targets (or
    standardise them). ``loss_curve_`` holds :math:`J` after every epoch.

    **Step size.** The smooth part :math:`f` is :math:`L`-smooth with
    :math:`L = c \, \lambda_{\max}(\tilde X^\top \tilde X / n) + \alpha (1 - \rho)`,
    :math:`\tilde X = [X, \mathbf{1}]` when ``fit_intercept``, and :math:`c` the bound on
    the loss's second derivative (1 for the squared error, 1/4 for the logistic loss,
    1/2 for the softmax). Full-batch gradient descent decreases :math:`J` for any
    step size below :math:`2/L`; the default "sgd" uses :math:`1/L`. With mini-batches of
    :math:`b` samples it uses :math:`1/\mathcal{L}(b)`, the expected smoothness [5]_

    .. math::

        \mathcal{L}(b) = \frac{n (b - 1)}{b (n - 1)} L + \frac{n - b}{b (n - 1)} L_{\max},
        \qquad L_{\max} = c \max_i \lVert \tilde x_i \rVert^2 + \alpha (1 - \rho),

    which is :math:`L_{\max}` for single samples (the step of scikit-learn's SAG solver)
    and :math:`L` for the full batch. A constant step makes mini-batch SGD settle in a
    neighbourhood of the minimum; pass ``SGD(lr=schedule)`` with a decaying schedule to
    converge. A fit whose
    coefficients or objective stop being finite raises ``FloatingPointError`` naming the
    epoch, the learning rate and the bound :math:`2/L`.

    **L1.** After each optimizer step the coefficients (not the intercept) go through
    :func:`soft_threshold` with threshold :math:`\eta_t \alpha \rho`, :math:`\eta_t` the
    optimizer's learning rate at that step; this gives exact zeros. With plain SGD
    (no momentum) and full batches it is ISTA [1]_; with other optimizers it is a
    heuristic, since their effective per-coordinate step size is not :math:`\eta_t`.

    **Other conventions.** scikit-learn's ``LogisticRegression`` minimises
    :math:`C \sum_i \ell_i + \tfrac12 \lVert W \rVert^2`, so ``penalty="l2"`` with
    ``alpha=a`` equals ``LogisticRegression(C=1 / (n * a))``, and ``penalty=None`` equals
    ``LogisticRegression(C=np.inf)`` (when the data are not separable; on separable data
    the unpenalised minimum does not exist and the coefficients grow without bound).
    Like scikit-learn's, the multinomial model keeps all :math:`K` rows of :math:`W`.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for
       linear inverse problems", SIAM J. Imaging Sciences 2(1), 183-202, 2009.
    .. [2] R. Tibshirani, "Regression shrinkage and selection via the lasso", J. Royal
       Statistical Society B 58(1), 267-288, 1996.
    .. [3] H. Zou and T. Hastie, "Regularization and variable selection via the elastic
       net", J. Royal Statistical Society B 67(2), 301-320, 2005.
    .. [4] scikit-learn user guide, "Stochastic Gradient Descent",
       https://scikit-learn.org/stable/modules/sgd.html
    .. [5] R. M. Gower, N. Loizou, X. Qian, A. Sailanbayev, E. Shulgin and P. Richtarik,
       "SGD: general analysis and improved rates", ICML 2019.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from mlopt.linear_model import LogisticRegressionGD
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegressionGD(alpha=0.01))
    >>> round(model.fit(X, y).score(X, y), 3)
    0.986
    >>> model[-1].coef_.shape, model[-1].classes_
    ((1, 30), array([0, 1]))
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the model by gradient descent on the training data.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Training features.
        y : array_like of shape (n_samples,)
            Class labels; at least two classes.

        Returns
        -------
        self : LogisticRegressionGD
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        _check_scale("X", X)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data; "
                f"got only one class: {self.classes_[0]!r}."
            )
        if n_classes == 2:
            W, b = self._fit_linear(X, y_index, "binomial", n_outputs=1)
        else:
            W, b = self._fit_linear(X, y_index, "multinomial", n_outputs=n_classes)
        self.coef_ = W
        self.intercept_ = b
        return self

    def decision_function(self, X):
        """Logits :math:`X W^\\top + b`.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        numpy.ndarray of shape (n_samples,) or (n_samples, n_classes)
            The logit of the positive class (two classes) or of every class.
        """
        scores = self._decision_scores(X)
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_proba(self, X):
        """Class probabilities: sigmoid (two classes) or softmax of the logits.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_classes)
            Probabilities, in the order of ``classes_``.
        """
        scores = self._decision_scores(X)
        if scores.shape[1] == 1:
            return np.hstack([expit(-scores), expit(scores)])
        return softmax(scores, axis=1)

    def predict_log_proba(self, X):
        """Log-probabilities, computed stably from the logits (``log_expit``, ``log_softmax``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_classes)
            Log-probabilities, in the order of ``classes_``.
        """
        scores = self._decision_scores(X)
        if scores.shape[1] == 1:
            return np.hstack([log_expit(-scores), log_expit(scores)])
        return log_softmax(scores, axis=1)

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
        scores = self._decision_scores(X)
        if scores.shape[1] == 1:
            return self.classes_[(scores[:, 0] > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]
