"""The policy watcher: re-reads off the GUI thread on a timer, on a file change, and on
Windows' WM_SETTINGCHANGE "Policy" broadcast (parsed from a synthetic MSG here)."""

from __future__ import annotations

import ctypes
import json
import os
import threading
from functools import partial
from pathlib import Path

import pytest

from govmail_desktop.core.errors import PolicyRefused
from govmail_desktop.policy.live import LivePolicy, PolicyReloader
from govmail_desktop.policy.sources import load_policy_file, policy_from_dict
from govmail_desktop.services.policy_watcher import (
    MSG,
    WINDOWS_MSG,
    WM_SETTINGCHANGE,
    PolicyBroadcastFilter,
    PolicyWatcher,
    message_is_policy_broadcast,
    read_utf16,
)

pytestmark = pytest.mark.gui

HOUR_MS = 3600 * 1000


def synthetic_msg(message: int, text: str | None) -> tuple[MSG, object]:
    """A MSG as Windows hands it to the filter; lParam points at UTF-16 text (kept alive)."""
    buffer = None
    lparam = 0
    if text is not None:
        raw = (text + "\0").encode("utf-16-le")
        buffer = ctypes.create_string_buffer(raw, len(raw))
        lparam = ctypes.addressof(buffer)
    return MSG(hwnd=0xFFFF, message=message, wParam=1, lParam=lparam), buffer


@pytest.mark.parametrize(("message", "text", "expected"), [
    (WM_SETTINGCHANGE, "Policy", True),
    (WM_SETTINGCHANGE, "policy", True),
    (WM_SETTINGCHANGE, "Environment", False),  # a planted look-alike: another area
    (WM_SETTINGCHANGE, None, False),  # lParam 0: a SystemParametersInfo change
    (0x0010, "Policy", False),  # WM_CLOSE with a pointer that happens to say Policy
])
def test_the_settingchange_policy_broadcast_is_recognised(message, text, expected):
    msg, _keep = synthetic_msg(message, text)
    assert message_is_policy_broadcast(ctypes.addressof(msg)) is expected


def test_the_area_text_is_read_bounded_and_never_past_its_end():
    long_text = ("x" * 100 + "\0").encode("utf-16-le")
    buffer = ctypes.create_string_buffer(long_text, len(long_text))
    assert read_utf16(ctypes.addressof(buffer)) is None  # longer than any area name: not read on
    thai = ("นโยบาย\0").encode("utf-16-le")
    buffer = ctypes.create_string_buffer(thai, len(thai))
    assert read_utf16(ctypes.addressof(buffer)) == "นโยบาย"
    assert read_utf16(0) is None


def test_the_native_filter_calls_back_and_lets_every_message_through():
    heard = []
    native = PolicyBroadcastFilter(lambda: heard.append(1))
    msg, _keep = synthetic_msg(WM_SETTINGCHANGE, "Policy")
    assert native.nativeEventFilter(WINDOWS_MSG, ctypes.addressof(msg)) == (False, 0)
    assert heard == [1]
    assert native.nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(msg)) == (False, 0)
    other, _keep2 = synthetic_msg(WM_SETTINGCHANGE, "intl")
    assert native.nativeEventFilter(WINDOWS_MSG, ctypes.addressof(other)) == (False, 0)
    assert heard == [1]


def write_policy(path: Path, allow: list[str]) -> None:
    tmp = path.with_suffix(".new")
    tmp.write_text(json.dumps({"schema_version": 1, "servers": {"allow": allow}}), encoding="utf-8")
    os.replace(tmp, path)  # as a deployment tool replaces it


def test_a_replaced_policy_file_is_read_again_and_later_checks_use_it(qtbot, tmp_path):
    path = tmp_path / "policy.json"
    write_policy(path, ["mail.a.go.th"])
    load = partial(load_policy_file, path)
    live = LivePolicy(load())
    servers = live.server_policy()
    watcher = PolicyWatcher(PolicyReloader(live, load), files=[path], interval_ms=HOUR_MS, native_filter=False)
    watcher.start()
    try:
        with qtbot.waitSignal(watcher.changed, timeout=10_000) as blocker:
            write_policy(path, ["mail.b.go.th"])
        assert "servers.allow" in blocker.args[0].changed
        assert servers.check_host("mail.b.go.th") == "mail.b.go.th"
        with pytest.raises(PolicyRefused):
            servers.check_host("mail.a.go.th")
        # The file is watched again after its replacement: a second change is seen too.
        with qtbot.waitSignal(watcher.changed, timeout=10_000):
            write_policy(path, ["mail.c.go.th"])
        assert servers.check_host("mail.c.go.th") == "mail.c.go.th"
    finally:
        watcher.stop()


def test_the_periodic_check_reads_off_the_gui_thread(qtbot):
    reads: list[str] = []
    allow = ["mail.a.go.th"]

    def load():
        reads.append(threading.current_thread().name)
        return policy_from_dict({"servers": {"allow": list(allow)}})

    live = LivePolicy(load())
    reads.clear()
    watcher = PolicyWatcher(PolicyReloader(live, load), interval_ms=50, native_filter=False)
    watcher.start()
    try:
        allow[:] = ["mail.b.go.th"]
        with qtbot.waitSignal(watcher.changed, timeout=10_000):
            pass
        assert live.server_policy().check_host("mail.b.go.th") == "mail.b.go.th"
        assert reads and threading.main_thread().name not in reads
    finally:
        watcher.stop()


def test_checks_asked_while_a_read_runs_give_one_more_read(qtbot):
    started, release = threading.Event(), threading.Event()
    count = []

    def load():
        count.append(1)
        if len(count) == 1:
            started.set()
            release.wait(10)
        return policy_from_dict({"servers": {"allow": [f"mail{len(count)}.go.th"]}})

    live = LivePolicy(policy_from_dict({}))
    watcher = PolicyWatcher(PolicyReloader(live, load), interval_ms=HOUR_MS, native_filter=False)
    watcher.check_now()
    assert started.wait(10)
    watcher.check_now()
    watcher.check_now()
    release.set()
    qtbot.waitUntil(lambda: len(count) == 2 and not watcher._busy, timeout=10_000)
    qtbot.wait(100)
    assert len(count) == 2
    assert live.server_policy().check_host("mail2.go.th") == "mail2.go.th"
