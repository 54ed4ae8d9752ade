"""Offline copies of the book, written into the site at the end of every HTML build.

``downloads/mlopt-book-html.zip``
    the whole built website, to read offline or put on any static host;
``downloads/mlopt-book-notebooks.zip``
    every chapter notebook with the ``mlopt`` package, ``requirements.txt`` and the
    ``Makefile``, to run the book locally.

The landing page links to both; ``make dist`` copies them to ``dist/``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

FOLDER = "downloads"
SOURCES = (
    "chapters/*.ipynb",
    "mlopt/*.py",
    "requirements.txt",
    "requirements.in",
    "pyproject.toml",
    "Makefile",
    "README.md",
    "LICENSE",
    "LICENSE-TEXT",
)


def _zip(path: Path, files, root: Path, prefix: str):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(files):
            archive.write(file, f"{prefix}/{file.relative_to(root).as_posix()}")


def write_downloads(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source, site = Path(app.srcdir), Path(app.outdir)
    target = site / FOLDER
    target.mkdir(exist_ok=True)
    notebooks = [f for pattern in SOURCES for f in source.glob(pattern) if f.is_file()]
    _zip(target / "mlopt-book-notebooks.zip", notebooks, source, "mlopt-book")
    pages = [
        f for f in site.rglob("*") if f.is_file() and FOLDER not in f.relative_to(site).parts[:1]
    ]
    _zip(target / "mlopt-book-html.zip", pages, site, "mlopt-book-html")


def setup(app):
    app.connect("build-finished", write_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
