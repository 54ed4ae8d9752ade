"""Figures used throughout the book: contours with optimisation paths, loss curves, animations.

Colours follow the Okabe-Ito palette, which colour-blind readers can tell apart, and every
line also gets its own line style and marker, so the figures read in greyscale too.
Backgrounds are opaque white, so figures stay legible in the book's dark theme.
"""

from __future__ import annotations

import hashlib
import io
import re
from html import escape

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.colors import ListedColormap, LogNorm

from ._validation import check_bool, check_integer, check_interval

__all__ = [
    "use_book_style",
    "plot_contours",
    "plot_loss_curves",
    "plot_decision_regions",
    "plot_gp_posterior",
    "plot_snapshots",
    "animate_paths",
    "PathAnimation",
    "PALETTE",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)))
_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


# matplotlib's animation player draws its buttons with Font Awesome 4 from a CDN; the book
# makes no request outside the site, so the icons are replaced by plain Unicode symbols.
_ICONS = {
    "fa fa-minus": "\u2212",
    "fa fa-plus": "+",
    "fa fa-fast-backward": "\u21e4",
    "fa fa-step-backward": "\u25c1",
    "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-pause": "\u275a\u275a",
    "fa fa-play": "\u25b6",
    "fa fa-step-forward": "\u25b7",
    "fa fa-fast-forward": "\u21e5",
}


def _self_contained(html, key, alt):
    """Drop the CDN stylesheet, swap icons for symbols, add alt text, fix the element ids."""
    html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
    html = html.replace("<img id=", f'<img alt="{escape(alt, quote=True)}" id=', 1)
    for css, symbol in _ICONS.items():
        html = html.replace(f'<i class="{css}"></i>', f'<span aria-hidden="true">{symbol}</span>')
    uid = re.search(r"_anim_img([0-9a-f]{32})", html)
    if uid:
        html = html.replace(uid.group(1), hashlib.sha1(key).hexdigest()[:32])
    return html


def use_book_style():
    """Set matplotlib defaults for the book: white backgrounds, palette, styles, viridis.

    Examples
    --------
    >>> from mlopt.plotting import use_book_style
    >>> use_book_style()
    """
    mpl.rcParams.update(
        {
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "figure.figsize": (6.4, 4.2),
            "figure.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "image.cmap": "viridis",
            "legend.framealpha": 0.9,
            "axes.prop_cycle": cycler(color=PALETTE) + cycler(linestyle=_STYLES),
            "animation.embed_limit": 8.0,
        }
    )


def _evaluate_grid(f, X, Y):
    points = np.column_stack([X.ravel(), Y.ravel()])
    try:
        z = np.asarray(f(points), dtype=float)
    except (ValueError, TypeError, IndexError):
        z = None
    if z is None or z.shape != (points.shape[0],):
        z = np.array([float(f(p)) for p in points])
    return z.reshape(X.shape)


def _real_array(name, value):
    """``value`` as a float array; None, text and complex numbers refused."""
    try:
        if value is None or np.iscomplexobj(value):
            raise TypeError
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of real numbers; got {value!r:.80}.") from exc


def _as_path(path, name="each path"):
    if hasattr(path, "history"):  # an OptimizeResult from mlopt.minimize
        if path["history"] is None:
            raise ValueError(f"{name} is a result run with history=False: it has no path.")
        path = path["history"]["x"]
    path = _real_array(name, path)
    if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] == 0:
        raise ValueError(
            f"{name} must be an array of shape (k, 2) with k >= 1; got shape {path.shape}."
        )
    if not np.all(np.isfinite(path)):
        raise ValueError(f"{name} must contain only finite numbers (a diverged run?).")
    return path


def _check_mapping(name, value):
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a dict from legend label to data; got {value!r:.80}.")
    return value


def _resolve_bounds(f, bounds):
    if bounds is None:
        if not hasattr(f, "bounds"):
            raise ValueError("bounds must be given as [(x_low, x_high), (y_low, y_high)].")
        bounds = f.bounds(2)
    box = _real_array("bounds", bounds)
    if box.shape != (2, 2) or not np.all(np.isfinite(box)) or not np.all(box[:, 0] < box[:, 1]):
        raise ValueError(
            "bounds must be [(x_low, x_high), (y_low, y_high)] of finite numbers with "
            f"low < high; got {bounds!r:.80}."
        )
    (x0, x1), (y0, y1) = box
    return (float(x0), float(x1)), (float(y0), float(y1))


