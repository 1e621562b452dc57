"""The message list and the preview show the same subject, sender and date.

Every message of tests/data and of the public corpora (tests/corpora.py) is synced
through the app's own ``ImapWire`` and ``FolderSync`` from a server that answers as
Dovecot does (``CourierWire`` with the field names echoed as asked), into a real
cache; each cached row's subject, sender columns and date must be what
``mime.parse_message`` gives for the same message, put in the list's one-line form
(``store.keys``). Both row paths run: the fused one (the rows in the common layout)
and the general one (the items in another order).
"""

from __future__ import annotations

import email.header
from pathlib import Path

import pytest

from govmail_desktop.mime import parse_message
from govmail_desktop.net.imap.client import ImapWire
from govmail_desktop.store import keys
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync import rows
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from tests.corpora import corpus_id, corpus_messages, require_corpora
from tests.unit.mime.test_parse import split_mbox
from tests.unit.sync.fake_server import COURIER_CAPS
from tests.unit.sync.test_courier import CourierWire

DATA = Path(__file__).resolve().parents[2] / "data"
LAYOUTS = ["uid-first", "flags-first"]  # the fused row path, the general one
OPTIONS = SyncOptions(first_batch=50, growth=4, max_chunk=400, write_batch=200)

OUTLOOK_QP = b"".join(b"=%02X" % b for b in b"\x93\xc3\xe8\xd2\xa7\x94\x85")  # windows-874: “ร่าง”…

#: The disagreements the issue names, and the ones the corpora showed, as messages.
ISSUE_CASES = {
    "latin1-windows-quotes": b"From: a@agency.go.th\r\nSubject: =?iso-8859-1?Q?caf=E9_=93quoted=94?=\r\n"
    b"Date: Wed, 15 Nov 2023 05:14:20 +0700\r\n\r\nbody\r\n",
    "tis-620-0-outlook-quotes": b"From: =?tis-620-0?Q?" + OUTLOOK_QP + b"?= <a@agency.go.th>\r\n"
    b"Subject: =?tis-620-0?Q?" + OUTLOOK_QP + b"?=\r\nDate: Wed, 15 Nov 2023 05:14:20 +0700\r\n\r\nbody\r\n",
    "date-minus-0000": b"From: a@agency.go.th\r\nSubject: s\r\nDate: Wed, 15 Nov 2023 05:14:20 -0000\r\n\r\nbody\r\n",
    "date-zone-name-ICT": b"From: a@agency.go.th\r\nSubject: s\r\nDate: Wed, 15 Nov 2023 12:14:20 ICT\r\n\r\nbody\r\n",
    "date-folded": b"From: a@agency.go.th\r\nSubject: s\r\nDate: Wed, 15 Nov 2023\r\n 12:14:20 +0700\r\n\r\nbody\r\n",
    "two-from-fields": b"From: boss@agency.go.th\r\nSubject: s\r\nFrom: =?utf-8?B?4Liq4Lih4LiK4Liy4Lii?= "
    b"<x@evil.example>\r\nDate: Wed, 15 Nov 2023 05:14:20 +0700\r\n\r\nbody\r\n",
    "broken-first-line": b"Fro :m Sender <s@agency.go.th>\r\nFrom: s@agency.go.th\r\nSubject: still read\r\n"
    b"Date: Wed, 15 Nov 2023 05:14:20 +0700\r\n\r\nbody\r\n",
    "huge-field-before-subject": b"From: a@agency.go.th\r\nTo: "
    + b",\r\n\t".join(b"=?utf-8?Q?n=3E%d?= <u%d@agency.go.th>" % (i, i) for i in range(4000))
    + b"\r\nSubject: after the big field\r\nDate: Wed, 15 Nov 2023 05:14:20 +0700\r\n\r\nbody\r\n",
    "8bit-thai-subject": "Subject: ตอบ: งบประมาณ\r\nFrom: สมชาย <s@agency.go.th>\r\n\r\nbody\r\n".encode("cp874"),
}


def _data_messages() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(DATA.glob("*.eml"))]


