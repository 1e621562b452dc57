"""sync/rows.py must write exactly what the store's own summary_row would."""

from __future__ import annotations

import random

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

def test_written_rows_read_back_the_same(cache):
    from govmail_desktop.core.entities import Folder

    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    rng = random.Random(3)
    messages = [random_message(rng, uid) for uid in range(1, 200)]
    new_rows, _ = rows.prepare(fid, messages)
    rows.write(cache, fid, new_rows)
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

def test_insert_rows_stores_what_insert_summaries_stores(cache):
    """The public bulk API and the entity API leave identical rows (all columns)."""
    from govmail_desktop.core.entities import Folder

    ids = cache.upsert_folders([Folder("A"), Folder("B")])
    rng = random.Random(5)
    messages = [m for m in (random_message(rng, uid) for uid in range(1, 150)) if m.envelope is not None]
    assert cache.insert_rows(ids["A"], rows.prepare(ids["A"], messages)[0]) == len(messages)
    cache.insert_summaries(ids["B"], convert.summaries_of(messages))
    db = cache._conn()  # noqa: SLF001 - reading every column back is the point
    def dump(fid):
        return [r[2:] for r in db.execute("SELECT * FROM messages WHERE folder_id=? ORDER BY uid", (fid,))]
    assert dump(ids["A"]) == dump(ids["B"]) and len(dump(ids["A"])) == len(messages)
