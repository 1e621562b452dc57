"""sync/rows.py must write exactly what the store's own summary_row would."""

from __future__ import annotations

import base64
import email.utils
import functools
import random

import pytest

from govmail_desktop.mime.headers import MAX_VALUE_BYTES
from govmail_desktop.net.imap.fetch import SUMMARY_ROW_RE, FetchedMessage, parse_fetch
from govmail_desktop.net.imap.reader import BULK_LITERAL_MAX, ResponseReader
from govmail_desktop.store import keys
from govmail_desktop.store.message_rows import summary_row
from govmail_desktop.sync import convert, rows

NAMES = ["", "สมชาย ใจดี", "  spaced   out  ", "tab\there", "ctl\x07bell", "new\nline", "IT Helpdesk", "\u200bzero"]
SUBJECTS = [
    "", "Re: FW: งบประมาณ", "RE[2]:  ตอบกลับ: ประชุม", "  lead and trail  ", "tab\tin\tsubject",
    "bell\x07", "ideographic\u3000space", "ตอบ:ส่งต่อ: เรื่องเดิม", "x" * 300, "Fwd: Annual report",
]
IDS = ["", "<a@b>", "no-brackets@host", "<a@b> <c@d>", "junk", "<x y@z>", "  <spaced@id>  "]


def _word(text: str) -> str:
    return "=?utf-8?B?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?=" if text else ""


def random_message(rng: random.Random, uid: int) -> FetchedMessage:
    """A header-sync row with varied and hostile values (names, subjects, ids, dates)."""

    def addrs(n: int) -> str:
        return ", ".join(f"{_word(rng.choice(NAMES))} <user{rng.randrange(5)}@agency.go.th>".strip() for _ in range(n))

    lines = [
        f"From: {addrs(rng.randrange(3))}",
        f"To: {addrs(rng.randrange(4))}",
        f"Cc: {addrs(rng.randrange(2))}",
        f"Subject: {_word(rng.choice(SUBJECTS))}",
        f"Message-ID: {rng.choice(IDS)}",
        f"In-Reply-To: {rng.choice(IDS)}",
    ]
    date = rng.choice([None, email.utils.formatdate(1_700_000_000 + uid), "Mon, 31 Feb 2023 25:00:00 +0700", "junk"])
    if date:
        lines.append(f"Date: {date}")
    extra = rng.choice([
        b"",
        b"Content-Type: multipart/mixed; boundary=x\r\n",
        b"References: <r1@x>\r\n <r2@x> junk\r\nContent-Type: text/plain\r\n",
        b"References: no-brackets@x\r\n",
        b"Content-Type: application/pdf\r\n",
    ])
    block = "".join(f"{line}\r\n" for line in lines if not line.endswith(": ")).encode("ascii") + extra + b"\r\n"
    flags = rng.choice([None, (), ("\\Seen",), ("\\Flagged", "$Forwarded", "\\Recent"), ("\\SEEN", "work")])
    return FetchedMessage(
        uid, uid, flags, rng.choice([None, 1_700_000_500 + uid]), rng.choice([None, 0, 5000]), None,
        {convert.HEADER_SECTION: block},
    )


def test_rows_without_summary_items_are_flag_updates():
    new_rows, flag_only, unusable = rows.prepare(1, [FetchedMessage(1, 5, ("\\Seen",), None, None, None)])
    assert new_rows == [] and [m.uid for m in flag_only] == [5] and unusable == []

def test_written_rows_read_back_the_same(cache):
    from govmail_desktop.core.entities import Folder

    fid = cache.upsert_folders([Folder("INBOX")])["INBOX"]
    rng = random.Random(3)
    messages = [random_message(rng, uid) for uid in range(1, 200)]
    new_rows, _, unusable = rows.prepare(fid, messages)
    assert unusable == []
    rows.write(cache, fid, new_rows)
    assert sorted(cache.known_uids(fid)) == [r[1] for r in new_rows]
    for msg in messages:
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
    messages = [random_message(rng, uid) for uid in range(1, 150)]
    assert cache.insert_rows(ids["A"], rows.prepare(ids["A"], messages)[0]) == len(messages)
    cache.insert_summaries(ids["B"], convert.summaries_of(messages))
    db = cache._conn()  # reading every column back is the point
    def dump(fid):
        return [r[2:] for r in db.execute("SELECT * FROM messages WHERE folder_id=? ORDER BY uid", (fid,))]
    assert dump(ids["A"]) == dump(ids["B"]) and len(dump(ids["A"])) == len(messages)


