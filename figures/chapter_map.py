"""Draw the map of the chapters shown on the book's landing page.

Run ``python figures/chapter_map.py`` from the repository's root after changing the table of
contents; it writes ``figures/chapter_map.svg`` (for the website) and ``figures/chapter_map.pdf``
(for the PDF). ``tests/test_book.py`` checks that the committed files are up to date.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

HERE = Path(__file__).resolve().parent

# Light tints of the Okabe-Ito colours, one per part of the book; black text reads on all.
PARTS = {
    "Foundations": "#d9d9d9",
    "Models": "#cfe6f5",
    "Gradient methods": "#fbe3bf",
    "Generalisation": "#c6ece0",
    "Beyond gradients": "#f3d3e3",
    "Practice": "#fbf3b5",
}

# (key, label, part, x, y): x runs left to right in reading order.
CHAPTERS = [
    ("0", "0  Training a model\nas optimisation", "Foundations", 0.0, 1.0),
    ("1", "1  Linear\nregression", "Models", 1.5, 2.0),
    ("2", "2  Logistic\nregression", "Models", 3.0, 2.0),
    ("3", "3  Gradient-descent\nvariants", "Gradient methods", 1.5, 1.0),
    ("4", "4  Momentum and\nadaptive methods", "Gradient methods", 3.0, 1.0),
    ("5", "5  Newton and\nquasi-Newton", "Gradient methods", 4.5, 1.0),
    ("6", "6  Regularisation", "Generalisation", 4.5, 2.0),
    (
        "7",
        "7  Beyond gradients: particle\nswarms, genetic algorithms,\nBayesian optimisation",
        "Beyond gradients",
        2.25,
        0.0,
    ),
    ("8", "8  Training a\nneural network", "Practice", 6.0, 2.0),
    ("9", "9  Hyper-parameter\ntuning", "Practice", 7.5, 1.0),
]

# "a -> b": chapter b builds on chapter a.
PREREQUISITES = [
    ("0", "1"),
    ("0", "3"),
    ("0", "7"),
    ("1", "2"),
    ("3", "4"),
    ("2", "5"),
    ("4", "5"),
    ("2", "6"),
    ("4", "6"),
    ("6", "8"),
    ("7", "9"),
    ("8", "9"),
]

WIDTH, HEIGHT = 1.2, 0.55


def draw() -> plt.Figure:
    """Return the figure: one box per chapter, an arrow from each prerequisite."""
    fig, ax = plt.subplots(figsize=(10.5, 3.4), facecolor="white")
    ax.set_facecolor("white")
    where = {}
    for key, label, part, x, y in CHAPTERS:
        lines = label.count("\n") + 1
        height = HEIGHT * (1.4 if lines > 2 else 1.0)
        width = WIDTH * (1.45 if lines > 2 else 1.0)
        box = FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.06",
            facecolor=PARTS[part],
            edgecolor="#333333",
            linewidth=1.0,
        )
        ax.add_patch(box)
        ax.text(x, y, label, ha="center", va="center", fontsize=8, color="black")
        where[key] = (x, y, width, height)
    for a, b in PREREQUISITES:
        xa, ya, wa, ha = where[a]
        xb, yb, wb, hb = where[b]
        # Leave each box from the side facing the other box.
        start = (xa + wa / 2, ya) if xb > xa else (xa, ya - ha / 2)
        end = (xb - wb / 2, yb) if xb > xa else (xb, yb + hb / 2)
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=11,
                color="#333333",
                linewidth=1.0,
                shrinkA=1,
                shrinkB=1,
            )
        )
    handles = [
        plt.Rectangle((0, 0), 1, 1, facecolor=c, edgecolor="#333333") for c in PARTS.values()
    ]
    ax.legend(
        handles,
        PARTS.keys(),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=6,
        frameon=False,
        fontsize=8,
        handlelength=1.2,
        columnspacing=1.2,
    )
    ax.set_xlim(-0.65, 8.15)
    ax.set_ylim(-0.45, 2.35)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


def save(directory: Path = HERE) -> list[Path]:
    """Write chapter_map.svg and chapter_map.pdf into ``directory``, reproducibly."""
    fig = draw()
    paths = []
    with plt.rc_context({"svg.hashsalt": "chapter-map", "svg.fonttype": "path"}):
        for suffix, metadata in [
            (".svg", {"Date": None}),
            (".pdf", {"CreationDate": None, "ModDate": None}),
        ]:
            path = directory / f"chapter_map{suffix}"
            fig.savefig(path, metadata=metadata)
            paths.append(path)
    plt.close(fig)
    return paths


if __name__ == "__main__":
    for path in save():
        print("wrote", path.relative_to(HERE.parent))
