"""Outbox entries that need the user stay reachable, and the user's choices cannot race the
sender: a partly sent message keeps the Outbox folder counted until "Remove from the list";
Delete of a message the worker has meanwhile sent leaves it to finish and says so; "Edit
and send again" of a partly delivered message warns and leaves out those who have it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from govmail_desktop.services.outbox_service import OutboxService
from govmail_desktop.store.outbox import OutboxState, OutboxStore, RecipientResult
from govmail_desktop.sync.send import MSG_PARTLY, STEP_SENDING, enqueue
from govmail_desktop.ui.outbox_view import DELETE, EDIT, REMOVE
from tests.gui.mailbox_helpers import open_mailbox  # noqa: F401 - fixture
from tests.gui.test_outbox_view import (  # noqa: F401 - fixtures
    add,
    answer,
    choose,
    draft,
    make_service,
    outbox,
    page,
    state_of,
    thai,
)
from tests.integration.outbox_helpers import (
    ScriptedSmtpServer,
    copies,
    effective_policy,
    make_sender,
    reader,
    thai_draft,
)


def _partly_sent(store: OutboxStore) -> str:
    entry = add(store, draft("แจ้งเวียน", to="a@dwr.go.th, gone@dwr.go.th"), ("a@dwr.go.th", "gone@dwr.go.th"))
    results = (RecipientResult("a@dwr.go.th", 250, "2.1.5 OK"), RecipientResult("gone@dwr.go.th", 550, "5.1.1 No"))
    for state in (OutboxState.SENDING, OutboxState.ACCEPTED, OutboxState.FILED):
        store.update(entry.entry_id, state=state)
    store.update(entry.entry_id, state=OutboxState.DONE, recipients=results,
                 problem=MSG_PARTLY.format(answers="gone@dwr.go.th: 550 5.1.1 No"))
    return entry.entry_id


def test_a_partly_sent_message_keeps_the_outbox_folder_and_count_until_removed(qtbot, open_mailbox, tmp_path):
    store = OutboxStore(tmp_path / "outbox-partly")
    partly = _partly_sent(store)
    services: list[OutboxService] = []

    def factory(_account, _cache, _queue):
        service, _smtp = make_service(store)
        services.append(service)
        return service

    m = open_mailbox(5, outbox_factory=factory)
    folders = m.models.folder_model
    qtbot.waitUntil(lambda: folders.index_for_outbox().isValid(), timeout=10000)
    assert folders.index_for_outbox().data() == "กล่องจดหมายออก (1)"  # reachable: the Outbox page lists it
    assert m.window.outbox_label.text() == "กล่องจดหมายออก: 1" and services[0].count() == 1

    services[0].discard(partly)  # "Remove from the list"
    qtbot.waitUntil(lambda: not folders.index_for_outbox().isValid(), timeout=10000)
    assert state_of(store, partly) is None
    assert services[0].count() == 0 and not m.window.outbox_label.isVisibleTo(m.window)


def test_delete_of_a_message_sent_meanwhile_leaves_it_to_finish_and_says_it_was_sent(qtbot, page):
    controller, store, service, ids, _drafts, _opened = page
    choose(controller.view, ids["queued"])  # the page still shows it waiting...
    store.update(ids["queued"], state=OutboxState.SENDING)  # ...while the worker sends it
    store.update(ids["queued"], state=OutboxState.ACCEPTED, next_attempt_at=0.0)
    controller.bridge.warnings.clear()
    controller.view.buttons[DELETE].click()
    with qtbot.waitSignal(service.discardRefused, timeout=10000):
        answer(qtbot, controller.view, QMessageBox.StandardButton.Yes)
    assert state_of(store, ids["queued"]) is OutboxState.ACCEPTED  # kept: its Sent copy and mark follow
    qtbot.waitUntil(lambda: bool(controller.bridge.warnings), timeout=10000)
    [told] = controller.bridge.warnings
    assert "ขอเชิญประชุมคณะกรรมการ" in told and "ส่งไปแล้ว" in told


@pytest.mark.integration
def test_delete_posted_while_the_message_is_being_sent_never_loses_its_sent_copy(qtbot, tmp_path, dovecot, certs):
    eff = effective_policy(certs.ca_file)
    store = OutboxStore(tmp_path / "outbox")
    entry = enqueue(store, thai_draft(), reader(), eff.recipient_policy(), eff.attachment_rules())
    holder: list[OutboxService] = []

    def steps(name, entry_id):
        if name == STEP_SENDING:  # the user presses Delete while the transaction runs
            holder[0].discard(entry_id)

    with ScriptedSmtpServer(dovecot) as server:
        sender = make_sender(store, eff, dovecot, server.port, steps=steps)
        service = OutboxService("acct", store, sender, recipient_policy=eff.recipient_policy,
                                attachment_rules=eff.attachment_rules, online=True)
        holder.append(service)
        refusals: list[tuple[str, object]] = []
        service.discardRefused.connect(lambda eid, msg: refusals.append((eid, msg)))
        try:
            with qtbot.waitSignal(service.discardRefused, timeout=20000):
                service.start()
        finally:
            service.shutdown()
    [(eid, told)] = refusals
    assert eid == entry.entry_id and "already been sent" in told.text("en")
    assert len(copies(dovecot, "bob", "INBOX", entry.message_id)) == 1
    assert len(copies(dovecot, "alice", "Sent", entry.message_id)) == 1  # filed, not cut short


def test_edit_and_send_again_of_a_partly_delivered_message_warns_and_leaves_out_who_has_it(qtbot, page):
    controller, store, service, ids, drafts, opened = page
    view = controller.view
    choose(view, ids["partly"])
    assert view.buttons[EDIT].isVisibleTo(view) and view.buttons[REMOVE].isVisibleTo(view)
    view.buttons[EDIT].click()
    text = answer(qtbot, view, QMessageBox.StandardButton.Cancel)
    assert "a@dwr.go.th" in text and "1" in text and "แจ้งเวียน" in text  # who has it already, how many
    assert opened == [] and state_of(store, ids["partly"]) is OutboxState.DONE

    view.buttons[EDIT].click()
    answer(qtbot, view, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    [restored] = opened
    assert restored.to == "gone@dwr.go.th"  # the one it did not reach; a@ may be added back by the user
    assert drafts.load(restored.draft_id) == restored
    qtbot.waitUntil(lambda: state_of(store, ids["partly"]) is None, timeout=10000)
