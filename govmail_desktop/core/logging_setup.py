"""Logging to a rotating file in the platform log directory.

Never a password, never a message body: callers must not log them, and a
redacting filter scrubs anything that looks like a credential (``LOGIN user
secret``, ``AUTH PLAIN <base64>``, ``password=...``) as a second line of defence.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_REDACTIONS = [
    (re.compile(r"(?i)(\bLOGIN\s+\S+\s+)(\"[^\"]*\"|\S+)"), r"\1<redacted>"),
    (re.compile(r"(?i)(\bAUTH(?:ENTICATE)?\s+(?:PLAIN|LOGIN|XOAUTH2)\s+)\S+"), r"\1<redacted>"),
    (re.compile(r"(?i)((?:pass(?:word)?|passwd|secret|token)\s*[=:]\s*)\S+"), r"\1<redacted>"),
]


def redact(text: str) -> str:
    for pattern, repl in _REDACTIONS:
        text = pattern.sub(repl, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not kill logging
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup_logging(log_file: Path, *, level: int = logging.INFO, console: bool = False) -> None:
    """Send the root logger to ``log_file`` (1 MB x 5, UTF-8)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_govmail", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [handler]
    if console:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h._govmail = True  # type: ignore[attr-defined]
        h.setFormatter(logging.Formatter(_FORMAT))
        h.addFilter(RedactingFilter())
        root.addHandler(h)
