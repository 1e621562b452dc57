"""The one table of invisible characters covers every format character this Python knows,
and every user of it (attachment names, sender names, file names from subjects) sees them."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from govmail_desktop.core.hidden_chars import HIDDEN_CHARS, HIDDEN_RE
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.policy.attachments import BIDI_AND_HIDDEN, real_extension, safe_display_name

#: Found missing from the attachment check before the table was shared.
ONCE_MISSED = ["\u00ad", "\u200c", "\u200d", "\u180e", "\u2061", "\u2062", "\u2063", "\u2064", "\U000e0041"]


def test_every_format_character_is_in_the_table():
    missing = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
               if unicodedata.category(chr(code)) == "Cf" and chr(code) not in HIDDEN_CHARS]
    assert missing == []


def test_the_regex_and_the_set_agree():
    for code in range(0x30000):
        assert bool(HIDDEN_RE.fullmatch(chr(code))) == (chr(code) in HIDDEN_CHARS), hex(code)
    assert HIDDEN_RE.fullmatch("\U000e0041")


@pytest.mark.parametrize("char", ONCE_MISSED, ids=[f"U+{ord(c):04X}" for c in ONCE_MISSED])
def test_a_file_name_made_from_a_subject_loses_it(char):
    from govmail_desktop.mime.reply import _file_stem

    assert _file_stem(f"Re: รายงาน{char}ประจำปี") == "รายงาน ประจำปี"


def test_thai_letters_marks_and_digits_are_not_hidden():
    for code in range(0x0E01, 0x0E5C):
        assert chr(code) not in HIDDEN_CHARS


@pytest.mark.parametrize("char", ONCE_MISSED, ids=[f"U+{ord(c):04X}" for c in ONCE_MISSED])
def test_an_attachment_name_hiding_this_character_is_flagged_and_shown(char):
    name = f"invoice{char}.pdf.exe"
    assert char in BIDI_AND_HIDDEN
    assert f"<U+{ord(char):04X}>" in safe_display_name(name)
    assert real_extension(name) == ".exe"


@pytest.mark.parametrize("char", ONCE_MISSED, ids=[f"U+{ord(c):04X}" for c in ONCE_MISSED])
def test_a_sender_name_hiding_this_character_loses_it(char):
    parsed = parse_addresses([f'"สมชาย{char} ใจดี" <somchai@agency.go.th>'])
    assert parsed.addresses[0].name == "สมชาย ใจดี"
