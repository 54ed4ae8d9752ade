"""Serve the book's JavaScript assets from the book itself.

Sphinx loads MathJax from a CDN by default, so a reader without a network sees raw TeX.
This extension copies MathJax 3 (the files shipped by the ``django-static-mathjax`` wheel,
pinned in ``requirements.txt``) into the built site; ``_config.yml`` points
``mathjax_path`` at the copy.  Only the CommonHTML output, its fonts and the TeX
extensions are copied (about 2 MB).
"""

from __future__ import annotations

import shutil
from pathlib import Path

# Sphinx resolves a relative mathjax_path against the site's _static/ folder, so the copy
# goes to _static/mathjax/ and _config.yml sets mathjax_path: mathjax/tex-mml-chtml.js.
# (It is copied after the build rather than listed in html_static_path, because Jupyter Book
# adds a <script> tag for every .js file found there.)
MATHJAX_DIR = "_static/mathjax"
_PARTS = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions")


def _mathjax_source() -> Path:
    import mathjax  # the django-static-mathjax distribution

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source, target = _mathjax_source(), Path(app.outdir) / MATHJAX_DIR
    for part in _PARTS:
        src, dst = source / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def drop_thebe(app, pagename, templatename, context, doctree):
    """Leave out sphinx-thebe's scripts: the book has no live-code button.

    sphinx-thebe 0.3.1 (loaded by Jupyter Book whether or not Thebe is used) writes its
    inline configuration script twice with Sphinx 7, which makes every page log
    "Identifier 'THEBE_JS_URL' has already been declared"; it also names a CDN.
    """
    scripts = context.get("script_files")
    if not scripts:
        return
    context["script_files"] = [
        js
        for js in scripts
        if "sphinx-thebe" not in str(js)
        and "THEBE_JS_URL" not in getattr(js, "attributes", {}).get("body", "")
    ]


def setup(app):
    _mathjax_source()  # fail early, with an ImportError that names the package
    app.connect("build-finished", copy_mathjax)
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
