"""Reader copies of the chapters for JupyterLab: what ``make lab`` opens.

The chapters are written for Jupyter Book: their prose uses MyST roles that only a Sphinx
build resolves (``{glue:text}`` numbers, ``{cite}`` keys, glossary ``{term}`` s defined on
another page) and gated ``solution-start``/``solution-end`` directives that span cells.
jupyterlab-myst renders MyST in JupyterLab but resolves none of these across pages, so this
script writes copies of the notebooks in which

- every ``{glue:text}`key:spec``` is the value glued in the notebook's stored outputs,
  formatted with MyST-NB's own function, so the text is the website's;
- every ``{cite}`` is the author-year text the website shows (sphinxcontrib-bibtex's
  ``author_year`` style on ``references.bib``), and a "References" cell at the end lists the
  cited works;
- every ``{term}`` links to a "Glossary" cell at the end that defines the terms the chapter
  uses (copied from ``appendices/glossary.md``), so it resolves on the page, with its preview;
- ``{ref}``/``{numref}`` to a label on another page, and ``{doc}``, become Markdown links;
  links to ``.md`` pages of the book point to notebook copies of them or to the cells above;
- a figure's caption (``mystnb.figure`` cell metadata) is a Markdown cell under the figure;
- an exercise is an ``{exercise}`` block, and its solution is folded: its prose in a
  ``{solution}`` block with ``:class: dropdown``, its code cells with their source and outputs
  collapsed (cell metadata ``jupyter.source_hidden`` and ``jupyter.outputs_hidden``), so that
  nothing of it shows until the reader clicks, even after "Run All".

The copies stay runnable notebooks: the code cells are unchanged. The chapters themselves are
never modified. A copy the reader has edited (its content no longer what this script wrote)
is kept, not overwritten; delete it to get a fresh one.

Usage: ``python tools/reader_copies.py [--out _build/lab]``.
"""

import argparse
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
OUT = ROOT / "_build" / "lab"
STATE = ".reader-copies.json"

ROLE = re.compile(r"\{(glue:text|glue|cite|cite:p|term|ref|numref|doc)\}`([^`]*)`")
TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
GATE = re.compile(
    r"^(`{3,}|:{3,})\{(exercise-start|exercise-end|solution-start|solution-end)\}"
    r"[ \t]*(\S*)[ \t]*\n"
    r"((?::[\w-]+:[^\n]*\n)*)"
    r"\1[ \t]*(?:\n|$)",
    re.M,
)
FENCE = ":" * 6  # longer than any colon fence in the chapters


# --- values the website computes -------------------------------------------------------------


def glue_values(nb):
    """{name: text/plain} of every value glued in the notebook's stored outputs."""
    values = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                prefix = record.get("mime_prefix", "application/papermill.record/")
                text = output.get("data", {}).get(prefix + "text/plain")
                if text is not None:
                    values[record["name"]] = "".join(text)
    return values


def format_glue(text, spec):
    """The text MyST-NB's ``{glue:text}`` role shows for a stored text/plain value."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(text, spec)


class Bibliography:
    """Author-year citations as sphinxcontrib-bibtex renders them on the website."""

    def __init__(self, path):
        import pybtex.plugin
        from pybtex.database import parse_file

        self.data = parse_file(str(path))
        self.entries = {key.lower(): entry for key, entry in self.data.entries.items()}
        # The website's settings: bibtex_reference_style author_year, default style alpha.
        self.style = pybtex.plugin.find_plugin("pybtex.style.formatting", "alpha")()

    def _ordered(self, keys):
        entries = [self.entries[key.lower()] for key in keys]
        return self.style.sort(entries)

    def cite(self, keys):
        """The text of ``{cite}`key1,key2```, e.g. "[Kingma and Ba, 2015]"."""
        import pybtex_docutils
        from sphinxcontrib.bibtex.style.referencing import format_references
        from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
        from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

        class _Builder:  # just enough of a Sphinx builder for the HTML reference node
            name = "html"

            @staticmethod
            def get_relative_uri(source, target):
                return ""

        entries = self._ordered(keys)
        formatted = list(self.style.format_entries(entries))
        info = SphinxReferenceInfo(_Builder(), "", "", "", None, "", "")
        text = format_references(
            AuthorYearReferenceStyle(),
            "p",
            [(e, f, info) for e, f in zip(entries, formatted, strict=True)],
        )
        nodes = text.render(pybtex_docutils.Backend())
        return "".join(node.astext() for node in nodes)

    def entry_markdown(self, key):
        """One entry of the reference list, formatted by the website's bibliography style."""
        import pybtex.plugin

        (formatted,) = self.style.format_entries([self.entries[key.lower()]])
        backend = pybtex.plugin.find_plugin("pybtex.backends", "markdown")()
        return formatted.text.render(backend)