def _mark_minimizers(ax, points, window):
    """Black stars at the minimisers inside the window, labelled "minimum" once."""
    (x0, x1), (y0, y1) = window
    m = np.atleast_2d(_real_array("minimizers", points))
    if m.size and m.shape[1] != 2:
        raise ValueError(f"minimizers must have shape (m, 2); got {m.shape}.")
    inside = (m[:, 0] >= x0) & (m[:, 0] <= x1) & (m[:, 1] >= y0) & (m[:, 1] <= y1)
    ax.plot(m[inside, 0], m[inside, 1], "*", color="black", ms=12, ls="none", label="minimum")


def plot_contours(
    f,
    bounds=None,
    *,
    paths=None,
    ax=None,
    levels=25,
    log_scale=True,
    resolution=200,
    show_minimizers=True,
    labels=("$x_1$", "$x_2$"),
    title=None,
    minimizers=None,
):
    """Draw the contour lines of a 2-D function, optionally with optimisation paths.

    Parameters
    ----------
    f : callable
        The function; it should accept an array of shape (n, 2) and return shape (n,)
        (every :mod:`mlopt.functions` object does); otherwise it is called point by point.
    bounds : sequence of two (low, high) pairs, optional
        The window. Defaults to ``f.bounds(2)`` for a test function.
    paths : dict of str to array_like of shape (k, 2) or OptimizeResult, optional
        Paths to draw, keyed by legend label; an :func:`mlopt.minimize` result works as is.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    levels : int, default=25
        Number of contour levels, in ``[2, inf)``.
    log_scale : bool, default=True
        Space the levels geometrically in :math:`f - \\min f`, which shows the valleys of
        functions like Rosenbrock's.
    resolution : int, default=200
        Grid points per axis, in ``[2, inf)``.
    show_minimizers : bool, default=True
        Mark the minimisers with black stars: ``minimizers`` if given, else
        ``f.minimizers(2)`` when ``f`` has them.
    labels : tuple of str
        Axis labels.
    title : str, optional
    minimizers : array_like of shape (m, 2), optional
        The minimisers to mark, for a function that does not know its own (a loss on data).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from mlopt.functions import rosenbrock
    >>> ax = plot_contours(rosenbrock, [(-2, 2), (-1, 3)], paths={"start": [[-1.5, 2.0]]})
    """
    if not callable(f):
        raise ValueError(f"f must be a callable f(points) -> values; got {f!r:.80}.")
    (x0, x1), (y0, y1) = _resolve_bounds(f, bounds)
    levels = check_integer("levels", levels, 2)
    resolution = check_integer("resolution", resolution, 2)
    show_minimizers = check_bool("show_minimizers", show_minimizers)
    paths = _check_mapping("paths", paths) if paths is not None else None
    if minimizers is None and hasattr(f, "minimizers"):
        minimizers = f.minimizers(2)
    show_minimizers = show_minimizers and minimizers is not None
    if ax is None:
        _, ax = plt.subplots()
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = _evaluate_grid(f, X, Y)
    if log_scale:
        shifted = Z - Z.min()
        low = max(np.percentile(shifted, 0.5), 1e-12 * max(shifted.max(), 1.0))
        lvls = np.geomspace(low, shifted.max(), levels)
        ax.contour(X, Y, shifted + 1e-300, levels=lvls, norm=LogNorm(), linewidths=0.8)
    else:
        ax.contour(X, Y, Z, levels=levels, linewidths=0.8)
    if show_minimizers:
        _mark_minimizers(ax, minimizers, ((x0, x1), (y0, y1)))
    for i, (label, path) in enumerate((paths or {}).items()):
        p = _as_path(path, f"paths[{label!r}]")
        k = i % len(PALETTE)
        ax.plot(
            p[:, 0],
            p[:, 1],
            color=PALETTE[k],
            ls=_STYLES[k],
            marker=_MARKERS[k],
            ms=3,
            lw=1.5,
            label=label,
        )
        ax.plot(p[0, 0], p[0, 1], marker=_MARKERS[k], color=PALETTE[k], ms=8, ls="none")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if title:
        ax.set_title(title)
    if paths or show_minimizers:
        ax.legend(loc="best", fontsize="small")
    return ax


