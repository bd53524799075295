"""Refuses a release whose tag, package version and CHANGELOG disagree.

    python scripts/release_check.py v0.3.0

Passes when the tag is ``v`` + the package's version (a final release, not ``.devN``) and
CHANGELOG.md's first version heading is that version with a date (``## 0.3.0 (2027-01-15)``),
not ``(unreleased)``. The release workflow runs it before it builds anything.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
HEADING = re.compile(r"^## (\d+\.\d+\.\d+) \((unreleased|\d{4}-\d{2}-\d{2})(?:, not published)?\)$", re.M)


def package_version(root: Path = ROOT) -> str:
    text = (root / "src" / "mw_constructs" / "_version.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"$', text, flags=re.M)
    if match is None:
        raise SystemExit("src/mw_constructs/_version.py has no __version__ line")
    return match.group(1)


def changelog_versions(root: Path = ROOT) -> List[Tuple[str, str]]:
    """(version, date or 'unreleased') of every version heading, first first."""
    return HEADING.findall((root / "CHANGELOG.md").read_text())


def problems(tag: str, root: Path = ROOT) -> List[str]:
    version = package_version(root)
    found: List[str] = []
    if tag != f"v{version}":
        found.append(f"the tag {tag!r} is not 'v' + the package version {version!r} (src/mw_constructs/_version.py)")
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        found.append(f"the package version {version!r} is not a final release X.Y.Z")
    headings = changelog_versions(root)
    first: Optional[Tuple[str, str]] = headings[0] if headings else None
    if first is None or first[0] != version.split(".dev")[0]:
        found.append(f"CHANGELOG.md's first version heading is {first!r}, not {version!r}")
    elif first[1] == "unreleased":
        found.append(f"CHANGELOG.md says '## {first[0]} (unreleased)': put the release date in its place")
    return found


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python scripts/release_check.py vX.Y.Z")
    refused = problems(sys.argv[1])
    for problem in refused:
        print(f"release refused: {problem}", file=sys.stderr)
    if refused:
        raise SystemExit(1)
    print(f"release {sys.argv[1]}: tag, version and CHANGELOG agree")
