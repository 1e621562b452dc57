"""The one place GovMail relies on imapclient's internals, and the hand-over to net/imap.

imapclient has no public way to start on a connection it did not open, so
``net.imap_session._CheckedIMAPClient`` gives it the checked connection through
``_create_IMAP4`` and marks STARTTLS done with ``_starttls_done``. These tests fail
when an imapclient release changes either (pyproject.toml pins the release they were
checked against). The hand-over after login needs no imapclient internals: the session
made the imaplib object itself and takes the socket and its read-ahead buffer from it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError

from govmail_desktop.core.errors import ServerError
from govmail_desktop.net import failures
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import wire_from_session
from govmail_desktop.net.imap.responses import Exists
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.resolver import StaticResolver
from tests.servers.fake_imap import POST_TLS_CAPABILITIES, FakeImapServer

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})


def _connect(server, policy, security):
    return ImapSession.connect(Endpoint("localhost", server.port, security), policy, resolver=LOCAL, timeout=5)


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_imapclient_runs_on_the_checked_connection(certs, policy, security):
    """IMAPClient took the imaplib object the session made on the verified socket
    (``socket()`` is imapclient's public accessor), and after GovMail's own STARTTLS it
    refuses one of its own and asks CAPABILITY again over TLS."""
    with FakeImapServer("ok", certs.server, implicit_tls=security == "tls") as server:
        with _connect(server, policy, security) as session:
            client = session._client
            assert client.socket() is session._imap4.verified_socket
            assert session._imap4.verified_socket.version() is not None  # TLS
            assert session.capabilities() == tuple(POST_TLS_CAPABILITIES.decode().upper().split())
            if security == "starttls":
                # Past the capability check (the TLS list has no STARTTLS): the flag refuses it.
                with pytest.raises(IMAPClientAbortError, match="TLS session already established"):
                    IMAPClient.starttls.__wrapped__(client)


def test_a_release_that_does_not_take_the_checked_connection_is_refused(certs, policy, monkeypatch):
    """Planted: an IMAPClient whose constructor no longer asks ``_create_IMAP4`` (here it
    makes an imaplib object of its own, unconnected) is refused before anything is sent."""

    def init_without_the_hook(self, host, port=None, ssl=True, timeout=None, **kwargs):
        self._imap = SimpleNamespace(sock=object(), shutdown=lambda: None)

    monkeypatch.setattr(IMAPClient, "__init__", init_without_the_hook)
    with FakeImapServer("ok", certs.server, implicit_tls=True) as server:
        with pytest.raises(ServerError) as info:
            _connect(server, policy, "tls")
    assert info.value.code == failures.PROTOCOL
    assert "did not take the checked connection" in info.value.detail
    assert server.logins == []


def test_the_wire_reads_first_what_imaplib_had_read_ahead(certs, policy):
    """Untagged responses in the same packet as the LOGIN OK are in imaplib's buffer when
    the wire takes over: they are the wire's first responses, not lost."""
    pushed = b"* 7 EXISTS\r\n* 2 EXPUNGE\r\n"
    with FakeImapServer("ok", certs.server, implicit_tls=True, after_login=pushed) as server:
        session = _connect(server, policy, "tls")
        session.login("alice", "secret")
        wire = wire_from_session(session, timeout=5)
        try:
            events = wire.noop()
        finally:
            wire.logout()
    assert [type(e).__name__ for e in events] == ["Exists", "Expunge"] and events[0] == Exists(7)