def plot_loss_curves(
    curves, *, ax=None, minimum=None, log=True, xlabel="iteration", ylabel=None, title=None
):
    r"""Plot one or more loss curves, by default on a logarithmic axis.

    Parameters
    ----------
    curves : dict of str to array_like or OptimizeResult
        Loss values per iteration (an :func:`mlopt.minimize` result contributes
        ``history["fun"]``), keyed by legend label.
    ax : matplotlib.axes.Axes, optional
    minimum : float, optional
        If given, plot the sub-optimality :math:`f(x_k) - f^\star` instead of :math:`f(x_k)`.
    log : bool, default=True
        Logarithmic y axis; linear convergence then shows as a straight line.
    xlabel, ylabel, title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_loss_curves({"GD": [1.0, 0.5, 0.25, 0.125]})
    """
    curves = _check_mapping("curves", curves)
    if not curves:
        raise ValueError("curves must hold at least one curve; got an empty dict.")
    if minimum is not None:
        minimum = check_interval("minimum", minimum)
    log = check_bool("log", log)
    if ax is None:
        _, ax = plt.subplots()
    for i, (label, curve) in enumerate(curves.items()):
        if hasattr(curve, "history"):
            if curve["history"] is None:
                raise ValueError(f"curves[{label!r}] was run with history=False: no curve.")
            curve = curve["history"]["fun"]
        y = _real_array(f"curves[{label!r}]", curve)
        if y.ndim != 1 or y.size == 0:
            raise ValueError(
                f"curves[{label!r}] must be a non-empty 1-D array; got shape {y.shape}."
            )
        if minimum is not None:
            y = y - minimum
        k = i % len(PALETTE)
        ax.plot(np.arange(y.size), y, color=PALETTE[k], ls=_STYLES[k], lw=1.8, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    if ylabel is None:
        ylabel = r"$f(x_k) - f^\star$" if minimum is not None else r"$f(x_k)$"
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(curves) > 1:
        ax.legend(loc="best", fontsize="small")
    return ax


def plot_decision_regions(
    model, X, y, *, ax=None, resolution=200, padding=0.5, labels=("$x_1$", "$x_2$"), title=None
):
    """Colour the plane by the class a fitted classifier predicts, and show the data on top.

    Parameters
    ----------
    model : fitted classifier
        Anything with ``predict(points)`` for points of shape ``(n, 2)``, e.g. a
        :class:`mlopt.linear_model.LogisticRegressionGD` or a scikit-learn pipeline.
    X : array_like of shape (n_samples, 2)
        The points to draw (two features).
    y : array_like of shape (n_samples,)
        Their classes; each class gets a colour of :data:`PALETTE` and its own marker.
    ax : matplotlib.axes.Axes, optional
    resolution : int, default=200
        Grid points per axis, in ``[2, inf)``.
    padding : float, default=0.5
        Margin around the data, in the units of ``X``, in ``[0, inf)``.
    labels : tuple of str
        Axis labels.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.linear_model import LogisticRegressionGD
    >>> X = np.array([[0.0, 0.0], [1.0, 0.2], [0.1, 1.0], [1.0, 1.1]])
    >>> y = np.array([0, 0, 1, 1])
    >>> ax = plot_decision_regions(LogisticRegressionGD(alpha=0.1).fit(X, y), X, y)
    """
    if not hasattr(model, "predict"):
        raise ValueError(f"model must be a fitted classifier with predict(); got {model!r:.80}.")
    X = _real_array("X", X)
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0 or not np.all(np.isfinite(X)):
        raise ValueError(f"X must be a finite array of shape (n, 2) with n >= 1; got {X.shape}.")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"y must have shape ({X.shape[0]},), one class per row of X; got {y.shape}."
        )
    resolution = check_integer("resolution", resolution, 2)
    padding = check_interval("padding", padding, 0.0, np.inf, closed="left")
    classes = np.unique(y)
    if classes.size > len(PALETTE):
        raise ValueError(f"y must have at most {len(PALETTE)} classes; got {classes.size}.")
    if ax is None:
        _, ax = plt.subplots()
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    high = np.where(high > low, high, low + 1.0)
    G0, G1 = np.meshgrid(
        np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    )
    predicted = np.asarray(model.predict(np.column_stack([G0.ravel(), G1.ravel()])))
    index = np.searchsorted(classes, predicted).reshape(G0.shape)
    colours = ListedColormap(PALETTE[: classes.size])
    ax.contourf(G0, G1, index, levels=np.arange(classes.size + 1) - 0.5, cmap=colours, alpha=0.25)
    for k, c in enumerate(classes):
        mask = y == c
        ax.plot(
            X[mask, 0],
            X[mask, 1],
            _MARKERS[k],
            color=PALETTE[k],
            ms=5,
            ls="none",
            markeredgecolor="white",
            markeredgewidth=0.5,
            label=f"class {c}",
        )
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_gp_posterior(
    model, X, y, bounds, *, f=None, acquisition=None, x_next=None, axes=None, resolution=400
):
    """The posterior of a 1-D Gaussian-process surrogate, and optionally an acquisition below it.

    The upper panel shows the posterior mean :math:`\\mu(x)`, the band
    :math:`\\mu \\pm 2\\sigma`, the data and (if given) the true function; the lower panel
    the acquisition function ``acquisition(mu, sigma)`` with its maximiser or ``x_next``.

    Parameters
    ----------
    model : fitted regressor
        ``model.predict(points, return_std=True)``, as :func:`mlopt.bayesian_optimization.fit_gp`
        returns.
    X : array_like of shape (n, 1)
        The evaluated points.
    y : array_like of shape (n,)
        Their values.
    bounds : sequence of one (low, high) pair
        The interval drawn.
    f : callable, optional
        The true function, ``f(x) -> float`` for a float ``x``, drawn dashed.
    acquisition : callable, optional
        ``acquisition(mu, sigma) -> values``, e.g.
        ``lambda mu, s: expected_improvement(mu, s, best=min(y))``; with it a second panel
        is drawn.
    x_next : float, optional
        The point chosen next, marked by a vertical line (default: the acquisition's maximiser).
    axes : matplotlib.axes.Axes or sequence of two, optional
    resolution : int, default=400
        Grid points, in ``[2, inf)``.

    Returns
    -------
    list of matplotlib.axes.Axes
        One axis, or two with ``acquisition``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlopt.bayesian_optimization import expected_improvement, fit_gp
    >>> X = np.array([[0.1], [0.5], [0.9]])
    >>> y = np.sin(6 * X[:, 0])
    >>> model = fit_gp(X, y, [(0.0, 1.0)])
    >>> axes = plot_gp_posterior(
    ...     model, X, y, [(0.0, 1.0)],
    ...     acquisition=lambda mu, s: expected_improvement(mu, s, best=y.min()))
    >>> len(axes)
    2
    """
    box = _real_array("bounds", bounds)
    if box.shape != (1, 2) or not np.all(np.isfinite(box)) or not box[0, 0] < box[0, 1]:
        raise ValueError(f"bounds must be [(low, high)] with low < high; got {bounds!r:.80}.")
    X = _real_array("X", X)
    y = _real_array("y", y)
    if X.ndim != 2 or X.shape[1] != 1 or X.shape[0] == 0 or y.shape != (X.shape[0],):
        raise ValueError(f"X must have shape (n, 1) and y shape (n,); got {X.shape} and {y.shape}.")
    resolution = check_integer("resolution", resolution, 2)
    if acquisition is not None and not callable(acquisition):
        raise ValueError(
            f"acquisition must be a callable (mu, sigma) -> values; got {acquisition!r}."
        )
    n_panels = 1 if acquisition is None else 2
    if axes is None:
        _, axes = plt.subplots(n_panels, 1, sharex=True, figsize=(6.5, 2.6 * n_panels + 0.4))
    axes = list(np.atleast_1d(axes))
    if len(axes) != n_panels:
        raise ValueError(f"axes must hold {n_panels} axes; got {len(axes)}.")
    grid = np.linspace(box[0, 0], box[0, 1], resolution)
    mu, sigma = model.predict(grid[:, None], return_std=True)
    top = axes[0]
    top.fill_between(
        grid,
        mu - 2 * sigma,
        mu + 2 * sigma,
        color=PALETTE[5],
        alpha=0.3,
        label=r"$\mu \pm 2\sigma$",
    )
    top.plot(grid, mu, color=PALETTE[0], lw=1.8, label=r"posterior mean $\mu$")
    if f is not None:
        top.plot(grid, [float(f(t)) for t in grid], color=PALETTE[6], ls="--", lw=1, label="$f$")
    top.plot(X[:, 0], y, "o", color="black", ms=5, label="evaluations")
    top.set_ylabel("$f(x)$")
    top.legend(loc="best", fontsize="small")
    if acquisition is not None:
        values = np.asarray(acquisition(mu, sigma), dtype=float)
        bottom = axes[1]
        bottom.plot(grid, values, color=PALETTE[1], lw=1.8)
        chosen = grid[int(np.argmax(values))] if x_next is None else float(x_next)
        for ax in axes:
            ax.axvline(chosen, color=PALETTE[1], ls=":", lw=1)
        bottom.set_ylabel("acquisition")
    axes[-1].set_xlabel("$x$")
    return axes


