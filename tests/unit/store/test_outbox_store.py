"""The outbox store: durable writes, the state machine, recovery after a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from govmail_desktop.core.compose import Draft, DraftAttachment
from govmail_desktop.core.errors import StorageError
from govmail_desktop.store import outbox as outbox_module
from govmail_desktop.store import outbox_files
from govmail_desktop.store.outbox import (
    TRANSITIONS,
    IllegalTransition,
    OutboxState,
    OutboxStore,
    RecipientResult,
    msg_from_json,
    msg_to_json,
)
from govmail_desktop.store.outbox_pack import member_names
from govmail_desktop.sync.send import MSG_HELD, MSG_UNKNOWN

ATT = DraftAttachment("รายงาน ๑.pdf", "application/pdf", 5, "att-1")


def _draft() -> Draft:
    return Draft.new("acct", sender="a@x.go.th", to="b@y.go.th", subject="ทดสอบ", attachments=(ATT,))


def _add(store: OutboxStore, draft: Draft | None = None):
    return store.add(
        draft or _draft(), lambda att: b"%PDF-", wire=b"wire", sent_copy=b"sent", message_id="<m@x.go.th>",
        envelope_from="a@x.go.th", envelope_recipients=["b@y.go.th"], subject="ทดสอบ",
    )


def test_outbox_add_keeps_draft_bytes_and_attachments(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    draft = _draft()
    entry = _add(store, draft)
    assert entry.state is OutboxState.QUEUED
    assert store.get(entry.entry_id) == entry
    assert store.draft(entry.entry_id) == draft
    assert store.wire(entry.entry_id) == b"wire" and store.sent_copy(entry.entry_id) == b"sent"
    assert store.read_attachment(entry.entry_id, ATT) == b"%PDF-"  # kept although the draft store lets go
    assert [e.entry_id for e in store.entries()] == [entry.entry_id]


@pytest.mark.linux_only  # /proc/self/fd
def test_outbox_durability_add_fsyncs_every_file_and_directory_before_returning(tmp_path, monkeypatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    entry = _add(store)
    new = str(root / (entry.entry_id + ".new"))
    # the draft, both copies of the message and the attachment in one file, then the state
    assert synced == [f"{new}/message.pack.tmp", f"{new}/state.json.tmp", new, str(root)]
    assert member_names(root / entry.entry_id / "message.pack") == [
        "draft.json", "message.eml", "sent.eml", "att/att-1"]


def _record_syncs(monkeypatch) -> list[str]:
    """Every fsync and fdatasync from now on, by the path of the file synced."""
    synced: list[str] = []
    for name in ("fsync", "fdatasync"):
        real = getattr(os, name)

        def recording(fd: int, real=real) -> None:
            synced.append(os.readlink(f"/proc/self/fd/{fd}"))
            real(fd)

        monkeypatch.setattr(os, name, recording)
    return synced


@pytest.mark.linux_only  # /proc/self/fd
def test_outbox_durability_update_appends_the_state_and_waits_for_that_file_only(tmp_path, monkeypatch):
    """A durable step is one wait for the disk: its line appended to the state log, the
    file fdatasync'd (its name has been on disk since add; no rename, no directory)."""
    store = OutboxStore(tmp_path / "outbox")
    entry = _add(store)
    synced = _record_syncs(monkeypatch)
    store.update(entry.entry_id, state=OutboxState.SENDING)
    store.update(entry.entry_id, committing=True)
    folder = tmp_path / "outbox" / entry.entry_id
    assert synced == [f"{folder}/state.json", f"{folder}/state.json"]
    assert sorted(p.name for p in folder.iterdir()) == ["message.pack", "state.json"]
    lines = (folder / "state.json").read_bytes().splitlines()
    assert [json.loads(line)["state"] for line in lines] == ["queued", "sending", "sending"]
    assert store.get(entry.entry_id).committing is True


