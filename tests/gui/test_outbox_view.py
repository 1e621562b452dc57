"""The Outbox page: entries of every state from a real OutboxStore through the real
OutboxService (its own worker thread, offline: nothing leaves the machine), each choice
carried through to the store, the confirmation before a second copy can leave, the
Outbox node of the folder tree swapping the page in, and the notices — in Thai."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox

from govmail_desktop.core.compose import Draft, DraftAttachment
from govmail_desktop.models.outbox_model import (
    COL_ANSWER,
    COL_RECIPIENTS,
    COL_STATE,
    COL_SUBJECT,
    EntryIdRole,
    OutboxModel,
)
from govmail_desktop.policy.sources import policy_from_dict
from govmail_desktop.services.outbox_service import OutboxService
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.store.outbox import OutboxState, OutboxStore, RecipientResult
from govmail_desktop.sync.send import MSG_ALL_REFUSED, MSG_PARTLY, Sender
from govmail_desktop.ui.outbox_controller import OutboxController
from govmail_desktop.ui.outbox_view import (
    DELETE,
    EDIT,
    MARK_SENT,
    REMOVE,
    SEND_AGAIN,
    SEND_NOW,
    TRY_AGAIN,
    OutboxView,
)
from tests.gui.mailbox_helpers import open_mailbox  # noqa: F401 - fixture

ACCOUNT = "acct1"
PDF = b"%PDF-1.4 \xe0\xb8\x97\xe0\xb8\x94\xe0\xb8\xaa\xe0\xb8\xad\xe0\xb8\x9a"


class RecordingBridge:
    """The message bridge's notices as they would reach the status bar."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.errors: list[object] = []

    def warning(self, text, *, key=None) -> None:
        self.warnings.append(str(text))

    def report_error(self, err, *, key=None) -> None:
        self.errors.append(err)


def policy(**recipients):
    eff = policy_from_dict({"recipients": recipients})
    assert eff.error is None
    return eff


class NoSmtp:
    """The SMTP connector of an outbox that must not send (offline tests): any call is a bug."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self):
        self.calls += 1
        raise AssertionError("the outbox tried to connect while offline")


def draft(subject: str, to: str = "somchai@dwr.go.th", **values) -> Draft:
    return Draft.new(ACCOUNT, sender="อลิสา ศรีสุข <alice@agency.go.th>", to=to, subject=subject,
                     text="เรียน ท่านผู้อำนวยการ\n\nขอส่งหนังสือตามที่แนบมา", **values)


def add(store: OutboxStore, d: Draft, recipients: tuple[str, ...] | None = None):
    return store.add(
        d, lambda att: PDF, wire=b"Subject: x\r\n\r\nwire\r\n", sent_copy=b"Subject: x\r\n\r\nsent\r\n",
        message_id=f"<{d.draft_id}@agency.go.th>", envelope_from="alice@agency.go.th",
        envelope_recipients=recipients or (d.to,), subject=d.subject,
    )


def fill_outbox(store: OutboxStore) -> dict[str, str]:
    """One entry per state a user meets: waiting (tried once, next try later), failed with
    the server's answer per recipient, unknown (a crash during the end of DATA: found so by
    the service's recovery), sent to some recipients only. Returns {state name: entry id}."""
    ids: dict[str, str] = {}
    queued = add(store, draft("ขอเชิญประชุมคณะกรรมการ"))
    store.update(queued.entry_id, attempts=1, next_attempt_at=time.time() + 900)
    ids["queued"] = queued.entry_id

    attachment = DraftAttachment("หนังสือนำส่ง.pdf", "application/pdf", len(PDF), "att-1.pdf")
    failed = add(store, draft("รายงานผลการดำเนินงาน", to="nobody@dwr.go.th, lek@dwr.go.th",
                              attachments=(attachment,)), ("nobody@dwr.go.th", "lek@dwr.go.th"))
    answers = (RecipientResult("nobody@dwr.go.th", 550, "5.1.1 User unknown"),
               RecipientResult("lek@dwr.go.th", 552, "5.2.2 Mailbox full"))
    store.update(failed.entry_id, state=OutboxState.SENDING, attempts=1)
    store.update(failed.entry_id, state=OutboxState.FAILED, recipients=answers, next_attempt_at=None,
                 problem=MSG_ALL_REFUSED.format(answers="nobody@dwr.go.th: 550 5.1.1 User unknown; "
                                                        "lek@dwr.go.th: 552 5.2.2 Mailbox full"))
    ids["failed"] = failed.entry_id

    unknown = add(store, draft("ขออนุมัติเดินทางไปราชการ"))
    store.update(unknown.entry_id, state=OutboxState.SENDING, attempts=1)
    store.update(unknown.entry_id, committing=True)  # then the process was killed
    ids["unknown"] = unknown.entry_id

    partly = add(store, draft("แจ้งเวียน", to="a@dwr.go.th, gone@dwr.go.th"), ("a@dwr.go.th", "gone@dwr.go.th"))
    results = (RecipientResult("a@dwr.go.th", 250, "2.1.5 OK"), RecipientResult("gone@dwr.go.th", 550, "5.1.1 No"))
    store.update(partly.entry_id, state=OutboxState.SENDING, attempts=1)
    store.update(partly.entry_id, state=OutboxState.ACCEPTED, recipients=results,
                 problem=MSG_PARTLY.format(answers="gone@dwr.go.th: 550 5.1.1 No"))
    store.update(partly.entry_id, state=OutboxState.FILED)
    store.update(partly.entry_id, state=OutboxState.DONE)
    ids["partly"] = partly.entry_id
    return ids


