"""Tests of :mod:`mlopt.functions`: known minima, gradients, shapes and input checks."""

import doctest
import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from scipy.optimize import check_grad, rosen, rosen_der

import mlopt.functions
from mlopt.functions import (
    BenchmarkFunction,
    ackley,
    branin,
    himmelblau,
    rastrigin,
    rosenbrock,
    sphere,
)

FUNCTIONS = [sphere, rosenbrock, rastrigin, ackley, himmelblau, branin]

# (function, dimension): every function in the smallest dimension it accepts, 2 and 5.
CASES = [
    (f, d) for f in FUNCTIONS for d in ([f.dim] if f.dim is not None else sorted({f.min_dim, 2, 5}))
]
CASE_IDS = [f"{f.name}-d{d}" for f, d in CASES]


def random_points(f, d, n, seed=0):
    """``n`` points drawn uniformly from the domain of ``f``, as rows."""
    low, high = np.array(f.bounds(d)).T
    return low + np.random.default_rng(seed).random((n, d)) * (high - low)


# -- the table of known minima -------------------------------------------------------------

MINIMA = [
    # function, minimum, number of global minimisers
    (sphere, 0.0, 1),
    (rosenbrock, 0.0, 1),
    (rastrigin, 0.0, 1),
    (ackley, 0.0, 1),
    (himmelblau, 0.0, 4),
    (branin, 0.397887357729738, 3),
]


@pytest.mark.parametrize(("f", "minimum", "k"), MINIMA, ids=[row[0].name for row in MINIMA])
def test_known_minimum_and_number_of_minimizers(f, minimum, k):
    assert isinstance(f.minimum, float)
    assert f.minimum == pytest.approx(minimum, rel=1e-14, abs=1e-15)
    assert f.minimizers().shape == (k, 2)


def test_branin_minimum_is_s_times_t():
    assert branin.minimum == 5 / (4 * np.pi)


def test_himmelblau_minimizers_match_the_published_six_decimals():
    published = [
        (3.0, 2.0),
        (-2.805118, 3.131312),
        (-3.779310, -3.283186),
        (3.584428, -1.848126),
    ]
    assert_allclose(himmelblau.minimizers(), published, atol=1e-6)


def test_branin_minimizers_are_multiples_of_pi():
    assert_allclose(branin.minimizers(), [[-np.pi, 12.275], [np.pi, 2.275], [3 * np.pi, 2.475]])


@pytest.mark.parametrize(("f", "d"), CASES, ids=CASE_IDS)
def test_value_at_every_minimizer_is_the_minimum(f, d):
    for x in f.minimizers(d):
        assert f(x) == pytest.approx(f.minimum, abs=1e-12)


@pytest.mark.parametrize(("f", "d"), CASES, ids=CASE_IDS)
def test_gradient_vanishes_at_every_minimizer(f, d):
    assert_allclose(f.grad(f.minimizers(d)), 0.0, atol=1e-12)


@pytest.mark.parametrize(("f", "d"), CASES, ids=CASE_IDS)
def test_minimizers_lie_inside_the_bounds(f, d):
    X = f.minimizers(d)
    low, high = np.array(f.bounds(d)).T
    assert X.ndim == 2 and X.shape[1] == d
    assert np.all((low <= X) & (X <= high))


# -- domains ---------------------------------------------------------------------------

BOUNDS = [
    (sphere, 3, [(-5.12, 5.12)] * 3),
    (rosenbrock, 3, [(-5.0, 10.0)] * 3),
    (rastrigin, 3, [(-5.12, 5.12)] * 3),
    (ackley, 3, [(-32.768, 32.768)] * 3),
    (himmelblau, 2, [(-5.0, 5.0)] * 2),
    (branin, 2, [(-5.0, 10.0), (0.0, 15.0)]),
]


@pytest.mark.parametrize(("f", "d", "expected"), BOUNDS, ids=[row[0].name for row in BOUNDS])
def test_bounds(f, d, expected):
    bounds = f.bounds(d)
    assert bounds == expected
    assert all(isinstance(pair, tuple) and isinstance(pair[0], float) for pair in bounds)


