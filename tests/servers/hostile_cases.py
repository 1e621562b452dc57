"""Named hostile-server cases, each driving the app's real client code against a fake on loopback.

Every case starts a hostile fake (tests/servers/fake_hostile.py, fake_imap.py) behind the
test CA, runs the code the app runs — ImapSession/ImapWire and FolderSync for IMAP (the
header sync, the structure fetch of the preview), SmtpSession for sending — with the
client's own timeout set to :data:`CLIENT_TIMEOUT`, and reports an :class:`Outcome`:
the typed error (its code and its English and Thai text), or what the app did instead
(rows skipped, a structure refused), the tracemalloc peak, whether the password ever
crossed in plaintext, and any exception that is not one of the app's typed errors (a crash).

``HOSTILE_CASES`` lists the names; :func:`run_hostile_case` runs one (the unit test
tests/unit/net/test_hostile_server_cases.py runs each once; ``make stress`` repeats
them and counts ``hostile_cases`` and ``crashes``). The bounds each case meets are in
docs/hostile-servers.md.
"""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from govmail_desktop.core.errors import GovMailError
from govmail_desktop.net.endpoint import Endpoint
from govmail_desktop.net.imap.client import ImapWire, wire_from_session
from govmail_desktop.net.imap_session import ImapSession
from govmail_desktop.net.resolver import StaticResolver
from govmail_desktop.net.smtp_session import SmtpSession
from govmail_desktop.policy.api import ServerPolicy
from govmail_desktop.store.cache import MailCache
from govmail_desktop.sync.folder_sync import FolderSync, SyncOptions
from govmail_desktop.sync.part_fetch import SkeletonUnusable, fetch_skeleton
from tests.servers.certs import TestCertificates
from tests.servers.fake_base import FakeServer, Received
from tests.servers.fake_hostile import Flood, HostileImapServer, HostileSmtpServer
from tests.servers.fake_imap import FakeImapServer
from tests.servers.fake_net import loopback_policy

LOCAL = StaticResolver({"localhost": ["127.0.0.1"]})
#: The client's own read timeout in every case (seconds): a server that stalls ends the call then.
CLIENT_TIMEOUT = 5.0
PASSWORD = "hostile-secret-รหัส"
MB = 1024 * 1024
#: What the floods may send at most (an unbounded client would have taken it all).
FLOOD_CAP = 48 * MB
#: Outcome.error for a case where the app goes on without a typed error: rows skipped and counted.
SKIPPED = "rows-skipped"
#: Outcome.error where the structure was refused and the preview falls back to the whole message.
STRUCTURE_REFUSED = "skeleton-unusable"
#: Outcome.error where the app went on (injected bytes discarded, a bounded set applied).
CONTINUED = "continued"

_HEADER = b"BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)]"


def summary_row(seq: int, uid: bytes | int, *, extra: bytes = b"") -> bytes:
    """One header-sync FETCH row as Dovecot sends it (``extra``: more items before the close)."""
    uid_b = uid if isinstance(uid, bytes) else b"%d" % uid
    header = b"Subject: m" + uid_b[:20] + b"\r\nFrom: a@agency.go.th\r\n\r\n"
    return (
        b'* %d FETCH (UID %s FLAGS (\\Seen) INTERNALDATE "17-Jul-2024 02:44:25 +0700" RFC822.SIZE 100 '
        % (seq, uid_b) + _HEADER + b" {%d}\r\n" % len(header) + header + extra + b")\r\n"
    )


def _search_and_fetch(rows: bytes, uids: bytes = b"1 2 3") -> dict[str, bytes]:
    return {"UID SEARCH": b"* SEARCH " + uids + b"\r\n<TAG> OK done\r\n", "UID FETCH": rows + b"<TAG> OK done\r\n"}


GOOD_ROWS = summary_row(1, 1) + summary_row(2, 2) + summary_row(3, 3)


@dataclass
class Outcome:
    """What one run of a case ended with."""

    name: str
    #: The typed error's code (``server-too-much-data`` ...), or SKIPPED / STRUCTURE_REFUSED /
    #: CONTINUED when the app went on by design; None only when nothing happened at all.
    error: str | None = None
    text_en: str = ""
    text_th: str = ""
    #: Rows the app skipped and counted (the header sync's ``skipped``).
    skipped: int = 0
    #: UIDs in the cache afterwards (header-sync cases).
    stored_uids: list[int] = field(default_factory=list)
    peak_bytes: int = 0
    seconds: float = 0.0
    server_sent: int = 0
    password_in_clear: bool = False
    #: repr() of an exception that is none of the app's typed errors: a crash.
    crashed: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: The fake the case ran against (what it received, what it sent).
    server: FakeServer | None = field(default=None, repr=False)


