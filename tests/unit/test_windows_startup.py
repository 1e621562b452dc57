"""Windows start-up behaviour checked on any system: the AppUserModelID (so notifications
and the taskbar are not "Python") and start-up errors of the windowed executable, which has
no console (sys.stderr is None), shown in a message box instead of going nowhere."""

from __future__ import annotations

import ctypes
import io
import logging
import sys

from govmail_desktop import WINDOWS_APP_USER_MODEL_ID
from govmail_desktop.core.windows_shell import set_app_user_model_id
from govmail_desktop.wiring import startup_notice


class FakeSetter:
    def __init__(self, result: int) -> None:
        self.result = result
        self.argtypes: object = None
        self.restype: object = None
        self.calls: list[str] = []

    def __call__(self, app_id: str) -> int:
        assert self.argtypes == [ctypes.c_wchar_p] and self.restype is ctypes.c_long, "types declared first"
        self.calls.append(app_id)
        return self.result


class FakeShell32:
    def __init__(self, result: int = 0) -> None:
        self.SetCurrentProcessExplicitAppUserModelID = FakeSetter(result)


def test_app_user_model_id_is_set_on_windows_with_declared_types():
    shell32 = FakeShell32()
    assert set_app_user_model_id(WINDOWS_APP_USER_MODEL_ID, platform="win32", shell32=shell32)
    assert shell32.SetCurrentProcessExplicitAppUserModelID.calls == [WINDOWS_APP_USER_MODEL_ID]


def test_a_refused_app_user_model_id_is_logged(caplog):
    shell32 = FakeShell32(result=-2147024809)  # E_INVALIDARG
    with caplog.at_level(logging.WARNING):
        assert not set_app_user_model_id("GovMail.Desktop", platform="win32", shell32=shell32)
    assert "0x80070057" in caplog.text


def test_app_user_model_id_is_left_alone_elsewhere():
    shell32 = FakeShell32()
    assert not set_app_user_model_id("GovMail.Desktop", platform="linux", shell32=shell32)
    assert shell32.SetCurrentProcessExplicitAppUserModelID.calls == []


def test_start_up_message_goes_to_the_console_when_there_is_one(monkeypatch):
    console = io.StringIO()
    monkeypatch.setattr(sys, "stderr", console)
    boxes: list[str] = []
    startup_notice.tell("เปิดโปรแกรมไม่ได้", show_box=boxes.append)
    assert console.getvalue() == "เปิดโปรแกรมไม่ได้\n" and boxes == []


def test_without_a_console_the_message_is_shown_in_a_box(monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)  # the windowed govmail.exe
    boxes: list[str] = []
    startup_notice.tell("เปิดโปรแกรมไม่ได้", show_box=boxes.append)
    assert boxes == ["เปิดโปรแกรมไม่ได้"]
    boxes.clear()
    startup_notice.tell("the running app shows it too", box=False, show_box=boxes.append)
    assert boxes == []


def test_a_box_that_cannot_open_leaves_the_message_in_the_log(monkeypatch, caplog):
    monkeypatch.setattr(sys, "stderr", None)

    def no_display(text: str) -> None:
        raise RuntimeError("no display")

    with caplog.at_level(logging.ERROR):
        startup_notice.tell("เปิดโปรแกรมไม่ได้", show_box=no_display)
    assert "เปิดโปรแกรมไม่ได้" in caplog.text and "no display" in caplog.text


def test_a_start_up_failure_without_a_console_opens_a_box(monkeypatch, tmp_path):
    """The real main(): its folders cannot be made (GOVMAIL_HOME is a file) and there is no
    console: the official sees the reason in a box (it used to be printed to nowhere)."""
    from govmail_desktop import app

    blocker = tmp_path / "home"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("GOVMAIL_HOME", str(blocker))
    monkeypatch.setattr(sys, "stderr", None)
    boxes: list[str] = []
    monkeypatch.setattr(startup_notice, "_message_box", boxes.append)
    assert app.main([]) == 1
    assert len(boxes) == 1 and "สร้างโฟลเดอร์ของโปรแกรมไม่ได้" in boxes[0]
