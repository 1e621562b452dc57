"""A serial worker thread for local, non-network work of the GUI's services.

Why not the sync service's connection worker: that queue waits behind the
network (a 100,000-message first sync), and a user's click must show at once.
This thread only touches the local cache (one short SQLite write, a body read
and its parse), so it answers in milliseconds while the sync runs.

Jobs run one after another, in order; each result (or exception) comes back
to the GUI thread through a queued signal and is handed to the callback given
with the job. Callbacks are not called after :meth:`LocalWorker.shutdown`.
The thread gets a larger stack than the platform default (1 MB on Windows)
because the stdlib MIME parser recurses on nested messages.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

STACK_BYTES = 16 * 1024 * 1024

T = TypeVar("T")
Failed = Callable[[BaseException], None]


class _Queued(Protocol):
    """A job in the queue, whatever its result type."""

    def run(self) -> None: ...

    def deliver(self) -> None: ...


class _Job(Generic[T]):
    """``job()`` run on the worker; its result or exception handed to a callback later."""

    def __init__(self, job: Callable[[], T], on_done: Callable[[T], None] | None, on_error: Failed | None) -> None:
        self._job = job
        self._on_done = on_done
        self._on_error = on_error
        self._value: tuple[T] | None = None  # (result,) once the job returned
        self._error: BaseException | None = None

    def __repr__(self) -> str:
        return repr(self._job)

    def run(self) -> None:
        """In the worker thread: call the job, keep what it returned or raised."""
        try:
            self._value = (self._job(),)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self._error = exc

    def deliver(self) -> None:
        """In the GUI thread: call the callback; an exception nobody takes is raised here."""
        if self._error is not None:
            if self._on_error is None:
                raise self._error
            self._on_error(self._error)
        elif self._on_done is not None and self._value is not None:
            self._on_done(self._value[0])


class LocalWorker(QObject):
    """One background thread with a FIFO of jobs; results arrive in the GUI thread.

    Signals:
        idle(): the queue became empty (tests and benchmarks wait on it).
    """

    idle = Signal()
    _result = Signal(object)

    def __init__(
        self,
        name: str,
        *,
        on_thread_exit: Callable[[], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._jobs: queue.SimpleQueue[_Queued | None] = queue.SimpleQueue()
        self._on_thread_exit = on_thread_exit
        self._pending = 0
        self._closed = False
        self._result.connect(self._deliver)
        previous: int | None = threading.stack_size()
        try:
            threading.stack_size(STACK_BYTES)
        except (ValueError, RuntimeError):  # platform refuses: keep its default
            previous = None
        try:
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            self._thread.start()
        finally:
            if previous is not None:
                threading.stack_size(previous)

    @property
    def pending(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        return self._pending

    def submit(
        self, job: Callable[[], T], on_done: Callable[[T], None] | None = None, on_error: Failed | None = None
    ) -> None:
        """Run ``job()`` on the worker; ``on_done(result)`` or ``on_error(exc)`` follows in this thread."""
        if self._closed:
            log.debug("Job submitted after shutdown ignored: %r", job)
            return
        self._pending += 1
        self._jobs.put(_Job(job, on_done, on_error))

    def _run(self) -> None:
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                job.run()
                self._result.emit(job)
        finally:
            if self._on_thread_exit is not None:
                try:
                    self._on_thread_exit()
                except Exception:
                    log.exception("Worker thread clean-up failed")

    @Slot(object)
    def _deliver(self, job: _Queued) -> None:
        self._pending -= 1
        try:
            if self._closed:
                return
            job.deliver()
        finally:
            if self._pending == 0:
                self.idle.emit()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop after the jobs already queued; their callbacks are dropped."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("Worker %s did not stop within %.0f s", self._thread.name, timeout)
