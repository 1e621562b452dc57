"""The remote-content bar above a formatted message, and the decision behind it.

A message's remote images (``SafeHtml.remote``: the view shows them as
``remote:N`` placeholders) load only when allowed:

* the agency's policy forbids remote content (``content.remote_content_allowed``
  false, or a broken policy): never — the bar says the policy does not allow it
  and offers nothing;
* the message is in Junk: never — the bar says remote content stays blocked in
  Junk and offers nothing;
* the user's setting ``mail.remote_content`` is "allow", or the sender is on the
  user's list (``store/remote_senders.py``) and the message raised no sender
  warning (a forged From must not unlock the list): they load at once;
* otherwise ("block", "ask"): the bar "Remote images blocked (N)" offers
  **Show once** (this message, while it is shown) and **Always for this sender**
  (adds the From address to the list, then loads).

Fetching is :class:`services.remote_content.RemoteImageLoader` (off the GUI
thread, under the policy's rules); images arrive here and the view is asked to
lay out again (:meth:`MessageView.reload_remote`). Images some rule refused
stay placeholders and the bar says how many and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStyle, QWidget

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.core.settings import Settings
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.policy.model import ContentSection
from govmail_desktop.policy.sources import EffectivePolicy
from govmail_desktop.services.message_bridge import MessageBridge
from govmail_desktop.services.remote_content import (
    REASON_HOST,
    REASON_NETWORK,
    REASON_POLICY,
    REASON_SCHEME,
    REASON_SIZE,
    REASON_STATUS,
    REASON_TIME,
    REASON_TOO_MANY,
    REASON_TOTAL,
    REASON_TYPE,
    RemoteImageLoader,
    RemoteRules,
    TlsContext,
    remote_ssl_context,
)
from govmail_desktop.store.remote_senders import FILE_NAME as SENDERS_FILE
from govmail_desktop.store.remote_senders import RemoteSenders, sender_key
from govmail_desktop.ui.settings_dialog import RemoteImagesSettings

log = logging.getLogger(__name__)

#: The bar's states.
HIDDEN = "hidden"
BLOCKED = "blocked"
FORBIDDEN = "forbidden"
JUNK = "junk"
LOADING = "loading"
PARTLY = "partly"

MODE_ALLOW = "allow"

#: Milliseconds images may gather before the view lays out again.
RELOAD_DELAY_MS = 150

MSG_SENDERS_UNREADABLE = QT_TRANSLATE_NOOP(
    "RemoteContent",
    "The list of senders whose remote images are always shown could not be read; it starts empty. "
    "Details are in the log file.",
)


class RemoteBar(QFrame):
    """The bar itself: a sentence and, when the user may choose, two buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remoteBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#remoteBar { background: #fff8e1; border: 1px solid #e6c35c; border-radius: 3px; }"
            "QFrame#remoteBar[state=\"forbidden\"], QFrame#remoteBar[state=\"junk\"] "
            "{ background: #f1f1f1; border-color: #b8b8b8; }"
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        self.icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size)
        )
        self.text = QLabel(self)
        self.text.setObjectName("remoteBarText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.show_once_button = QPushButton(self)
        self.show_once_button.setObjectName("remoteShowOnce")
        self.always_button = QPushButton(self)
        self.always_button.setObjectName("remoteAlwaysSender")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.show_once_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.always_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.state = HIDDEN
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        self.show_once_button.setText(self.tr("Show once"))
        self.show_once_button.setToolTip(self.tr("Load this message's remote images this time only"))
        self.always_button.setText(self.tr("Always for this sender"))
        self.always_button.setToolTip(
            self.tr("Load remote images from this sender from now on (you can remove the sender in Settings)")
        )

    def set_state(self, state: str, text: str, *, offer_once: bool = False, offer_always: bool = False) -> None:
        self.state = state
        self.setProperty("state", state)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        self.setAccessibleName(text)
        self.show_once_button.setVisible(offer_once)
        self.always_button.setVisible(offer_always)
        self.setVisible(state != HIDDEN)


@dataclass
class _Shown:
    """The message whose remote images the bar is about."""

    key: object
    urls: tuple[str, ...]
    sender: str | None  # the From address when the list may use it, else None
    in_junk: bool
    doubtful: bool  # the message raised a sender warning
    allowed: bool = False  # loading was allowed (by the user, the list or the setting)
    finished: bool = False


class RemoteContent(QObject):
    """Decides for each message shown whether its remote images load; runs the bar and feeds the view.

    ``configure`` gives it the policy, the user's setting, the senders' list and a
    loader; until then it uses safe defaults (the default policy: blocked, HTTPS only;
    a list in memory).
    """

    def __init__(self, bar: RemoteBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self.content: ContentSection | None = ContentSection(remote_content="block")
        self.mode: Callable[[], str] = lambda: "block"
        self.senders = RemoteSenders(None)
        #: Keeps a new ``mail.remote_content`` chosen in Settings (None: not kept, e.g. locked).
        self.save_mode: Callable[[str], object] | None = None
        #: The policy locks ``mail.remote_content``.
        self.mode_locked = False
        self._loader: RemoteImageLoader | None = None
        self._reload: Callable[[], None] | None = None
        self._shown: _Shown | None = None
        #: The message "Show once" was pressed for: while no other is shown, it stays allowed
        #: (shown as plain text and formatted again, its body arriving again).
        self._once_key: object = None
        self._images: dict[int, QImage] = {}
        self._failed: dict[int, str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RELOAD_DELAY_MS)
        self._timer.timeout.connect(self._reload_view)
        bar.show_once_button.clicked.connect(self.show_once)
        bar.always_button.clicked.connect(self.always_for_sender)
        bar.installEventFilter(self)

    # ------------------------------------------------------------------ set-up

    def configure(
        self,
        *,
        content: ContentSection | None,
        mode: Callable[[], str],
        senders: RemoteSenders,
        loader: RemoteImageLoader | None = None,
    ) -> None:
        """The policy's content section (None: a broken policy — nothing loads), the user's
        ``mail.remote_content`` (read each time), the senders' list and the loader."""
        self.content = content
        self.mode = mode
        self.senders = senders
        if loader is not None:
            self._set_loader(loader)
        elif self._loader is not None:
            self._loader.rules = RemoteRules.from_policy(content)

    @property
    def loader(self) -> RemoteImageLoader:
        if self._loader is None:
            from govmail_desktop.ui.message_view import decode_image

            self._set_loader(RemoteImageLoader(RemoteRules.from_policy(self.content), decode=decode_image,
                                               parent=self))
        assert self._loader is not None
        return self._loader

    def _set_loader(self, loader: RemoteImageLoader) -> None:
        if self._loader is not None:
            self._loader.cancel()
            for signal, slot in ((self._loader.image_loaded, self._on_loaded),
                                 (self._loader.image_failed, self._on_failed),
                                 (self._loader.finished, self._on_finished)):
                signal.disconnect(slot)
        self._loader = loader
        loader.image_loaded.connect(self._on_loaded)
        loader.image_failed.connect(self._on_failed)
        loader.finished.connect(self._on_finished)

    def images_settings(self) -> RemoteImagesSettings:
        """What Edit → Settings shows for remote images."""
        return RemoteImagesSettings(mode=self.mode(), locked=self.mode_locked or self.save_mode is None,
                                    forbidden=self.forbidden)

    def choose_mode(self, mode: str) -> None:
        """Settings chose "block" or "allow": kept for the messages shown next."""
        if self.save_mode is not None and not self.mode_locked and not self.forbidden:
            self.save_mode(mode)

    def attach(self, view: QObject) -> None:
        """The view asks :meth:`image` for ``remote:N`` and is told to reload when images arrive
        (a ``MessageView``: ``remote_provider`` and ``reload_remote()``)."""
        view.remote_provider = self.image  # type: ignore[attr-defined]
        self._reload = view.reload_remote  # type: ignore[attr-defined]

    def shutdown(self) -> None:
        if self._loader is not None:
            self._loader.shutdown()

    # ------------------------------------------------------------------ showing a message

    @property
    def forbidden(self) -> bool:
        return self.content is None or not self.content.remote_content_allowed

    def show_message(
        self,
        key: object,
        urls: Sequence[str],
        sender: str | None,
        *,
        in_junk: bool = False,
        doubtful_sender: bool = False,
    ) -> None:
        """A message is shown: ``key`` names it (the same key again keeps what was allowed —
        a language switch redraws the same message), ``urls`` its remote images, ``sender``
        its From address."""
        urls = tuple(urls)
        shown = self._shown
        if shown is not None and shown.key == key and shown.urls == urls and shown.in_junk == in_junk:
            self._update_bar()
            return
        self.clear()
        if not urls:
            return
        try:
            usable_sender = sender_key(sender) if sender else None
        except ValueError:
            usable_sender = None
        self._shown = _Shown(key, urls, usable_sender, in_junk, doubtful_sender)
        if self.forbidden or in_junk:
            self._update_bar()
            return
        if key != self._once_key:
            self._once_key = None  # "show once" was for another message
        listed = usable_sender is not None and not doubtful_sender and self.senders.allows(usable_sender)
        if self.mode() == MODE_ALLOW or listed or key == self._once_key:
            self._load()
        self._update_bar()

    def clear(self) -> None:
        """No message (or one without remote images): nothing loads, no bar."""
        if self._loader is not None and self._shown is not None:
            self._loader.cancel(self._token())
        self._shown = None
        self._images = {}
        self._failed = {}
        self._timer.stop()
        self.bar.set_state(HIDDEN, "")

    def image(self, index: int) -> QImage | None:
        """What the view shows for ``remote:index``: the image once loaded, else None."""
        return self._images.get(index)

    # ------------------------------------------------------------------ the user's choices

    def show_once(self) -> None:
        """Load this message's remote images, this time only."""
        if self._shown is None or self.forbidden or self._shown.in_junk or self._shown.allowed:
            return
        self._once_key = self._shown.key
        self._load()
        self._update_bar()

    def always_for_sender(self) -> None:
        """Put the sender on the list, then load."""
        shown = self._shown
        if shown is None or shown.sender is None or shown.doubtful or self.forbidden or shown.in_junk:
            return
        self.senders.add(shown.sender)
        log.info("Remote images allowed for a sender (list of %d)", len(self.senders.addresses()))
        self.show_once()

    # ------------------------------------------------------------------ loading

    def _token(self) -> object:
        assert self._shown is not None
        return (id(self._shown), self._shown.key)

    def _load(self) -> None:
        shown = self._shown
        if shown is None or shown.in_junk or self.forbidden:  # never for Junk or against the policy
            return
        shown.allowed = True
        self.loader.rules = RemoteRules.from_policy(self.content)
        self.loader.load(self._token(), shown.urls)

    def _current(self, token: object) -> bool:
        return self._shown is not None and token == self._token()

    def _on_loaded(self, token: object, index: int, image: object) -> None:
        if not self._current(token) or not isinstance(image, QImage) or image.isNull():
            return
        self._images[index] = image
        if not self._timer.isActive():
            self._timer.start()

    def _on_failed(self, token: object, index: int, reason: str) -> None:
        if self._current(token):
            self._failed[index] = reason

    def _on_finished(self, token: object) -> None:
        if not self._current(token):
            return
        assert self._shown is not None
        self._shown.finished = True
        self._timer.stop()
        self._reload_view()
        self._update_bar()

    def _reload_view(self) -> None:
        if self._reload is not None:
            self._reload()

    # ------------------------------------------------------------------ the bar

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bar and event.type() == QEvent.Type.LanguageChange:
            self.bar.retranslate_ui()
            self._update_bar()
        return super().eventFilter(watched, event)

    def _update_bar(self) -> None:
        shown = self._shown
        if shown is None:
            self.bar.set_state(HIDDEN, "")
            return
        count = len(shown.urls)
        blocked = self.tr("Remote images blocked ({count})").format(count=count)
        if self.forbidden:
            self.bar.set_state(FORBIDDEN, blocked + " — " + self.tr(
                "Your agency's policy does not allow remote content, so these images are not loaded."))
        elif shown.in_junk:
            self.bar.set_state(JUNK, blocked + " — " + self.tr(
                "Remote content stays blocked in Junk. Move the message out of Junk only if you trust it."))
        elif not shown.allowed:
            text = blocked + " — " + self.tr("Loading them can tell the sender that you opened this message.")
            offer_always = shown.sender is not None and not shown.doubtful
            if shown.sender is not None and shown.doubtful:
                text += " " + self.tr("The sender's address may be forged, so it cannot be allowed always.")
            self.bar.set_state(BLOCKED, text, offer_once=True, offer_always=offer_always)
        elif not shown.finished:
            self.bar.set_state(LOADING, self.tr("Loading remote images…"))
        elif self._failed:
            reasons = ", ".join(dict.fromkeys(self._reason_text(r) for r in self._failed.values()))
            self.bar.set_state(PARTLY, self.tr("{failed} of {count} remote images were not loaded: {reasons}.").format(
                failed=len(self._failed), count=count, reasons=reasons))
        else:
            self.bar.set_state(HIDDEN, "")

    def _reason_text(self, reason: str) -> str:
        texts = {
            REASON_SCHEME: self.tr("only secure (HTTPS) addresses are allowed"),
            REASON_HOST: self.tr("the host is not allowed by your agency"),
            REASON_POLICY: self.tr("not allowed by your agency"),
            REASON_SIZE: self.tr("too large"),
            REASON_TOTAL: self.tr("too large in all"),
            REASON_TOO_MANY: self.tr("too many images"),
            REASON_TIME: self.tr("took too long"),
            REASON_TYPE: self.tr("not an image"),
            REASON_STATUS: self.tr("not available"),
            REASON_NETWORK: self.tr("could not be reached"),
        }
        return texts.get(reason, self.tr("could not be reached"))


class RemoteContentSetup(QObject):
    """What every preview's remote content shares in the app: the policy, the user's setting,
    the senders' list (read from the data folder) and the TLS trust; :meth:`join` gives them
    to one preview's :class:`RemoteContent` (the main window's, each message window's).

    Signals:
        not_saved(object): the senders' list could not be written (a StorageError; emitted on
            the list's thread, delivered queued).
    """

    not_saved = Signal(object)

    def __init__(self, policy: EffectivePolicy, settings: Settings, data_dir: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.content = policy.policy.content if policy.error is None else None
        self._settings = settings
        self.senders = RemoteSenders.load(data_dir / SENDERS_FILE, on_error=self.not_saved.emit)
        self._ca_file = policy.policy.tls.ca_file if policy.error is None else None
        self._context: TlsContext | None = None
        self._joined: list[RemoteContent] = []

    def mode(self) -> str:
        """The user's ``mail.remote_content`` now (a change in Settings counts at once)."""
        return str(self._settings.mail_remote_content)

    def join(self, remote: RemoteContent) -> None:
        from govmail_desktop.ui.message_view import decode_image

        if self._context is None:
            self._context = remote_ssl_context(self._ca_file)
        loader = RemoteImageLoader(RemoteRules.from_policy(self.content), context=self._context,
                                   decode=decode_image, parent=remote)
        remote.configure(content=self.content, mode=self.mode, senders=self.senders, loader=loader)
        remote.mode_locked = self._settings.is_locked(Settings.mail_remote_content)
        remote.save_mode = self.save_mode
        self._joined.append(remote)
        remote.destroyed.connect(lambda *_: self._forget(remote))

    def save_mode(self, mode: str) -> None:
        """Keep the user's ``mail.remote_content`` (a failure is reported as for the list)."""
        try:
            self._settings.set(Settings.mail_remote_content, mode)
            self._settings.save()
        except GovMailError as err:
            self.not_saved.emit(err)
            return
        log.info("Setting %s changed", Settings.mail_remote_content.key)

    def follow(self, policy: EffectivePolicy) -> None:
        """The machine policy changed while running: its content section for every preview
        (a broken policy: nothing loads). The TLS trust of image fetches stays as at start."""
        self.content = policy.policy.content if policy.error is None else None
        for remote in list(self._joined):
            remote.configure(content=self.content, mode=self.mode, senders=self.senders)

    def _forget(self, remote: RemoteContent) -> None:
        if remote in self._joined:
            self._joined.remove(remote)

    def shutdown(self) -> None:
        """Cut the fetches still running and write the list (at exit)."""
        for remote in list(self._joined):
            remote.shutdown()
        self._joined.clear()
        self.senders.close()


def attach_remote_content(preview: Any, policy: EffectivePolicy, settings: Settings, data_dir: Path,
                          bridge: MessageBridge) -> Callable[[], None]:
    """Composition root: remote content for the main window's preview (``preview``: its
    PreviewPane) and every message window; returns what stops it at shutdown."""
    setup = RemoteContentSetup(policy, settings, data_dir, parent=preview)
    setup.not_saved.connect(bridge.report_error)
    if setup.senders.problems:
        bridge.warning(MSG_SENDERS_UNREADABLE)
    setup.join(preview.remote_content)
    from govmail_desktop.policy.live import LivePolicy

    if isinstance(policy, LivePolicy):  # IT changed the policy while the app runs
        policy.subscribe(lambda _change: setup.follow(policy))
    try:
        from govmail_desktop.ui import message_window
    except ImportError:  # pragma: no cover - the message window is part of the app
        return setup.shutdown

    def join_window(pane: Any, _window: Any) -> None:
        setup.join(pane.remote_content)

    message_window.REGISTRY.pane_hooks.append(join_window)
    return setup.shutdown
