"""Attachment rules: size limit, blocked file types, and deceptive file names.

Deceptive names: a double extension (``หนังสือ.pdf.exe``,
also padded with spaces: ``report.pdf        .exe``), and bidi control
characters such as RIGHT-TO-LEFT OVERRIDE that make ``invoice\u202efdp.exe``
display as ``invoiceexe.pdf``. The *real* extension is what Windows would
use: after removing trailing dots and spaces, of the name before an NTFS stream suffix
(``invoice.exe::$DATA`` is an .exe). A name with a colon is judged twice: as NTFS reads it
(``report.pdf:evil.exe`` a .pdf) and whole, its colons replaced, as it is saved here and
may be saved elsewhere (``report.pdf_evil.exe`` an .exe); the stricter verdict wins
(:func:`judged_names`).

Findings with level ``block`` mean: may not be sent, and opening a received
file needs an explicit, explained confirmation. ``warn`` is shown only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from govmail_desktop.core.filenames import colons_replaced, without_data_stream, without_stream_suffix
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


def judged_names(filename: str) -> tuple[str, ...]:
    """Every name the file may end up under: :func:`judged_name` (NTFS's reading of
    ``report.pdf:evil.exe``) and, when the name has a colon, the whole name with its colons
    replaced (``report.pdf_evil.exe``: how this app saves it, and how other programs may).
    The rules judge each; the strictest verdict wins."""
    first = judged_name(filename)
    if not has_stream_suffix(filename):
        return (first,)
    whole = colons_replaced(without_data_stream(_last_component(filename))).rstrip(" .")
    return (first,) if whole == first else (first, whole)


def has_stream_suffix(filename: str) -> bool:
    """True if the name carries NTFS stream syntax (``report.pdf:evil.exe``)."""
    last = _last_component(filename)
    return without_stream_suffix(last) != last


def stream_hides_type(filename: str) -> bool:
    """True if NTFS stream syntax gives the name a type other than the one it shows whole:
    ``report.pdf:evil.exe`` (.pdf / .exe), ``a.exe:Zone.Identifier``; not
    "ประชุม 10:30.pdf" (no type before the colon), nor ``photo.jpg::$DATA``."""
    names = judged_names(filename)
    return len(names) > 1 and _extension_of(names[0]) not in ("", _extension_of(names[1]))


def _extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip(" ."):
        return ""
    return "." + ext.strip().lower()


def real_extension(filename: str) -> str:
    """The extension the OS acts on (lower case, with the dot; "" if none)."""
    return _extension_of(judged_name(filename))


def _decoy_extension(name: str) -> str | None:
    stem = name.rpartition(".")[0].rstrip(" .")
    inner = _extension_of(stem) if stem else ""
    return inner if inner in DECOY_EXTENSIONS else None


class AttachmentRules:
    """The attachment rules of one effective policy."""

    def __init__(self, rules: AttachmentsSection) -> None:
        self.rules = rules

    @property
    def max_bytes(self) -> int:
        return self.rules.max_size_mb * 1024 * 1024

    def blocked_extension(self, filename: str) -> str | None:
        """The first blocked extension among the names the file may end up under
        (:func:`judged_names`), or None."""
        for name in judged_names(filename):
            ext = _extension_of(name)
            if ext in self.rules.blocked_extensions:
                return ext
        return None

    def is_blocked_type(self, filename: str) -> bool:
        return self.blocked_extension(filename) is not None

    def check_name(self, filename: str) -> list[AttachmentFinding]:
        """Findings about one file name (sending or receiving)."""
        findings: list[AttachmentFinding] = []
        shown = safe_display_name(filename)
        blocked = self.blocked_extension(filename)
        ext = blocked or real_extension(filename)
        if any(ch in BIDI_AND_HIDDEN for ch in filename):
            findings.append(self._finding(filename, BLOCK, ATTACHMENT_BIDI, name=shown, extension=ext or "?"))
        if blocked is not None:
            name = next(n for n in judged_names(filename) if _extension_of(n) == blocked)
            decoy = _decoy_extension(name)
            if decoy is not None:
                findings.append(self._finding(
                    filename, BLOCK, ATTACHMENT_DOUBLE_EXTENSION, name=shown, decoy=decoy, extension=blocked
                ))
            findings.append(self._finding(filename, BLOCK, ATTACHMENT_BLOCKED_TYPE, name=shown, extension=blocked))
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
