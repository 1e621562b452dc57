"""One running app per user and profile; a second launch hands its request over and exits.

Two launches of the app on one profile would run two syncs replaying the same
offline queue, show two tray icons and fight over the log file. So:

* :class:`InstanceGuard` holds a :class:`QLockFile` (``instance.lock`` in the data
  folder) for the whole run. Its stale-lock time is 0: a lock is stale only when the
  process that wrote it is gone (Qt checks the PID and the program's name), which is
  how a lock left by a crash or a SIGKILL is taken over at the next start; a running
  app's lock never ages out.
* The holder listens on a local socket (:class:`InstanceServer`). A launch that cannot
  take the lock sends its :class:`~services.launch.LaunchRequest` there
  (:func:`hand_over`) and exits; the running app raises its window and opens the
  composer.

Where the socket lives (:func:`server_name`): on Unix a path, never a bare name
(Qt would put that in the shared ``/tmp``, where another user could create it first
and receive what the second launch sends, or block it). It is in
``$XDG_RUNTIME_DIR`` when that is a folder of this user only; else in the data
folder when only this user can write there; else in a folder of this user only
under the temporary folder (made 0700 and checked: owner, no symlink, no access for
others). Qt makes the socket 0700 (``UserAccessOption``: created in a private
folder, then moved into place) so no other user can connect; on Linux the app also
checks each peer's user id (``SO_PEERCRED``) both ways. A socket left by a crash is
removed only by the process that holds the lock. On Windows it is a named pipe
whose name carries the user and profile, with an access list for this user only
(the same option).

The exchange is one framed message (:func:`~services.launch.encode_launch`) and
one byte back (:data:`ACCEPTED` or :data:`REFUSED`). A message that is malformed,
too large, or not complete within :data:`READ_TIMEOUT_MS` is refused and logged; it
never reaches the window, never stops the app, and never stops others from being
served (at most :data:`MAX_CONNECTIONS` at a time).

QtCore and QtNetwork only (no widgets): the root gives :meth:`InstanceServer.set_handler`
the function that raises the window and opens the composer.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import socket
import stat
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from govmail_desktop import APP_ID
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.services.launch import (
    FrameReader,
    InstanceMessageError,
    LaunchRequest,
    decode_launch,
    encode_launch,
)

log = logging.getLogger(__name__)

ACCEPTED = b"\x06"
REFUSED = b"\x15"
#: A connection that has not sent a whole message by then is dropped.
READ_TIMEOUT_MS = 5000
#: Connections served at once; more are closed at once.
MAX_CONNECTIONS = 8
#: Longest socket path (Linux allows 108 bytes with the final NUL, macOS 104).
MAX_SOCKET_PATH = 100
LOCK_NAME = "instance.lock"
SOCKET_NAME = "instance.sock"


# -- where --------------------------------------------------------------------------------------


def _profile_key(paths: AppPaths) -> str:
    """Short and stable for one profile (the data folder), different for another."""
    return hashlib.sha256(os.fsencode(os.path.abspath(paths.data_dir))).hexdigest()[:16]


def private_dir(path: Path, uid: int) -> bool:
    """True when ``path`` is a real folder (no symlink) owned by ``uid`` that nobody else may
    write to (group and others without write; for the runtime folder, without any access)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o022


def _own_temp_dir(uid: int, temp_root: Path) -> Path | None:
    folder = temp_root / f"{APP_ID}-{uid}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        log.warning("No private folder for the instance socket in %s: %s", temp_root, exc)
        return None
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077:
        return folder
    log.warning("%s is not a private folder of this user (owner %s, mode %o): not used",
                folder, info.st_uid, stat.S_IMODE(info.st_mode))
    return None


