"""A private Dovecot instance for tests and the demo: real IMAP, real LMTP, loopback only.

Each instance lives in its own directory (config, sockets, Maildirs, log) and listens on
free 127.0.0.1 ports: IMAP with STARTTLS, IMAP over implicit TLS, and LMTP on a unix
socket. It never uses /etc/dovecot or the distribution's service.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from imapclient import IMAPClient

from tests.servers.certs import CertFiles, TestCertificates

#: Users every test server knows. Passwords follow the mail.go.th rule (upper, lower, digits).
DEFAULT_USERS: dict[str, str] = {
    "alice": "Alice2569pass",
    "bob": "Bob2569Secret",
    "carol": "Carol2569Saraban",
}

#: Mail domain of the test users (any domain reaches them: auth_username_format=%Ln).
MAIL_DOMAIN = "localhost"

#: What mail.go.th's Zimbra advertises after login (taken from Zimbra's server source):
#: XLIST, but neither SPECIAL-USE nor MOVE.
ZIMBRA_CAPABILITY = (
    "IMAP4rev1 ACL BINARY CATENATE CHILDREN CONDSTORE ENABLE ESEARCH ESORT I18NLEVEL=1 ID IDLE "
    "LIST-EXTENDED LIST-STATUS LITERAL+ LOGIN-REFERRALS MULTIAPPEND NAMESPACE QRESYNC QUOTA "
    "RIGHTS=ektx SASL-IR SEARCHRES SORT THREAD=ORDEREDSUBJECT UIDPLUS UNSELECT WITHIN XLIST"
)
#: The folders every test mailbox has (created and subscribed by Dovecot at first login).
SPECIAL_FOLDERS = ("Drafts", "Sent", "Trash", "Junk")


def zimbra_profile(*, special_use: bool = True, trash: bool = True) -> dict[str, object]:
    """DovecotServer arguments for a Dovecot that answers as mail.go.th's Zimbra does:
    Zimbra's capabilities (no SPECIAL-USE, no MOVE); ``special_use=False`` also drops the
    RFC 6154 attributes from the folders (only their names say what they are);
    ``trash=False`` gives mailboxes with no Trash at all. Dovecot answers XLIST as a
    plain LIST (``* LIST`` lines with its special-use attributes, none without them);
    Zimbra's own ``* XLIST`` answers are covered by tests/unit/net/test_imap_wire_special_folders.py
    and the scripted fake of tests/unit/sync/fake_special.py."""
    return {
        "capabilities": ZIMBRA_CAPABILITY,
        "special_use": special_use,
        "special_folders": tuple(f for f in SPECIAL_FOLDERS if trash or f != "Trash"),
    }

#: What a folder of 1,000,000 messages needs (Dovecot 2.3.19, Maildir; measured with
#: benchmarks/sync_bench.py): the imap process that opens it builds its index and reads the
#: Maildir's 1,000,000 file names into memory — with the default 256 MB address-space limit it
#: died in SELECT ("Fatal: pool_system_realloc(4194304): Out of memory", the client saw the
#: connection closed). With 2 GB, the imap process serving a FETCH of the whole folder peaked at
#: 1.0 GB of address space and 0.88 GB resident. Nothing else was needed for one client at a time
#: (mail_max_lock_timeout is unlimited by default, the process limits are not reached, and no
#: timeout fired: the first FETCH of the folder's ENVELOPEs streams while Dovecot parses each file).
BIG_FOLDER_CONFIG = """default_vsz_limit = 2G
"""

DOVECOT_BIN = "/usr/sbin/dovecot"
DOVEADM_BIN = "/usr/bin/doveadm"

_SOCKET_PATH_MAX = 100  # AF_UNIX limit is 108 bytes; Dovecot adds names below base_dir


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on ``host`` (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _unused_uid(preferred: int = 5000) -> int:
    """A numeric uid/gid with no passwd entry: Dovecot refuses root as the mail user."""
    import pwd  # POSIX only: imported where used, so this module loads on Windows too

    uid = preferred
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
        uid += 1


def _process_group(pgid: int) -> dict[int, str]:
    """pid → state letter (R, S, Z...) of every process in process group ``pgid``."""
    members: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ..." — comm may contain spaces: split after ')'
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            members[int(entry)] = fields[0]
    return members


def to_crlf(message: bytes) -> bytes:
    """Normalise line endings to CRLF, as the wire protocols want."""
    return re.sub(rb"\r?\n", b"\r\n", message)


def lmtp_deliver(
    socket_path: str | os.PathLike[str],
    mail_from: str,
    recipients: Iterable[str],
    message: bytes,
) -> dict[str, tuple[int, bytes]]:
    """Deliver ``message`` over LMTP; return the per-recipient (code, text) replies.

    smtplib.LMTP reads only one reply after DATA; LMTP sends one per accepted recipient,
    so the remaining replies are read here.
    """
    results: dict[str, tuple[int, bytes]] = {}
    with smtplib.LMTP(str(socket_path), local_hostname="localhost") as lmtp:  # no getfqdn(): no DNS
        lmtp.ehlo_or_helo_if_needed()
        code, text = lmtp.mail(mail_from)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, text, mail_from)
        accepted: list[str] = []
        for rcpt in recipients:
            code, text = lmtp.rcpt(rcpt)
            results[rcpt] = (code, text)
            if code in (250, 251):
                accepted.append(rcpt)
        if not accepted:
            lmtp.rset()
            return results
        code, text = lmtp.data(to_crlf(message))
        results[accepted[0]] = (code, text)
        for rcpt in accepted[1:]:
            results[rcpt] = lmtp.getreply()
    return results


_RUNNING: set[DovecotServer] = set()


@atexit.register
def _stop_leftovers() -> None:
    """If a test run dies without teardown, do not leave Dovecot daemons behind."""
    for server in list(_RUNNING):
        with contextlib.suppress(Exception):
            server.stop()


class DovecotError(RuntimeError):
    """The test Dovecot could not start, stop or do what a test asked."""


class ImapTestAccess:
    """What the suite does with any of its IMAP servers as a client: verified TLS,
    a logged-in imapclient, counting and filing messages. The server class sets
    ``host``, ``imap_port`` (STARTTLS), ``imaps_port`` (implicit TLS), ``users``
    and ``ca_file``, and overrides :meth:`mailbox` where its folders have another name."""

    host: str
    imap_port: int
    imaps_port: int
    users: Mapping[str, str]
    ca_file: Path | None

    def address(self, user: str) -> str:
        return f"{user}@{MAIL_DOMAIN}"

    def mailbox(self, path: str) -> str:
        """The server's name of folder ``path`` (levels separated by ``/``)."""
        return path

    def client_ssl_context(self) -> ssl.SSLContext:
        """A verifying client context for this server's CA."""
        if self.ca_file is None:
            raise RuntimeError("no CA file known for this server")
        return ssl.create_default_context(cafile=str(self.ca_file))

    @contextlib.contextmanager
    def imap(self, user: str, *, implicit_tls: bool = True) -> Iterator[IMAPClient]:
        """A logged-in IMAPClient for ``user`` over verified TLS (seeding and checking)."""
        ctx = self.client_ssl_context()
        if implicit_tls:
            client = IMAPClient(self.host, port=self.imaps_port, ssl=True, ssl_context=ctx, timeout=30)
        else:
            client = IMAPClient(self.host, port=self.imap_port, ssl=False, timeout=30)
            client.starttls(ctx)
        try:
            client.login(user, self.users[user])
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def create_folder(self, user: str, path: str, *, subscribe: bool = True) -> str:
        """Create folder ``path`` and its parents (real, selectable folders; Thai allowed:
        imapclient sends modified UTF-7); returns its name on the server."""
        with self.imap(user) as client:
            return ensure_mailbox(client, self, path, subscribe=subscribe)

    def message_count(self, user: str, path: str = "INBOX") -> int:
        """Number of messages in a folder (via IMAP STATUS)."""
        with self.imap(user) as client:
            return int(client.folder_status(self.mailbox(path), ["MESSAGES"])[b"MESSAGES"])


