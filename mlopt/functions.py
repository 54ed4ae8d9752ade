r"""Benchmark functions for optimisation, with their gradients, domains and known minima.

Every function is a callable object with the same interface (see :class:`BenchmarkFunction`):

==================  =========  ===============================  ==================================
function            dimension  usual domain                     global minimum
==================  =========  ===============================  ==================================
:data:`sphere`      d >= 1     :math:`[-5.12, 5.12]^d`          0 at the origin
:data:`rosenbrock`  d >= 2     :math:`[-5, 10]^d`               0 at :math:`(1, \dots, 1)`
:data:`rastrigin`   d >= 1     :math:`[-5.12, 5.12]^d`          0 at the origin
:data:`ackley`      d >= 1     :math:`[-32.768, 32.768]^d`      0 at the origin
:data:`himmelblau`  2          :math:`[-5, 5]^2`                0 at four points
:data:`branin`      2          :math:`[-5, 10] \times [0, 15]`  :math:`5 / (4\pi)` at three points
==================  =========  ===============================  ==================================

A function takes one point of shape ``(d,)`` and returns a float, or ``n`` points stacked
as the rows of an array of shape ``(n, d)`` and returns an array of shape ``(n,)``, so that
it can be evaluated on a plotting grid in one call. For example:

>>> import numpy as np
>>> from mlopt.functions import rosenbrock
>>> rosenbrock
rosenbrock
>>> rosenbrock([0.0, 0.0])
1.0
>>> rosenbrock.grad([0.0, 0.0])
array([-2.,  0.])
>>> x1, x2 = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 3, 4))
>>> z = rosenbrock(np.column_stack([x1.ravel(), x2.ravel()])).reshape(x1.shape)
>>> z.shape
(4, 5)
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import check_vector

_FLOAT64 = np.dtype(np.float64)

__all__ = [
    "BenchmarkFunction",
    "sphere",
    "rosenbrock",
    "rastrigin",
    "ackley",
    "himmelblau",
    "branin",
    "Sphere",
    "Rosenbrock",
    "Rastrigin",
    "Ackley",
    "Himmelblau",
    "Branin",
]


class BenchmarkFunction:
    """Base class of the benchmark functions: value, gradient, domain and known minimum.

    Subclasses set the class attributes below and implement ``_value`` and ``_gradient``
    on an array of shape ``(n, d)``; the base class checks the input and handles the
    one-point case.

    Attributes
    ----------
    name : str
        The function's name, also its ``repr``.
    dim : int or None
        The only dimension the function is defined for, or None if it is defined for every
        ``d >= min_dim``.
    min_dim : int
        The smallest dimension the function is defined for.
    minimum : float
        The global minimum value.

    Examples
    --------
    A new benchmark needs its value and gradient on the rows of an array:

    >>> import numpy as np
    >>> from mlopt.functions import BenchmarkFunction
    >>> class Abs2(BenchmarkFunction):
    ...     name = "abs2"
    ...     def _value(self, X):
    ...         return np.sum(X**2, axis=1)
    ...     def _gradient(self, X):
    ...         return 2 * X
    >>> f = Abs2()
    >>> f([1.0, 2.0]), f.grad([1.0, 2.0])
    (5.0, array([2., 4.]))
    >>> f([[1.0, 0.0], [0.0, 3.0]])
    array([1., 9.])
    """

    name: str = ""
    dim: int | None = None
    min_dim: int = 1
    minimum: float = 0.0

    def __call__(self, x):
        """Evaluate the function.

        Parameters
        ----------
        x : array_like, shape (d,) or (n, d)
            One point, or ``n`` points as the rows of an array. Entries must be finite.

        Returns
        -------
        float or ndarray of shape (n,)
            The value at the point, or the values at the ``n`` points.
        """
        X, one_point = self._as_points(x)
        values = self._value(X)
        return float(values[0]) if one_point else values

    def grad(self, x):
        """Evaluate the analytic gradient.

        Parameters
        ----------
        x : array_like, shape (d,) or (n, d)
            One point, or ``n`` points as the rows of an array. Entries must be finite.

        Returns
        -------
        ndarray of shape (d,) or (n, d)
            The gradient at the point, or the gradients at the ``n`` points as rows.
        """
        X, one_point = self._as_points(x)
        G = self._gradient(X)
        return G[0] if one_point else G

    def _value_and_grad(self, x):
        """``(self(x), self.grad(x))``, with the input checked once (what minimize calls)."""
        X, one_point = self._as_points(x)
        values, G = self._value_and_gradient(X)
        return (float(values[0]) if one_point else values), (G[0] if one_point else G)

    def _value_and_gradient(self, X):
        """``(self._value(X), self._gradient(X))``; a subclass may share their work."""
        return self._value(X.copy()), self._gradient(X)  # each its own copy, as in two calls

    def bounds(self, d=None):
        """Return the usual search domain as a list of ``d`` pairs ``(low, high)``.

        Parameters
        ----------
        d : int, optional
            The dimension. Defaults to ``dim`` for a function of fixed dimension, else to 2.
        """
        d = self._check_dim(d)
        return [(float(low), float(high)) for low, high in self._bounds(d)]

    def minimizers(self, d=None):
        """Return the global minimisers as the rows of an array of shape ``(k, d)``.

        Parameters
        ----------
        d : int, optional
            The dimension. Defaults to ``dim`` for a function of fixed dimension, else to 2.
        """
        d = self._check_dim(d)
        return np.array(self._minimizers(d), dtype=float).reshape(-1, d)

    def __repr__(self):
        return self.name

    # -- input checks ----------------------------------------------------------------------

    def _dim_error(self, d, what):
        if self.dim is not None:
            return f"{self.name} is defined for d = {self.dim} only; got {what} d = {d}."
        return f"{self.name} is defined for d >= {self.min_dim}; got {what} d = {d}."

    def _check_dim(self, d):
        if d is None:
            return self.dim if self.dim is not None else 2
        if not isinstance(d, numbers.Integral) or isinstance(d, bool):
            raise ValueError(f"d must be a positive integer; got {d!r}.")
        d = int(d)
        if (self.dim is not None and d != self.dim) or d < self.min_dim:
            raise ValueError(self._dim_error(d, "the dimension"))
        return d

    def _as_points(self, x):
        """Return ``x`` as a float array of shape ``(n, d)`` and whether it was one point."""
        if (  # one finite float64 point, the common case, checked at once (the same result)
            type(x) is np.ndarray
            and x.dtype is _FLOAT64
            and x.ndim == 1
            and self.min_dim <= x.size
            and (self.dim is None or x.size == self.dim)
            and np.isfinite(x).all()
        ):
            return x.copy()[np.newaxis, :], True
        try:
            if x is None or np.iscomplexobj(x):
                raise TypeError("not real")  # no silent drop of an imaginary part
            X = np.asarray(x, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"x must be an array of real numbers; got {x!r}.") from exc
        one_point = X.ndim <= 1
        if X.size == 0:
            raise ValueError(
                "x must hold at least one point with at least one coordinate; "
                f"got an array of shape {X.shape}."
            )
        if one_point:
            X = check_vector("x", X)[np.newaxis, :]
        elif X.ndim > 2:
            raise ValueError(
                "x must have shape (d,) for one point or (n, d) for n points; "
                f"got an array of shape {X.shape}."
            )
        elif not np.all(np.isfinite(X)):
            raise ValueError("x must contain only finite numbers; got an array with inf or nan.")
        d = X.shape[1]
        if (self.dim is not None and d != self.dim) or d < self.min_dim:
            if self.dim is not None:
                fix = f"Pass x of shape ({self.dim},) or (n, {self.dim})."
            else:
                fix = f"Pass x of shape (d,) or (n, d) with d >= {self.min_dim}."
            raise ValueError(f"{self._dim_error(d, 'x with')} {fix}")
        return X, one_point

    # -- what each subclass defines --------------------------------------------------------

    def _value(self, X):
        raise NotImplementedError

    def _gradient(self, X):
        raise NotImplementedError

    def _bounds(self, d):
        raise NotImplementedError

    def _minimizers(self, d):
        raise NotImplementedError


class Sphere(BenchmarkFunction):
    r"""The sphere function, the sum of squares, for any dimension :math:`d \ge 1`.

    .. math::

        f(x) = \sum_{i=1}^{d} x_i^2,
        \qquad
        \nabla f(x) = 2x.

    Convex, separable and smooth: the baseline every method should solve.

    Notes
    -----
    Domain: :math:`x_i \in [-5.12, 5.12]` for all :math:`i` [1]_.

    Global minimum: :math:`f(0, \dots, 0) = 0`, the only minimiser.

    It is De Jong's first test function [2]_.

    References
    ----------
    .. [1] Surjanovic, S. and Bingham, D., "Virtual Library of Simulation Experiments: Test
       Functions and Datasets", Sphere Function. https://www.sfu.ca/~ssurjano/spheref.html
    .. [2] De Jong, K. A., "An Analysis of the Behavior of a Class of Genetic Adaptive
       Systems", PhD thesis, University of Michigan, 1975.

    Examples
    --------
    >>> from mlopt.functions import sphere
    >>> sphere([1.0, 2.0, 3.0])
    14.0
    >>> sphere.grad([1.0, 2.0, 3.0])
    array([2., 4., 6.])
    """

    name = "sphere"
    minimum = 0.0

    def _value(self, X):
        return np.sum(X**2, axis=1)

    def _gradient(self, X):
        return 2 * X

    def _bounds(self, d):
        return [(-5.12, 5.12)] * d

    def _minimizers(self, d):
        return np.zeros((1, d))


class Rosenbrock(BenchmarkFunction):
    r"""Rosenbrock's banana-shaped valley, for any dimension :math:`d \ge 2`.

    .. math::

        f(x) = \sum_{i=1}^{d-1} \left[ 100\,(x_{i+1} - x_i^2)^2 + (1 - x_i)^2 \right].

    With :math:`u_i = x_{i+1} - x_i^2`, the gradient is

    .. math::

        \frac{\partial f}{\partial x_j}
        = \underbrace{-400\, x_j u_j - 2 (1 - x_j)}_{\text{if } j \le d - 1}
        + \underbrace{200\, u_{j-1}}_{\text{if } j \ge 2}.

    The minimiser lies at the bottom of a long, curved, flat valley, which makes
    gradient descent crawl.

    Notes
    -----
    Domain: :math:`x_i \in [-5, 10]` for all :math:`i`, the domain Surjanovic and Bingham
    [2]_ give first; they note it may be restricted to :math:`[-2.048, 2.048]^d`, which
    frames the valley better in a plot.

    Global minimum: :math:`f(1, \dots, 1) = 0`, the only global minimiser. For
    :math:`4 \le d \le 7` there is also a local minimiser near :math:`(-1, 1, \dots, 1)`.

    The formula is the one of :func:`scipy.optimize.rosen` (Rosenbrock's original function
    [1]_ is the case :math:`d = 2`).

    References
    ----------
    .. [1] Rosenbrock, H. H., "An automatic method for finding the greatest or least value
       of a function", The Computer Journal 3(3):175-184, 1960.
    .. [2] Surjanovic, S. and Bingham, D., "Virtual Library of Simulation Experiments: Test
       Functions and Datasets", Rosenbrock Function. https://www.sfu.ca/~ssurjano/rosen.html

    Examples
    --------
    >>> from mlopt.functions import rosenbrock
    >>> rosenbrock([1.0, 1.0])
    0.0
    >>> rosenbrock([0.0, 0.0])
    1.0
    >>> rosenbrock.bounds(2)
    [(-5.0, 10.0), (-5.0, 10.0)]
    """

    name = "rosenbrock"
    min_dim = 2
    minimum = 0.0

    def _value(self, X):
        x, x_next = X[:, :-1], X[:, 1:]
        return np.sum(100 * (x_next - x**2) ** 2 + (1 - x) ** 2, axis=1)

    def _gradient(self, X):
        x, x_next = X[:, :-1], X[:, 1:]
        u = x_next - x**2
        G = np.zeros_like(X)
        G[:, :-1] += -400 * x * u - 2 * (1 - x)
        G[:, 1:] += 200 * u
        return G

    def _value_and_gradient(self, X):
        # _value and _gradient, the same operations, with u and 1 - x computed once
        if type(self)._value is not Rosenbrock._value or (
            type(self)._gradient is not Rosenbrock._gradient
        ):  # a subclass changed one of them: use them
            return super()._value_and_gradient(X)
        if X.shape == (1, 2):
            # One point in the plane, as minimize evaluates it: the same IEEE operations in
            # the same order (x**2 is x * x in NumPy; G starts at 0.0, += adds to it), on
            # Python floats, which take a fifth of the time of NumPy's on arrays this small.
            x, x_next = float(X[0, 0]), float(X[0, 1])
            u = x_next - x * x
            one_minus_x = 1 - x
            value = 100 * (u * u) + one_minus_x * one_minus_x
            gradient = [0.0 + (-400 * x * u - 2 * one_minus_x), 0.0 + 200 * u]
            return np.array([value]), np.array([gradient])
        x, x_next = X[:, :-1], X[:, 1:]
        u = x_next - x**2
        one_minus_x = 1 - x
        values = (100 * u**2 + one_minus_x**2).sum(axis=1)
        G = np.zeros_like(X)
        G[:, :-1] += -400 * x * u - 2 * one_minus_x
        G[:, 1:] += 200 * u
        return values, G

    def _bounds(self, d):
        return [(-5.0, 10.0)] * d

    def _minimizers(self, d):
        return np.ones((1, d))


class Rastrigin(BenchmarkFunction):
    r"""Rastrigin's function, a bowl covered with a regular grid of local minima, any :math:`d`.

    .. math::

        f(x) = 10 d + \sum_{i=1}^{d} \left[ x_i^2 - 10 \cos(2 \pi x_i) \right],
        \qquad
        \frac{\partial f}{\partial x_i} = 2 x_i + 20 \pi \sin(2 \pi x_i).

    There is a local minimiser near every point with integer coordinates; at such a point
    :math:`k`, :math:`f(k) = \sum_i k_i^2`.

    Notes
    -----
    Domain: :math:`x_i \in [-5.12, 5.12]` for all :math:`i` [2]_.

    Global minimum: :math:`f(0, \dots, 0) = 0`, the only global minimiser.

    Rastrigin [1]_ introduced the case :math:`d = 2`; the form for any :math:`d` is the one
    in common use, for instance in [2]_.

    References
    ----------
    .. [1] Rastrigin, L. A., "Systems of Extremal Control" (in Russian), Nauka, Moscow, 1974.
    .. [2] Surjanovic, S. and Bingham, D., "Virtual Library of Simulation Experiments: Test
       Functions and Datasets", Rastrigin Function. https://www.sfu.ca/~ssurjano/rastr.html

    Examples
    --------
    >>> from mlopt.functions import rastrigin
    >>> rastrigin([0.0, 0.0])
    0.0
    >>> rastrigin([1.0, 2.0])
    5.0
    """

    name = "rastrigin"
    minimum = 0.0

    def _value(self, X):
        d = X.shape[1]
        return 10 * d + np.sum(X**2 - 10 * np.cos(2 * np.pi * X), axis=1)

    def _gradient(self, X):
        return 2 * X + 20 * np.pi * np.sin(2 * np.pi * X)

    def _bounds(self, d):
        return [(-5.12, 5.12)] * d

    def _minimizers(self, d):
        return np.zeros((1, d))


class Ackley(BenchmarkFunction):
    r"""Ackley's function, a nearly flat plate with a deep hole at the origin, any :math:`d`.

    With :math:`a = 20`, :math:`b = 0.2`, :math:`c = 2\pi`,
    :math:`r = \sqrt{\tfrac{1}{d} \sum_i x_i^2}` and
    :math:`m = \tfrac{1}{d} \sum_i \cos(c x_i)`,

    .. math::

        f(x) = -a\, e^{-b r} - e^{m} + a + e,
        \qquad
        \frac{\partial f}{\partial x_i}
        = a b\, e^{-b r} \frac{x_i}{d\, r} + \frac{c}{d}\, e^{m} \sin(c x_i).

    Notes
    -----
    Domain: :math:`x_i \in [-32.768, 32.768]` for all :math:`i` [2]_.

    Global minimum: :math:`f(0, \dots, 0) = 0`, the only global minimiser.

    Near the origin :math:`f(x) \approx a b\, r`, a cone, so :math:`f` is not
    differentiable at the origin. There :meth:`~BenchmarkFunction.grad` returns 0, which
    is a subgradient (the origin is the global minimiser) and the one of least norm; no NaN,
    no NumPy warning.

    The value is computed as :math:`-a\,\mathrm{expm1}(-b r) - e\,\mathrm{expm1}(m - 1)`,
    the same formula rearranged, so that :math:`f(0) = 0` exactly and values near the
    minimum keep their relative accuracy.

    References
    ----------
    .. [1] Ackley, D. H., "A Connectionist Machine for Genetic Hillclimbing", Kluwer
       Academic Publishers, Boston, 1987.
    .. [2] Surjanovic, S. and Bingham, D., "Virtual Library of Simulation Experiments: Test
       Functions and Datasets", Ackley Function. https://www.sfu.ca/~ssurjano/ackley.html

    Examples
    --------
    >>> from mlopt.functions import ackley
    >>> ackley([0.0, 0.0])
    0.0
    >>> ackley.grad([0.0, 0.0])
    array([0., 0.])
    """

    name = "ackley"
    minimum = 0.0
    a, b, c = 20.0, 0.2, 2 * np.pi

    def _value(self, X):
        a, b, c = self.a, self.b, self.c
        r = np.sqrt(np.mean(X**2, axis=1))
        m = np.mean(np.cos(c * X), axis=1)
        # -a exp(-b r) + a  and  -exp(m) + e, each written with expm1
        return -a * np.expm1(-b * r) - np.e * np.expm1(m - 1)

    def _gradient(self, X):
        a, b, c = self.a, self.b, self.c
        d = X.shape[1]
        r = np.sqrt(np.mean(X**2, axis=1))[:, np.newaxis]
        m = np.mean(np.cos(c * X), axis=1)[:, np.newaxis]
        # dr/dx_i = x_i / (d r), set to 0 at r = 0 (the subgradient of least norm)
        dr_dx = np.divide(X, d * r, out=np.zeros_like(X), where=r > 0)
        return a * b * np.exp(-b * r) * dr_dx + (c / d) * np.exp(m) * np.sin(c * X)

    def _bounds(self, d):
        return [(-32.768, 32.768)] * d

    def _minimizers(self, d):
        return np.zeros((1, d))


class Himmelblau(BenchmarkFunction):
    r"""Himmelblau's function, a 2-D function with four global minimisers.

    .. math::

        f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2.

    With :math:`u = x^2 + y - 11` and :math:`v = x + y^2 - 7`,

    .. math::

        \nabla f(x, y) = \left( 4 x u + 2 v,\; 2 u + 4 y v \right).

    Notes
    -----
    Domain: :math:`(x, y) \in [-5, 5]^2`.

    Global minimum: :math:`f = 0` at four points, where :math:`u = v = 0`:
    :math:`(3, 2)` and, to six decimals, :math:`(-2.805118, 3.131312)`,
    :math:`(-3.779310, -3.283186)` and :math:`(3.584428, -1.848126)`. Their :math:`x` are
    the roots of :math:`x^3 + 3x^2 - 13x - 38` (the quartic :math:`x^4 - 22x^2 + x + 114`
    obtained by eliminating :math:`y = 11 - x^2`, divided by :math:`x - 3`); they are
    hard-coded as the nearest doubles, computed once with 60-digit Newton iterations.

    References
    ----------
    .. [1] Himmelblau, D. M., "Applied Nonlinear Programming", McGraw-Hill, New York, 1972.

    Examples
    --------
    >>> from mlopt.functions import himmelblau
    >>> himmelblau([3.0, 2.0])
    0.0
    >>> himmelblau([0.0, 0.0])
    170.0
    >>> himmelblau.bounds()
    [(-5.0, 5.0), (-5.0, 5.0)]
    """

    name = "himmelblau"
    dim = 2
    min_dim = 2
    minimum = 0.0

    def _value(self, X):
        x, y = X[:, 0], X[:, 1]
        return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2

    def _gradient(self, X):
        x, y = X[:, 0], X[:, 1]
        u = x**2 + y - 11
        v = x + y**2 - 7
        return np.column_stack([4 * x * u + 2 * v, 2 * u + 4 * y * v])

    def _bounds(self, d):
        return [(-5.0, 5.0)] * d

    def _minimizers(self, d):
        return [
            [3.0, 2.0],
            [-2.805118086952745, 3.131312518250573],
            [-3.779310253377747, -3.2831859912861696],
            [3.5844283403304917, -1.8481265269644036],
        ]


class Branin(BenchmarkFunction):
    r"""The Branin (Branin-Hoo) function, a 2-D function with three global minimisers.

    With :math:`a = 1`, :math:`b = 5.1 / (4\pi^2)`, :math:`c = 5/\pi`, :math:`r = 6`,
    :math:`s = 10`, :math:`t = 1 / (8\pi)` and :math:`u = x_2 - b x_1^2 + c x_1 - r`,

    .. math::

        f(x_1, x_2) = a u^2 + s (1 - t) \cos(x_1) + s,
        \qquad
        \nabla f = \left( 2 a u (c - 2 b x_1) - s (1 - t) \sin(x_1),\; 2 a u \right).

    Notes
    -----
    Domain: :math:`x_1 \in [-5, 10]`, :math:`x_2 \in [0, 15]` [3]_.

    Global minimum: :math:`f = s t = 5 / (4\pi) \approx 0.397887`, where :math:`u = 0`
    and :math:`\cos x_1 = -1`: at :math:`(-\pi, 12.275)`, :math:`(\pi, 2.275)` and
    :math:`(3\pi, 2.475)`.

    References
    ----------
    .. [1] Branin, F. H., "Widely convergent method for finding multiple solutions of
       simultaneous nonlinear equations", IBM Journal of Research and Development
       16(5):504-522, 1972.
    .. [2] Dixon, L. C. W. and Szegő, G. P., "The global optimization problem: an
       introduction", in Towards Global Optimisation 2, North-Holland, Amsterdam, 1978,
       pp. 1-15.
    .. [3] Surjanovic, S. and Bingham, D., "Virtual Library of Simulation Experiments: Test
       Functions and Datasets", Branin Function. https://www.sfu.ca/~ssurjano/branin.html

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.functions import branin
    >>> branin.minimum
    0.3978873577297384
    >>> round(branin([np.pi, 2.275]), 10)
    0.3978873577
    """

    name = "branin"
    dim = 2
    min_dim = 2
    minimum = 5 / (4 * np.pi)  # s t
    a, b, c = 1.0, 5.1 / (4 * np.pi**2), 5 / np.pi
    r, s, t = 6.0, 10.0, 1 / (8 * np.pi)

    def _value(self, X):
        a, b, c, r, s, t = self.a, self.b, self.c, self.r, self.s, self.t
        x1, x2 = X[:, 0], X[:, 1]
        u = x2 - b * x1**2 + c * x1 - r
        return a * u**2 + s * (1 - t) * np.cos(x1) + s

    def _gradient(self, X):
        a, b, c, r, s, t = self.a, self.b, self.c, self.r, self.s, self.t
        x1, x2 = X[:, 0], X[:, 1]
        u = x2 - b * x1**2 + c * x1 - r
        return np.column_stack([2 * a * u * (c - 2 * b * x1) - s * (1 - t) * np.sin(x1), 2 * a * u])

    def _bounds(self, d):
        return [(-5.0, 10.0), (0.0, 15.0)]

    def _minimizers(self, d):
        return [[-np.pi, 12.275], [np.pi, 2.275], [3 * np.pi, 2.475]]


#: The Sphere function, the instance of :class:`Sphere` used throughout the book.
sphere = Sphere()
#: The Rosenbrock function, the instance of :class:`Rosenbrock` used throughout the book.
rosenbrock = Rosenbrock()
#: The Rastrigin function, the instance of :class:`Rastrigin` used throughout the book.
rastrigin = Rastrigin()
#: The Ackley function, the instance of :class:`Ackley` used throughout the book.
ackley = Ackley()
#: The Himmelblau function, the instance of :class:`Himmelblau` used throughout the book.
himmelblau = Himmelblau()
#: The Branin function, the instance of :class:`Branin` used throughout the book.
branin = Branin()