def plot_snapshots(
    f, result, population_size, iterations, bounds=None, *, axes=None, levels=12, resolution=150
):
    """The population of a swarm or genetic algorithm at a few iterations, on contour lines.

    Parameters
    ----------
    f : callable
        The 2-D objective, as for :func:`plot_contours`.
    result : OptimizeResult
        A result of :func:`mlopt.particle_swarm.particle_swarm`, with
        ``population_size = n_particles``. (For :func:`mlopt.genetic_algorithm.genetic_algorithm`
        rows ``0:N`` are the initial population and each generation adds ``N - elitism``
        children, so the snapshots are exact only with ``elitism=0``.)
    population_size : int
        Evaluations per iteration, in ``[1, inf)``.
    iterations : sequence of int
        The iterations to show, one panel each, in ``[0, nit]``.
    bounds, levels, resolution
        As for :func:`plot_contours`.
    axes : sequence of matplotlib.axes.Axes, optional
        One per iteration.

    Returns
    -------
    list of matplotlib.axes.Axes

    Examples
    --------
    >>> from mlopt.functions import rastrigin
    >>> from mlopt.particle_swarm import particle_swarm
    >>> res = particle_swarm(rastrigin, rastrigin.bounds(2), n_particles=10, max_iter=5, rng=0)
    >>> axes = plot_snapshots(rastrigin, res, 10, [0, 5])
    """
    if not hasattr(result, "history") or result["history"] is None:
        raise ValueError("result must be an OptimizeResult with a history of every evaluation.")
    population_size = check_integer("population_size", population_size, 1)
    points = _real_array("result.history['x']", result["history"]["x"])
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(
            f"result must come from a 2-D problem; got points of shape {points.shape}."
        )
    n_iterations = points.shape[0] // population_size
    iterations = [check_integer("iterations[i]", t, 0, n_iterations - 1) for t in iterations]
    if not iterations:
        raise ValueError("iterations must name at least one iteration.")
    if axes is None:
        _, axes = plt.subplots(1, len(iterations), figsize=(3.2 * len(iterations), 3.0))
    axes = list(np.atleast_1d(axes))
    if len(axes) != len(iterations):
        raise ValueError(f"axes must hold {len(iterations)} axes; got {len(axes)}.")
    for ax, t in zip(axes, iterations, strict=True):
        plot_contours(f, bounds, ax=ax, levels=levels, resolution=resolution, labels=("$x_1$", ""))
        population = points[t * population_size : (t + 1) * population_size]
        ax.plot(
            population[:, 0],
            population[:, 1],
            "o",
            color=PALETTE[1],
            ms=4,
            ls="none",
            markeredgecolor="white",
            markeredgewidth=0.5,
            label="population",
        )
        ax.set_title(f"iteration {t}")
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    return axes


