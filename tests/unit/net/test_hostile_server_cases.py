"""Every hostile-server case of issue 16 item 4, one named test each, against a fake on loopback.

The cases live in tests/servers/hostile_cases.py (``make stress`` repeats the same ones):
each drives the app's real code — the header sync (FolderSync over ImapWire over the
policy-checked TLS session), the preview's structure fetch, the outbox's SMTP session —
against a fake that does one hostile thing, with the client's own timeout at
``CLIENT_TIMEOUT`` and pytest-timeout as a guard. :func:`problems` says what is wrong
with an outcome: a crash, another error than the case expects, a typed error without
its Thai text, a tracemalloc peak over the case's ceiling (derived from the bound), a
flood the client did not stop, the password in plaintext, or the wrong rows cached.
The bounds are listed in docs/hostile-servers.md (checked below to name every case).

The checker proves itself on planted outcomes: a crash, unbounded memory, a password in
the clear, a typed error without Thai text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from govmail_desktop.net.imap import bounds
from govmail_desktop.net.imap.bodystructure import MAX_DEPTH, parse_bodystructure
from govmail_desktop.net.imap.fetch import parse_fetch
from govmail_desktop.net.imap.grammar import ParseError, check_uid_set, iter_sequence_ranges, tokenize
from govmail_desktop.net.imap.responses import parse_event, parse_vanished
from tests.servers.hostile_cases import (
    CASES,
    HOSTILE_CASES,
    MB,
    PASSWORD,
    HostileCase,
    Outcome,
    problems,
    run_hostile_case,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "hostile-servers.md"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", HOSTILE_CASES)
def test_hostile_server_case(certs, name):
    outcome = run_hostile_case(name, certs)
    assert problems(CASES[name], outcome) == [], outcome


def test_the_cases_cover_every_kind_the_issue_names():
    kinds = {
        "literal-999999999", "endless-line", "deep", "untagged-flood", "not-requested", "starttls-injection",
        "malformed-fetch", "malformed-bodystructure", "malformed-envelope", "uid-zero", "uid-duplicate",
        "uid-non-numeric", "uid-too-large", "vanished-all-uids", "vanished-star", "smtp-endless-multiline",
    }
    missing = {kind for kind in kinds if not any(kind in name for name in HOSTILE_CASES)}
    assert missing == set()
    assert {"imap-starttls-injection", "smtp-starttls-injection"} <= set(HOSTILE_CASES)


def test_the_bounds_table_names_every_case():
    text = DOC.read_text(encoding="utf-8")
    assert [name for name in HOSTILE_CASES if f"`{name}`" not in text] == []


# -- the checker catches planted failures -----------------------------------------------------------

CASE = CASES["imap-endless-line"]


def _held() -> Outcome:
    return Outcome(CASE.name, error=CASE.expect, text_en="too much", text_th="มากเกินไป", peak_bytes=MB)


@pytest.mark.parametrize(
    "planted, complaint",
    [
        (replace(_held(), crashed="ValueError('UIDs start at 1, got 0')"), "crashed"),
        (replace(_held(), error=None), "expected"),
        (replace(_held(), text_th=""), "Thai"),
        (replace(_held(), peak_bytes=CASE.max_peak + 1), "memory peak"),
        (replace(_held(), password_in_clear=True), "plaintext"),
        (replace(_held(), server_sent=1 << 40), "whole flood"),
    ],
)
def test_the_checker_reports_a_planted_failure(planted, complaint):
    assert problems(CASE, _held()) == []
    assert any(complaint in problem for problem in problems(CASE, planted))


def test_the_checker_reports_wrong_rows_in_the_cache():
    case: HostileCase = CASES["imap-uid-not-requested"]
    held = Outcome(case.name, error=case.expect, skipped=2, stored_uids=[1, 2, 3], peak_bytes=MB)
    assert problems(case, held) == []
    assert problems(case, replace(held, stored_uids=[1, 2, 3, 77]))


def test_a_planted_crash_in_a_case_is_caught_and_reported(certs, monkeypatch):
    def drive(certs, policy, out):
        raise ValueError("UIDs start at 1, got 0")

    monkeypatch.setitem(CASES, "planted", replace(CASE, name="planted", drive=drive))
    outcome = run_hostile_case("planted", certs)
    assert outcome.crashed is not None and any("crashed" in p for p in problems(CASES["planted"], outcome))


def test_a_planted_password_in_the_clear_is_caught(certs, monkeypatch):
    """The fake records the plaintext it receives; a client sending the password there is reported."""
    import socket

    from tests.servers.fake_imap import FakeImapServer

    def drive(certs, policy, out):
        server = out.server = FakeImapServer("no-starttls", certs.server, users={"alice": PASSWORD})
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.recv(1024)
            sock.sendall(f'A1 LOGIN alice "{PASSWORD}"\r\n'.encode())
            sock.recv(1024)
        server.stop()

    monkeypatch.setitem(CASES, "planted", replace(CASE, name="planted", drive=drive))
    outcome = run_hostile_case("planted", certs)
    assert outcome.password_in_clear


# -- the bounds themselves, where they are applied ---------------------------------------------------


def test_nesting_up_to_the_bound_is_read_and_one_more_level_is_refused():
    depth = bounds.MAX_NESTING
    assert tokenize(b"(" * depth + b")" * depth)
    with pytest.raises(ParseError, match="nested deeper"):
        tokenize(b"(" * (depth + 1) + b")" * (depth + 1))


def _nested_message(levels: int) -> bytes:
    """A message/rfc822 inside a message/rfc822 ... ``levels`` deep, envelope included."""
    envelope = b'(NIL "s" (("A" NIL "a" "b.go.th")) NIL NIL NIL NIL NIL NIL NIL)'
    body = b'("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "7BIT" 10 1)'
    for _ in range(levels):
        body = b'("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 100 ' + envelope + b" " + body + b" 5)"
    return body


def test_a_structure_at_the_bodystructure_depth_limit_still_reads_through_the_fetch_parser():
    """MAX_NESTING is not tighter than what a real BODYSTRUCTURE at its own bound needs."""
    row = b"* 1 FETCH (UID 7 BODYSTRUCTURE " + _nested_message(MAX_DEPTH) + b")"
    message = parse_fetch(row)
    assert message.extra is not None
    root = parse_bodystructure(message.extra["BODYSTRUCTURE"])
    assert root.is_message


@pytest.mark.parametrize(
    "row",
    [
        b"* 1 FETCH (UID 0 FLAGS ())",
        b"* 1 FETCH (UID 4294967296 FLAGS ())",
        b"* 1 FETCH (FLAGS () UID 99999999999999999999)",
        b"* 0 FETCH (UID 5 FLAGS ())",
        b"* 1 FETCH (UID 5 RFC822.SIZE 99999999999999999999)",
        b"* 1 FETCH (UID 5 MODSEQ (99999999999999999999))",
    ],
)
def test_numbers_outside_their_range_refuse_the_row(row):
    with pytest.raises(ParseError):
        parse_fetch(row)


def test_the_largest_uid_is_read():
    assert parse_fetch(b"* 1 FETCH (UID 4294967295 FLAGS ())").uid == bounds.MAX_UID


def test_vanished_of_every_uid_stays_one_range():
    vanished = parse_vanished(b"* VANISHED (EARLIER) 1:4294967295")
    assert vanished.earlier and list(iter_sequence_ranges(vanished.uid_set)) == [(1, bounds.MAX_UID)]


@pytest.mark.parametrize(
    "line", [b"* VANISHED 1:*", b"* VANISHED *", b"* VANISHED 0:5", b"* VANISHED 2:4294967296", b"* VANISHED 01"]
)
def test_vanished_outside_known_uids_is_refused(line):
    with pytest.raises(ParseError):
        parse_vanished(line)


@pytest.mark.parametrize(
    "line",
    [b"* OK [HIGHESTMODSEQ abc] x", b"* OK [HIGHESTMODSEQ 99999999999999999999] x", b"* 1" + b"0" * 5000 + b" EXISTS"],
)
def test_unreadable_numbers_in_events_are_parse_errors_not_crashes(line):
    with pytest.raises(ParseError):
        parse_event(line)


def test_uid_sets_are_checked_without_expanding():
    assert check_uid_set(b"1:4294967295,7") == b"1:4294967295,7"
    for bad in (b"", b"1,,2", b"1:", b"*", b"4294967296"):
        with pytest.raises(ParseError):
            check_uid_set(bad)


def test_rows_repeating_one_message_with_more_sections_are_not_merged_without_bound(certs, policy, monkeypatch):
    """The preview's part fetch merges the rows of its UID (servers may split an answer); a
    server repeating the message with other sections is kept to what one answer may carry
    (MAX_LITERAL, scaled down here to 1 MiB: 40 rows of 256 KiB used to be merged whole)."""
    from govmail_desktop.sync.part_fetch import _fetch_one
    from tests.servers.fake_hostile import HostileImapServer
    from tests.servers.hostile_cases import _wire

    monkeypatch.setattr(bounds, "MAX_LITERAL", 1 * MB)
    quarter = b"x" * (MB // 4)
    head = b"* 1 FETCH (UID 5 BODY[%d] {%d}\r\n"
    rows = b"".join(head % (n, len(quarter)) + quarter + b")\r\n" for n in range(1, 41))
    with HostileImapServer(certs.server, replies={"UID FETCH": rows + b"<TAG> OK done\r\n"}) as server:
        wire = _wire(server, policy)
        wire.select("INBOX")
        unreadable: list[int] = []
        message = _fetch_one(wire, 5, "UID BODY.PEEK[1]", unreadable)
        wire.close()
    assert message is not None and message.sections is not None
    assert sum(map(len, message.sections.values())) <= bounds.MAX_LITERAL
    assert "BODY[1]" in message.sections and unreadable == [36]