@dataclass(frozen=True)
class HostileCase:
    name: str
    #: The bound that applies (for docs/hostile-servers.md).
    bound: str
    #: Outcome.error expected.
    expect: str
    #: Loose ceiling for the tracemalloc peak, from the bound.
    max_peak: int
    drive: Callable[[TestCertificates, ServerPolicy, Outcome], None]
    #: UIDs the cache must hold afterwards (header-sync cases), or None.
    stored: tuple[int, ...] | None = None
    #: Rows the sync must have skipped and counted, or None.
    skipped: int | None = None
    #: Further checks of the outcome: each returns a problem, or None.
    checks: tuple[Callable[[Outcome], str | None], ...] = ()


# -- drivers ------------------------------------------------------------------------------------


def _wire(server: FakeServer, policy: ServerPolicy) -> ImapWire:
    session = ImapSession.connect(
        Endpoint("localhost", server.port, "tls"), policy, resolver=LOCAL, timeout=CLIENT_TIMEOUT
    )
    session.login("alice", PASSWORD)
    return wire_from_session(session, timeout=CLIENT_TIMEOUT)


def _sync(server: HostileImapServer, policy: ServerPolicy, out: Outcome) -> None:
    """The header sync of INBOX into a fresh cache (what a new account's first sync runs)."""
    wire = _wire(server, policy)
    with TemporaryDirectory(prefix="govmail-hostile-") as tmp:
        cache = MailCache(Path(tmp) / "cache.db")
        try:
            result = FolderSync(wire, cache, None, None, SyncOptions()).run("INBOX")
            out.skipped = result.skipped
            out.stored_uids = list(cache.known_uids(result.folder_id))
        finally:
            wire.close()
            cache.close()


def imap_sync_case(replies: dict[str, bytes] | None = None, **options: Any) -> Callable[..., None]:
    cap = options.pop("cap", FLOOD_CAP)

    def drive(certs: TestCertificates, policy: ServerPolicy, out: Outcome) -> None:
        server = out.server = HostileImapServer(certs.server, replies=replies, cap=cap, **options)
        with _closing(server):
            _sync(server, policy, out)

    return drive


def imap_wire_case(call: Callable[[ImapWire, Outcome], object], **options: Any) -> Callable[..., None]:
    def drive(certs: TestCertificates, policy: ServerPolicy, out: Outcome) -> None:
        server = out.server = HostileImapServer(certs.server, cap=FLOOD_CAP, **options)
        with _closing(server):
            wire = _wire(server, policy)
            try:
                call(wire, out)
            finally:
                wire.close()

    return drive


def _structure(wire: ImapWire, out: Outcome) -> None:
    wire.select("INBOX")
    try:
        fetch_skeleton(wire, 1)
    except SkeletonUnusable as exc:
        out.error = STRUCTURE_REFUSED
        out.details["reason"] = str(exc)


def _noop(wire: ImapWire, out: Outcome) -> None:
    wire.select("INBOX")
    out.details["events"] = len(wire.noop())


def smtp_case(*, starttls: bool = False, **options: Any) -> Callable[..., None]:
    """Connect, log in, send one message, quit: what the outbox does for each message."""

    def drive(certs: TestCertificates, policy: ServerPolicy, out: Outcome) -> None:
        server = out.server = HostileSmtpServer(certs.server, cap=FLOOD_CAP, implicit_tls=not starttls, **options)
        with _closing(server):
            endpoint = Endpoint("localhost", server.port, "starttls" if starttls else "tls")
            session = SmtpSession.connect(endpoint, policy, resolver=LOCAL, timeout=CLIENT_TIMEOUT)
            with session:
                out.details["discarded_plaintext_bytes"] = session.report.discarded_plaintext_bytes
                out.details["extensions"] = list(session.extensions())
                session.login("alice", PASSWORD)
                session.transaction(b"Subject: x\r\n\r\nx\r\n", "alice@agency.go.th", ["bob@agency.go.th"])
            out.error = CONTINUED

    return drive


