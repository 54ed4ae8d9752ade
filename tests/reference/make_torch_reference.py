"""Record trajectories of ``torch.optim`` in float64, to check ``mlopt.optimizers`` against.

The test-suite must not depend on PyTorch, so this script runs PyTorch once and writes what it
computed to ``torch_trajectories.json`` beside it; ``tests/test_optimizers.py`` and
``tests/test_schedules.py`` replay the same runs with :mod:`mlopt` and compare.

What is recorded
----------------
* ``problems``: three deterministic objectives with their starting point and data: the
  Rosenbrock function in 2-D from (-1.5, 2), the ill-conditioned quadratic
  ``0.5 x^T diag(1, 10, 100) x`` from (1, 1, 1), and a least-squares problem
  ``0.5/n ||A x - b||^2`` (n = 20, 5 unknowns, from 0) whose ``A`` and ``b`` are drawn with
  ``numpy.random.default_rng(0)`` and stored in the file. The gradients are written inline
  below, identically in the tests, so that the optimizers alone are compared.
* ``trajectories``: for each optimizer (SGD, Adagrad, RMSprop, Adam, AdamW), each row of its
  table of hyper-parameters below and each problem, the iterates ``x_0, ..., x_50``. A row may
  use a learning-rate schedule (``torch.optim.lr_scheduler``, stepped after each
  ``optimizer.step()``), recorded under the name and arguments of the ``mlopt.schedules``
  function that should reproduce it.
* ``schedules``: the learning rates ``lr(0), ..., lr(N)`` of StepLR, ExponentialLR and
  CosineAnnealingLR (up to ``T_max``).

Floats are written with ``repr`` (17 significant digits), so they round-trip exactly.

How to regenerate
-----------------
With the exact PyTorch version the tests were written against, in a virtual environment of
its own (not the project's)::

    python3 -m venv /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.13.0 numpy
    /tmp/torchvenv/bin/python tests/reference/make_torch_reference.py

The output is deterministic: running it again with the same versions gives the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

OUTPUT = Path(__file__).with_name("torch_trajectories.json")
N_STEPS = 50


def make_problems() -> dict:
    """The three objectives: starting point and data (the gradients are in ``gradient``)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((20, 5))
    x_true = rng.standard_normal(5)
    b = a @ x_true + 0.1 * rng.standard_normal(20)
    return {
        "rosenbrock": {"x0": [-1.5, 2.0]},
        "quadratic": {"x0": [1.0, 1.0, 1.0], "d": [1.0, 10.0, 100.0]},
        "least_squares": {"x0": [0.0] * 5, "A": a.tolist(), "b": b.tolist()},
    }


def gradient(problem: str, data: dict, x: np.ndarray) -> np.ndarray:
    """Gradient of each objective (the same expressions as in tests/test_optimizers.py)."""
    if problem == "rosenbrock":
        return np.array(
            [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)]
        )
    if problem == "quadratic":
        return np.asarray(data["d"]) * x
    a, b = np.asarray(data["A"]), np.asarray(data["b"])
    return a.T @ (a @ x - b) / len(b)