def load_glossary(path):
    """{term (lower case): (names, definition)} from the glossary directive of ``path``."""
    text = Path(path).read_text(encoding="utf-8")
    body = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S).group(1)
    entries, names, definition = {}, [], []

    def flush():
        if names:
            entry = (tuple(names), "\n".join(definition).strip("\n"))
            for name in names:
                entries[name.lower()] = entry

    for line in body.splitlines():
        if line and not line[0].isspace():
            if definition:
                flush()
                names, definition = [], []
            names.append(line.strip())
        elif names:
            definition.append(line)
    flush()
    return entries


# --- the conversion ---------------------------------------------------------------------------


def _escape(text):
    return re.sub(r"([\\`*_\[\]<>$|])", r"\\\1", text)


class Converter:
    def __init__(self, root=ROOT):
        self.root = Path(root)
        self.bib = Bibliography(self.root / "references.bib")
        self.glossary = load_glossary(self.root / "appendices" / "glossary.md")
        self.labels = {}  # label -> (notebook file name, readable text)
        notebooks = sorted((self.root / "chapters").glob("*.ipynb"))
        notebooks += sorted((self.root / "appendices").glob("*.ipynb"))  # copied beside them
        for path in notebooks:
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                source = "".join(cell["source"])
                for label in re.findall(r"^\(([\w-]+)\)=", source, re.M):
                    self.labels[label] = (path.name, _title_after(source, label))
                for label in re.findall(r"^:label:\s*(\S+)", source, re.M):
                    self.labels[label] = (path.name, "the exercise")
                name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
                if name:
                    self.labels[name] = (path.name, "the figure")

    # roles ---------------------------------------------------------------------------------
    def _role(self, match, nb_name, values, cited, terms, local_labels):
        role, content = match.groups()
        if role in ("glue:text", "glue"):
            key, _, spec = content.rpartition(":") if ":" in content else (content, "", "s")
            if "::" in key:
                raise ValueError(
                    f"{nb_name}: glue from another notebook is not supported: {content}"
                )
            if key not in values:
                raise KeyError(f"{nb_name}: no stored glue output named {key!r}")
            return _escape(format_glue(values[key], spec))
        if role in ("cite", "cite:p"):
            keys = [k.strip() for k in content.split(",") if k.strip()]
            for key in keys:
                if key.lower() not in self.bib.entries:
                    raise KeyError(f"{nb_name}: no bibliography entry {key!r}")
                if key.lower() not in cited:
                    cited.append(key.lower())
            return f"[{_escape(self.bib.cite(keys))}](#references)"
        if role == "term":
            titled = TITLED.match(content)
            text, term = titled.groups() if titled else (content, content)
            entry = self.glossary.get(term.strip().lower())
            if entry is None:
                raise KeyError(f"{nb_name}: no glossary entry {term!r}")
            terms.append(entry)
            return match.group(0)  # resolved by the Glossary cell appended to the copy
        titled = TITLED.match(content)
        text, target = titled.groups() if titled else (None, content)
        if role == "doc":
            target_file = Path(target).name
            return f"[{_escape(text or target_file)}]({target_file}.ipynb)"
        if target in local_labels:
            return match.group(0)  # resolved on the page by jupyterlab-myst
        if target not in self.labels:
            raise KeyError(f"{nb_name}: unknown label {target!r}")
        other, readable = self.labels[target]
        return f"[{_escape(text or readable)}]({other})"

    def _prose(self, source, nb_name, values, cited, terms, local_labels):
        source = ROLE.sub(
            lambda m: self._role(m, nb_name, values, cited, terms, local_labels), source
        )
        source = re.sub(r"\]\((?:\.\./appendices/)?references\.md\)", "](#references)", source)
        source = re.sub(r"\]\((?:\.\./appendices/)?glossary\.md\)", "](#glossary)", source)
        source = re.sub(r"\]\((\w+)\.md\)", r"](\1.ipynb)", source)
        source = re.sub(r"\]\(\.\./appendices/(\w+)\.ipynb\)", r"](\1.ipynb)", source)
        source = re.sub(r"^```\{autolink-skip\}[^\n]*\n```[ \t]*\n?", "", source, flags=re.M)
        return source

    def convert(self, nb, nb_name):
        nb = copy.deepcopy(nb)
        values = glue_values(nb)
        local_labels = {label for label, (where, _) in self.labels.items() if where == nb_name}
        cited, terms = [], []
        cells, solution = [], None  # solution: label of the open solution, or None
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                if solution is not None:
                    jupyter = cell.setdefault("metadata", {}).setdefault("jupyter", {})
                    jupyter["source_hidden"] = True
                    jupyter["outputs_hidden"] = True
                    tags = cell["metadata"].setdefault("tags", [])
                    if "solution" not in tags:
                        tags.append("solution")
                cells.append(cell)
                caption = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
                if caption.get("caption"):
                    text = self._prose(
                        caption["caption"], nb_name, values, cited, terms, local_labels
                    )
                    target = f"({caption['name']})=\n" if caption.get("name") else ""
                    cells.append(
                        _markdown(f"{target}*Figure:* {text}", hidden=solution is not None)
                    )
                continue
            if cell["cell_type"] != "markdown":
                cells.append(cell)
                continue
            source = self._prose(
                "".join(cell["source"]), nb_name, values, cited, terms, local_labels
            )
            solution = self._split(source, cell, cells, solution)
        if terms:
            cells.append(_markdown(_glossary_cell(terms)))
        if cited:
            entries = "\n".join(f"- {self.bib.entry_markdown(key)}" for key in cited)
            cells.append(_markdown(f"(references)=\n## References\n\n{entries}\n"))
        if nb.get("nbformat_minor", 0) >= 5:
            for number, cell in enumerate(cells):
                cell.setdefault("id", f"reader-{number}")
        nb["cells"] = cells
        return nb

    def _split(self, source, cell, cells, solution):
        """Append the cells that one markdown cell becomes; return the open solution."""
        pos, pieces, exercise = 0, [], None
        for gate in GATE.finditer(source):
            kind, arg, options = gate.group(2), gate.group(3), gate.group(4)
            before = source[pos : gate.start()]
            pos = gate.end()
            if kind == "exercise-start":
                _flush(pieces, before, solution, cells, cell)
                exercise = f"{FENCE}{{exercise}}\n{options}"
            elif kind == "exercise-end":
                pieces.append(("exercise", exercise + before.rstrip("\n") + f"\n{FENCE}\n"))
                exercise = None
            elif kind == "solution-start":
                _flush(pieces, before, solution, cells, cell)
                solution = arg
                pieces.append(("solution-start", arg))
            elif kind == "solution-end":
                _flush(pieces, before, solution, cells, cell)
                solution = None
        _flush(pieces, source[pos:], solution, cells, cell)
        return solution


