"""A private Courier-IMAP 5.0 for the interoperability tests (Debian's packages, unpacked).

``courier-imap`` conflicts with ``dovecot-imapd``, so its files come from the
downloaded packages (tests/servers/debian_pkgs.py); the library it logs in with
(``courier-authlib``, no conflict) is installed by ``tools/install-system-deps.sh``.
Courier is configured the way Debian's ``/etc/courier/imapd`` and ``imapd-ssl`` do it
(environment variables), with these differences for a private instance:

* ``couriertcpd`` listens on free loopback ports: IMAP with STARTTLS, and IMAP over
  implicit TLS through ``couriertls``, with the trustme loopback certificate;
* IDLE polls the Maildir every second (``IMAP_IDLE_TIMEOUT``; Debian: 60 s; with
  Debian's ``IMAP_ENHANCEDIDLE=0`` Courier polls in IDLE even where gamin runs);
* the Maildirs belong to the system user ``courier`` (made by courier-authlib's
  installation): Courier watches Maildirs with gamin, whose ``gam_server`` cannot
  serve a user without a name (every SELECT then waits ~1.2 s for it). Each
  instance has its own ``gam_server`` (``GAM_CLIENT_ID``), inside its namespace;
* the password check: Courier asks ``authdaemond`` over a unix socket whose path is
  compiled in (``/run/courier/authdaemon/socket``). The test suite answers on that
  socket itself (:class:`AuthDaemon`, the authdaemon protocol of courier-authlib,
  checking ``users``), and the server runs in its own mount and PID namespace
  (``unshare``) where that path is a private directory: nothing is written under
  the machine's /run or /etc, and stopping the namespace stops every process of it.
  This needs root;
* mail is delivered with Courier's own ``deliverquota`` into the user's Maildir.

Folders live under ``INBOX.`` with ``.`` as the separator; every mailbox has
``INBOX.Drafts``, ``INBOX.Sent`` and ``INBOX.Trash`` (made with ``maildirmake``, as a
mail program sets them up), with no special-use attributes: Courier has none.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path

from tests.servers import debian_pkgs
from tests.servers.packaged import PackagedServer, ServerStartError

PACKAGES = ("courier-base", "courier-imap")
#: apt packages whose libraries the unpacked binaries load (tools/install-system-deps.sh).
LIBRARY_PACKAGES = "courier-authlib libcourier-unicode4 libgamin0 gamin libgdbm6 libgnutls30 libidn12 libpcre3"
#: Where courier-authlib's client looks for authdaemond (compiled in).
AUTHDAEMON_DIR = "/run/courier/authdaemon"
#: Courier's IDLE poll interval in seconds (without FAM).
IDLE_POLL_SECONDS = 1
#: gamin's server, which Courier's FAM library starts for its Maildir watches.
GAM_SERVER = Path("/usr/libexec/gam_server")

BINARIES = {
    "couriertcpd": "usr/sbin/couriertcpd",
    "imaplogin": "usr/lib/courier/courier/imaplogin",
    "imapd": "usr/bin/imapd",
    "couriertls": "usr/bin/couriertls",
    "deliverquota": "usr/bin/deliverquota.courier",
    "maildirmake": "usr/bin/maildirmake.courier",
}


class CourierError(ServerStartError):
    """The private Courier could not start or do what a test asked."""


class AuthDaemon:
    """Answers courier-authlib's requests on a unix socket, as authdaemond would.

    A request is optional ``NAME=value`` lines (the client's address) followed by
    ``AUTH <length>\\n<service>\\n<type>\\n<user>\\n<password>\\n`` (LOGIN and PLAIN
    both arrive as type ``login``) or ``PRE . <service> <user>\\n`` (account lookup
    without a password). The answer is the account (``UID=``, ``GID=``, ``HOME=``,
    ``ADDRESS=``, ``MAILDIR=`` lines, then ``.``) or ``FAIL``. ``requests`` records
    (type, user, accepted) for tests.
    """

    def __init__(
        self, socket_path: Path, users: Mapping[str, str], home_root: Path, uid: int = -1, gid: int = -1
    ) -> None:
        self.socket_path = socket_path
        self.users = users
        self.uid, self.gid = uid, gid  # of the mail files
        self.home_root = home_root
        self.requests: list[tuple[str, str, bool]] = []
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.socket_path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.socket_path))
        os.chmod(self.socket_path, 0o777)  # imaplogin asks as root; other tools as the mail user
        listener.listen(16)
        self._listener = listener
        self._thread = threading.Thread(target=self._serve, daemon=True, name=f"authdaemon-{self.socket_path}")
        self._thread.start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self.socket_path.unlink(missing_ok=True)

    def _serve(self) -> None:
        while self._listener is not None:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                with contextlib.suppress(OSError):
                    conn.sendall(self.answer(self._read_request(conn)))

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes:
        data = b""
        while True:
            complete = _complete_request(data)
            if complete is not None:
                return complete
            chunk = conn.recv(4096)
            if not chunk:
                return data
            data += chunk

    def account(self, user: str) -> bytes:
        home = self.home_root / user
        return (
            f"UID={self.uid}\nGID={self.gid}\nHOME={home}\nADDRESS={user}\nMAILDIR={home}/Maildir\n.\n"
        ).encode()

    def answer(self, request: bytes) -> bytes:
        lines = request.split(b"\n")
        for index, line in enumerate(lines):
            if line.startswith(b"AUTH "):
                fields = lines[index + 1 :]
                kind = fields[1].decode(errors="replace") if len(fields) > 1 else ""
                user = fields[2].decode(errors="replace") if len(fields) > 2 else ""
                password = fields[3].decode(errors="replace") if len(fields) > 3 else None
                ok = kind in ("login", "plain") and user in self.users and self.users[user] == password
                self.requests.append((kind, user, ok))
                return self.account(user) if ok else b"FAIL\n"
            if line.startswith(b"PRE "):
                parts = line.decode(errors="replace").split()
                user = parts[3] if len(parts) > 3 else ""
                self.requests.append(("pre", user, user in self.users))
                return self.account(user) if user in self.users else b"FAIL\n"
        return b"FAIL\n"


def _complete_request(data: bytes) -> bytes | None:
    """``data`` if it holds a whole request, else None."""
    match = re.search(rb"(?:^|\n)AUTH (\d+)\n", data)
    if match:
        return data if len(data) - match.end() >= int(match.group(1)) else None
    match = re.search(rb"(?:^|\n)(?:PRE|ENUMERATE|PASSWD)[^\n]*\n", data)
    return data if match else None


class CourierServer(PackagedServer):
    """Private Courier-IMAP: ``imap_port`` (STARTTLS), ``imaps_port``; ``deliver()`` via deliverquota."""

    name = "Courier"
    special_folders = {"\\Drafts": "Drafts", "\\Sent": "Sent", "\\Trash": "Trash"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.home_root = self.workdir / "home"
        self.auth_dir = self.workdir / "authdaemon"
        self.pem_file = self.workdir / "imapd.pem"
        self.root: Path | None = None
        self.mail_uid = self.mail_gid = -1  # the "courier" user's, known once _check() passed
        self.authdaemon = AuthDaemon(self.auth_dir / "socket", self.users, self.home_root)

    # -- set-up ----------------------------------------------------------------------------
    def _check(self) -> Path:
        debian_pkgs.require_root(
            "Courier",
            f"its login asks authdaemond on the fixed path {AUTHDAEMON_DIR}, made private with a mount namespace",
        )
        root = debian_pkgs.unpacked(PACKAGES)
        debian_pkgs.require_libraries("Courier", [root / path for path in BINARIES.values()], root, LIBRARY_PACKAGES)
        if not GAM_SERVER.exists():
            raise debian_pkgs.MissingPrerequisite(
                f"Courier would wait ~1 s at every login and SELECT: {GAM_SERVER} is missing (package gamin); "
                + debian_pkgs.FETCH_HINT
            )
        account = debian_pkgs.require_user("Courier", "courier", "courier-authlib")
        self.mail_uid, self.mail_gid = account.pw_uid, account.pw_gid
        self.authdaemon.uid, self.authdaemon.gid = account.pw_uid, account.pw_gid
        self.tools = debian_pkgs.require_programs(
            "Courier", {"unshare": "util-linux", "mount": "mount", "bash": "bash"}
        )
        return root

    def _bin(self, name: str) -> str:
        assert self.root is not None
        return str(self.root / BINARIES[name])

    def _env(self) -> dict[str, str]:
        assert self.root is not None
        return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LD_LIBRARY_PATH": debian_pkgs.library_path(self.root)}

    def _prepare(self) -> None:
        if self.root is None:
            self.root = self._check()
        self.auth_dir.mkdir(exist_ok=True)
        os.chmod(self.auth_dir, 0o755)
        self.home_root.mkdir(exist_ok=True)
        os.chmod(self.home_root, 0o755)
        for user in self.users:
            self._make_mailbox(user)
        # couriertls wants the key and the certificate in one file; for STARTTLS it runs as "courier".
        self.pem_file.write_bytes(self.key_file.read_bytes() + self.cert_file.read_bytes())
        os.chmod(self.pem_file, 0o644)
        self.authdaemon.stop()
        self.authdaemon.start()

    def _make_mailbox(self, user: str) -> None:
        home = self.home_root / user
        maildir = home / "Maildir"
        if maildir.exists():
            return
        home.mkdir(exist_ok=True)
        env = self._env()
        self._run([self._bin("maildirmake"), str(maildir)], env)
        for folder in self.special_folders.values():
            self._run([self._bin("maildirmake"), "-f", folder, str(maildir)], env)
        # The folders are subscribed, as the mail program that made them would have done.
        (maildir / "courierimapsubscribed").write_text(
            "".join(f"INBOX.{folder}\n" for folder in self.special_folders.values()), encoding="utf-8"
        )
        for path in [home, *home.rglob("*")]:
            os.lchown(path, self.mail_uid, self.mail_gid)
        os.chmod(home, 0o700)

    @staticmethod
    def _run(argv: list[str], env: dict[str, str], **kwargs) -> None:
        proc = subprocess.run(argv, env=env, capture_output=True, check=False, **kwargs)
        if proc.returncode != 0:
            raise CourierError(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")

    def _imapd_env(self) -> dict[str, str]:
        """Debian's /etc/courier/imapd and imapd-ssl, made private (see the module doc)."""
        capability = "IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE"
        return {
            **self._env(),
            "IMAP_CAPABILITY": capability,
            "IMAP_CAPABILITY_TLS": capability + " AUTH=PLAIN",
            "IMAP_KEYWORDS": "1",
            "IMAP_ACL": "1",
            "IMAP_PROXY": "0",
            "IMAP_IDLE_TIMEOUT": str(IDLE_POLL_SECONDS),
            "IMAP_MAILBOX_SANITY_CHECK": "1",
            "IMAP_DISABLETHREADSORT": "0",
            "IMAP_CHECK_ALL_FOLDERS": "0",
            "IMAP_OBSOLETE_CLIENT": "0",
            "IMAP_UMASK": "022",
            "IMAP_ULIMITD": "131072",
            "IMAP_USELOCKS": "1",
            "IMAP_ENHANCEDIDLE": "0",
            "IMAP_TRASHFOLDERNAME": "Trash",
            "IMAP_EMPTYTRASH": "Trash:7",
            "IMAP_MOVE_EXPUNGE_TO_TRASH": "0",
            "IMAP_SHAREDINDEXFILE": str(self.workdir / "shared-index"),
            "GAM_CLIENT_ID": f"govmail-test-{os.getpid()}-{self.imaps_port}",
            "IMAP_TLS_REQUIRED": "0",
            "HEADERFROM": "X-IMAP-Sender",
            "SENDMAIL": "/bin/false",
            "COURIERTLS": self._bin("couriertls"),
            "TLS_CERTFILE": str(self.pem_file),
            "TLS_PROTOCOL": "TLSv1.2+",
            "TLS_STARTTLS_PROTOCOL": "TLSv1.2+",
            "TLS_VERIFYPEER": "NONE",
            "TLS_TRUSTCERTS": "/etc/ssl/certs/ca-certificates.crt",
        }

    def _command(self) -> tuple[list[str], dict[str, str]]:
        tcpd = [self._bin("couriertcpd"), f"-address={self.host}", "-maxprocs=40", "-maxperip=40",
                "-nodnslookup", "-noidentlookup"]
        login = [self._bin("imaplogin"), self._bin("imapd"), "Maildir"]
        q = shlex.join
        script = f"""set -e
mount -t tmpfs -o mode=0755,size=1m govmail-courier /run
mkdir -p {AUTHDAEMON_DIR}
mount --bind {shlex.quote(str(self.auth_dir))} {AUTHDAEMON_DIR}
IMAP_STARTTLS=YES {q(tcpd + [str(self.imap_port)] + login)} &
IMAP_STARTTLS=NO IMAP_TLS=1 {q(tcpd + [str(self.imaps_port), self._bin("couriertls"), "-server", "-tcpd"] + login)} &
wait -n
exit 1
"""
        argv = [self.tools["unshare"], "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
                self.tools["bash"], "-c", script]
        return argv, self._imapd_env()

    def stop(self, timeout: float = 10.0) -> None:
        super().stop(timeout)
        self.authdaemon.stop()

    def _terminate(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        """Kill the namespace's first process: the kernel then ends every process in it."""
        for child in _children(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        super()._terminate(proc, timeout)

    # -- helpers for tests -----------------------------------------------------------------
    def maildir(self, user: str) -> Path:
        return self.home_root / user / "Maildir"

    def deliver(self, user: str, message: bytes, mail_from: str = "sender@example.org") -> None:
        """Deliver ``message`` into ``user``'s INBOX with Courier's deliverquota (as the mail user)."""
        if self.root is None:
            raise CourierError("the server was never started")
        lf = re.sub(rb"\r\n", b"\n", message)  # Maildir files have Unix line ends
        env = {**self._env(), "SENDER": mail_from}
        self._run(
            [self._bin("deliverquota"), str(self.maildir(user))], env,
            input=lf, user=self.mail_uid, group=self.mail_gid, extra_groups=[],
        )


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


__all__ = ["AuthDaemon", "CourierError", "CourierServer", "LIBRARY_PACKAGES", "PACKAGES"]
