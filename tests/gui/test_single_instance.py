"""The single-instance parts in one process (services/single_instance.py): where the socket
lives and who may use it, the lock, and a server that ignores malformed messages."""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import struct
from pathlib import Path

import pytest

from govmail_desktop.core.paths import AppPaths
from govmail_desktop.services import single_instance
from govmail_desktop.services.launch import MAX_MESSAGE_BYTES, LaunchRequest, encode_launch
from govmail_desktop.services.single_instance import (
    ACCEPTED,
    REFUSED,
    HandOver,
    InstanceGuard,
    InstanceServer,
    hand_over,
    peer_uid,
    server_name,
)
from tests.suite_markers import running_as_root

pytestmark = pytest.mark.linux_only  # Unix sockets and their modes


def paths_in(root: Path) -> AppPaths:
    paths = AppPaths(root / "config", root / "data", root / "cache", root / "log")
    paths.ensure()
    return paths


@pytest.fixture
def short_tmp():
    """A folder with a short path (a socket path has at most about 100 bytes)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="gm-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def private(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


# -- where the socket lives --------------------------------------------------------------------------


def test_a_private_runtime_folder_is_preferred(tmp_path, short_tmp):
    runtime = private(short_tmp / "run")
    name = server_name(paths_in(tmp_path / "p"), environ={"XDG_RUNTIME_DIR": str(runtime)})
    assert name is not None and Path(name).parent == runtime


def test_each_profile_has_its_own_socket(tmp_path, short_tmp):
    runtime = {"XDG_RUNTIME_DIR": str(private(short_tmp / "run"))}
    assert server_name(paths_in(tmp_path / "a"), environ=runtime) != server_name(paths_in(tmp_path / "b"),
                                                                                  environ=runtime)


def test_a_runtime_folder_others_can_enter_is_not_used(tmp_path, short_tmp):
    runtime = short_tmp / "run"
    runtime.mkdir(mode=0o755)
    runtime.chmod(0o755)
    paths = paths_in(short_tmp / "p")
    paths.data_dir.chmod(0o755)
    assert server_name(paths, environ={"XDG_RUNTIME_DIR": str(runtime)}) == str(paths.data_dir / "instance.sock")


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_data_folder_others_can_write_to_is_not_used(short_tmp, mode):
    paths = paths_in(short_tmp / "p")
    paths.data_dir.chmod(mode)
    temp_root = short_tmp / "tmp"
    temp_root.mkdir()
    name = server_name(paths, environ={}, temp_root=temp_root)
    assert name is not None
    folder = Path(name).parent
    assert folder.parent == temp_root
    info = folder.lstat()
    assert info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o700


def test_a_folder_of_another_user_is_never_used(short_tmp):
    paths = paths_in(short_tmp / "p")
    runtime = private(short_tmp / "run")
    temp_root = short_tmp / "tmp"
    temp_root.mkdir()
    # As a user who owns none of these folders: no safe place at all.
    assert server_name(paths, environ={"XDG_RUNTIME_DIR": str(runtime)}, uid=os.geteuid() + 4242,
                       temp_root=temp_root) is None


@pytest.mark.parametrize("squat", ["open-folder", "symlink", "file"])
def test_a_temp_folder_made_in_advance_by_someone_else_is_refused(short_tmp, squat):
    paths = paths_in(short_tmp / "p")
    paths.data_dir.chmod(0o777)  # not usable, so the temp folder would be
    temp_root = short_tmp / "tmp"
    temp_root.mkdir()
    target = temp_root / f"govmail-desktop-{os.geteuid()}"
    if squat == "open-folder":
        target.mkdir()
        target.chmod(0o777)
    elif squat == "symlink":
        elsewhere = private(short_tmp / "elsewhere")
        target.symlink_to(elsewhere)
    else:
        target.write_text("x")
    assert server_name(paths, environ={}, temp_root=temp_root) is None


def test_a_path_too_long_for_a_socket_falls_back_to_a_short_one(short_tmp):
    deep = short_tmp / ("d" * 60) / ("e" * 60)
    paths = paths_in(deep)
    paths.data_dir.chmod(0o755)
    temp_root = private(short_tmp / "t")
    name = server_name(paths, environ={}, temp_root=temp_root)
    assert name is not None and len(os.fsencode(name)) <= single_instance.MAX_SOCKET_PATH
    assert Path(name).parent.parent == temp_root


def test_windows_pipe_names_carry_user_and_profile(tmp_path):
    a = server_name(paths_in(tmp_path / "a"), platform="win32")
    b = server_name(paths_in(tmp_path / "b"), platform="win32")
    assert a and b and a != b
    assert a.startswith("govmail-desktop-") and "/" not in a and "\\" not in a


# -- the lock --------------------------------------------------------------------------------------------


def test_only_one_holder_of_the_lock(tmp_path):
    paths = paths_in(tmp_path / "p")
    first, second = InstanceGuard(paths), InstanceGuard(paths)
    assert first.acquire() is True
    assert second.acquire() is False
    first.release()
    assert second.acquire() is True
    second.release()


# -- the server ------------------------------------------------------------------------------------------


@pytest.fixture
def server(qtbot, tmp_path):
    name = str(private(tmp_path / "s") / "i.sock")
    srv = InstanceServer(name)
    assert srv.listen()
    got: list[LaunchRequest] = []
    srv.set_handler(got.append)
    srv.got = got
    yield srv
    srv.close()
    srv.deleteLater()


def raw_client(name: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(name)
    sock.setblocking(False)
    return sock


def answer_of(qtbot, sock: socket.socket) -> bytes:
    """What the server answers (b"" when it closes without a word)."""
    box: list[bytes] = []

    def arrived() -> bool:
        try:
            box.append(sock.recv(16))
        except BlockingIOError:
            return False
        except ConnectionResetError:  # closed without a word (abort)
            box.append(b"")
        return True

    qtbot.waitUntil(arrived, timeout=8000)
    return box[0]


def test_the_socket_is_for_this_user_only(server):
    info = os.lstat(server.name)
    assert stat.S_ISSOCK(info.st_mode)
    assert info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o700


def test_a_valid_message_is_accepted_and_handed_on(qtbot, server):
    sock = raw_client(server.name)
    sock.sendall(encode_launch(LaunchRequest(compose=True, mailto="mailto:a@example.go.th")))
    assert answer_of(qtbot, sock) == ACCEPTED
    assert server.got == [LaunchRequest(compose=True, mailto="mailto:a@example.go.th")]


def _framed(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_framed(b"not json at all"), id="garbage"),
        pytest.param(_framed(json.dumps({"version": 99, "compose": True, "mailto": None, "attach": []}).encode()),
                     id="other-version"),
        pytest.param(_framed(b"\xff" * 64), id="binary"),
        pytest.param(struct.pack(">I", MAX_MESSAGE_BYTES + 1) + b"x" * 64, id="too-large"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", id="http"),
    ],
)
def test_a_malformed_message_is_refused_logged_and_the_server_goes_on(qtbot, server, caplog, data):
    caplog.set_level(logging.WARNING, logger="govmail_desktop.services.single_instance")
    bad = raw_client(server.name)
    bad.sendall(data)
    assert answer_of(qtbot, bad) == REFUSED
    assert server.got == [] and server.refused == 1
    assert "Ignored a malformed message" in caplog.text
    good = raw_client(server.name)
    good.sendall(encode_launch(LaunchRequest(compose=False)))
    assert answer_of(qtbot, good) == ACCEPTED
    assert server.got == [LaunchRequest(compose=False)]


def test_a_silent_connection_is_dropped_and_blocks_no_one(qtbot, server, monkeypatch, caplog):
    monkeypatch.setattr(single_instance, "READ_TIMEOUT_MS", 300)
    silent = raw_client(server.name)
    silent.sendall(b"\x00\x00")  # half a length, then nothing
    good = raw_client(server.name)
    good.sendall(encode_launch(LaunchRequest(compose=True)))
    assert answer_of(qtbot, good) == ACCEPTED
    assert answer_of(qtbot, silent) == REFUSED
    assert server.got == [LaunchRequest(compose=True)] and server.refused == 1


def test_a_message_cut_short_is_ignored(qtbot, server, caplog):
    caplog.set_level(logging.WARNING, logger="govmail_desktop.services.single_instance")
    cut = raw_client(server.name)
    cut.sendall(encode_launch(LaunchRequest(compose=True))[:10])
    cut.close()
    qtbot.waitUntil(lambda: server.refused == 1, timeout=5000)
    assert server.got == []
    assert "cut short" in caplog.text


def test_a_connection_from_another_user_is_closed(qtbot, server, monkeypatch):
    monkeypatch.setattr(single_instance, "peer_uid", lambda fd: os.geteuid() + 4242)
    sock = raw_client(server.name)
    sock.sendall(encode_launch(LaunchRequest(compose=True)))
    assert answer_of(qtbot, sock) == b""
    assert server.got == [] and server.refused == 1


def test_peer_uid_reads_the_other_end():
    a, b = socket.socketpair(socket.AF_UNIX)
    with a, b:
        assert peer_uid(a.fileno()) == os.geteuid()


def test_requests_before_the_handler_wait_in_order(qtbot, tmp_path):
    srv = InstanceServer(str(private(tmp_path / "w") / "i.sock"))
    assert srv.listen()
    try:
        for compose in (True, False):
            sock = raw_client(srv.name)
            sock.sendall(encode_launch(LaunchRequest(compose=compose)))
            assert answer_of(qtbot, sock) == ACCEPTED
        got: list[LaunchRequest] = []
        srv.set_handler(got.append)
        assert got == [LaunchRequest(compose=True), LaunchRequest(compose=False)]
    finally:
        srv.close()
        srv.deleteLater()


def test_a_stale_socket_file_is_replaced_by_the_lock_holder(tmp_path):
    name = private(tmp_path / "st") / "i.sock"
    left = socket.socket(socket.AF_UNIX)
    left.bind(str(name))  # a crashed run's socket: bound, nobody listening
    left.close()
    srv = InstanceServer(str(name))
    try:
        assert srv.listen()
    finally:
        srv.close()
        srv.deleteLater()


# -- the second launch's side ------------------------------------------------------------------------


def test_nothing_is_sent_to_a_socket_that_is_not_ours(tmp_path):
    squat = private(tmp_path / "q") / "i.sock"
    squat.write_text("not a socket")
    assert hand_over(str(squat), LaunchRequest(compose=True), timeout_s=1) is HandOver.UNSAFE


@pytest.mark.skipif(not running_as_root(), reason="giving a socket to another user needs root")
def test_nothing_is_sent_to_a_socket_of_another_user(tmp_path):
    folder = private(tmp_path / "o")
    squat = socket.socket(socket.AF_UNIX)
    squat.bind(str(folder / "i.sock"))
    squat.listen(1)
    os.chown(folder / "i.sock", 65534, 65534)
    with squat:
        assert hand_over(str(folder / "i.sock"), LaunchRequest(compose=True), timeout_s=1) is HandOver.UNSAFE


def test_no_running_instance_means_no_answer(tmp_path):
    name = str(private(tmp_path / "n") / "i.sock")
    assert hand_over(name, LaunchRequest(compose=True), timeout_s=0.3) is HandOver.NO_ANSWER
