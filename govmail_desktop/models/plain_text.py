"""Text from a message, a server, the policy or a file name is shown as plain text, never as markup.

Why this exists: Qt guesses whether a string is HTML (``Qt::mightBeRichText``)
wherever the text format is ``Qt::AutoText`` — the default of QLabel and
QMessageBox — and for *every* tooltip (QToolTip has no text-format setting).
A subject, display name, folder name or attachment name such as
``<img src="PATH">`` is then rendered as HTML and Qt opens the file at PATH
(on Windows a ``\\\\host\\share`` path makes the system contact that host and
hand it the user's credentials hash). So every place that shows such text uses
one of these:

* :func:`plain_label` — a QLabel (or QMessageBox) that shows its text as it is;
* :func:`plain_tooltip` — for tooltips and the ``ToolTipRole`` of models;
* :func:`notification_text` — for desktop notifications (``QSystemTrayIcon.showMessage``).

``tests/unit/test_plain_text_sinks.py`` flags new ``setText``/``setToolTip``/
``showMessage`` calls fed from data without these; ``tests/gui/test_plain_text.py``
shows hostile text everywhere and checks that no file is opened.

This module is in ``models/`` so that both the models and ``ui/`` can use it
(``models/`` never imports ``ui/``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, overload

from PySide6.QtGui import Qt  # QtGui's Qt namespace also has convertFromPlainText

from govmail_desktop.search.fold import is_cluster_continuation

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMessageBox

    _Shown = TypeVar("_Shown", QLabel, QMessageBox)
else:
    _Shown = TypeVar("_Shown")

#: Windows notifications (``Shell_NotifyIcon`` balloons/toasts): Qt copies the title into
#: ``szInfoTitle[64]`` and the text into ``szInfo[256]`` and cuts the rest at that UTF-16
#: unit, inside a Thai cluster if it falls there. These are the units left beside the NUL.
NOTIFICATION_TITLE_MAX = 63
NOTIFICATION_TEXT_MAX = 255
ELLIPSIS = "…"
#: Thai and Lao vowels written before their consonant: never left as the last character.
_PREPOSED_VOWELS = frozenset("เแโใไເແໂໃໄ")
_ZWJ = "\u200d"

#: Characters that notification servers may read as markup, and harmless look-alikes.
_NOTIFICATION_MARKUP = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})


def plain_label(widget: _Shown) -> _Shown:
    """Make a QLabel or QMessageBox show its text literally (``Qt.PlainText``); returns it.

    Set once where the widget is made; every later ``setText`` is then plain.
    """
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


@overload
def plain_tooltip(text: str) -> str: ...
@overload
def plain_tooltip(text: None) -> None: ...
def plain_tooltip(text: str | None) -> str | None:
    """A tooltip that shows ``text`` literally, whatever characters it holds.

    Tooltips cannot be told "plain text", so the text is turned into rich text
    with no markup of its own: ``<``, ``>`` and ``&`` escaped, line breaks kept,
    wrapped in a paragraph (Qt's ``convertFromPlainText``). The wrapping matters:
    escaping alone would be shown as "&amp;" whenever the escaped text did not
    happen to look like HTML to Qt. Long tooltips also get word wrap this way.
    An empty text stays empty (no tooltip at all, not an empty box).
    """
    if not text:
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def notification_text(text: str) -> str:
    """Text for a desktop notification's title or body, safe for every notification server.

    freedesktop notification servers (KDE, GNOME, ...) may render a body as
    markup — ``<img src=...>`` included — while Windows and servers without
    markup show it raw, so escaping would show "&lt;" there. ``<``, ``>`` and
    ``&`` are replaced by look-alikes (‹ › ＆) that mean nothing as markup and
    read the same everywhere ("สมชาย ‹somchai@agency.go.th›").
    """
    return text.translate(_NOTIFICATION_MARKUP)


def utf16_length(text: str) -> int:
    """Length in UTF-16 units (what Windows and Qt count): two for a character above U+FFFF."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def shorten_utf16(text: str, limit: int) -> str:
    """``text`` unchanged if it has at most ``limit`` UTF-16 units, else cut to fit with "…".

    The cut falls between grapheme clusters (:func:`~govmail_desktop.search.fold.
    is_cluster_continuation`: a Thai tone mark or vowel sign stays with its consonant,
    sara am too), never between the halves of a surrogate pair, not after a joiner or a
    preposed Thai vowel; spaces before the "…" are dropped.
    """
    if utf16_length(text) <= limit:
        return text
    budget = limit - utf16_length(ELLIPSIS)
    end = units = 0
    for ch in text:
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > budget:
            break
        end += 1
    while end > 0 and (
        is_cluster_continuation(text[end]) or text[end - 1] == _ZWJ or text[end - 1] in _PREPOSED_VOWELS
    ):
        end -= 1
    return text[:end].rstrip() + ELLIPSIS
