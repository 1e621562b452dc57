"""What the fuzzer feeds bytes to, what each may raise, and where its seeds come from.

Each :class:`Target` takes arbitrary bytes. A target must never raise anything but the
exceptions its callers in the app catch (``allowed``): everything else is a crash.
The seeds are real inputs — the sample mail of ``tests/data``, every message of the
public corpora (found by :mod:`tests.corpora`), the policy files
of the tests and the hostile ones, IMAP responses — cut to :data:`SEED_BYTES` each so
that a mutation stays cheap.

Used by ``tools/fuzz.py`` (``make fuzz``: minutes per target) and by
``tests/fuzz/test_fuzz_slice.py`` (a short, derandomised slice in the normal suite).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tests.corpora import REPO_ROOT, corpus_messages

DATA = REPO_ROOT / "tests" / "data"
CRASHES = Path(__file__).resolve().parent / "crashes"
#: Bytes of one seed used (the mutations are what matters; a 2 MB seed makes each run slow).
SEED_BYTES = 64 * 1024


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[bytes], Any]
    seeds: Callable[[], list[bytes]]
    #: Exceptions the app's callers catch for this input (anything else is a crash).
    allowed: tuple[type[BaseException], ...] = ()
    needs_qt: bool = False
    about: str = ""


# -- seeds ------------------------------------------------------------------------------------------


def _cut(items: list[bytes]) -> list[bytes]:
    seen: dict[bytes, None] = {}
    for item in items:
        seen.setdefault(item[:SEED_BYTES], None)
    return list(seen)


@cache
def message_seeds() -> list[bytes]:
    """tests/data (every .eml below it) and the corpora's messages."""
    paths = sorted(DATA.rglob("*.eml")) + corpus_messages()
    return _cut([p.read_bytes() for p in paths])


@cache
def html_seeds() -> list[bytes]:
    """The HTML of the messages (as the parser gives it to the formatted view) and the
    trick samples under tests/data/html."""
    from govmail_desktop.mime.parse import parse_message

    found = [p.read_bytes() for p in sorted((DATA / "html").glob("*"))] if (DATA / "html").is_dir() else []
    for raw in message_seeds():
        html = parse_message(raw).html
        if html:
            found.append(html.encode("utf-8", "surrogatepass"))
    return _cut(found)


@cache
def policy_seeds() -> list[bytes]:
    from govmail_desktop.policy.defaults import default_policy_data
    from tests.hostile_policies import hostile_corpus

    files = [p.read_bytes() for p in sorted((DATA / "policy").glob("*.json"))]
    files.append(json.dumps(default_policy_data(), ensure_ascii=False).encode("utf-8"))
    files += list(hostile_corpus().values())
    return _cut(files)


IMAP_SEEDS = [
    b"* OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE IDLE CONDSTORE QRESYNC] Dovecot ready.\r\n",
    (b'* LIST (\\HasNoChildren \\Sent) "/" "Sent"\r\n'
     b'* LIST (\\HasChildren) "/" {9}\r\n\xe0\xb8\x87\xe0\xb8\xb2\xe0\xb8\x99\r\nA1 OK done\r\n'),
    b'* STATUS "INBOX" (MESSAGES 12 UIDNEXT 40 UIDVALIDITY 1700000000 UNSEEN 3 HIGHESTMODSEQ 77)\r\n',
    (b"* 1 FETCH (UID 7 FLAGS (\\Seen) RFC822.SIZE 1234 INTERNALDATE \"12-Jan-2026 09:15:00 +0700\" "
    b"BODY[HEADER.FIELDS (FROM SUBJECT DATE)] {62}\r\nFrom: a@b.go.th\r\nSubject: =?UTF-8?B?4LiB?=\r\n"
    b"Date: x\r\n\r\n)\r\nA2 OK FETCH done\r\n"),
    b"* 2 FETCH (UID 8 MODSEQ (90) BODY[] {24}\r\nSubject: x\r\n\r\nhello\r\n\r\n)\r\n",
    (b'* 3 FETCH (UID 9 BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "TIS-620") NIL NIL "8BIT" 120 4 NIL NIL NIL)'
    b'("APPLICATION" "PDF" ("NAME" "a.pdf") NIL NIL "BASE64" 5000 NIL ("ATTACHMENT" ("FILENAME*" '
    b"\"utf-8''%E0%B8%81.pdf\")) NIL) \"MIXED\" (\"BOUNDARY\" \"b\") NIL NIL))\r\n"),
    b"* ESEARCH (TAG \"A4\") UID ALL 1:3,7,9:12 COUNT 8\r\n* SEARCH 1 2 3 (MODSEQ 55)\r\n",
    b"* VANISHED (EARLIER) 1:5,9\r\n* 4 EXPUNGE\r\n* 12 EXISTS\r\n* 1 RECENT\r\n",
    b"* BYE going away\r\n",
]

