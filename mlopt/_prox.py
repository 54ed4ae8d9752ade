r"""The proximal operator of the L1 norm: soft-thresholding."""

from __future__ import annotations

import numpy as np

__all__ = ["soft_threshold"]


def soft_threshold(z, threshold):
    r"""Soft-thresholding, the proximal operator of :math:`\tau \lVert \cdot \rVert_1`.

    .. math::

        S_\tau(z) = \operatorname{arg\,min}_w \; \tfrac12 \lVert w - z \rVert_2^2
        + \tau \lVert w \rVert_1 = \operatorname{sign}(z) \max(|z| - \tau, 0),

    applied entry by entry: entries with :math:`|z_j| \le \tau` become exactly zero,
    the others move towards zero by :math:`\tau`.

    Parameters
    ----------
    z : array_like
        The point to shrink, e.g. the result of a gradient step on the smooth part.
    threshold : float or array_like
        :math:`\tau \ge 0`; for a proximal gradient step with step size :math:`\eta` on
        :math:`\alpha \lVert w \rVert_1` it is :math:`\eta \alpha`. Broadcast against ``z``.

    Returns
    -------
    numpy.ndarray
        :math:`S_\tau(z)`, a new float array of the shape of ``z``.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for
       linear inverse problems", SIAM J. Imaging Sciences 2(1), 183-202, 2009.

    Examples
    --------
    >>> from mlopt.linear_model import soft_threshold
    >>> soft_threshold([-3.0, -0.5, 0.2, 2.0], 1.0)
    array([-2.,  0.,  0.,  1.])
    """
    z = np.asarray(z, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - threshold, 0.0) + 0.0  # + 0.0: no -0.0
