r"""Data-fit losses of linear models and their gradients with respect to the predictions.

Each loss takes the targets ``Y`` and the linear predictions (logits) ``Z``, both of
shape ``(n_samples, n_outputs)``, and returns the mean loss

.. math::

    \frac{1}{n} \sum_{i=1}^n \ell(y_i, z_i)

together with its gradient with respect to ``Z`` (an array of the shape of ``Z``). The
chain rule through :math:`Z = X W^\top + b` is left to the caller.

The cross-entropies are computed from the logits with ``log_expit`` and log-sum-exp,
never as ``log(sigmoid(z))`` or ``log(softmax(z))``: they stay finite, without a NumPy
warning, at logits of :math:`\pm 1000`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit

__all__ = ["GRADIENTS", "LOSSES", "squared_error", "binomial_log_loss", "multinomial_log_loss"]


def _squared_error_gradient(Y, Z):
    return (Z - Y) / Y.shape[0]


def _binomial_log_loss_gradient(Y, Z):
    return (expit(Z) - Y) / Y.shape[0]


def _log_softmax(Z):
    m = np.max(Z, axis=1, keepdims=True)
    return Z - (m + np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True)))


def _softmax_minus_targets(Y, log_p):
    return (np.exp(log_p) - Y) / Y.shape[0]


def _multinomial_log_loss_gradient(Y, Z):
    return _softmax_minus_targets(Y, _log_softmax(Z))


# The gradients alone, for the steps of mini-batch training, which do not need the loss; the
# losses below return the same functions' values as their gradients.
GRADIENTS = {
    "squared_error": _squared_error_gradient,
    "binomial": _binomial_log_loss_gradient,
    "multinomial": _multinomial_log_loss_gradient,
}


def squared_error(Y, Z):
    r"""Half squared error :math:`\ell(y, z) = \tfrac12 (y - z)^2`, with ``Y`` real.

    Its gradient with respect to :math:`z` is :math:`z - y` (the factor 1/2 cancels the 2).
    """
    loss = 0.5 * ((Z - Y) ** 2).sum() / Y.shape[0]
    return loss, _squared_error_gradient(Y, Z)


def binomial_log_loss(Y, Z):
    r"""Binary cross-entropy of the logit :math:`z`, with ``Y`` in {0, 1}.

    .. math::

        \ell(y, z) = -y \log \sigma(z) - (1 - y) \log(1 - \sigma(z)),
        \qquad \frac{\partial \ell}{\partial z} = \sigma(z) - y,

    where :math:`\log \sigma(z)` and :math:`\log(1 - \sigma(z)) = \log \sigma(-z)` are
    computed by ``scipy.special.log_expit``.
    """
    loss = -(Y * log_expit(Z) + (1 - Y) * log_expit(-Z)).sum() / Y.shape[0]
    return loss, _binomial_log_loss_gradient(Y, Z)


def multinomial_log_loss(Y, Z):
    r"""Softmax cross-entropy of the logits :math:`z \in \mathbb{R}^K`, with ``Y`` one-hot.

    .. math::

        \ell(y, z) = -\sum_{k=1}^K y_k \log \operatorname{softmax}(z)_k
        = \log \sum_{k=1}^K e^{z_k} - \sum_{k=1}^K y_k z_k,
        \qquad \frac{\partial \ell}{\partial z} = \operatorname{softmax}(z) - y.

    The log-sum-exp is computed with the largest logit shifted out,
    :math:`\log \sum_k e^{z_k} = m + \log \sum_k e^{z_k - m}` with :math:`m = \max_k z_k`,
    so that no exponential overflows (as ``scipy.special.logsumexp`` does, without its
    overhead on small arrays); the softmax is then :math:`e^{z_k - \log \sum_j e^{z_j}}`.
    """
    log_p = _log_softmax(Z)
    loss = -(Y * log_p).sum() / Y.shape[0]
    return loss, _softmax_minus_targets(Y, log_p)


# Name -> (loss function, bound on the second derivative of the loss in z). The bound
# gives the smoothness constant L of the objective: 1 for the squared error, 1/4 for the
# logistic loss (max of sigma'(z)), 1/2 for the softmax (largest eigenvalue of
# diag(p) - p p^T is at most 1/2).
LOSSES = {
    "squared_error": (squared_error, 1.0),
    "binomial": (binomial_log_loss, 0.25),
    "multinomial": (multinomial_log_loss, 0.5),
}
