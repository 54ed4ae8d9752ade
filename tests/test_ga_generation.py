"""The generation written out in chapter 07b is the generation of `mlopt.genetic_algorithm`.

The chapter shows one generation of the genetic algorithm as a screen of NumPy code (the cell
`c002-gen`, function `one_generation`). This test runs that very cell and checks, for several
settings, that repeated generations from the same random generator evaluate exactly the points
that `mlopt.genetic_algorithm` evaluates.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mlopt.functions import rastrigin, sphere
from mlopt.genetic_algorithm import genetic_algorithm

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "07b_genetic_algorithms.ipynb"


@pytest.fixture(scope="module")
def one_generation():
    cells = json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if c.get("id") == "c002-gen"]
    namespace = {"np": np}
    exec("".join(cell["source"]), namespace)
    return namespace["one_generation"]


@pytest.mark.parametrize(
    ("func", "d", "N", "generations", "settings"),
    [
        (rastrigin, 2, 30, 3, {}),
        (rastrigin, 3, 11, 5, {"elitism": 0, "tournament_size": 2}),
        (sphere, 4, 10, 4, {"elitism": 2, "crossover_rate": 0.5, "mutation_rate": 0.3}),
        (sphere, 1, 7, 6, {"elitism": 3, "tournament_size": 7, "crossover_rate": 1.0}),
    ],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_written_out_generation_matches_mlopt(
    one_generation, func, d, N, generations, settings, seed
):
    bounds = func.bounds(d)
    lower, upper = np.array(bounds, dtype=float).T
    rng = np.random.default_rng(seed)
    population = rng.uniform(lower, upper, size=(N, d))
    f_pop = np.array([func(x) for x in population])
    evaluated, values = [population], [f_pop]
    elitism = settings.get("elitism", 1)
    kwargs = {"mutation_rate": 1 / d, **settings}
    for _ in range(generations):
        population, f_pop = one_generation(population, f_pop, func, lower, upper, rng, **kwargs)
        evaluated.append(population[elitism:])
        values.append(f_pop[elitism:])
    reference = genetic_algorithm(
        func, bounds, population_size=N, generations=generations, rng=seed, **kwargs
    )
    np.testing.assert_array_equal(np.concatenate(evaluated), reference.history["x"])
    np.testing.assert_array_equal(np.concatenate(values), reference.history["fun"])
