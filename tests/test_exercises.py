"""Tests of mlopt.exercises: every check passes the book's own solution, names each catalogued
mistake, says "not attempted" on an untouched stub, and every exercise of the book is either
checked or listed in UNCHECKED with a reason.

Each entry of CASES builds, from the book's solution code (copied from the chapter, with the
chapter's data rebuilt here), the right answer, the keywords the check needs, and the wrong
answers a learner typically gives, each with the mistake name and a phrase of its message.
"""

import json
import re
from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit, softmax
from scipy.stats import norm

import mlopt
from mlopt import exercises
from mlopt.exercises import UNCHECKED, check

ROOT = Path(__file__).resolve().parents[1]


def stub(*args):
    raise NotImplementedError


# ---------------------------------------------------------------------------------------------
# The chapters' data, rebuilt as in the notebooks.


@cache
def diabetes():
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    X_raw, y_raw = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X_raw), y_raw - y_raw.mean()


@cache
def iris():
    from sklearn.datasets import load_iris
    from sklearn.preprocessing import StandardScaler

    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


# ---------------------------------------------------------------------------------------------
# One function per exercise: (right answer, context, [(wrong answer, mistake, phrase), ...]).


def train_ex_intercept():
    def intercept(w, x, y):
        return y.mean() - w * x.mean()

    return (
        intercept,
        {},
        [
            (lambda w, x, y: y.mean(), "slope-term", "slope"),
            (lambda w, x, y: y.mean() + w * x.mean(), "flipped-sign", "wrong sign"),
        ],
    )


def train_ex_lr():
    steps = int(np.ceil(6 / np.log10(1 / 0.9)))
    return (
        steps,
        {},
        [
            (131, "off-by-one", "Off by one"),
            (6 / np.log10(1 / 0.9), "not-an-integer", "whole number"),
            (57, "mixed-logarithms", "same base"),
            (1, "best-rate", "best rate"),
            (100, "mismatch", "smallest t"),
        ],
    )


def train_ex_forward():
    def forward_gradient(f, theta, h):
        theta = np.asarray(theta, dtype=float)
        f0 = f(theta)
        return np.array([(f(theta + h * e) - f0) / h for e in np.eye(theta.size)])

    def central(f, theta, h):
        return np.array(
            [(f(theta + h * e) - f(theta - h * e)) / (2 * h) for e in np.eye(theta.size)]
        )

    return (
        forward_gradient,
        {},
        [
            (central, "central-difference", "central differences"),
            (lambda f, t, h: forward_gradient(f, t, h) / 2, "factor-2", "2h"),
            (lambda f, t, h: -forward_gradient(f, t, h), "flipped-sign", "wrong sign"),
        ],
    )


def train_ex_bound():
    from mlopt.optimizers import SGD

    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 2.0, size=40)
    y = 2.0 * x + 3.0 + rng.normal(scale=0.5, size=40)
    A = np.column_stack([x, np.ones(40)])
    L = np.linalg.eigvalsh(2 / 40 * A.T @ A).max()

    def loss(theta):
        return float(np.mean((y - (theta[0] * x + theta[1])) ** 2))

    def loss_and_grad(theta):
        r = y - (theta[0] * x + theta[1])
        return float(np.mean(r**2)), np.array([-2 * np.mean(x * r), -2 * np.mean(r)])

    theta0 = np.zeros(2)

    def converges(lr, steps=2000):
        res = mlopt.minimize(loss_and_grad, theta0, optimizer=SGD(lr=lr), max_iter=steps, gtol=0.0)
        return res.status != 2 and res.fun < loss(theta0)

    low, high = 1 / L, 4 / L
    for _ in range(15):
        mid = (low + high) / 2
        low, high = (mid, high) if converges(mid) else (low, mid)
    return (
        low,
        {"L": L},
        [
            (1 / L, "one-over-L", "safe choice"),
            (4 / L, "bisection", "wrong half"),
            (2.2 / L, "too-large", "diverges"),
            (1.5 / L, "too-small", "still converge"),
        ],
    )


