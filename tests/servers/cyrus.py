"""A private Cyrus IMAP 3.6 for the interoperability tests (Debian's packages, unpacked).

``cyrus-imapd`` conflicts with ``dovecot-imapd``, so its files come from the
downloaded packages (tests/servers/debian_pkgs.py). The instance is configured as
Debian's ``/etc/imapd.conf`` has it (folders under ``INBOX.`` with ``.`` between
levels), with everything private: config, spool, sockets and the SASL password
database in a temp dir, IMAP (STARTTLS) and IMAPS on free loopback ports, LMTP on a
unix socket, ``idled`` for immediate IDLE notifications. Mailboxes and their special
folders (Drafts, Sent, Trash, Junk with RFC 6154 attributes) are made by Cyrus itself
at a user's first login or delivery (``autocreate_*``). As root the server runs as
``nobody`` (Cyrus refuses root); users log in with the passwords of ``users``
(``saslpasswd2`` into a private sasldb).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.servers import debian_pkgs
from tests.servers.dovecot import lmtp_deliver
from tests.servers.packaged import PackagedServer, ServerStartError

PACKAGES = ("cyrus-common", "cyrus-imapd")
#: apt packages whose libraries the unpacked binaries load (tools/install-system-deps.sh).
LIBRARY_PACKAGES = (
    "libpcre3 libxapian30 libical3 libicu72 libjansson4 libpq5 libsqlite3-0 libxml2 libwrap0 "
    "libkrb5-3 libsasl2-2 libsasl2-modules libsasl2-modules-db libssl3 libcom-err2 zlib1g"
)
BIN = "usr/lib/cyrus/bin"
#: SASL plugins (Debian's libsasl2-modules-db and libsasl2-modules) for sasldb with PLAIN/LOGIN.
SASL_PLUGINS = ("libsasldb.so.2", "libplain.so.2", "liblogin.so.2")
SASL_PLUGIN_DIR = Path("/usr/lib/x86_64-linux-gnu/sasl2")
#: The server's name: users are ``alice@localhost`` in the SASL database.
REALM = "localhost"


class CyrusError(ServerStartError):
    """The private Cyrus could not start or do what a test asked."""


class CyrusServer(PackagedServer):
    """Private Cyrus IMAP: ``imap_port`` (STARTTLS), ``imaps_port``, ``lmtp_socket``."""

    name = "Cyrus"
    special_folders = {"\\Drafts": "Drafts", "\\Sent": "Sent", "\\Trash": "Trash", "\\Junk": "Junk"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.conf_file = self.workdir / "imapd.conf"
        self.master_conf = self.workdir / "cyrus.conf"
        self.run_dir = self.workdir / "run"
        self.lmtp_socket = self.run_dir / "lmtp"
        self.sasldb = self.workdir / "sasldb2"
        self.root: Path | None = None
        # Cyrus will not run as root; as an ordinary user it runs as that user.
        import pwd  # POSIX only: imported where used, so this module loads on Windows too

        self.cyrus_user = "nobody" if os.geteuid() == 0 else pwd.getpwuid(os.getuid()).pw_name

    # -- set-up ----------------------------------------------------------------------------
    def _check(self) -> Path:
        root = debian_pkgs.unpacked(PACKAGES)
        binaries = [root / BIN / name for name in ("master", "imapd", "lmtpd", "idled", "ctl_cyrusdb")]
        debian_pkgs.require_libraries("Cyrus", binaries, root, LIBRARY_PACKAGES)
        absent = [p for p in SASL_PLUGINS if not (SASL_PLUGIN_DIR / p).exists()]
        if absent:
            raise debian_pkgs.MissingPrerequisite(
                f"Cyrus cannot start: SASL plugins {', '.join(absent)} missing from {SASL_PLUGIN_DIR} "
                f"(packages libsasl2-modules-db libsasl2-modules); {debian_pkgs.FETCH_HINT}"
            )
        return root

    def _prepare(self) -> None:
        if self.root is None:
            self.root = self._check()
        tools = debian_pkgs.require_programs("Cyrus", {"saslpasswd2": "sasl2-bin"})
        import pwd

        account = pwd.getpwnam(self.cyrus_user)
        for sub in ("conf", "spool", "run", "sieve"):
            path = self.workdir / sub
            path.mkdir(exist_ok=True)
            os.chown(path, account.pw_uid, account.pw_gid)
            os.chmod(path, 0o750)
        self.conf_file.write_text(self._imapd_conf(), encoding="utf-8")
        self.master_conf.write_text(self._cyrus_conf(), encoding="utf-8")
        self.sasldb.unlink(missing_ok=True)
        for user, password in self.users.items():
            proc = subprocess.run(
                [tools["saslpasswd2"], "-p", "-c", "-f", str(self.sasldb), "-u", REALM, user],
                input=password.encode(), capture_output=True, check=False,
            )
            if proc.returncode != 0:
                raise CyrusError(f"saslpasswd2 for {user} failed: {proc.stderr.decode(errors='replace')}")
        os.chown(self.sasldb, account.pw_uid, account.pw_gid)
        os.chmod(self.sasldb, 0o600)

    def _imapd_conf(self) -> str:
        folders = " | ".join(self.special_folders.values())
        xlist = "\n".join(f"xlist-{name.lower()}: {name}" for name in self.special_folders.values())
        w = self.workdir
        return f"""# Private test instance written by tests/servers/cyrus.py (Debian's defaults otherwise)
