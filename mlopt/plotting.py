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
from matplotlib.colors import LogNorm

__all__ = [
    "use_book_style",
    "plot_contours",
    "plot_loss_curves",
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


def _as_path(path):
    if hasattr(path, "history"):  # an OptimizeResult from mlopt.minimize
        path = path["history"]["x"]
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"each path must be an array of shape (k, 2); got shape {path.shape}.")
    return path


def _resolve_bounds(f, bounds):
    if bounds is None:
        if not hasattr(f, "bounds"):
            raise ValueError("bounds must be given as [(x_low, x_high), (y_low, y_high)].")
        bounds = f.bounds(2)
    (x0, x1), (y0, y1) = bounds
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"bounds must be [(x_low, x_high), (y_low, y_high)]; got {bounds}.")
    return (float(x0), float(x1)), (float(y0), float(y1))


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
        Number of contour levels.
    log_scale : bool, default=True
        Space the levels geometrically in :math:`f - \\min f`, which shows the valleys of
        functions like Rosenbrock's.
    resolution : int, default=200
        Grid points per axis.
    show_minimizers : bool, default=True
        Mark ``f.minimizers(2)`` with stars when ``f`` has them.
    labels : tuple of str
        Axis labels.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from mlopt.functions import rosenbrock
    >>> ax = plot_contours(rosenbrock, [(-2, 2), (-1, 3)], paths={"start": [[-1.5, 2.0]]})
    """
    (x0, x1), (y0, y1) = _resolve_bounds(f, bounds)
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
    if show_minimizers and hasattr(f, "minimizers"):
        m = np.atleast_2d(f.minimizers(2))
        inside = (m[:, 0] >= x0) & (m[:, 0] <= x1) & (m[:, 1] >= y0) & (m[:, 1] <= y1)
        ax.plot(m[inside, 0], m[inside, 1], "*", color="black", ms=12, ls="none", label="minimum")
    for i, (label, path) in enumerate((paths or {}).items()):
        p = _as_path(path)
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
    if paths or (show_minimizers and hasattr(f, "minimizers")):
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
    if ax is None:
        _, ax = plt.subplots()
    for i, (label, curve) in enumerate(curves.items()):
        if hasattr(curve, "history"):
            curve = curve["history"]["fun"]
        y = np.asarray(curve, dtype=float)
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
        Number of frames.
    interval : int, default=200
        Milliseconds between frames.
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

    arrays = {label: _as_path(p) for label, p in paths.items()}
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
    html = _self_contained(anim.to_jshtml(default_mode="once"), key, alt)
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