def make_service(store: OutboxStore, eff=None, *, online: bool = False) -> tuple[OutboxService, NoSmtp]:
    eff = eff or policy()
    smtp = NoSmtp()
    sender = Sender(store, connect_smtp=smtp, recipient_policy=eff.recipient_policy,
                    attachment_rules=eff.attachment_rules)
    service = OutboxService(ACCOUNT, store, sender, recipient_policy=eff.recipient_policy,
                            attachment_rules=eff.attachment_rules, online=online)
    return service, smtp


@pytest.fixture
def thai(language_controller):
    language_controller.apply("th")
    return language_controller


@pytest.fixture
def outbox(qtbot, tmp_path):
    """A filled outbox store and its started (offline) service, recovered as after a crash."""
    store = OutboxStore(tmp_path / "outbox")
    ids = fill_outbox(store)
    service, smtp = make_service(store)
    with qtbot.waitSignal(service.countChanged, timeout=10000):
        service.start()
    yield store, service, ids
    service.shutdown()
    assert smtp.calls == 0


def state_of(store: OutboxStore, entry_id: str) -> OutboxState | None:
    try:
        return store.get(entry_id).state
    except KeyError:
        return None


def row_texts(view: OutboxView, row: int) -> dict[int, str]:
    return {c: view.model.index(row, c).data() for c in (COL_STATE, COL_SUBJECT, COL_RECIPIENTS, COL_ANSWER)}


def choose(view: OutboxView, entry_id: str) -> None:
    assert view.select_entry(entry_id)


# ---------------------------------------------------------------- listing


def test_outbox_view_lists_every_state_from_the_store_in_thai(qtbot, thai, outbox):
    store, service, ids = outbox
    view = OutboxView()
    qtbot.addWidget(view)
    view.set_entries(service.entries())
    assert view.model.rowCount() == 4
    rows = {view.model.index(r, 0).data(EntryIdRole): r for r in range(4)}
    texts = {name: row_texts(view, rows[eid]) for name, eid in ids.items()}
    assert texts["queued"][COL_STATE] == "รอส่งอีกครั้ง"
    assert texts["failed"][COL_STATE] == "ส่งไม่สำเร็จ"
    assert texts["unknown"][COL_STATE] == "อาจส่งไปแล้ว"  # recovered: the end of DATA had left
    assert texts["partly"][COL_STATE] == "ส่งแล้ว แต่ไม่ถึงผู้รับบางราย"
    assert texts["failed"][COL_SUBJECT] == "รายงานผลการดำเนินงาน"
    assert texts["failed"][COL_RECIPIENTS] == "nobody@dwr.go.th, lek@dwr.go.th"
    assert "550 5.1.1 User unknown" in texts["failed"][COL_ANSWER]
    assert texts["failed"][COL_ANSWER].startswith("ไม่ได้ส่ง: เซิร์ฟเวอร์ไม่รับผู้รับทุกราย")  # Thai; answers verbatim
    assert [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "สถานะ", "เรื่อง", "ผู้รับ", "เวลาที่กดส่ง", "คำตอบจากเซิร์ฟเวอร์"]
    # Nothing chosen yet: the first message that needs the user is shown.
    assert view.selected_entry().entry_id == ids["failed"]


