"""The benchmark functions' joint value-and-gradient path equals their two separate calls.

``mlopt.minimize`` evaluates a :class:`~mlopt.functions.BenchmarkFunction` through
``_value_and_grad`` (its input checked once; Rosenbrock's single 2-D point on Python
floats). These tests hold it to ``(f(x), f.grad(x))`` bit for bit.
"""

import numpy as np
import pytest

from mlopt import functions

NAMES = ["sphere", "rosenbrock", "rastrigin", "ackley", "branin", "beale", "booth"]


@pytest.mark.parametrize("name", [n for n in NAMES if hasattr(functions, n)])
@pytest.mark.parametrize("d", [2, 5])
def test_value_and_grad_equals_the_separate_calls_bit_for_bit(name, d):
    f = getattr(functions, name)
    if f.dim is not None and f.dim != d:
        pytest.skip(f"{name} is defined in {f.dim} dimensions")
    rng = np.random.default_rng(d)
    lower, upper = np.array(f.bounds(d)).T
    points = lower + rng.random((2000, d)) * (upper - lower)
    points[:10] = np.round(points[:10])  # integers, zeros: signed zeros and exact cases
    points[10] = 0.0
    points[11] = -0.0
    for x in points:
        value, grad = f._value_and_grad(x)
        assert np.array_equal(np.array([value]), np.array([f(x)]), equal_nan=True)
        assert np.array_equal(np.signbit(grad), np.signbit(f.grad(x)))
        assert np.array_equal(grad, f.grad(x), equal_nan=True)
        assert type(value) is float


def test_a_subclass_that_changes_the_formula_is_used():
    class Shifted(functions.Rosenbrock):
        def _value(self, X):
            return super()._value(X) + 1.0

    f = Shifted()
    x = np.array([0.3, -0.2])
    assert f._value_and_grad(x)[0] == functions.rosenbrock(x) + 1.0
