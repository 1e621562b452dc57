"""The message bridge: typed errors become one sentence in the user's language."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QObject, QThread, Slot

from govmail_desktop.core.errors import AuthError, Cancelled, NetworkError, StorageError
from govmail_desktop.i18n import catalog
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.services.message_bridge import MessageBridge

pytestmark = pytest.mark.gui


@pytest.fixture
def bridge(qapp):
    b = MessageBridge()
    yield b
    catalog.set_language(catalog.DEFAULT_LANGUAGE)


def test_environment_error_is_an_actionable_thai_sentence(bridge, qtbot, caplog):
    with qtbot.waitSignal(bridge.message) as signal:
        bridge.report_error(NetworkError(detail="connect to 203.0.113.5:993: timed out"))

    level, text = signal.args
    assert level == "error"
    assert text == (
        "ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ กรุณาตรวจสอบการเชื่อมต่อเครือข่ายแล้วลองใหม่อีกครั้ง"
    )
    # The technical detail is for the log, not for the user.
    assert "203.0.113.5" not in text
    assert "203.0.113.5" in caplog.text
    assert "Traceback" not in caplog.text


def test_english_when_the_ui_is_english(bridge, qtbot):
    catalog.set_language("en")
    with qtbot.waitSignal(bridge.message) as signal:
        bridge.report_error(AuthError())
    assert signal.args == [
        "error",
        "The e-mail address or password is incorrect. Please check your password and try again.",
    ]


def test_unexpected_exception_says_please_report_and_logs_the_traceback(bridge, qtbot, caplog):
    def broken() -> None:
        raise ZeroDivisionError("division by zero in the folder counter")

    try:
        broken()
    except ZeroDivisionError as exc:
        with qtbot.waitSignal(bridge.message) as signal:
            bridge.report_exception(exc)

    level, text = signal.args
    assert level == "error"
    assert text.startswith("เกิดข้อผิดพลาดที่ไม่คาดคิด")
    assert "แจ้งเจ้าหน้าที่ไอที" in text
    assert "ZeroDivisionError" not in text  # no Python jargon for the user
    assert "Traceback" in caplog.text and "in broken" in caplog.text
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_typed_error_passed_as_exception_keeps_its_wording(bridge, qtbot):
    with qtbot.waitSignal(bridge.message) as signal:
        bridge.report_exception(StorageError(detail="disk full"))
    assert signal.args[1].startswith("ไม่สามารถบันทึกข้อมูล")


def test_cancelled_is_information_not_an_error(bridge, qtbot):
    with qtbot.waitSignal(bridge.message) as signal:
        bridge.report_error(Cancelled())
    assert signal.args == ["info", "ยกเลิกแล้ว"]


def test_notices_accept_marked_messages(bridge, qtbot):
    with qtbot.waitSignal(bridge.message) as signal:
        bridge.warning(QT_TRANSLATE_NOOP("FolderPane", "Inbox"))
    assert signal.args == ["warning", "กล่องจดหมายเข้า"]


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[tuple[str, str, bool]] = []

    @Slot(str, str)
    def on_message(self, level: str, text: str) -> None:
        in_gui_thread = QThread.currentThread() is self.thread()
        self.received.append((level, text, in_gui_thread))


def test_reports_from_a_worker_thread_arrive_in_the_gui_thread(bridge, qtbot):
    receiver = _Receiver()
    bridge.message.connect(receiver.on_message)

    worker = threading.Thread(target=lambda: bridge.report_error(NetworkError()))
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: len(receiver.received) == 1)
    level, text, in_gui_thread = receiver.received[0]
    assert level == "error" and text.startswith("ไม่สามารถเชื่อมต่อ")
    assert in_gui_thread
