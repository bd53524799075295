"""The package version (one place: pyproject.toml reads it from here).

A development version (``X.Y.Z.devN``) until the release of ``X.Y.Z``; CHANGELOG.md's first heading
is that version (tests/quality/test_package.py).
"""

__version__ = "0.3.0.dev0"
