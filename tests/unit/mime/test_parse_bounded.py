"""The one guarded way into the stdlib MIME parser (mime.bounds.parse_bounded): input the
parser itself fails on gives no tree, and every reader of messages copes with that."""

from __future__ import annotations

import pytest

from govmail_desktop.mime.bounds import MAX_CONTAINERS, parse_bounded
from govmail_desktop.mime.draft_mime import read_draft_copy
from govmail_desktop.mime.mime_tree import mime_tree
from govmail_desktop.mime.parse import parse_message, part_bytes

# Found by `make fuzz` (parse target): a NUL as the RFC 2231 charset of the boundary makes the
# stdlib raise ValueError ("embedded null character") from get_boundary while it parses.
NUL_CHARSET_BOUNDARY = b" \nContent-Type:multipart/;boundary*=\x00''"


def test_a_message_the_stdlib_fails_on_gives_no_tree_and_no_exception():
    assert parse_bounded(NUL_CHARSET_BOUNDARY) is None
    assert parse_bounded(b"Content-Type: multipart/mixed; boundary=x\n\n--x\n\nhi\n--x--\n") is not None


def test_every_reader_of_messages_copes_with_it():
    parsed = parse_message(b"Subject: =?utf-8?b?4Lij4Liy4Lii4LiH4Liy4LiZ?=\n" + NUL_CHARSET_BOUNDARY)
    assert parsed.subject == "รายงาน"  # shown flat, the header fields read as always
    assert mime_tree(NUL_CHARSET_BOUNDARY).root is None
    assert part_bytes(NUL_CHARSET_BOUNDARY, "1") is None
    with pytest.raises(ValueError, match="not readable as MIME"):
        read_draft_copy(NUL_CHARSET_BOUNDARY, account_id="acct")


def test_too_many_containers_are_not_handed_to_the_recursive_parser():
    nested = b"".join(b"Content-Type: message/rfc822\n\n" for _ in range(MAX_CONTAINERS + 1)) + b"x\n"
    assert parse_bounded(nested) is None