def _imap_starttls_injection(certs: TestCertificates, policy: ServerPolicy, out: Outcome) -> None:
    server = out.server = FakeImapServer("inject", certs.server, users={"alice": PASSWORD})
    with _closing(server):
        session = ImapSession.connect(
            Endpoint("localhost", server.port, "starttls"), policy, resolver=LOCAL, timeout=CLIENT_TIMEOUT
        )
        with session:
            caps = session.capabilities()
            out.details["capabilities"] = sorted(caps)
            out.details["discarded_plaintext_bytes"] = session.report.discarded_plaintext_bytes
            session.login("alice", PASSWORD)
        out.error = CONTINUED


@contextlib.contextmanager
def _closing(server: FakeServer) -> Iterator[FakeServer]:
    try:
        yield server
    finally:
        server.stop()


# -- the cases --------------------------------------------------------------------------------------

_LINE = "MAX_LINE 16 MiB per response line"
_UNTAGGED = "UNTAGGED_BASE 10,000 + 2 per message the folder announced (EXISTS), per command"
_ROW = "row skipped and counted (FolderSyncResult.skipped); the other rows stored"
_NEST = "MAX_NESTING 64 parenthesis levels per response (tokenizer); the row is skipped"
DEEP = 1_000_000  # levels of nesting the deep cases send (2 MB of parentheses)


def _deep_bodystructure() -> bytes:
    return b"* 1 FETCH (UID 1 RFC822.SIZE 10 BODYSTRUCTURE " + b"(" * DEEP + b")" * DEEP + b")\r\n"