def server_name(
    paths: AppPaths,
    *,
    platform: str = sys.platform,
    environ: Mapping[str, str] | None = None,
    uid: int | None = None,
    temp_root: Path | None = None,
) -> str | None:
    """The local socket (Unix: a path) or pipe name (Windows) of ``paths``' instance;
    None when no place is safe (the app then runs without taking requests)."""
    env = os.environ if environ is None else environ
    key = _profile_key(paths)
    if platform.startswith("win"):
        user = hashlib.sha256(getpass.getuser().encode("utf-8", "surrogatepass")).hexdigest()[:12]
        return f"{APP_ID}-{user}-{key}"
    me = os.geteuid() if uid is None else uid
    candidates: list[Path] = []
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        runtime_dir = Path(runtime)
        try:
            closed = not os.lstat(runtime_dir).st_mode & 0o077
        except OSError:
            closed = False
        if closed and private_dir(runtime_dir, me):
            candidates.append(runtime_dir / f"{APP_ID}-{key}.sock")
    if private_dir(paths.data_dir, me):
        candidates.append(paths.data_dir / SOCKET_NAME)
    for candidate in candidates:
        if len(os.fsencode(candidate)) <= MAX_SOCKET_PATH:
            return str(candidate)
    own = _own_temp_dir(me, temp_root or Path(tempfile.gettempdir()))
    if own is not None and len(os.fsencode(own / f"{key}.sock")) <= MAX_SOCKET_PATH:
        return str(own / f"{key}.sock")
    return None