# -- the fused path (rows.fast_row) must give the general path's rows, or step aside --------

_SECTION = convert.HEADER_SECTION.encode()
_INTERNALS = [
    b"14-Nov-2023 22:14:20 +0000", b"14-Nov-2023 22:14:59 -0730", b" 4-Nov-2023 02:14:20 +0700",
    b"14-Nov-2023 25:14:20 +0000", b"14-nov-2023 22:14:20 +0000", b"14-Xyz-2023 22:14:20 +0000",
    b"14-Nov-2023 2x:14:20 +0000", b"14-Nov-2023 -1:14:20 +0000", b"31-Feb-2023 22:14:20 +0000", b"bad",
]
_FIELD_LINES = {
    "Date": [
        b"Wed, 15 Nov 2023 05:14:20 +0700", b"Wed, 5 Nov 2023 05:14:20 +0700", b"15 Nov 2023 05:14:20 +0700",
        b"Wed, 15 Nov 23 05:14 ICT", b"Wed, 45 Nov 2023 05:14:20 +0700", b"garbage", b"",
        b"Wed, 15 Nov 2023 05:14:20 +0700 (ICT)",
    ],
    "From": [
        b"=?utf-8?Q?=E0=B8=AA=E0=B8=B3?= <user1@agency0.go.th>", b"alice@localhost", b"\"Somchai, IT\" <s@x.go.th>",
        "สมชาย ใจดี <s@x.go.th>".encode(), "สมชาย <s@x.go.th>".encode("cp874"), b"Bank <a@b.c> <evil@x.y>",
        b"\"admin@bank.example\" <evil@x.y>", b"undisclosed-recipients:;", b"", b"(comment) plain@x.go.th",
        b"=?TIS-620?B?t7TKzbo=?= <t@x.go.th>", b"bell\x07name <b@x.go.th>", b"<>", b"a@b, c@d",
    ],
    "To": [b"alice@localhost", b"a@b, \"C, D\" <c@d>", b"Group: a@b, c@d;", b"", b"=?utf-8?B?4LiB?= <k@x.go.th>"],
    "Cc": [b"=?utf-8?B?4LiB4Lit4LiH4LiB4Lil4Liy4LiH?= <central@agency.go.th>", b"", b"x@y"],
    "Subject": [
        b"Monthly report 1", b"=?utf-8?Q?=E0=B8=AA=E0=B8=B3?=", b"Re: =?TIS-620?B?t7TKzbo=?=", "ตอบ: งบ".encode(),
        "ตอบ: งบ".encode("cp874"), b"", b"  spaced   out  ", b"=?utf-8?B?4LiB?= =?utf-8?B?4LiC?=", b"tab\there",
    ],
    "Message-ID": [b"<m@x>", b"", b"<a@b> <c@d>", b"junk", b"<x\ty@z>", b"  <spaced@id>  ", b"<a\x1cb@x>", b"<\xe0@x>"],
    "In-Reply-To": [b"<p@x>", b"<a@b> (comment)", b"", b"no-brackets@x"],
    "References": [b"<a@b> <c@d>", b"<a@b>  <c@d>", b"<a@b> junk", b"no-brackets@x", b"<\xe0@b>", b""],
    "Content-Type": [
        b"text/plain; charset=utf-8", b"multipart/mixed; boundary=x", b"application/pdf", b"", b"image/png"
    ],
}
_NAME_SPELLINGS = {"Message-ID": ["Message-Id", "MESSAGE-ID"], "Cc": ["CC", "cc"], "Content-Type": ["Content-type"]}


def _random_block(rng: random.Random) -> bytes:
    lines = []
    names = list(_FIELD_LINES)
    rng.shuffle(names)
    for name in names:
        if rng.random() < 0.2:
            continue  # absent
        spelled = rng.choice(_NAME_SPELLINGS.get(name, [name])) if rng.random() < 0.1 else name
        value = rng.choice(_FIELD_LINES[name])
        if rng.random() < 0.05 and b" " in value.strip():
            value = value.strip().replace(b" ", b"\r\n ", 1)  # folded
        lines.append(spelled.encode() + b": " + value + (b" " if rng.random() < 0.05 else b""))
        if rng.random() < 0.03:
            lines.append(spelled.encode() + b": " + rng.choice(_FIELD_LINES[name]))  # the field twice
    return b"\r\n".join(lines) + b"\r\n\r\n" if lines else b"\r\n"