BODYSTRUCTURE_SEEDS = [
    b'("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 1200 30 NIL NIL NIL NIL)',
    (b'(("TEXT" "PLAIN" ("CHARSET" "TIS-620") NIL NIL "8BIT" 120 4 NIL NIL NIL)("APPLICATION" "PDF" '
    b'("NAME" "=?UTF-8?B?4Lir4LiZ4Lix4LiH4Liq4Li34LitLnBkZg==?=") NIL NIL "BASE64" 5000 NIL '
    b"(\"ATTACHMENT\" (\"FILENAME*0*\" \"utf-8''%E0%B8%AB\" \"FILENAME*1*\" \".pdf\")) NIL) \"MIXED\" "
    b'("BOUNDARY" "b") NIL NIL)'),
    (b'("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 500 ("Mon, 12 Jan 2026 09:15:00 +0700" "x" NIL NIL NIL NIL '
    b'NIL NIL NIL "<a@b>") ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL) 20 NIL NIL NIL)'),
]


# -- runners --------------------------------------------------------------------------------------------


def run_parse(data: bytes) -> None:
    from govmail_desktop.mime.mime_tree import mime_tree
    from govmail_desktop.mime.parse import parse_message

    parsed = parse_message(data)
    for attachment in parsed.attachments:
        _ = attachment.display_name
    _ = parsed.markings
    mime_tree(data)


def run_render(data: bytes) -> None:
    from govmail_desktop.mime.html_view import plain_links, render_html

    text = data.decode("utf-8", "replace")
    safe = render_html(text, cid_parts={"x@y": "2"})
    assert "<script" not in safe.html.lower(), "a script survived the cleaner"
    plain_links(text)


def run_inspect(data: bytes) -> None:
    from govmail_desktop.admin.inspect_report import inspect_message, not_a_message

    if not_a_message(data) is None:
        inspect_message(data, _default_policy())


@cache
def _default_policy() -> Any:
    from govmail_desktop.policy.sources import default_effective_policy

    return default_effective_policy()


_POLICY_DIR: list[str] = []


def run_policy(data: bytes) -> None:
    from govmail_desktop.policy.sources import load_policy_file, validate_file

    if not _POLICY_DIR:
        _POLICY_DIR.append(tempfile.mkdtemp(prefix="govmail-fuzz-policy-"))
        atexit.register(shutil.rmtree, _POLICY_DIR[0], True)
    path = os.path.join(_POLICY_DIR[0], "policy.json")
    with open(path, "wb") as out:
        out.write(data)
    validate_file(path)
    effective = load_policy_file(path)
    effective.as_json()
    if effective.ok:
        effective.attachment_rules().check_name("a.pdf.exe")


