"""Give the PDF the structure of the website: parts, chapter numbers, appendices.

Sphinx's LaTeX writer inlines every chapter where the root document's toctrees stand. Jupyter
Book puts those toctrees (one per part of ``_toc.yml``) inside the landing page's last
section, so without help every chapter would become a section of "The chapters". For the
LaTeX builder only, this extension moves each toctree up to the level of the landing page's
own sections and puts before it

* ``\\part{<caption>}``, the part's caption from ``_toc.yml``;
* the numbering of the website: the landing page and the unnumbered part (chapter 0) get
  unnumbered chapters, numbered parts continue the chapter numbers from 1, and the
  "Appendices" part is lettered (``\\appendix``).

Build with ``--all`` (as ``make pdf`` does), so that the root document is read afresh.
"""

from docutils import nodes
from sphinx import addnodes


def _raw(latex: str) -> nodes.raw:
    return nodes.raw("", latex + "\n", format="latex")


def restructure(app, doctree) -> None:
    if app.builder.name != "latex" or app.env.docname != app.config.root_doc:
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    wrappers = []
    for toctree in doctree.findall(addnodes.toctree):
        wrapper = toctree.parent if isinstance(toctree.parent, nodes.compound) else toctree
        if wrapper.parent is not top:
            wrappers.append((wrapper, toctree))
    if not wrappers:
        return
    # Unnumbered from the start: the landing page's sections are front matter.
    title_index = next(i for i, child in enumerate(top.children) if isinstance(child, nodes.title))
    top.insert(title_index + 1, _raw(r"\setcounter{secnumdepth}{-1}"))
    for wrapper, toctree in wrappers:
        wrapper.parent.remove(wrapper)
        caption = toctree.get("caption") or ""
        commands = [r"\part{" + caption + "}"]
        if caption.lower().startswith("appendi"):
            commands += [r"\appendix", r"\setcounter{secnumdepth}{2}"]
        elif toctree.get("numbered"):
            commands += [r"\setcounter{secnumdepth}{2}"]
        else:
            commands += [r"\setcounter{secnumdepth}{-1}"]
        top.append(_raw("\n".join(commands)))
        top.append(wrapper)


def setup(app):
    app.connect("doctree-read", restructure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
