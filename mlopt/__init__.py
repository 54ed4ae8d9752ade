"""mlopt: the companion package of *Optimization for Machine Learning*.

One module per concept; the names most chapters need are re-exported here. Everything is
imported on first use, so ``import mlopt`` is quick. The three derivative-free methods are
modules that can be called: ``mlopt.particle_swarm(f, bounds)`` runs
``mlopt.particle_swarm.particle_swarm``. Every driver returns a
:class:`scipy.optimize.OptimizeResult` whose ``status`` codes are listed once, in
:mod:`mlopt._status`.

====================================  ===========================================================
:mod:`mlopt.functions`                benchmark functions with gradients, domains and known minima
:mod:`mlopt.optimizers`               SGD with momentum or Nesterov, Adagrad, RMSprop, Adam, AdamW
:mod:`mlopt.schedules`                learning-rate schedules
:func:`mlopt.minimize`                run an optimizer on a differentiable function
:func:`mlopt.newton`                  Newton's method with a backtracking line search
:func:`mlopt.lbfgs`                   L-BFGS with a strong Wolfe line search
:mod:`mlopt.line_search`              backtracking (Armijo) and strong Wolfe line searches
:mod:`mlopt.gradcheck`                finite-difference gradient checking with a diagnosis
:mod:`mlopt.plotting`                 contours with paths, loss curves, animations
:mod:`mlopt.linear_model`             linear and logistic regression trained by gradient methods
:mod:`mlopt.proximal`                 ISTA and FISTA for L1-penalised objectives
:mod:`mlopt.neural_network`           a multilayer perceptron trained by mini-batch gradient methods
:mod:`mlopt.particle_swarm`           global-best particle swarm optimisation
:mod:`mlopt.genetic_algorithm`        real-coded genetic algorithm
:mod:`mlopt.bayesian_optimization`    Bayesian optimisation with a Gaussian-process surrogate
:mod:`mlopt.exercises`                checks of the reader's answers to the exercises
====================================  ===========================================================
"""

# Submodules and names are imported on first use (SciPy's SPEC 1), so that `import mlopt`
# stays fast and imports neither scikit-learn, matplotlib nor scipy.stats.
import importlib

__version__ = "0.1.0"

_SUBMODULES = {
    "bayesian_optimization",
    "exercises",
    "functions",
    "genetic_algorithm",
    "gradcheck",
    "linear_model",
    "line_search",
    "neural_network",
    "optimizers",
    "particle_swarm",
    "plotting",
    "proximal",
    "schedules",
}
_NAMES = {
    "minimize": "._minimize",
    "newton": "._newton",
    "lbfgs": "._lbfgs",
    "check_gradient": ".gradcheck",
    "SGD": ".optimizers",
    "Adagrad": ".optimizers",
    "RMSprop": ".optimizers",
    "Adam": ".optimizers",
    "AdamW": ".optimizers",
}

__all__ = [
    "bayesian_optimization",
    "exercises",
    "functions",
    "genetic_algorithm",
    "particle_swarm",
    "gradcheck",
    "linear_model",
    "neural_network",
    "optimizers",
    "plotting",
    "proximal",
    "schedules",
    "minimize",
    "newton",
    "lbfgs",
    "line_search",
    "check_gradient",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mlopt' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