def train_ex_half():
    return (
        lambda w, X, y: 0.5 * np.mean((y - X @ w) ** 2) + 7.0,
        {},
        [
            (lambda w, X, y: np.mean((y - X @ w) ** 2), "factor-2", "full mean squared error"),
            (lambda w, X, y: 0.5 * np.sum((y - X @ w) ** 2), "sum-instead-of-mean", "sums"),
            (lambda w, X, y: -0.5 * np.mean((y - X @ w) ** 2), "flipped-sign", "wrong sign"),
        ],
    )


def linreg_ex_normal():
    return (
        lambda X: X.T @ X / len(X),
        {},
        [
            (lambda X: X.T @ X, "sum-instead-of-mean", "1/n"),
            (lambda X: 2 * X.T @ X / len(X), "factor-2", "twice J"),
            (lambda X: X @ X.T / len(X), "shape", "shape"),
        ],
    )


def linreg_ex_half():
    return (
        lambda L: 2 / (2 * L),
        {},
        [
            (lambda L: 2 / L, "factor-2", "bound for J"),
            (lambda L: -1 / L, "flipped-sign", "wrong sign"),
            (lambda L: 1 / L**2, "mismatch", "does not match"),
        ],
    )


def linreg_ex_gradient():
    Z_train, y_train = diabetes()

    def my_gradient(theta):
        residuals = Z_train @ theta[:-1] + theta[-1] - y_train  # y_hat - y
        return np.append(Z_train.T @ residuals, residuals.sum()) / len(y_train)

    n = len(y_train)
    return (
        my_gradient,
        {"X": Z_train, "y": y_train},
        [
            (lambda t: -my_gradient(t), "flipped-sign", "wrong sign"),
            (lambda t: n * my_gradient(t), "sum-instead-of-mean", "sums over the examples"),
            (lambda t: 2 * my_gradient(t), "factor-2", "mean squared error"),
            (lambda t: my_gradient(t)[:-1], "missing-intercept", "intercept"),
            (lambda t: my_gradient(t) * np.r_[np.ones(10), n], "intercept", "intercept's is not"),
        ],
    )


def linreg_ex_best_step():
    return (
        lambda L, lam_min: 2 / (L + lam_min),
        {},
        [
            (lambda L, m: 1 / L, "one-over-L", "safe step"),
            (lambda L, m: 1 / (L + m), "factor-2", "factor 2"),
            (lambda L, m: 2 / L, "edge", "edge of stability"),
        ],
    )


def linreg_ex_lstsq():
    from sklearn.preprocessing import PolynomialFeatures

    rng_poly = np.random.default_rng(1)
    t_train = rng_poly.uniform(-1, 1, size=20)
    rng_poly.uniform(-1, 1, size=200)
    z_train = np.sin(3 * t_train) + rng_poly.normal(scale=0.2, size=20)
    P = PolynomialFeatures(19).fit_transform(t_train[:, None])
    theta_lstsq, *_ = np.linalg.lstsq(P, z_train)
    theta_normal = np.linalg.solve(P.T @ P, P.T @ z_train)
    return (
        theta_lstsq,
        {"P": P, "z": z_train},
        [
            (theta_normal, "normal-equations", "normal equations"),
            (np.zeros(20), "mismatch", "do not interpolate"),
            (np.zeros(19), "shape", "shape"),
        ],
    )


def logreg_ex_sigmoid():
    return (
        lambda z, y: expit(z) - y,
        {},
        [
            (lambda z, y: y - expit(z), "flipped-sign", "wrong sign"),
            (lambda z, y: expit(z) * (1 - expit(z)), "sigmoid-derivative", "sigma itself"),
            (lambda z, y: (expit(z) - y) * expit(z) * expit(-z), "squared-error", "squared error"),
        ],
    )


def logreg_ex_hessian():
    def hessian(theta, X_tilde):
        s = expit(X_tilde @ theta) * (1 - expit(X_tilde @ theta))
        return X_tilde.T @ (s[:, None] * X_tilde) / len(X_tilde)

    return (
        hessian,
        {},
        [
            (lambda t, X: len(X) * hessian(t, X), "sum-instead-of-mean", "1/n"),
            (lambda t, X: X.T @ X / (4 * len(X)), "bound", "upper bound"),
            (lambda t, X: -hessian(t, X), "flipped-sign", "wrong sign"),
        ],
    )