configdirectory: {w}/conf
defaultpartition: default
partition-default: {w}/spool
proc_path: {w}/run/proc
mboxname_lockpath: {w}/run/lock
lmtpsocket: {self.lmtp_socket}
idlesocket: {w}/run/idle
notifysocket: {w}/run/notify
sievedir: {w}/sieve
servername: {REALM}
cyrus_user: {self.cyrus_user}
altnamespace: no
unixhierarchysep: no
lmtp_downcase_rcpt: yes
allowanonymouslogin: no
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: {self.sasldb}
sasl_mech_list: PLAIN LOGIN
tls_server_cert: {self.cert_file}
tls_server_key: {self.key_file}
tls_versions: tls1_2 tls1_3
autocreate_quota: 0
autocreate_post: yes
autocreate_inbox_folders: {folders}
autocreate_subscribe_folders: {folders}
{xlist}
imapidlepoll: 1
syslog_prefix: govmail-test-cyrus
"""

    def _cyrus_conf(self) -> str:
        assert self.root is not None
        b = self.root / BIN
        c = f"-C {self.conf_file}"
        return f"""# Private test instance written by tests/servers/cyrus.py
START {{
  recover cmd="{b}/ctl_cyrusdb {c} -r"
}}
SERVICES {{
  imap cmd="{b}/imapd {c}" listen="{self.host}:{self.imap_port}" prefork=0
  imaps cmd="{b}/imapd -s {c}" listen="{self.host}:{self.imaps_port}" prefork=0
  lmtpunix cmd="{b}/lmtpd {c}" listen="{self.lmtp_socket}" prefork=0
}}
EVENTS {{
}}
DAEMON {{
  idled cmd="{b}/idled {c}"
}}
"""

    def _command(self) -> tuple[list[str], dict[str, str]]:
        assert self.root is not None
        argv = [
            str(self.root / BIN / "master"), "-C", str(self.conf_file), "-M", str(self.master_conf),
            "-p", str(self.workdir / "master.pid"),
        ]
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LD_LIBRARY_PATH": debian_pkgs.library_path(self.root)}
        return argv, env

    def _ready(self) -> bool:
        return self.lmtp_socket.exists()

    # -- helpers for tests -----------------------------------------------------------------
    def deliver(self, user: str, message: bytes, mail_from: str = "sender@example.org") -> None:
        """Deliver ``message`` to ``user``'s INBOX over LMTP, as an MTA would."""
        rcpt = self.address(user)
        code, text = lmtp_deliver(self.lmtp_socket, mail_from, [rcpt], message)[rcpt]
        if code != 250:
            raise CyrusError(f"LMTP delivery to {rcpt} failed: {code} {text!r}")


__all__ = ["CyrusError", "CyrusServer", "LIBRARY_PACKAGES", "PACKAGES"]
