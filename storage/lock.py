"""One writer at a time: a lease under the storage root, ``state/lock.json``.

The lock file says who holds it (``run_id``, ``host``, ``pid``, a random ``token``), since when
(``acquired_at``) and until when (``expires_at``). The holder renews the lease from a background
thread while it works, so a live run never loses it; a run that crashed stops renewing, and
once its lease has expired the next run takes the lock over and says so. A holder on the same
host whose process is gone (killed, out of memory, machine reboot of a container) is not waited
for: its lease is taken over at once, so a rerun right after a crash does not wait for the
lease to run out. A process id in use again by another program only makes the rerun wait for
the lease, never take a live one.

How "create only if absent" is made, per kind of root:

- Local folder: the lock is written to a temporary file and hard-linked to ``lock.json``; a
  link never replaces an existing name, so exactly one of several racing runs gets it, and the
  file is complete the moment it exists.
- Object store (S3): pyarrow offers no conditional put (``If-None-Match``), so the lock is
  *create-then-verify*: look, put our lease if there is none, wait ``settle_seconds``, read it
  back, and hold the lock only if the lease read back is ours. Two runs that both found no lock
  and put within ``settle_seconds`` of each other both read the later lease, so one wins. This is
  a lease, not a consensus protocol: a run paused for longer than ``settle_seconds`` between its
  look and its put could still overwrite a lease another run has verified. Scheduled runs minutes
  apart never come near that window; see docs/storage.md.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

from record.errors import StorageError
from storage.root import StorageRoot

__all__ = [
    "DEFAULT_LEASE_SECONDS",
    "LOCK",
    "LockHeld",
    "LockInfo",
    "RootLock",
]

log = logging.getLogger(__name__)

LOCK = "state/lock.json"
#: How long a lease lasts without renewal; the holder renews it every third of that.
DEFAULT_LEASE_SECONDS = 120.0
#: Object stores: time between our put and the read that verifies it is still ours.
DEFAULT_SETTLE_SECONDS = 1.0


class LockHeld(StorageError):
    """Another run holds the lock on the storage root (terminal: waiting longer is the fix)."""

    def __init__(self, holder: LockInfo, root: str) -> None:
        self.holder = holder
        self.root = root
        super().__init__(
            f"another run (run_id {holder.run_id}, host {holder.host}, pid {holder.pid}, "
            f"since {holder.acquired_at}) holds the lock on {root}; its lease runs until "
            f"{holder.expires_at}"
        )


@dataclass(frozen=True)
class LockInfo:
    """The content of ``state/lock.json``."""

    run_id: str
    purpose: str
    host: str
    pid: int
    token: str
    acquired_at: str
    expires_at: str

    def expired(self, now: datetime) -> bool:
        """Whether the lease is over at ``now``."""
        return datetime.fromisoformat(self.expires_at) <= now

    def holder_gone(self) -> bool:
        """Whether the holder ran on this host and its process no longer exists."""
        if self.host != socket.gethostname() or self.pid <= 0 or self.pid == os.getpid():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # exists, owned by another user
            return False
        return False

    def stale(self, now: datetime) -> bool:
        """Whether the lease may be taken over: expired, or its holder's process is gone."""
        return self.expired(now) or self.holder_gone()

    def to_bytes(self) -> bytes:
        return (json.dumps(asdict(self), indent=2, sort_keys=True) + "\n").encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> LockInfo:
        raw: dict[str, Any] = json.loads(data)
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__})


