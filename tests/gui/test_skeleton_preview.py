"""The preview of a large message kept as a skeleton (mime/skeleton.py): the text and the file
list with the server's sizes at once, nothing asked of the server; the same bytes from outside
(the whole-message part) are never believed to be a skeleton."""

from __future__ import annotations

from govmail_desktop.mime.skeleton import SKELETON_PART, new_token
from govmail_desktop.services.mailbox_types import BODY_PART, PREVIEW_READY
from tests.gui.mailbox_helpers import open_mailbox, select_uid  # noqa: F401
from tests.unit.store.factories import summary

UID = 900


def skeleton_bytes(token: str) -> bytes:
    return (
        f"X-GovMail-Skeleton: {token}\r\n"
        "From: =?utf-8?b?4Liq4Lih4LiK4Liy4Lii?= <somchai@agency.go.th>\r\n"
        "Subject: =?utf-8?b?4Lij4Liy4Lii4LiH4Liy4LiZ?=\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n'
        "\r\n"
        "--b\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        "ขอส่งรายงานผลการดำเนินงานประจำปี\r\n"
        "--b\r\n"
        'Content-Type: application/pdf; name="report.pdf"\r\n'
        "Content-Disposition: attachment;\r\n"
        " filename*=utf-8''%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"X-GovMail-Left-Out: {token} octets=6990000 encoding=base64\r\n"
        "\r\n"
        "\r\n"
        "--b--\r\n"
    ).encode()


def _shown(m, qtbot, uid):
    results = []
    m.service.preview_ready.connect(results.append)
    select_uid(m.window, uid)
    qtbot.waitUntil(lambda: any(r.state == PREVIEW_READY for r in results))
    return next(r for r in results if r.state == PREVIEW_READY)


def test_a_skeleton_in_the_cache_is_shown_with_its_files_not_downloaded(open_mailbox, qtbot):
    raw = skeleton_bytes(new_token())

    def fill(cache):
        inbox = cache.folder_id("INBOX")
        cache.insert_summaries(inbox, [summary(UID, size=7_000_000)])
        cache.put_part(inbox, UID, SKELETON_PART, raw)

    m = open_mailbox(5, fill_cache=fill)
    result = _shown(m, qtbot, UID)
    assert "ขอส่งรายงานผลการดำเนินงานประจำปี" in result.parsed.text
    [attachment] = result.parsed.attachments
    assert attachment.filename == "รายงาน.pdf" and attachment.part == "2"
    assert attachment.downloaded is False
    assert 5_000_000 < attachment.size < 5_200_000  # the server's size, decoded (estimated)
    assert m.sync.body_requests == []  # shown from the cache: nothing asked of the server


def test_the_same_bytes_as_a_whole_message_are_not_believed(open_mailbox, qtbot):
    raw = skeleton_bytes(new_token())  # a message from outside carrying marker fields

    def fill(cache):
        inbox = cache.folder_id("INBOX")
        cache.insert_summaries(inbox, [summary(UID)])
        cache.put_part(inbox, UID, BODY_PART, raw)

    m = open_mailbox(5, fill_cache=fill)
    [attachment] = _shown(m, qtbot, UID).parsed.attachments
    assert attachment.downloaded is True and attachment.size == 0