# The sync's section as other servers spell it (Courier quotes the field names; case and
# order may differ): the same meaning, so the same rows on both paths.
_OTHER_SPELLINGS = [
    b'BODY[HEADER.FIELDS ("DATE" "FROM" "TO" "CC" "SUBJECT" "MESSAGE-ID" "IN-REPLY-TO" "REFERENCES" "CONTENT-TYPE")]',
    b'BODY[HEADER.FIELDS ("Content-Type" References "in-reply-to" "Message-ID" Subject "Cc" To "From" "Date")]',
    b"body[header.fields (date from to cc subject message-id in-reply-to references content-type)]",
]
# Sections that mean something else: never taken as the sync's own.
_OTHER_SECTIONS = [
    b"BODY[HEADER.FIELDS (SUBJECT)]",
    b'BODY[HEADER.FIELDS ("DATE" "FROM" "TO" "CC" "SUBJECT" "MESSAGE-ID" "IN-REPLY-TO" "REFERENCES")]',
    b"BODY[HEADER.FIELDS.NOT (DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)]",
    b"BODY[HEADER]",
]


def _random_response(rng: random.Random, seq: int) -> bytes:
    block = _random_block(rng)
    section = _SECTION if rng.random() < 0.85 else rng.choice(_OTHER_SPELLINGS + _OTHER_SECTIONS)
    flags = rng.choice([b"", b"\\Seen", b"\\Seen \\Recent", b"\\Flagged $Forwarded work", b"  "])
    modseq = rng.choice([b"", b"MODSEQ (12) "])
    head = b"* %d FETCH (UID %d FLAGS (%s) INTERNALDATE \"%s\" RFC822.SIZE %d %s%s " % (
        seq, seq + 100, flags, rng.choice(_INTERNALS), rng.randrange(10000), modseq, section,
    )
    return head + b"{%d}\r\n%s)\r\n" % (len(block), block)


class _Chunks:
    def __init__(self, data: bytes, chunk: int) -> None:
        self.data, self.chunk, self.pos = data, chunk, 0

    def recv(self, max_bytes: int, timeout: float | None = None) -> bytes:
        piece = self.data[self.pos : self.pos + min(max_bytes, self.chunk)]
        self.pos += len(piece)
        return piece


def _both_paths(data: bytes, chunk: int = 4096, memo: rows.RowMemo | None = None):
    """(rows the fused path built, responses it left) and the general path's responses."""
    built: list = []
    left: list = []
    chunks = _Chunks(data, chunk)
    reader = ResponseReader(chunks)
    builder = functools.partial(rows.fast_row, memo or rows.RowMemo(), 3)
    while reader.buffered() or chunks.pos < len(data):
        left += reader.read_bulk(SUMMARY_ROW_RE, builder, built)
    general: list = []
    chunks = _Chunks(data, chunk)
    reader = ResponseReader(chunks)
    while reader.buffered() or chunks.pos < len(data):
        general += reader.read_available()
    return built, left, general


def _general_row(line: bytes, literals):
    try:
        return rows.row_of(3, parse_fetch(line, list(literals)))
    except Exception:  # the general path skips such rows
        return "skipped"


def test_fast_rows_equal_general_rows_or_step_aside():
    rng = random.Random(20261126)
    memo = rows.RowMemo(limit=300)  # one sync's memo over all the rows (its tables refill on the way)
    fast_taken = 0
    for seq in range(1, 6000):
        data = _random_response(rng, seq)
        built, left, general = _both_paths(data, memo=memo)
        assert len(general) == 1
        if built:
            fast_taken += 1
            assert built == [_general_row(*general[0])], data
            assert left == []
        else:
            assert left == general  # stepped aside: the response is handed on untouched
    assert fast_taken > 5000  # the shortcut really is taken for the sync's own rows


def test_general_rows_are_the_summary_rows():
    rng = random.Random(5)
    for seq in range(1, 2000):
        (line, literals), = _both_paths(_random_response(rng, seq))[2]
        msg = parse_fetch(line, list(literals))
        summary = convert.summary_of(msg)
        assert rows.row_of(3, msg) == (summary_row(3, summary) if summary else None)


