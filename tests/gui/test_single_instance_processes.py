"""One app per profile, with real processes: the first runs offscreen on an isolated
GOVMAIL_HOME; a second ``govmail`` hands its request over and exits (no window, no
second sync or tray), a lock left by a SIGKILLed run is taken over, a malformed message
on the socket is ignored, and a Thai percent-encoded link arrives intact."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

from govmail_desktop.services.launch import LaunchRequest, encode_launch
from govmail_desktop.services.single_instance import REFUSED
from tests.suite_markers import running_as_root

pytestmark = pytest.mark.linux_only  # Unix sockets, SIGKILL

ROOT = Path(__file__).resolve().parents[2]

#: The first instance: prints READY <socket> when its window is shown, and one JSON line
#: for each composer it is asked to open.
_FIRST = """
import json, sys
from pathlib import Path
from govmail_desktop.app import main
from govmail_desktop.wiring.context import AppOverrides
from govmail_desktop.policy.sources import load_policy_file

def opened(ctx, request, files):
    print("COMPOSE " + json.dumps({
        "to": [[a.name, a.email] for a in request.to], "cc": [a.email for a in request.cc],
        "subject": request.subject, "body": request.body, "ignored": list(request.ignored),
        "files": [str(f) for f in files], "visible": ctx.window.isVisible(),
    }, ensure_ascii=False), flush=True)

def shown(ctx):
    print("READY " + (ctx.instance.name if ctx.instance else "-"), flush=True)

sys.exit(main(sys.argv[2:], AppOverrides(
    policy=load_policy_file(Path(sys.argv[1])), on_window_shown=shown, open_composer=opened,
    setup_wizard_launcher=lambda parent: None)))
"""

THAI_NAME = "สมชาย ใจดี"
THAI_SUBJECT = "ขอเชิญประชุมคณะทำงาน ด่วนที่สุด"
THAI_BODY = "เรียน ผู้อำนวยการ\nตามที่ได้ประสานไว้ 100% แล้ว"


def thai_link() -> str:
    to = quote(f'"{THAI_NAME}" <somchai@example.go.th>', safe="")
    return (f"mailto:{to}?cc=saraban%40example.go.th&subject={quote(THAI_SUBJECT)}"
            f"&body={quote(THAI_BODY)}&attach=%2Fetc%2Fpasswd")


class First:
    """The running app in its own process; its output read line by line."""

    def __init__(self, home: Path, policy: Path, *args: str, umask: int = -1) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _FIRST, str(policy), *args],
            env=dict(os.environ, QT_QPA_PLATFORM="offscreen", GOVMAIL_HOME=str(home)), cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", umask=umask,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, prefix: str, timeout: float = 60) -> str:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.stop()
                pytest.fail(f"no {prefix!r} line from the first instance; stderr: {self.proc.stderr.read()}")
            if line.startswith(prefix):
                return line[len(prefix):].strip()

    def ready(self) -> str:
        return self.next_line("READY")

    def composed(self) -> dict:
        return json.loads(self.next_line("COMPOSE"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def home():
    """A GOVMAIL_HOME with a short path (the socket lives in its data folder)."""
    folder = Path(tempfile.mkdtemp(prefix="gm-"))
    yield folder / "home"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def policy(tmp_path) -> Path:
    path = tmp_path / "policy.json"
    path.write_text('{"schema_version": 1}', encoding="utf-8")
    return path


@pytest.fixture
def first(home, policy):
    running = First(home, policy)
    yield running
    running.stop()


def second(home: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """A later ``govmail``: started the way a desktop does, but without any display, so it
    could not open a window even if it tried."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["GOVMAIL_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "govmail_desktop", *args], env=env, cwd=cwd,
        capture_output=True, text=True, encoding="utf-8", timeout=60,
    )


def log_text(home: Path) -> str:
    return (home / "log" / "govmail.log").read_text(encoding="utf-8")