def test_outbox_detail_names_each_recipient_with_the_servers_answer(qtbot, thai, outbox):
    store, service, ids = outbox
    view = OutboxView()
    qtbot.addWidget(view)
    view.set_entries(service.entries())
    choose(view, ids["failed"])
    lines = [[view.recipients.topLevelItem(i).text(c) for c in range(3)]
             for i in range(view.recipients.topLevelItemCount())]
    assert lines == [["nobody@dwr.go.th", "ถูกปฏิเสธ", "550 5.1.1 User unknown"],
                     ["lek@dwr.go.th", "ถูกปฏิเสธ", "552 5.2.2 Mailbox full"]]
    assert view.subject_label.text() == "รายงานผลการดำเนินงาน"
    assert view.state_label.text().startswith("ส่งไม่สำเร็จ · กดส่งเมื่อ ")
    assert "พยายามส่ง 1 ครั้ง" in view.state_label.text()
    visible = [a for a, b in view.buttons.items() if not b.isHidden()]
    assert visible == [EDIT, TRY_AGAIN, DELETE]
    assert view.buttons[EDIT].text() == "แก้ไขแล้วส่งอีกครั้ง"

    choose(view, ids["partly"])
    lines = [[view.recipients.topLevelItem(i).text(c) for c in range(3)]
             for i in range(view.recipients.topLevelItemCount())]
    assert lines == [["a@dwr.go.th", "รับแล้ว", "250 2.1.5 OK"], ["gone@dwr.go.th", "ถูกปฏิเสธ", "550 5.1.1 No"]]
    assert [a for a, b in view.buttons.items() if not b.isHidden()] == [EDIT, REMOVE]  # correct the refused ones

    choose(view, ids["unknown"])
    assert "อาจส่งไปแล้ว" in view.problem_label.text()
    assert [a for a, b in view.buttons.items() if not b.isHidden()] == [SEND_AGAIN, MARK_SENT]
    assert [view.buttons[a].text() for a in (SEND_AGAIN, MARK_SENT)] == ["ส่งอีกครั้ง", "ทำเครื่องหมายว่าส่งแล้ว"]

    choose(view, ids["queued"])
    assert [a for a, b in view.buttons.items() if not b.isHidden()] == [SEND_NOW, DELETE]


def test_outbox_model_says_sending_and_sent_states_in_thai(qtbot, thai, tmp_path):
    store = OutboxStore(tmp_path / "outbox")
    entry = add(store, draft("กำลังส่ง"))
    sending = store.update(entry.entry_id, state=OutboxState.SENDING, attempts=1)
    model = OutboxModel()
    model.set_entries([sending])
    assert model.index(0, COL_STATE).data() == "กำลังส่ง"
    accepted = store.update(entry.entry_id, state=OutboxState.ACCEPTED,
                            recipients=(RecipientResult("somchai@dwr.go.th", 250, "OK"),))
    model.set_entries([accepted])  # same row: contents change, no reset
    assert model.index(0, COL_STATE).data() == "ส่งแล้ว กำลังบันทึกสำเนาในจดหมายที่ส่งแล้ว"
    assert model.index(0, COL_ANSWER).data() == "250 OK"


# ---------------------------------------------------------------- the choices, through the service


@pytest.fixture
def page(qtbot, thai, outbox, tmp_path):
    """The view driven by an OutboxController over the real service (no main window needed
    for the choices: the controller's page is used directly)."""
    store, service, ids = outbox
    opened: list[Draft] = []
    drafts = DraftStore(tmp_path / "drafts")
    mailboxes = SimpleNamespace(accounts=[SimpleNamespace(
        account=SimpleNamespace(address="alice@agency.go.th"), models=SimpleNamespace(folder_model=None),
        outbox=service,
    )])
    controller = OutboxController(None, mailboxes, bridge=RecordingBridge(), drafts=drafts,
                                  open_draft=opened.append)
    qtbot.addWidget(controller.view)
    controller.watch_accounts()  # the page follows the service's changes (queued to this thread)
    controller.show_entries_of(service)
    yield controller, store, service, ids, drafts, opened
    controller.shutdown()


def wait_state(qtbot, store, entry_id, wanted) -> None:
    qtbot.waitUntil(lambda: state_of(store, entry_id) is wanted, timeout=10000)


def answer(qtbot, view: OutboxView, button: QMessageBox.StandardButton) -> str:
    qtbot.waitUntil(lambda: view.question is not None and view.question.isVisible())
    box = view.question
    text = box.text()
    box.button(button).click()
    return text


