"""Spare outbox entries: made ahead of Send, so that queuing a message is one file written
and waited for — with the same guarantee (on disk for good before add returns) and a
crash part-way never taken for a message."""

from __future__ import annotations

import pytest

from govmail_desktop.core.compose import Draft, DraftAttachment
from govmail_desktop.store.outbox import CHECK_MEMBER, OutboxState, OutboxStore
from govmail_desktop.store.outbox_files import SPARE_PACK_BYTES, SPARE_STATE_BYTES, content_end
from govmail_desktop.store.outbox_pack import member_names, read_members, write_pack_in_place
from tests.unit.store.test_outbox_store import _record_syncs

ATT = DraftAttachment("รายงาน ๑.pdf", "application/pdf", 5, "att-1")


def _add(store: OutboxStore, subject: str = "ทดสอบ"):
    draft = Draft.new("acct", sender="a@x.go.th", to="b@y.go.th", subject=subject, attachments=(ATT,))
    return store.add(
        draft, lambda att: b"%PDF-", wire=b"wire " * 200, sent_copy=b"sent", message_id="<m@x.go.th>",
        envelope_from="a@x.go.th", envelope_recipients=["b@y.go.th"], subject=subject,
    )


@pytest.mark.linux_only  # /proc/self/fd
def test_outbox_spare_is_made_durable_ahead_and_holds_no_message(tmp_path, monkeypatch):
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    synced = _record_syncs(monkeypatch)
    assert store.prepare_spare() is True
    [spare] = [p for p in root.iterdir()]
    # its files (blocks and length), them in its directory, it in outbox/
    assert synced == [f"{spare}.new/message.pack", f"{spare}.new/state.json", f"{spare}.new", str(root)]
    assert sorted(p.name for p in spare.iterdir()) == ["message.pack", "state.json"]
    # zero bytes, written over at Send: no new length or block to wait for then
    assert (spare / "message.pack").read_bytes() == bytes(SPARE_PACK_BYTES)
    assert (spare / "state.json").read_bytes() == bytes(SPARE_STATE_BYTES)
    assert store.entries() == [] and store.pending_count() == 0
    with pytest.raises(KeyError):
        store.get(spare.name)
    assert store.prepare_spare() is True and len(list(root.iterdir())) == 1  # one is enough


@pytest.mark.linux_only  # /proc/self/fd
def test_outbox_durability_add_into_a_spare_waits_for_the_disk_once(tmp_path, monkeypatch):
    """The message, its first state and a CRC in the spare's pack, one fdatasync: its name
    and directory were on disk before Send."""
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    store.prepare_spare()
    [spare] = [p.name for p in root.iterdir()]
    synced = _record_syncs(monkeypatch)
    entry = _add(store)
    assert entry.entry_id == spare
    assert synced == [f"{root / spare}/message.pack"]
    assert member_names(root / spare / "message.pack") == [
        "draft.json", "message.eml", "sent.eml", "att/att-1", "state.json", CHECK_MEMBER]
    assert (root / spare / "state.json").read_bytes() == bytes(SPARE_STATE_BYTES)
    assert (root / spare / "message.pack").stat().st_size == SPARE_PACK_BYTES  # written over, not grown
    assert store.get(spare) == entry and entry.state is OutboxState.QUEUED
    assert store.wire(spare) == b"wire " * 200 and store.sent_copy(spare) == b"sent"
    assert store.read_attachment(spare, ATT) == b"%PDF-" and store.draft(spare).subject == "ทดสอบ"
    assert [e.entry_id for e in store.entries()] == [spare]
    # the next one has no spare (until the service makes one when idle): a directory of its own
    other = _add(store, "อีกฉบับ")
    assert other.entry_id != spare and len(store.entries()) == 2
    store.update(spare, state=OutboxState.SENDING)  # changes go to the state log, over its zeros
    assert store.get(spare).state is OutboxState.SENDING
    assert (root / spare / "state.json").stat().st_size == SPARE_STATE_BYTES
    assert OutboxStore(root).recover().requeued == [spare]


def _cut(pack, how: str) -> None:
    data = pack.read_bytes()
    if how == "short":  # the write reached half-way: the rest is the spare's zeros
        half = content_end(data) // 2
        pack.write_bytes(data[:half] + bytes(len(data) - half))
    elif how == "empty":
        pack.write_bytes(b"")
    elif how == "no-bytes":  # nothing of it reached the disk: the spare's zeros
        pack.write_bytes(bytes(SPARE_PACK_BYTES))
    elif how == "no-check":  # all but the CRC, written last
        members = read_members(pack)
        write_pack_in_place(pack, [(n, b"\0" * len(d) if n == CHECK_MEMBER else d) for n, d in members])
    else:  # whole length and index, but the message's bytes never reached the disk (zeros)
        members = read_members(pack)
        write_pack_in_place(pack, [(n, b"\0" * len(d) if n == "message.eml" else d) for n, d in members])


