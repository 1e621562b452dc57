"""What ``govmail-admin inspect`` finds in one message (pure: no printing, no disk).

* :func:`not_a_message` — the test that a file is no e-mail message at all (exit 2):

  - ``empty``: no bytes, or only blanks and line breaks;
  - ``binary``: the header block (the first :data:`SNIFF_BYTES` bytes up to the first
    empty line) holds a control byte no header has: ``0x00``–``0x08``, ``0x0E``–``0x1A``,
    ``0x1C``–``0x1F`` (tab, line breaks, form feed and ESC are allowed: raw ISO-2022-JP
    headers use ESC);
  - ``no-header``: the file does not begin with a header block — its first line (after
    an optional mbox ``From `` line) is not a header field ``Name: value`` (a name of
    printable ASCII without ``:``), or the header block holds none of the fields of a
    message (:data:`MESSAGE_FIELDS`: From, To, Subject, Date, Message-ID, Received,
    MIME-Version, Content-Type …).

* :func:`inspect_message` — everything else, read by the app's own code: the one parser
  (:func:`mime.parse.parse_message`) for the decoded header, addresses, text and its
  warnings; :func:`mime.mime_tree.mime_tree` for the MIME structure; the policy's
  attachment rules (:class:`policy.attachments.AttachmentRules`) and the parser's
  deceptive-name rule for every named part.

Findings (each makes the exit code 1): ``sender`` (who sent it may be forged),
``link`` (a link leads somewhere else than it says), ``remote`` (remote content the
app would block), ``attachment`` (a dangerous or deceptive file), ``structure`` (the
message is so large or deep that not all of it could be examined).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg
from govmail_desktop.mime.header_text import decode_words
from govmail_desktop.mime.headers import FIELD_RE, header_section
from govmail_desktop.mime.html_view import LinkRef, plain_links, render_html
from govmail_desktop.mime.links import assess_link
from govmail_desktop.mime.mime_tree import MimeNode, mime_tree
from govmail_desktop.mime.parse import MAX_PARSE_BYTES, ParsedMessage, deceptive_name, parse_message
from govmail_desktop.mime.preview_warnings import (
    SENDER_WARNINGS,
    W_ATTACHMENT_NAME,
    W_TOO_DEEP,
    W_TOO_MANY_PARTS,
    W_TRUNCATED,
    warning_text,
)
from govmail_desktop.mime.sender_checks import with_sender_checks
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.policy.sources import EffectivePolicy

#: Bytes of the file looked at to decide whether it is a message at all.
SNIFF_BYTES = 64 * 1024
#: Bytes of the file read: what the parser looks at, plus one to know that it was cut.
READ_BYTES = MAX_PARSE_BYTES + 1

NOT_EMPTY = "empty"
NOT_BINARY = "binary"
NOT_HEADER = "no-header"

#: Fields of which at least one must be in the header block of a message.
MESSAGE_FIELDS = frozenset(
    {
        "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to",
        "references", "received", "return-path", "delivered-to", "mime-version", "content-type",
        "resent-from", "resent-date", "resent-message-id",
    }
)

_BLANKS = b" \t\r\n"
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_FIELD_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
_MBOX_FROM = re.compile(rb"^From [^\r\n]*\r?\n")

NOT_A_MESSAGE_TEXT: dict[str, Msg] = {
    NOT_EMPTY: QT_TRANSLATE_NOOP("AdminInspect", "the file is empty."),
    NOT_BINARY: QT_TRANSLATE_NOOP(
        "AdminInspect", "the file is binary (its beginning holds control bytes no message header has)."
    ),
    NOT_HEADER: QT_TRANSLATE_NOOP(
        "AdminInspect", "the file does not begin with the header of a message (From:, To:, Subject:, Date: …)."
    ),
}


def not_a_message(raw: bytes) -> str | None:
    """``empty`` / ``binary`` / ``no-header`` when ``raw`` is not a message; None when it is one."""
    head = raw[:SNIFF_BYTES]
    if not head.strip(_BLANKS) and not raw[SNIFF_BYTES:].strip(_BLANKS):
        return NOT_EMPTY
    mbox = _MBOX_FROM.match(head)
    if mbox is not None:
        head = head[mbox.end():]
    block = header_section(head)
    if _BINARY.search(block if block else head.split(b"\n", 1)[0]):
        return NOT_BINARY
    if not block or _FIELD_LINE.match(block) is None:
        return NOT_HEADER
    names = set()
    for line in block.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            continue
        match = _FIELD_LINE.match(line)
        if match is None:
            break  # the parser ends the header here
        names.add(match.group(1).decode("ascii").lower())
    return None if names & MESSAGE_FIELDS else NOT_HEADER


# -- findings -----------------------------------------------------------------------------------

SENDER = "sender"
LINK = "link"
REMOTE = "remote"
ATTACHMENT = "attachment"
STRUCTURE = "structure"

#: Findings are listed in this order of categories.
CATEGORIES = (SENDER, LINK, REMOTE, ATTACHMENT, STRUCTURE)
_STRUCTURE_WARNINGS = (W_TRUNCATED, W_TOO_DEEP, W_TOO_MANY_PARTS)

REMOTE_CONTENT = "remote-content"
_REMOTE_TEXT = QT_TRANSLATE_NOOP(
    "AdminInspect",
    "{count} remote image(s) or other remote content: the app blocks them by default; loading them tells "
    "the sender that the message was opened, and from where.",
)
TREE_INCOMPLETE = "mime-tree-incomplete"
_TREE_INCOMPLETE_TEXT = QT_TRANSLATE_NOOP(
    "AdminInspect", "The message has too many parts or is nested too deeply; not all of its structure is shown."
)


@dataclass(frozen=True)
class Finding:
    """One thing flagged. ``text`` is in the language of the run."""

    category: str
    code: str
    text: str
    part: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"category": self.category, "code": self.code, "text": self.text, "part": self.part}


@dataclass(frozen=True)
class LinkEntry:
    """One link of the message: where it leads, what it shows, and the verdict on it."""

    href: str
    text: str
    kind: str = "ok"
    destination: str = ""
    warning: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"href": self.href, "text": self.text, "kind": self.kind, "destination": self.destination,
                "warning": self.warning or None}


@dataclass
class InspectReport:
    """What ``inspect`` shows of one message."""

    parsed: ParsedMessage
    headers: list[tuple[str, str]]
    tree: MimeNode | None
    remote: tuple[str, ...] = ()
    links: list[LinkEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    truncated: bool = False

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


def decoded_headers(raw: bytes) -> list[tuple[str, str]]:
    """Every field of the top header block, in order, its value decoded (RFC 2047 words,
    8-bit text as UTF-8 or cp874) with folding undone."""
    out: list[tuple[str, str]] = []
    for name, value in FIELD_RE.findall(header_section(raw)):
        text = decode_words(value.decode("ascii", "surrogateescape"))
        out.append((name.decode("ascii"), " ".join(text.split())))
    return out


def _attachment_findings(tree: MimeNode | None, parsed: ParsedMessage, rules: AttachmentRules) -> list[Finding]:
    named = [(n.part or "1", n.filename) for n in tree.walk() if n.filename] if tree is not None else [
        (a.part, a.filename) for a in parsed.attachments if a.filename
    ]
    findings: list[Finding] = []
    for part, name in named:
        found = rules.check_name(name)
        findings += [Finding(ATTACHMENT, f.code, f.text(), part) for f in found]
        if not found and deceptive_name(name):
            findings.append(Finding(ATTACHMENT, W_ATTACHMENT_NAME, warning_text(W_ATTACHMENT_NAME).text(), part))
    return findings


def _links(found: tuple[LinkRef, ...], policy: EffectivePolicy) -> list[LinkEntry]:
    """Each link once (the formatted view's, then the plain text's), judged as the viewer judges it."""
    seen: dict[tuple[str, str], None] = {}
    for link in found:
        seen.setdefault((link.href, link.text), None)
    known = policy.policy.recipients.internal_domains
    entries = []
    for href, text in seen:
        verdict = assess_link(href, text, known)
        warning = verdict.reason.text() if verdict.risky and verdict.reason is not None else ""
        entries.append(LinkEntry(href, text, verdict.kind, verdict.destination, warning))
    return entries


def inspect_message(raw: bytes, policy: EffectivePolicy) -> InspectReport:
    """Take ``raw`` apart (call :func:`not_a_message` first). Never raises on hostile input."""
    truncated = len(raw) > MAX_PARSE_BYTES
    raw = raw[:MAX_PARSE_BYTES]
    # The preview's own sender checks, with the policy's internal domains (one call, as the preview makes it).
    parsed = with_sender_checks(parse_message(raw), policy.policy.recipients.internal_domains)
    tree = mime_tree(raw)
    findings = [Finding(SENDER, code, warning_text(code).text()) for code in parsed.warnings
                if code in SENDER_WARNINGS]
    safe = render_html(parsed.html, cid_parts=dict(parsed.inline_parts)) if parsed.html else None
    remote = safe.remote if safe is not None else ()
    links = _links((safe.links if safe is not None else ()) + plain_links(parsed.text), policy)
    findings += [Finding(LINK, link.kind, link.warning) for link in links if link.warning]
    if remote:
        findings.append(Finding(REMOTE, REMOTE_CONTENT, _REMOTE_TEXT.format(count=len(remote)).text()))
    findings += _attachment_findings(tree.root, parsed, policy.attachment_rules())
    findings += [Finding(STRUCTURE, code, warning_text(code).text()) for code in parsed.warnings
                 if code in _STRUCTURE_WARNINGS]
    if tree.incomplete and not any(f.category == STRUCTURE for f in findings):
        findings.append(Finding(STRUCTURE, TREE_INCOMPLETE, _TREE_INCOMPLETE_TEXT.text()))
    findings.sort(key=lambda f: CATEGORIES.index(f.category))
    return InspectReport(
        parsed=parsed, headers=decoded_headers(raw), tree=tree.root, remote=remote, links=links,
        findings=findings, truncated=truncated or parsed.truncated,
    )


__all__ = [
    "CATEGORIES",
    "Finding",
    "InspectReport",
    "LinkEntry",
    "NOT_A_MESSAGE_TEXT",
    "inspect_message",
    "not_a_message",
]
