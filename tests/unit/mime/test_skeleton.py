"""Skeleton markers (mime/skeleton.py) as the one parser reads them: believed only with
``skeleton=True`` and the skeleton's own token; marker fields from outside are stripped."""

from __future__ import annotations

import pytest

from govmail_desktop.mime import skeleton
from govmail_desktop.mime.parse import parse_message


def message(top_token: str | None, part_field: str) -> bytes:
    top = f"X-GovMail-Skeleton: {top_token}\r\n" if top_token else ""
    return (
        f"{top}Subject: s\r\nFrom: a@b.th\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nข้อความ\r\n"
        f"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
        f"Content-Transfer-Encoding: base64\r\n{part_field}\r\n\r\n\r\n--b--\r\n"
    ).encode()


TOKEN = skeleton.new_token()


def test_a_marked_part_of_a_skeleton_is_a_file_not_downloaded_with_the_servers_size():
    raw = message(TOKEN, skeleton.left_out_field(TOKEN, 7_800_000, "base64"))
    [attachment] = parse_message(raw, skeleton=True).attachments
    assert attachment.downloaded is False and attachment.size == skeleton.estimated_size(7_800_000, "base64")
    assert 5_600_000 < attachment.size < 5_800_000


@pytest.mark.parametrize(
    ("top", "field", "as_skeleton"),
    [
        (TOKEN, f"X-GovMail-Left-Out: {TOKEN} octets=7800000 encoding=base64", False),  # not from the skeleton part
        (None, f"X-GovMail-Left-Out: {TOKEN} octets=7800000 encoding=base64", True),  # no token at the top
        (TOKEN, f"X-GovMail-Left-Out: {'b' * 32} octets=7800000 encoding=base64", True),  # another token
        (TOKEN, f"X-GovMail-Left-Out: {TOKEN} octets=lots encoding=base64", True),  # malformed
    ],
    ids=["whole-message", "no-top-token", "other-token", "malformed"],
)
def test_markers_are_not_believed_without_the_skeletons_own_token(top, field, as_skeleton):
    [attachment] = parse_message(message(top, field), skeleton=as_skeleton).attachments
    assert attachment.downloaded is True


def test_two_top_tokens_make_no_skeleton():
    raw = b"X-GovMail-Skeleton: " + ("c" * 32).encode() + b"\r\n" + message(
        TOKEN, skeleton.left_out_field(TOKEN, 100, "base64"))
    assert parse_message(raw, skeleton=True).attachments[0].downloaded is True


def test_marker_fields_from_outside_are_stripped_with_their_folded_lines():
    header = (
        b"Subject: s\r\nX-GovMail-Skeleton: " + TOKEN.encode() + b"\r\n"
        b"x-govmail-left-out:\r\n " + TOKEN.encode() + b" octets=1\r\n encoding=base64\r\n"
        b"X-GovMail-Other: kept\r\nContent-Type: text/plain\r\n\r\n"
    )
    block = skeleton.header_block(header, [skeleton.top_field("f" * 32)])
    assert block == (
        b"Subject: s\r\nX-GovMail-Other: kept\r\nContent-Type: text/plain\r\n"
        b"X-GovMail-Skeleton: " + b"f" * 32 + b"\r\n\r\n"
    )