def _flush(pieces, text, solution, cells, cell):
    """Turn the pending pieces plus ``text`` into cells."""
    out = []
    first = False
    for kind, value in pieces:
        if kind == "exercise":
            out.append(value)
        elif kind == "solution-start":
            first = True
    pieces.clear()
    if out:
        cells.append(_markdown("\n".join(out), like=cell))
    if not text.strip():
        if first:  # a solution that starts with code: its title alone
            cells.append(_markdown(_solution_block(solution, "", first=True), like=cell))
        return
    if solution is None:
        cells.append(_markdown(text.strip("\n") + "\n", like=cell))
    else:
        cells.append(_markdown(_solution_block(solution, text, first=first), like=cell))


def _solution_block(label, text, *, first):
    text = text.strip("\n")
    if first:
        head = f"{FENCE}{{solution}} {label}\n:class: dropdown\n"
    else:
        head = f"{FENCE}{{dropdown}} Solution, continued\n"
    body = text if text else "The solution's code is in the folded cells below."
    return f"{head}{body}\n{FENCE}\n"


def _title_after(source, label):
    after = source.split(f"({label})=", 1)[1].lstrip("\n")
    heading = re.match(r"#+\s+(.*)", after)
    return heading.group(1).strip() if heading else "the section"


def _glossary_cell(terms):
    """A glossary of the chapter's terms, as the definition list mystjs's glossary expects."""
    seen, lines = set(), []
    for names, definition in terms:
        for name in names:
            if name in seen:
                continue
            seen.add(name)
            text = "\n".join(
                f"  {line.strip()}" if line.strip() else "" for line in definition.splitlines()
            ).strip()
            lines.append(f"{name}\n: {text}\n")
    body = "\n".join(lines).rstrip("\n")
    return f"(glossary)=\n## Glossary\n\n{FENCE}{{glossary}}\n{body}\n{FENCE}\n"


