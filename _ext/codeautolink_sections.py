"""Let sphinx-codeautolink walk pages that contain sphinx-exercise's exercises.

sphinx-codeautolink 0.19 keeps a stack of section titles while it reads a page: it pushes
every ``title`` node and pops at the end of every ``section``. sphinx-exercise puts its
content in sections without a title (and gives exercises and admonitions titles outside any
section), so the stack underflows and the build stops with ``IndexError: pop from empty
list``. This extension makes the stack follow real sections only: push the title of a
section, pop at the end of a section that has one.
"""

from docutils import nodes
from sphinx_codeautolink.extension.block import CodeBlockAnalyser

_visit_title = CodeBlockAnalyser.visit_title
_depart_section = CodeBlockAnalyser.depart_section


def _has_title(section) -> bool:
    return bool(section.children) and isinstance(section.children[0], nodes.title)


def visit_title(self, node) -> None:
    """Record a section's title; ignore the titles of admonitions and exercises."""
    if isinstance(node.parent, nodes.section):
        _visit_title(self, node)


def depart_section(self, node) -> None:
    """Pop the title of a section that has one."""
    if _has_title(node):
        _depart_section(self, node)


def setup(app):
    CodeBlockAnalyser.visit_title = visit_title
    CodeBlockAnalyser.depart_section = depart_section
    return {"parallel_read_safe": True, "parallel_write_safe": True}
