"""Logging to a rotating file in the platform log directory.

Never a password, never a message body: callers must not log them, and a
redacting filter scrubs anything that looks like a credential (``LOGIN user
secret``, ``AUTH PLAIN <base64>``, ``password=...``) as a second line of defence.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import time
import weakref
from collections.abc import Callable
from pathlib import Path

# Spaces, not \s: a pattern must not run on into the next line of a traceback.
# One IMAP argument: a quoted string (backslash escapes; to the end of the line if
# the closing quote is missing) or an atom.
_ARG = r'(?:"(?:[^"\\\r\n]|\\.)*"?|[^ \t\r\n]+)'
# The IMAP command ``LOGIN userid password``. Clients write the keyword in upper
# case, and upper case is always taken for the command; in any other case,
# ``login`` followed by a preposition is prose ("IMAP login to HOST accepted")
# and keeps the host name. ``AUTH=LOGIN`` is a capability, not the command.
_LOGIN_COMMAND = (
    r"(?<![=\w-])(?:LOGIN|(?i:login)(?![ \t]+(?i:to|for|as|at|on|from|via|with|into|in|of|by)\b))"
)
_REDACTIONS = [
    (re.compile(rf"({_LOGIN_COMMAND}[ \t]+{_ARG}[ \t]+){_ARG}"), r"\1<redacted>"),
    (re.compile(r"(?i)(\bAUTH(?:ENTICATE)?[ \t]+(?:PLAIN|LOGIN|XOAUTH2)[ \t]+)\S+"), r"\1<redacted>"),
    (re.compile(r"(?i)((?:pass(?:word)?|passwd|secret|token)[ \t]*[=:][ \t]*)\S+"), r"\1<redacted>"),
]


def redact(text: str) -> str:
    for pattern, repl in _REDACTIONS:
        text = pattern.sub(repl, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string or __str__ must not kill logging
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactingFormatter(logging.Formatter):
    """Scrubs the whole formatted record, tracebacks included (exception texts
    can quote a protocol line)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

#: After a rollover that could not move the full log aside, records go on into it and the
#: next try is this much later (not at every record: each try costs a rename attempt).
ROLLOVER_RETRY_SECONDS = 60.0


class RetryingRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose rollover may fail without losing a record.

    On Windows the full log cannot be renamed while another process holds it (a second
    GovMail, a backup or sync program, a virus scanner: WinError 32). The standard
    handler has closed its stream by then; the error goes to ``handleError`` (nowhere in
    the windowed app) and every later record tries again and is lost the same way. Here
    the log is first moved to a temporary name; when that fails nothing else has been
    touched (no backup shifted or removed), the current file is opened again, the record
    and the ones after it are written there, a warning says why, and the rollover is
    tried again :data:`ROLLOVER_RETRY_SECONDS` later. ``clock`` is a seam for tests (the
    move itself goes through :meth:`rotate`, so a test sets ``rotator``).
    """

    def __init__(
        self, filename: Path, *, max_bytes: int, backup_count: int, encoding: str = "utf-8",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(filename, maxBytes=max_bytes, backupCount=backup_count, encoding=encoding)
        self._clock = clock
        self._retry_at: float | None = None

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self._retry_at is not None and self._clock() < self._retry_at:
            return False
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:
        if self.backupCount <= 0:
            super().doRollover()
            return
        if self.stream:
            self.stream.close()
            self.stream = None  # as the standard handler does
        pending = self.baseFilename + ".rotating"
        try:
            if os.path.exists(pending):
                os.remove(pending)  # left by a rollover interrupted after its first step
            self.rotate(self.baseFilename, pending)
        except OSError as exc:
            self._retry_at = self._clock() + ROLLOVER_RETRY_SECONDS
            self.stream = self._open()
            self._note(f"Log rotation failed, logging on into {self.baseFilename} and trying again "
                       f"in {ROLLOVER_RETRY_SECONDS:.0f} s: {exc}")
            return
        self._retry_at = None
        try:
            for i in range(self.backupCount - 1, 0, -1):
                older = self.rotation_filename(f"{self.baseFilename}.{i}")
                if os.path.exists(older):
                    os.replace(older, self.rotation_filename(f"{self.baseFilename}.{i + 1}"))
            os.replace(pending, self.rotation_filename(f"{self.baseFilename}.1"))
        except OSError as exc:
            problem: OSError | None = exc
        else:
            problem = None
        self.stream = self._open()
        if problem is not None:
            self._note(f"Log rotation could not shift the old logs: {problem}")

    def _note(self, text: str) -> None:
        """A warning into this file itself (the logging system is inside this handler now)."""
        record = logging.makeLogRecord({
            "name": __name__, "levelno": logging.WARNING, "levelname": "WARNING", "msg": text,
        })
        logging.FileHandler.emit(self, record)


# The handlers setup_logging() installed, so that a second call (or a test) removes
# exactly those and leaves the handlers of anyone else sharing the process.
_APP_HANDLERS: weakref.WeakSet[logging.Handler] = weakref.WeakSet()


def remove_app_handlers() -> None:
    """Flush, detach and close the handlers setup_logging() put on the root logger."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler in _APP_HANDLERS:
            handler.flush()
            root.removeHandler(handler)
            handler.close()


def setup_logging(
    log_file: Path,
    *,
    level: int = logging.INFO,
    console: bool = False,
    max_bytes: int = 1_000_000,
    backup_count: int = 5,
) -> None:
    """Send the root logger to ``log_file`` (1 MB x 5 by default, UTF-8)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    remove_app_handlers()
    handler = RetryingRotatingFileHandler(log_file, max_bytes=max_bytes, backup_count=backup_count)
    handlers: list[logging.Handler] = [handler]
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        _APP_HANDLERS.add(h)
        h.setFormatter(RedactingFormatter(_FORMAT))
        h.addFilter(RedactingFilter())
        root.addHandler(h)
