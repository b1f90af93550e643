"""The sign stage on an existing ``dask.distributed`` cluster, through prefect-dask.

The ingest flow keeps its own task runner; only this stage runs on Dask, and only when the
run's ``dask_address`` parameter names a scheduler, so a deployment switches to the cluster
from the UI form alone. The payloads are cut into the same batches as on a local process pool,
each batch is one Prefect task run (``sign-batch``) executed by a Dask worker, and the signed
batches are put back together in the payloads' order: the records are the same as a local
run's.

Workers only compute: they receive a batch of payloads and send back its stories, shingle
sets and signatures. The flow still reads the sources and writes the storage root. See
docs/dask.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from prefect import task
from prefect.cache_policies import NONE
from prefect_dask.task_runners import DaskTaskRunner

from dedupe import DEFAULT_BATCH_SIZE, MinHashParams, SignedBatch, batches_of, merge, sign_batch
from ingest import RawItem, TransientError

__all__ = ["sign_batch_task", "sign_on_dask"]


# Batches are new data each run: nothing to cache, and results travel back in memory rather
# than through result storage the workers may not share.
@task(name="sign-batch", cache_policy=NONE, persist_result=False)
def sign_batch_task(raws: Sequence[RawItem], params: MinHashParams) -> SignedBatch:
    """Parse, normalize, shingle and sign one batch of payloads (on a Dask worker)."""
    return sign_batch(raws, params)


def sign_on_dask(
    raws: Sequence[RawItem],
    params: MinHashParams,
    address: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> SignedBatch:
    """``prepare_and_sign`` on the Dask cluster at ``address``; call it inside a flow run.

    Each batch is submitted as one ``sign-batch`` task run of the current flow run; the
    results are merged in batch order. ``progress``, when given, is called as batches come
    back (in order) with (payloads done, payloads in all).
    """
    batches = batches_of(raws, batch_size)
    if not batches:
        return merge([], params)
    with DaskTaskRunner(address=address) as runner:
        try:
            # The client connects on first use: do it here so that an unreachable scheduler
            # is one clear error rather than a failure inside the first submission.
            runner.client  # noqa: B018
        except OSError as exc:
            raise TransientError(
                f"the Dask scheduler at {address} could not be reached (dask_address): {exc}"
            ) from exc
        futures = [runner.submit(sign_batch_task, {"raws": b, "params": params}) for b in batches]
        parts: list[SignedBatch] = []
        done = 0
        for batch, future in zip(batches, futures, strict=True):
            parts.append(future.result())
            done += len(batch)
            if progress is not None:
                progress(done, len(raws))
    return merge(parts, params)