def test_send_again_on_may_have_been_sent_asks_naming_the_duplicate_then_queues(qtbot, page):
    controller, store, service, ids, _drafts, _opened = page
    view = controller.view
    choose(view, ids["unknown"])
    view.buttons[SEND_AGAIN].click()
    text = answer(qtbot, view, QMessageBox.StandardButton.Cancel)
    assert "ซ้ำสองครั้ง" in text and "ขออนุมัติเดินทางไปราชการ" in text  # the risk, and which message
    assert view.question is None
    assert state_of(store, ids["unknown"]) is OutboxState.UNKNOWN  # cancelled: nothing changed

    view.buttons[SEND_AGAIN].click()
    box = view.question
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)  # Enter does not resend
    assert box.button(QMessageBox.StandardButton.Yes).text() == "ส่งอีกครั้ง"
    with qtbot.waitSignal(service.entryChanged, timeout=10000):
        answer(qtbot, view, QMessageBox.StandardButton.Yes)
    entry = store.get(ids["unknown"])
    assert entry.state is OutboxState.QUEUED and entry.resend_confirmed


def test_mark_as_sent_files_a_may_have_been_sent_message_without_asking(qtbot, page):
    controller, store, service, ids, _drafts, _opened = page
    choose(controller.view, ids["unknown"])
    with qtbot.waitSignal(service.entryChanged, timeout=10000):
        controller.view.buttons[MARK_SENT].click()
    assert controller.view.question is None
    assert state_of(store, ids["unknown"]) is OutboxState.ACCEPTED  # filed later, never resent


def test_send_now_tries_a_waiting_message_at_once(qtbot, page):
    controller, store, service, ids, _drafts, _opened = page
    assert store.get(ids["queued"]).next_attempt_at > time.time()
    choose(controller.view, ids["queued"])
    with qtbot.waitSignal(service.entryChanged, timeout=10000):
        controller.view.buttons[SEND_NOW].click()
    assert store.get(ids["queued"]).next_attempt_at == 0.0


def test_delete_a_waiting_message_asks_first(qtbot, page):
    controller, store, service, ids, _drafts, _opened = page
    view = controller.view
    choose(view, ids["queued"])
    view.buttons[DELETE].click()
    assert "ขอเชิญประชุมคณะกรรมการ" in answer(qtbot, view, QMessageBox.StandardButton.Cancel)
    assert state_of(store, ids["queued"]) is OutboxState.QUEUED
    view.buttons[DELETE].click()
    answer(qtbot, view, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: ids["queued"] not in [e.entry_id for e in view.model.entries()], timeout=10000)
    assert state_of(store, ids["queued"]) is None


def test_try_again_queues_a_failed_message_and_remove_forgets_a_partly_sent_one(qtbot, page):
    controller, store, service, ids, _drafts, _opened = page
    choose(controller.view, ids["failed"])
    with qtbot.waitSignal(service.entryChanged, timeout=10000):
        controller.view.buttons[TRY_AGAIN].click()
    assert state_of(store, ids["failed"]) is OutboxState.QUEUED
    choose(controller.view, ids["partly"])
    with qtbot.waitSignal(service.entryChanged, timeout=10000):
        controller.view.buttons[REMOVE].click()
    assert state_of(store, ids["partly"]) is None


def test_edit_and_send_again_puts_the_draft_back_with_its_files_then_opens_it(qtbot, page):
    controller, store, service, ids, drafts, opened = page
    original = store.draft(ids["failed"])
    choose(controller.view, ids["failed"])
    with qtbot.waitSignal(service.entryChanged, timeout=10000):
        controller.view.buttons[EDIT].click()
    [restored] = opened
    assert restored.draft_id != original.draft_id  # the old id was discarded after the first send
    assert (restored.to, restored.subject, restored.text) == (original.to, original.subject, original.text)
    assert drafts.load(restored.draft_id) == restored  # on disk before the outbox let go
    [att] = restored.attachments
    assert att.filename == "หนังสือนำส่ง.pdf" and drafts.read_attachment(restored.draft_id, att) == PDF
    assert state_of(store, ids["failed"]) is None


def test_edit_of_a_message_the_disk_cannot_give_back_keeps_it_in_the_outbox(qtbot, page, tmp_path):
    controller, store, service, ids, _drafts, opened = page
    errors = controller.bridge.errors
    pack = store.root / ids["failed"] / "message.pack"
    pack.write_bytes(pack.read_bytes()[:-100])  # the attachment's bytes (last in the file) are gone
    choose(controller.view, ids["failed"])
    controller.view.buttons[EDIT].click()
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert opened == [] and state_of(store, ids["failed"]) is OutboxState.FAILED


# ---------------------------------------------------------------- in the main window


def make_window_with_outbox(open_mailbox, tmp_path, service_holder, eff=None, *, online=False):
    store = OutboxStore(tmp_path / "outbox-window")
    ids = fill_outbox(store)

    def factory(_account, _cache, _queue):
        service, _smtp = make_service(store, eff, online=online)
        service_holder.append(service)
        return service

    m = open_mailbox(5, outbox_factory=factory)
    return m, store, ids


