"""pytest fixtures for the real servers (Dovecot, SMTP submission, Secret Service).

Loaded by tests/conftest.py (``pytest_plugins``). Servers start lazily — only when a test
asks for them — listen on free 127.0.0.1 ports and are stopped at the end even when
tests fail. The attributes are in the docstrings below and in tests/servers/README.md.

- ``certs``            session: TestCertificates (test CA + loopback cert; expired(),
                       wrong_host(), untrusted() for refusal tests)
- ``dovecot``          session: a started DovecotServer (users alice, bob, carol)
- ``seeded_dovecot``   session: another DovecotServer holding the tests/data samples
                       (alice; see seed.json); ``.seeded`` lists where each went
- ``smtp_server``      session: a started SmtpSubmissionServer delivering into ``dovecot``
- ``secret_service``   function: the private Secret Service, activated for the test
                       (env + keyring backend), restored afterwards
- ``secret_service_daemon`` session: the same, not activated (use ``.activated()``)
- ``fresh_dovecot``    function: factory making private Dovecots (stop/restart, custom
                       certificates, own users); all cleaned up after the test
- ``planted_countries`` function: for this test, every policy built without a registry
                       (the app, ``govmail-admin`` in-process) sees 127.0.0.2 in the US and
                       127.0.0.3 in Thailand (tests/servers/fake_net.py)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest

from tests.servers.certs import CertFiles, TestCertificates

# The server modules are imported inside the fixtures that start them: this plugin is loaded
# for every test run (tests/conftest.py), also on Windows, where Dovecot, gnome-keyring and
# their POSIX-only helpers do not exist (tests/unit/test_suite_portable.py keeps it so).
if TYPE_CHECKING:
    from tests.servers.dovecot import DovecotServer
    from tests.servers.fake_net import PlannedRegistry
    from tests.servers.secret_service import SecretServiceSession
    from tests.servers.smtp import SmtpSubmissionServer


@pytest.fixture(scope="session")
def certs() -> Iterator[TestCertificates]:
    """The session's test CA and the good loopback server certificate."""
    bundle = TestCertificates()
    yield bundle
    bundle.cleanup()


@pytest.fixture(scope="session")
def dovecot(certs: TestCertificates) -> Iterator[DovecotServer]:
    """A running private Dovecot shared by the session (do not stop it in a test:
    use ``fresh_dovecot`` for that). Users: DEFAULT_USERS (alice, bob, carol)."""
    from tests.servers.dovecot import DovecotServer

    server = DovecotServer(certs=certs)
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def seeded_dovecot(certs: TestCertificates) -> Iterator[DovecotServer]:
    """A Dovecot whose mailboxes hold the sample mail of tests/data (as seed.json says).

    Shared by the session: treat it as read-only (use ``fresh_dovecot`` + ``seed_mailbox``
    to change things). ``seeded_dovecot.seeded`` is the list of SeededMessage."""
    from tests.servers.dovecot import DovecotServer
    from tests.servers.seed import seed_mailbox

    server = DovecotServer(certs=certs)
    try:
        server.start()
        server.seeded = seed_mailbox(server)  # type: ignore[attr-defined]
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def smtp_server(dovecot: DovecotServer) -> Iterator[SmtpSubmissionServer]:
    """SMTP submission (STARTTLS + implicit TLS) delivering into ``dovecot``."""
    from tests.servers.smtp import SmtpSubmissionServer

    server = SmtpSubmissionServer(dovecot)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def secret_service_daemon() -> Iterator[SecretServiceSession]:
    """The private D-Bus + gnome-keyring, started once; not activated for the process."""
    from tests.servers.secret_service import SecretServiceError, SecretServiceSession

    session = SecretServiceSession()
    try:
        session.start()
    except SecretServiceError as exc:
        # make test installs dbus and gnome-keyring: a missing one is a set-up bug,
        # not a reason to skip quietly.
        pytest.fail(f"Secret Service unavailable: {exc}", pytrace=False)
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture
def secret_service(secret_service_daemon: SecretServiceSession) -> Iterator[SecretServiceSession]:
    """The private Secret Service, active for this test: DBUS_SESSION_BUS_ADDRESS set and
    ``keyring.get_keyring()`` is SecretService.Keyring; both restored afterwards.
    The keyring is shared by the session: use unique service names per test."""
    with secret_service_daemon.activated() as session:
        yield session


DovecotFactory = Callable[..., "DovecotServer"]


@pytest.fixture
def fresh_dovecot(certs: TestCertificates) -> Iterator[DovecotFactory]:
    """Factory for private Dovecots a test may stop, restart or break.

    ``fresh_dovecot(cert=certs.expired(), users={...}, start=True)`` → DovecotServer.
    Keyword arguments go to DovecotServer; ``certs`` defaults to the session CA.
    Starting one takes a few tens of milliseconds; all are removed after the test.
    """
    from tests.servers.dovecot import DovecotServer

    made: list[DovecotServer] = []

    def make(
        *,
        cert: CertFiles | None = None,
        users: Mapping[str, str] | None = None,
        start: bool = True,
        **kwargs: Any,
    ) -> DovecotServer:
        kwargs.setdefault("certs", certs)
        server = DovecotServer(cert=cert, users=users, **kwargs)
        made.append(server)
        if start:
            server.start()
        return server

    try:
        yield make
    finally:
        for server in made:
            server.cleanup()


@pytest.fixture
def fresh_smtp_server() -> Iterator[Callable[..., SmtpSubmissionServer]]:
    """Factory for a private SMTP submission server (e.g. in front of a fresh_dovecot,
    or with another certificate). Stopped after the test."""
    from tests.servers.smtp import SmtpSubmissionServer

    made: list[SmtpSubmissionServer] = []

    def make(dovecot: DovecotServer, *, start: bool = True, **kwargs: Any) -> SmtpSubmissionServer:
        server = SmtpSubmissionServer(dovecot, **kwargs)
        made.append(server)
        if start:
            server.start()
        return server

    try:
        yield make
    finally:
        for server in made:
            server.stop()


@pytest.fixture
def planted_countries(monkeypatch: pytest.MonkeyPatch) -> PlannedRegistry:
    """Loopback addresses with countries for policies built inside the code under test."""
    from govmail_desktop.policy import server
    from tests.servers.fake_net import PlannedRegistry

    registry = PlannedRegistry()
    monkeypatch.setattr(server, "DEFAULT_REGISTRY", registry)
    return registry