_CASES = [
    HostileCase(
        "imap-literal-999999999-in-fetch", "MAX_LITERAL 256 MiB per FETCH response, refused before reading",
        "server-too-much-data", 32 * MB,
        imap_sync_case(
            {"UID SEARCH": b"* SEARCH 1\r\n<TAG> OK done\r\n"}, attack_at="UID FETCH",
            flood=Flood(head=b"* 1 FETCH (UID 1 " + _HEADER + b" {999999999}\r\n", unit=b"x" * 65536),
        ),
    ),
    HostileCase(
        "imap-literal-999999999-outside-fetch", "MAX_SMALL_LITERAL 1 MiB outside FETCH, refused before reading",
        "server-too-much-data", 32 * MB,
        imap_wire_case(
            lambda wire, out: wire.list_folders(), attack_at="LIST",
            flood=Flood(head=b'* LIST () "/" {999999999}\r\n', unit=b"x" * 65536),
        ),
    ),
    HostileCase(
        "imap-greeting-endless-line", _LINE + " (imaplib while connecting: its own line limit)",
        "server-too-much-data", 32 * MB,
        imap_wire_case(_noop, attack_at="GREETING", flood=Flood(head=b"* OK ", unit=b"X" * 65536)),
    ),
    HostileCase(
        "imap-greeting-flood", "untagged responses while connecting, before login", "server-too-much-data", 32 * MB,
        imap_wire_case(_noop, attack_at="GREETING", flood=Flood(unit=b"* OK hello\r\n")),
    ),
    HostileCase(
        "imap-endless-line", _LINE, "server-too-much-data", 4 * 16 * MB + 32 * MB,
        imap_wire_case(_noop, attack_at="NOOP", flood=Flood(head=b"* OK ", unit=b"X" * 65536)),
    ),
    HostileCase(
        "imap-untagged-flood", _UNTAGGED, "server-too-much-data", 32 * MB,
        imap_wire_case(_noop, attack_at="NOOP", flood=Flood(unit=b"* 1 FETCH (FLAGS (\\Seen))\r\n")),
    ),
    HostileCase(
        # 10,000 + 2 x 30,000 = 70,000 changes kept at ~90 B (flag lists shared, NOOP keeps
        # no responses besides the events): ~6 MB; each used to cost ~370 B (25 MB here).
        "imap-untagged-flood-big-folder", _UNTAGGED + "; ~90 B per change kept", "server-too-much-data",
        16 * MB,
        imap_wire_case(
            _noop, attack_at="NOOP", exists=30_000, flood=Flood(unit=b"* 1 FETCH (FLAGS (\\Seen))\r\n")
        ),
    ),
    HostileCase(
        "imap-fetch-rows-flood", _UNTAGGED + " (streamed FETCH rows count too)", "server-too-much-data", 64 * MB,
        imap_sync_case(
            {"UID SEARCH": b"* SEARCH 1 2 3\r\n<TAG> OK done\r\n"}, attack_at="UID FETCH",
            flood=Flood(unit=summary_row(1, 1)),
        ),
    ),
    HostileCase(
        "imap-stall-mid-response", "the client's read timeout (60 s; CLIENT_TIMEOUT here)", "timeout", 32 * MB,
        imap_sync_case(
            {"UID SEARCH": b"* SEARCH 1\r\n<TAG> OK done\r\n"}, attack_at="UID FETCH",
            flood=Flood(head=b"* 1 FETCH (UID 1 " + _HEADER + b" {100}\r\nSubject: half", unit=b""),
        ),
    ),
    HostileCase(
        # Rows with a 1 MiB literal nobody asked for, 128 MiB of them, then silence: the sync
        # holds two batches at most (it used to hold every row of a 10,000-row batch).
        "imap-fetch-extra-literals", "FETCH_BATCH_BYTES 32 MiB of literals per batch handed on", "timeout",
        2 * 32 * MB + 16 * MB,
        imap_sync_case(
            {"UID SEARCH": b"* SEARCH 1 2 3\r\n<TAG> OK done\r\n"}, attack_at="UID FETCH", cap=128 * MB,
            flood=Flood(unit=summary_row(1, 1, extra=b" BODY[TEXT] {1048576}\r\n" + b"x" * 1048576), batch=1),
        ),
    ),
    HostileCase(
        "imap-deep-nesting", _NEST, SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(
            summary_row(1, 1, extra=b" X-DEEP " + b"(" * DEEP + b")" * DEEP) + summary_row(2, 2) + summary_row(3, 3)
        )),
    ),
    HostileCase(
        "imap-deep-bodystructure", _NEST + "; bodystructure MAX_DEPTH 32, MAX_PARTS 1000", STRUCTURE_REFUSED,
        32 * MB,
        imap_wire_case(_structure, replies={"UID FETCH": _deep_bodystructure() + b"<TAG> OK done\r\n"}),
    ),
    HostileCase(
        "imap-malformed-bodystructure", "bodystructure grammar; the preview fetches the whole message instead",
        STRUCTURE_REFUSED, 32 * MB,
        imap_wire_case(_structure, replies={
            "UID FETCH": b'* 1 FETCH (UID 1 RFC822.SIZE 10 BODY[HEADER] {4}\r\nab\r\n BODYSTRUCTURE ("TEXT" 7 NIL))'
            b"\r\n<TAG> OK done\r\n",
        }),
    ),
    HostileCase(
        "imap-malformed-fetch", _ROW, SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(
            b"* 1 FETCH (UID 1 FLAGS (\\Seen\r\n* 2 FETCH UID 2)\r\n* 3 FETCH (UID 3 RFC822.SIZE x)\r\n"
            + summary_row(3, 3)
        )),
    ),
    HostileCase(
        "imap-malformed-envelope", _ROW, SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(
            summary_row(1, 1, extra=b' ENVELOPE ("date" "subj" ((NIL NIL "a" "b")) NIL') + summary_row(2, 2)
            + summary_row(3, 3, extra=b" ENVELOPE ((((((((")
        )),
    ),
    HostileCase(
        "imap-uid-zero", "UIDs are 1..4294967295 (RFC 3501 nz-number); " + _ROW, SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(summary_row(1, 0) + summary_row(2, 2) + summary_row(3, 3))),
    ),
    HostileCase(
        "imap-uid-too-large", "UIDs are 1..4294967295; " + _ROW, SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(
            summary_row(1, 1) + summary_row(2, b"99999999999999999999") + summary_row(3, 4294967296)
        )),
    ),
    HostileCase(
        "imap-uid-non-numeric", _ROW, SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(summary_row(1, 1) + summary_row(2, b"x2") + summary_row(3, 3))),
    ),
    HostileCase(
        "imap-uid-duplicate", "each requested UID stored once; repeats skipped and counted", SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(GOOD_ROWS + summary_row(3, 3) + summary_row(3, 3))),
    ),
    HostileCase(
        "imap-uid-not-requested", "rows for UIDs the FETCH did not ask for (> UIDNEXT too) skipped and counted",
        SKIPPED, 32 * MB,
        imap_sync_case(_search_and_fetch(GOOD_ROWS + summary_row(4, 77) + summary_row(5, 4000000000))),
    ),
    HostileCase(
        "imap-vanished-all-uids", "VANISHED kept as ranges, never expanded (1:4294967295 is one range)",
        CONTINUED, 32 * MB,
        imap_sync_case({
            "UID SEARCH": b"* VANISHED (EARLIER) 1:4294967295\r\n* VANISHED 1:4294967295\r\n* SEARCH 1 2 3\r\n"
            b"<TAG> OK done\r\n",
            "UID FETCH": GOOD_ROWS + b"* VANISHED 1:4294967295\r\n<TAG> OK done\r\n",
        }),
    ),
    HostileCase(
        "imap-vanished-star-and-zero", "VANISHED outside the grammar (*, 0, > 4294967295) skipped", CONTINUED,
        32 * MB,
        imap_sync_case(_search_and_fetch(
            GOOD_ROWS + b"* VANISHED (EARLIER) 1:*\r\n* VANISHED *\r\n* VANISHED 0:5\r\n* VANISHED 2:99999999999\r\n"
        )),
    ),
    HostileCase(
        "imap-starttls-injection", "plaintext before TLS: PLAIN_MAX_LINE 8 KiB, PLAIN_MAX_TOTAL 64 KiB; "
        "bytes after the STARTTLS OK discarded", CONTINUED, 32 * MB, _imap_starttls_injection,
    ),
    HostileCase(
        "smtp-starttls-injection", "bytes after the 220 to STARTTLS discarded; EHLO asked again over TLS",
        CONTINUED, 32 * MB,
        smtp_case(starttls=True, inject_after_starttls=b"250-INJECTED\r\n250 AUTH PLAIN LOGIN\r\n235 2.7.0 ok\r\n"),
    ),
    HostileCase(
        "smtp-greeting-flood", "SMTP_MAX_REPLY_LINES 1,000 lines per reply", "server-too-much-data", 32 * MB,
        smtp_case(attack_at="GREETING", flood=Flood(unit=b"220-hello\r\n")),
    ),
    HostileCase(
        # The injection arrives after the client began TLS: the handshake fails, nothing is sent.
        "smtp-starttls-injection-separate-packet", "TLS handshake: plaintext where the server's hello belongs",
        "tls-required", 32 * MB,
        smtp_case(starttls=True, inject_after_starttls=b"235 2.7.0 ok\r\n", inject_separately=True),
    ),
    HostileCase(
        "smtp-endless-multiline-reply", "SMTP_MAX_REPLY_LINES 1,000 lines per reply, SMTP_MAX_LINE 8 KiB",
        "server-too-much-data", 32 * MB, smtp_case(attack_at="EHLO", flood=Flood(unit=b"250-PIPELINING\r\n")),
    ),
    HostileCase(
        "smtp-endless-multiline-before-starttls", "PLAIN_MAX_TOTAL 64 KiB before TLS", "server-too-much-data",
        32 * MB, smtp_case(starttls=True, attack_at="EHLO-PLAIN", flood=Flood(unit=b"250-PIPELINING\r\n")),
    ),
    HostileCase(
        "smtp-endless-multiline-after-mail", "SMTP_MAX_REPLY_LINES 1,000 lines per reply", "server-too-much-data",
        32 * MB, smtp_case(attack_at="MAIL", flood=Flood(unit=b"250-ok\r\n")),
    ),
    HostileCase(
        # smtplib's getreply turns the socket timeout into SMTPServerDisconnected: the user
        # reads "connection closed" (the client closed it), not "did not answer in time".
        "smtp-stall-mid-reply", "the client's read timeout (60 s; CLIENT_TIMEOUT here)", "connection-closed",
        32 * MB,
        smtp_case(attack_at="MAIL", flood=Flood(head=b"250-ok\r\n250", unit=b"")),
    ),
    HostileCase(
        "smtp-endless-line", "SMTP_MAX_LINE 8 KiB per reply line", "server-too-much-data", 32 * MB,
        smtp_case(attack_at="EHLO", flood=Flood(head=b"250-", unit=b"X" * 65536)),
    ),
]


