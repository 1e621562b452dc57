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

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMessageBox

    _Shown = TypeVar("_Shown", QLabel, QMessageBox)
else:
    _Shown = TypeVar("_Shown")

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
