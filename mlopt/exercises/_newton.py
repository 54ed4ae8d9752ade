"""Checks of the exercises on Newton, quasi-Newton methods and line search."""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from ._core import _check_function, _exercise, _rng


def _logistic_cases():
    """(theta, X_tilde, y, alpha): small seeded logistic regressions, intercept column last."""
    cases = []
    for seed, (n, d, alpha) in enumerate([(40, 3, 0.1), (25, 5, 0.01), (60, 2, 1.0)]):
        rng = _rng(seed)
        X_tilde = np.column_stack([rng.normal(size=(n, d)), np.ones(n)])
        y = (rng.uniform(size=n) < 0.5).astype(float)
        cases.append((0.3 * rng.normal(size=d + 1), X_tilde, y, alpha))
    return cases


def _newton_step(theta, X_tilde, y, alpha, *, penalise_intercept=False, sign=-1.0, hessian=True):
    n = len(y)
    p = expit(X_tilde @ theta)
    mask = np.ones(X_tilde.shape[1])
    if not penalise_intercept:
        mask[-1] = 0.0
    grad = X_tilde.T @ (p - y) / n + alpha * mask * theta
    if not hessian:
        return theta + sign * grad
    H = X_tilde.T @ ((p * (1 - p))[:, None] * X_tilde) / n + alpha * np.diag(mask)
    return theta + sign * np.linalg.solve(H, grad)


@_exercise(
    "newton-ex-irls",
    "a function newton_step(theta, X_tilde, y, alpha) returning the next Newton iterate of the "
    "penalised logistic regression (intercept last, not penalised)",
)
def _newton_irls(answer, **context):
    _check_function(
        answer,
        _logistic_cases(),
        _newton_step,
        rtol=1e-8,
        atol=1e-10,
        mistakes=[
            (
                "ascent",
                "Your step goes the wrong way: Newton's step solves H p = -grad, and the new "
                "iterate is theta + p.",
                lambda *c: _newton_step(*c, sign=1.0),
            ),
            (
                "penalised-intercept",
                "The intercept is penalised: the penalty, in the gradient and in the Hessian, "
                "applies to w only.",
                lambda *c: _newton_step(*c, penalise_intercept=True),
            ),
            (
                "gradient-step",
                "That is a gradient step with step 1: Newton's step divides the gradient by "
                "the Hessian (solve H p = -grad).",
                lambda *c: _newton_step(*c, hessian=False),
            ),
        ],
    )
    return "Matches the Newton step on 3 seeded logistic regressions."


@_exercise("newton-ex-cubic", "a function newton_map(x): the pure Newton map of sqrt(1 + x^2)")
def _newton_cubic(answer, **context):
    cases = [(np.linspace(-1.5, 1.5, 6),), (np.array([0.1, 2.0, -3.0]),)]  # no 0: f'(0) = 0
    _check_function(
        answer,
        cases,
        lambda x: -(x**3),
        rtol=1e-9,
        mistakes=[
            (
                "gradient-step",
                "That is a gradient step x - f'(x): Newton divides f'(x) by f''(x).",
                lambda x: x - x / np.sqrt(1 + x**2),
            ),
            (
                "inverted-ratio",
                "The ratio is upside down: the Newton step is -f'(x) / f''(x).",
                lambda x: x - (1 + x**2) ** -1.5 / (x / np.sqrt(1 + x**2)),
            ),
        ],
    )
    return "Matches the pure Newton map at 9 points."


def _symmetric_cases():
    rng = _rng(3)
    cases = [
        (np.array([[2.0, 0.0], [0.0, 3.0]]),),  # positive definite: no shift
        (np.array([[2.0, 0.0], [0.0, -2.0]]),),  # the saddle
        (np.array([[-398.0, 0.0], [0.0, 200.0]]),),  # Rosenbrock at (0, 1)
        (np.array([[1.0, 3.0], [3.0, 1.0]]),),  # positive diagonal, indefinite
    ]
    for _ in range(2):
        M = rng.normal(size=(4, 4))
        cases.append(((M + M.T) / 2,))
    return cases


@_exercise(
    "newton-ex-shift",
    "a function min_shift(H): the smallest tau >= 0 with H + tau I positive semi-definite",
)
def _newton_shift(answer, **context):
    _check_function(
        answer,
        _symmetric_cases(),
        lambda H: max(0.0, -np.linalg.eigvalsh(H)[0]),
        rtol=1e-8,
        atol=1e-10,
        mistakes=[
            (
                "absolute-value",
                "A positive definite H needs no shift (tau = 0); you shift by |lambda_min| "
                "even then.",
                lambda H: abs(np.linalg.eigvalsh(H)[0]),
            ),
            (
                "diagonal",
                "The diagonal entries are not the eigenvalues: a matrix with a positive "
                "diagonal can still be indefinite.",
                lambda H: max(0.0, -np.min(np.diag(H))),
            ),
            (
                "largest-eigenvalue",
                "It is the smallest eigenvalue that must be lifted to zero, not the largest.",
                lambda H: max(0.0, -np.linalg.eigvalsh(H)[-1]),
            ),
        ],
    )
    return "Matches max(0, -lambda_min) on 6 symmetric matrices."


