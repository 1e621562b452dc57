"""The Qt-free catalogue: language choice and Thai/English rendering of messages."""

from __future__ import annotations

import pytest

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, language_from_argv, normalize_language


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["--lang", "en"], "en"),
        (["policy", "show", "--lang=th"], "th"),
        (["--lang", "th_TH.UTF-8"], "th"),
        (["--lang", "fr"], "en"),  # unsupported languages fall back to English
        (["--lang"], None),  # a dangling flag is argparse's to report
    ],
)
def test_language_from_argv(argv, expected):
    assert language_from_argv(argv) == expected


@pytest.mark.parametrize(("name", "code"), [("th_TH.UTF-8", "th"), ("en-US", "en"), (None, "th"), ("de_DE", "en")])
def test_normalize_language(name, code):
    assert normalize_language(name) == code


def test_messages_render_in_both_languages_with_their_arguments():
    msg = QT_TRANSLATE_NOOP("Errors", "Cannot connect to the server.")
    assert msg.text("en") == "Cannot connect to the server."
    assert msg.text("th") != msg.text("en")
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in msg.text("th"))
