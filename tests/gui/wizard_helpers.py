"""Shared by the wizard, account-setup and keyring tests: the test policy and a user's typing."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govmail_desktop.credentials import CredentialStore
from govmail_desktop.net.account_check import verify_account
from govmail_desktop.net.resolver import system_resolver
from govmail_desktop.policy.sources import EffectivePolicy, load_policy_file
from tests.servers.fake_net import RecordingResolver

#: The loopback test policy: localhost / 127.0.0.1 / ::1 and mail.go.th; account domains go.th.
TEST_POLICY_FILE = Path(__file__).resolve().parents[1] / "data" / "policy" / "test-loopback.json"

PASSWORD = "Setup-Pw-2569"


def loopback_policy(ca_file: Path | None = None) -> EffectivePolicy:
    """The real test policy (nothing bypassed), trusting the test CA when given."""
    overrides = {"tls": {"ca_file": str(ca_file)}} if ca_file else None
    policy = load_policy_file(TEST_POLICY_FILE, overrides=overrides)
    assert policy.error is None, policy.error
    return policy


def recording_verifier() -> tuple[Any, list[tuple[str, ...]]]:
    """The real ``verify_account`` with a resolver that logs each lookup (and does it for real)."""
    events: list[tuple[str, ...]] = []
    resolver = RecordingResolver(system_resolver, events)

    def verifier(*args: Any, **kwargs: Any) -> Any:
        events.append(("verify",))
        return verify_account(*args, resolver=resolver, **kwargs)

    return verifier, events


def fill_account_page(
    wizard: Any,
    address: str,
    *,
    imap: tuple[str, int, str] | None = None,
    smtp: tuple[str, int, str] | None = None,
    password: str = PASSWORD,
    display_name: str = "",
    login: str = "",
    ask_each_session: bool = False,
) -> None:
    """Type into page 1 as a user would; servers go into "Own mail servers"."""
    page = wizard.account_page
    page.address.setText(address)
    page.password.setText(password)
    page.display_name.setText(display_name)
    page.ask_each_session.setChecked(ask_each_session)
    if imap is not None or smtp is not None:
        if page.advanced.isCheckable():
            page.advanced.setChecked(True)
        page.login.setText(login)
    if imap is not None:
        host, port, security = imap
        page.imap_host.setText(host)
        page.imap_security.setCurrentIndex(page.imap_security.findData(security))
        page.imap_port.setValue(port)
    if smtp is not None:
        host, port, security = smtp
        page.smtp_host.setText(host)
        page.smtp_port.setValue(port)
        page.smtp_security.setCurrentIndex(page.smtp_security.findData(security))


class HangingServer:
    """Accepts TCP connections and never says a word (a hung server): a check waits on it
    until cancelled. Connections are held open until :meth:`close`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._listener = socket.create_server((host, 0))
        self.host = host
        self.port = self._listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="hanging-server", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        self._thread.join(5)
        for conn in self.connections:
            conn.close()


# -- fixtures over the real servers of tests/servers (import them into a test module to use) --


@dataclass(frozen=True)
class MailServers:
    """Dovecot + SMTP submission behind the loopback test policy, as the wizard's user sees them."""

    policy: EffectivePolicy
    address: str
    password: str
    imap: tuple[str, int, str]
    smtp: tuple[str, int, str]


@pytest.fixture
def mail_servers(dovecot, smtp_server, certs) -> MailServers:
    # Any domain reaches the Dovecot user (auth_username_format=%Ln), so the login is the
    # full address of an allowed account domain, exactly as with mail.go.th.
    return MailServers(
        policy=loopback_policy(certs.ca_file),
        address="alice@agency.go.th",
        password=dovecot.users["alice"],
        imap=("localhost", dovecot.imaps_port, "tls"),
        smtp=("localhost", smtp_server.starttls_port, "starttls"),
    )


@pytest.fixture
def keyring_store(secret_service) -> Iterator[CredentialStore]:
    """A CredentialStore on the real Secret Service (keyring's own choice of backend)
    under a service name of its own (the keyring is shared by the session)."""
    store = CredentialStore(service_name=f"GovMail Desktop test {uuid.uuid4().hex[:8]}")
    store.check_available()
    yield store