def logreg_ex_softmax_grad():
    Z_iris, yi_train = iris()

    def my_softmax_gradient(theta):
        W, b = theta[:12].reshape(3, 4), theta[12:]
        P = softmax(Z_iris @ W.T + b, axis=1)
        Y = np.eye(3)[yi_train]
        residual = (P - Y) / len(yi_train)
        return np.concatenate([(residual.T @ Z_iris).ravel(), residual.sum(axis=0)])

    return (
        my_softmax_gradient,
        {"X": Z_iris, "y": yi_train},
        [
            (lambda t: -my_softmax_gradient(t), "flipped-sign", "wrong sign"),
            (
                lambda t: len(yi_train) * my_softmax_gradient(t),
                "sum-instead-of-mean",
                "divide by n",
            ),
        ],
    )


def logreg_ex_two_classes():
    return (
        lambda W, b: (W[1] - W[0], b[1] - b[0]),
        {},
        [
            (lambda W, b: (W[0] - W[1], b[0] - b[1]), "class-order", "wrong way round"),
            (lambda W, b: (W[1], b[1]), "mismatch", "does not match"),
        ],
    )


def logreg_ex_threshold():
    def missed_malignant(y_true, p, tau):
        pred_tau = (p >= tau).astype(int)
        return int(np.sum((pred_tau == 0) & (y_true == 1)))

    return (
        missed_malignant,
        {},
        [
            (lambda y, p, t: np.sum((p >= t) & (y == 0)), "false-alarms", "false alarms"),
            (lambda y, p, t: np.sum((p <= t) & (y == 1)), "strict-threshold", "equal to tau"),
        ],
    )


def logreg_ex_penalty():
    from sklearn.datasets import make_classification

    from mlopt.linear_model import LogisticRegressionGD

    X_sep, y_sep = make_classification(
        n_samples=200,
        n_features=2,
        n_informative=2,
        n_redundant=0,
        n_clusters_per_class=1,
        class_sep=2.0,
        flip_y=0.0,
        random_state=0,
    )
    fitted = LogisticRegressionGD(alpha=1.0, tol=1e-6, max_iter=100_000).fit(X_sep, y_sep)
    rough = LogisticRegressionGD(alpha=0.01, tol=None, max_iter=3).fit(X_sep, y_sep)

    class Penalised:  # the intercept penalised too: minimise by scipy
        penalty, alpha = "l2", 1.0

        def __init__(self):
            from scipy.optimize import minimize

            def J(t):
                p = expit(X_sep @ t[:2] + t[2])
                ll = np.mean(np.logaddexp(0, X_sep @ t[:2] + t[2]) - y_sep * (X_sep @ t[:2] + t[2]))
                return ll + 0.5 * t @ t, np.append(
                    X_sep.T @ (p - y_sep) / 200, np.mean(p - y_sep)
                ) + t

            t = minimize(J, np.zeros(3), jac=True, method="BFGS", options={"gtol": 1e-10}).x
            self.coef_, self.intercept_ = t[None, :2], t[2:]

    return (
        fitted,
        {"X": X_sep, "y": y_sep},
        [
            (Penalised(), "penalised-intercept", "intercept is penalised"),
            (rough, "not-converged", "not a minimiser"),
        ],
    )


def gdv_ex_unbiased():
    rng = np.random.default_rng(0)
    small = rng.normal(size=(8, 2))
    mean_small = small.mean(axis=0)
    sigma2_small = np.mean(np.sum((small - mean_small) ** 2, axis=1))
    batches = np.array([small[list(c)].mean(axis=0) for c in combinations(range(8), 3)])
    exact_variance = np.mean(np.sum((batches - mean_small) ** 2, axis=1))
    formula = sigma2_small / 3 * (8 - 3) / (8 - 1)
    assert np.isclose(exact_variance, formula)
    return (
        lambda sigma2, n, b: sigma2 / b * (n - b) / (n - 1),
        {},
        [
            (lambda s, n, b: s / b, "with-replacement", "with replacement"),
            (lambda s, n, b: s / b * (n - b) / n, "n-instead-of-n-minus-1", "n - 1"),
        ],
    )


def gdv_ex_robbins():
    right = {"constant": False, "1/t": True, "1/sqrt(t)": False, "exponential": False}
    return (
        right,
        {},
        [
            ({**right, "1/sqrt(t)": True}, "robbins-monro", "1/sqrt"),
            ({"constant": False, "1/t": True}, "type", "keys"),
        ],
    )


