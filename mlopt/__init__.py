"""mlopt: the companion package of *Optimization for Machine Learning*.

One module per concept; the names most chapters need are re-exported here.

==================================  =========================================================
:mod:`mlopt.functions`              benchmark functions with gradients, domains and known minima
:mod:`mlopt.optimizers`             SGD (with momentum and Nesterov), Adagrad, RMSprop, Adam, AdamW
:mod:`mlopt.schedules`              learning-rate schedules
:func:`mlopt.minimize`              run an optimizer on a differentiable function
:mod:`mlopt.gradcheck`              finite-difference gradient checking with a diagnosis
:mod:`mlopt.plotting`               contours with paths, loss curves, animations
:mod:`mlopt.linear_model`           linear and logistic regression trained by gradient methods
:mod:`mlopt.proximal`               ISTA and FISTA for L1-penalised objectives
:mod:`mlopt.particle_swarm`         global-best particle swarm optimisation
:mod:`mlopt.genetic_algorithm`      real-coded genetic algorithm
:mod:`mlopt.bayesian_optimization`  Bayesian optimisation with a Gaussian-process surrogate
:mod:`mlopt.exercises`              checks of the reader's answers to the exercises
==================================  =========================================================
"""

from . import (
    bayesian_optimization,
    exercises,
    functions,
    genetic_algorithm,
    gradcheck,
    linear_model,
    optimizers,
    particle_swarm,
    plotting,
    proximal,
    schedules,
)
from ._minimize import minimize
from .gradcheck import check_gradient
from .optimizers import SGD, Adagrad, Adam, AdamW, RMSprop

__version__ = "0.1.0"

__all__ = [
    "bayesian_optimization",
    "exercises",
    "functions",
    "genetic_algorithm",
    "particle_swarm",
    "gradcheck",
    "linear_model",
    "optimizers",
    "plotting",
    "proximal",
    "schedules",
    "minimize",
    "check_gradient",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adam",
    "AdamW",
]