def test_fast_rows_on_the_bench_layout_with_repeats():
    # Same days, senders and subjects again and again: the memoised parts must not leak across rows.
    rng = random.Random(7)
    stream = []
    for seq in range(1, 3000):
        block = (
            b"From: =?utf-8?Q?=E0=B8=AA?= <user%d@agency.go.th>\r\nTo: alice@localhost\r\n"
            b"Subject: =?utf-8?Q?=E0=B8=81?= %d\r\nDate: Wed, %02d Nov 2023 %02d:%02d:%02d +0700\r\n"
            b"Message-ID: <%d.1@agency.go.th>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            % (seq % 7, seq % 11, rng.randrange(10, 29), rng.randrange(24), rng.randrange(60), rng.randrange(60), seq)
        )
        stream.append(
            b'* %d FETCH (UID %d FLAGS (\\Seen) INTERNALDATE "%02d-Nov-2023 %02d:%02d:%02d +0000" RFC822.SIZE 5 '
            b"%s {%d}\r\n%s)\r\n"
            % (seq, seq, rng.randrange(1, 29), rng.randrange(24), rng.randrange(60), rng.randrange(61), _SECTION,
               len(block), block)
        )
    built, left, general = _both_paths(b"".join(stream), chunk=1000)  # rows cut at every chunk edge
    assert left == []
    assert built == [_general_row(line, literals) for line, literals in general]


def test_a_huge_header_field_is_read_only_in_part_and_hides_nothing_after_it():
    refs = b" ".join(b"<%d@x>" % i for i in range(200_000))  # ~2 MB of References
    block = b"References: " + refs + b"\r\nSubject: big\r\n\r\n"
    line = b'* 1 FETCH (UID 5 FLAGS () INTERNALDATE "14-Nov-2023 22:14:20 +0000" RFC822.SIZE 9 %s {%d})' % (
        _SECTION, len(block),
    )
    row = rows.row_of(3, parse_fetch(line, [block]))
    assert row[7] == "big"
    assert 0 < len(row.refs) <= MAX_VALUE_BYTES
    assert BULK_LITERAL_MAX <= MAX_VALUE_BYTES  # the fused path never sees a value that would be cut


@pytest.mark.parametrize("section", _OTHER_SPELLINGS)
def test_other_spellings_of_the_section_take_the_fused_path(section):
    block = b"Subject: =?utf-8?Q?=E0=B8=81?=\r\nFrom: a@b\r\n\r\n"
    data = b'* 1 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE "14-Nov-2023 22:14:20 +0000" RFC822.SIZE 9 %s {%d}\r\n%s)\r\n'
    data %= (section, len(block), block)
    built, left, general = _both_paths(data)
    if section.startswith(b"BODY["):  # as SUMMARY_ROW_RE spells the item (servers do)
        assert left == [] and built == [_general_row(*general[0])]
    else:  # another case of the item name: the general path, which must not drop it
        assert built == [] and left == general
    row = _general_row(*general[0])
    plain = _general_row(*_both_paths(data.replace(section, _SECTION))[2][0])
    assert row == plain and row[1] == 5 and row[7] == "ก"


@pytest.mark.parametrize(
    "name, same",
    [
        (convert.HEADER_SECTION, True),
        (convert.HEADER_SECTION.lower(), True),
        (convert.HEADER_SECTION.replace("BODY[", "BODY.PEEK["), True),
        (_OTHER_SPELLINGS[0].decode(), True),
        (_OTHER_SPELLINGS[1].decode(), True),
        (_OTHER_SPELLINGS[1].decode().upper(), True),  # the general parser's key (upper case)
        (
            (
                'BODY[HEADER.FIELDS ( "DATE" "DATE" "FROM" "TO" "CC" "SUBJECT" "MESSAGE-ID" "IN-REPLY-TO" "REFERENCES"'
                ' "CONTENT-TYPE")]'
            ),
            True,
        ),
        # planted: not the sync's section
        *((s.decode(), False) for s in _OTHER_SECTIONS),
        (convert.HEADER_SECTION + "<0>", False),
        (convert.HEADER_SECTION.replace("BODY[", "BODY[1."), False),
        (convert.HEADER_SECTION.replace("(DATE", '(DATE "X)"'), False),
        (convert.HEADER_SECTION.replace("(DATE", "((DATE"), False),
        ("BODY[HEADER.FIELDS ({4}", False),
        ("", False),
    ],
)
def test_section_names_compare_by_meaning(name, same):
    assert (convert.section_key(name) == convert.HEADER_SECTION_KEY) is same
    block = b"Subject: s\r\n\r\n"
    assert convert.header_block({name: block}) == (block if same else None)
