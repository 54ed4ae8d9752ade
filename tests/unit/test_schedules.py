"""Tests of :mod:`mlopt.schedules`: formulas, vectorisation, PyTorch's schedulers, errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from mlopt import schedules
from mlopt.schedules import Schedule, constant, cosine, exponential, inverse_time, step_decay

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "reference" / "torch_trajectories.json").read_text()
)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (constant(lr=0.1), [0.1] * 6),
        (step_decay(lr=1.0, step_size=2, gamma=0.5), [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]),
        (step_decay(lr=0.3, step_size=1, gamma=1.0), [0.3] * 6),
        (exponential(lr=2.0, gamma=0.5), [2.0, 1.0, 0.5, 0.25, 0.125, 0.0625]),
        (inverse_time(lr=1.0, decay=1.0), [1.0, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6]),
        (inverse_time(lr=0.5, decay=0.0), [0.5] * 6),
        (
            cosine(lr=1.0, t_max=4),
            [1.0, 0.5 + 0.5 / math.sqrt(2), 0.5, 0.5 - 0.5 / math.sqrt(2), 0.0, 0.0],
        ),
        (cosine(lr=1.0, t_max=2, lr_min=0.2), [1.0, 0.6, 0.2, 0.2, 0.2, 0.2]),
    ],
    ids=repr,
)
def test_schedule_values(schedule, expected):
    values = [schedule(t) for t in range(6)]
    np.testing.assert_allclose(values, expected, rtol=1e-15, atol=1e-16)
    assert all(type(value) is float for value in values)


ALL_SCHEDULES = [
    constant(lr=0.1),
    step_decay(lr=0.1, step_size=3, gamma=0.5),
    exponential(lr=0.1, gamma=0.9),
    inverse_time(lr=0.1, decay=0.5),
    cosine(lr=0.1, t_max=7, lr_min=0.01),
]


@pytest.mark.parametrize("schedule", ALL_SCHEDULES, ids=repr)
def test_vectorised_call_equals_scalar_calls(schedule):
    t = np.arange(12)
    values = schedule(t)
    assert isinstance(values, np.ndarray) and values.shape == t.shape
    np.testing.assert_array_equal(values, [schedule(int(k)) for k in t])


@pytest.mark.parametrize("schedule", ALL_SCHEDULES, ids=repr)
def test_schedules_are_positive_and_non_increasing(schedule):
    values = schedule(np.arange(50))
    assert np.all(values > 0)
    assert np.all(np.diff(values) <= 0)


@pytest.mark.parametrize(
    "entry",
    REFERENCE["schedules"],
    ids=lambda entry: f"{entry['torch']}-{entry['kwargs']}".replace(" ", ""),
)
def test_matches_pytorch_scheduler(entry):
    schedule = getattr(schedules, entry["schedule"])(**entry["kwargs"])
    expected = np.array(entry["lr"])
    np.testing.assert_allclose(schedule(np.arange(len(expected))), expected, rtol=1e-13, atol=1e-16)


def test_cosine_stays_at_lr_min_after_t_max():
    schedule = cosine(lr=0.1, t_max=10, lr_min=0.001)
    np.testing.assert_array_equal(schedule(np.arange(10, 100)), 0.001)


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (constant(lr=0.1), "constant(lr=0.1)"),
        (
            step_decay(lr=0.1, step_size=30, gamma=0.1),
            "step_decay(lr=0.1, step_size=30, gamma=0.1)",
        ),
        (exponential(lr=1, gamma=0.99), "exponential(lr=1.0, gamma=0.99)"),
        (inverse_time(lr=0.5, decay=0.01), "inverse_time(lr=0.5, decay=0.01)"),
        (cosine(lr=0.1, t_max=100), "cosine(lr=0.1, t_max=100, lr_min=0.0)"),
    ],
)
def test_repr_is_the_call_that_builds_it(schedule, text):
    assert repr(schedule) == text
    rebuilt = eval(text, vars(schedules))
    np.testing.assert_array_equal(rebuilt(np.arange(20)), schedule(np.arange(20)))


def test_every_schedule_is_a_schedule():
    assert all(isinstance(schedule, Schedule) for schedule in ALL_SCHEDULES)


BAD_ARGUMENTS = [
    (constant, {"lr": 0.0}, r"lr must be a real number in the range \(0, inf\); got 0.0\."),
    (constant, {"lr": "fast"}, r"lr must be a real number .*; got 'fast'"),
    (step_decay, {"lr": -1, "step_size": 2, "gamma": 0.5}, r"lr must be .*; got -1"),
    (
        step_decay,
        {"lr": 1, "step_size": 0, "gamma": 0.5},
        r"step_size must be an integer in the range \[1, inf\); got 0",
    ),
    (
        step_decay,
        {"lr": 1, "step_size": 2.5, "gamma": 0.5},
        r"step_size must be an integer .*; got 2.5",
    ),
    (
        step_decay,
        {"lr": 1, "step_size": True, "gamma": 0.5},
        r"step_size must be an integer .*; got True",
    ),
    (step_decay, {"lr": 1, "step_size": 2, "gamma": 0.0}, r"gamma must be .* \(0, 1\]; got 0.0"),
    (step_decay, {"lr": 1, "step_size": 2, "gamma": 1.5}, r"gamma must be .* \(0, 1\]; got 1.5"),
    (exponential, {"lr": np.inf, "gamma": 0.5}, r"lr must be .* \(0, inf\); got inf"),
    (exponential, {"lr": 1, "gamma": -0.5}, r"gamma must be .* \(0, 1\]; got -0.5"),
    (inverse_time, {"lr": 0, "decay": 0.5}, r"lr must be .*; got 0"),
    (inverse_time, {"lr": 1, "decay": -0.5}, r"decay must be .* \[0, inf\); got -0.5"),
    (cosine, {"lr": -0.1, "t_max": 10}, r"lr must be .*; got -0.1"),
    (cosine, {"lr": 0.1, "t_max": 0}, r"t_max must be an integer in the range \[1, inf\); got 0"),
    (cosine, {"lr": 0.1, "t_max": 10.0}, r"t_max must be an integer .*; got 10.0"),
    (cosine, {"lr": 0.1, "t_max": 10, "lr_min": 0.2}, r"lr_min must be .* \[0, 0.1\]; got 0.2"),
    (cosine, {"lr": 0.1, "t_max": 10, "lr_min": -0.01}, r"lr_min must be .* \[0, 0.1\]; got -0.01"),
]


@pytest.mark.parametrize(
    ("factory", "kwargs", "match"),
    BAD_ARGUMENTS,
    ids=[f"{factory.__name__}-{kwargs}" for factory, kwargs, _ in BAD_ARGUMENTS],
)
def test_bad_argument_raises(factory, kwargs, match):
    with pytest.raises(ValueError, match=match):
        factory(**kwargs)


@pytest.mark.parametrize("t", [-1, np.array([0, 1, -2]), np.nan, np.inf])
def test_bad_step_count_raises(t):
    with pytest.raises(ValueError, match=r"t must be a step count .* in the range \[0, inf\)"):
        cosine(lr=0.1, t_max=10)(t)
