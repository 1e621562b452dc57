"""Logging to a rotating file in the platform log directory.

Never a password, never a message body: callers must not log them, and a
redacting filter scrubs anything that looks like a credential (``LOGIN user
secret``, ``AUTH PLAIN <base64>``, ``password=...``) as a second line of defence.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import weakref
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
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [handler]
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        _APP_HANDLERS.add(h)
        h.setFormatter(RedactingFormatter(_FORMAT))
        h.addFilter(RedactingFilter())
        root.addHandler(h)
