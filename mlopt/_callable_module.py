"""Modules that can be called: ``mlopt.particle_swarm(f, bounds)`` runs the function.

:mod:`mlopt.particle_swarm`, :mod:`mlopt.genetic_algorithm` and
:mod:`mlopt.bayesian_optimization` each hold the function of the same name. The module keeps
its documented path (``from mlopt.particle_swarm import particle_swarm`` and
``mlopt.bayesian_optimization.expected_improvement`` work), and calling the module calls the
function, so that ``mlopt.bayesian_optimization(f, bounds)`` does what a reader expects.
"""

from __future__ import annotations

import inspect
import sys
import types

__all__ = ["make_callable"]


class CallableModule(types.ModuleType):
    """A module whose call is the call of its main function, ``__call_target__``."""

    def __call__(self, *args, **kwargs):
        return self.__call_target__(*args, **kwargs)


def make_callable(module_name: str, function) -> None:
    """Make the module ``module_name`` callable as ``function``, with its signature."""
    module = sys.modules[module_name]
    module.__class__ = CallableModule
    module.__call_target__ = function
    module.__signature__ = inspect.signature(function)
