"""What the tests share: apps and templates (``apps``), the SSM API-model checker, the moto
CloudFormation adapter and the deploy rehearsal, AWS's example events, cron samples, the README's
snippets and the background jobs. An importable package: ``from tests.support.apps import new_app``."""

from pathlib import Path

#: The repository's root.
ROOT = Path(__file__).resolve().parent.parent.parent