class _Chunks:
    """A transport that hands over ``data`` in pieces, then the end of the stream."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.pos = data, size, 0

    def send(self, data: bytes) -> None:
        pass

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        chunk = self.data[self.pos : self.pos + min(max_bytes, self.size)]
        self.pos += len(chunk)
        return chunk

    def close(self) -> None:
        pass


def run_imap(data: bytes) -> None:
    from govmail_desktop.net.imap.fetch import parse_fetch
    from govmail_desktop.net.imap.grammar import ParseError
    from govmail_desktop.net.imap.reader import ResponseReader, TooMuchData
    from govmail_desktop.net.imap.responses import parse_esearch, parse_list, parse_search, parse_status

    size = 1 + (data[0] % 97 if data else 0)  # small pieces split lines and literals anywhere
    reader = ResponseReader(_Chunks(data, size), timeout=None)
    while True:
        try:
            line, literals = reader.read_response()
        except (EOFError, TooMuchData, ParseError):
            return
        head = line[:12].upper()
        # What the client catches around each parser (net/imap/client.py).
        try:
            if head.startswith((b"* LIST ", b"* XLIST ", b"* LSUB ")):
                parse_list(line, literals)
            elif head.startswith(b"* STATUS "):
                parse_status(line, literals)
            elif line[:2] == b"* " and b" FETCH (" in line[:32]:
                parse_fetch(line, literals)
        except (ParseError, ValueError, IndexError, TypeError):
            pass
        try:
            if head.startswith(b"* ESEARCH "):
                parse_esearch(line)
            elif head.startswith(b"* SEARCH "):
                parse_search(line)
        except (ParseError, ValueError):
            pass


def run_bodystructure(data: bytes) -> None:
    from govmail_desktop.net.imap.bodystructure import parse_bodystructure_bytes

    root = parse_bodystructure_bytes(data)
    for part in root.walk():
        _ = part.part


_VIEW: list[Any] = []


def run_viewer(data: bytes) -> None:
    """The message as the preview shows it: parsed, cleaned, laid out and painted offscreen."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from govmail_desktop.mime.html_view import render_html
    from govmail_desktop.mime.parse import parse_message
    from govmail_desktop.ui.message_view import MessageView

    if not _VIEW:
        view = MessageView()
        view.resize(480, 320)
        _VIEW.append(view)
    view = _VIEW[0]
    parsed = parse_message(data)
    if parsed.html:
        view.show_html(render_html(parsed.html, cid_parts=dict(parsed.inline_parts)), dict(parsed.inline_images))
    else:
        view.show_plain(parsed.text)
    view.document().documentLayout().documentSize()
    view.grab()
    # Each message gets a new document and the old one is deleteLater()'d: the app's event loop
    # deletes it, a fuzzing loop has none (2 GB after ~10,000 inputs, reported as out of memory).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def close_viewer() -> None:
    """Drop the viewer the ``viewer`` target keeps between examples (no widget outlives a test)."""
    while _VIEW:
        view = _VIEW.pop()
        view.close()
        view.deleteLater()


@cache
def search_seeds() -> list[bytes]:
    """The queries of docs/search.md (every `code` span) and a few of the app's own."""
    import re

    doc = (REPO_ROOT / "docs" / "search.md").read_text(encoding="utf-8")
    found = [m.encode("utf-8") for m in re.findall(r"`([^`\n]+)`", doc)]
    found += [
        'from:somchai subject:"ประชุม งบ" -is:read has:attachment after:1/10/2568 before:1/11/2568',
        "folder:Projects/งบ date:ต.ค.2568 is:urgent -from:noreply ขอเชิญ",
        "to:helpdesk cc:x@y.go.th date:๑/๑๐/๒๕๖๘ in:INBOX is:secret “วาระ ๑”",
        'date:"1 ตุลาคม 2568" after:Oct2025 before:2025-10 -"ขอเชิญ" FROM:a@b',
    ]
    return _cut([q.encode("utf-8") if isinstance(q, str) else q for q in found])


_SEARCH: list[Any] = []


