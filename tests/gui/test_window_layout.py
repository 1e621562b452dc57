"""Pane sizes and the window's size are the user's.

Found when the app was tried as a new user would: the splitter between the message
list and the preview jumped on every selection, a message with warnings shrank the
list to a few rows, nothing was kept across restarts, and the 1100×720 window was
cramped on a 1366×768 laptop screen.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtTest import QTest

from govmail_desktop.core.errors import ConfigError
from govmail_desktop.core.settings import Settings
from govmail_desktop.services.mailbox_types import PREVIEW_READY
from govmail_desktop.ui.main_window import COMFORTABLE_SIZE, MainWindow
from tests.gui.mailbox_helpers import DATA, open_mailbox, select_uid  # noqa: F401
from tests.unit.store.factories import summary

pytestmark = pytest.mark.gui


def with_samples(cache) -> None:
    """A plain message, one with warnings and dangerous attachments, one forwarding a message."""
    inbox = cache.folder_id("INBOX")
    for uid, file in ((900, "03-tis620-8bit.eml"), (901, "09-dangerous-attachments.eml"),
                      (902, "10-forwarded-rfc822.eml")):
        cache.insert_summaries(inbox, [summary(uid)])
        cache.put_part(inbox, uid, "", (DATA / file).read_bytes())


def show(m, qtbot, uid: int) -> None:
    select_uid(m.window, uid)
    pane = m.window.preview_view
    qtbot.waitUntil(lambda: pane.uid == uid and pane.state == PREVIEW_READY and pane.isVisible())
    qtbot.wait(20)  # let the layout requests the new headers made be handled


def drag_handle(qtbot, splitter, index: int, by: int) -> None:
    """Move a splitter handle with the mouse, as the user does."""
    handle = splitter.handle(index)
    start = handle.rect().center()
    vertical = splitter.orientation() == Qt.Orientation.Vertical
    end = start + (QPoint(0, by) if vertical else QPoint(by, 0))
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(handle, end)
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=end)


# ---------------------------------------------------------------- the splitter stays where the user put it


def test_showing_messages_never_moves_the_splitter(open_mailbox, qtbot):
    m = open_mailbox(30, fill_cache=with_samples)
    w = m.window
    total = sum(w.list_splitter.sizes())
    w.list_splitter.setSizes([total - 180, 180])  # a small preview pane, as a user may want
    qtbot.wait(20)
    placed = w.list_splitter.sizes()
    for uid in (900, 901, 902, 900, 901):
        show(m, qtbot, uid)
        assert w.list_splitter.sizes() == placed, uid
    assert w.preview_view.warning_label.isVisibleTo(w)  # 901 has warnings: they are shown,
    assert w.preview_view.header_area.verticalScrollBar().maximum() > 0  # scrolling when there is no room
    w.message_view.selectionModel().clearSelection()
    qtbot.waitUntil(lambda: w.preview_placeholder.isVisible())
    assert w.list_splitter.sizes() == placed
    w.threading_action.trigger()
    qtbot.waitUntil(lambda: not m.models.message_model.building)
    show(m, qtbot, 901)
    assert w.list_splitter.sizes() == placed


def test_with_room_the_headers_and_warnings_are_shown_whole(open_mailbox, qtbot):
    m = open_mailbox(30, fill_cache=with_samples)
    w = m.window
    total = sum(w.list_splitter.sizes())
    w.list_splitter.setSizes([total // 3, total - total // 3])
    show(m, qtbot, 901)
    area = w.preview_view.header_area
    assert area.verticalScrollBar().maximum() == 0
    assert w.preview_view.attachment_panel.isVisibleTo(w)
    assert w.preview_view.body.height() > 3 * w.preview_view.body.fontMetrics().lineSpacing()


# ---------------------------------------------------------------- kept across restarts


def test_pane_sizes_and_window_geometry_come_back_after_a_restart(make_main_window, qtbot, tmp_path):
    path = tmp_path / "settings.json"
    first = make_main_window(settings=Settings(path)).window
    first.showNormal()
    first.setGeometry(QRect(40, 50, 700, 560))  # the test screen is 800×800
    qtbot.wait(20)
    drag_handle(qtbot, first.list_splitter, 1, -60)
    drag_handle(qtbot, first.main_splitter, 1, 45)
    list_sizes, main_sizes = first.list_splitter.sizes(), first.main_splitter.sizes()
    first.close()

    saved = Settings.load(path)
    assert saved.get("ui.pane_sizes") == ",".join(str(n) for n in main_sizes + list_sizes)
    assert saved.get("ui.window_geometry")
    second = make_main_window(settings=saved).window
    qtbot.wait(20)
    assert second.size() == QSize(700, 560)
    assert second.list_splitter.sizes() == list_sizes
    assert second.main_splitter.sizes() == main_sizes


def test_a_hidden_preview_pane_keeps_its_size_for_later(make_main_window, qtbot, tmp_path):
    path = tmp_path / "settings.json"
    w = make_main_window(settings=Settings(path)).window
    drag_handle(qtbot, w.list_splitter, 1, -40)
    sizes = w.list_splitter.sizes()
    w.preview_action.trigger()  # F8: hidden
    drag_handle(qtbot, w.main_splitter, 1, 30)
    w.close()
    assert Settings.load(path).get("ui.pane_sizes").split(",")[2:] == [str(n) for n in sizes]


@pytest.mark.parametrize("bad", ["1,2,3", "a,b,c,d", "1,2,3,4,5", "999999,1,1,1"])
def test_malformed_pane_sizes_are_refused_by_the_settings(tmp_path, bad):
    settings = Settings(tmp_path / "settings.json")
    with pytest.raises(ConfigError) as sizes:
        settings.set("ui.pane_sizes", bad)
    with pytest.raises(ConfigError) as geometry:
        settings.set("ui.window_geometry", "<not base64>")
    assert (type(sizes.value), type(geometry.value)) == (ConfigError, ConfigError)
    assert sizes.value.code == geometry.value.code == "settings"  # ConfigError, refused by the schema


# ---------------------------------------------------------------- the first start fits the screen


def test_a_small_screen_opens_the_window_maximised(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.restore_layout("", "", available=QRect(0, 0, 1366, 728))  # 1366×768 minus a task bar
    assert w.windowState() & Qt.WindowState.WindowMaximized
    assert w.size().width() <= 1366 and w.size().height() <= 728  # what un-maximising gives


def test_a_big_screen_gets_a_comfortable_window_in_its_middle(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    screen = QRect(0, 0, 1920, 1040)
    w.restore_layout("", "", available=screen)
    assert not w.windowState() & Qt.WindowState.WindowMaximized
    assert w.size() == COMFORTABLE_SIZE
    assert w.geometry().center() == screen.center() or abs(w.geometry().center().x() - screen.center().x()) <= 1


def test_a_saved_geometry_wins_over_the_screen_rule(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(700, 500)
    geometry, _ = first.layout_state()
    second = MainWindow()
    qtbot.addWidget(second)
    second.restore_layout(geometry, "", available=QRect(0, 0, 1366, 728))
    assert not second.windowState() & Qt.WindowState.WindowMaximized
    assert second.size() == QSize(700, 500)
