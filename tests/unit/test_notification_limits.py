"""Notification title and text fit Windows' limits, cut between grapheme clusters (issue 15).

Qt on Windows copies a notification's title into ``szInfoTitle[64]`` and its text into
``szInfo[256]`` (UTF-16 units, the terminating NUL included) and cuts whatever is longer
at that unit — inside a Thai cluster (a tone mark cut from its consonant shows as a
dotted circle) or between the halves of a surrogate pair. The tray now shortens both
itself, on cluster boundaries, with "…".
"""

from __future__ import annotations

import pytest

from govmail_desktop.models.plain_text import (
    NOTIFICATION_TEXT_MAX,
    NOTIFICATION_TITLE_MAX,
    shorten_utf16,
)
from govmail_desktop.search.fold import is_cluster_continuation


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def qt_windows_cut(text: str, size: int) -> str:
    """What Qt's qStringToLimitedWCharArray keeps of ``text`` in a ``wchar_t[size]``."""
    return text.encode("utf-16-le")[: 2 * (size - 1)].decode("utf-16-le", errors="replace")


def test_windows_limits_are_qts_buffers_less_the_nul():
    assert (NOTIFICATION_TITLE_MAX, NOTIFICATION_TEXT_MAX) == (63, 255)


def assert_cut_between_clusters(original: str, shown: str, limit: int) -> None:
    assert utf16_units(shown) <= limit
    assert qt_windows_cut(shown, limit + 1) == shown  # Windows shows it whole
    assert shown.endswith("…")
    kept = shown[:-1]
    assert original.startswith(kept)
    assert not is_cluster_continuation(original[len(kept)])  # the next character starts a cluster


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        # "ที่" is three code points: the 63-unit cut falls after ท + ี, before the tone mark.
        ("ก" + "ที่" * 30, "\u0e48"),
        # sara am (ำ) belongs to the consonant before it.
        ("ข" * 62 + "นำ" + "ข" * 10, "\u0e33"),
        # a consonant with a vowel below and a tone mark: "ปู่".
        ("ป" * 61 + "ปู่" + "ป" * 10, "\u0e48"),
    ],
)
def test_a_thai_title_is_cut_between_clusters(text, inside):
    assert text[len(qt_windows_cut(text, 64))] == inside  # Qt alone would split the cluster here
    shown = shorten_utf16(text, NOTIFICATION_TITLE_MAX)
    assert_cut_between_clusters(text, shown, NOTIFICATION_TITLE_MAX)


def test_a_preposed_vowel_is_not_left_without_its_consonant():
    text = "ก" * 61 + "เมื่อวาน"  # the cut would keep "เ" alone
    shown = shorten_utf16(text, NOTIFICATION_TITLE_MAX)
    assert shown == "ก" * 61 + "…"


def test_characters_outside_the_bmp_count_two_units_and_are_never_halved():
    text = "ประชุม 😀" + "😀" * 40
    shown = shorten_utf16(text, NOTIFICATION_TITLE_MAX)
    assert utf16_units(shown) <= NOTIFICATION_TITLE_MAX
    assert "\ufffd" not in qt_windows_cut(shown, NOTIFICATION_TITLE_MAX + 1)
    assert shown.endswith("😀…")


def test_an_emoji_sequence_is_not_left_with_a_dangling_joiner():
    family = "👩\u200d💻"
    text = "ก" * 58 + "👩\u200d" + "💻" * 5  # the 62-unit budget ends just after the joiner
    shown = shorten_utf16(text, NOTIFICATION_TITLE_MAX)
    assert shown == "ก" * 58 + "…"  # the whole sequence goes, not half of it
    assert shorten_utf16(family, 10) == family


def test_short_text_is_unchanged():
    assert shorten_utf16("ข้อความใหม่ 3 ฉบับ", NOTIFICATION_TITLE_MAX) == "ข้อความใหม่ 3 ฉบับ"
    exact = "ก" * NOTIFICATION_TITLE_MAX
    assert shorten_utf16(exact, NOTIFICATION_TITLE_MAX) == exact


def test_trailing_space_before_the_ellipsis_is_dropped():
    shown = shorten_utf16("ก" * 60 + "  ขขขขขข", NOTIFICATION_TITLE_MAX)
    assert shown == "ก" * 60 + "…"


def test_the_tray_shortens_a_long_thai_notification(qtbot):
    """Each sender's line is shortened to its share, so every sender and the "and N more"
    line stay visible, and the whole fits Windows' 255 units."""
    from PySide6.QtWidgets import QWidget

    from govmail_desktop.ui.tray import MailTray

    window = QWidget()
    qtbot.addWidget(window)
    tray = MailTray(window, use_system_tray=False)
    subject = "ขอเชิญประชุมคณะกรรมการพิจารณาร่างระเบียบว่าด้วยการรักษาความปลอดภัยแห่งชาติ ครั้งที่ ๑/๒๕๖๙"
    senders = [(f"นางสาวสมหญิง ใจดี ผู้อำนวยการกองที่ {n}", subject) for n in range(1, 4)]
    account = "สำนักงานปลัดกระทรวงมหาดไทย.สารบรรณอิเล็กทรอนิกส์@moi.go.th"
    with qtbot.waitSignal(tray.notified) as notified:
        tray.notify_new_mail(9, senders, account)
    title, text = notified.args
    full_title = tray.tr("{count} new message(s)").format(count=9) + f" — {account}"
    assert_cut_between_clusters(full_title, title, NOTIFICATION_TITLE_MAX)
    assert utf16_units(text) <= NOTIFICATION_TEXT_MAX
    shown_lines = text.split("\n")
    assert len(shown_lines) == 4
    for n, line in enumerate(shown_lines[:3], start=1):
        assert_cut_between_clusters(f"นางสาวสมหญิง ใจดี ผู้อำนวยการกองที่ {n}: {subject}", line, NOTIFICATION_TEXT_MAX)
    assert shown_lines[3] == tray.tr("and {count} more").format(count=6)
