"""mime.charsets: the one header decoder (charset table, RFC 2047/2231, folding) that the
message list and the preview share; the preview reads headers as the list does."""

from __future__ import annotations

import base64

import pytest

from govmail_desktop.mime import charsets as C
from govmail_desktop.mime import parse_message

THAI = "ร่างคำสั่ง"
THAI_CP874 = THAI.encode("cp874")
OUTLOOK = b"\x93\xc3\xe8\xd2\xa7\x94\x85"  # windows-874 bytes Outlook labels tis-620: “ร่าง”…

THAI_LABELS = [
    "tis-620", "TIS-620", "tis620", "tis_620", "tis-620-0", "TIS620-0", "tis-620-2533", "tis620.2533-0",
    "x-tis-620", "csTIS620", "iso-ir-166", "iso-8859-11", "ISO_8859-11", "iso8859-11", "iso885911",
    "iso-8859-11:2001", "windows-874", "WINDOWS-874", "x-windows-874", "windows874", "cp874", "x-cp874",
    "ms874", "ibm874", "x-ibm874", "IBM-874", "dos-874", "874", '"tis-620"', "tis-620*th", " tis-620 ",
]


@pytest.mark.parametrize("label", THAI_LABELS)
def test_every_thai_label_is_read_as_cp874(label):
    assert C.codec_for(label) == "cp874"
    assert C.decode_bytes(OUTLOOK, label) == "“ร่าง”…"
    assert C.decode_bytes(OUTLOOK, label.encode()) == "“ร่าง”…"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("iso-8859-1", "cp1252"), ("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("l1", "cp1252"),
        ("iso_8859-1:1987", "cp1252"), ("iso-8859-9", "cp1254"), ("latin5", "cp1254"),
        ("gb2312", "gb18030"), ("ks_c_5601-1987", "cp949"), ("euc-kr", "cp949"), ("shift_jis", "cp932"),
        ("utf8", "utf-8"), ("UTF-8", "utf-8"), ("iso-8859-2", "iso8859-2"), ("koi8-r", "koi8-r"),
    ],
)
def test_iso_labels_are_read_with_the_superset_browsers_use(label, codec):
    assert C.codec_for(label) == codec


def test_latin1_label_keeps_windows_quotes():
    assert C.decode_bytes(b"caf\xe9 \x93quoted\x94", "iso-8859-1") == "café “quoted”"


@pytest.mark.parametrize("label", [None, "", "us-ascii", "unknown-8bit", "x-unknown", "no-such-charset", "base64",
                                   "base64_codec", "rot13", "zlib"])
def test_labels_that_say_nothing_or_are_no_charset_leave_the_bytes_to_the_guess(label):
    assert C.codec_for(label) is None
    assert C.decode_bytes(THAI.encode("utf-8"), label) == THAI  # valid UTF-8
    assert C.decode_bytes(THAI_CP874, label) == THAI  # not UTF-8: Thai Windows


# -- RFC 2047 ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"=?iso-8859-1?Q?caf=E9_=93quoted=94?=", "=?iso-8859-1?Q?caf=E9_=93quoted=94?="])
def test_the_issue_example_decodes_with_windows_quotes(raw):
    assert C.decode_header(raw) == "café “quoted”"


@pytest.mark.parametrize("label", ["TIS-620", "tis620", "windows-874", "x-windows-874", "ISO-8859-11", "TIS-620*th"])
def test_thai_words_in_either_encoding(label):
    assert C.decode_header(f"=?{label}?B?{base64.b64encode(THAI_CP874).decode()}?=".encode()) == THAI
    assert C.decode_header(f"=?{label}?Q?{''.join(f'={b:02X}' for b in THAI_CP874)}?=".encode()) == THAI


def test_outlook_quotes_under_tis620_0_are_kept():
    qp = "".join(f"={b:02X}" for b in OUTLOOK)
    assert C.decode_header(f"=?tis-620-0?Q?{qp}?=") == "“ร่าง”…"
    assert C.decode_header(f"=?TIS-620?B?{base64.b64encode(OUTLOOK).decode()}?=".encode()) == "“ร่าง”…"