def animate_paths(
    f,
    paths,
    bounds=None,
    *,
    frames=20,
    interval=200,
    labels=("$x_1$", "$x_2$"),
    title=None,
    alt=None,
    dpi=50,
    figsize=(5.0, 3.6),
):
    """Animate optimisation paths on the contour plot of a 2-D function.

    The animation is returned as self-contained HTML and JavaScript (matplotlib's
    ``to_jshtml``), so it plays in the rendered book without a running kernel.

    Parameters
    ----------
    f, bounds
        As in :func:`plot_contours`.
    paths : dict of str to array_like of shape (k, 2) or OptimizeResult
        The paths; longer ones are subsampled to at most ``frames`` frames.
    frames : int, default=20
        Number of frames, in ``[1, inf)``.
    interval : int, default=200
        Milliseconds between frames, in ``(0, inf)``.
    labels : tuple of str
        Axis labels, as in :func:`plot_contours`.
    title : str, optional
    alt : str, optional
        Alternative text of the animation for screen readers; by default it names the paths.
    dpi : int, default=50
        Resolution of the frames (the HTML embeds one PNG per frame, so this and
        ``frames`` set the page's size).
    figsize : tuple of float, default=(5.0, 3.6)

    Returns
    -------
    PathAnimation
        Displays as the animation in HTML (a notebook, the website) and as a still image of
        the last frame where HTML cannot play (the PDF of the book).

    Examples
    --------
    >>> from mlopt.functions import rosenbrock
    >>> path = [[-1.5, 2.0], [-1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]
    >>> anim = animate_paths(rosenbrock, {"a path": path}, [(-2, 2), (-1, 3)])
    >>> anim  # in a notebook, the animation itself
    <PathAnimation: 4 frames; a path: 4 points from (-1.50, 2.00) to (1.00, 1.00)>
    """
    from matplotlib.animation import FuncAnimation

    paths = _check_mapping("paths", paths)
    if not paths:
        raise ValueError("paths must hold at least one path; got an empty dict.")
    frames = check_integer("frames", frames, 1)
    interval = check_interval("interval", interval, 0.0, np.inf)
    dpi = check_interval("dpi", dpi, 0.0, np.inf)
    arrays = {label: _as_path(p, f"paths[{label!r}]") for label, p in paths.items()}
    longest = max(p.shape[0] for p in arrays.values())
    index = np.unique(np.linspace(0, longest - 1, min(frames, longest)).round().astype(int))
    fig, ax = plt.subplots(dpi=dpi, figsize=figsize)
    plot_contours(f, bounds, ax=ax, labels=labels, title=title, levels=15, resolution=120)
    lines = []
    for i, label in enumerate(arrays):
        k = i % len(PALETTE)
        (line,) = ax.plot(
            [], [], color=PALETTE[k], ls=_STYLES[k], marker=_MARKERS[k], ms=3, label=label
        )
        lines.append(line)
    ax.legend(loc="best", fontsize="small")

    def draw(j):
        for line, p in zip(lines, arrays.values(), strict=True):
            stop = min(j, p.shape[0] - 1) + 1
            line.set_data(p[:stop, 0], p[:stop, 1])
        return lines

    anim = FuncAnimation(fig, draw, frames=index, interval=interval, blit=True)
    alt = alt or "Animation of " + ", ".join(arrays) + " on contour lines" + (
        f": {title}" if title else ""
    )
    # The text summary says what the animation shows in digits that every machine computes
    # alike (the frames' pixels may differ in the last bit of a coordinate); the element ids
    # derive from it, not from the raw coordinates, so the HTML is the same on every machine.
    summary = (
        f"<PathAnimation: {len(index)} frames; "
        + "; ".join(
            f"{label}: {p.shape[0]} points from {_point(p[0], p)} to {_point(p[-1], p)}"
            for label, p in arrays.items()
        )
        + ">"
    )
    key = (summary + alt + repr((labels, title, interval, dpi, figsize))).encode()
    # Saving draws every frame twice: once on the canvas (draw_idle, after the frame's
    # update) and once more into the PNG (savefig, which always draws afresh). Only the
    # second reaches the HTML, so the first is skipped: the frames are the same, in half the
    # time.
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    try:
        jshtml = anim.to_jshtml(default_mode="once")
    finally:
        del fig.canvas.draw_idle  # back to the class's method
    html = _self_contained(jshtml, key, alt)
    draw(index[-1])  # the still image for print: every path in full
    still = io.BytesIO()
    fig.savefig(still, format="png", dpi=2 * dpi, metadata={"Software": None})
    plt.close(fig)
    return PathAnimation(html, still.getvalue(), summary)


def _point(x, path):
    """A point of ``path`` to a hundredth of the path's extent, as the summary shows it.

    An absolute precision (not significant digits) keeps coordinates that have converged
    to zero from showing their round-off, and ``+ 0.0`` turns a rounded -0.0 into 0.0.
    """
    finite = np.abs(path[np.isfinite(path)])
    scale = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    decimals = max(0, 2 - int(np.floor(np.log10(scale))))
    return "(" + ", ".join(f"{round(float(v), decimals) + 0.0:.{decimals}f}" for v in x) + ")"


class PathAnimation:
    """The result of :func:`animate_paths`: an animation with a still image for print.

    Attributes
    ----------
    data : str
        The self-contained HTML and JavaScript of the animation.
    png : bytes
        The last frame as a PNG image.

    Examples
    --------
    >>> from mlopt.functions import himmelblau
    >>> anim = animate_paths(himmelblau, {"p": [[0.0, 0.0], [3.0, 2.0]]}, frames=2)
    >>> sorted(anim._repr_mimebundle_())
    ['image/png', 'text/html', 'text/plain']
    """

    def __init__(self, data, png, text):
        self.data, self.png, self._text = data, png, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.data, "image/png": self.png, "text/plain": self._text}

    def __repr__(self):
        return self._text
