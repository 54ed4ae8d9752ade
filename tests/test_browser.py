"""Open every page of the built book in headless Chromium, as a reader would.

Each page must load with no console error, no failed request and no request that leaves the
site; every image must load and every formula must be typeset by the book's own MathJax.
Internal links and anchors must resolve, and the search page must find a term. Screenshots
of every chapter (and of one chapter in the dark theme) are saved to ``_build/screenshots``.

Chromium is Debian's (``apt-get install chromium``); ``make test`` installs it when it can,
and the path can be set with the ``CHROMIUM`` environment variable.
"""

import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import HTML, ROOT

SHOTS = ROOT / "_build" / "screenshots"


def _pages():
    """Every page in the table of contents, plus the index and search pages."""
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    root = re.search(r"^root:\s*(\S+)", toc, re.M).group(1)
    files = [root, *re.findall(r"file:\s*(\S+)", toc), "genindex", "search"]
    return [f"{name}.html" for name in files]


@pytest.fixture(scope="module")
def site(built_book):
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _visit(browser, url, *, dark=False):
    """Load a page; return (page, console errors, failed or outside requests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if dark:
        context.add_init_script(
            "localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');"
        )
    page = context.new_page()
    errors, bad = [], []
    origin = urlparse(url)._replace(path="", query="", fragment="").geturl()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_request(request):
        if not request.url.startswith((origin, "data:", "blob:", "about:")):
            bad.append(f"outside request: {request.url}")

    page.on("request", on_request)
    page.on("requestfailed", lambda r: bad.append(f"failed: {r.url} ({r.failure})"))
    page.on(
        "response", lambda r: bad.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
    )
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
        " ? MathJax.startup.promise : null"
    )
    return page, errors, bad


@pytest.mark.parametrize("name", _pages())
def test_page_loads_cleanly(browser, site, name):
    page, errors, bad = _visit(browser, site + name)
    try:
        assert not errors, f"console errors on {name}: {errors}; requests: {bad}"
        assert not bad, f"requests on {name}: {bad}"
        broken = page.evaluate(
            "() => Array.from(document.images)"
            ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
        )
        assert not broken, f"images that did not load on {name}: {broken}"
        missing_alt = page.evaluate(
            "() => Array.from(document.querySelectorAll('main img'))"
            ".filter(i => !i.alt || !i.alt.trim()).map(i => i.src.slice(0, 80))"
        )
        assert not missing_alt, f"images without alt text on {name}: {missing_alt}"
        raw_tex = page.evaluate(
            "() => Array.from(document.querySelectorAll('.math'))"
            ".filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60))"
        )
        assert not raw_tex, f"formulas left as raw TeX on {name}: {raw_tex[:5]}"
        # TeX that never reached MathJax: $...$ that MyST did not parse (a Markdown list
        # starting inside a formula, a bibliography title), in prose or folded solutions.
        stray = page.evaluate(
            "() => { const m = document.querySelector('main').cloneNode(true);"
            " m.querySelectorAll('pre, code, script, style, mjx-container, .math')"
            ".forEach(e => e.remove());"
            " return (m.textContent.match(/\\$[^$\\n]{0,80}\\\\[a-zA-Z]+[^$]{0,40}/g) || [])"
            ".slice(0, 5); }"
        )
        assert not stray, f"raw TeX in the text of {name}: {stray}"
        if name.startswith("chapters/"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / (Path(name).stem + ".png")), full_page=False)
    finally:
        page.context.close()


def test_math_is_typeset_by_the_local_mathjax(browser, site):
    page, errors, bad = _visit(browser, site + "chapters/00_training_a_model.html")
    try:
        count = page.evaluate("() => document.querySelectorAll('mjx-container').length")
        assert count > 20, f"only {count} typeset formulas"
        assert not errors and not bad
    finally:
        page.context.close()


def test_dark_theme_screenshot(browser, site):
    page, errors, bad = _visit(browser, site + "chapters/00_training_a_model.html", dark=True)
    try:
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        page.locator("figure").first.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "00_training_a_model-dark.png"))
        assert not errors and not bad
    finally:
        page.context.close()


def test_search_finds_a_term(browser, site):
    page, errors, bad = _visit(browser, site + "search.html?q=gradient")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        hits = page.locator("#search-results ul.search li").count()
        assert hits >= 2, f"search for 'gradient' found {hits} pages"
    finally:
        page.context.close()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@functools.cache
def _parse(path):
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.usefixtures("built_book")
def test_internal_links_and_anchors_resolve():
    broken = []
    for name in _pages():
        source = HTML / name
        for href in _parse(source).hrefs:
            url = urlparse(href)
            if url.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            target = source if not url.path else (source.parent / unquote(url.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{name}: {href} (no such file)")
            elif url.fragment and target.suffix == ".html":
                if url.fragment not in _parse(target).ids:
                    broken.append(f"{name}: {href} (no such anchor)")
    assert not broken, "\n".join(broken[:30])
