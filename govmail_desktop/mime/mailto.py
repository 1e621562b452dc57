"""``mailto:`` links (RFC 6068) → what the composer may be opened with, and nothing more.

A link comes from anywhere (a web page, a document, another program), so it is
read as untrusted input (links that attach local files, "Mailto: Me Your Secrets", 2020):

* **Only** ``to``, ``cc``, ``bcc``, ``subject``, ``body`` and ``in-reply-to`` are
  honoured. Every other header field (``attach``, ``attachment``, ``file``,
  ``from``, ``reply-to``, ``references``, ``x-*``, ...) is ignored and its name
  listed in :attr:`ComposeRequest.ignored`, so the composer can say so. Nothing
  here can attach a file or send: the request only fills the composer.
* Percent escapes are decoded as UTF-8, as RFC 6068 requires. A broken escape
  (``%4``, ``%ZZ``) or bytes that are not UTF-8 make the whole link refused with
  :class:`MailtoError` rather than guessed at: a guessed legacy charset would put
  garbled text into an official letter without anyone noticing.
* ``+`` is a plus sign, not a space (RFC 6068 section 5).
* Header names are case-insensitive; ``to`` in the path and in ``to=`` fields
  (and repeated ``cc=``/``bcc=``) are joined. An address named twice is kept
  once, in the first of To, Cc, Bcc that names it.
* The subject is one line: line breaks become a space and other control
  characters (NUL included) are removed. The body keeps its line breaks as
  ``\\n`` (CRLF and CR become ``\\n``) and tabs, and loses other control
  characters. ``in-reply-to`` is kept only when it is one ``<id@host>``. Each
  field changed that way is named in :attr:`ComposeRequest.cleaned`.
* Addresses are split by the one address parser (:func:`mime.addresses.parse_addresses`);
  internationalised addresses are kept as written (look-alike domains in punycode,
  as everywhere else). More than :data:`mime.addresses.MAX_ADDRESSES` in one field, or
  a field longer than the parser reads, is refused rather than cut, so no
  recipient is silently dropped or cut in two.
* The link is at most :data:`MAX_MAILTO_CHARS` long.

Nothing here touches Qt, the disk or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govmail_desktop.core.entities import Address
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime.addresses import MAX_ADDRESSES, parse_addresses
from govmail_desktop.mime.charsets import MAX_HEADER_CHARS

#: Longest link accepted (characters); browsers cut far earlier, so this is generous.
MAX_MAILTO_CHARS = 64 * 1024

ADDRESS_FIELDS = ("to", "cc", "bcc")
#: Everything a mailto: link may set; nothing else (attach, from, ...) is honoured.
HONOURED_FIELDS = (*ADDRESS_FIELDS, "subject", "body", "in-reply-to")

MSG_NOT_MAILTO = QT_TRANSLATE_NOOP("Mailto", "This is not an e-mail link (it does not start with mailto:).")
MSG_TOO_LONG = QT_TRANSLATE_NOOP("Mailto", "The e-mail link is too long (more than {limit} characters).")
MSG_BAD_ESCAPE = QT_TRANSLATE_NOOP("Mailto", "The e-mail link is damaged: it contains an invalid % code.")
MSG_NOT_UTF8 = QT_TRANSLATE_NOOP(
    "Mailto", "The e-mail link is damaged: its text is not in the UTF-8 encoding that links must use."
)
MSG_TOO_MANY = QT_TRANSLATE_NOOP("Mailto", "The e-mail link names more than {limit} recipients in one field.")
MSG_LIST_TOO_LONG = QT_TRANSLATE_NOOP("Mailto", "The e-mail link's list of recipients is too long.")
HINT_LINK = QT_TRANSLATE_NOOP(
    "Mailto", "No message was opened from it. Please ask whoever made the link for a correct one."
)
#: For the composer: what a link asked for and did not get.
MSG_IGNORED = QT_TRANSLATE_NOOP(
    "Mailto", "The e-mail link also asked for {fields}; links may not set that, so it was ignored."
)

_HEX = frozenset("0123456789abcdefABCDEF")
#: Control characters (C0, DEL, C1).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n]+")
#: One msg-id: printable ASCII without spaces or angle brackets around an "@".
_MSG_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
_MAX_MSG_ID = 998
#: At most this many ignored names are listed, each at most this long (the notice stays readable).
_MAX_IGNORED = 20
_MAX_IGNORED_NAME = 40


class MailtoError(GovMailError):
    """A mailto: link that cannot be read; nothing is opened from it."""

    code = "mailto-invalid"
    default_message = MSG_BAD_ESCAPE
    default_hint = HINT_LINK


@dataclass(frozen=True)
class ComposeRequest:
    """What a mailto: link fills into a new message. Never files, never a send."""

    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    subject: str = ""
    body: str = ""
    in_reply_to: str = ""
    #: Header field names the link gave that are not honoured, lower case, each once.
    ignored: tuple[str, ...] = ()
    #: Honoured fields whose value lost line breaks or control characters, or was dropped.
    cleaned: tuple[str, ...] = ()

    def ignored_notice(self) -> Msg | None:
        """The sentence telling the user what was ignored, or None if nothing was."""
        if not self.ignored:
            return None
        return MSG_IGNORED.format(fields=", ".join(self.ignored))


def _percent_decode(text: str) -> str:
    """RFC 3986 percent-decoding of one component; the result must be UTF-8."""
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or not set(pair) <= _HEX:
                raise MailtoError(MSG_BAD_ESCAPE, detail=f"bad escape at offset {i}")
            out.append(int(pair, 16))
            i += 3
            continue
        j = text.find("%", i)
        chunk = text[i:] if j < 0 else text[i:j]
        try:
            # Raw (unescaped) text as a desktop passes an IRI; undecodable argv bytes
            # arrive as surrogate escapes and are turned back into those bytes.
            out += chunk.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError as exc:
            raise MailtoError(MSG_NOT_UTF8, detail="lone surrogate") from exc
        i += len(chunk)
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MailtoError(MSG_NOT_UTF8, detail=f"not UTF-8 at byte {exc.start}") from exc


def parse_mailto(uri: str) -> ComposeRequest:
    """The compose request a ``mailto:`` link asks for.

    Raises :class:`MailtoError` (code ``mailto-invalid``) for a link that is not
    ``mailto:``, longer than :data:`MAX_MAILTO_CHARS`, has a broken percent escape
    or non-UTF-8 text, or names too many recipients (or too long a list) in one field.
    """
    if len(uri) > MAX_MAILTO_CHARS:
        raise MailtoError(MSG_TOO_LONG.format(limit=MAX_MAILTO_CHARS), detail=f"{len(uri)} characters")
    text = uri.strip()
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() != "mailto":
        raise MailtoError(MSG_NOT_MAILTO, detail="scheme is not mailto")
    rest = rest.partition("#")[0]  # a fragment means nothing in a mailto: link (RFC 6068 section 2)
    path, _, query = rest.partition("?")

    address_values: dict[str, list[str]] = {name: [] for name in ADDRESS_FIELDS}
    if path:
        address_values["to"].append(_percent_decode(path))
    single: dict[str, str] = {}
    ignored: list[str] = []
    for hfield in query.split("&"):
        if not hfield:
            continue
        raw_name, _, raw_value = hfield.partition("=")
        name = _percent_decode(raw_name).strip().lower()
        value = _percent_decode(raw_value)
        if name in address_values:
            address_values[name].append(value)
        elif name in HONOURED_FIELDS and name not in single:
            single[name] = value
        else:
            # Not honoured, or a second subject/body/in-reply-to: the first one counts.
            shown = _CONTROL.sub("", name)[:_MAX_IGNORED_NAME] or "?"
            if shown not in ignored and len(ignored) < _MAX_IGNORED:
                ignored.append(shown)

    cleaned: list[str] = []
    addresses = _addresses(address_values, cleaned)
    subject = single.get("subject", "")
    one_line = _CONTROL.sub("", _LINE_BREAKS.sub(" ", subject))
    if one_line != subject:
        cleaned.append("subject")
    raw_body = single.get("body", "")
    body = _BODY_CONTROL.sub("", raw_body.replace("\r\n", "\n").replace("\r", "\n"))
    if body != raw_body.replace("\r\n", "\n").replace("\r", "\n"):
        cleaned.append("body")
    raw_reply = single.get("in-reply-to", "")
    in_reply_to = raw_reply.strip()
    if in_reply_to and (len(in_reply_to) > _MAX_MSG_ID or not _MSG_ID.fullmatch(in_reply_to)):
        in_reply_to = ""
        cleaned.append("in-reply-to")
    return ComposeRequest(
        to=addresses["to"],
        cc=addresses["cc"],
        bcc=addresses["bcc"],
        subject=one_line,
        body=body,
        in_reply_to=in_reply_to,
        ignored=tuple(ignored),
        cleaned=tuple(cleaned),
    )


def _addresses(values: dict[str, list[str]], cleaned: list[str]) -> dict[str, tuple[Address, ...]]:
    """Each address field parsed; an address already in an earlier field (To, Cc, Bcc) dropped."""
    seen: set[str] = set()
    result: dict[str, tuple[Address, ...]] = {}
    for name in ADDRESS_FIELDS:
        raw = values[name]
        # A line break in an address field must not start a header of its own.
        flat = [_CONTROL.sub("", _LINE_BREAKS.sub(" ", v)) for v in raw]
        if flat != raw:
            cleaned.append(name)
        if any(len(v) > MAX_HEADER_CHARS for v in flat):
            # The parser would cut it, maybe inside an address: refused instead.
            raise MailtoError(MSG_LIST_TOO_LONG, detail=f"{name}: over {MAX_HEADER_CHARS} characters")
        parsed = parse_addresses(flat)
        if parsed.total > len(parsed.addresses):
            raise MailtoError(
                MSG_TOO_MANY.format(limit=MAX_ADDRESSES), detail=f"{name}: {parsed.total} addresses"
            )
        kept: list[Address] = []
        for address in parsed.addresses:
            key = address.email.casefold()
            if not key or key in seen:
                continue
            seen.add(key)
            kept.append(address)
        result[name] = tuple(kept)
    return result
