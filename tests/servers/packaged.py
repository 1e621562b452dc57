"""What the private Cyrus and Courier instances share (tests/servers/cyrus.py, courier.py).

Same shape as tests/servers/dovecot.py: a temp directory under /tmp (traversable by the
unprivileged user the server runs as), IMAP with STARTTLS and IMAP over implicit TLS on
free 127.0.0.1 ports, the trustme loopback certificate, the DEFAULT_USERS with their
passwords, and an imapclient connection for seeding and checking (``imap()``).

The servers keep every folder under ``INBOX`` with ``.`` as the separator (Debian's
defaults for both): :meth:`PackagedServer.mailbox` turns a test's folder path
(``"หนังสือราชการ/ขาเข้า"``) into the server's name (``"INBOX.หนังสือราชการ.ขาเข้า"``).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from tests.servers.certs import TestCertificates
from tests.servers.dovecot import DEFAULT_USERS, ImapTestAccess, append_message, ensure_mailbox, free_port

_RUNNING: set[PackagedServer] = set()


@atexit.register
def _stop_leftovers() -> None:
    """If a test run dies without teardown, do not leave server processes behind."""
    for server in list(_RUNNING):
        with contextlib.suppress(Exception):
            server.stop()


class ServerStartError(RuntimeError):
    """A private server did not start (its output and log are in the text)."""


class PackagedServer(ImapTestAccess):
    """Base of the private servers run from unpacked Debian packages.

    Subclasses set ``name`` and implement ``_prepare()`` (write the config, once per
    start), ``_command()`` (the process to run: it must stay in the foreground) and
    ``deliver()``; ``_ready()`` may add conditions to the ports answering.
    """

    name = "server"
    host = "127.0.0.1"
    #: Folder names: every folder under ``INBOX`` with ``.`` between the levels.
    personal_prefix = "INBOX."
    delimiter = "."
    #: Folders a new mailbox has, by role: {"\\Trash": "Trash", ...} (names without the prefix).
    special_folders: Mapping[str, str] = {}

    def __init__(
        self,
        *,
        certs: TestCertificates | None = None,
        users: Mapping[str, str] | None = None,
        workdir: Path | str | None = None,
    ) -> None:
        self._owns_certs = certs is None
        self._certs = certs or TestCertificates()
        self.ca_file = self._certs.ca_file
        self.cert_file = self._certs.server_cert_file
        self.key_file = self._certs.server_key_file
        self.users: dict[str, str] = dict(users if users is not None else DEFAULT_USERS)
        self._owns_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix=f"govmail-{self.name.lower()}-")).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.workdir, 0o755)
        self.imap_port = free_port()
        self.imaps_port = free_port()
        self.output_file = self.workdir / f"{self.name.lower()}.out"
        self._proc: subprocess.Popen[bytes] | None = None
        #: Seconds the last start() took (the suite's time budget is reported).
        self.start_seconds: float | None = None

    # -- to implement -------------------------------------------------------------------
    def _prepare(self) -> None:
        raise NotImplementedError

    def _command(self) -> tuple[list[str], dict[str, str]]:
        raise NotImplementedError

    def _ready(self) -> bool:
        return True

    def deliver(self, user: str, message: bytes, mail_from: str = "sender@example.org") -> None:
        raise NotImplementedError

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.output_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no output)"
        return "\n".join(text.splitlines()[-lines:])

    # -- lifecycle ----------------------------------------------------------------------
    def start(self, timeout: float = 20.0) -> PackagedServer:
        """Start the server; return once IMAP and IMAPS greet (and ``_ready()``)."""
        if self._proc is not None:
            return self
        began = time.monotonic()
        for attempt in range(3):
            self._prepare()
            argv, env = self._command()
            with open(self.output_file, "ab") as out:
                self._proc = subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    env=env, cwd=self.workdir, start_new_session=True,
                )
            _RUNNING.add(self)
            try:
                self._wait_ready(timeout)
            except ServerStartError as exc:
                self.stop()
                # A "free" port may be taken by another test run between choosing and binding.
                if attempt < 2 and "in use" in str(exc).lower():
                    self.imap_port, self.imaps_port = free_port(), free_port()
                    continue
                raise
            self.start_seconds = time.monotonic() - began
            return self
        raise AssertionError("unreachable")

    def _wait_ready(self, timeout: float) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + timeout
        pending = {"imap": self.imap_port, "imaps": self.imaps_port}
        while True:
            exited = self._proc.poll()
            if exited is None:
                for label, port in list(pending.items()):
                    if _answers(self.host, port, greeting=label == "imap"):
                        del pending[label]
                if not pending and self._ready():
                    return
            if exited is not None or time.monotonic() > deadline:
                reason = f"exited with {exited}" if exited is not None else f"not ready in {timeout:.0f} s"
                raise ServerStartError(
                    f"{self.name} {reason} (waiting for {sorted(pending) or 'its delivery socket'}); "
                    f"output ({self.output_file}):\n{self.log_tail()}"
                )
            time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop every process of the instance (safe to call twice)."""
        proc, self._proc = self._proc, None
        _RUNNING.discard(self)
        if proc is None:
            return
        self._terminate(proc, timeout)

    def _terminate(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        """SIGTERM the process group, SIGKILL what is left after ``timeout``."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def cleanup(self) -> None:
        """Stop, then remove the directories this object created."""
        self.stop()
        if self._owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if self._owns_certs:
            self._certs.cleanup()

    def __enter__(self) -> PackagedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    # -- helpers for tests ----------------------------------------------------------------
    def mailbox(self, path: str) -> str:
        """The server's name of folder ``path`` (levels separated by ``/``; INBOX unchanged)."""
        if path.upper() == "INBOX":
            return "INBOX"
        return self.personal_prefix + self.delimiter.join(path.split("/"))

    def append(
        self,
        user: str,
        path: str,
        message: bytes,
        flags: Iterable[str | bytes] = (),
        msg_time: dt.datetime | None = None,
    ) -> int | None:
        with self.imap(user) as client:
            name = ensure_mailbox(client, self, path)
            return append_message(client, name, message, flags, msg_time)



def _answers(host: str, port: int, *, greeting: bool) -> bool:
    """Is a server listening on ``port``? For plain IMAP wait for its ``* OK`` banner."""
    try:
        with socket.create_connection((host, port), timeout=0.25) as sock:
            return not greeting or sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


__all__ = ["PackagedServer", "ServerStartError", "ensure_mailbox"]
