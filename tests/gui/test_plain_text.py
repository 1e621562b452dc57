"""Text from messages, servers and file names is shown as plain text: nothing in it loads a file.

A subject, display name, folder name or attachment name such
as ``<img src="PATH">`` must never be rendered as Qt rich text: Qt would open
PATH (on Windows a ``\\\\host\\share`` path sends the user's credentials hash
to that host). How it is seen here: every hostile string names its own small
PNG in a directory watched with Linux inotify, so *any* open of such a file by
Qt — a label laid out, a tooltip shown, a cell hovered — is counted. The probe
proves itself first on a rich-text label and a raw tooltip (it must see those).

The walk is generic: every model role a view shows as rich text, every cell
hovered as a user would, and every label and tooltip of the window, the
password prompt and the setup wizard, after hostile data went through the real
paths (cache → models, body → preview pane, errors → message bridge → status
bar, progress, new-mail notification).
"""

from __future__ import annotations

import ctypes
import email.policy
import os
import struct
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QImage, QTextDocument
from PySide6.QtGui import Qt as QtGui_Qt  # has mightBeRichText
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QToolTip, QWidget

from govmail_desktop.core.entities import Address, Folder, SpecialUse
from govmail_desktop.models.plain_text import notification_text, plain_label, plain_tooltip
from tests.gui.mailbox_helpers import open_mailbox, select_uid  # noqa: F401
from tests.unit.store.factories import summary

pytestmark = pytest.mark.linux_only  # counts file opens with Linux inotify
#: Showing tooltips on the offscreen platform: the plugin's own notes, not the app's.
offscreen_tooltips = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|propagateSizeHints\(\))")

IN_OPEN = 0x20
HOSTILE_UID = 900