def test_outbox_durability_add_into_a_spare_whose_bytes_fail_their_crc_is_set_aside_never_sent(tmp_path):
    """Length and index whole, the message's bytes not (they never reached the disk, or were
    damaged since): not sent as they are, not thrown away — moved aside like any damage."""
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    store.prepare_spare()
    eid = _add(store).entry_id
    _cut(root / eid / "message.pack", "zeros")
    after = OutboxStore(root)
    assert after.recover().damaged == [eid]
    assert after.entries() == []
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("outbox-damaged-")]
    assert "message.eml" in member_names(aside / "message.pack")


@pytest.mark.parametrize("how", ["short", "empty", "no-bytes", "no-check"])
def test_outbox_durability_add_into_a_spare_cut_short_by_a_crash_is_no_message(tmp_path, how):
    """A crash before add returned (the user was never told it is queued; the draft is
    still kept): never sent, never set aside as damaged — the spare is used again."""
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    store.prepare_spare()
    eid = _add(store).entry_id
    _cut(root / eid / "message.pack", how)

    after = OutboxStore(root)
    report = after.recover()
    assert after.entries() == [] and report.damaged == [] and report.requeued == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("outbox-damaged-")]
    assert (root / eid / "message.pack").read_bytes() == bytes(SPARE_PACK_BYTES)
    assert after.prepare_spare() is True and len(list(root.iterdir())) == 1  # that one, again
    assert _add(after).entry_id == eid and after.get(eid).state is OutboxState.QUEUED


def test_outbox_spare_entry_rebuilt_keeps_its_first_state(tmp_path):
    """replace_message writes the pack again (by rename: whole): the first state stays in
    it, so a crash before the next state line still finds the message."""
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    store.prepare_spare()
    eid = _add(store).entry_id
    store.replace_message(eid, wire=b"8bit", sent_copy=b"8bit", transfer="8bitmime")
    (root / eid / "state.json").write_bytes(b"")  # the update after it lost in a crash
    after = OutboxStore(root)
    assert after.recover().damaged == []
    assert after.get(eid).transfer == "7bit" and after.wire(eid) == b"8bit"
    assert CHECK_MEMBER not in member_names(root / eid / "message.pack")


def test_outbox_recover_keeps_one_spare_and_removes_the_rest(tmp_path):
    root = tmp_path / "outbox"
    for _ in range(3):
        OutboxStore(root).prepare_spare()  # three runs, each left one
    kept = _add(OutboxStore(root)).entry_id  # a message in a directory of its own
    assert len(list(root.iterdir())) == 4
    store = OutboxStore(root)
    store.recover()
    assert len(list(root.iterdir())) == 2 and [e.entry_id for e in store.entries()] == [kept]
    assert _add(store).entry_id not in (kept,) and len(list(root.iterdir())) == 2  # into the spare


def test_outbox_state_log_outgrows_a_spares_room_and_still_reads(tmp_path):
    """More states than the zero bytes hold: the log grows like any file, the last counts."""
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    store.prepare_spare()
    eid = _add(store).entry_id
    details = [f"ลองครั้งที่ {i} " + "x" * 900 for i in range(30)]
    for detail in details:
        store.update(eid, problem_detail=detail)
    assert (root / eid / "state.json").stat().st_size > SPARE_STATE_BYTES
    assert OutboxStore(root).get(eid).problem_detail == details[-1]


def test_outbox_send_reads_what_add_just_wrote_from_memory_while_the_pack_is_that_file(tmp_path, monkeypatch):
    """The send right after add reads the draft and the wire bytes back without opening the pack;
    a pack written again (replace_message: by rename) or by anyone else is read from the disk."""
    from govmail_desktop.store import outbox as outbox_module

    root = tmp_path / "outbox"
    store = OutboxStore(root)
    store.prepare_spare()
    eid = _add(store).entry_id
    opened: list[str] = []
    real = outbox_module.read_member
    monkeypatch.setattr(outbox_module, "read_member", lambda path, name: opened.append(name) or real(path, name))
    assert store.wire(eid) == b"wire " * 200 and store.draft(eid).subject == "ทดสอบ"
    assert store.sent_copy(eid) == b"sent" and opened == []
    store.replace_message(eid, wire=b"8bit", sent_copy=b"8bit", transfer="8bitmime")
    assert store.wire(eid) == b"8bit" and "message.eml" in opened
    assert OutboxStore(root).wire(eid) == b"8bit"  # another store reads the disk
