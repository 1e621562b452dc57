"""The test servers themselves: what other tests rely on (seeding, Thai folders, bad
certificates, restart, failure reports)."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import socket
import ssl

import pytest
from imapclient import IMAPClient
from imapclient.imap_utf7 import encode as imap_utf7_encode

from tests.servers.dovecot import DovecotError, DovecotServer
from tests.servers.seed import load_manifest, sample_bytes, seed_mailbox

pytestmark = pytest.mark.integration


def _imaps(server: DovecotServer, ctx: ssl.SSLContext) -> IMAPClient:
    return IMAPClient(server.host, port=server.imaps_port, ssl=True, ssl_context=ctx, timeout=10)


def test_seed_puts_every_sample_where_the_manifest_says(fresh_dovecot):
    server = fresh_dovecot()
    seeded = seed_mailbox(server)
    manifest = load_manifest()["messages"]
    assert [(s.file, s.folder) for s in seeded] == [(m["file"], m["folder"]) for m in manifest]

    expected_counts: dict[str, int] = {}
    for entry in manifest:
        expected_counts[entry["folder"]] = expected_counts.get(entry["folder"], 0) + 1
    with server.imap("alice") as client:
        names = {name for _flags, _sep, name in client.list_sub_folders()}
        assert {"งานสารบรรณ", "หนังสือราชการ", "หนังสือราชการ/ขาเข้า"} <= names
        for folder, count in expected_counts.items():
            assert client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"] == count

        # flags and INTERNALDATE (= the Date header) survive
        entry = next(m for m in manifest if m["file"] == "11-official-urgent-secret.eml")
        uid = next(s.uid for s in seeded if s.file == entry["file"])
        client.select_folder(entry["folder"], readonly=True)
        data = client.fetch([uid], ["FLAGS", "INTERNALDATE", "BODY.PEEK[]"])[uid]
        assert b"\\Flagged" in data[b"FLAGS"]
        raw = sample_bytes(entry["file"])
        date = email.utils.parsedate_to_datetime(email.message_from_bytes(raw)["Date"])
        internal = data[b"INTERNALDATE"]
        if internal.tzinfo is None:  # imapclient returns local naive time by default
            internal = internal.astimezone()
        assert internal == date
        assert data[b"BODY[]"] == raw.replace(b"\n", b"\r\n")


def test_thai_folder_names_travel_as_modified_utf7(fresh_dovecot):
    server = fresh_dovecot()
    server.create_folder("bob", "งานสารบรรณ/ขาออก")
    maildir = server.home_root / "bob" / "Maildir"
    # Maildir++ keeps the IMAP (modified UTF-7) name, '/' mapped to '.'
    expected = "." + imap_utf7_encode("งานสารบรรณ").decode() + "." + imap_utf7_encode("ขาออก").decode()
    assert (maildir / expected).is_dir()
    assert expected.isascii() and "&" in expected
    with server.imap("bob") as client:
        assert client.folder_exists("งานสารบรรณ/ขาออก")


def test_restart_keeps_mail_and_ports(fresh_dovecot):
    server = fresh_dovecot()
    ports = (server.imap_port, server.imaps_port)
    server.deliver("bob", b"Subject: before restart\n\nhello\n")
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.imaps_port), timeout=2).close()
    server.start()
    assert (server.imap_port, server.imaps_port) == ports
    assert server.message_count("bob") == 1


@pytest.mark.parametrize(
    ("make_cert", "reason"),
    [
        (lambda c: c.expired(), "certificate has expired"),
        (lambda c: c.not_yet_valid(), "certificate is not yet valid"),
        (lambda c: c.wrong_host(), "mismatch, certificate is not valid"),
        (lambda c: c.untrusted(), "unable to get local issuer certificate"),
    ],
    ids=["expired", "not-yet-valid", "wrong-host", "untrusted-ca"],
)
def test_bad_certificates_are_refused_by_a_verifying_client(fresh_dovecot, certs, make_cert, reason):
    server = fresh_dovecot(cert=make_cert(certs))
    with pytest.raises(ssl.SSLCertVerificationError, match=reason):
        _imaps(server, certs.client_context())
    # STARTTLS is refused the same way
    client = IMAPClient(server.host, port=server.imap_port, ssl=False, timeout=10)
    try:
        with pytest.raises(ssl.SSLCertVerificationError, match=reason):
            client.starttls(certs.client_context())
    finally:
        with contextlib.suppress(OSError):  # the failed handshake already closed it
            client.shutdown()


def test_good_certificate_verifies_for_every_loopback_name(dovecot, certs):
    for host in ("localhost", "127.0.0.1"):
        with IMAPClient(host, port=dovecot.imaps_port, ssl=True, ssl_context=certs.client_context()) as c:
            c.login("carol", dovecot.users["carol"])
            assert c.folder_exists("INBOX")


def test_start_failure_reports_the_dovecot_log(fresh_dovecot):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        server = fresh_dovecot(start=False, imap_port=taken)
        with pytest.raises(DovecotError) as excinfo:
            server.start(timeout=10)
    assert "Address already in use" in str(excinfo.value)
    assert not server.pid_file.exists()


def test_lmtp_delivery_to_an_unknown_user_fails_loudly(dovecot):
    with pytest.raises(DovecotError, match="nobody"):
        dovecot.deliver("nobody", b"Subject: x\n\nx\n")


def test_append_returns_the_uid_with_flags(dovecot):
    folder = f"test-append-{dt.datetime.now().timestamp():.0f}"
    uid = dovecot.append("carol", folder, b"Subject: one\n\nbody\n", flags=[b"\\Seen"])
    assert isinstance(uid, int)
    with dovecot.imap("carol") as client:
        client.select_folder(folder, readonly=True)
        assert b"\\Seen" in client.get_flags([uid])[uid]


def test_seeded_dovecot_fixture_holds_the_samples(seeded_dovecot):
    assert len(seeded_dovecot.seeded) == len(load_manifest()["messages"])
    with seeded_dovecot.imap("alice") as client:
        folder = "หนังสือราชการ/ขาเข้า"
        expected = sum(1 for m in load_manifest()["messages"] if m["folder"] == folder)
        assert expected == 2  # tests/data/seed.json
        assert client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"] == expected


@pytest.mark.servers  # a DovecotServer of its own
def test_a_port_taken_meanwhile_is_replaced_on_first_start(certs, monkeypatch):
    """Concurrent test runs can take a port between choosing and binding it."""
    import tests.servers.dovecot as dovecot_module

    real_free_port = dovecot_module.free_port
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        ports = iter([taken, real_free_port()])
        monkeypatch.setattr(dovecot_module, "free_port", lambda: next(ports, None) or real_free_port())
        server = DovecotServer(certs=certs)
        try:
            assert server.imap_port == taken
            server.start()
            assert server.imap_port != taken
            assert server.message_count("alice") == 0
        finally:
            server.cleanup()


def _imap_process_address_space(server: DovecotServer) -> str:
    """The 'Max address space' soft limit of the imap process serving a logged-in alice."""
    import re

    with server.imap("alice") as client:
        client.select_folder("INBOX")
        pids = re.findall(r"Login: user=<alice>.*? mpid=(\d+)", server.log_file.read_text(errors="replace"))
        assert pids, server.log_tail()
        limits = open(f"/proc/{pids[-1]}/limits", encoding="ascii").read()
    return next(line.split()[3] for line in limits.splitlines() if line.startswith("Max address space"))


@pytest.mark.linux_only  # /proc/<pid>/limits
def test_big_folder_settings_give_the_imap_process_room_for_a_million_messages(fresh_dovecot):
    """A folder of 1,000,000 messages made the imap process die in SELECT ("Out of memory"
    under the default 256 MB address space): ``big_folders=True`` raises it (2 GB)."""
    assert _imap_process_address_space(fresh_dovecot()) == str(256 * 1024 * 1024)
    assert _imap_process_address_space(fresh_dovecot(big_folders=True)) == str(2 * 1024**3)
