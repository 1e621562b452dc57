"""Attachment rules: size limit, blocked file types, and deceptive file names.

Deceptive names: a double extension (``หนังสือ.pdf.exe``,
also padded with spaces: ``report.pdf        .exe``), and bidi control
characters such as RIGHT-TO-LEFT OVERRIDE that make ``invoice\u202efdp.exe``
display as ``invoiceexe.pdf``. The *real* extension is what Windows would
use: after removing trailing dots and spaces, of the name before an NTFS stream suffix
(``invoice.exe::$DATA`` is an .exe; ``report.pdf:evil.exe`` a .pdf, and saved as
``report.pdf``: ``core.filenames.without_stream_suffix``).

Findings with level ``block`` mean: may not be sent, and opening a received
file needs an explicit, explained confirmation. ``warn`` is shown only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from govmail_desktop.core.filenames import without_stream_suffix
from govmail_desktop.core.hidden_chars import HIDDEN_CHARS
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.policy.model import AttachmentsSection

WARN = "warn"
BLOCK = "block"

ATTACHMENT_BLOCKED_TYPE = "attachment-blocked-type"
ATTACHMENT_DOUBLE_EXTENSION = "attachment-double-extension"
ATTACHMENT_BIDI = "attachment-bidi-control"
ATTACHMENT_TOO_LARGE = "attachment-too-large"

#: Characters that reorder or hide text (bidi controls, zero-width and other format
#: characters): the shared table of :mod:`govmail_desktop.core.hidden_chars`.
BIDI_AND_HIDDEN = HIDDEN_CHARS

#: Extensions people trust, used as decoys before a dangerous one.
DECOY_EXTENSIONS = frozenset(
    ".pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods .odp .rtf .txt .csv .jpg .jpeg .png .gif "
    ".bmp .tif .tiff .zip .rar .7z .mp3 .mp4 .avi .mov .htm .html .xml".split()
)

_MSG = {
    ATTACHMENT_BLOCKED_TYPE: QT_TRANSLATE_NOOP(
        "Policy", "“{name}” is a {extension} file, a type that can run programs. Your agency's policy blocks it."
    ),
    ATTACHMENT_DOUBLE_EXTENSION: QT_TRANSLATE_NOOP(
        "Policy", "“{name}” looks like a {decoy} file but is really a {extension} file."
    ),
    ATTACHMENT_BIDI: QT_TRANSLATE_NOOP(
        "Policy",
        "The name of “{name}” contains hidden characters that change how it is displayed; "
        "its real type is {extension}.",
    ),
    ATTACHMENT_TOO_LARGE: QT_TRANSLATE_NOOP(
        "Policy", "The attachments are {size} MB; your agency's limit is {limit} MB."
    ),
}


@dataclass(frozen=True)
class AttachmentFinding:
    filename: str
    level: str
    code: str
    message: Msg

    def text(self, lang: str | None = None) -> str:
        return self.message.text(lang)


def safe_display_name(filename: str) -> str:
    """The name with bidi/hidden characters shown as <U+202E> so nothing is reordered."""
    return "".join(f"<U+{ord(ch):04X}>" if ch in BIDI_AND_HIDDEN else ch for ch in filename)


def _strip_hidden(filename: str) -> str:
    return "".join(ch for ch in filename if ch not in BIDI_AND_HIDDEN)


def _last_component(filename: str) -> str:
    name = _strip_hidden(unicodedata.normalize("NFKC", filename))
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def judged_name(filename: str) -> str:
    """The name the OS acts on: compatibility characters folded (NFKC), hidden characters
    removed, the last path component, without an NTFS stream suffix, trailing dots and
    spaces removed."""
    return without_stream_suffix(_last_component(filename)).rstrip(" .")


def has_stream_suffix(filename: str) -> bool:
    """True if the name carries NTFS stream syntax (``report.pdf:evil.exe``)."""
    last = _last_component(filename)
    return without_stream_suffix(last) != last


def real_extension(filename: str) -> str:
    """The extension the OS acts on (lower case, with the dot; "" if none)."""
    stem, dot, ext = judged_name(filename).rpartition(".")
    if not dot or not stem.strip(" ."):
        return ""
    return "." + ext.strip().lower()


def _decoy_extension(filename: str) -> str | None:
    stem = judged_name(filename).rpartition(".")[0].rstrip(" .")
    inner = real_extension(stem) if stem else ""
    return inner if inner in DECOY_EXTENSIONS else None


class AttachmentRules:
    """The attachment rules of one effective policy."""

    def __init__(self, rules: AttachmentsSection) -> None:
        self.rules = rules

    @property
    def max_bytes(self) -> int:
        return self.rules.max_size_mb * 1024 * 1024

    def is_blocked_type(self, filename: str) -> bool:
        return real_extension(filename) in self.rules.blocked_extensions

    def check_name(self, filename: str) -> list[AttachmentFinding]:
        """Findings about one file name (sending or receiving)."""
        findings: list[AttachmentFinding] = []
        shown = safe_display_name(filename)
        ext = real_extension(filename)
        blocked = ext in self.rules.blocked_extensions
        if any(ch in BIDI_AND_HIDDEN for ch in filename):
            findings.append(self._finding(filename, BLOCK, ATTACHMENT_BIDI, name=shown, extension=ext or "?"))
        decoy = _decoy_extension(filename)
        if blocked and decoy is not None:
            findings.append(self._finding(
                filename, BLOCK, ATTACHMENT_DOUBLE_EXTENSION, name=shown, decoy=decoy, extension=ext
            ))
        if blocked:
            findings.append(self._finding(filename, BLOCK, ATTACHMENT_BLOCKED_TYPE, name=shown, extension=ext))
        return findings

    def check_total_size(self, total_bytes: int) -> list[AttachmentFinding]:
        if total_bytes <= self.max_bytes:
            return []
        size = f"{total_bytes / (1024 * 1024):.1f}"
        return [self._finding("", BLOCK, ATTACHMENT_TOO_LARGE, size=size, limit=self.rules.max_size_mb)]

    def check_outgoing(self, files: list[tuple[str, int]]) -> list[AttachmentFinding]:
        """Every finding for the files about to be sent: [(name, size in bytes), ...]."""
        findings = [f for name, _ in files for f in self.check_name(name)]
        return findings + self.check_total_size(sum(size for _, size in files))

    @staticmethod
    def _finding(filename: str, level: str, code: str, **args: object) -> AttachmentFinding:
        return AttachmentFinding(filename, level, code, _MSG[code].format(**args))
