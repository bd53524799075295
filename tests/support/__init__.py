"""What the tests share: apps and templates (``apps``), the SSM API-model checker, the moto
CloudFormation adapter and the deploy rehearsal, AWS's example events, cron samples, the
documentation's examples and the background jobs. An importable package: ``from
tests.support.apps import new_app``."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

#: The repository's root.
ROOT = Path(__file__).resolve().parent.parent.parent


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module
