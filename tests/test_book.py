"""The book builds with zero warnings and its HTML asks nothing from outside the site.

This test runs the same build as ``make book`` (every notebook executed, Sphinx warnings
as errors), so ``make test`` fails on any warning or broken reference.
"""

import re
from html.parser import HTMLParser

from conftest import HTML, ROOT


class _AssetCollector(HTMLParser):
    """Collect the URLs a page loads by itself (scripts, stylesheets, images, fonts)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if any(
                r in rel for r in ("stylesheet", "preload", "icon", "prefetch", "modulepreload")
            ):
                self.urls.append(attrs["href"])


def _pages():
    return sorted(HTML.rglob("*.html"))


def test_build_succeeds_without_warnings(built_book):
    assert "build succeeded" in built_book
    problems = [
        line
        for line in built_book.splitlines()
        if re.search(r"WARNING|ERROR", line) and "Kernel is running over TCP" not in line
    ]
    assert not problems, "\n".join(problems[:40])
    assert (HTML / "index.html").is_file()


def test_every_toc_page_is_built(built_book):
    toc = (ROOT / "_toc.yml").read_text()
    for name in re.findall(r"file:\s*(\S+)", toc):
        assert (HTML / f"{name}.html").is_file(), f"{name} is in _toc.yml but was not built"


def test_no_asset_is_loaded_from_outside_the_site(built_book):
    offenders = []
    for page in _pages():
        collector = _AssetCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        for url in collector.urls:
            if re.match(r"^(https?:)?//", url):
                offenders.append(f"{page.relative_to(HTML)}: {url}")
    assert not offenders, "External requests:\n" + "\n".join(offenders)


def test_mathjax_is_served_by_the_book(built_book):
    mathjax = HTML / "_static" / "mathjax"
    assert (mathjax / "tex-mml-chtml.js").is_file()
    assert (
        mathjax / "output" / "chtml" / "fonts" / "woff-v2" / "MathJax_Main-Regular.woff"
    ).is_file()
    assert (mathjax / "input" / "tex" / "extensions" / "ams.js").is_file()
    chapter = (HTML / "chapters" / "00_training_a_model.html").read_text(encoding="utf-8")
    assert re.search(r'src="\.\./_static/mathjax/tex-mml-chtml\.js(\?v=\w+)?"', chapter), (
        "MathJax not referenced"
    )
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net" not in text and "mathjax@3" not in text, page


def test_notebooks_can_be_downloaded(built_book):
    assert list((HTML / "_sources" / "chapters").glob("*.ipynb")), "no .ipynb in the site"
