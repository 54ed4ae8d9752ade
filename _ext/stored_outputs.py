"""Build from the outputs stored in the notebooks when ``MLOPT_BOOK_EXECUTE=off``.

``make book`` executes every notebook (``execute_notebooks: force`` in ``_config.yml``).
``make pdf`` sets ``MLOPT_BOOK_EXECUTE=off`` and typesets the outputs committed with the
notebooks instead, which ``make test`` checks (``pytest --nbval``) are exactly what a fresh
run prints; that saves executing every notebook a second time.
"""

import os


def switch_execution(app, config) -> None:
    if os.environ.get("MLOPT_BOOK_EXECUTE", "").lower() == "off":
        config.nb_execution_mode = "off"


def setup(app):
    app.connect("config-inited", switch_execution)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
