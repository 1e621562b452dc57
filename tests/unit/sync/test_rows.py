"""sync/rows.py must write exactly what the store's own summary_row would."""

from __future__ import annotations

import random

import pytest

from govmail_desktop.net.imap_wire import Address, Envelope, FetchedMessage, parse_fetch
from govmail_desktop.store import keys
from govmail_desktop.store.cache import summary_row
from govmail_desktop.sync import convert, rows

NAMES = ["", "สมชาย ใจดี", "  spaced   out  ", "tab\there", "ctl\x07bell", "new\nline", "IT Helpdesk", "\u200bzero"]
SUBJECTS = [
    "", "Re: FW: งบประมาณ", "RE[2]:  ตอบกลับ: ประชุม", "  lead and trail  ", "tab\tin\tsubject",
    "bell\x07", "ideographic\u3000space", "ตอบ:ส่งต่อ: เรื่องเดิม", "x" * 300, "Fwd: Annual report",
]
IDS = ["", "<a@b>", "no-brackets@host", "<a@b> <c@d>", "junk", "<x y@z>", "  <spaced@id>  "]


def random_message(rng: random.Random, uid: int) -> FetchedMessage:
    def addrs(n: int) -> tuple[Address, ...]:
        return tuple(Address(rng.choice(NAMES), f"user{rng.randrange(5)}", "agency.go.th") for _ in range(n))

    envelope = Envelope(
        rng.choice([None, 1_700_000_000 + uid]),
        rng.choice(SUBJECTS),
        addrs(rng.randrange(3)),
        (),
        (),
        addrs(rng.randrange(4)),
        addrs(rng.randrange(2)),
        (),
        rng.choice(IDS),
        rng.choice(IDS),
    )
    header = rng.choice([
        None,
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n",
        b"References: <r1@x>\r\n <r2@x> junk\r\nContent-Type: text/plain\r\n\r\n",
        b"References: no-brackets@x\r\n\r\n",
        b"Content-Type: application/pdf\r\n\r\n",
    ])
    flags = rng.choice([None, (), ("\\Seen",), ("\\Flagged", "$Forwarded", "\\Recent"), ("\\SEEN", "work")])
    return FetchedMessage(
        uid, uid, flags, rng.choice([None, 1_700_000_500 + uid]), rng.choice([None, 0, 5000]), None, envelope,
        {convert.HEADER_SECTION: header} if header else None,
    )


def test_rows_equal_summary_row_on_varied_and_hostile_input():
    rng = random.Random(20260101)
    messages = [random_message(rng, uid) for uid in range(1, 3000)]
    messages.append(parse_fetch(
        b'* 1 FETCH (UID 9 FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 '
        b'ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700" "=?TIS-620?B?t7TKzbo=?=" (("=?utf-8?Q?=E0=B8=81?=" NIL "a" "b"))'
        b' NIL NIL ((NIL NIL "g" NIL)(NIL NIL "x" "y")(NIL NIL NIL NIL)) NIL NIL "<p@x>" "<m@x>"))'
    ))
    for msg in messages:
        assert rows.row_of(7, msg) == summary_row(7, convert.summary_of(msg)), msg


def test_rows_without_envelope_are_flag_updates():
    new_rows, flag_only = rows.prepare(1, [FetchedMessage(1, 5, ("\\Seen",), None, None, None, None)])
    assert new_rows == [] and [m.uid for m in flag_only] == [5]


class PublicOnly:
    """A cache seen only through its public API (as if the store's internals changed)."""

    def __init__(self, cache):
        self._cache = cache

    def insert_summaries(self, folder_id, summaries):
        return self._cache.insert_summaries(folder_id, summaries)


@pytest.mark.parametrize("public_only", [False, True], ids=["fast", "fallback"])
def test_written_rows_read_back_the_same(cache, public_only):
    from govmail_desktop.core.entities import Folder

    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    rng = random.Random(3)
    messages = [random_message(rng, uid) for uid in range(1, 200)]
    new_rows, _ = rows.prepare(fid, messages)
    rows.write(PublicOnly(cache) if public_only else cache, fid, new_rows, messages)
    assert sorted(cache.known_uids(fid)) == [r[1] for r in new_rows]
    for msg in messages:
        if msg.envelope is None:
            continue
        row = summary_row(fid, convert.summary_of(msg))
        got = cache.summary(fid, msg.uid)
        assert (got.subject, got.message_id, got.in_reply_to, " ".join(got.references)) == (
            row[7], row[14], row[15], row[16]
        )
        assert keys.pack_addresses(got.from_) == row[11] and got.has_attachments == bool(row[18])
