"""The prepare step on an existing ``dask.distributed`` cluster, through prefect-dask.

The ingest flow keeps its own task runner; only the prepare step (parse, normalize, sign) runs
on Dask, and only when the run's ``dask_address`` parameter names a scheduler, so a deployment
switches to the cluster from the UI form alone. ``dask_map`` is a map for
``pipeline.prepare_payloads``: each batch of payloads is one Prefect task run (``sign-batch``)
executed by a Dask worker, and the prepared batches come back in the payloads' order, so the
records are the same as a local run's.

Workers only compute: they receive a batch of payloads and send back its signed stories and
rejects. The flow still reads the sources and writes the storage root. See docs/dask.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from prefect import task
from prefect.cache_policies import NONE
from prefect_dask.task_runners import DaskTaskRunner

from pipeline import BatchMap
from record.errors import TransientError

__all__ = ["dask_map", "sign_batch_task"]


@task(name="sign-batch", cache_policy=NONE, persist_result=False)
def sign_batch_task(fn: Callable[[Any], Any], batch: Any) -> Any:
    """One batch of the prepare step (on a Dask worker)."""
    return fn(batch)


def dask_map(address: str) -> BatchMap:
    """A map that runs each batch as a task on the Dask scheduler at ``address``.

    Call it inside a flow run: each batch becomes a ``sign-batch`` task run of that flow run.
    """

    def run(fn: Callable[[Any], Any], batches: Sequence[Any]) -> Iterator[Any]:
        if not batches:
            return
        with DaskTaskRunner(address=address) as runner:
            try:
                runner.client  # noqa: B018
            except OSError as exc:
                raise TransientError(
                    f"the Dask scheduler at {address} could not be reached (dask_address): {exc}"
                ) from exc
            futures = [runner.submit(sign_batch_task, {"fn": fn, "batch": b}) for b in batches]
            for future in futures:
                yield future.result()

    return run