def gdv_ex_one_over_l():
    kappa = 100
    predicted = {}
    for name, rate in [("1/L", 1 - 1 / kappa), ("2/(L + mu)", (kappa - 1) / (kappa + 1))]:
        predicted[name] = int(np.ceil(np.log(1e-6) / np.log(rate)))
    return (
        predicted["1/L"] - predicted["2/(L + mu)"],
        {},
        [
            (predicted["1/L"], "total", "total count"),
            (2, "mismatch", "rounded up"),
        ],
    )


def gdv_ex_quartic():
    return (
        lambda t, eta, x0: 1 / (1 / x0**2 + 8 * eta * t) ** 2,
        {},
        [
            (lambda t, eta, x0: 1 / (1 / x0**2 + 8 * eta * t), "x-squared", "x_t\\^2"),
            (lambda t, eta, x0: 1 / (1 / x0**2 + 4 * eta * t) ** 2, "factor-2", "8 eta"),
        ],
    )


def gdv_ex_batch_floor():
    return (
        lambda eta, b: 3.0 * eta / b,
        {},
        [
            (lambda eta, b: eta / np.sqrt(b), "sqrt-b", "sqrt"),
            (lambda eta, b: eta, "no-b", "depends on b"),
            (lambda eta, b: eta**2 / b, "eta-squared", "eta\\^2"),
        ],
    )


def _nesterov_from_solution(grad, theta, lr, mu, steps):
    u, points = np.zeros_like(theta), []
    for _ in range(steps):
        u = mu * u - lr * grad(theta + mu * u)
        theta = theta + u
        points.append(theta + mu * u)
    return np.array(points)


def mom_ex_nesterov():
    def heavy_ball(grad, theta, lr, mu, steps):
        u, points = np.zeros_like(theta), []
        for _ in range(steps):
            u = mu * u - lr * grad(theta)
            theta = theta + u
            points.append(theta)
        return np.array(points)

    def thetas(grad, theta, lr, mu, steps):
        u, points = np.zeros_like(theta), []
        for _ in range(steps):
            u = mu * u - lr * grad(theta + mu * u)
            theta = theta + u
            points.append(theta)
        return np.array(points)

    return (
        _nesterov_from_solution,
        {},
        [
            (heavy_ball, "heavy-ball", "heavy-ball"),
            (thetas, "theta-not-lookahead", "look-ahead"),
        ],
    )


def mom_ex_dampening():
    return (
        lambda lr, beta: lr * (1 - beta),
        {},
        [
            (lambda lr, beta: lr, "moving-average-lr", "moving-average convention"),
            (lambda lr, beta: lr / (1 - beta), "inverted", "other way"),
        ],
    )


def mom_ex_momentum_sweep():
    def polyak(L, lam_min):
        kappa = L / lam_min
        return ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2

    return (
        polyak,
        {},
        [
            (lambda L, m: (np.sqrt(L / m) - 1) / (np.sqrt(L / m) + 1), "not-squared", "square"),
            (lambda L, m: (L / m - 1) / (L / m + 1), "no-square-root", "Square roots"),
        ],
    )


def mom_ex_bias():
    return (
        lambda t, beta1, g_bar: (1 - beta1**t) * g_bar,
        {},
        [
            (lambda t, b, g: (1 - b ** (t - 1)) * g, "off-by-one", "step counter"),
            (lambda t, b, g: b**t * g, "complement", "bias"),
            (lambda t, b, g: (1 - b) * g, "first-term", "geometric"),
        ],
    )


def mom_ex_rmsprop():
    def rmsprop_corrected(grad, theta, lr, alpha_r, steps, eps=1e-8):
        v = 0.0
        for t in range(1, steps + 1):
            g = grad(theta)
            v = alpha_r * v + (1 - alpha_r) * g**2
            theta = theta - lr * g / (np.sqrt(v / (1 - alpha_r**t)) + eps)
        return theta

    def variant(shift=0, correct=True):
        def run(grad, theta, lr, alpha_r, steps, eps=1e-8):
            v = 0.0
            for t in range(shift, steps + shift):
                g = grad(theta)
                v = alpha_r * v + (1 - alpha_r) * g**2
                v_hat = v / (1 - alpha_r**t) if correct else v
                theta = theta - lr * g / (np.sqrt(v_hat) + eps)
            return theta

        return run

    return (
        rmsprop_corrected,
        {},
        [
            (variant(1, correct=False), "no-bias-correction", "without bias correction"),
            (variant(2), "off-by-one", "step counter"),
            (variant(0), "off-by-one", "from t = 0"),
        ],
    )


