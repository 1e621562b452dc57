"""What one launch of ``govmail`` asks for, and the message that carries it to the running app.

A launch asks either to show the window (no arguments) or to write a message:
``govmail --compose``, ``govmail --compose "mailto:…"``, ``govmail mailto:…`` (as a
desktop passes a clicked link, ``Exec=govmail %u``) and ``govmail --compose --attach
FILE [--attach FILE…]`` (documents sent from a file manager). :class:`LaunchRequest`
keeps it as given (the link as text, the files as absolute paths) so that it can be
handed to an instance that is already running (:mod:`services.single_instance`);
:func:`evaluate` turns it into what the composer is opened with, in whichever
process opens it:

* the link through the one ``mailto:`` parser (:func:`mime.mailto.parse_mailto`);
  a broken link opens nothing and gives its :class:`MailtoError`; fields a link
  may not set (``attach=`` included) are never honoured and are reported by
  :meth:`ComposeRequest.ignored_notice`;
* each file must exist, be a regular file (not a folder, a pipe or a device) and
  open for reading; each one that is not is named in a typed
  :class:`AttachmentFileError` and left out, the others are kept. The agency's
  attachment rules are applied later, by the composer, as for any attachment.

The message between the two processes (:func:`encode_launch`/:func:`decode_launch`)
is a frame: four bytes of big-endian length, then that many bytes of UTF-8 JSON
``{"version": 1, "compose": bool, "mailto": str | null, "attach": [absolute path,
...]}``. It is bounded (:data:`MAX_MESSAGE_BYTES`, the link's own limit, at most
:data:`MAX_ATTACHMENTS` paths of at most :data:`MAX_PATH_CHARS`), and anything else
(another version, a missing or extra field, a wrong type, a relative path, text that
is not UTF-8 JSON) is refused with :class:`InstanceMessageError`.

Nothing here touches Qt or the network; the disk only to check the files.
"""

from __future__ import annotations

import json
import os
import stat
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.mime.mailto import MAX_MAILTO_CHARS, ComposeRequest, MailtoError, parse_mailto

#: Version of the message a second launch sends; a running instance accepts only this one.
MESSAGE_VERSION = 1
#: Files one command line may attach.
MAX_ATTACHMENTS = 100
#: Longest path accepted in a message (characters).
MAX_PATH_CHARS = 4096
#: Largest message (bytes after the length): the longest link and paths, escaped, fit.
MAX_MESSAGE_BYTES = 1024 * 1024
_LENGTH = struct.Struct(">I")
_FIELDS = frozenset({"version", "compose", "mailto", "attach"})

MSG_NOT_FOUND = QT_TRANSLATE_NOOP("Launch", "The file to attach was not found: {path}")
MSG_NOT_A_FILE = QT_TRANSLATE_NOOP(
    "Launch", "Only files can be attached; this is a folder or a device, not a file: {path}"
)
MSG_UNREADABLE = QT_TRANSLATE_NOOP("Launch", "The file to attach cannot be read: {path}")
MSG_TOO_MANY_FILES = QT_TRANSLATE_NOOP(
    "Launch", "At most {limit} files can be attached at once; none of the {count} files given was attached."
)
HINT_FILE = QT_TRANSLATE_NOOP("Launch", "The other files were attached. Please attach this one in the new message.")
HINT_TOO_MANY = QT_TRANSLATE_NOOP("Launch", "Please attach them in the new message, or send them in several messages.")
MSG_BAD_MESSAGE = QT_TRANSLATE_NOOP("Launch", "A message from another start of the program was not understood.")


class AttachmentFileError(GovMailError):
    """A file named on the command line that cannot be attached; the others still are."""

    code = "attach-file"
    default_message = MSG_NOT_FOUND
    default_hint = HINT_FILE


class InstanceMessageError(GovMailError):
    """A message to the running instance that is not one this version sends; it is ignored."""

    code = "instance-message"
    default_message = MSG_BAD_MESSAGE


@dataclass(frozen=True)
class LaunchRequest:
    """What one launch asks for, as given: nothing parsed or checked yet."""

    #: Open the composer (else only show the window).
    compose: bool = False
    #: The ``mailto:`` link as given (parsed by :func:`evaluate`).
    mailto: str | None = None
    #: Files to attach, absolute paths as text (checked by :func:`evaluate`).
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComposeOrder:
    """What the composer is opened with, and what could not be honoured."""

    #: The link's content (empty without a link); None: the link was broken, open nothing.
    request: ComposeRequest | None
    #: The files that can be attached, in the order given.
    attachments: tuple[Path, ...]
    #: Why the link or a file was refused, one error each.
    problems: tuple[GovMailError, ...]


def launch_request(*, compose: bool, uri: str | None, attach: Sequence[str] | None, cwd: Path) -> LaunchRequest:
    """The request of a command line; a link or a file means compose. Paths are made
    absolute against ``cwd`` (the running instance has another working directory)."""
    files = tuple(os.path.normpath(os.path.join(cwd, name)) for name in (attach or ()))
    return LaunchRequest(compose=bool(compose or uri is not None or files), mailto=uri, attachments=files)