class RootLock:
    """The writer lock of one storage root; use as a context manager.

    ``wait_seconds`` is how long ``acquire`` keeps trying while another run holds a live lease
    (0: refuse at once); then it raises :class:`LockHeld` naming the holder.
    """

    def __init__(
        self,
        root: StorageRoot,
        run_id: str,
        purpose: str = "ingest",
        wait_seconds: float = 0.0,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
        poll_seconds: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        logger: logging.Logger | logging.LoggerAdapter[Any] | None = None,
    ) -> None:
        if lease_seconds <= 0:
            raise ValueError("lease_seconds must be positive")
        if wait_seconds < 0:
            raise ValueError("wait_seconds must not be negative")
        self.root = root
        self.run_id = run_id
        self.purpose = purpose
        self.wait_seconds = wait_seconds
        self.lease_seconds = lease_seconds
        self.settle_seconds = settle_seconds
        self.poll_seconds = poll_seconds
        self._clock = clock
        #: Where waiting, takeover and release problems are told (a flow passes its run logger,
        #: so an operator sees them in the run's log).
        self._log = logger or log
        self._token = uuid.uuid4().hex
        self._acquired_at = ""
        self._held = False
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        #: The expired lease this lock took over, if it did (for the run's report).
        self.took_over: LockInfo | None = None

    # -- public -------------------------------------------------------------------------

    def acquire(self) -> None:
        """Take the lock, waiting up to ``wait_seconds`` for a live holder to finish."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                holder = self._try_acquire()
            except OSError as exc:  # a full disk, a read-only root, a permission
                raise StorageError(f"cannot take the lock on {self.root.display()}: {exc}") from exc
            if holder is None:
                break
            if time.monotonic() >= deadline:
                raise LockHeld(holder, self.root.display())
            self._log.info(
                "waiting for the lock on %s (held by run %s)", self.root.display(), holder.run_id
            )
            time.sleep(min(self.poll_seconds, max(0.0, deadline - time.monotonic())))
        self._held = True
        self._stop.clear()
        self._renewer = threading.Thread(
            target=self._renew_loop, name="wiredup-lock-renewal", daemon=True
        )
        self._renewer.start()

    def release(self) -> None:
        """Give the lock back (only if the lease there is still ours)."""
        if not self._held:
            return
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        self._held = False
        current = self.read()
        if current is not None and current.token == self._token:
            self.root.delete(LOCK)
        else:
            self._log.warning(
                "the lock on %s was no longer ours at release (lease expired and taken over?)",
                self.root.display(),
            )

    def read(self) -> LockInfo | None:
        """The lease in ``state/lock.json`` now, or None."""
        try:
            data = self.root.read_bytes(LOCK)
        except StorageError:
            if not self.root.exists(LOCK):
                return None
            # Created between the failed read and the look: read the new one.
            data = self.root.read_bytes(LOCK)
        try:
            return LockInfo.from_bytes(data)
        except (ValueError, KeyError, TypeError):
            # A lock we cannot read is treated as an expired one: it blocks nobody forever.
            return LockInfo("?", "?", "?", 0, "?", "?", "1970-01-01T00:00:00+00:00")

    def __enter__(self) -> RootLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.release()
        except StorageError as failure:
            # A root that went read-only or away: the run's own outcome (its data is durable,
            # or its error says why not) must not be masked by the lock. The lease expires on
            # its own, and a rerun on this host takes it over at once (its process is gone).
            self._log.error(
                "the lock on %s could not be released: %s", self.root.display(), failure
            )

    # -- internals ----------------------------------------------------------------------

    def _lease(self) -> LockInfo:
        now = self._clock()
        return LockInfo(
            run_id=self.run_id,
            purpose=self.purpose,
            host=socket.gethostname(),
            pid=os.getpid(),
            token=self._token,
            acquired_at=self._acquired_at or now.isoformat(),
            expires_at=(now + timedelta(seconds=self.lease_seconds)).isoformat(),
        )

    def _try_acquire(self) -> LockInfo | None:
        """None when the lock is ours now; otherwise the live holder."""
        current = self.read()
        if current is not None:
            if not current.stale(self._clock()):
                return current
            if not self._remove_expired(current):
                return self.read() or current
            self._log.warning(
                "took over the lock on %s: run %s (host %s, pid %s, since %s) %s",
                self.root.display(),
                current.run_id,
                current.host,
                current.pid,
                current.acquired_at,
                f"let its lease expire at {current.expires_at}"
                if current.expired(self._clock())
                else "is no longer running",
            )
            self.took_over = current
        self._acquired_at = ""
        lease = self._lease()
        self._acquired_at = lease.acquired_at
        if self.root.is_local:
            return self._create_local(lease)
        return self._create_remote(lease)

    def _create_local(self, lease: LockInfo) -> LockInfo | None:
        assert self.root.local_path is not None
        target = self.root.local_path / LOCK
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".lock.{self._token}.tmp")
        temp.write_bytes(lease.to_bytes())
        try:
            # link() refuses an existing name: the exclusive create, with the content whole.
            os.link(temp, target)
        except FileExistsError:
            return self.read() or lease
        finally:
            temp.unlink(missing_ok=True)
        return None

    def _create_remote(self, lease: LockInfo) -> LockInfo | None:
        if self.root.exists(LOCK):
            return self.read() or lease
        self.root.write_bytes(LOCK, lease.to_bytes())
        # Create-then-verify: a racing run's put lands within the settle time; the later put
        # wins for both of us, so only one run reads back its own token.
        time.sleep(self.settle_seconds)
        current = self.read()
        if current is not None and current.token == self._token:
            return None
        return current or lease

    def _remove_expired(self, stale: LockInfo) -> bool:
        """Remove an expired lease; False if someone else changed the lock meanwhile."""
        if not self.root.is_local:
            # No rename on an object store: delete it if it is still the same expired lease.
            again = self.read()
            if again is None or again.token != stale.token:
                return again is None
            self.root.delete(LOCK)
            return True
        assert self.root.local_path is not None
        target = self.root.local_path / LOCK
        aside = target.with_name(f".lock.{self._token}.stale")
        try:
            os.rename(target, aside)  # atomic: of racing takers, one moves it
        except FileNotFoundError:
            return True
        try:
            moved = LockInfo.from_bytes(aside.read_bytes())
        except (ValueError, KeyError, TypeError):
            moved = stale
        if moved.token != stale.token and not moved.stale(self._clock()):
            # We moved a fresh lease another taker had just made: give it back.
            try:
                os.link(aside, target)
            except FileExistsError:
                self._log.warning("lock race on %s: two leases were live", self.root.display())
            aside.unlink(missing_ok=True)
            return False
        aside.unlink(missing_ok=True)
        return True

    def _renew_loop(self) -> None:
        period = self.lease_seconds / 3
        while not self._stop.wait(period):
            try:
                current = self.read()
                if current is None or current.token != self._token:
                    self._log.error(
                        "the lock on %s was lost: lease taken over", self.root.display()
                    )
                    return
                self.root.write_bytes(LOCK, self._lease().to_bytes())
            except StorageError as exc:
                self._log.warning("lock lease on %s not renewed: %s", self.root.display(), exc)
