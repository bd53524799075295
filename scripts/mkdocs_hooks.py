"""MkDocs hook (mkdocs.yml): fills the error catalogue into docs/errors.md while the site builds.

The catalogue (every ValidationError code and warning id with a message the library really
produced) comes from scripts/error_catalogue.py, so it cannot drift from the library and no
generated table is kept in the repository.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
START, END = "<!-- error-catalogue:start -->", "<!-- error-catalogue:end -->"


def _catalogue() -> str:
    spec = importlib.util.spec_from_file_location("error_catalogue", HERE / "error_catalogue.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.catalogue())


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if START not in markdown:
        return markdown
    before, rest = markdown.split(START, 1)
    _, after = rest.split(END, 1)
    return before + _catalogue() + after
