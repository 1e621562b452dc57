"""Links in the message text: the real target shown on hover, risky ones asked about before opening.

:class:`LinkGuard` joins a :class:`~ui.message_view.MessageView` (the preview's body, a
message window's body):

* **hover** (``link_hovered``): the real destination (:func:`mime.links.assess_link`) in the
  window's status bar and, with the reason for a risky link, in the view's tooltip; both
  cleared when the pointer leaves the link;
* **click** (``link_clicked``):
  - an ordinary web link opens in the system browser (``QDesktopServices.openUrl``) — the link
    rebuilt around the host that was judged (:attr:`~mime.links.LinkVerdict.open_url`);
  - a risky one (text naming another domain, a bare IP, a look-alike, a non-web scheme, a user
    name before the host) first asks, in Thai or English, naming the real destination;
    Cancel is the default and nothing opens unless the user chooses "Open link";
  - ``javascript:``/``vbscript:``/``data:`` and broken links are never opened: the user is told why;
  - ``mailto:`` opens the composer (``compose(**fields)`` of the composer launcher) filled by
    the one mailto parser (:func:`mime.mailto.parse_mailto`): only to, cc, bcc, subject, body;
  - ``#name`` scrolls the message to that place.

Nothing here reaches the network; opening is handed to the desktop, and only after the checks.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from govmail_desktop.core.entities import Address
from govmail_desktop.mime.links import (
    KIND_ANCHOR,
    KIND_MAILTO,
    LinkVerdict,
    assess_link,
)
from govmail_desktop.mime.mailto import MailtoError, parse_mailto
from govmail_desktop.mime.reply import format_address
from govmail_desktop.models.plain_text import plain_tooltip
from govmail_desktop.ui.message_view import MessageView

log = logging.getLogger(__name__)

#: Opens a URL with the desktop (a seam for tests: they record, never open).
UrlOpener = Callable[[QUrl], object]
#: Opens the composer with fields (to, cc, bcc, subject, text); None when there is no account.
Composer = Callable[..., object]


def _joined(addresses: Iterable[Address]) -> str:
    return ", ".join(format_address(a) for a in addresses)


class LinkGuard(QObject):
    """Judges and opens the links of the message views it is attached to.

    ``known_domains``: the policy's internal domains (``recipients.internal_domains``);
    ``compose``: the composer launcher's ``compose(**fields)``; ``open_url``: the desktop's
    opener (``QDesktopServices.openUrl``); ``ask``: the question before a risky link (a seam:
    takes the verdict and the parent widget, answers True to open).
    """

    def __init__(
        self,
        known_domains: Iterable[Any] = (),
        *,
        compose: Composer | None = None,
        open_url: UrlOpener | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.known_domains = tuple(known_domains)
        self.compose = compose
        self.open_url: UrlOpener = open_url or QDesktopServices.openUrl
        self.ask: Callable[[LinkVerdict, QWidget], bool] = self.ask_before_opening
        #: The status bar of each view's window (views and their windows go together).
        self._status: weakref.WeakKeyDictionary[MessageView, QStatusBar] = weakref.WeakKeyDictionary()

    # ------------------------------------------------------------------ joining

    def attach(self, view: MessageView, status_bar: QStatusBar | None = None) -> None:
        """Guard ``view``'s links; hovering shows the destination in ``status_bar`` too."""
        if status_bar is not None:
            self._status[view] = status_bar
        view.link_hovered.connect(partial(self.hovered, view))
        view.link_clicked.connect(partial(self.clicked, view))

    def judge(self, url: str, text: str = "") -> LinkVerdict:
        return assess_link(url, text, self.known_domains)

    # ------------------------------------------------------------------ hover

    def hover_text(self, verdict: LinkVerdict) -> str:
        """The tooltip for a link: its real destination, and why it is risky."""
        if verdict.kind == KIND_MAILTO:
            return self.tr("Write to: {address}").format(address=verdict.destination)
        if verdict.kind == KIND_ANCHOR:
            return ""
        lines = [verdict.destination]
        if verdict.risky and verdict.reason is not None:
            lines.append("⚠ " + verdict.reason.text())
        return "\n".join(lines)

    def hovered(self, view: MessageView, url: str, text: str) -> None:
        status = self._status.get(view)
        if not url:
            view.setToolTip("")
            if status is not None:
                status.clearMessage()
            return
        verdict = self.judge(url, text)
        tip = self.hover_text(verdict)
        view.setToolTip(plain_tooltip(tip) or "")
        if status is not None:
            shown = verdict.destination if verdict.kind != KIND_MAILTO else tip
            status.showMessage(("⚠ " if verdict.risky else "") + shown)

    # ------------------------------------------------------------------ click

    def clicked(self, view: MessageView, url: str, text: str) -> None:
        verdict = self.judge(url, text)
        log.info("Link activated: %s (%s)", verdict.kind, verdict.host or verdict.scheme)
        if verdict.kind == KIND_ANCHOR:
            view.scrollToAnchor(url.partition("#")[2])
            return
        if verdict.kind == KIND_MAILTO:
            self.write_to(verdict, view)
            return
        if not verdict.openable:
            self.tell_not_opened(verdict, view)
            return
        if verdict.risky and not self.ask(verdict, view):
            return
        self.open_url(QUrl(verdict.open_url, QUrl.ParsingMode.TolerantMode))

    def write_to(self, verdict: LinkVerdict, parent: QWidget) -> None:
        """A mailto: link: the composer with what the link may fill in."""
        try:
            request = parse_mailto(verdict.open_url)
        except MailtoError as err:
            self._box(parent, QMessageBox.Icon.Warning, self.tr("E-mail link"), err.user_text())
            return
        composer = self.compose(
            to=_joined(request.to), cc=_joined(request.cc), bcc=_joined(request.bcc),
            subject=request.subject, text=request.body,
        ) if self.compose is not None else None
        if composer is None:
            self._box(parent, QMessageBox.Icon.Information, self.tr("E-mail link"),
                      self.tr("Set up an account first to write a message."))

    def tell_not_opened(self, verdict: LinkVerdict, parent: QWidget) -> None:
        reason = verdict.reason.text() if verdict.reason is not None else ""
        if verdict.destination:
            reason += "\n\n" + self.tr("The link:") + "\n" + verdict.destination
        self._box(parent, QMessageBox.Icon.Warning, self.tr("Link not opened"), reason)

    def question(self, verdict: LinkVerdict, parent: QWidget) -> QMessageBox:
        """The question before a risky link: why, the real destination, Open link / Cancel."""
        box = QMessageBox(parent)
        box.setObjectName("linkQuestion")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Open this link?"))
        # One plain-text label: the destination is data, never markup (QMessageBox's informative
        # text would be read as rich text, with its links opened by the desktop).
        box.setTextFormat(Qt.TextFormat.PlainText)
        reason = verdict.reason.text() if verdict.reason is not None else ""
        box.setText(
            reason + "\n\n" + self.tr("It really leads to:") + "\n" + verdict.destination + "\n\n"
            + self.tr("Open it only if you trust the sender and expected this link.")
        )
        box.open_button = box.addButton(self.tr("Open link"), QMessageBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        return box

    def ask_before_opening(self, verdict: LinkVerdict, parent: QWidget) -> bool:
        box = self.question(verdict, parent)
        box.exec()
        opened = box.clickedButton() is box.open_button  # type: ignore[attr-defined]
        box.deleteLater()
        return opened

    def _box(self, parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("linkNotice")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()



def attach_link_guard(window: Any, internal_domains: Iterable[Any], compose: Composer | None) -> LinkGuard:
    """Composition root: the links of the main window's preview and of every message window
    (:data:`ui.message_window.REGISTRY` pane hooks) guarded, each hovering into its own window's
    status bar; the previews' sender checks use the same internal domains (the policy's
    ``recipients.internal_domains``); ``compose`` is the composer launcher's ``compose``."""
    from govmail_desktop.ui import message_window

    domains = tuple(internal_domains)
    guard = LinkGuard(domains, compose=compose, parent=window)
    window.preview_view.internal_domains = domains
    guard.attach(window.preview_view.body, window.statusBar())

    def join(pane: Any, opened: Any) -> None:
        pane.internal_domains = guard.known_domains  # the policy's now (it may change while running)
        guard.attach(pane.body, opened.statusBar())

    hooks = message_window.REGISTRY.pane_hooks
    hooks.append(join)

    def forget(*_args: Any) -> None:
        if join in hooks:
            hooks.remove(join)

    window.destroyed.connect(forget)
    return guard


__all__ = ["LinkGuard", "attach_link_guard"]
