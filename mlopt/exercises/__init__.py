r"""Checks for the book's exercises: is the reader's answer right, and if not, what is wrong?

Every exercise whose answer can be computed (a number, an array, a function, an update rule, a
formula) has a check, keyed by the exercise's label. Call it from a notebook with your answer:

>>> import numpy as np
>>> from mlopt.exercises import check
>>> def dloss_dz(z, y):
...     return y - 1 / (1 + np.exp(-z))
>>> check("logreg-ex-sigmoid", dloss_dz)
logreg-ex-sigmoid: not right yet. Your result has the wrong sign: it equals minus the right one.

A check returns a :class:`CheckResult`; it prints as one sentence and never raises, so that a
notebook runs from top to bottom whatever the state of its answers. It

* says "not attempted yet" for an untouched stub: ``None`` or ``...``, or a function that raises
  :class:`NotImplementedError` or returns ``None`` or ``...``;
* says "correct" and what it compared when the answer is right, in any equivalent form and up to
  a stated tolerance;
* says what is wrong otherwise and, for the mistakes learners typically make (a flipped sign, a
  lost factor 2, a sum instead of a mean, a penalised intercept, Adam without bias correction,
  the moving-average momentum with PyTorch's learning rate, a missing inertia term, an
  off-by-one step counter, ...), names the mistake (``CheckResult.mistake``);
* never prints the expected answer, and prints only text that is the same on every run and
  every machine (no timings, no digits at the level of round-off).

Some checks need the data the answer refers to, passed as keywords (``X=..., y=...``): the
check computes what it compares with from them, so it works in any notebook, inside the book
or not. :func:`describe` says what each check expects; :data:`UNCHECKED` lists the exercises
without a check and why.

Notes
-----
A check compares your answer with a reference on the inputs it chooses (fixed, seeded), so a
function that is right only for the book's data can fail here: that is deliberate. The
tolerances are stated in the "correct" message.
"""

from ._core import UNCHECKED, CheckResult, check, describe, labels

# Importing a topic's module registers its checks, in the book's order.
from . import (  # noqa: E402, F401  isort: skip
    _training,
    _linear_regression,
    _logistic_regression,
    _gradient_descent,
    _momentum,
    _newton,
    _regularisation,
    _derivative_free,
    _neural_network,
    _tuning,
)

__all__ = ["check", "CheckResult", "describe", "labels", "UNCHECKED"]