def test_a_second_launch_hands_a_thai_link_and_files_over_and_exits(first, home, tmp_path):
    first.ready()
    docs = tmp_path / "เอกสาร"
    docs.mkdir()
    (docs / "คำสั่ง ที่ 1.pdf").write_bytes(b"%PDF-1.4\n")

    done = second(home, "--compose", thai_link(), "--attach", "คำสั่ง ที่ 1.pdf", cwd=docs)

    assert done.returncode == 0, done.stderr
    got = first.composed()
    assert got["to"] == [[THAI_NAME, "somchai@example.go.th"]]
    assert got["cc"] == ["saraban@example.go.th"]
    assert got["subject"] == THAI_SUBJECT and got["body"] == THAI_BODY
    assert got["ignored"] == ["attach"]  # a link never attaches a file
    assert got["files"] == [str(docs / "คำสั่ง ที่ 1.pdf")]  # relative to where the second was started
    assert got["visible"] is True
    log = log_text(home)
    # One app: one window, one set of mailboxes (one sync), one tray.
    assert log.count("Main window shown") == 1 and log.count("Mailboxes attached") == 1
    assert "request handed to the running instance (delivered)" in log


def test_a_bare_link_as_a_desktop_passes_it(first, home):
    first.ready()
    done = second(home, "mailto:saraban@example.go.th?subject=" + quote("ด่วน"))
    assert done.returncode == 0, done.stderr
    got = first.composed()
    assert got["to"] == [["", "saraban@example.go.th"]] and got["subject"] == "ด่วน"


def test_a_broken_link_is_explained_in_both_processes(first, home):
    first.ready()
    done = second(home, "--lang", "en", "--compose", "mailto:a@example.go.th?subject=%E0%B8")
    assert done.returncode == 2
    assert "UTF-8" in done.stderr
    assert "MailtoError" in _wait_for_log(home, "mailto-invalid")
    assert first.proc.poll() is None


def _wait_for_log(home: Path, text: str, timeout: float = 20) -> str:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        log = log_text(home)
        if text in log:
            return log
        time.sleep(0.1)
    pytest.fail(f"{text!r} never appeared in the log")


def test_a_stale_lock_after_sigkill_is_taken_over(home, policy):
    killed = First(home, policy)
    name = killed.ready()
    killed.proc.send_signal(signal.SIGKILL)
    killed.proc.wait(timeout=20)
    assert (home / "data" / "instance.lock").exists() and Path(name).exists()  # left behind

    link = "mailto:saraban@example.go.th?subject=" + quote(THAI_SUBJECT)
    after = First(home, policy, "--compose", link)
    try:
        assert after.ready() == name
        assert after.composed()["subject"] == THAI_SUBJECT  # its own request: it is the running app now
        done = second(home, "--compose", "mailto:a@example.go.th")
        assert done.returncode == 0, done.stderr
        assert after.composed()["to"] == [["", "a@example.go.th"]]
    finally:
        after.stop()


def test_a_malformed_socket_message_is_ignored(first, home):
    name = first.ready()
    for data in (b"\x00\x00\x00\x05hello", b"\xff\xff\xff\xff", b"\x00\x00\x00\x02{}"):
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(20)
            sock.connect(name)
            sock.sendall(data)
            assert sock.recv(1) == REFUSED
    with socket.socket(socket.AF_UNIX) as sock:  # the running app still answers
        sock.settimeout(20)
        sock.connect(name)
        sock.sendall(encode_launch(LaunchRequest(compose=True, mailto="mailto:ok@example.go.th")))
        assert sock.recv(1) != REFUSED
    assert first.composed()["to"] == [["", "ok@example.go.th"]]
    assert first.proc.poll() is None
    assert log_text(home).count("Ignored a malformed message") == 3


@pytest.mark.skipif(not running_as_root(), reason="running a process as another user needs root")
def test_another_local_user_cannot_connect(home, policy):
    # Every folder on the way is open to others and the app runs with umask 0 (a socket
    # made the plain way would be rw for all), so only the socket's own mode stops them.
    (home / "data").mkdir(parents=True)
    for folder in (home.parent, home, home / "data"):
        folder.chmod(0o755)
    running = First(home, policy, umask=0)
    try:
        name = running.ready()
        assert Path(name).parent == home / "data"
        probe = (
            "import socket, sys\n"
            "s = socket.socket(socket.AF_UNIX)\n"
            "try:\n    s.connect(sys.argv[1])\nexcept PermissionError:\n    print('refused')\n"
            "else:\n    print('connected')\n"
        )
        other = subprocess.run(["/usr/bin/python3", "-c", probe, name], user=65534, group=65534,
                               capture_output=True, text=True, timeout=30, cwd="/")
        assert other.stdout.strip() == "refused", other.stderr
    finally:
        running.stop()