def test_outbox_node_shows_the_outbox_page_and_a_folder_brings_the_list_back(
    qtbot, open_mailbox, tmp_path
):
    services: list[OutboxService] = []
    m, store, ids = make_window_with_outbox(open_mailbox, tmp_path, services)
    opened: list[Draft] = []
    controller = OutboxController(m.window, m.mailboxes, bridge=m.bridge, drafts=DraftStore(tmp_path / "d"),
                                  open_draft=opened.append)
    controller.install()
    folders = m.models.folder_model
    qtbot.waitUntil(lambda: folders.index_for_outbox().isValid(), timeout=10000)
    assert folders.index_for_outbox().data() == "กล่องจดหมายออก (4)"  # waiting, failed, may have been sent, partly sent
    inbox_index = m.window.folder_view.currentIndex()
    m.window.message_view.selectAll()

    m.window.folder_view.selectionModel().setCurrentIndex(
        folders.index_for_outbox(), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert controller.outbox_shown and controller.stack.currentWidget() is controller.view
    assert controller.view.isVisible() and not m.window.message_view.isVisible()
    assert not m.window.message_view.selectionModel().hasSelection()  # Delete cannot reach hidden mail
    assert not m.window.delete_action.isEnabled()
    assert controller.view.model.rowCount() == 4
    assert m.window.main_splitter.widget(1) is controller.stack

    m.window.folder_view.selectionModel().setCurrentIndex(inbox_index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert not controller.outbox_shown and m.window.message_view.isVisible()
    controller.shutdown()


def test_a_message_that_fails_or_may_have_been_sent_is_told_in_the_status_bar(qtbot, open_mailbox, tmp_path):
    services: list[OutboxService] = []
    # The machine policy now blocks free mail: the queued message to gmail fails at its next attempt.
    eff = policy(free_mail="block")
    m, store, ids = make_window_with_outbox(open_mailbox, tmp_path, services, eff)
    controller = OutboxController(m.window, m.mailboxes, bridge=m.bridge, drafts=None, open_draft=lambda d: None)
    controller.install()
    # At start-up (after the crash) the message that may have been sent is told at once.
    qtbot.waitUntil(lambda: "อาจส่งไปแล้ว" in m.window.notice_label.text(), timeout=10000)
    assert m.window.notice_level == "warning"
    assert "ขออนุมัติเดินทางไปราชการ" in m.window.notice_label.text()

    entry = add(store, draft("ส่งถึงอีเมลฟรี", to="friend@gmail.com"))
    with qtbot.waitSignal(services[0].entryChanged, timeout=10000,
                          check_params_cb=lambda eid: state_of(store, eid) is OutboxState.FAILED):
        services[0].set_online(True)  # the real pipeline rechecks the policy before SMTP
    qtbot.waitUntil(lambda: "ส่งถึงอีเมลฟรี" in m.window.notice_label.text(), timeout=10000)
    assert "ส่งไม่สำเร็จ" in m.window.notice_label.text()
    assert state_of(store, entry.entry_id) is OutboxState.FAILED
    controller.shutdown()


def test_a_message_waiting_too_long_is_shown_and_told_with_its_subject(qtbot, thai, page):
    controller, store, service, ids, _drafts, _opened = page
    from govmail_desktop.sync.send import MSG_OVERDUE  # the sender's own notice

    notice = MSG_OVERDUE.format(hours=5, problem="เซิร์ฟเวอร์ไม่ตอบ")
    overdue = store.update(ids["queued"], overdue=notice)
    model = OutboxModel()
    model.set_entries([overdue])
    assert model.index(0, COL_ANSWER).data() == notice.text("th")
    assert "อาจส่งไปแล้ว" in controller.bridge.warnings[0]  # told when the page joined the outbox
    controller.bridge.warnings.clear()
    service.overdue.emit(ids["queued"], notice)  # what the worker tells once per message
    qtbot.waitUntil(lambda: bool(controller.bridge.warnings), timeout=10000)
    assert controller.bridge.warnings == [f"“ขอเชิญประชุมคณะกรรมการ”: {notice.text('th')}"]


def test_a_message_found_unknown_at_start_up_says_why_in_the_list(qtbot, thai, outbox):
    _store, service, ids = outbox
    model = OutboxModel()
    model.set_entries(service.entries())
    row = model.row_of(ids["unknown"])
    assert model.index(row, COL_ANSWER).data().startswith("การเชื่อมต่อขาดขณะที่เซิร์ฟเวอร์กำลังรับจดหมาย")