def test_words_split_inside_a_character_are_joined_and_blanks_between_words_dropped():
    data = "หนังสือราชการ".encode()
    raw = b"=?UTF-8?B?" + base64.b64encode(data[:5]) + b"?=\r\n =?UTF-8?B?" + base64.b64encode(data[5:]) + b"?="
    assert C.decode_header(raw) == "หนังสือราชการ"
    assert C.decode_header(raw.decode()) == "หนังสือราชการ"
    assert C.decode_header(b"Re: =?utf-8?Q?a?= =?utf-8?Q?b?= and =?utf-8?Q?c_d?=") == "Re: ab and c d"


def test_raw_8bit_between_words_is_guessed_for_bytes_and_for_parsed_strings():
    raw = THAI_CP874 + b" =?utf-8?Q?x?="
    assert C.decode_header(raw) == THAI + " x"
    assert C.decode_header(raw.decode("ascii", "surrogateescape")) == THAI + " x"  # as the email package keeps it
    assert C.decode_header(THAI + " =?utf-8?Q?x?=") == THAI + " x"  # real text stays text


def test_broken_words_never_raise_and_are_kept():
    assert C.decode_header(b"=?utf-8?B?QUJDR?=") == "=?utf-8?B?QUJDR?="  # 5 data characters: not base64
    assert C.decode_header(b"=?no-such-charset?Q?abc?=") == "abc"
    assert C.decode_header(b"=?base64?Q?abc?=") == "abc"  # a codec that is not a charset: guessed
    assert C.decode_header(b"=?utf-8?Q?line=0D=0Abreak?=") == "line\r\nbreak"  # the display removes controls
    assert C.decode_header(b"folded\r\n line") == "folded line"
    assert C.decode_header(None) == "" and C.decode_header(b"") == ""


# -- folding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folded", "unfolded"),
    [("a\r\n b", "a b"), ("a\n\t b", "a b"), ("a\r\n  \t b", "a b"), ("plain", "plain"), ("a \r\n b", "a  b")],
)
def test_unfold_is_one_function_for_bytes_and_text(folded, unfolded):
    assert C.unfold(folded) == unfolded
    assert C.unfold(folded.encode()) == unfolded.encode()


# -- RFC 2231 -----------------------------------------------------------------------------


def test_rfc2231_values_use_the_same_charset_table():
    # What email.message.Message.get_param gives for filename*=tis-620''%93%A1%94.pdf
    assert C.decode_param(("tis-620", "", "\x93\xa1\x94.pdf")) == "“ก”.pdf"
    assert C.decode_param(("iso-8859-1", "en", "\x93x\x94")) == "“x”"
    assert C.decode_param((None, None, THAI.encode().decode("latin-1"))) == THAI  # no charset: guessed
    assert C.decode_param("=?utf-8?B?" + base64.b64encode(THAI.encode()).decode() + "?=.pdf") == THAI + ".pdf"
    assert C.decode_param(None) == ""


# -- the preview reads headers as the list does ------------------------------------------


def _message(*headers: bytes, body: bytes = b"text\r\n") -> bytes:
    return b"From: a@agency.go.th\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


def test_preview_subject_in_latin1_has_windows_quotes():
    parsed = parse_message(_message(b"Subject: =?iso-8859-1?Q?caf=E9_=93quoted=94?="))
    assert parsed.subject == "café “quoted”"


def test_preview_subject_labelled_tis620_0_keeps_outlook_quotes():
    qp = "".join(f"={b:02X}" for b in OUTLOOK).encode()
    parsed = parse_message(_message(b"Subject: =?tis-620-0?Q?" + qp + b"?="))
    assert parsed.subject == "“ร่าง”…"


def test_preview_attachment_name_in_rfc2231_with_a_thai_label_keeps_outlook_quotes():
    raw = (
        b"From: a@agency.go.th\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=tis-620''%93%A1%94.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n"
    )
    names = [a.filename for a in parse_message(raw).attachments]
    assert names == ["“ก”.pdf"]