def _markdown(text, like=None, hidden=False):
    cell = {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}
    if hidden:
        cell["metadata"]["jupyter"] = {"source_hidden": True}
    return cell


def _md_page(path):
    """A MyST Markdown page of the book as a one-cell notebook, so JupyterLab renders it."""
    return {
        "cells": [_markdown(path.read_text(encoding="utf-8"))],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 4,
    }


# --- writing ----------------------------------------------------------------------------------


# JupyterLab shows the first line of a collapsed cell's source and output in its placeholder,
# which for a solution gives the answer away, and it unfolds a cell's outputs when the cell
# runs, so that "Run All" would show every solution's output. Hence this CSS: a placeholder
# shows none of the text it stands for, and a code cell whose source is folded shows no
# outputs either, whatever JupyterLab's outputs_hidden says, until the reader opens it.
# ``make lab`` starts JupyterLab with ``--LabApp.custom_css=True`` and
# JUPYTER_CONFIG_DIR=_build/lab/config, which serves this file.
CUSTOM_CSS = """\
/* Reader copies of the book (tools/reader_copies.py): a folded cell shows no line of what
   it hides, only what a click opens. */
.jp-Placeholder .jp-PlaceholderText { display: none; }
.jp-CodeCell:has(.jp-InputPlaceholder) .jp-Cell-outputWrapper { display: none; }
.jp-InputPlaceholder .jp-Placeholder-contentContainer::before {
  content: "Code folded (a solution): click to show";
  font-style: italic;
  margin-right: 0.5em;
}
.jp-OutputPlaceholder .jp-Placeholder-contentContainer::before {
  content: "Output folded: click to show";
  font-style: italic;
  margin-right: 0.5em;
}
"""


def _digest(data):
    return hashlib.sha256(data).hexdigest()


def write_copies(out=OUT, root=ROOT, log=print):
    """Write a reader copy of every chapter into ``out/chapters``, and the CSS that JupyterLab
    loads with them into ``out/config/custom``; return the copies' paths."""
    out = Path(out)
    target = out / "chapters"
    target.mkdir(parents=True, exist_ok=True)
    state_path = out / STATE
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    converter = Converter(root)
    written = []
    sources = sorted((Path(root) / "chapters").glob("*.ipynb"))
    # The appendix notebooks (the mathematical background) go beside the chapters, so that the
    # chapters' links to their sections work in JupyterLab too.
    sources += sorted((Path(root) / "appendices").glob("*.ipynb"))
    pages = sorted((Path(root) / "chapters").glob("*.md"))
    for path in sources + pages:
        if path.suffix == ".md":
            nb, name = _md_page(path), path.stem + ".ipynb"
        else:
            nb, name = json.loads(path.read_text(encoding="utf-8")), path.name
        copy_ = converter.convert(nb, name)
        data = (json.dumps(copy_, indent=1, ensure_ascii=False) + "\n").encode()
        dest = target / name
        if dest.exists() and state.get(name) not in (None, _digest(dest.read_bytes())):
            log(f"kept {dest.relative_to(out)}: you have edited it (delete it for a fresh copy)")
            written.append(dest)
            continue
        dest.write_bytes(data)
        state[name] = _digest(data)
        written.append(dest)
    state_path.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    custom = out / "config" / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    (custom / "custom.css").write_text(CUSTOM_CSS)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default _build/lab)")
    args = parser.parse_args(argv)
    written = write_copies(args.out)
    print(f"{len(written)} reader copies in {args.out / 'chapters'}")


if __name__ == "__main__":
    sys.exit(main())
