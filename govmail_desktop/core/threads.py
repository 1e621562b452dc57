"""Background threads yield the processor to the GUI thread.

The sync threads parse and write for seconds at a time during a big sync; at the
same priority as the GUI thread they also win the race for a processor (and so for
the interpreter lock) often enough to stall the window for tens of milliseconds.
Giving them a slightly lower priority keeps the window responsive and costs the sync
nothing measurable (benchmarks/sync_bench.py: same full-sync time, lower worst GUI
stall). Only ever lowered: a thread cannot raise its priority back without
privileges, so call this in threads that stay in the background.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

#: How much lower (Unix "nice" steps) background threads run.
BACKGROUND_NICE = 5


def lower_current_thread_priority() -> bool:
    """Lower the calling thread's scheduling priority; True if it was done."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            below_normal = -1  # THREAD_PRIORITY_BELOW_NORMAL
            return bool(kernel32.SetThreadPriority(kernel32.GetCurrentThread(), below_normal))
        if hasattr(os, "setpriority"):
            # Linux schedules threads as tasks: PRIO_PROCESS with the thread id
            # sets this thread only. Elsewhere (macOS) it would set the whole
            # process, which must not happen: leave it.
            if not sys.platform.startswith("linux"):
                return False
            tid = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, tid)
            os.setpriority(os.PRIO_PROCESS, tid, min(19, current + BACKGROUND_NICE))
            return True
    except (OSError, AttributeError, ValueError) as exc:  # never worth failing a sync for
        log.debug("Could not lower the priority of thread %s: %s", threading.current_thread().name, exc)
    return False
