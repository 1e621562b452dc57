"""Drafts in a real Dovecot's Drafts folder: replaced (never duplicated), \\Draft flag, Bcc kept,
opened back into the same draft with the same attachment bytes; found on a Zimbra-like server
by XLIST attributes or by name; without UIDPLUS nothing but our own copy is touched.

What the server holds is read with imapclient (an independent client and parser).
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from pathlib import Path

import pytest

from govmail_desktop.core.compose import Draft, MessageRef, OriginalKind, Secrecy, Urgency
from govmail_desktop.core.entities import Address
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.sync import drafts_sync
from govmail_desktop.sync.drafts_sync import drafts_folder, open_server_draft, remove_server_copies, save_draft
from tests.integration.sync_helpers import make_message, open_wire
from tests.servers.dovecot import ZIMBRA_CAPABILITY, zimbra_profile

pytestmark = pytest.mark.integration

USER = "alice"
ACCOUNT = "acct-alice"
ME = Address("อลิซ ใจดี", "alice@localhost")
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 200
NO_UIDPLUS = ZIMBRA_CAPABILITY.replace(" UIDPLUS", "")


@pytest.fixture
def cache(tmp_path: Path):
    c = MailCache(tmp_path / "cache.sqlite3")
    yield c
    c.close()


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def thai_draft(store: DraftStore) -> Draft:
    draft = Draft.new(
        ACCOUNT,
        sender="อลิซ ใจดี <alice@localhost>",
        to="สำนักงานสารบรรณ <saraban@dopa.go.th>, bob@localhost",
        cc="carol@localhost",
        bcc="ผู้อำนวยการ <boss@moi.go.th>",
        subject="ขอเชิญประชุมคณะทำงาน ครั้งที่ ๑/๒๕๖๙",
        text="เรียน ผู้อำนวยการ\n\nตามที่…\n",
        urgency=Urgency.VERY_URGENT,
        secrecy=Secrecy.CONFIDENTIAL,
        in_reply_to="<orig@dopa.go.th>",
        references=("<orig@dopa.go.th>",),
        original=MessageRef(ACCOUNT, "INBOX", 1, 3, "<orig@dopa.go.th>"),
        original_kind=OriginalKind.REPLY,
    )
    att = store.add_attachment(draft.draft_id, "หนังสือเชิญประชุม.pdf", "application/pdf", PDF)
    draft = draft.touched(attachments=(att,))
    store.save(draft)
    return draft


def save(wire, cache: MailCache, store: DraftStore, draft: Draft) -> MessageRef:
    folder = drafts_folder(wire, cache)
    assert folder is not None
    ref = save_draft(wire, draft, lambda a: store.read_attachment(draft.draft_id, a), folder=folder,
                     fallback_sender=ME)
    assert ref is not None
    return ref


def drafts_on_server(server, folder: str = "Drafts") -> dict[int, tuple[set[str], bytes]]:
    """{uid: (flags, whole message)} of the folder, read with imapclient."""
    with server.imap(USER) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        if not uids:
            return {}
        out = {}
        for uid, data in client.fetch(uids, ["FLAGS", "BODY.PEEK[]"]).items():
            flags = {f.decode() if isinstance(f, bytes) else f for f in data[b"FLAGS"]} - {"\\Recent"}
            out[uid] = (flags, data[b"BODY[]"])
        return out


def same_fields(back: Draft, draft: Draft) -> None:
    for name in ("sender", "to", "cc", "bcc", "subject", "text", "html", "urgency", "secrecy", "in_reply_to",
                 "references", "original", "original_kind"):
        assert getattr(back, name) == getattr(draft, name), name


def test_saving_twice_leaves_one_copy_with_draft_flag_and_bcc_that_opens_as_the_same_draft(
    fresh_dovecot, cache, store, tmp_path
) -> None:
    server = fresh_dovecot()
    wire = open_wire(server, USER)
    try:
        draft = thai_draft(store)
        first = save(wire, cache, store, draft)
        draft = store.update_server_copy(draft.draft_id, first)
        assert draft is not None
        edited = draft.touched(text=draft.text + "จึงเรียนมาเพื่อโปรดพิจารณา\n")
        second = save(wire, cache, store, edited)
    finally:
        wire.logout()

    assert second.uid != first.uid
    on_server = drafts_on_server(server)
    assert list(on_server) == [second.uid]  # the first copy expunged, not only marked
    flags, raw = on_server[second.uid]
    assert {"\\Draft", "\\Seen"} <= flags
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Bcc"] == "ผู้อำนวยการ <boss@moi.go.th>"
    assert msg["Subject"] == edited.subject

    # Another computer (an empty draft store) opens it: the same draft, the same file bytes.
    elsewhere = DraftStore(tmp_path / "elsewhere")
    wire = open_wire(server, USER)
    try:
        opened = open_server_draft(wire, second, elsewhere)
    finally:
        wire.logout()
    same_fields(opened, edited)
    assert opened.draft_id == edited.draft_id
    assert opened.server_copy is not None and opened.server_copy.uid == second.uid
    [att] = opened.attachments
    assert (att.filename, att.content_type, att.size) == ("หนังสือเชิญประชุม.pdf", "application/pdf", len(PDF))
    assert elsewhere.read_attachment(opened.draft_id, att) == PDF
    assert elsewhere.load(opened.draft_id) == opened  # kept on disk at once


def test_a_copy_left_by_an_interrupted_save_is_replaced_too(fresh_dovecot, cache, store) -> None:
    """An APPEND that reached the server before the connection dropped (the save is then run
    again with the old server_copy): our own header finds it."""
    server = fresh_dovecot()
    wire = open_wire(server, USER)
    try:
        draft = thai_draft(store)
        save(wire, cache, store, draft)  # server_copy not recorded: as if the answer was lost
        save(wire, cache, store, draft)
        last = save(wire, cache, store, draft.touched(subject="ฉบับสุดท้าย"))
    finally:
        wire.logout()
    assert list(drafts_on_server(server)) == [last.uid]


def test_opening_a_draft_written_by_another_program(fresh_dovecot, cache, store) -> None:
    server = fresh_dovecot()
    raw = make_message("ด่วนที่สุด เรื่องจากโปรแกรมอื่น", sender="อลิซ <alice@localhost>", body="ข้อความร่าง\r\n")
    with server.imap(USER) as client:
        client.append("Drafts", raw, flags=["\\Draft"])
        client.select_folder("Drafts")
        [uid] = client.search("ALL")
        uidvalidity = client.folder_status("Drafts", ["UIDVALIDITY"])[b"UIDVALIDITY"]
    wire = open_wire(server, USER)
    try:
        ref = MessageRef(ACCOUNT, "Drafts", uidvalidity, uid)
        opened = open_server_draft(wire, ref, store)
        assert (opened.subject, opened.urgency, opened.text) == ("เรื่องจากโปรแกรมอื่น", Urgency.MOST_URGENT,
                                                                  "ข้อความร่าง\n")
        saved = save(wire, cache, store, opened.touched(text="แก้แล้ว\n"))
    finally:
        wire.logout()
    assert list(drafts_on_server(server)) == [saved.uid]  # found by server_copy: no header of ours


@pytest.mark.parametrize("special_use", [True, False], ids=["xlist-attributes", "names-only"])
def test_the_drafts_folder_is_found_on_a_zimbra_like_server(fresh_dovecot, cache, store, special_use) -> None:
    server = fresh_dovecot(**zimbra_profile(special_use=special_use))
    wire = open_wire(server, USER)
    try:
        assert not wire.has("SPECIAL-USE")
        ref = save(wire, cache, store, thai_draft(store))
    finally:
        wire.logout()
    assert ref.folder == "Drafts"
    assert list(drafts_on_server(server)) == [ref.uid]


def test_an_account_without_a_drafts_folder_gets_one(fresh_dovecot, cache, store) -> None:
    server = fresh_dovecot(special_folders=("Sent", "Trash"))
    wire = open_wire(server, USER)
    try:
        ref = save(wire, cache, store, thai_draft(store))
    finally:
        wire.logout()
    assert ref.folder == "Drafts"
    assert list(drafts_on_server(server)) == [ref.uid]


def _someone_elses_deleted_message(server) -> str:
    """A message another program marked \\Deleted in Drafts and has not expunged."""
    with server.imap(USER) as client:
        client.append("Drafts", make_message("ร่างของโปรแกรมอื่น", message_id="<other@localhost>"),
                      flags=["\\Deleted"])
    return "<other@localhost>"


def _message_ids(server) -> dict[str, set[str]]:
    found = {}
    for flags, raw in drafts_on_server(server).values():
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        found[str(msg["Message-ID"])] = flags
    return found


def _planted_plain_expunge(conn, folder, uids) -> None:
    """What the module must never do without UIDPLUS (the planted case of the guard below)."""
    from govmail_desktop.net.imap.grammar import format_sequence_set

    if not uids:
        return
    conn.store_flags(format_sequence_set(sorted(uids)), "+", ["\\Deleted"])
    conn.command(b"EXPUNGE")


@pytest.mark.parametrize("planted", [False, True], ids=["real", "planted-plain-expunge"])
def test_without_uidplus_another_programs_deleted_message_is_not_expunged(
    fresh_dovecot, cache, store, monkeypatch, planted
) -> None:
    server = fresh_dovecot(capabilities=NO_UIDPLUS)
    other = _someone_elses_deleted_message(server)
    if planted:
        monkeypatch.setattr(drafts_sync, "_remove", _planted_plain_expunge)
    wire = open_wire(server, USER)
    try:
        assert not wire.has("UIDPLUS")
        draft = thai_draft(store)
        first = save(wire, cache, store, draft)
        second = save(wire, cache, store, replace(draft, server_copy=first).touched(subject="แก้ไข"))
        third = save(wire, cache, store, replace(draft, server_copy=second).touched(subject="แก้ไขอีก"))
    finally:
        wire.logout()

    ids = _message_ids(server)
    if planted:  # the guard sees the loss a plain EXPUNGE causes
        assert other not in ids
        return
    assert "\\Deleted" in ids.pop(other)  # still there, still as the other program left it
    ours = {mid: flags for mid, flags in ids.items()}
    undeleted = [mid for mid, flags in ours.items() if "\\Deleted" not in flags]
    assert undeleted == [third.message_id]  # exactly one live copy: the last one
    assert len(ours) == 3  # the earlier ones only marked \Deleted


def test_without_appenduid_the_new_copy_is_found_by_its_message_id(fresh_dovecot, cache, store, monkeypatch) -> None:
    server = fresh_dovecot()
    wire = open_wire(server, USER)
    real_append = wire.append

    def append_without_uid(*args, **kwargs):
        real_append(*args, **kwargs)
        return None  # as a server without UIDPLUS answers

    monkeypatch.setattr(wire, "append", append_without_uid)
    try:
        draft = thai_draft(store)
        first = save(wire, cache, store, draft)
        second = save(wire, cache, store, replace(draft, server_copy=first).touched(subject="แก้ไข"))
    finally:
        wire.logout()
    assert list(drafts_on_server(server)) == [second.uid]


def test_removing_the_server_copies_after_sending(fresh_dovecot, cache, store) -> None:
    server = fresh_dovecot()
    wire = open_wire(server, USER)
    try:
        draft = thai_draft(store)
        ref = save(wire, cache, store, draft)
        removed = remove_server_copies(wire, replace(draft, server_copy=ref), folder="Drafts")
    finally:
        wire.logout()
    assert removed == 1
    assert drafts_on_server(server) == {}