def mom_ex_sgd_decay():
    return (
        lambda theta, g, lr, wd: mlopt.SGD(lr=lr, weight_decay=wd).step(theta, g),
        {},
        [
            (lambda t, g, lr, wd: (1 - wd) * t - lr * g, "decay-without-lr", "learning rate too"),
            (lambda t, g, lr, wd: (1 + lr * wd) * t - lr * g, "flipped-sign", "wrong sign"),
        ],
    )


def reg_ex_soft_threshold():
    def my_soft_threshold(z, tau):
        return np.where(z > tau, z - tau, np.where(z < -tau, z + tau, 0.0))

    return (
        my_soft_threshold,
        {},
        [
            (lambda z, t: np.where(np.abs(z) > t, z, 0.0), "hard-threshold", "hard thresholding"),
            (lambda z, t: np.maximum(np.abs(z) - t, 0.0), "lost-sign", "sign"),
            (lambda z, t: z - t * np.sign(z), "no-zero", "cross zero"),
        ],
    )


def reg_ex_article_fix():
    rng = np.random.default_rng(2)
    x_small = rng.uniform(0, 2, 20)
    A_small = np.column_stack([np.ones(20), x_small])
    y_small = 1 + 2 * x_small + 0.3 * rng.normal(size=20)
    lam_test = 0.7
    mask = np.r_[0.0, np.ones(A_small.shape[1] - 1)]

    def fixed_gradient(theta):
        return (
            2 / len(y_small) * A_small.T @ (A_small @ theta - y_small) + 2 * lam_test * mask * theta
        )

    def article_gradient(theta):  # the article's: penalised intercept, lost factor 2
        return 2 / len(y_small) * A_small.T @ (A_small @ theta - y_small) + lam_test * theta

    return (
        fixed_gradient,
        {"A": A_small, "y": y_small, "lam": lam_test},
        [
            (
                lambda t: fixed_gradient(t) + 2 * lam_test * (1 - mask) * t,
                "penalised-intercept",
                "intercept is penalised",
            ),
            (lambda t: fixed_gradient(t) - lam_test * mask * t, "penalty-factor-2", "factor 2"),
            (article_gradient, "both", "Two of the errors"),
        ],
    )


def reg_ex_dof():
    return (
        lambda D, lam: np.sum(D**2 / (D**2 + lam)),
        {},
        [
            (lambda D, lam: np.sum(D / (D + lam)), "singular-not-squared", "squared"),
            (lambda D, lam: np.sum(lam / (D**2 + lam)), "complement", "minus"),
        ],
    )


def _smooth_part(X, y, ridge):
    n = X.shape[0]

    def fun_and_grad(w):
        r = X @ w - y
        return 0.5 * r @ r / n + 0.5 * ridge * w @ w, X.T @ r / n + ridge * w

    return fun_and_grad


def reg_ex_correlated():
    from mlopt.proximal import fista

    X, y = diabetes()
    n, d = X.shape
    X_twin = np.column_stack([X, X[:, 2]])
    L_twin = np.linalg.eigvalsh(X_twin.T @ X_twin / n)[-1]
    w = {}
    for name, rho in [("lasso", 1.0), ("elastic net", 0.5)]:
        ridge = 1.0 * (1 - rho)
        w[name] = fista(
            _smooth_part(X_twin, y, ridge),
            np.zeros(d + 1),
            lr=1 / (L_twin + ridge),
            l1=rho,
            max_iter=50_000,
            tol=1e-8,
        ).x
    context = {"X": X_twin, "y": y, "alpha": 1.0, "l1_ratio": 0.5}
    return (
        w["elastic net"],
        context,
        [
            (w["lasso"], "lasso", "lasso solution"),
            (np.zeros(d + 1), "not-optimal", "optimality conditions"),
        ],
    )


