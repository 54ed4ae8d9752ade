"""The one table of status codes of :mod:`mlopt`, and the bookkeeping of an interrupted run.

Every driver (:func:`mlopt.minimize`, :func:`mlopt.proximal.ista` and
:func:`~mlopt.proximal.fista`, :func:`~mlopt.particle_swarm.particle_swarm`,
:func:`~mlopt.genetic_algorithm.genetic_algorithm` and
:func:`~mlopt.bayesian_optimization.bayesian_optimization`) returns a
:class:`scipy.optimize.OptimizeResult` whose ``status`` has the same meaning everywhere:

======  ==================================================================================
status  meaning
======  ==================================================================================
0       success: the tolerance was met (gradient methods) or the whole evaluation budget
        was used (derivative-free methods)
1       ``max_iter`` iterations were taken before the tolerance was met
2       diverged: the iterate, objective or gradient stopped being finite (gradient
        methods), or no finite value was seen (derivative-free methods)
3       stopped by the callback (it returned ``True`` or raised ``StopIteration``)
4       interrupted: ``KeyboardInterrupt`` was raised in the objective or the callback;
        the result holds everything computed until then
5       an exception was raised in the objective or the callback; this result is not
        returned but attached to the exception as its ``partial_result`` attribute
6       the line search found no acceptable step (:func:`mlopt.newton`,
        :func:`mlopt.lbfgs`): not divergence, the iterate is finite and usually so close
        to a minimiser that rounding hides every decrease of the objective
======  ==================================================================================

``success`` is ``status == 0``.
"""

from __future__ import annotations

__all__ = [
    "STATUS",
    "LINE_SEARCH_FAILED",
    "INTERRUPTED_MESSAGE",
    "ERROR_MESSAGE",
    "attach_partial_result",
]

STATUS = {
    0: "success",
    1: "max_iter reached",
    2: "diverged",
    3: "stopped by the callback",
    4: "interrupted",
    5: "exception raised",
    6: "line search failed",
}

#: The status of a run whose line search found no acceptable step.
LINE_SEARCH_FAILED = 6

INTERRUPTED_MESSAGE = (
    "Interrupted (KeyboardInterrupt) after iteration {nit}; the result holds every "
    "evaluation made until then."
)
ERROR_MESSAGE = "Stopped after iteration {nit} by an exception raised in {where}."


def attach_partial_result(exc: BaseException, result, method: str) -> BaseException:
    """Attach ``result`` to ``exc`` as ``exc.partial_result`` and say so in a note.

    Returns ``exc`` so that a driver can ``raise attach_partial_result(exc, ...)``; the
    exception keeps its type and traceback.
    """
    exc.partial_result = result
    exc.add_note(
        f"{method} stopped at iteration {result.nit} ({result.nfev} evaluations); the "
        "result so far (x, fun, history) is in this exception's partial_result attribute."
    )
    return exc