def _injected_discarded(out: Outcome) -> str | None:
    """The STARTTLS cases: the injected plaintext was dropped, not taken as the server's answer."""
    if not out.details.get("discarded_plaintext_bytes"):
        return "no injected bytes were discarded"
    learned = out.details.get("capabilities", []) + out.details.get("extensions", [])
    if any("INJECTED" in str(item).upper() for item in learned):
        return f"an injected capability was believed: {learned}"
    return None


#: What the cache holds afterwards and how many rows the sync skipped, or other checks.
_EXPECT: dict[str, dict[str, Any]] = {
    "imap-deep-nesting": {"stored": (2, 3), "skipped": 1},
    # "* 2 FETCH UID 2)" has no list: an unreadable unsolicited response (logged, not a row).
    "imap-malformed-fetch": {"stored": (3,), "skipped": 2},
    "imap-malformed-envelope": {"stored": (2,), "skipped": 2},
    "imap-uid-zero": {"stored": (2, 3), "skipped": 1},
    "imap-uid-too-large": {"stored": (1,), "skipped": 2},
    "imap-uid-non-numeric": {"stored": (1, 3), "skipped": 1},
    "imap-uid-duplicate": {"stored": (1, 2, 3), "skipped": 2},
    "imap-uid-not-requested": {"stored": (1, 2, 3), "skipped": 2},
    # The server said every UID is gone: the rows go (a range delete, nothing expanded).
    "imap-vanished-all-uids": {"stored": (), "skipped": 0},
    "imap-vanished-star-and-zero": {"stored": (1, 2, 3), "skipped": 0},
    "imap-starttls-injection": {"checks": (_injected_discarded,)},
    "smtp-starttls-injection": {"checks": (_injected_discarded,)},
}
CASES: dict[str, HostileCase] = {case.name: replace(case, **_EXPECT.get(case.name, {})) for case in _CASES}
#: The names, for ``make stress`` (``hostile_cases`` counts the runs of these).
HOSTILE_CASES: tuple[str, ...] = tuple(CASES)