def reg_ex_ista_step():
    from mlopt.proximal import ista

    X, y = diabetes()
    n, d = X.shape
    L_diab = np.linalg.eigvalsh(X.T @ X / n)[-1]
    res_ista = ista(
        _smooth_part(X, y, 0.0), np.zeros(d), lr=1 / L_diab, l1=5.0, max_iter=10_000, tol=1e-9
    )
    active = res_ista.x != 0
    L_active = np.linalg.eigvalsh(X[:, active].T @ X[:, active] / n)[-1]
    return (
        L_active,
        {"X": X, "w": res_ista.x},
        [
            (L_diab, "all-features", "all features"),
            (n * L_active, "sum-instead-of-mean", "1/n"),
        ],
    )


def reg_ex_enet_prox():
    from mlopt.proximal import soft_threshold

    return (
        lambda z, ea, rho: soft_threshold(z, ea * rho) / (1 + ea * (1 - rho)),
        {},
        [
            (lambda z, ea, rho: soft_threshold(z, ea * rho), "no-shrinkage", "lasso's prox"),
            (
                lambda z, ea, r: soft_threshold(z, ea * r / (1 + ea * (1 - r))),
                "threshold-divided",
                "Only the threshold",
            ),
        ],
    )


def pso_ex_constriction():
    return (
        lambda phi: 2 / abs(2 - phi - np.sqrt(phi**2 - 4 * phi)),
        {},
        [
            (lambda p: 2 / (2 - p - np.sqrt(p**2 - 4 * p)), "absolute-value", "positive"),
        ],
    )


def pso_ex_stability():
    def spectral_radius(omega, c1, c2):
        phi = (c1 + c2) / 2
        return max(abs(np.roots([1.0, -(1 + omega - phi), omega])))

    return (
        spectral_radius,
        {},
        [
            (
                lambda o, c1, c2: max(abs(np.roots([1.0, -(1 + o - c1 - c2), o]))),
                "phi-not-halved",
                "mean 1/2",
            ),
            (lambda o, c1, c2: abs(1 - (c1 + c2) / 2), "missing-inertia", "inertia term"),
        ],
    )


