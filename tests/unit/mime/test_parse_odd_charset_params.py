"""A part whose charset parameter the stdlib cannot use (RFC 2231-encoded: a tuple; a NUL byte in
it) and whose body holds 8-bit bytes: parse_message, part_bytes and the MIME tree still answer.

Found by ``make fuzz`` (tests/fuzz/crashes/parse-*.bin, inspect-*.bin): ``Message.get_payload()``
decodes 8-bit text with the declared charset and raises TypeError / ValueError on such a
label; the parser measured an attached message with it, so a forwarded message like the
one below made the preview fail.
"""

from __future__ import annotations

import pytest

from govmail_desktop.mime.mime_tree import mime_tree
from govmail_desktop.mime.parse import parse_message, part_bytes

CHARSETS = [
    pytest.param(b"charset*=utf-8''us-ascii", id="rfc2231-charset"),
    pytest.param(b'charset="utf\x00-8"', id="nul-in-charset"),
    pytest.param(b"charset*=ansi-x3.4-1968''us-ascii", id="rfc2231-ascii-alias"),
]


def _forwarded(charset_param: bytes) -> bytes:
    return (
        b"From: a@agency.go.th\nSubject: fwd\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain; charset=utf-8\n\nsee attached\n"
        b'--b\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename="fwd.eml"\n\n'
        b"From: c@d.go.th\nSubject: inner\nContent-Type: text/plain; " + charset_param + b"\n\n"
        b"\xe0\xb8\x81\xe0\xb8\xa3\xe0\xb8\xa1 8-bit\n--b--\n"
    )


@pytest.mark.parametrize("charset_param", CHARSETS)
def test_forwarded_message_with_an_unusable_charset_label_is_listed(charset_param):
    raw = _forwarded(charset_param)
    parsed = parse_message(raw)
    assert [(a.part, a.content_type, a.filename) for a in parsed.attachments] == [("2", "message/rfc822", "fwd.eml")]
    assert parsed.attachments[0].size > 0 and parsed.attachments[0].subject == "inner"
    assert "see attached" in parsed.text
    part_bytes(raw, "2")  # the attached message itself: answers (bytes or None), never raises
    assert part_bytes(raw, "2.1") is not None
    tree = mime_tree(raw)
    assert tree.root is not None
    assert [n.part for n in tree.root.walk()] == ["", "1", "2", "2.1"]


@pytest.mark.parametrize("charset_param", CHARSETS)
def test_single_part_with_an_unusable_charset_label(charset_param):
    raw = b"From: a@agency.go.th\nSubject: x\nContent-Type: text/plain; " + charset_param + b"\n\n\xe0\xb8\x81 8-bit\n"
    assert "8-bit" in parse_message(raw).text
    tree = mime_tree(raw)
    assert tree.root is not None and tree.root.size > 0
