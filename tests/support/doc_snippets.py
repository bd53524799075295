"""The documentation's Python examples (README.md and every page of docs/), found by sybil's
Markdown parser: each ```python block is one complete program."""

from __future__ import annotations

from pathlib import Path
from typing import List

from sybil import Document, Example
from sybil.parsers.markdown import PythonCodeBlockParser

from tests.support import ROOT

README_PATH = ROOT / "README.md"
README = README_PATH.read_text()
DOCS = ROOT / "docs"
DOCUMENTS: List[Path] = [README_PATH, *sorted(DOCS.rglob("*.md"))]


def _examples() -> List[Example]:
    parser = PythonCodeBlockParser()
    return [example for path in DOCUMENTS for example in Document.parse(str(path), parser)]


EXAMPLES: List[Example] = _examples()


def example_name(example: Example) -> str:
    """``README.md:88``: the document (relative to the root) and the line the block starts on."""
    return f"{Path(example.path).relative_to(ROOT)}:{example.line}"


def module_name(example: Example) -> str:
    """A module name for the example written as a file (``snippet_docs_tasks_12``)."""
    stem = str(Path(example.path).relative_to(ROOT).with_suffix("")).replace("/", "_").replace("-", "_").lower()
    return f"snippet_{stem}_{example.line}"


SNIPPETS: List[str] = [str(example.parsed) for example in EXAMPLES]
WALKTHROUGH = next(str(e.parsed) for e in EXAMPLES if Path(e.path) == README_PATH)


def write(directory: Path, name: str, source: str) -> Path:
    """``source`` as ``directory/name/name.py`` (one directory per program, for its cdk.out)."""
    folder = directory / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(source)
    return path
