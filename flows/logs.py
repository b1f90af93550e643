"""Library logs in the run's log: what ``ingest``, ``dedupe``, ``storage``, ``pipeline`` and
``record`` log reaches Prefect's handlers (the console, the UI) at INFO.

``PREFECT_LOGGING_EXTRA_LOGGERS`` (set by the command line and ``make serve``) attaches Prefect's
handlers to these loggers but leaves their level to the root logger's, WARNING, which would
drop what a run reports at INFO: the window a batch is matched against, the batches prepared.
"""

from __future__ import annotations

import logging

__all__ = ["LIBRARY_LOGGERS", "library_logs_at_info"]

#: The packages whose logs belong in a run's log.
LIBRARY_LOGGERS = ("ingest", "dedupe", "storage", "pipeline", "record")


def library_logs_at_info() -> None:
    """Let the library loggers pass INFO records (a level set on purpose is kept)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
