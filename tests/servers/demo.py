"""`make demo`: local mail servers seeded with sample Thai mail, then the desktop app.

    python -m tests.servers.demo            # servers + app; servers stop when the app quits
    python -m tests.servers.demo --no-app   # servers only, until Ctrl-C
    python -m tests.servers.demo --check    # start, seed, verify over IMAP, stop (exit 0/1)

The same server code as the test suite (tests/servers/). Everything listens on 127.0.0.1
only. Mailboxes are fresh each run (a temp dir, removed at exit); the app's own files
live in ``.demo/home`` (GOVMAIL_HOME), and ``.demo/demo-account.json`` holds the account
facts (host, ports, CA file, user, password) for wiring the app to the demo servers.
The servers log to ``.demo/servers.log``: the app runs in the same process, and its log
file holds only the app's own lines.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import email.utils
import json
import logging
import os
import shutil
import signal
import smtplib
import sys
import threading
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from types import FrameType
from typing import Any

from tests.servers.certs import TestCertificates
from tests.servers.dovecot import MAIL_DOMAIN, DovecotServer, free_port
from tests.servers.seed import load_manifest, seed_mailbox
from tests.servers.smtp import SmtpSubmissionServer

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DEMO_DIR = REPO / ".demo"
DEMO_USER = "alice"
LOOPBACK_POLICY = REPO / "tests" / "data" / "policy" / "test-loopback.json"

#: Ports tried first so the demo account stays the same between runs (else any free one).
PREFERRED_PORTS = {"imap": 10143, "imaps": 10993, "submission": 10587, "submissions": 10465}

WELCOME_SUBJECT = "ยินดีต้อนรับสู่ GovMail Desktop (ข้อความทดลองที่ส่งผ่าน SMTP)"
WELCOME_BODY = (
    "ข้อความนี้ส่งผ่านเซิร์ฟเวอร์ SMTP ทดลองในเครื่องนี้ และส่งต่อเข้ากล่องจดหมาย IMAP\n"
    "This message went through the local demo SMTP server into the IMAP INBOX.\n"
)


#: Loggers of the demo's servers (aiosmtpd's and ours); Dovecot logs to its own files.
SERVER_LOGGERS = ("mail.log", "aiosmtpd", "tests.servers")


@contextlib.contextmanager
def server_logs_apart(demo_dir: Path) -> Iterator[Path]:
    """Send the servers' log records to ``<demo_dir>/servers.log``, not up to the root logger.

    The app runs in this process and sends the root logger to its own log file
    (core/logging_setup.py); without this, SMTP sessions of the demo server would
    appear there as if the app had written them. Restored on exit.
    """
    demo_dir.mkdir(parents=True, exist_ok=True)
    path = demo_dir / "servers.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"))
    saved = []
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate, logger.level))
        logger.addHandler(handler)
        logger.propagate = False
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
    try:
        yield path
    finally:
        for logger, propagate, level in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate
            logger.setLevel(level)
        handler.close()


class DemoStop(Exception):
    """Raised by the signal handlers so that `finally` stops the servers."""


def _port(name: str) -> int:
    preferred = PREFERRED_PORTS[name]
    try:
        import socket

        with socket.socket() as sock:
            # as the servers do: a port in TIME_WAIT from the last run is reusable
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", preferred))
        return preferred
    except OSError:
        return free_port()


# -- the servers ---------------------------------------------------------------
class DemoServers:
    """Certificates, Dovecot and SMTP submission for the demo, plus the account facts."""

    def __init__(self, demo_dir: Path) -> None:
        self.demo_dir = demo_dir
        self.certs: TestCertificates | None = None
        self.dovecot: DovecotServer | None = None
        self.smtp: SmtpSubmissionServer | None = None

    def start(self) -> None:
        self.demo_dir.mkdir(parents=True, exist_ok=True)
        self.certs = TestCertificates(self.demo_dir / "certs")
        # The mailboxes go to a fresh temp dir: the mail uid must be able to reach them,
        # and the seeded mailbox should be the same on every run.
        self.dovecot = DovecotServer(
            certs=self.certs, imap_port=_port("imap"), imaps_port=_port("imaps")
        )
        self.dovecot.start()
        self.smtp = SmtpSubmissionServer(
            self.dovecot, starttls_port=_port("submission"), tls_port=_port("submissions")
        )
        self.smtp.start()

    def stop(self) -> None:
        if self.smtp is not None:
            self.smtp.stop()
        if self.dovecot is not None:
            self.dovecot.cleanup()

    def seed(self) -> list[Any]:
        assert self.dovecot is not None
        seeded = seed_mailbox(self.dovecot)
        self.send_welcome()
        return seeded

    def send_welcome(self) -> str:
        """Send one message through SMTP submission (bob → alice): the loop, live."""
        assert self.dovecot is not None and self.smtp is not None
        msg = EmailMessage()
        msg["From"] = f"บ็อบ ทดสอบ <bob@{MAIL_DOMAIN}>"
        msg["To"] = f"อลิสา ศรีสุข <{DEMO_USER}@{MAIL_DOMAIN}>"
        msg["Subject"] = WELCOME_SUBJECT
        msg["Message-ID"] = message_id = f"<welcome-{uuid.uuid4()}@{MAIL_DOMAIN}>"
        msg["Date"] = email.utils.formatdate(localtime=True)
        msg.set_content(WELCOME_BODY)
        ctx = self.dovecot.client_ssl_context()
        # local_hostname: smtplib would otherwise look this machine's name up (getfqdn).
        with smtplib.SMTP(self.smtp.host, self.smtp.starttls_port, local_hostname="localhost",
                          timeout=30) as smtp:
            smtp.starttls(context=ctx)
            smtp.login("bob", self.dovecot.users["bob"])
            smtp.send_message(msg)
        return message_id

    def account_facts(self) -> dict[str, Any]:
        """What the app needs to reach the demo servers (written to demo-account.json)."""
        assert self.dovecot is not None and self.smtp is not None and self.certs is not None
        return {
            "about": "Demo account for the local test servers of `make demo`. Test data only.",
            "address": f"{DEMO_USER}@{MAIL_DOMAIN}",
            "display_name": "อลิสา ศรีสุข",
            "login": DEMO_USER,
            "password": self.dovecot.users[DEMO_USER],
            "imap": {"host": self.dovecot.host, "port": self.dovecot.imaps_port, "security": "tls"},
            "imap_starttls": {"host": self.dovecot.host, "port": self.dovecot.imap_port, "security": "starttls"},
            "smtp": {"host": self.smtp.host, "port": self.smtp.starttls_port, "security": "starttls"},
            "smtp_tls": {"host": self.smtp.host, "port": self.smtp.tls_port, "security": "tls"},
            "ca_file": str(self.certs.ca_file),
            "policy_file": str(LOOPBACK_POLICY),
            "users": {f"{u}@{MAIL_DOMAIN}": pw for u, pw in self.dovecot.users.items()},
        }


def write_account_facts(demo_dir: Path, facts: dict[str, Any]) -> Path:
    path = demo_dir / "demo-account.json"
    path.write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def banner(facts: dict[str, Any], facts_file: Path) -> str:
    imap, imaps = facts["imap_starttls"], facts["imap"]
    smtp, smtps = facts["smtp"], facts["smtp_tls"]
    users = ", ".join(f"{addr} / {pw}" for addr, pw in facts["users"].items())
    return "\n".join(
        [
            "เซิร์ฟเวอร์อีเมลทดลองทำงานแล้ว (เฉพาะในเครื่องนี้ 127.0.0.1) / Demo mail servers are running (127.0.0.1 only)",
            f"  IMAP  STARTTLS {imap['host']}:{imap['port']}    IMAP TLS {imaps['host']}:{imaps['port']}",
            f"  SMTP  STARTTLS {smtp['host']}:{smtp['port']}    SMTP TLS {smtps['host']}:{smtps['port']}",
            f"  ใบรับรอง CA / CA certificate: {facts['ca_file']}",
            f"  ผู้ใช้ / users (อีเมล / รหัสผ่าน, email / password): {users}",
            f"  ข้อมูลบัญชีทดลอง / demo account facts: {facts_file}",
            f"  บันทึกของเซิร์ฟเวอร์ / server log: {facts_file.parent / 'servers.log'}",
            "  กล่องจดหมายของ alice มีจดหมายตัวอย่างภาษาไทยแล้ว / alice's mailbox holds the Thai sample mail",
        ]
    )


# -- checking (for `--check` and tests) --------------------------------------------
def check_seeded(servers: DemoServers) -> list[str]:
    """Problems found when looking for every seeded message over IMAP (empty = fine)."""
    assert servers.dovecot is not None
    problems: list[str] = []
    manifest = load_manifest()["messages"]
    by_user_folder: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in manifest:
        by_user_folder.setdefault((entry["user"], entry["folder"]), []).append(entry)
    for (user, folder), entries in by_user_folder.items():
        with servers.dovecot.imap(user) as client:
            if not client.folder_exists(folder):
                problems.extend(f"{e['file']}: folder {user}/{folder} missing" for e in entries)
                continue
            client.select_folder(folder, readonly=True)
            for entry in entries:
                message_id = _message_id(entry["file"])
                uids = client.search(["HEADER", "Message-ID", message_id])
                if len(uids) != 1:
                    problems.append(f"{entry['file']}: {len(uids)} copies in {user}/{folder}")
    with servers.dovecot.imap(DEMO_USER) as client:
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["SUBJECT", WELCOME_SUBJECT], charset="UTF-8")
        if len(uids) != 1:
            problems.append(f"welcome message sent over SMTP: {len(uids)} copies in INBOX")
    return problems


def _message_id(file: str) -> str:
    from tests.servers.seed import sample_bytes

    msg = email.message_from_bytes(sample_bytes(file))
    return str(msg["Message-ID"])


# -- launching the app ----------------------------------------------------------
def demo_policy(facts: dict[str, Any]) -> Any:
    """The loopback test policy with the demo CA, if the policy package offers it."""
    try:
        from govmail_desktop.policy.sources import load_policy_file
    except ImportError:
        return None
    if not LOOPBACK_POLICY.exists():
        return None
    return load_policy_file(LOOPBACK_POLICY, overrides={"tls": {"ca_file": facts["ca_file"]}})


def app_overrides(context_module: Any, facts: dict[str, Any]) -> Any:
    """The app's seams for the demo: the loopback policy with the demo CA, the demo
    account's password in this session's memory, Ctrl-C kept working.

    Built with the app's own ``AppOverrides`` (``govmail_desktop.wiring.context``): a seam
    renamed there fails here at once, instead of the demo silently starting without it.
    """
    return context_module.AppOverrides(
        policy=demo_policy(facts),
        on_window_shown=_keep_python_signals_alive,
        session_passwords={DEMO_ACCOUNT_ID: facts["password"]},
    )


def _keep_python_signals_alive(_ctx: Any) -> None:
    """Qt's event loop runs in C++: without a periodic return to Python, Ctrl-C would
    wait until some event arrives. A no-op timer lets the signal handler run."""
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance()
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)


DEMO_ACCOUNT_ID = "demo-alice"


def configure_demo_account(facts: dict[str, Any], home: Path) -> None:
    """Put the demo account into the demo profile's settings (its password stays in memory)."""
    from govmail_desktop.core.accounts import Account, AccountStore, ServerSettings
    from govmail_desktop.core.paths import AppPaths
    from govmail_desktop.core.settings import Settings

    paths = AppPaths(home / "config", home / "data", home / "cache", home / "log")
    settings = Settings.load(paths.settings_file)
    store = AccountStore(settings)
    # The account model accepts only real-looking domains (not "localhost"); the
    # demo servers deliver to their users whatever the domain, as Dovecot does.
    account = Account(
        id=DEMO_ACCOUNT_ID,
        address=f"{facts['login']}@demo.go.th",
        display_name=facts["display_name"],
        login=facts["login"],
        imap=ServerSettings(**facts["imap"]),
        smtp=ServerSettings(**facts["smtp"]),
        ask_password_each_session=True,
    )
    if store.get(DEMO_ACCOUNT_ID) is None:
        store.add(account)
    else:  # ports may differ from the last run
        store.update(account)
    store.save()