@pytest.mark.parametrize("f", FUNCTIONS, ids=repr)
def test_bounds_and_minimizers_default_to_two_dimensions(f):
    assert f.bounds() == f.bounds(2)
    assert_allclose(f.minimizers(), f.minimizers(2))


# -- shapes, types and vectorisation ---------------------------------------------------------


@pytest.mark.parametrize(("f", "d"), CASES, ids=CASE_IDS)
def test_one_point_gives_a_float_and_n_points_give_an_array(f, d):
    X = random_points(f, d, n=4)
    assert type(f(X[0])) is float
    assert type(f(X[0].tolist())) is float
    assert f(X).shape == (4,) and f(X).dtype == np.float64
    assert f(X[:1]).shape == (1,)
    assert f.grad(X[0]).shape == (d,)
    assert f.grad(X).shape == (4, d)


@pytest.mark.parametrize(("f", "d"), CASES, ids=CASE_IDS)
def test_vectorised_call_equals_row_by_row_calls(f, d):
    X = random_points(f, d, n=7)
    assert_allclose(f(X), [f(x) for x in X], rtol=1e-15)
    assert_allclose(f.grad(X), [f.grad(x) for x in X], rtol=1e-15)


def test_evaluation_on_a_meshgrid():
    x1, x2 = np.meshgrid(np.linspace(-5, 5, 11), np.linspace(-5, 5, 7))
    Z = himmelblau(np.column_stack([x1.ravel(), x2.ravel()])).reshape(x1.shape)
    assert Z.shape == (7, 11)
    assert Z[3, 5] == himmelblau([0.0, 0.0]) == 170.0


def test_scalar_input_is_a_point_in_one_dimension():
    assert sphere(3.0) == 9.0
    assert_allclose(sphere.grad(3.0), [6.0])


# -- known values, computed by hand ----------------------------------------------------------

VALUES = [
    # function, x, f(x)
    (sphere, [1.0, 2.0, 3.0], 14.0),
    (rosenbrock, [0.0, 0.0], 1.0),
    (rosenbrock, [0.0, 0.0, 0.0], 2.0),
    (rosenbrock, [-1.0, 1.0], 4.0),
    (rosenbrock, [2.0, 1.0], 901.0),
    (rosenbrock, [1.0, 1.0, 1.0, 1.0], 0.0),
    (rastrigin, [1.0, 2.0], 5.0),  # at integer points, the sum of squares
    (rastrigin, [3.0, -4.0, 0.0], 25.0),
    (rastrigin, [0.5], 10 + 0.25 + 10),
    (ackley, [0.0, 0.0, 0.0], 0.0),
    (ackley, [1.0, 1.0], 20 * (1 - math.exp(-0.2))),  # r = 1 and cos(2 pi) = 1
    (ackley, [1.0, -1.0, 2.0, 2.0], 20 * (1 - math.exp(-0.2 * math.sqrt(2.5)))),
    (himmelblau, [0.0, 0.0], 170.0),
    (himmelblau, [1.0, 1.0], 106.0),
    (himmelblau, [3.0, 2.0], 0.0),
    (branin, [np.pi, 2.275], 5 / (4 * np.pi)),
    (branin, [0.0, 0.0], 56 - 10 / (8 * np.pi)),  # u = -6, cos 0 = 1
]


@pytest.mark.parametrize(
    ("f", "x", "expected"), VALUES, ids=[f"{f.name}-{x}" for f, x, _ in VALUES]
)
def test_known_values(f, x, expected):
    assert f(x) == pytest.approx(expected, rel=1e-12, abs=1e-12)


GRADIENTS = [
    # function, x, grad f(x)
    (sphere, [1.0, -2.0], [2.0, -4.0]),
    (rosenbrock, [0.0, 0.0], [-2.0, 0.0]),
    (rosenbrock, [0.0, 0.0, 0.0], [-2.0, -2.0, 0.0]),
    (rastrigin, [0.25, 1.0], [0.5 + 20 * np.pi, 2.0]),
    (ackley, [0.0, 0.0], [0.0, 0.0]),  # the subgradient of least norm at the kink
    (himmelblau, [0.0, 0.0], [-14.0, -22.0]),
]


