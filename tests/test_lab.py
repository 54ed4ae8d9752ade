"""Open every chapter in JupyterLab, as ``make lab`` serves it, in headless Chromium.

``make lab`` opens reader copies of the chapters (``tools/reader_copies.py``) with
jupyterlab-myst. For each chapter this test asserts what a reader sees: no raw MyST role or
directive markup in the rendered prose, no bare glue name or bibliography key, every number
glued in the notebook present in the text as the website formats it, every solution folded
(its prose in a closed dropdown, its code cells' source and outputs collapsed), no console
error and no request leaving 127.0.0.1. A screenshot of each chapter goes to
``_build/screenshots/lab/``. One more test runs "Run All" on a short chapter and checks that
the solutions' new outputs stay collapsed.

One JupyterLab server serves every chapter (started from this interpreter's environment,
on 127.0.0.1, with windowing off so that every cell is rendered); the kernels are not started
for opening, and the sessions are deleted between chapters.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import reader_copies  # noqa: E402

SHOTS = ROOT / "_build" / "screenshots" / "lab"
LAB = ROOT / "_build" / "lab-test"
# Every page of chapters/: the notebooks, and the Markdown part introduction as a notebook.
CHAPTERS = sorted(
    [p.name for p in (ROOT / "chapters").glob("*.ipynb")]
    + [p.stem + ".ipynb" for p in (ROOT / "chapters").glob("*.md")]
)
RUN_ALL_CHAPTER = "00_training_a_model.ipynb"

# MyST markup that must not survive rendering: roles, directive fences and their options.
RAW = re.compile(
    r"\{(?:glue|glue:text|cite|cite:p|cite:t|term|ref|numref|doc|eq|exercise|solution)\}"
    r"|```\{|:::\{|^:(?:label|class|name):",
    re.M,
)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab():
    """A JupyterLab server on the reader copies; yields (base URL, token)."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.fail(f"{jupyter} not found: run `make test`, which installs everything.")
    shutil.rmtree(LAB, ignore_errors=True)
    shutil.rmtree(SHOTS, ignore_errors=True)  # no screenshot of a chapter renamed since
    reader_copies.write_copies(LAB, log=lambda *a: None)
    settings = LAB / "settings"
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = settings / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_DATA_DIR": str(Path(sys.prefix) / "share" / "jupyter"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "JUPYTER_CONFIG_DIR": str(LAB / "config"),  # custom.css, as make lab has it
        "JUPYTER_RUNTIME_DIR": str(LAB / "runtime"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    cmd = [
        str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", "--allow-root",
        f"--ServerApp.root_dir={LAB / 'chapters'}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={LAB / 'workspaces'}",
        "--LabApp.custom_css=True",
    ]  # fmt: skip
    log = open(LAB / "server.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=LAB)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"jupyter lab exited: {(LAB / 'server.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start within a minute")
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _api(lab, method, path):
    base, token = lab
    request = urllib.request.Request(
        f"{base}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def _delete_sessions(lab):
    for session in _api(lab, "GET", "/api/sessions"):
        _api(lab, "DELETE", f"/api/sessions/{session['id']}")


def _open(browser, lab, name, *, kernel=False):
    """Open a reader copy in a fresh workspace; return (page, console errors, bad requests)."""
    base, token = lab
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors, bad = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != "127.0.0.1":
            bad.append(f"outside request: {request.url}")

    page.on("request", on_request)
    page.on("requestfailed", lambda r: bad.append(f"failed: {r.url} ({r.failure})"))
    workspace = re.sub(r"\W", "-", name)
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{name}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # Every markdown cell rendered by jupyterlab-myst, math typeset.
    page.wait_for_function(
        "() => { const cells = document.querySelectorAll('.jp-Notebook .jp-MarkdownCell');"
        " return cells.length > 0 && Array.from(cells).every(c => c.querySelector('.myst')); }",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)
    return page, errors, bad


def _glue_texts(name):
    """The text of every glued value the chapter's prose shows, as the website formats it."""
    if not (ROOT / "chapters" / name).exists():
        return {}  # a Markdown page: nothing glued
    nb = json.loads((ROOT / "chapters" / name).read_text(encoding="utf-8"))
    values = reader_copies.glue_values(nb)
    texts = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for key_spec in re.findall(r"\{glue:text\}`([^`]*)`", "".join(cell["source"])):
            key, _, spec = key_spec.rpartition(":") if ":" in key_spec else (key_spec, "", "s")
            texts[key] = reader_copies.format_glue(values[key], spec)
    return texts


def _prose(page):
    """The rendered text of the markdown cells (code and math left out)."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-Notebook .jp-MarkdownCell .myst'))"
        ".map(c => { const d = c.cloneNode(true);"
        " d.querySelectorAll('pre, code, .math, mjx-container, .katex').forEach(e => e.remove());"
        " return d.textContent; }).join('\\n')"
    )


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_renders_as_on_the_website(browser, lab, name):
    page, errors, bad = _open(browser, lab, name)
    try:
        prose = _prose(page)
        raw = sorted(set(RAW.findall(prose)))
        assert not raw, f"raw MyST markup in {name}: {raw}"
        # Every glued number is in the text, and no glue name is left where it stood.
        glued = _glue_texts(name)
        missing = {k: v for k, v in glued.items() if v not in prose}
        assert not missing, f"glued values missing from {name}: {missing}"
        words = set(re.findall(r"[\w.-]+", prose))
        bare = sorted(k for k in glued if k in words and k not in glued.values())
        assert not bare, f"bare glue names in {name}: {bare}"
        bib = reader_copies.Bibliography(ROOT / "references.bib")
        keys = sorted(k for k in bib.entries if k in words)
        assert not keys, f"bare bibliography keys in {name}: {keys}"
        _assert_solutions_folded(page, name)
        assert not errors, f"console errors on {name}: {errors[:5]}"
        assert not bad, f"requests on {name}: {bad[:5]}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / (Path(name).stem + ".png")))
    finally:
        page.context.close()
        _delete_sessions(lab)


def _assert_solutions_folded(page, name):
    """Every solution dropdown closed; every solution code cell's source and outputs folded,
    and the placeholders that stand for them show none of their text."""
    nb = json.loads((LAB / "chapters" / name).read_text(encoding="utf-8"))
    solutions = _solutions(name)
    state = page.evaluate(
        """(solutions) => {
        const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
        const visible = e => e && e.offsetParent !== null;
        return {
          count: cells.length,
          dropdowns: document.querySelectorAll('.jp-Notebook details').length,
          open: Array.from(document.querySelectorAll('.jp-Notebook details'))
            .filter(d => d.open).map(d => d.innerText.slice(0, 60)),
          unfolded: solutions.filter(i => !cells[i].querySelector('.jp-InputPlaceholder')
            || visible(cells[i].querySelector('.jp-InputArea'))),
          outputs: solutions.filter(i => Array.from(
            cells[i].querySelectorAll('.jp-OutputArea-output')).some(visible)),
          leaks: Array.from(document.querySelectorAll('.jp-Notebook .jp-PlaceholderText'))
            .filter(visible).map(e => e.textContent.slice(0, 60)),
        };
        }""",
        solutions,
    )
    assert state["count"] == len(nb["cells"]), f"{name}: {state['count']} cells rendered"
    assert not state["open"], f"solutions open in {name}: {state['open']}"
    assert not state["unfolded"], f"solution code shown in {name}: cells {state['unfolded']}"
    assert not state["outputs"], f"solution outputs shown in {name}: cells {state['outputs']}"
    assert not state["leaks"], f"folded cells show their text in {name}: {state['leaks']}"
    exercises = sum("{exercise-start}" in "".join(c["source"]) for c in _chapter(name)["cells"])
    assert state["dropdowns"] >= exercises, f"{name}: {state['dropdowns']} for {exercises}"


def _solutions(name):
    """Indices of the solution code cells in the reader copy of ``name``."""
    nb = json.loads((LAB / "chapters" / name).read_text(encoding="utf-8"))
    tags = [c.get("metadata", {}).get("tags", []) for c in nb["cells"]]
    return [i for i, t in enumerate(tags) if "solution" in t]


def _chapter(name):
    path = ROOT / "chapters" / name
    if not path.exists():
        return {"cells": []}  # a Markdown page
    return json.loads(path.read_text(encoding="utf-8"))


def test_run_all_keeps_solutions_folded(browser, lab):
    """A reader who runs every cell sees no solution's output."""
    name = RUN_ALL_CHAPTER
    page, errors, bad = _open(browser, lab, name)
    try:
        page.locator(".jp-Notebook").first.click()
        # The stored prompts are numbered already: wait for the kernel to go busy, then idle.
        page.evaluate(
            """() => { window.__busy = false;
            const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
            new MutationObserver(() => {
              if (indicator.getAttribute('data-status') === 'busy') window.__busy = true;
            }).observe(indicator, {attributes: true}); }"""
        )
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator("li[data-command='runmenu:run-all']").click()
        page.wait_for_function(
            """() => window.__busy && document.querySelector(
              '.jp-Notebook-ExecutionIndicator').getAttribute('data-status') === 'idle'""",
            timeout=120_000,
        )
        page.wait_for_timeout(1000)
        _assert_solutions_folded(page, name)
        # A deliberate click opens a solution: its code, then its output, from this run.
        last = page.locator(".jp-Notebook .jp-Cell").nth(_solutions(name)[-1])
        last.locator(".jp-InputPlaceholder .jp-Placeholder-content").click()
        last.locator(".jp-InputArea").wait_for(state="visible")
        # Its outputs were folded in the notebook; JupyterLab unfolded them when the cell ran
        # (the reason for the CSS rule that hides them while the source is folded).
        assert not last.locator(".jp-OutputPlaceholder").is_visible(), "the solution did not run"
        assert last.locator(".jp-OutputArea-output").first.is_visible()
        assert not errors, f"console errors while running {name}: {errors[:5]}"
        assert not bad, f"requests while running {name}: {bad[:5]}"
        page.screenshot(path=str(SHOTS / (Path(name).stem + "-run-all.png")))
    finally:
        page.context.close()
        _delete_sessions(lab)
