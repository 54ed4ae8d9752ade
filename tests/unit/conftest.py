"""The package's unit tests: `make test-unit` runs them without the few marked slow here."""

import pytest

# Quality checks of Bayesian optimisation over several seeds: each fits hundreds of Gaussian
# processes. They run in `make test` and `make test-lowest`; `make test-unit` skips them.
SLOW = {
    "test_bayesian_optimization_on_branin_has_small_regret_for_most_seeds",
    "test_other_acquisitions_come_near_a_minimum_of_branin",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if getattr(item, "originalname", None) in SLOW:
            item.add_marker(pytest.mark.slow)