def test_outbox_durability_state_line_cut_short_by_a_crash_reads_as_the_state_before(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    store.update(eid, state=OutboxState.SENDING, committing=True)
    path = tmp_path / "outbox" / eid / "state.json"
    whole = path.read_bytes()
    store.update(eid, state=OutboxState.ACCEPTED, committing=False)
    accepted_line = path.read_bytes()[len(whole):]
    for cut in (1, len(accepted_line) // 2, len(accepted_line) - 2):
        path.write_bytes(whole + accepted_line[:cut])
        entry = store.get(eid)
        assert entry.state is OutboxState.SENDING and entry.committing is True
    path.write_bytes(whole + b"\0" * 300)  # a length on disk before the bytes
    assert store.get(eid).committing is True
    assert store.recover().unknown == [eid]  # "may have been sent", never sent again silently
    assert store.get(eid).state is OutboxState.UNKNOWN


@pytest.mark.linux_only  # /proc/self/fd
def test_outbox_state_log_past_its_limit_is_written_again_as_its_last_line(tmp_path, monkeypatch):
    monkeypatch.setattr(outbox_files, "STATE_LOG_LIMIT", 2000)
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    path = tmp_path / "outbox" / eid / "state.json"
    for attempt in range(1, 6):
        store.update(eid, attempts=attempt)
        assert path.stat().st_size <= 2000
    assert store.get(eid).attempts == 5
    synced = _record_syncs(monkeypatch)
    while len(path.read_bytes().splitlines()) > 1 or not synced:
        store.update(eid, attempts=store.get(eid).attempts + 1, durable=False)
    # rewritten whole, even for a step not waited for: the appends after it go to the new file
    assert synced == [f"{path}.tmp", str(path.parent)]
    assert len(path.read_bytes().splitlines()) == 1


def test_outbox_state_written_whole_before_the_log_is_read_as_it_is(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    path = tmp_path / "outbox" / eid / "state.json"
    # as written before the log: one JSON object, no newline at the end
    path.write_text(json.dumps(json.loads(path.read_bytes().splitlines()[-1]), ensure_ascii=False), encoding="utf-8")
    assert store.get(eid).state is OutboxState.QUEUED
    store.update(eid, state=OutboxState.SENDING)
    assert store.get(eid).state is OutboxState.SENDING
    assert len(path.read_bytes().splitlines()) == 2


def test_outbox_state_machine_refuses_illegal_transitions(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    with pytest.raises(IllegalTransition):
        store.update(eid, state=OutboxState.ACCEPTED)  # never accepted without sending
    store.update(eid, state=OutboxState.SENDING)
    store.update(eid, state=OutboxState.ACCEPTED)
    for state in (OutboxState.QUEUED, OutboxState.SENDING, OutboxState.FAILED, OutboxState.UNKNOWN):
        with pytest.raises(IllegalTransition):  # an accepted message is never sent again
            store.update(eid, state=state)
    store.update(eid, state=OutboxState.FILED)
    store.update(eid, state=OutboxState.DONE)
    assert TRANSITIONS[OutboxState.DONE] == frozenset()
    assert store.get(eid).state is OutboxState.DONE


def test_outbox_recover_sending_without_end_of_data_is_queued_again(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    store.update(eid, state=OutboxState.SENDING)
    report = OutboxStore(tmp_path / "outbox").recover()
    assert report.requeued == [eid] and report.unknown == []
    assert store.get(eid).state is OutboxState.QUEUED


def test_outbox_recover_sending_after_committing_is_unknown_and_not_resent(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    store.update(eid, state=OutboxState.SENDING)
    store.update(eid, committing=True)
    report = OutboxStore(tmp_path / "outbox").recover()
    assert report.unknown == [eid]
    entry = store.get(eid)
    assert entry.state is OutboxState.UNKNOWN and entry.next_attempt_at is None
    assert entry.state.label.text("en") == "May have been sent"
    assert entry.state.label.text("th") == "อาจส่งไปแล้ว"


def test_outbox_recover_clears_half_written_entries_and_sets_damaged_ones_aside(tmp_path):
    root = tmp_path / "outbox"
    store = OutboxStore(root)
    good = _add(store).entry_id
    (root / "123-half.new").mkdir()  # add() never returned for it
    (root / "123-half.new" / "state.json.tmp").write_bytes(b"{")
    damaged = _add(store).entry_id
    (root / damaged / "state.json").write_bytes(b"{not json")
    report = store.recover()
    assert report.damaged == [damaged]
    assert not (root / "123-half.new").exists()
    assert [e.entry_id for e in store.entries()] == [good]
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("outbox-damaged-")]
    assert len(aside) == 1 and "draft.json" in member_names(aside[0] / "message.pack")  # kept for the IT staff


def test_outbox_damaged_state_is_a_typed_storage_error(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    (tmp_path / "outbox" / eid / "state.json").write_text(json.dumps({"format": 99}))
    with pytest.raises(StorageError):
        store.get(eid)
    with pytest.raises(KeyError):
        store.get("no-such-entry")
    with pytest.raises(ValueError):
        store.get("../escape")


def test_outbox_problem_and_answers_survive_the_json_round_trip(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    problem = MSG_HELD.format(problem=MSG_UNKNOWN)
    store.update(eid, problem=problem, recipients=(RecipientResult("b@y.go.th", 550, "5.1.1 unknown"),))
    entry = OutboxStore(tmp_path / "outbox").get(eid)
    assert entry.problem == problem
    assert entry.problem.text("th") != entry.problem.text("en")
    assert [(r.address, r.code, r.accepted) for r in entry.refused] == [("b@y.go.th", 550, False)]
    assert msg_from_json(msg_to_json(problem)) == problem


def test_outbox_remove_forgets_the_entry(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    store.remove(eid)
    assert store.entries() == [] and not any(Path(tmp_path / "outbox").iterdir())
    store.remove(eid)  # twice: nothing to do


def test_outbox_disk_full_on_add_is_a_storage_error_and_leaves_nothing(tmp_path, monkeypatch):
    store = OutboxStore(tmp_path / "outbox")

    def full(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outbox_module, "write_durably", full)
    with pytest.raises(StorageError) as err:
        _add(store)
    assert err.value.code == "disk-full"
    assert list((tmp_path / "outbox").iterdir()) == []


def _through(store: OutboxStore, entry_id: str, *states: OutboxState, **changes):
    for state in states[:-1]:
        store.update(entry_id, state=state)
    return store.update(entry_id, state=states[-1], **changes)


def test_outbox_entries_needing_the_user_stay_counted_until_removed(tmp_path):
    """Failed, may have been sent, sent to some only (the rest refused for good), or waiting
    too long: each needs the user, so each is counted (the Outbox folder stays visible); a
    finished message with nothing to say is not; "Remove from the list" ends it."""
    store = OutboxStore(tmp_path / "outbox")
    s = OutboxState
    partly = _through(store, _add(store).entry_id, s.SENDING, s.ACCEPTED, s.FILED, s.DONE,
                      recipients=(RecipientResult("b@y.go.th", 550, "5.1.1 No such user"),))
    clean = _through(store, _add(store).entry_id, s.SENDING, s.ACCEPTED, s.FILED, s.DONE,
                     recipients=(RecipientResult("b@y.go.th", 250, "OK"),))
    failed = _through(store, _add(store).entry_id, s.SENDING, s.FAILED)
    unknown = _through(store, _add(store).entry_id, s.SENDING, s.UNKNOWN)
    overdue = store.update(_add(store).entry_id, overdue=MSG_HELD.format(problem="x"))
    assert partly.needs_attention and partly.pending
    assert not clean.needs_attention and not clean.pending
    assert failed.needs_attention and unknown.needs_attention and overdue.needs_attention
    assert not store.get(_add(store).entry_id).needs_attention  # waiting: counted, nothing to do yet
    assert store.pending_count() == 5
    store.remove(partly.entry_id)
    assert store.pending_count() == 4


def test_outbox_add_keeps_the_bytes_once_when_the_sent_copy_is_the_wire_bytes(tmp_path):
    """No Bcc: the Sent copy is the very bytes sent, kept once."""
    store = OutboxStore(tmp_path / "outbox")
    entry = store.add(_draft(), lambda att: b"%PDF-", wire=b"same", sent_copy=b"same", message_id="<m@x.go.th>",
                      envelope_from="a@x.go.th", envelope_recipients=["b@y.go.th"])
    eid = entry.entry_id
    pack = store.root / eid / "message.pack"
    assert member_names(pack) == ["draft.json", "message.eml", "att/att-1"]
    assert store.sent_copy(eid) == store.wire(eid) == b"same"
    store.replace_message(eid, wire=b"8bit", sent_copy=b"8bit with Bcc", transfer="8bitmime")
    assert store.sent_copy(eid) == b"8bit with Bcc" and store.wire(eid) == b"8bit"
    store.replace_message(eid, wire=b"7bit", sent_copy=b"7bit", transfer="7bit")  # an older copy never read
    assert store.sent_copy(eid) == store.wire(eid) == b"7bit"
    assert member_names(pack) == ["draft.json", "message.eml", "att/att-1"]
    assert store.read_attachment(eid, ATT) == b"%PDF-" and store.draft(eid).subject == "ทดสอบ"


@pytest.mark.linux_only  # /proc/self/fd
def test_outbox_durability_update_not_waited_for_is_appended_without_waiting_for_the_disk(tmp_path, monkeypatch):
    """A step a crash may repeat: its line appended, not waited for (old or new after a crash)."""
    store = OutboxStore(tmp_path / "outbox")
    entry = _add(store)
    synced = _record_syncs(monkeypatch)
    store.update(entry.entry_id, state=OutboxState.SENDING, durable=False)
    assert synced == []
    assert store.get(entry.entry_id).state is OutboxState.SENDING


def test_outbox_pack_cut_short_is_a_typed_storage_error_never_half_an_attachment(tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    pack = tmp_path / "outbox" / eid / "message.pack"
    pack.write_bytes(pack.read_bytes()[:-2])  # the attachment, last, cut short
    assert store.draft(eid).subject == "ทดสอบ" and store.wire(eid) == b"wire"  # the rest reads
    with pytest.raises(StorageError):
        store.read_attachment(eid, ATT)
    pack.write_bytes(b"not a pack")
    with pytest.raises(StorageError):
        store.wire(eid)


def test_outbox_entry_from_before_the_pack_is_read_from_its_separate_files(tmp_path):
    """An outbox written by an earlier version (one file per part) still sends and edits."""
    store = OutboxStore(tmp_path / "outbox")
    eid = _add(store).entry_id
    folder = tmp_path / "outbox" / eid
    draft = store.draft(eid)
    (folder / "message.pack").unlink()
    (folder / "att").mkdir()
    (folder / "att" / "att-1").write_bytes(b"%PDF-")
    (folder / "draft.json").write_text(draft.to_json(), encoding="utf-8")
    (folder / "message.eml").write_bytes(b"wire")
    (folder / "sent.eml").write_bytes(b"sent")
    assert store.draft(eid) == draft and store.wire(eid) == b"wire" and store.sent_copy(eid) == b"sent"
    assert store.read_attachment(eid, ATT) == b"%PDF-"
    store.replace_message(eid, wire=b"8bit", sent_copy=b"8bit+bcc", transfer="8bitmime")
    assert store.wire(eid) == b"8bit" and store.sent_copy(eid) == b"8bit+bcc"