@pytest.mark.parametrize(("f", "x", "expected"), GRADIENTS, ids=[r[0].name for r in GRADIENTS])
def test_known_gradients(f, x, expected):
    assert_allclose(f.grad(x), expected, rtol=1e-12, atol=1e-12)


# -- reference implementations: one point at a time, in plain Python -------------------------


def branin_reference(x):
    a, b, c, r, s, t = 1, 5.1 / (4 * math.pi**2), 5 / math.pi, 6, 10, 1 / (8 * math.pi)
    return a * (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1 - t) * math.cos(x[0]) + s


def rosenbrock_reference(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def ackley_reference(x):
    d = len(x)
    r = math.sqrt(sum(xi**2 for xi in x) / d)
    m = sum(math.cos(2 * math.pi * xi) for xi in x) / d
    return -20 * math.exp(-0.2 * r) - math.exp(m) + 20 + math.e


REFERENCES = [
    (sphere, lambda x: sum(xi**2 for xi in x)),
    (rosenbrock, rosenbrock_reference),
    (rastrigin, lambda x: 10 * len(x) + sum(xi**2 - 10 * math.cos(2 * math.pi * xi) for xi in x)),
    (ackley, ackley_reference),
    (himmelblau, lambda x: (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2),
    (branin, branin_reference),
]


@pytest.mark.parametrize(("f", "reference"), REFERENCES, ids=[r[0].name for r in REFERENCES])
def test_values_match_a_plain_python_reference(f, reference):
    for d in [f.dim] if f.dim is not None else [f.min_dim, 3, 6]:
        X = random_points(f, d, n=20, seed=d)
        assert_allclose(f(X), [reference(x.tolist()) for x in X], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("d", [2, 3, 6])
def test_rosenbrock_matches_scipy(d):
    X = random_points(rosenbrock, d, n=20, seed=d)
    assert_allclose(rosenbrock(X), [rosen(x) for x in X], rtol=1e-14)
    assert_allclose(rosenbrock.grad(X), [rosen_der(x) for x in X], rtol=1e-14, atol=1e-9)


# -- gradients against finite differences ----------------------------------------------------


@st.composite
def points_in_domain(draw, f):
    """A point of the usual domain of ``f``, in a dimension ``f`` accepts (at most 5)."""
    d = f.dim if f.dim is not None else draw(st.integers(f.min_dim, 5))
    low, high = np.array(f.bounds(d)).T
    u = draw(hnp.arrays(np.float64, d, elements=st.floats(0.0, 1.0)))
    return low + u * (high - low)


def central_differences(f, x, h=1e-6):
    """(f(x + h e_i) - f(x - h e_i)) / 2h for every i, in one vectorised call each."""
    H = h * np.eye(len(x))
    return (f(x + H) - f(x - H)) / (2 * h)


@pytest.mark.parametrize("f", FUNCTIONS, ids=repr)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_gradient_matches_central_differences(f, data):
    x = data.draw(points_in_domain(f))
    if f is ackley:
        assume(np.sqrt(np.mean(x**2)) > 1e-2)  # ackley has a kink at the origin
    # truncation error O(h^2 f''') and rounding error O(eps |f| / h) are both far below this
    assert_allclose(f.grad(x), central_differences(f, x), rtol=1e-6, atol=1e-8 * (1 + abs(f(x))))


@pytest.mark.parametrize(("f", "d"), CASES, ids=CASE_IDS)
def test_scipy_check_grad(f, d):
    for x in random_points(f, d, n=5, seed=1):
        # check_grad uses forward differences with step 1.5e-8: error about 1e-8 |f''|
        error = check_grad(f, f.grad, x)
        assert error <= 1e-5 * (1 + np.linalg.norm(f.grad(x)))


# -- no NumPy warning for finite input -------------------------------------------------------


@pytest.mark.parametrize(("f", "d"), CASES, ids=CASE_IDS)
def test_no_floating_point_error_on_the_domain(f, d):
    corners = np.array(list(itertools.product(*f.bounds(d))))
    X = np.vstack([corners, f.minimizers(d), random_points(f, d, n=10)])
    with np.errstate(all="raise"):
        assert np.all(np.isfinite(f(X)))
        assert np.all(np.isfinite(f.grad(X)))


@pytest.mark.parametrize("x", [[0.0, 0.0], [1e-300, 0.0], [0.0, -5e-324], [1e-160, 1e-170]])
def test_ackley_gradient_near_the_origin_is_finite_and_bounded(x):
    with np.errstate(divide="raise", over="raise", invalid="raise"):
        g = ackley.grad(x)
    # |df/dx_i| <= a b / sqrt(d) + c e / d
    assert np.all(np.isfinite(g)) and np.all(np.abs(g) <= 4 / np.sqrt(2) + np.pi * np.e)


# -- bad input -----------------------------------------------------------------------------

BAD_INPUT = [
    # function, method, argument, message
    (himmelblau, "__call__", np.ones(3), r"himmelblau is defined for d = 2 only; got x with d = 3"),
    (himmelblau, "grad", [1.0], r"himmelblau is defined for d = 2 only; got x with d = 1"),
    (branin, "__call__", np.zeros((4, 3)), r"branin is defined for d = 2 only; got x with d = 3"),
    (himmelblau, "bounds", 3, r"himmelblau is defined for d = 2 only; got the dimension d = 3"),
    (branin, "minimizers", 5, r"branin is defined for d = 2 only; got the dimension d = 5"),
    (rosenbrock, "__call__", [1.0], r"rosenbrock is defined for d >= 2; got x with d = 1"),
    (rosenbrock, "grad", np.ones((3, 1)), r"rosenbrock is defined for d >= 2; got x with d = 1"),
    (rosenbrock, "bounds", 1, r"rosenbrock is defined for d >= 2; got the dimension d = 1"),
    (sphere, "__call__", np.zeros((2, 3, 4)), r"\(n, d\) for n points; got .* shape \(2, 3, 4\)"),
    (ackley, "grad", np.zeros((1, 2, 2)), r"got an array of shape \(1, 2, 2\)"),
    (sphere, "__call__", [], r"at least one point .*shape \(0,\)"),
    (rastrigin, "__call__", np.zeros((0, 2)), r"at least one point .*shape \(0, 2\)"),
    (sphere, "__call__", [1.0, np.nan], r"x must contain only finite numbers"),
    (sphere, "grad", [[1.0, np.inf]], r"x must contain only finite numbers"),
    (sphere, "__call__", "abc", r"x must be an array of real numbers"),
    (sphere, "__call__", [[1.0, 2.0], [3.0]], r"x must be an array of real numbers"),
    (sphere, "bounds", 2.5, r"d must be a positive integer; got 2.5"),
    (sphere, "minimizers", 0, r"sphere is defined for d >= 1; got the dimension d = 0"),
]


@pytest.mark.parametrize(
    ("f", "method", "arg", "match"), BAD_INPUT, ids=[f"{r[0].name}.{r[1]}" for r in BAD_INPUT]
)
def test_bad_input_raises(f, method, arg, match):
    with pytest.raises(ValueError, match=match):
        getattr(f, method)(arg)


# -- presentation ----------------------------------------------------------------------------


@pytest.mark.parametrize("f", FUNCTIONS, ids=repr)
def test_repr_is_the_name_without_a_memory_address(f):
    assert isinstance(f, BenchmarkFunction)
    assert repr(f) == str(f) == f.name
    assert "0x" not in repr(f) and "<" not in repr(f)


def test_repr_of_a_list_of_functions():
    assert repr([sphere, branin]) == "[sphere, branin]"


def test_docstring_examples():
    results = doctest.testmod(mlopt.functions)
    assert results.attempted > 0
    assert results.failed == 0
