"""The book's sources hang together: every reference cited, every glossary term used and linked,
chapters linked rather than named, and the landing page's chapter map up to date."""

import importlib.util
import json
import re

import pytest
from conftest import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("0*.ipynb"))
PAGES = [
    *CHAPTERS,
    ROOT / "chapters" / "07_beyond_gradients.md",
    ROOT / "intro.md",
    *sorted((ROOT / "appendices").glob("*.md")),
    *sorted((ROOT / "appendices").glob("*.ipynb")),
]


def _markdown(path):
    """The prose of a page: the markdown cells of a notebook, or a MyST file."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def _glossary_entries():
    """The glossary's entries, each a list of its terms (synonyms share one definition)."""
    text = (ROOT / "appendices" / "glossary.md").read_text(encoding="utf-8")
    body = text.split("```{glossary}\n")[1].split("```")[0]
    entries, previous = [], ""
    for line in body.splitlines():
        if line and not line.startswith(" "):
            if previous and not previous.startswith(" "):
                entries[-1].append(line.lower())
            else:
                entries.append([line.lower()])
        previous = line
    return entries


def _linked_terms(markdown):
    return {
        (target or text).strip().lower()
        for text, target in re.findall(r"\{term\}`([^`<]*?)\s*(?:<([^>]*)>)?`", markdown)
    }


def test_every_bibliography_entry_is_cited():
    keys = re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(), re.M)
    cited = set()
    for page in PAGES:
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]*)`", _markdown(page)):
            cited.update(key.strip() for key in group.split(","))
    assert keys, "references.bib has no entries"
    assert not set(keys) - cited, f"never cited: {sorted(set(keys) - cited)}"
    assert not cited - set(keys), f"cited but not in references.bib: {sorted(cited - set(keys))}"


def test_every_glossary_term_is_linked_from_a_chapter():
    entries = _glossary_entries()
    terms = {term for entry in entries for term in entry}
    linked = set().union(*(_linked_terms(_markdown(page)) for page in CHAPTERS))
    # Synonyms listed under one definition (``batch`` / ``mini-batch``) count as one entry.
    unlinked = [entry for entry in entries if not set(entry) & linked]
    assert len(entries) >= 20
    assert not unlinked, f"glossary entries no chapter links to: {unlinked}"
    assert linked <= terms, f"links to missing glossary terms: {sorted(linked - terms)}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_links_glossary_terms_and_other_chapters(chapter):
    markdown = _markdown(chapter)
    assert len(_linked_terms(markdown)) >= 3, "link the chapter's key terms to the glossary"
    # "chapter 3" in the prose is a link to chapter 3, unless it points into a cited book:
    # "{cite}`boyd2004` (chapter 9)".
    for match in re.finditer(r"(?<!\[)\b[Cc]hapters? \d(?![\d.]*\])(?!\]\()", markdown):
        before = markdown[max(0, match.start() - 60) : match.start()]
        if re.search(r"\{cite\}`[^`]*`,? \(?$", before):
            continue
        own = int(chapter.name[:2])
        if match.group(0).endswith(str(own)):
            continue
        line = markdown[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
        pytest.fail(f"unlinked chapter reference: ...{line}...")


def test_chapter_map_is_up_to_date(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "chapter_map", ROOT / "figures" / "chapter_map.py"
    )
    chapter_map = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(chapter_map)
    for fresh in chapter_map.save(tmp_path):
        committed = ROOT / "figures" / fresh.name
        assert fresh.read_bytes() == committed.read_bytes(), (
            f"{committed.name} is stale: run `python figures/chapter_map.py`"
        )
    # The map shows the chapters of the table of contents.
    toc = (ROOT / "_toc.yml").read_text()
    numbers = sorted({int(n) for n in re.findall(r"file: chapters/(\d\d)_", toc)})
    assert [key for key, *_ in chapter_map.CHAPTERS] == [str(n) for n in numbers]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_line_inside_inline_math_starts_a_list(page):
    """A line that starts with "- " or "+ " inside $...$ begins a Markdown list, which cuts the
    formula in two and leaves raw TeX on the page: move the operator to the line before."""
    for block in _markdown(page).split("\n\n"):
        inside = False
        for line in block.split("\n"):
            if line.strip().startswith("$$"):
                continue
            if inside and re.match(r"\s*([-+*]|\d+\.)\s", line):
                pytest.fail(f"a list starts inside $...$: {line.strip()[:60]!r}")
            if len(re.findall(r"(?<![\\$])\$(?!\$)", line)) % 2:
                inside = not inside


def test_benchmark_appendix_reads_every_committed_result():
    """appendices/benchmarks.ipynb shows every summary and machine file `make bench` writes,
    and is in the table of contents; it reads them, it does not run the benchmarks."""
    source = _markdown(ROOT / "appendices" / "benchmarks.ipynb") + "\n".join(
        "".join(cell["source"])
        for cell in json.loads((ROOT / "appendices" / "benchmarks.ipynb").read_text())["cells"]
    )
    results = ROOT / "benchmarks" / "results"
    wanted = sorted(
        p.stem for p in results.glob("*.csv") if "summary" in p.stem or "machine" in p.stem
    )
    assert wanted, "no benchmark results committed"
    # Summaries are read by their name; a machine file also by its benchmark's name, as
    # machine("estimators") reads estimators_machine.csv.
    missing = [
        stem
        for stem in wanted
        if stem not in source
        and not (stem.endswith("_machine") and f'"{stem.removesuffix("_machine")}"' in source)
    ]
    assert not missing, f"results the appendix does not show: {missing}"
    assert "appendices/benchmarks" in (ROOT / "_toc.yml").read_text()
    assert "import mlopt.bench" not in source and "subprocess" not in source
