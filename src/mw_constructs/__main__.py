"""``python -m mw_constructs`` runs the ``mw-constructs`` command line."""

import sys

from .cli import main

sys.exit(main())