def pso_ex_budget():
    return (
        lambda n_particles, budget: budget // n_particles - 1,
        {},
        [
            (lambda p, budget: budget // p, "off-by-one", "initial evaluation"),
        ],
    )


def pso_ex_gd():
    from mlopt.functions import rastrigin
    from mlopt.particle_swarm import particle_swarm

    run = particle_swarm(rastrigin, rastrigin.bounds(2), n_particles=20, max_iter=60, rng=0)
    return (
        run.nfev,
        {},
        [(1200, "off-by-one", "evaluated once"), (60, "mismatch", "every particle")],
    )


def ga_ex_tournament():
    def win(r, N, k):
        return ((N - r + 1) ** k - (N - r) ** k) / N**k

    return (
        win,
        {},
        [
            (lambda r, N, k: (r**k - (r - 1) ** k) / N**k, "reversed-ranks", "reversed"),
            (lambda r, N, k: ((N - r + 1) / N) ** k, "cumulative", "at least r"),
        ],
    )


def ga_ex_sbx():
    def sbx_beta(u, eta_c):
        return np.where(u <= 0.5, (2 * u) ** (1 / (eta_c + 1)), (2 * (1 - u)) ** (-1 / (eta_c + 1)))

    return (
        sbx_beta,
        {},
        [
            (
                lambda u, e: np.where(u <= 0.5, (2 * u) ** (1 / e), (2 * (1 - u)) ** (-1 / e)),
                "exponent",
                "eta_c \\+ 1",
            ),
            (lambda u, e: sbx_beta(1 - u, e), "swapped-branches", "swapped"),
        ],
    )


def ga_ex_elitism():
    def population_bests(f_hist, population_size, generations, n_el):
        bests = [f_hist[:population_size].min()]
        block = population_size - n_el
        for k in range(generations):
            children = f_hist[population_size + k * block : population_size + (k + 1) * block]
            bests.append(min(children.min(), bests[-1]) if n_el else children.min())
        return np.array(bests)

    def same_blocks(f_hist, N, G, n_el):
        bests = [f_hist[:N].min()]
        for k in range(G):
            children = f_hist[N + k * N : N + (k + 1) * N]
            bests.append(min(children.min(), bests[-1]) if n_el else children.min())
        return np.array(bests)

    def best_ever(f_hist, N, G, n_el):
        return np.minimum.accumulate(population_bests(f_hist, N, G, n_el))

    return (
        population_bests,
        {},
        [
            (same_blocks, "off-by-one", "elites are not evaluated"),
            (best_ever, "best-ever", "best value ever"),
        ],
    )


def ga_ex_pso():
    return (
        lambda budget, N, e: round((budget - N) / (N - e)),
        {},
        [
            (lambda budget, N, e: budget // N, "budget-per-generation", "initial population"),
            (lambda budget, N, e: 7, "mismatch", "does not spend"),
        ],
    )


def bo_ex_ei():
    def ei(mu, sigma, f_best, xi):
        z = (f_best - xi - mu) / sigma
        return (f_best - xi - mu) * norm.cdf(z) + sigma * norm.pdf(z)

    return (
        ei,
        {},
        [
            (
                lambda m, s, f, xi: (
                    (m - f - xi) * norm.cdf((m - f - xi) / s) + s * norm.pdf((m - f - xi) / s)
                ),
                "maximisation",
                "maximisation",
            ),
            (
                lambda m, s, f, xi: (f - xi - m) * norm.cdf((f - xi - m) / s),
                "missing-sigma-term",
                "sigma phi",
            ),
        ],
    )


def bo_ex_pi_greedy():
    return (
        lambda mu, sigma, f_best, xi: norm.cdf((f_best - xi - mu) / sigma),
        {},
        [
            (lambda m, s, f, xi: norm.cdf((f + xi - m) / s), "margin-sign", "margin"),
            (lambda m, s, f, xi: norm.cdf((m - f - xi) / s), "maximisation", "maximisation"),
        ],
    )


def bo_ex_kappa():
    from mlopt.bayesian_optimization import lower_confidence_bound

    return (
        lower_confidence_bound,
        {},
        [
            (lambda m, s, k: m + k * s, "upper-bound", "upper confidence bound"),
            (lambda m, s, k: m - k * s**2, "variance", "variance"),
        ],
    )


def bo_ex_noisy():
    from mlopt.bayesian_optimization import bayesian_optimization

    def f1(x):
        return np.sin(3 * x) + 0.1 * x**2 + 0.3 * x

    grid = np.linspace(-3, 3, 601)
    noise_rng = np.random.default_rng(1)
    res_noisy = bayesian_optimization(
        lambda x: float(f1(x[0]) + 0.2 * noise_rng.standard_normal()),
        [(-3.0, 3.0)],
        n_calls=15,
        n_initial_points=4,
        rng=0,
    )
    mu_noisy = res_noisy.model.predict(grid[:, None])
    x_mean_best = grid[np.argmin(mu_noisy)]
    context = {"model": res_noisy, "grid": grid}
    wrongs = [(grid[np.argmax(mu_noisy)], "mismatch", "does not minimise")]
    if abs(res_noisy.x[0] - x_mean_best) > 0.02:
        wrongs.append((res_noisy.x[0], "best-observed", "best observed"))
    return x_mean_best, context, wrongs


def bo_ex_evidence():
    def scale_length(theta, factor):
        theta_ex = theta.copy()
        theta_ex[1] += np.log(factor)
        return theta_ex

    def multiplied(theta, factor):
        theta[1] *= factor  # in place, on the check's copy
        return theta

    return (
        scale_length,
        {},
        [
            (multiplied, "log-scale", "logarithms"),
            (lambda t, f: t + np.log(f) * np.eye(3)[0], "wrong-entry", "amplitude"),
        ],
    )


def ht_ex_top5():
    n_needed = int(np.ceil(np.log(0.05) / np.log(0.95)))
    return n_needed, {}, [(58, "off-by-one", "round up"), (20, "expected-count", "on average")]


def ht_ex_curvature():
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from mlopt.linear_model import LogisticRegressionGD
    from mlopt.optimizers import SGD

    X, y = load_breast_cancer(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    X_std = StandardScaler().fit_transform(X_train)
    X_tilde = np.column_stack([X_std, np.ones(len(X_std))])
    L = 0.25 * np.linalg.eigvalsh(X_tilde.T @ X_tilde / len(X_std))[-1]
    trained = LogisticRegressionGD(optimizer=SGD(lr=1 / L), alpha=0.0, max_iter=100, tol=None).fit(
        X_std, y_train
    )
    p = expit(trained.decision_function(X_std))
    hessian = X_tilde.T @ (X_tilde * (p * (1 - p))[:, None]) / len(X_std)
    lam_max = np.linalg.eigvalsh(hessian)[-1]
    return (
        lam_max,
        {"X": X_std, "model": trained},
        [
            (L, "bound", "bound"),
            (len(X_std) * lam_max, "sum-instead-of-mean", "1/n"),
        ],
    )


def ht_ex_noise():
    rng = np.random.default_rng(0)
    e_max16 = rng.standard_normal((20_000, 16)).max(axis=1).mean()
    return (
        e_max16,
        {},
        [
            (np.sqrt(2 * np.log(16)), "asymptotic", "asymptotic"),
            (0.0, "mismatch", "not the expected maximum"),
        ],
    )


CASES = {
    name.replace("_", "-"): fn
    for name, fn in list(globals().items())
    if re.fullmatch(r"(train|linreg|logreg|gdv|mom|reg|pso|ga|bo|ht)_ex_.*", name)
}


# ---------------------------------------------------------------------------------------------
# The tests.


def book_labels():
    labels = []
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text())["cells"]:
            source = "".join(cell["source"])
            labels += re.findall(r"```\{exercise-start\}\s*\n:label:\s*(\S+)", source)
    return labels


def test_every_exercise_is_checked_or_listed_with_a_reason():
    labels = book_labels()
    assert len(labels) == len(set(labels))
    checked = set(exercises.labels())
    assert set(labels) == checked | set(UNCHECKED), "checked and unchecked must cover the book"
    assert not checked & set(UNCHECKED)
    assert len(UNCHECKED) <= 9
    assert all(len(reason) > 40 for reason in UNCHECKED.values())
    assert len(checked) >= 45
    assert exercises.labels() == [label for label in labels if label in checked]  # book order


def test_every_check_has_a_table_entry():
    # The neural-network chapter's checks have their table in test_exercises_neural_network.py,
    # the Newton chapter's in test_exercises_newton.py.
    from test_exercises_neural_network import CASES as NEURAL_NETWORK_CASES
    from test_exercises_newton import CASES as NEWTON_CASES

    assert set(CASES) | set(NEURAL_NETWORK_CASES) | set(NEWTON_CASES) == set(exercises.labels())


@pytest.mark.parametrize("label", list(CASES))
def test_check(label):
    right, context, wrongs = CASES[label]()
    result = check(label, right, **context)
    assert result.correct, result.message
    assert result.message.startswith(f"{label}: correct.")
    assert repr(result) == str(result) == result.message

    stubs = [None, ...]
    if exercises.describe(label).startswith("a function"):
        stubs += [stub, lambda *args: None, lambda *args: ...]
    for untouched in stubs:
        result = check(label, untouched, **context)
        assert result.status == "not attempted", result.message
        assert "not attempted yet" in result.message

    assert wrongs, "every check has at least one catalogued wrong answer"
    for wrong, mistake, phrase in wrongs:
        result = check(label, wrong, **context)
        assert result.status == "incorrect", (mistake, result.message)
        assert result.mistake == mistake, result.message
        assert re.search(phrase, result.message), result.message


def test_a_function_that_raises_is_a_verdict_not_an_exception():
    result = check("reg-ex-dof", lambda D, lam: 1 / 0)
    assert result.mistake == "error"
    assert "ZeroDivisionError" in result.message


def test_messages_never_contain_the_expected_number():
    for label, answer in [("ht-ex-top5", 60), ("train-ex-lr", 140), ("gdv-ex-one-over-l", 1)]:
        message = check(label, answer).message
        assert not re.search(r"\b(59|132|684)\b", message), message


def test_unknown_and_unchecked_labels_raise():
    with pytest.raises(KeyError, match="no exercise labelled"):
        check("no-such-exercise", 1)
    with pytest.raises(KeyError, match="has no check"):
        check("ht-ex-batch", 1)


def test_a_workspace_whose_data_is_still_a_stub_is_not_attempted():
    result = check("ht-ex-curvature", ..., X=np.ones((3, 2)), model=...)
    assert result.status == "not attempted"


def test_a_missing_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="needs the keyword argument"):
        check("linreg-ex-gradient", lambda t: t)


def test_describe_names_the_answer_of_every_check():
    for label in exercises.labels():
        assert exercises.describe(label)