def _open_for_reading(path: Path) -> BinaryIO:
    return open(path, "rb")  # closed by the caller at once


def check_attachment(path: Path) -> Path:
    """``path`` if it is a regular file this user can read; else :class:`AttachmentFileError`."""
    shown = str(path)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise AttachmentFileError(MSG_NOT_FOUND, path=shown, detail=type(exc).__name__) from exc
    except OSError as exc:  # permission on a folder on the way, a name too long, a loop
        raise AttachmentFileError(MSG_UNREADABLE, path=shown, detail=f"stat: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device would hang or never end
        raise AttachmentFileError(MSG_NOT_A_FILE, path=shown, detail=f"mode {stat.filemode(info.st_mode)}")
    try:
        _open_for_reading(path).close()
    except OSError as exc:
        raise AttachmentFileError(MSG_UNREADABLE, path=shown, detail=f"open: {exc.strerror}") from exc
    return path


def evaluate(launch: LaunchRequest) -> ComposeOrder | None:
    """What the composer opens with for ``launch``; None when it asks for no composer."""
    if not launch.compose:
        return None
    problems: list[GovMailError] = []
    request: ComposeRequest | None = ComposeRequest()
    if launch.mailto is not None:
        try:
            request = parse_mailto(launch.mailto)
        except MailtoError as err:
            problems.append(err)
            request = None
    files: list[Path] = []
    if len(launch.attachments) > MAX_ATTACHMENTS:
        problems.append(AttachmentFileError(
            MSG_TOO_MANY_FILES, limit=MAX_ATTACHMENTS, count=len(launch.attachments),
            hint=HINT_TOO_MANY,
        ))
    else:
        for name in launch.attachments:
            try:
                files.append(check_attachment(Path(name)))
            except AttachmentFileError as err:
                problems.append(err)
    return ComposeOrder(request, tuple(files), tuple(problems))


# -- the message between two launches ------------------------------------------------------------


def encode_launch(launch: LaunchRequest) -> bytes:
    """The framed message for ``launch`` (argv text that was not UTF-8 stays escaped)."""
    payload = json.dumps(
        {"version": MESSAGE_VERSION, "compose": launch.compose, "mailto": launch.mailto,
         "attach": list(launch.attachments)},
        ensure_ascii=True,
    ).encode("ascii")
    if len(payload) > MAX_MESSAGE_BYTES:
        raise InstanceMessageError(detail=f"message of {len(payload)} bytes")
    return _LENGTH.pack(len(payload)) + payload


def _refuse(why: str) -> InstanceMessageError:
    return InstanceMessageError(detail=why)


def decode_launch(payload: bytes) -> LaunchRequest:
    """The request in one message (without its length); :class:`InstanceMessageError` if it
    is not exactly what :func:`encode_launch` of this version writes."""
    if len(payload) > MAX_MESSAGE_BYTES:
        raise _refuse(f"{len(payload)} bytes")
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _refuse(f"not UTF-8 JSON: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise _refuse("not an object")
    if set(data) != _FIELDS:
        raise _refuse(f"fields {sorted(map(str, data))[:8]}")
    version = data["version"]
    if type(version) is not int or version != MESSAGE_VERSION:  # a bool is not a version
        raise _refuse(f"version {str(version)[:20]!r}")
    compose, mailto, attach = data["compose"], data["mailto"], data["attach"]
    if not isinstance(compose, bool):
        raise _refuse("compose is not true/false")
    if mailto is not None and (not isinstance(mailto, str) or len(mailto) > MAX_MAILTO_CHARS):
        raise _refuse("mailto is not text of the allowed length")
    if not isinstance(attach, list) or len(attach) > MAX_ATTACHMENTS:
        raise _refuse("attach is not a list of the allowed length")
    for path in attach:
        if (
            not isinstance(path, str) or not path or len(path) > MAX_PATH_CHARS or "\x00" in path
            or not os.path.isabs(path)
        ):
            raise _refuse("attach holds something other than an absolute path")
    return LaunchRequest(compose=compose, mailto=mailto, attachments=tuple(attach))


class FrameReader:
    """Cuts a byte stream into messages; refuses a length over :data:`MAX_MESSAGE_BYTES`
    as soon as it is read (nothing that large is ever buffered)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def pending(self) -> int:
        """Bytes received that do not make a whole message yet."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """The whole messages ``data`` completes (their payloads, in order)."""
        self._buffer += data
        out: list[bytes] = []
        while len(self._buffer) >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(self._buffer)
            if length > MAX_MESSAGE_BYTES:
                self._buffer.clear()
                raise _refuse(f"announced {length} bytes")
            end = _LENGTH.size + length
            if len(self._buffer) < end:
                break
            out.append(bytes(self._buffer[_LENGTH.size:end]))
            del self._buffer[:end]
        return out


__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_MESSAGE_BYTES",
    "MESSAGE_VERSION",
    "AttachmentFileError",
    "ComposeOrder",
    "FrameReader",
    "InstanceMessageError",
    "LaunchRequest",
    "check_attachment",
    "decode_launch",
    "encode_launch",
    "evaluate",
    "launch_request",
]
