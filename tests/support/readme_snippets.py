"""The README's Python snippets, each a complete program, written out as files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

from tests.support import ROOT

README_PATH = ROOT / "README.md"
README = README_PATH.read_text()
SNIPPETS: List[str] = re.findall(r"```python\n(.*?)```", README, flags=re.S)
WALKTHROUGH = SNIPPETS[0]


def write(directory: Path, name: str, source: str) -> Path:
    """``source`` as ``directory/name/name.py`` (one directory per program, for its cdk.out)."""
    folder = directory / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(source)
    return path


def snippet_name(index: int) -> str:
    return f"readme_snippet_{index + 1:02d}"