class DovecotServer(ImapTestAccess):
    """A private Dovecot: IMAP (STARTTLS + implicit TLS) on 127.0.0.1, LMTP socket.

    Attributes: ``host``, ``imap_port`` (STARTTLS), ``imaps_port`` (implicit TLS),
    ``lmtp_socket``, ``ca_file`` (to verify the server), ``users`` (name → password),
    ``workdir``, ``log_file``.
    """

    host = "127.0.0.1"

    def __init__(
        self,
        workdir: Path | str | None = None,
        *,
        cert_file: Path | str | None = None,
        key_file: Path | str | None = None,
        ca_file: Path | str | None = None,
        certs: TestCertificates | None = None,
        cert: CertFiles | None = None,
        users: Mapping[str, str] | None = None,
        imap_port: int | None = None,
        imaps_port: int | None = None,
        mail_uid: int | None = None,
        capabilities: str | None = None,
        special_use: bool = True,
        special_folders: Iterable[str] = SPECIAL_FOLDERS,
        big_folders: bool = False,
    ) -> None:
        """Prepare (not start) an instance.

        Give ``certs`` (its good loopback certificate and CA are used), and/or ``cert``
        (a CertFiles, e.g. ``certs.expired()`` or ``certs.wrong_host()``) or
        ``cert_file``/``key_file``; ``ca_file`` defaults to ``certs.ca_file``. Without either, a fresh
        TestCertificates is made. ``workdir`` defaults to a new temp dir that ``cleanup``
        removes; it must be traversable by the mail uid (not under a 0700 directory).

        Other servers' profiles (see :func:`zimbra_profile`): ``capabilities`` replaces what
        Dovecot advertises after login (``imap_capability``); ``special_folders`` are created
        and subscribed at first login, with their RFC 6154 attribute unless ``special_use``
        is False.

        ``big_folders``: settings for folders of a million messages (:data:`BIG_FOLDER_CONFIG`;
        ``benchmarks/sync_bench.py`` uses them).
        """
        self.big_folders = big_folders
        self.capabilities = capabilities
        self.special_use = special_use
        self.special_folders = tuple(special_folders)
        self._owns_certs = False
        if cert is not None:
            cert_file, key_file = cert.cert_file, cert.key_file
        if cert_file is None or key_file is None:
            if certs is None:
                certs = TestCertificates()
                self._owns_certs = True
            cert_file = cert_file or certs.server_cert_file
            key_file = key_file or certs.server_key_file
        if ca_file is None and certs is not None:
            ca_file = certs.ca_file
        self._certs = certs
        self.cert_file = Path(cert_file)
        self.key_file = Path(key_file)
        self.ca_file = Path(ca_file) if ca_file else None

        self._owns_workdir = workdir is None
        if workdir is None:
            workdir = tempfile.mkdtemp(prefix="govmail-dovecot-")
        self.workdir = Path(workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.workdir, 0o755)
        # As root, Dovecot runs mail processes as an unprivileged uid (root is refused);
        # as an ordinary user, everything simply runs as that user.
        self.as_root = os.geteuid() == 0
        if self.as_root:
            self._check_traversable(self.workdir)

        self.users: dict[str, str] = dict(users if users is not None else DEFAULT_USERS)
        self._ports_chosen_here = imap_port is None and imaps_port is None
        self.imap_port = imap_port or free_port()
        self.imaps_port = imaps_port or free_port()
        self._started_once = False
        if self.as_root:
            self.mail_uid = mail_uid if mail_uid is not None else _unused_uid()
            self.mail_gid = self.mail_uid
        else:
            self.mail_uid, self.mail_gid = os.getuid(), os.getgid()

        self.base_dir = self.workdir / "run"
        if len(str(self.base_dir)) > _SOCKET_PATH_MAX - 30:
            self.base_dir = Path(tempfile.mkdtemp(prefix="gmdv-"))
            self._short_base_dir = True
        else:
            self._short_base_dir = False
        self.state_dir = self.workdir / "state"
        self.home_root = self.workdir / "home"
        self.log_file = self.workdir / "dovecot.log"
        self.config_file = self.workdir / "dovecot.conf"
        self.passwd_file = self.workdir / "users.passwd"
        self.lmtp_socket = self.base_dir / "lmtp"
        self.instance_name = f"govmail-test-{os.getpid()}-{self.imap_port}"
        self._proc: subprocess.Popen[bytes] | None = None

    # -- set-up --------------------------------------------------------------------
    @staticmethod
    def _check_traversable(path: Path) -> None:
        """Mail processes run as an unprivileged uid: every parent needs o+x."""
        for parent in [path, *path.parents]:
            if not os.stat(parent).st_mode & 0o001:
                raise DovecotError(
                    f"{parent} is not traversable by other users (mode "
                    f"{oct(os.stat(parent).st_mode & 0o777)}); the Dovecot mail user "
                    "could not reach its Maildir. Use a directory under /tmp."
                )

    def _write_files(self) -> None:
        for d in (self.base_dir, self.state_dir, self.home_root):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, 0o755)
        for user in self.users:
            home = self.home_root / user
            if not home.exists():
                home.mkdir()
                if self.as_root:
                    os.chown(home, self.mail_uid, self.mail_gid)
                os.chmod(home, 0o700)
        lines = [f"{name}:{{PLAIN}}{pw}::::::" for name, pw in self.users.items()]
        self.passwd_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.chmod(self.passwd_file, 0o644)  # auth runs unprivileged; test passwords only
        self.config_file.write_text(self._config_text(), encoding="utf-8")

    def _config_text(self) -> str:
        dh = "/usr/share/dovecot/dh.pem"
        dh_line = f"ssl_dh = <{dh}" if os.path.exists(dh) else ""
        use = "    special_use = \\{name}\n" if self.special_use else ""
        special = "\n".join(
            f"  mailbox {name} {{\n" + use.format(name=name) + "    auto = subscribe\n  }"
            for name in self.special_folders
        )
        capability = f"imap_capability = {self.capabilities}" if self.capabilities else ""
        big = BIG_FOLDER_CONFIG if self.big_folders else ""
        return f"""# Private test instance written by tests/servers/dovecot.py
instance_name = {self.instance_name}
{self._unprivileged_config()}
base_dir = {self.base_dir}
state_dir = {self.state_dir}
log_path = {self.log_file}
info_log_path = {self.log_file}
protocols = imap lmtp
listen = 127.0.0.1
hostname = localhost
postmaster_address = postmaster@{MAIL_DOMAIN}
ssl = yes
ssl_cert = <{self.cert_file}
ssl_key = <{self.key_file}
ssl_min_protocol = TLSv1.2
{dh_line}
auth_mechanisms = plain login
auth_username_format = %Ln
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.passwd_file}
}}
userdb {{
  driver = passwd-file
  args = {self.passwd_file}
  default_fields = uid={self.mail_uid} gid={self.mail_gid} home={self.home_root}/%n
}}
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
{capability}
{big}
namespace inbox {{
  inbox = yes
  separator = /
{special}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0666
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

    def _unprivileged_config(self) -> str:
        """Settings that let Dovecot run without root (no user switching, no chroot)."""
        if self.as_root:
            return ""
        import grp
        import pwd

        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        return f"""default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
