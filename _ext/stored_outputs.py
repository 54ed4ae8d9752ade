"""Build from the outputs stored in the notebooks when ``MLOPT_BOOK_EXECUTE=off``.

``_config.yml`` asks for every notebook to be executed (``execute_notebooks: force``).
``make book``, ``make pdf`` and the build test set ``MLOPT_BOOK_EXECUTE=off`` and typeset the
outputs committed with the notebooks instead, which ``make test`` checks (``pytest --nbval``,
also in perturbed numerical environments) are exactly what a fresh run prints; that saves
executing every notebook a second time. ``make book EXECUTE=1`` executes them.
"""

import os


def switch_execution(app, config) -> None:
    if os.environ.get("MLOPT_BOOK_EXECUTE", "").lower() == "off":
        config.nb_execution_mode = "off"


def setup(app):
    app.connect("config-inited", switch_execution)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
