"""BODYSTRUCTURE parser (net/imap/bodystructure.py): the grammar, IMAP part numbers,
Thai file names, and hostile answers (deep nesting, huge counts, malformed) refused
with a clear BodyStructureError."""

from __future__ import annotations

import pytest

from govmail_desktop.net.imap import bodystructure as bs
from govmail_desktop.net.imap.bodystructure import BodyStructureError, parse_bodystructure_bytes
from govmail_desktop.net.imap.fetch import parse_fetch

# A multipart/mixed with an alternative (plain + html), a PDF with a Thai RFC 2231 name
# split in continuations, and an attached message that is itself multipart.
NESTED = (
    b'(((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "BASE64" 1200 16 NIL NIL NIL NIL)'
    b'("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 3400 40 NIL NIL NIL NIL)'
    b' "ALTERNATIVE" ("BOUNDARY" "alt") NIL NIL NIL)'
    b'("IMAGE" "PNG" ("NAME" "logo.png") "<logo@x>" NIL "BASE64" 5000 NIL ("INLINE" NIL) NIL NIL)'
    b' "RELATED" ("BOUNDARY" "rel") NIL NIL NIL)'
    b'("APPLICATION" "PDF" ("NAME" "x.pdf") NIL NIL "BASE64" 6990000 NIL'
    b' ("ATTACHMENT" ("FILENAME*0*" "utf-8\'\'%E0%B8%AB%E0%B8%99%E0%B8%B1"'
    b' "FILENAME*1*" "%E0%B8%87%E0%B8%AA%E0%B8%B7%E0%B8%AD.pdf"))'
    b' NIL NIL)'
    b'("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 900'
    b' (NIL "Fwd" (("A" NIL "a" "x.th")) NIL NIL NIL NIL NIL NIL NIL)'
    b' (("TEXT" "PLAIN" ("CHARSET" "tis-620") NIL NIL "8BIT" 20 2 NIL NIL NIL NIL)'
    b'("APPLICATION" "OCTET-STREAM" NIL NIL NIL "BASE64" 300 NIL ("ATTACHMENT" ("FILENAME" "a.bin")) NIL NIL)'
    b' "MIXED" ("BOUNDARY" "in") NIL NIL NIL)'
    b' 30 NIL ("ATTACHMENT" ("FILENAME" "fwd.eml")) NIL NIL)'
    b' "MIXED" ("BOUNDARY" "top") NIL NIL NIL)'
)


def test_nested_multipart_numbers_types_sizes_and_extension_fields():
    root = parse_bodystructure_bytes(NESTED)
    assert root.part == "" and root.content_type == "multipart/mixed" and root.param("boundary") == "top"
    numbers = [(p.part, p.content_type) for p in root.walk()]
    assert numbers == [
        ("", "multipart/mixed"),
        ("1", "multipart/related"),
        ("1.1", "multipart/alternative"),
        ("1.1.1", "text/plain"),
        ("1.1.2", "text/html"),
        ("1.2", "image/png"),
        ("2", "application/pdf"),
        ("3", "message/rfc822"),
        ("3", "multipart/mixed"),  # the attached message's own multipart body
        ("3.1", "text/plain"),
        ("3.2", "application/octet-stream"),
    ]
    plain = root.find("1.1.1")
    assert plain is not None and plain.encoding == "base64" and plain.size == 1200 and plain.lines == 16
    image = root.find("1.2")
    assert image is not None and image.content_id == "<logo@x>" and image.disposition == "inline"
    pdf = root.find("2")
    assert pdf is not None and pdf.size == 6990000 and pdf.disposition == "attachment"
    attached = root.find("3")
    assert attached is not None and attached.is_message and attached.lines == 30
    assert attached.filename == "fwd.eml"
    assert root.find("3.2").filename == "a.bin"
    assert root.find("9") is None


def test_thai_rfc2231_name_with_continuations_is_decoded():
    pdf = parse_bodystructure_bytes(NESTED).find("2")
    assert pdf is not None and pdf.filename == "หนังสือ.pdf"