# Learning rate of each optimizer on each problem: fast but stable.
LR = {
    "rosenbrock": {"sgd": 2e-4, "adagrad": 0.3, "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05},
    "quadratic": {"sgd": 0.012, "adagrad": 0.3, "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05},
    "least_squares": {"sgd": 0.1, "adagrad": 0.3, "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05},
}

# Rows: (hyper-parameters other than lr, schedule or None). A schedule is (mlopt name, its
# arguments other than lr); the lr of the table above is its initial learning rate.
CONFIGS = {
    "sgd": [
        ({}, None),
        ({"momentum": 0.9}, None),
        ({"momentum": 0.9, "dampening": 0.5}, None),
        ({"momentum": 0.9, "nesterov": True}, None),
        ({"weight_decay": 0.1}, None),
        ({"momentum": 0.5, "nesterov": True, "weight_decay": 0.1}, None),
        ({"momentum": 0.9}, ("step_decay", {"step_size": 10, "gamma": 0.5})),
    ],
    "adagrad": [
        ({}, None),
        ({"lr_decay": 0.05}, None),
        ({"initial_accumulator_value": 0.1}, None),
        ({"weight_decay": 0.1}, None),
        ({"eps": 1e-3}, None),
        ({"lr_decay": 0.05}, ("exponential", {"gamma": 0.95})),
    ],
    "rmsprop": [
        ({}, None),
        ({"alpha": 0.9}, None),
        ({"momentum": 0.9}, None),
        ({"centered": True}, None),
        ({"centered": True, "momentum": 0.5}, None),
        ({"weight_decay": 0.1}, None),
        ({}, ("cosine", {"t_max": N_STEPS, "lr_min": 0.0})),
    ],
    "adam": [
        ({}, None),
        ({"amsgrad": True}, None),
        ({"weight_decay": 0.1}, None),
        ({"betas": (0.5, 0.9)}, None),
        ({"eps": 1e-3}, None),
        ({"betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True}, None),
        ({}, ("cosine", {"t_max": N_STEPS, "lr_min": 0.001})),
    ],
    "adamw": [
        ({}, None),
        ({"weight_decay": 0.1}, None),
        ({"amsgrad": True}, None),
        ({"betas": (0.5, 0.9), "weight_decay": 0.5}, None),
        ({"weight_decay": 0.1}, ("step_decay", {"step_size": 15, "gamma": 0.3})),
    ],
}

TORCH_OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
}


def torch_scheduler(optimizer, name: str, kwargs: dict):
    """The ``torch.optim.lr_scheduler`` that ``mlopt.schedules.<name>(lr, **kwargs)`` mirrors."""
    if name == "step_decay":
        return torch.optim.lr_scheduler.StepLR(optimizer, kwargs["step_size"], kwargs["gamma"])
    if name == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(optimizer, kwargs["gamma"])
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=kwargs["t_max"], eta_min=kwargs["lr_min"]
        )
    raise ValueError(f"no PyTorch scheduler for {name!r}")


def run_torch(name, kwargs, schedule, problem, data) -> list[list[float]]:
    """Iterates x_0, ..., x_N of ``torch.optim.<name>`` on ``problem`` (single-tensor code path)."""
    x = torch.nn.Parameter(torch.tensor(data["x0"]))
    opt = TORCH_OPTIMIZERS[name]([x], foreach=False, **kwargs)
    scheduler = None if schedule is None else torch_scheduler(opt, *schedule)
    iterates = [x.detach().numpy().tolist()]
    for _ in range(N_STEPS):
        x.grad = torch.from_numpy(gradient(problem, data, x.detach().numpy().copy()))
        opt.step()
        if scheduler is not None:
            scheduler.step()
        iterates.append(x.detach().numpy().tolist())
    return iterates


def schedule_reference() -> list[dict]:
    """Learning rates lr(0), ..., lr(N) of the PyTorch schedulers that mlopt.schedules mirrors."""
    rows = [
        ("step_decay", {"lr": 0.1, "step_size": 7, "gamma": 0.3}, 40),
        ("exponential", {"lr": 0.5, "gamma": 0.9}, 40),
        ("cosine", {"lr": 0.1, "t_max": 30, "lr_min": 0.0}, 30),
        ("cosine", {"lr": 1.0, "t_max": 25, "lr_min": 0.05}, 25),
    ]
    out = []
    for name, kwargs, n in rows:
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=kwargs["lr"])
        args = {key: value for key, value in kwargs.items() if key != "lr"}
        scheduler = torch_scheduler(opt, name, args)
        lrs = []
        for _ in range(n + 1):
            lrs.append(float(scheduler.get_last_lr()[0]))
            opt.step()
            scheduler.step()
        torch_name = type(scheduler).__name__
        out.append({"schedule": name, "kwargs": kwargs, "torch": torch_name, "lr": lrs})
    return out


def main() -> None:
    torch.set_default_dtype(torch.float64)
    problems = make_problems()
    trajectories = []
    for name, rows in CONFIGS.items():
        for kwargs, schedule in rows:
            for problem, data in problems.items():
                lr = LR[problem][name]
                iterates = run_torch(name, {"lr": lr, **kwargs}, schedule, problem, data)
                entry = {"optimizer": name, "problem": problem}
                if schedule is None:  # mlopt's arguments: lr is either a float or a schedule
                    entry["kwargs"] = {"lr": lr, **kwargs}
                    entry["schedule"] = None
                else:
                    entry["kwargs"] = kwargs
                    entry["schedule"] = {"name": schedule[0], "kwargs": {"lr": lr, **schedule[1]}}
                entry["iterates"] = iterates
                trajectories.append(entry)
    reference = {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "dtype": "float64",
        "n_steps": N_STEPS,
        "problems": problems,
        "trajectories": trajectories,
        "schedules": schedule_reference(),
    }
    OUTPUT.write_text(json.dumps(reference, indent=1) + "\n")
    print(f"wrote {len(trajectories)} trajectories to {OUTPUT}")


if __name__ == "__main__":
    main()