@_exercise(
    "newton-ex-armijo",
    "a function largest_armijo_step(a, c1): the largest step accepted by Armijo's condition "
    "on f(x) = a x^2 / 2 along -f'(x)",
)
def _newton_armijo(answer, **context):
    _check_function(
        answer,
        [(4.0, 0.3), (1.0, 1e-4), (0.5, 0.5), (10.0, 0.9)],
        lambda a, c1: 2 * (1 - c1) / a,
        rtol=1e-9,
        mistakes=[
            (
                "no-c1",
                "That is the stability limit 2/a of gradient descent: Armijo's condition asks "
                "for a decrease of at least c1 times the tangent's, which shortens it.",
                lambda a, c1: 2 / a,
            ),
            (
                "best-step",
                "That is the exact minimiser along the line, not the largest accepted step.",
                lambda a, c1: 1 / a,
            ),
            (
                "c1-for-1-minus-c1",
                "c1 and 1 - c1 are swapped.",
                lambda a, c1: 2 * c1 / a,
            ),
        ],
    )
    return "Matches 4 pairs (a, c1)."


def _quadratic_cases():
    rng = _rng(5)
    cases = []
    for d, c2 in [(2, 0.9), (3, 0.1), (5, 0.5)]:
        M = rng.normal(size=(d, d))
        cases.append((M @ M.T + d * np.eye(d), rng.normal(size=d), c2))
    return cases


@_exercise(
    "newton-ex-curvature",
    "a function smallest_wolfe_step(A, g, c2): the shortest step along -g that satisfies the "
    "curvature condition on f(x) = x^T A x / 2",
)
def _newton_curvature(answer, **context):
    _check_function(
        answer,
        _quadratic_cases(),
        lambda A, g, c2: (1 - c2) * (g @ g) / (g @ A @ g),
        rtol=1e-8,
        mistakes=[
            (
                "c2-for-1-minus-c2",
                "c2 and 1 - c2 are swapped: phi'(t) >= c2 phi'(0) leaves a fraction 1 - c2 of "
                "the exact step.",
                lambda A, g, c2: c2 * (g @ g) / (g @ A @ g),
            ),
            (
                "exact-step",
                "That is the exact line-search step; the curvature condition allows shorter ones.",
                lambda A, g, c2: (g @ g) / (g @ A @ g),
            ),
        ],
    )
    return "Matches 3 quadratics."


def _bfgs(H, s, y):
    rho = 1 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V + rho * np.outer(s, s)


def _bfgs_cases():
    rng = _rng(7)
    cases = []
    for d in (2, 3, 4):
        M = rng.normal(size=(d, d))
        A = M @ M.T + d * np.eye(d)
        N = rng.normal(size=(d, d))
        s = rng.normal(size=d)
        cases.append((N @ N.T + np.eye(d), s, A @ s))
    return cases


@_exercise("newton-ex-bfgs", "a function bfgs_update(H, s, y): the BFGS inverse-Hessian update")
def _newton_bfgs(answer, **context):
    def direct_formula(H, s, y):  # the update of B, applied to H
        return H + np.outer(y, y) / (y @ s) - H @ np.outer(s, s) @ H / (s @ H @ s)

    def dfp(H, s, y):
        return H - H @ np.outer(y, y) @ H / (y @ H @ y) + np.outer(s, s) / (y @ s)

    def transposed(H, s, y):
        rho = 1 / (y @ s)
        V = np.eye(len(s)) - rho * np.outer(y, s)
        return V @ H @ V.T + rho * np.outer(s, s)

    _check_function(
        answer,
        _bfgs_cases(),
        _bfgs,
        rtol=1e-8,
        mistakes=[
            (
                "direct-update",
                "That is the BFGS update of the Hessian approximation B, applied to its "
                "inverse H: the roles of s and y are swapped.",
                direct_formula,
            ),
            ("dfp", "That is the DFP update of H, not BFGS's.", dfp),
            (
                "transposed",
                "The factors are transposed: (I - rho s y^T) H (I - rho y s^T), with s y^T on "
                "the left.",
                transposed,
            ),
            (
                "no-ss-term",
                "The term rho s s^T is missing, so H y = s fails.",
                lambda H, s, y: _bfgs(H, s, y) - np.outer(s, s) / (y @ s),
            ),
        ],
    )
    return "Matches the BFGS update on 3 cases (and so satisfies H y = s)."


@_exercise(
    "newton-ex-memory",
    "a function lbfgs_memory(d, m): how many numbers the m pairs (s_i, y_i) of L-BFGS hold",
)
def _newton_memory(answer, **context):
    _check_function(
        answer,
        [(10**6, 10), (100, 5), (31, 3)],
        lambda d, m: 2 * m * d,
        rtol=1e-12,
        mistakes=[
            ("one-vector", "Each pair holds two vectors, s_i and y_i.", lambda d, m: m * d),
            ("dense", "That is the dense d x d matrix of BFGS.", lambda d, m: d * d),
            (
                "symmetric",
                "That is the symmetric d x d matrix of BFGS (half of it).",
                lambda d, m: d * (d + 1) / 2,
            ),
        ],
    )
    return "Matches 2 m d for 3 pairs (d, m)."
