"""mlopt.plotting: figures are drawn with the right content, animations are self-contained."""

import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mlopt import minimize  # noqa: E402
from mlopt.functions import himmelblau, rosenbrock  # noqa: E402
from mlopt.optimizers import SGD  # noqa: E402
from mlopt.plotting import (  # noqa: E402
    PALETTE,
    animate_paths,
    plot_contours,
    plot_loss_curves,
    use_book_style,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_contours_with_paths_and_minimizers():
    res = minimize(
        lambda x: (rosenbrock(x), rosenbrock.grad(x)),
        [-1.5, 2.0],
        optimizer=SGD(lr=1e-3),
        max_iter=50,
    )
    ax = plot_contours(rosenbrock, [(-2, 2), (-1, 3)], paths={"GD": res, "raw": [[0, 0], [1, 1]]})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["minimum", "GD", "raw"]
    gd_line = [line for line in ax.get_lines() if line.get_label() == "GD"][0]
    assert np.allclose(gd_line.get_xydata(), res.history["x"])
    assert ax.get_xlim() == (-2.0, 2.0)


def test_default_bounds_come_from_the_function():
    ax = plot_contours(himmelblau)
    assert ax.get_xlim() == tuple(float(v) for v in himmelblau.bounds(2)[0])
    stars = [line for line in ax.get_lines() if line.get_label() == "minimum"][0]
    assert len(stars.get_xdata()) == 4


def test_non_vectorised_function_is_evaluated_point_by_point():
    ax = plot_contours(lambda p: float(p[0] ** 2 + p[1] ** 2), [(-1, 1), (-1, 1)], resolution=20)
    assert ax.collections  # contour lines were drawn


@pytest.mark.parametrize(
    ("bounds", "paths", "match"),
    [
        (None, None, "bounds must be given"),
        ([(1, 0), (0, 1)], None, "bounds must be"),
        ([(0, 1), (0, 1)], {"bad": [1, 2, 3]}, "shape \\(k, 2\\)"),
    ],
)
def test_bad_input(bounds, paths, match):
    with pytest.raises(ValueError, match=match):
        plot_contours(lambda p: p[..., 0], bounds, paths=paths)


def test_loss_curves_suboptimality_on_log_axis():
    ax = plot_loss_curves({"a": [2.0, 1.5, 1.25], "b": [3.0, 2.0, 1.0 + 1e-3]}, minimum=1.0)
    assert ax.get_yscale() == "log"
    assert np.allclose(ax.get_lines()[0].get_ydata(), [1.0, 0.5, 0.25])
    assert ax.get_lines()[0].get_color() == PALETTE[0]
    assert ax.get_lines()[0].get_linestyle() != ax.get_lines()[1].get_linestyle()


def test_animation_is_self_contained_html():
    html = animate_paths(
        rosenbrock, {"p": [[-1.5, 2.0], [-1.0, 1.0], [0.0, 0.0]]}, [(-2, 2), (-1, 3)], frames=3
    )
    assert "<script" in html.data and "data:image/png;base64" in html.data
    assert "http" not in html.data and 'class="fa' not in html.data
    again = animate_paths(
        rosenbrock, {"p": [[-1.5, 2.0], [-1.0, 1.0], [0.0, 0.0]]}, [(-2, 2), (-1, 3)], frames=3
    )
    assert again.data == html.data  # no random element ids: stored outputs reproduce
    assert plt.get_fignums() == []


def test_animation_has_a_still_image_for_print():
    anim = animate_paths(
        rosenbrock, {"p": [[-1.5, 2.0], [-1.0, 1.0], [0.0, 0.0]]}, [(-2, 2), (-1, 3)], frames=3
    )
    bundle = anim._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["image/png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert bundle["text/plain"] == repr(anim)
    assert repr(anim) == "<PathAnimation: 3 frames; p: 3 points from (-1.50, 2.00) to (0.00, 0.00)>"
    still = plt.imread(io.BytesIO(anim.png))
    assert still.shape[:2] == (360, 500)  # figsize (5, 3.6) at twice the frames' 50 dpi


def test_book_style_uses_white_background_and_the_palette():
    use_book_style()
    assert matplotlib.rcParams["figure.facecolor"] == "white"
    colors = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert tuple(colors) == PALETTE


def test_animation_html_does_not_depend_on_the_last_bits_of_a_path():
    """Element ids and summary come from what the animation shows, not from raw coordinates,
    so a path computed on another CPU (last bits differ) gives the same HTML apart from the
    frames' pixels; a different path, title or frame count gives a different summary."""
    path = np.array([[-1.5, 2.0], [-1.0, 1.0], [0.25, 0.1]])
    nudged = path * (1 + 1e-15)

    def frames_removed(p, **kw):
        anim = animate_paths(rosenbrock, {"p": p}, [(-2, 2), (-1, 3)], **kw)
        return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=\\\n]+", "", anim.data), repr(anim)

    assert frames_removed(path) == frames_removed(nudged)
    html, text = frames_removed(path)
    assert frames_removed(path + [[0, 0], [0, 0], [0.5, 0]])[1] != text
    assert frames_removed(path, title="another title")[0] != html
    assert frames_removed(path, frames=2)[1] != text
    assert frames_removed(path, labels=("$w$", "$b$"))[0] != html


def test_animation_draws_its_axis_labels():
    path = {"p": [[-1.5, 2.0], [0.0, 0.0]]}
    default = animate_paths(rosenbrock, path, [(-2, 2), (-1, 3)], frames=2)
    labelled = animate_paths(rosenbrock, path, [(-2, 2), (-1, 3)], frames=2, labels=("$w$", "$b$"))
    assert labelled.png != default.png  # the still image shows other axis labels
    assert repr(labelled) == repr(default)  # the same paths


def test_minimizers_argument_marks_given_points():
    from mlopt.plotting import plot_contours as contours

    ax = contours(lambda p: np.sum((p - 1.0) ** 2, axis=1), [(-2, 2), (-2, 2)], minimizers=[1, 1])
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    assert len(stars) == 1 and list(stars[0].get_xdata()) == [1.0]


def test_decision_regions_colour_each_class_from_the_palette():
    from mlopt.linear_model import LogisticRegressionGD
    from mlopt.plotting import plot_decision_regions

    X = np.array([[0.0, 0.0], [1.0, 0.2], [0.1, 1.0], [1.0, 1.1], [0.5, 2.0], [2.0, 2.0]])
    y = np.array([0, 0, 1, 1, 2, 2])
    ax = plot_decision_regions(LogisticRegressionGD(alpha=0.1).fit(X, y), X, y, title="t")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["class 0", "class 1", "class 2"]
    colours = [line.get_color() for line in ax.get_lines()]
    assert colours == list(PALETTE[:3])


def test_gp_posterior_panels():
    from mlopt.bayesian_optimization import expected_improvement, fit_gp
    from mlopt.plotting import plot_gp_posterior

    X = np.array([[0.1], [0.5], [0.9]])
    y = np.sin(6 * X[:, 0])
    model = fit_gp(X, y, [(0.0, 1.0)])
    axes = plot_gp_posterior(model, X, y, [(0.0, 1.0)], f=lambda t: np.sin(6 * t))
    assert len(axes) == 1
    axes = plot_gp_posterior(
        model,
        X,
        y,
        [(0.0, 1.0)],
        acquisition=lambda mu, s: expected_improvement(mu, s, best=y.min()),
        x_next=0.3,
    )
    assert len(axes) == 2 and axes[1].get_ylabel() == "acquisition"


def test_snapshots_show_one_panel_per_iteration():
    from mlopt.functions import rastrigin
    from mlopt.particle_swarm import particle_swarm
    from mlopt.plotting import plot_snapshots

    res = particle_swarm(rastrigin, rastrigin.bounds(2), n_particles=6, max_iter=4, rng=0)
    axes = plot_snapshots(rastrigin, res, 6, [0, 2, 4])
    assert [ax.get_title() for ax in axes] == ["iteration 0", "iteration 2", "iteration 4"]
    population = [line for line in axes[1].get_lines() if line.get_label() == "population"]
    assert len(population[0].get_xdata()) == 6
