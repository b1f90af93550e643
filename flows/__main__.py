"""``python -m flows``: the same as the ``wiredup`` command."""

import sys

from flows.cli import main

sys.exit(main())