def run_hostile_case(name: str, certs: TestCertificates | None = None) -> Outcome:
    """Run case ``name`` once; never raises for what the server did (see Outcome.crashed)."""
    case = CASES[name]
    own = certs is None
    bundle = TestCertificates() if certs is None else certs
    out = Outcome(name)
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.monotonic()
    try:
        case.drive(bundle, loopback_policy(ca_file=bundle.ca_file), out)
    except GovMailError as exc:
        out.error = exc.code
        out.text_en = exc.user_text("en")
        out.text_th = exc.user_text("th")
    except Exception as exc:  # anything else is what the case looks for: a crash
        out.crashed = repr(exc)[:300]
    finally:
        out.seconds = time.monotonic() - started
        out.peak_bytes = tracemalloc.get_traced_memory()[1]
        if not tracing:
            tracemalloc.stop()
        if own:
            bundle.cleanup()
    if out.server is not None:
        out.server_sent = getattr(out.server, "sent", 0)
        out.password_in_clear = _in_plaintext(out.server.received, PASSWORD)
    if out.error is None and out.crashed is None:
        out.error = SKIPPED if out.skipped else CONTINUED
    return out


def problems(case: HostileCase, out: Outcome) -> list[str]:
    """What is wrong with an outcome (empty: the app held): a crash, another error than
    expected, a typed error without its English or Thai text, memory beyond the case's
    ceiling, a flood the client did not stop early, the password in plaintext, wrong rows."""
    found = []
    if out.crashed is not None:
        found.append(f"crashed: {out.crashed}")
    if out.error != case.expect:
        found.append(f"ended with {out.error!r}, expected {case.expect!r}")
    if out.error not in (SKIPPED, STRUCTURE_REFUSED, CONTINUED, None) and not (out.text_en and out.text_th):
        found.append("a typed error without its English and Thai text")
    if out.peak_bytes > case.max_peak:
        found.append(f"memory peak {out.peak_bytes / MB:.0f} MB > {case.max_peak / MB:.0f} MB")
    if case.expect == "server-too-much-data" and out.server_sent >= FLOOD_CAP:
        found.append("the client read the whole flood")
    if out.password_in_clear:
        found.append("the password crossed in plaintext")
    if case.stored is not None and tuple(out.stored_uids) != case.stored:
        found.append(f"cache holds {out.stored_uids[:10]}, expected {list(case.stored)}")
    if case.skipped is not None and out.skipped != case.skipped:
        found.append(f"{out.skipped} rows skipped, expected {case.skipped}")
    found.extend(problem for check in case.checks if (problem := check(out)) is not None)
    return found


def _in_plaintext(received: Received, secret: str) -> bool:
    plain = Received()
    plain.plaintext.extend(received.plaintext)
    return plain.saw(secret)