service imap-login {{
  chroot =
}}
service anvil {{
  chroot =
}}"""

    # -- lifecycle --------------------------------------------------------------------
    @property
    def pid_file(self) -> Path:
        return self.base_dir / "master.pid"

    @property
    def master_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = 15.0) -> DovecotServer:
        """Start Dovecot and wait until IMAP, IMAPS and LMTP accept connections.

        The master runs in the foreground (-F) as our child, in its own process group:
        we can reap it (no zombies left to an init that may not reap) and signal the
        whole instance at once.
        """
        if self._proc is not None:
            return self
        for attempt in range(3):
            try:
                self._start_once(timeout)
            except DovecotError as exc:
                # Another process may grab a "free" port between choosing and binding it
                # (several test runs share this machine): choose again, first start only.
                retry = self._ports_chosen_here and not self._started_once and attempt < 2
                if not (retry and "Address already in use" in str(exc)):
                    raise
                self.imap_port, self.imaps_port = free_port(), free_port()
                continue
            self._started_once = True
            return self
        raise AssertionError("unreachable")

    def _start_once(self, timeout: float) -> None:
        self._write_files()
        startup_out = self.workdir / "dovecot-startup.out"
        with open(startup_out, "wb") as out:
            self._proc = subprocess.Popen(
                [DOVECOT_BIN, "-F", "-c", str(self.config_file)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _RUNNING.add(self)
        try:
            self._wait_ready(timeout, startup_out)
        except Exception:
            self.stop()
            raise

    def _wait_ready(self, timeout: float, startup_out: Path) -> None:
        assert self._proc is not None
        started = time.monotonic()
        pending = {"imap": self.imap_port, "imaps": self.imaps_port}
        while True:
            exited = self._proc.poll()
            if exited is None:
                for name, port in list(pending.items()):
                    if self._port_answers(port, greeting=name == "imap"):
                        del pending[name]
            lmtp_ok = self.lmtp_socket.exists()
            if exited is None and not pending and lmtp_ok:
                return
            if exited is not None or time.monotonic() - started > timeout:
                what = sorted(pending) + ([] if lmtp_ok else ["lmtp"])
                reason = f"exited with {exited}" if exited is not None else f"not ready in {timeout:.0f} s"
                output = startup_out.read_text(errors="replace").strip()
                raise DovecotError(
                    f"dovecot {reason} (waiting for {what}): {output}"
                    f"\n--- log tail ({self.log_file}) ---\n{self.log_tail()}"
                )
            time.sleep(0.01)

    def _port_answers(self, port: int, *, greeting: bool) -> bool:
        """Is Dovecot listening on ``port``? For plain IMAP, wait for its "* OK" banner:
        a bare connect would also succeed against some other process holding the port."""
        try:
            with socket.create_connection((self.host, port), timeout=0.25) as sock:
                return not greeting or sock.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def stop(self, timeout: float = 10.0) -> None:
        """Stop every process of this instance and reap the master (safe to call twice).

        A plain SIGTERM to the master costs 1-6 s: it kills its children, sleeps before
        reaping them, and may first respawn its log process and wait for that one too
        (`dovecot stop` also polls every few seconds). So: pause the master, terminate
        its children, and once they are all dead, let the master go: it reaps them and
        exits in milliseconds. If it respawns one instead, kill the whole group (the mail
        processes have exited already; the master is our child and is reaped here).
        """
        proc, self._proc = self._proc, None
        _RUNNING.discard(self)
        if proc is None:
            return
        pgid = proc.pid
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pgid, signal.SIGSTOP)
                for pid in _process_group(pgid):
                    if pid != pgid:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + timeout
                while any(
                    state not in "ZX" for pid, state in _process_group(pgid).items() if pid != pgid
                ):
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.002)
                # Usually the master now reaps its dead children and exits at once;
                # if it respawned one instead, do not wait for it.
                os.kill(pgid, signal.SIGTERM)
                os.kill(pgid, signal.SIGCONT)
                try:
                    proc.wait(0.3)
                except subprocess.TimeoutExpired:
                    os.killpg(pgid, signal.SIGKILL)
        proc.wait(timeout)
        with contextlib.suppress(OSError):
            self.pid_file.unlink()

    def restart(self) -> DovecotServer:
        """Stop and start again on the same ports, keeping the mailboxes."""
        self.stop()
        return self.start()

    def cleanup(self) -> None:
        """Stop, then remove the directories this object created."""
        self.stop()
        if self._owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if self._short_base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)
        if self._owns_certs and self._certs is not None:
            self._certs.cleanup()

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- helpers for tests -----------------------------------------------------------
    def deliver(self, user: str, message: bytes, mail_from: str = "sender@example.org") -> None:
        """Deliver ``message`` to ``user``'s INBOX over LMTP, as an MTA would."""
        rcpt = self.address(user)
        results = lmtp_deliver(self.lmtp_socket, mail_from, [rcpt], message)
        code, text = results[rcpt]
        if code != 250:
            raise DovecotError(f"LMTP delivery to {rcpt} failed: {code} {text!r}")

    def append(
        self,
        user: str,
        folder: str,
        message: bytes,
        flags: Iterable[str | bytes] = (),
        msg_time: dt.datetime | None = None,
        *,
        create: bool = True,
    ) -> int | None:
        """APPEND ``message`` to ``user``'s ``folder``; return its UID (from APPENDUID)."""
        with self.imap(user) as client:
            if create:
                ensure_mailbox(client, self, folder)
            return append_message(client, folder, message, flags, msg_time)

    def doveadm(self, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run ``doveadm -c <this config> args...`` (e.g. ``"search", "-u", "bob", "ALL"``)."""
        proc = subprocess.run(
            [DOVEADM_BIN, "-c", str(self.config_file), *args],
            input=input,
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise DovecotError(
                f"doveadm {' '.join(args)} failed ({proc.returncode}): "
                f"{proc.stderr.decode(errors='replace').strip()}"
            )
        return proc

def ensure_mailbox(client: IMAPClient, server: ImapTestAccess, path: str, *, subscribe: bool = True) -> str:
    """Create folder ``path`` of ``server`` (named by its ``mailbox()``) and its parents,
    subscribed, if missing; return its name. Parents are created explicitly so that they
    are real, selectable folders."""
    parts = path.split("/")
    name = "INBOX"
    for depth in range(1, len(parts) + 1):
        name = server.mailbox("/".join(parts[:depth]))
        if name.upper() == "INBOX" or client.folder_exists(name):
            continue
        client.create_folder(name)
        if subscribe:
            client.subscribe_folder(name)
    return name


def append_message(
    client: IMAPClient,
    folder: str,
    message: bytes,
    flags: Iterable[str | bytes] = (),
    msg_time: dt.datetime | None = None,
) -> int | None:
    """APPEND over an open connection and return the UID from the APPENDUID response."""
    reply = client.append(folder, to_crlf(message), flags=tuple(flags), msg_time=msg_time)
    match = re.search(rb"APPENDUID \d+ (\d+)", reply if isinstance(reply, bytes) else b"")
    return int(match.group(1)) if match else None


__all__ = [
    "DEFAULT_USERS",
    "MAIL_DOMAIN",
    "DovecotError",
    "DovecotServer",
    "append_message",
    "ensure_mailbox",
    "ImapTestAccess",
    "free_port",
    "lmtp_deliver",
    "to_crlf",
]