def test_thai_names_in_tis620_rfc2231_rfc2047_and_raw_literal():
    tis = (b'("APPLICATION" "PDF" NIL NIL NIL "BASE64" 10 NIL'
           b' ("ATTACHMENT" ("FILENAME*" "tis-620\'\'%CB%B9%D1%A7%CA%D7%CD.pdf")) NIL NIL)')
    assert parse_bodystructure_bytes(tis).filename == "หนังสือ.pdf"
    words = (b'("APPLICATION" "PDF" ("NAME" "=?UTF-8?B?4Lir4LiZ4Lix4LiH4Liq4Li34LitLnBkZg==?=")'
             b' NIL NIL "BASE64" 10 NIL NIL NIL NIL)')
    assert parse_bodystructure_bytes(words).filename == "หนังสือ.pdf"
    raw = "หนังสือ.pdf".encode()
    literal = b'("APPLICATION" "PDF" NIL NIL NIL "BASE64" 10 NIL ("ATTACHMENT" ("FILENAME" {%d})) NIL NIL)' % len(raw)
    assert parse_bodystructure_bytes(literal, [raw]).filename == "หนังสือ.pdf"


def test_single_part_message_is_part_one_and_text_has_lines():
    root = parse_bodystructure_bytes(b'("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "8BIT" 42 3)')
    assert (root.part, root.content_type, root.size, root.lines, root.encoding) == ("1", "text/plain", 42, 3, "8bit")
    assert root.disposition is None and root.children == ()


def test_attached_message_with_single_body_numbers_it_dot_one():
    data = (
        b'(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)'
        b'("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 200 (NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL)'
        b' ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1 NIL NIL NIL NIL) 8 NIL NIL NIL NIL) "MIXED")'
    )
    root = parse_bodystructure_bytes(data)
    assert [p.part for p in root.walk()] == ["", "1", "2", "2.1"]


def test_bodystructure_from_a_fetch_response_as_the_wire_parses_it():
    line = b"* 1 FETCH (UID 7 RFC822.SIZE 6000000 BODYSTRUCTURE " + NESTED + b")"
    message = parse_fetch(line)
    assert message.extra is not None
    root = bs.parse_bodystructure(message.extra["BODYSTRUCTURE"])
    assert root.find("2").size == 6990000


def _deep(levels: int) -> bytes:
    leaf = b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1)'
    return b"(" * levels + leaf + b' "MIXED")' * levels


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_deep(bs.MAX_DEPTH + 5), "deeper"),
        (_deep(100_000), "deeper"),
        (b"(" + b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1)' * (bs.MAX_PARTS + 1) + b' "MIXED")', "more than"),
        (b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" "big" 1)', "size is not a number"),
        (b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1)', "line count"),
        (b'("TEXT" "PLAIN" NIL NIL)', "fields"),
        (b'("TEXT" "PLAIN" ("CHARSET") NIL NIL "7BIT" 1 1)', "parameter"),
        (b'("TEXT" "PLAIN" (' + b'"A" "B" ' * (bs.MAX_PARAMS + 1) + b') NIL NIL "7BIT" 1 1)', "parameters"),
        (b'(("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1))', "subtype"),
        (b"()", "not a body"),
        (b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1', "not a list"),
        (b'NIL', "not a body"),
        (b'("TEXT" ("X") NIL NIL NIL "7BIT" 1 1)', "not a string"),
        (b'("TEXT" "PLAIN" NIL NIL NIL "7BIT" 99999999999999999999 1)', "size is not a number"),
    ],
    ids=["deep", "very-deep", "huge-count", "size-word", "no-lines", "short", "odd-params",
         "many-params", "no-subtype", "empty", "unbalanced", "nil", "type-list", "huge-size"],
)
def test_hostile_or_malformed_structures_give_a_clear_error(data, reason):
    with pytest.raises(BodyStructureError) as caught:
        parse_bodystructure_bytes(data)
    assert reason in str(caught.value)


def test_limits_are_not_hit_by_an_ordinary_big_message():
    parts = b'("APPLICATION" "PDF" NIL NIL NIL "BASE64" 100 NIL NIL NIL NIL)' * 200
    root = parse_bodystructure_bytes(b"(" + parts + b' "MIXED")')
    assert len(root.children) == 200 and root.children[-1].part == "200"
