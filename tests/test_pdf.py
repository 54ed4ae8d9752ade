"""`make pdf` typesets the whole book: every part and chapter, figures, equations, bibliography.

The PDF is built once per session exactly as ``make pdf`` builds it (from the outputs stored
in the notebooks, which the nbval tests check against a fresh run), then read back with pypdf.
"""

import json
import re
import shutil

import pytest
from conftest import ROOT, run_jupyter_book

LATEX = ROOT / "_build" / "latex"
PDF = LATEX / "mlopt-book.pdf"


@pytest.fixture(scope="session")
def built_pdf():
    missing = [tool for tool in ("xelatex", "latexmk") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: run `make test`, which installs TeX Live.")
    # As `make pdf` builds it: from the outputs stored in the notebooks.
    proc = run_jupyter_book(LATEX, "--builder", "pdflatex", env={"MLOPT_BOOK_EXECUTE": "off"})
    if proc.returncode != 0 or not PDF.is_file():
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        pytest.fail(f"The PDF build failed:\n{tail}")
    from pypdf import PdfReader

    return PdfReader(PDF), (LATEX / "mlopt-book.log").read_text(errors="replace")


def _outline(reader):
    """[(title, page, [(child title, child page), ...]), ...] of the PDF's bookmarks."""
    entries, items = [], list(reader.outline)
    for i, item in enumerate(items):
        if isinstance(item, list):
            continue
        children = items[i + 1] if i + 1 < len(items) and isinstance(items[i + 1], list) else []
        entries.append(
            (
                item.title,
                reader.get_destination_page_number(item) + 1,
                [
                    (c.title, reader.get_destination_page_number(c) + 1)
                    for c in children
                    if not isinstance(c, list)
                ],
            )
        )
    return entries


def _title(docname):
    """The first heading of a page of the book, as the PDF's bookmark shows it."""
    path = next(ROOT.glob(docname + ".*"))
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M).group(1)
    return re.sub(r"[`*]", "", title).strip()


def _parts():
    """[(caption, [chapter docnames]), ...] from _toc.yml."""
    parts = []
    for line in (ROOT / "_toc.yml").read_text().splitlines():
        caption = re.match(r"\s*- caption: (.+)", line)
        if caption:
            parts.append((caption.group(1).strip(), []))
        chapter = re.match(r"      - file: (\S+)", line)
        if chapter:
            parts[-1][1].append(chapter.group(1))
    return parts


def test_outline_has_every_part_and_chapter_in_order(built_pdf):
    reader, _ = built_pdf
    outline = _outline(reader)
    expected = _parts()
    found = [(title, children) for title, _, children in outline if re.match(r"[IVX]+ ", title)]
    assert [title.split(" ", 1)[1] for title, _ in found] == [caption for caption, _ in expected]
    for (_, children), (caption, docs) in zip(found, expected, strict=True):
        titles = [title for title, _ in children]
        if caption == "Appendices":  # the bibliography and indices follow the appendices
            titles = titles[: len(docs)]
        assert titles == [_title(doc) for doc in docs], caption


def test_chapters_follow_each_other_and_fill_the_pages(built_pdf):
    reader, log = built_pdf
    pages = len(reader.pages)
    written = re.search(r"Output written on mlopt-book\.pdf \((\d+) pages", log)
    assert written and int(written.group(1)) == pages, "the PDF is not the one LaTeX wrote"
    starts = [page for _, _, children in _outline(reader) for _, page in children]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert starts[-1] <= pages
    # Every chapter (the appendices aside) has a few pages of its own, not a stub.
    chapters = [
        page
        for title, _, children in _outline(reader)
        for _, page in children
        if re.match(r"[IVX]+ ", title) and not title.endswith("Appendices")
    ]
    after = [min(p for p in starts + [pages + 1] if p > page) for page in chapters]
    assert all(b - a >= 2 for a, b in zip(chapters, after, strict=True))


def test_latex_resolved_every_reference_and_character(built_pdf):
    _, log = built_pdf
    assert "Missing character" not in log
    assert not re.search(r"There were undefined (references|citations)", log)
    assert not re.search(r"^! ", log, re.M)


def test_figures_equations_and_bibliography_are_typeset(built_pdf):
    reader, _ = built_pdf
    # Every figure the notebooks show (one PNG per image output) is in the PDF.
    shown = 0
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                shown += "image/png" in output.get("data", {})
    images = sum(len(page.images) for page in reader.pages)
    assert images >= shown > 40
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # Equations arrive as typeset glyphs: the prose handed to LaTeX holds no dollar sign or
    # backslash command left over from a formula MyST did not parse (code is typeset apart).
    tex = (LATEX / "mlopt-book.tex").read_text(encoding="utf-8")
    prose = re.sub(r"\\begin\{sphinxVerbatim\}.*?\\end\{sphinxVerbatim\}", "", tex, flags=re.S)
    prose = re.sub(r"\\sphinxcode\{\\sphinxupquote\{[^}]*\}\}", "", prose)
    prose = re.sub(r"\\DUrole\{default_value\}\{[^}]*\}", "", prose)  # signatures' defaults
    leftovers = re.findall(r".{30}(?:\\\$|\\textbackslash\{\}[a-zA-Z]+).{30}", prose)
    assert not leftovers, leftovers[:5]
    assert "∇" in text and "θ" in text
    # The bibliography lists the cited works.
    assert "Bibliography" in [title for title, _, _ in _outline(reader)] or any(
        title == "Bibliography" for _, _, children in _outline(reader) for title, _ in children
    )
    for author in ("Kingma", "Loshchilov", "Nesterov", "Rasmussen", "Kennedy"):
        assert author in text, author
