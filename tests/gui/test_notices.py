"""Status-bar notices end with the state they are about.

The window over a real cache, the sync service the fake of mailbox_helpers: an
action's notice ("no Archive folder", a failure) goes once a later action has
ended done; a connection's notice (the password needed, a refused certificate)
goes once the account is connected; other notices stay.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from govmail_desktop.core.actions import Outcome
from govmail_desktop.core.errors import PasswordNeeded, ServerError, TlsError
from tests.gui.mailbox_helpers import open_mailbox, select_uid  # noqa: F401
from tests.unit.store.factories import STANDARD_FOLDERS


def without_archive(cache) -> None:
    cache.upsert_folders([f for f in STANDARD_FOLDERS if f.name != "Archive"], remove_missing=True)


def test_an_archive_warning_ends_when_a_later_action_has_succeeded(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_archive)
    w = m.window
    assert m.service.archive([5]) is None  # nothing archived: said in the status bar
    assert w.notice_level == "warning" and "เก็บถาวร" in w.notice_label.text()
    select_uid(w, 7)
    QTest.keyClick(w.message_view, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: bool(m.sync.applied))
    assert w.notice_level == "warning"  # not before the later action has ended
    with qtbot.waitSignal(m.service.action_settled) as signal:
        m.sync.done()
    assert signal.args[1] is Outcome.DONE
    assert (w.notice_level, w.notice_label.text()) == ("", "")


def test_an_action_failure_stays_until_a_later_action_succeeds_not_an_earlier_one(open_mailbox, qtbot):
    m = open_mailbox(10)
    w = m.window
    earlier = m.service.set_flagged([3])
    qtbot.waitUntil(lambda: len(m.sync.applied) == 1)
    failing = m.service.mark_read([4])
    qtbot.waitUntil(lambda: len(m.sync.applied) == 2)
    first, second = m.sync.applied
    assert (first.op_id, second.op_id) == (earlier, failing)
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.failed(ServerError(detail="NO [CANNOT]"), second)
    assert w.notice_level == "error"
    with qtbot.waitSignal(m.service.action_settled):
        m.sync.done(first)  # started before the failure: it does not end that notice
    assert w.notice_level == "error"
    later = m.service.mark_read([5])
    qtbot.waitUntil(lambda: len(m.sync.applied) == 3)
    with qtbot.waitSignal(m.service.action_settled) as signal:
        m.sync.done()
    assert signal.args[0] == later and w.notice_level == ""


def test_password_needed_ends_when_the_account_has_connected(open_mailbox, qtbot):
    m = open_mailbox(10)
    w = m.window
    m.sync.problem.emit(PasswordNeeded(detail="no password known"))
    assert w.notice_level == "error" and "รหัสผ่าน" in w.notice_label.text()
    m.sync.connection_state.emit("connecting")
    assert w.notice_level == "error"  # trying is not connected
    m.sync.connection_state.emit("syncing")
    assert (w.notice_level, w.notice_label.text()) == ("", "")
    # A certificate refused on the next attempt: also about the connection, also ended by it.
    m.sync.problem.emit(TlsError(detail="self-signed"))
    assert w.notice_level == "error"
    m.sync.connection_state.emit("online")
    assert w.notice_level == ""


def test_connecting_does_not_take_away_a_notice_about_something_else(open_mailbox, qtbot):
    m = open_mailbox(10, fill_cache=without_archive)
    w = m.window
    m.sync.problem.emit(PasswordNeeded(detail="no password known"))
    m.service.archive([5])  # shown after it: the status bar says this now
    text = w.notice_label.text()
    m.sync.connection_state.emit("online")
    assert w.notice_level == "warning" and w.notice_label.text() == text