def _corpus_messages() -> list[tuple[str, bytes]]:
    out = []
    for path in corpus_messages():
        data = path.read_bytes()
        for n, raw in enumerate(split_mbox(data) if path.suffix == ".mbox" else [data]):
            out.append((f"{corpus_id(path)}#{n}", raw))
    return out


def _synced_rows(tmp_path: Path, messages: list[tuple[str, bytes]], layout: str) -> dict[int, tuple]:
    """{uid: (subject, subject_key, from_display, sender_key, from_addrs, date)} as the cache holds
    them (the sort keys as the list sorts by them: the virtual sort columns)."""
    cache = MailCache(tmp_path / f"{layout}.sqlite3")
    try:
        wire = ImapWire(
            CourierWire([(raw, ()) for _, raw in messages], quoted=False, layout=layout),
            host="imap.agency.go.th",
            capabilities=COURIER_CAPS,
        )
        result = FolderSync(wire, cache, None, None, OPTIONS).run("INBOX")
        assert (result.fetched, result.skipped) == (len(messages), 0)
        db = cache._conn()  # the stored columns, as they are
        return {
            uid: rest
            for uid, *rest in db.execute(
                "SELECT uid, subject, subject_sort, from_display, sender_sort, from_addrs, date FROM messages"
            )
        }
    finally:
        cache.close()


def _previewed(raw: bytes) -> list:
    parsed = parse_message(raw)
    date = int(parsed.date.timestamp()) if parsed.date is not None else None
    subject = keys.one_line(parsed.subject)
    return [
        subject, keys.subject_sort_key(subject), keys.display_of(parsed.from_), keys.sender_sort_key(parsed.from_),
        keys.pack_addresses(parsed.from_), date,
    ]


def _disagreements(tmp_path: Path, messages: list[tuple[str, bytes]], layout: str) -> list[str]:
    stored = _synced_rows(tmp_path, messages, layout)
    columns = ("subject", "subject_key", "from_display", "sender_key", "from_addrs", "date")
    found = []
    for uid, (name, raw) in enumerate(messages, 1):
        listed, shown = stored[uid], _previewed(raw)
        for column, a, b in zip(columns, listed, shown, strict=True):
            if a != b:
                found.append(f"{name}: {column}: list {a!r} != preview {b!r}")
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_issues_cases_show_the_same_in_the_list_and_the_preview(tmp_path, layout):
    assert _disagreements(tmp_path, list(ISSUE_CASES.items()), layout) == []
    parsed = {name: parse_message(raw) for name, raw in ISSUE_CASES.items()}
    assert parsed["latin1-windows-quotes"].subject == "café “quoted”"
    assert parsed["tis-620-0-outlook-quotes"].subject == "“ร่าง”…"
    assert parsed["date-minus-0000"].date is not None and parsed["date-zone-name-ICT"].date is not None
    assert [a.email for a in parsed["two-from-fields"].from_] == ["boss@agency.go.th", "x@evil.example"]
    assert parsed["broken-first-line"].subject == "still read"
    assert parsed["huge-field-before-subject"].subject == "after the big field"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_sample_message_shows_the_same_in_the_list_and_the_preview(tmp_path, layout):
    messages = _data_messages()
    assert len(messages) == 14
    assert _disagreements(tmp_path, messages, layout) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_corpus_message_shows_the_same_in_the_list_and_the_preview(tmp_path, layout):
    require_corpora()
    messages = _corpus_messages()
    assert len(messages) > 300
    assert _disagreements(tmp_path, messages, layout) == []


def test_a_list_that_decodes_otherwise_is_caught(tmp_path, monkeypatch):
    """Planted: the fused path decoding subjects as the preview used to (Latin-1 as ISO
    8859-1 proper, C1 controls where Windows has quotes) must be reported."""

    def old_decode(value, limit=None):
        return str(email.header.make_header(email.header.decode_header(value.decode("ascii"))))

    monkeypatch.setattr(rows, "decode_header", old_decode)
    name = "latin1-windows-quotes"
    found = _disagreements(tmp_path, [(name, ISSUE_CASES[name])], "uid-first")
    assert len(found) == 2 and all(line.startswith(f"{name}: subject") for line in found), found