def _search_world() -> Any:
    """One account's cache and search index with a few messages (built once per process)."""
    if not _SEARCH:
        from govmail_desktop.core.entities import Address, Folder, MessageSummary
        from govmail_desktop.search.engine import AccountSource, SearchEngine
        from govmail_desktop.search.index import SearchIndex
        from govmail_desktop.search.indexer import Indexer
        from govmail_desktop.store.cache import MailCache

        folder = Path(tempfile.mkdtemp(prefix="govmail-fuzz-search-"))
        atexit.register(shutil.rmtree, folder, True)
        cache = MailCache(folder / "cache.sqlite3")
        ids = cache.upsert_folders([Folder("INBOX"), Folder("Projects/งบ")])
        sender = Address("สมชาย ใจดี", "somchai@moi.go.th")
        for uid, (name, subject) in enumerate([("INBOX", "ขอเชิญประชุม งบ 2569"), ("Projects/งบ", "Re: วาระ ๑")], 1):
            when = 1_759_300_000 + uid * 86_400
            cache.insert_summaries(ids[name], [MessageSummary(
                uid=uid, flags=frozenset({"\\Seen"} if uid == 1 else set()), internaldate=when, date=when,
                subject=subject, from_=(sender,), to=(), has_attachments=uid == 2)])
            cache.put_part(ids[name], uid, "", f"Subject: {subject}\r\n\r\nที่ มท 0808.2/ว 1234\r\n".encode())
        index = SearchIndex(folder / "search.sqlite3", cache_path=cache.path)
        indexer = Indexer("acct", cache, index)
        indexer.run_pending()
        _SEARCH.append(SearchEngine([AccountSource.of_cache("acct", cache, index)]))
    return _SEARCH[0]


def run_search(data: bytes) -> None:
    """What the search box does with the text typed: parse it, search the local index, build
    the server's UID SEARCH (criteria and the command with its literals)."""
    import datetime

    from govmail_desktop.net.imap.client import _search_parts
    from govmail_desktop.search.fold import fold
    from govmail_desktop.search.imap_criteria import criteria_for, needs_server, text_forms
    from govmail_desktop.search.query import QueryError, TextTerm, parse_query

    text = data.decode("utf-8", "replace")
    try:
        query = parse_query(text, today=datetime.date(2026, 1, 15))
    except QueryError as error:
        assert 0 <= error.position <= len(text), "the error's position is outside the query"
        return
    for term in query.terms:
        if isinstance(term, TextTerm):
            fold(term.text)
            text_forms(term.text)
    criteria = criteria_for(query)
    needs_server(query)
    _search_parts(criteria.keys)
    _search_world().search(query, limit=50)


def _bodystructure_allowed() -> tuple[type[BaseException], ...]:
    from govmail_desktop.net.imap.grammar import ParseError

    return (ParseError,)


def targets() -> dict[str, Target]:
    return {
        t.name: t
        for t in (
            Target("parse", run_parse, message_seeds, about="mime.parse.parse_message + mime.mime_tree"),
            Target("render", run_render, html_seeds, about="mime.html_view.render_html (nh3) + plain_links"),
            Target("inspect", run_inspect, message_seeds, about="govmail-admin inspect (admin.inspect_report)"),
            Target("viewer", run_viewer, message_seeds, needs_qt=True,
                   about="ui.message_view.MessageView offscreen: show_html/show_plain, layout, paint"),
            Target("policy", run_policy, policy_seeds, about="policy.sources validate_file / load_policy_file"),
            Target("imap", run_imap, lambda: list(IMAP_SEEDS),
                   about="net.imap.reader.ResponseReader + FETCH/LIST/STATUS/SEARCH parsers"),
            Target("bodystructure", run_bodystructure, lambda: list(BODYSTRUCTURE_SEEDS),
                   allowed=_bodystructure_allowed(), about="net.imap.bodystructure.parse_bodystructure_bytes"),
            Target("search", run_search, search_seeds,
                   about="search.query.parse_query + imap_criteria + the UID SEARCH command + SearchEngine.search"),
        )
    }


def crash_files(target: str | None = None) -> list[Path]:
    """Kept crashing inputs: ``tests/fuzz/crashes/<target>-<digest>.bin``."""
    if not CRASHES.is_dir():
        return []
    return sorted(p for p in CRASHES.glob("*.bin") if target is None or p.name.split("-", 1)[0] == target)