def run_app(facts: dict[str, Any], home: Path, app_args: list[str]) -> int:
    os.environ["GOVMAIL_HOME"] = str(home)
    configure_demo_account(facts, home)
    from govmail_desktop import app as app_module
    from govmail_desktop.wiring import context as context_module

    return int(app_module.main(app_args, overrides=app_overrides(context_module, facts)) or 0)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT/SIGTERM/SIGHUP: quit the app if it runs, then unwind so servers stop."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        try:
            from PySide6.QtCore import QCoreApplication

            app = QCoreApplication.instance()
        except ImportError:
            app = None
        if app is not None:
            app.quit()  # app.main returns, then `finally` stops the servers
        else:
            raise DemoStop(signal.Signals(signum).name)

    wanted = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {sig: signal.signal(sig, handler) for sig in wanted}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


# -- main ----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.servers.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--no-app", action="store_true", help="run the servers until Ctrl-C")
    mode.add_argument("--check", action="store_true", help="start, seed, verify over IMAP, stop")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DEMO_DIR, help="demo directory (default .demo/)")
    parser.add_argument("--fresh", action="store_true", help="start the app with an empty profile")
    args, app_args = parser.parse_known_args(argv)

    demo_dir: Path = args.dir.resolve()
    servers = DemoServers(demo_dir)
    # Until the servers have stopped: their last words do not go into the app's log either.
    with server_logs_apart(demo_dir):
        try:
            with stop_on_signals():
                servers.start()
                seeded = servers.seed()
                facts = servers.account_facts()
                facts_file = write_account_facts(demo_dir, facts)
                print(banner(facts, facts_file), flush=True)
                if args.check:
                    problems = check_seeded(servers)
                    for problem in problems:
                        print(f"ตรวจไม่ผ่าน / check failed: {problem}", file=sys.stderr)
                    if not problems:
                        print(f"ตรวจผ่าน / check passed: {len(seeded)} sample messages + 1 sent over SMTP")
                    return 1 if problems else 0
                if args.no_app:
                    print("กด Ctrl-C เพื่อหยุด / press Ctrl-C to stop", flush=True)
                    threading.Event().wait()  # until a signal raises DemoStop
                    return 0
                home = demo_dir / "home"
                if args.fresh:
                    shutil.rmtree(home, ignore_errors=True)
                return run_app(facts, home, app_args)
        except (DemoStop, KeyboardInterrupt):
            return 0
        finally:
            servers.stop()
            print("หยุดเซิร์ฟเวอร์ทดลองแล้ว / demo servers stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