class FileOpenProbe:
    """Small PNG files whose every open is counted (inotify), and hostile text naming them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        if self._libc.inotify_add_watch(self._fd, os.fsencode(directory), IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch failed")
        self._made = 0
        self._pending: list[str] = []

    def hostile(self, what: str) -> str:
        """``<img src="…/what-N.png">what``: a new file each time (Qt caches images by name)."""
        self._made += 1
        path = self.directory / f"{what}-{self._made}.png"
        image = QImage(4, 4, QImage.Format.Format_ARGB32)
        image.fill(0xFFFF0000)
        assert image.save(str(path))
        # Writing it is not a leak; opens of the other files so far still count.
        self._pending = [name for name in self._read() if name != path.name]
        return f'<img src="{path}">{what}'

    def opened(self) -> list[str]:
        """Names of the files opened since the last call."""
        names = self._read()
        self._pending = []
        return names

    def _read(self) -> list[str]:
        names = list(self._pending)
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return names
            offset = 0
            while offset < len(data):
                _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16: offset + 16 + length].rstrip(b"\0").decode()
                names.append(name)
                offset += 16 + length

    def close(self) -> None:
        os.close(self._fd)


@pytest.fixture
def probe(tmp_path) -> Iterator[FileOpenProbe]:
    directory = tmp_path / "probe"
    directory.mkdir()
    p = FileOpenProbe(directory)
    yield p
    p.close()


# ---------------------------------------------------------------- what a user's pointer and eyes do


def show_tooltip(text: str, widget: QWidget | None = None) -> None:
    QToolTip.showText(QPoint(20, 20), text, widget)
    QApplication.processEvents()
    QToolTip.hideText()
    QApplication.processEvents()


def hover(widget: QWidget, pos: QPoint) -> None:
    """The tooltip event Qt sends when the pointer rests on ``widget`` at ``pos``."""
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    QApplication.processEvents()
    QToolTip.hideText()
    QApplication.processEvents()


def indexes(model: QAbstractItemModel, parent: QModelIndex = QModelIndex()) -> Iterator[QModelIndex]:
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            yield index
            if column == 0:
                yield from indexes(model, index)


#: Roles a view shows through QToolTip / QWhatsThis, which guess rich text.
RICH_TEXT_ROLES = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole)


def walk_every_role(model: QAbstractItemModel) -> int:
    """Every index × every role; the strings of rich-text roles are shown as a view shows them."""
    shown = 0
    last_role = int(Qt.ItemDataRole.UserRole) + 32
    for index in indexes(model):
        for role in range(last_role + 1):
            value = model.data(index, role)
            if isinstance(value, str) and value and role in RICH_TEXT_ROLES:
                show_tooltip(value)
                shown += 1
    return shown


def hover_every_cell(view: QAbstractItemView) -> None:
    view.scrollToTop()
    for index in indexes(view.model()):
        rect = view.visualRect(index)
        if rect.isValid() and view.viewport().rect().intersects(rect):
            hover(view.viewport(), rect.center())


def look_at_every_widget(top: QWidget) -> None:
    """Every label laid out and painted (shown or not), every tooltip shown."""
    for widget in [top, *top.findChildren(QWidget)]:
        if isinstance(widget, QLabel):
            widget.sizeHint()
            widget.grab()
        if widget.toolTip():
            show_tooltip(widget.toolTip(), widget)
    top.grab()


def rendered(tooltip: str) -> str:
    """What a tooltip shows (rich text is rendered, plain text is shown as it is)."""
    if not QtGui_Qt.mightBeRichText(tooltip):
        return tooltip
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


# ---------------------------------------------------------------- the probe sees a leak


@offscreen_tooltips
def test_the_probe_sees_qt_open_a_file_named_in_rich_text(qtbot, probe):
    label = QLabel()
    qtbot.addWidget(label)
    label.setText(probe.hostile("label"))
    look_at_every_widget(label)
    assert [n for n in probe.opened() if n.startswith("label-")], "an AutoText label must load the image"
    show_tooltip(probe.hostile("tooltip"))
    assert [n for n in probe.opened() if n.startswith("tooltip-")], "a raw tooltip must load the image"
    plain = plain_label(QLabel())
    qtbot.addWidget(plain)
    plain.setText(probe.hostile("plain"))
    look_at_every_widget(plain)
    show_tooltip(plain_tooltip(probe.hostile("escaped")))
    assert probe.opened() == []


@pytest.mark.parametrize(
    "text",
    ["a & b", "&lt;b&gt; is not bold", "<b>not bold</b>", 'x <y@z.th>', "two\nlines", "สมชาย <somchai@agency.go.th>"],
)
def test_a_plain_tooltip_shows_exactly_the_text(qapp, text):
    assert rendered(plain_tooltip(text)) == text
    assert plain_tooltip("") == "" and plain_tooltip(None) is None


def test_notification_text_has_no_markup_and_stays_readable():
    text = notification_text('สมชาย <somchai@agency.go.th>: <img src="/x.png"> & more')
    assert not set("<>&") & set(text)
    assert text == "สมชาย ‹somchai@agency.go.th›: ‹img src=\"/x.png\"› ＆ more"


# ---------------------------------------------------------------- the app's paths


def hostile_mailbox(probe: FileOpenProbe):
    """Cache filler: hostile subject, names and folder, and a body with a hostile attachment name."""

    def fill(cache) -> None:
        inbox = cache.folder_id("INBOX")
        ids = cache.upsert_folders(
            [Folder(probe.hostile("folder"), None), Folder("Sent", "/", SpecialUse.SENT, frozenset({"\\Sent"}))],
            remove_missing=False,
        )
        folder = ids[next(name for name in ids if name != "Sent")]

        def hostile_summary(uid: int, **fields):
            return summary(
                uid,
                subject=probe.hostile("subject"),
                from_=(Address(probe.hostile("from"), "x@evil.example"),),
                to=(Address(probe.hostile("to"), "y@evil.example"),),
                cc=(Address(probe.hostile("cc"), "z@evil.example"),),
                **fields,
            )

        cache.insert_summaries(inbox, [hostile_summary(HOSTILE_UID, has_attachments=True)])
        cache.insert_summaries(folder, [hostile_summary(2)])  # unread: "{name}: 1 unread"
        cache.insert_summaries(ids["Sent"], [hostile_summary(4)])  # Sent shows the recipients
        body = EmailMessage()
        body["From"] = formataddr((probe.hostile("body-from"), "x@evil.example"))
        body["To"] = "me@agency.go.th"
        body["Subject"] = probe.hostile("body-subject")
        body.set_content("text")
        body.add_attachment(b"MZ", maintype="application", subtype="octet-stream",
                            filename=probe.hostile("attachment") + ".exe")
        # Unfolded: how folded address headers are parsed is another test's business.
        cache.put_part(inbox, HOSTILE_UID, "", body.as_bytes(policy=email.policy.default.clone(max_line_length=0)))

    return fill


@pytest.fixture
def hostile(open_mailbox, probe, qtbot):
    from govmail_desktop.policy.attachments import AttachmentRules
    from govmail_desktop.policy.model import AttachmentsSection

    rules = AttachmentRules(AttachmentsSection(max_size_mb=25, blocked_extensions=(".exe",)))
    m = open_mailbox(3, fill_cache=hostile_mailbox(probe), attachment_rules=rules)
    m.window.folder_view.expandAll()
    probe.opened()  # only what the window shows from here on counts
    return m


def no_leaks(leaks: dict[str, list[str]]) -> dict[str, list[str]]:
    return {stage: [] for stage in leaks}


@offscreen_tooltips
def test_hostile_subjects_names_and_folder_names_in_the_lists_open_no_file(hostile, probe, qtbot):
    w = hostile.window
    leaks = {}
    walked = walk_every_role(w.message_view.model())
    leaks["message list roles"] = probe.opened()
    walked += walk_every_role(w.folder_view.model())
    leaks["folder tree roles"] = probe.opened()
    assert walked > 10
    hover_every_cell(w.message_view)
    leaks["message list hovered"] = probe.opened()
    hover_every_cell(w.folder_view)
    leaks["folder tree hovered"] = probe.opened()
    sent = hostile.cache.folder_id("Sent")
    hostile.service.select_folder(sent)
    qtbot.waitUntil(lambda: w.message_view.model().folder_id == sent)
    walk_every_role(w.message_view.model())
    hover_every_cell(w.message_view)
    leaks["Sent (recipients) list"] = probe.opened()
    look_at_every_widget(w)
    leaks["window"] = probe.opened()
    assert leaks == no_leaks(leaks)
    # Shown as the text it is, not dropped as an unknown tag.
    index = w.message_view.model().index(0, 1)
    assert rendered(index.data(Qt.ItemDataRole.ToolTipRole)).startswith('<img src="')


@offscreen_tooltips
def test_hostile_headers_and_attachment_names_in_the_preview_open_no_file(hostile, probe, qtbot):
    from govmail_desktop.services.mailbox_types import PREVIEW_READY

    w = hostile.window
    select_uid(w, HOSTILE_UID)
    qtbot.waitUntil(lambda: w.preview_view.state == PREVIEW_READY)
    pane = w.preview_view
    panel = pane.attachment_panel
    assert "attachment-" in panel.summary_text() and "attachment-" in panel.list.item(0).toolTip()
    assert "body-subject-" in pane.subject_label.text() and "body-from-" in pane.from_label.text()
    leaks = {"preview shown": probe.opened()}
    for label in pane.findChildren(QLabel):
        hover(label, label.rect().center())
    for row in range(panel.list.count()):  # the attachment list's tooltips name the files
        hover(panel.list.viewport(), panel.list.visualItemRect(panel.list.item(row)).center())
    leaks["preview hovered"] = probe.opened()
    look_at_every_widget(w)
    leaks["window"] = probe.opened()
    assert leaks == no_leaks(leaks)


@offscreen_tooltips
def test_hostile_text_in_notices_progress_and_new_mail_opens_no_file(hostile, probe, qtbot):
    from govmail_desktop.net.failures import DNS, network_error

    w = hostile.window
    leaks = {}
    hostile.bridge.report_error(network_error(DNS, probe.hostile("host"), 993))
    assert "host-" in w.notice_label.text()
    hover(w.notice_label, w.notice_label.rect().center())
    look_at_every_widget(w)
    leaks["error notice"] = probe.opened()
    hostile.bridge.warning(probe.hostile("notice"))
    look_at_every_widget(w)
    leaks["warning notice"] = probe.opened()
    hostile.sync.progress.emit(probe.hostile("progress"), 1, 2)
    qtbot.waitUntil(lambda: "progress-" in w.sync_progress.label.text())
    look_at_every_widget(w)
    leaks["sync progress"] = probe.opened()
    tray = hostile.mailboxes.tray
    new = summary(950, from_=(Address(probe.hostile("new-from"), "x@evil.example"),),
                  subject=probe.hostile("new-subject"))
    with qtbot.waitSignal(tray.notified) as notified:
        hostile.sync.deliver_new_mail(hostile.inbox, [new])
    look_at_every_widget(w)
    leaks["new mail"] = probe.opened()
    assert leaks == no_leaks(leaks)
    title, text = notified.args
    # What goes to the notification server has no markup in it, and still reads the same.
    assert "new-subject" in text and not set("<>&") & set(title + text)
    assert "‹x@evil.example›" in text


@offscreen_tooltips
def test_hostile_server_texts_in_the_password_prompt_and_setup_wizard_open_no_file(qtbot, probe, tmp_path):
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.net.failures import DNS, network_error
    from govmail_desktop.services.account_setup import AccountSetupService
    from govmail_desktop.ui.password_prompt import PasswordPrompt
    from govmail_desktop.ui.setup_wizard import SetupWizard
    from tests.gui.wizard_helpers import loopback_policy

    leaks = {}
    prompt = PasswordPrompt(probe.hostile("address"), probe.hostile("reason"), can_remember=True)
    qtbot.addWidget(prompt)
    prompt.show()
    look_at_every_widget(prompt)
    leaks["password prompt"] = probe.opened()

    def never_called(*_args, **_kwargs):
        raise AssertionError("no connection in this test")

    wizard = SetupWizard(
        AccountSetupService(loopback_policy(), None, never_called, settings=Settings(tmp_path / "settings.json"))
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.service.progress.emit(probe.hostile("step"))
    wizard.service.failed.emit(network_error(DNS, probe.hostile("server"), 993))
    qtbot.waitUntil(lambda: "server-" in wizard.check_page.error_label.text())
    for page in (wizard.account_page, wizard.check_page):
        look_at_every_widget(page)
    look_at_every_widget(wizard)
    leaks["setup wizard"] = probe.opened()
    assert leaks == no_leaks(leaks)
