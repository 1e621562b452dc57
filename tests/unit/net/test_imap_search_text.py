"""UID SEARCH with the user's text in it (ImapWire.uid_search_text): quoting, literals for
Thai, LITERAL+ and synchronising literals, ESEARCH and plain SEARCH, BADCHARSET, and no
way for the user's text to become protocol."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmail_desktop.net.imap.client import ImapCommandError, ImapWire, SearchCharsetRefused
from tests.unit.net.test_imap_wire import ScriptedTransport

PLAIN = ("IMAP4rev1",)
ZIMBRA = ("IMAP4rev1", "ESEARCH", "LITERAL+", "UIDPLUS", "CONDSTORE", "QRESYNC")


def wire_with(server: bytes, caps=PLAIN) -> tuple[ImapWire, ScriptedTransport]:
    transport = ScriptedTransport(server, chunk=5)
    return ImapWire(transport, host="mail.go.th", capabilities=caps), transport


def sent(transport: ScriptedTransport) -> bytes:
    return b"".join(transport.sent)


def test_ascii_text_is_quoted_with_escapes():
    wire, t = wire_with(b"* SEARCH 3 9\r\nW1 OK done\r\n")
    found = wire.uid_search_text([b"FROM", 'a"b\\c', b"SUBJECT", "{5}"])
    assert found.numbers() == [3, 9] and found.matched == 2
    assert sent(t) == b'W1 UID SEARCH CHARSET UTF-8 FROM "a\\"b\\\\c" SUBJECT "{5}"\r\n'


def test_thai_goes_as_a_synchronising_literal_without_literal_plus():
    thai = "งบประมาณ"
    data = thai.encode("utf-8")
    wire, t = wire_with(b"+ Ready for literal\r\n* SEARCH 7\r\nW1 OK done\r\n")
    assert wire.uid_search_text([b"NOT", b"TEXT", thai, b"SEEN"]).numbers() == [7]
    assert t.sent[0] == b"W1 UID SEARCH CHARSET UTF-8 NOT TEXT {%d}\r\n" % len(data)
    assert t.sent[1] == data + b" SEEN\r\n"


def test_thai_goes_as_a_non_synchronising_literal_with_literal_plus_and_esearch():
    thai = "ที่ มท 0808"
    data = thai.encode("utf-8")
    wire, t = wire_with(b'* ESEARCH (TAG "W1") UID ALL 4:6,10 COUNT 4\r\nW1 OK done\r\n', caps=ZIMBRA)
    found = wire.uid_search_text([b"(", b"SUBJECT", thai, b"FROM", "ณ", b")"])
    assert found.numbers() == [4, 5, 6, 10] and found.matched == 4
    ln = len("ณ".encode())
    assert sent(t) == (
        b"W1 UID SEARCH RETURN (ALL COUNT) CHARSET UTF-8 (SUBJECT {%d+}\r\n" % len(data)
        + data + b" FROM {%d+}\r\n" % ln + "ณ".encode() + b")\r\n"
    )


def test_without_charset():
    wire, t = wire_with(b"* SEARCH\r\nW1 OK done\r\n")
    found = wire.uid_search_text([b"UNSEEN"], charset=None)
    assert found.numbers() == [] and found.matched == 0 and found.uid_set == ""
    assert sent(t) == b"W1 UID SEARCH UNSEEN\r\n"


def test_limit_keeps_the_newest_uids_and_the_full_count():
    wire, _ = wire_with(b"* SEARCH 9 1 5 3 7\r\nW1 OK done\r\n")
    found = wire.uid_search_text([b"ALL"], limit=2)
    assert found.numbers() == [7, 9] and found.matched == 5
    wire, _ = wire_with(b'* ESEARCH (TAG "W1") UID ALL 1:1000 COUNT 1000\r\nW1 OK done\r\n', caps=ZIMBRA)
    found = wire.uid_search_text([b"ALL"], limit=3)
    assert found.numbers() == [998, 999, 1000] and found.matched == 1000


def test_badcharset_is_a_clear_error():
    wire, _ = wire_with(b"W1 NO [BADCHARSET (US-ASCII)] Unknown charset\r\n", caps=ZIMBRA)
    with pytest.raises(SearchCharsetRefused) as info:
        wire.uid_search_text([b"TEXT", "ลา"])
    err = info.value
    assert err.code == "imap-badcharset" and err.charset == "UTF-8"
    assert "cannot search for Thai" in err.user_text("en")
    assert err.user_text("th") != err.user_text("en")
    assert isinstance(err, ImapCommandError)


def test_badcharset_before_the_literal_is_sent():
    wire, t = wire_with(b"W1 NO [BADCHARSET] no\r\n")
    with pytest.raises(SearchCharsetRefused):
        wire.uid_search_text([b"TEXT", "ลา"])
    assert len(t.sent) == 1  # the literal was never sent
    assert not wire.broken


def test_other_refusals_stay_command_errors():
    wire, _ = wire_with(b"W1 BAD [PARSE] bad search\r\n")
    with pytest.raises(ImapCommandError) as info:
        wire.uid_search_text([b"ALL"])
    assert not isinstance(info.value, SearchCharsetRefused)


@pytest.mark.parametrize(
    "bad", [b"FROM\r\nW2 LOGOUT", b'"x"', b"{5}", b"", b"A B", b"-", b"\xe0\xb8\x87"]
)
def test_keys_are_checked_atoms(bad):
    wire, t = wire_with(b"")
    with pytest.raises(ValueError):
        wire.uid_search_text([bad])
    assert t.sent == []


def test_criteria_of_the_wrong_type_are_refused():
    wire, _ = wire_with(b"")
    with pytest.raises(TypeError):
        wire.uid_search_text([b"TEXT", 5])
    with pytest.raises(ValueError):
        wire.uid_search_text([])


# -- no injection: whatever the user types comes back as exactly one string ---------------------


def read_astring(data: bytes) -> tuple[bytes, bytes]:
    """One quoted string or literal at the start of ``data``: (its bytes, the rest)."""
    if data.startswith(b'"'):
        out = bytearray()
        i = 1
        while data[i:i + 1] != b'"':
            if data[i:i + 1] == b"\\":
                i += 1
            assert data[i:i + 1] not in (b"\r", b"\n", b""), "line break in a quoted string"
            out += data[i:i + 1]
            i += 1
        return bytes(out), data[i + 1:]
    m = re.match(rb"\{(\d+)\+?\}\r\n", data)
    assert m, data[:40]
    n = int(m.group(1))
    return data[m.end():m.end() + n], data[m.end() + n:]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=30), st.booleans())
def test_any_user_text_is_one_string_and_nothing_more(text, literal_plus):
    caps = ZIMBRA if literal_plus else PLAIN
    as_literal = re.fullmatch(r"[\x20-\x7e]*", text) is None
    server = b"+ go\r\n" if as_literal and not literal_plus else b""
    wire, t = wire_with(server + b"* SEARCH\r\nW1 OK done\r\n", caps=caps)
    wire.uid_search_text([b"SUBJECT", text, b"UNSEEN"])
    command = sent(t)
    head = b"W1 UID SEARCH " + (b"RETURN (ALL COUNT) " if literal_plus else b"") + b"CHARSET UTF-8 SUBJECT "
    assert command.startswith(head)
    value, rest = read_astring(command[len(head):])
    assert value == text.encode("utf-8", "replace")
    assert rest == b" UNSEEN\r\n"


@pytest.mark.parametrize(
    "text",
    ['x" UID 1:* FLAGS', "a\r\nW2 LOGOUT", "a\nb", "{5}\r\nabcde", "\\", '"', "ผิด\" ) OR ALL", "\x00z"],
)
def test_hostile_text_stays_inside_its_string(text):
    test_any_user_text_is_one_string_and_nothing_more.hypothesis.inner_test(text, False)
    test_any_user_text_is_one_string_and_nothing_more.hypothesis.inner_test(text, True)
