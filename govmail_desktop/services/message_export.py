"""A message's raw bytes for people: its source, its full header, a copy on disk.

Used by the message window (``ui/message_window.py``) on its worker thread —
nothing here runs on the GUI thread or touches Qt's GUI modules:

* :func:`source_text` — the raw message decoded for reading, never executed or
  rendered: at most :data:`MAX_SOURCE_BYTES` of it (the rest is said to be left
  out), each line decoded on its own (a forwarded TIS-620 message inside a UTF-8
  one reads right in both), control and bidi characters shown as ``<U+XXXX>``
  so nothing can reorder or hide the text around it.
* :func:`header_rows` — every header field in the order it was sent
  (Received, Authentication-Results, …), RFC 2047 words decoded, 8-bit values
  guessed as UTF-8 then cp874, control characters shown as ``<U+XXXX>``; bounded.
* :func:`write_copy` — the raw bytes written to a file the user chose (through a
  temporary file in the same folder, so an interrupted save never leaves half a
  message under the chosen name).
* :func:`eml_name` — a file name for "Save as .eml" / "Export to PDF" from the
  subject, made safe by :func:`core.filenames.safe_filename`.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from govmail_desktop.core.fileops import replace_with_retry
from govmail_desktop.mime.charsets import guess_decode
from govmail_desktop.mime.header_text import decode_words
from govmail_desktop.mime.headers import header_section
from govmail_desktop.policy.attachments import BIDI_AND_HIDDEN

#: Bytes of a message's source shown at most (the rest: save it as .eml).
MAX_SOURCE_BYTES = 2 * 1024 * 1024
#: Bytes of the header section read for the full-header view.
MAX_HEADER_BYTES = 1024 * 1024
#: Header fields listed at most.
MAX_HEADER_FIELDS = 2000
#: Characters of one decoded header value shown.
MAX_HEADER_VALUE_CHARS = 16 * 1024
#: Characters of a file name made from a subject (before the extension).
MAX_NAME_CHARS = 80

#: Any header field: mime.headers.FIELD_RE's form with RFC 5322's field names (any printable
#: character but the colon: X-MS-Exchange-…, X-Spam-Score-2 — that one reads known fields only).
ANY_FIELD_RE = re.compile(rb"^([!-9;-~]+):[ \t]*((?:.*)(?:\r?\n[ \t].*)*)", re.MULTILINE)
#: C0/C1 controls except tab and the line ends, and the bidi/invisible characters.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(BIDI_AND_HIDDEN)) + "]"
)


def visible(text: str) -> str:
    """``text`` with control and bidi/invisible characters written as ``<U+XXXX>``."""
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


@dataclass(frozen=True)
class SourceText:
    """What the source view shows: ``text`` read from ``shown`` of ``total`` bytes."""

    text: str
    shown: int
    total: int

    @property
    def cut(self) -> bool:
        return self.shown < self.total


def source_text(raw: bytes, limit: int = MAX_SOURCE_BYTES) -> SourceText:
    """The first ``limit`` bytes of ``raw`` as text (see the module docstring). A cut
    ends at a line end when one is near, so the last line shown is whole."""
    total = len(raw)
    part = raw[:limit]
    if total > limit:
        end = part.rfind(b"\n", max(0, limit - 64 * 1024))
        if end > 0:
            part = part[: end + 1]
    lines = part.split(b"\n")
    text = "\n".join(visible(guess_decode(line.rstrip(b"\r"))) for line in lines)
    return SourceText(text, len(part), total)


def header_rows(raw: bytes) -> tuple[list[tuple[str, str]], bool]:
    """Every header field of ``raw`` as (name, decoded value), in order; True when the
    header was longer than what is read (:data:`MAX_HEADER_BYTES`, :data:`MAX_HEADER_FIELDS`)."""
    block = header_section(raw[: MAX_HEADER_BYTES + 1])
    cut = len(block) > MAX_HEADER_BYTES
    block = block[:MAX_HEADER_BYTES]
    rows: list[tuple[str, str]] = []
    for match in ANY_FIELD_RE.finditer(block):
        if len(rows) >= MAX_HEADER_FIELDS:
            cut = True
            break
        name = match.group(1).decode("ascii")
        value = match.group(2).rstrip(b"\r").decode("ascii", "surrogateescape")
        decoded = " ".join(decode_words(value).split())
        if len(decoded) > MAX_HEADER_VALUE_CHARS:
            decoded, cut = decoded[:MAX_HEADER_VALUE_CHARS] + "…", True
        rows.append((name, visible(decoded)))
    return rows, cut


def headers_text(raw: bytes) -> tuple[str, bool]:
    """:func:`header_rows` as "Name: value" lines."""
    rows, cut = header_rows(raw)
    return "\n".join(f"{name}: {value}" for name, value in rows), cut


def eml_name(subject: str, extension: str) -> str:
    """A file name for the message from its subject ("(no subject)" words are the
    caller's), e.g. ``eml_name("ขอเชิญประชุม", ".eml")`` → ``ขอเชิญประชุม.eml``."""
    from govmail_desktop.core.filenames import colons_replaced, safe_filename

    stem = " ".join(subject.split())[:MAX_NAME_CHARS].strip() or "message"
    return safe_filename(colons_replaced(stem) + extension)  # "Re:" is not an NTFS stream


def write_copy(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (the user chose it and agreed to replace a file there):
    a temporary file in the same folder first, flushed, then renamed over ``path``."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=".govmail-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        replace_with_retry(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    return path


__all__ = [
    "MAX_SOURCE_BYTES", "SourceText", "eml_name", "header_rows", "headers_text", "source_text", "visible",
    "write_copy",
]
