"""Let Prefect's temporary server record a finished run before the command line stops it.

Without ``PREFECT_API_URL`` a flow called from the command line runs against a temporary
server, a subprocess that Prefect stops when the process exits. Task runs reach that server
as events, which its task-run recorder writes one at a time; after a run over a hundred
sources or more it is still writing when the command ends, and stopping it then cancels the
write in flight: the server prints "Error flushing 1 events" and ``CancelledError``
tracebacks after a run that succeeded, and the task runs still queued are lost from its
history. So, before returning, the command line sends the events still buffered in the
process and waits (a bounded time) until the server has recorded every task run of the run
in a final state.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any, cast

__all__ = ["SETTLE_SECONDS", "settle"]

#: The longest the command line waits for the temporary server to catch up.
SETTLE_SECONDS = 60.0
# How long the recorded task runs must stay the same before the server counts as caught up:
# the recorder writes several events a second, so a backlog shows within this.
_QUIET_SECONDS = 1.5
_POLL_SECONDS = 0.25
_PAGE = 200

logger = logging.getLogger(__name__)


def settle(since: datetime, timeout: float = SETTLE_SECONDS, temporary: bool = False) -> bool:
    """Wait until the flow runs started since ``since`` have all their task runs recorded.

    Only for a temporary server: with ``PREFECT_API_URL`` set the server outlives the command
    and records at its own pace, unless ``temporary`` says the URL is the command's own
    temporary server (``flows.server``). Returns whether the server caught up within
    ``timeout``.
    """
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value() and not temporary:
        return True
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterStartTime,
    )
    from prefect.events.worker import EventsWorker

    # The events still buffered in this process go out first.
    EventsWorker.drain_all(timeout=timeout, at_exit=False)
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        # Prefect's own datetime type is a datetime subclass; an aware datetime does.
        started = FlowRunFilterStartTime(after_=cast(Any, since))
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(start_time=started))
        if not runs:
            return True
        flow_runs = FlowRunFilter(id=FlowRunFilterId(any_=[r.id for r in runs]))
        seen: tuple[int, int] | None = None
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            task_runs = _all_task_runs(client, flow_runs)
            final = sum(1 for t in task_runs if t.state is not None and t.state.is_final())
            now = (len(task_runs), final)
            if now != seen:
                seen, quiet_since = now, time.monotonic()
            elif final == len(task_runs) and time.monotonic() - quiet_since >= _QUIET_SECONDS:
                return True
            time.sleep(_POLL_SECONDS)
    logger.warning("the temporary Prefect server did not record every task run in %s s", timeout)
    return False


def _all_task_runs(client: Any, flow_runs: Any) -> list[Any]:
    # Page through: one read returns at most the server's default limit.
    found: list[Any] = []
    while True:
        page = client.read_task_runs(flow_run_filter=flow_runs, limit=_PAGE, offset=len(found))
        found += page
        if len(page) < _PAGE:
            return found
