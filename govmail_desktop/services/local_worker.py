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
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


log = logging.getLogger(__name__)

STACK_BYTES = 16 * 1024 * 1024

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


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
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Done | None, Failed | None] | None] = (
            queue.SimpleQueue()
        )
        self._on_thread_exit = on_thread_exit
        self._pending = 0
        self._closed = False
        self._result.connect(self._deliver)
        previous = threading.stack_size()
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

    def submit(self, job: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Run ``job()`` on the worker; ``on_done(result)`` or ``on_error(exc)`` follows in this thread."""
        if self._closed:
            log.debug("Job submitted after shutdown ignored: %r", job)
            return
        self._pending += 1
        self._jobs.put((job, on_done, on_error))

    def _run(self) -> None:
        try:
            while True:
                item = self._jobs.get()
                if item is None:
                    return
                job, on_done, on_error = item
                try:
                    result: tuple[Any, ...] = (on_done, job(), None)
                except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
                    result = (on_error, None, exc)
                self._result.emit(result)
        finally:
            if self._on_thread_exit is not None:
                try:
                    self._on_thread_exit()
                except Exception:  # noqa: BLE001
                    log.exception("Worker thread clean-up failed")

    @Slot(object)
    def _deliver(self, result: tuple[Any, Any, BaseException | None]) -> None:
        callback, value, error = result
        self._pending -= 1
        try:
            if self._closed:
                return
            if error is not None:
                if callback is not None:
                    callback(error)
                else:
                    raise error
            elif callback is not None:
                callback(value)
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