def peer_uid(descriptor: int) -> int | None:
    """The user id of the process at the other end of a local socket (Linux), else None."""
    so_peercred = getattr(socket, "SO_PEERCRED", None)
    if so_peercred is None or descriptor < 0:
        return None
    with socket.socket(fileno=os.dup(descriptor)) as sock:
        creds = sock.getsockopt(socket.SOL_SOCKET, so_peercred, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return int(uid)


def _same_user(sock: QLocalSocket) -> bool:
    if not hasattr(os, "geteuid"):
        return True  # Windows: the pipe's access list admits this user only
    try:
        uid = peer_uid(int(sock.socketDescriptor()))
    except OSError as exc:
        log.warning("Could not read the peer of the instance socket: %s", exc)
        return False
    return uid is None or uid == os.geteuid()


# -- the lock ------------------------------------------------------------------------------------


class InstanceGuard:
    """The lock that makes this process the profile's running app (:meth:`acquire`)."""

    def __init__(self, paths: AppPaths, name: str | None = None) -> None:
        self.lock_path = paths.data_dir / LOCK_NAME
        self.name = name if name is not None else server_name(paths)
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self.held = False

    def acquire(self) -> bool:
        """True when this process now holds the lock (also after taking over a stale one)."""
        self.held = bool(self._lock.tryLock(0))
        if not self.held:
            error = self._lock.error()
            if error == QLockFile.LockError.LockFailedError:
                log.info("Another instance holds %s", self.lock_path)
            else:
                log.error("Instance lock %s unusable (%s): running without single instance",
                          self.lock_path, error.name)
                self.held = True  # a lock that cannot be made must not stop the app (read-only disk)
        return self.held

    def release(self) -> None:
        if self.held:
            self._lock.unlock()
            self.held = False


# -- the running instance's side ------------------------------------------------------------------


class InstanceServer(QObject):
    """Takes the requests of later launches and gives each valid one to the handler.

    Requests that arrive before :meth:`set_handler` (while the app is still starting)
    wait, in order, and are handed over then.
    """

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.setMaxPendingConnections(MAX_CONNECTIONS)
        self._server.newConnection.connect(self._accept)
        self._open: set[QLocalSocket] = set()
        self._waiting: list[LaunchRequest] = []
        self._handler: Callable[[LaunchRequest], None] | None = None
        #: Messages refused since start (malformed, too large, too slow, other user).
        self.refused = 0

    def listen(self) -> bool:
        """Listen on :attr:`name`; a socket left by a crashed run is removed first (only the
        lock's holder calls this, so no live instance owns it)."""
        QLocalServer.removeServer(self.name)
        if not self._server.listen(self.name):
            log.error("Instance socket %s: %s", self.name, self._server.errorString())
            return False
        log.info("Taking requests of later launches on %s", self.name)
        return True

    def close(self) -> None:
        self._server.close()
        for sock in list(self._open):
            sock.abort()

    def set_handler(self, handler: Callable[[LaunchRequest], None]) -> None:
        """From now on each request goes to ``handler`` (those that waited first)."""
        self._handler = handler
        waiting, self._waiting = self._waiting, []
        for request in waiting:
            self._deliver(request)

    def _deliver(self, request: LaunchRequest) -> None:
        if self._handler is None:
            self._waiting.append(request)
        else:
            self._handler(request)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            if sock is None:
                break
            if len(self._open) >= MAX_CONNECTIONS:
                log.warning("Instance socket: too many connections at once; one closed")
                sock.abort()
                sock.deleteLater()
                continue
            if not _same_user(sock):
                self.refused += 1
                log.warning("Instance socket: a connection from another user was closed")
                sock.abort()
                sock.deleteLater()
                continue
            self._serve(sock)

    def _serve(self, sock: QLocalSocket) -> None:
        self._open.add(sock)
        reader = FrameReader()
        timer = QTimer(sock)
        timer.setSingleShot(True)
        done = False

        def finish(answer: bytes | None) -> None:
            nonlocal done
            if done:
                return
            done = True
            timer.stop()
            self._open.discard(sock)
            if answer is not None and sock.state() == QLocalSocket.LocalSocketState.ConnectedState:
                sock.write(answer)
                sock.flush()
                sock.disconnectFromServer()
            else:
                sock.abort()
            sock.deleteLater()

        def refuse(why: str) -> None:
            self.refused += 1
            log.warning("Ignored a malformed message from another launch: %s", why)
            finish(REFUSED)

        def read() -> None:
            if done:
                return
            try:
                payloads = reader.feed(bytes(sock.readAll().data()))
                if not payloads:
                    return
                request = decode_launch(payloads[0])
            except InstanceMessageError as err:
                refuse(err.detail)
                return
            log.info("Request from another launch: %s", "compose" if request.compose else "show the window")
            finish(ACCEPTED)
            self._deliver(request)

        def too_slow() -> None:
            refuse(f"no whole message within {READ_TIMEOUT_MS} ms ({reader.pending} bytes)")

        def gone() -> None:
            if not done:
                if reader.pending:
                    self.refused += 1
                    log.warning("Ignored a message cut short by another launch (%d bytes)", reader.pending)
                finish(None)

        sock.readyRead.connect(read)
        sock.disconnected.connect(gone)
        timer.timeout.connect(too_slow)
        timer.start(READ_TIMEOUT_MS)
        if sock.bytesAvailable():
            read()


# -- the second launch's side ----------------------------------------------------------------------


class HandOver(Enum):
    """What became of a request sent to the running instance."""

    DELIVERED = "delivered"
    REFUSED = "refused"
    NO_ANSWER = "no-answer"
    UNSAFE = "unsafe"


def _socket_is_ours(name: str) -> bool:
    """On Unix, the socket file must belong to this user before anything is sent to it."""
    if not hasattr(os, "geteuid") or not os.path.isabs(name):
        return True
    try:
        info = os.lstat(name)
    except OSError:
        return True  # not there (yet): connecting fails and is retried
    return stat.S_ISSOCK(info.st_mode) and info.st_uid == os.geteuid()


def hand_over(name: str, request: LaunchRequest, *, timeout_s: float = 15.0) -> HandOver:
    """Send ``request`` to the instance listening on ``name``; blocking, no event loop needed.

    Connecting is retried until ``timeout_s`` (the running app may still be starting).
    """
    message = encode_launch(request)
    deadline = time.monotonic() + timeout_s

    def left_ms() -> int:
        return max(0, int((deadline - time.monotonic()) * 1000))

    while True:
        if not _socket_is_ours(name):
            log.error("Instance socket %s belongs to another user: nothing sent", name)
            return HandOver.UNSAFE
        sock = QLocalSocket()
        sock.connectToServer(name)
        if sock.waitForConnected(min(1000, left_ms())):
            break
        sock.abort()
        if left_ms() == 0:
            log.error("The running instance did not answer on %s: %s", name, sock.errorString())
            return HandOver.NO_ANSWER
        time.sleep(0.1)
    try:
        if not _same_user(sock):
            log.error("Instance socket %s is served by another user: nothing sent", name)
            return HandOver.UNSAFE
        sock.write(message)
        while sock.bytesToWrite() and sock.waitForBytesWritten(left_ms()):
            pass
        answer = b""
        while not answer and (sock.bytesAvailable() or sock.waitForReadyRead(left_ms())):
            answer = bytes(sock.read(1).data())
        if answer == ACCEPTED:
            return HandOver.DELIVERED
        if answer == REFUSED:
            return HandOver.REFUSED
        log.error("The running instance gave no answer on %s", name)
        return HandOver.NO_ANSWER
    finally:
        sock.abort()


__all__ = [
    "ACCEPTED",
    "MAX_CONNECTIONS",
    "READ_TIMEOUT_MS",
    "REFUSED",
    "HandOver",
    "InstanceGuard",
    "InstanceServer",
    "hand_over",
    "peer_uid",
    "private_dir",
    "server_name",
]
