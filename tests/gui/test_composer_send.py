"""Recipient policy for each rule through the composer, with the real send pipeline behind it:
the composer's outbox is an OutboxService whose sender talks to a real aiosmtpd submission
server (STARTTLS, AUTH after TLS) delivering to Dovecot. A blocked message never reaches the
server (it saw no MAIL FROM); a warned one leaves only after the confirmation naming it."""

from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtCore import Qt

from govmail_desktop.core.compose import Draft
from govmail_desktop.core.identities import Identity
from govmail_desktop.mime.outgoing import check_before_send
from govmail_desktop.services.compose import ComposeSession
from govmail_desktop.services.outbox_service import OutboxService
from govmail_desktop.store.drafts import DraftStore
from govmail_desktop.store.outbox import OutboxStore
from govmail_desktop.ui.composer.window import ComposerWindow
from tests.gui.composer_helpers import SavingKeeper, active_modal
from tests.integration.outbox_helpers import ScriptedSmtpServer, effective_policy, make_sender

pytestmark = pytest.mark.integration

ALICE = Identity("acct", "alice@localhost", "อลิซ ใจดี")


@pytest.fixture
def send_through(qtbot, tmp_path, dovecot, certs, language_controller):
    """A composer whose Send goes through a real OutboxService to a scripted aiosmtpd server."""
    language_controller.apply("th")
    made: list[tuple[OutboxService, ScriptedSmtpServer]] = []

    def make(**recipients):
        policy = effective_policy(certs.ca_file, **recipients)
        server = ScriptedSmtpServer(dovecot).__enter__()
        outbox_store = OutboxStore(tmp_path / f"outbox{len(made)}")
        outbox = OutboxService("acct", outbox_store, make_sender(outbox_store, policy, dovecot, server.port),
                               recipient_policy=policy.recipient_policy,
                               attachment_rules=policy.attachment_rules, online=True)
        outbox.start()
        made.append((outbox, server))
        drafts = DraftStore(tmp_path / "drafts")
        session = ComposeSession(
            Draft.new("acct", sender=ALICE.from_text), identities=[ALICE],
            recipient_policy=policy.recipient_policy(), attachment_rules=policy.attachment_rules(),
            check=partial(check_before_send, recipient_policy=policy.recipient_policy(),
                          attachment_rules=policy.attachment_rules()),
            drafts=SavingKeeper(drafts), store=drafts, outbox=outbox,
        )
        window = ComposerWindow(session)
        window.show()
        with qtbot.waitActive(window):
            window.activateWindow()
        return window, outbox, server

    yield make
    for outbox, server in made:
        outbox.shutdown()
        server.__exit__()


def write(window, to, subject):
    window.to_field.set_text(to)
    window.to_field.edited.emit()
    window.subject_edit.setText(subject)
    window.subject_edit.textEdited.emit(subject)
    window.body.setPlainText("เรียน ผู้เกี่ยวข้อง\n\nทดสอบการส่งจากหน้าต่างเขียนจดหมาย")


def test_an_internal_recipient_is_sent_without_questions(send_through, qtbot, dovecot):
    window, outbox, server = send_through()
    write(window, "บ็อบ <bob@localhost>", "ภายใน")
    assert window.to_field.edit.property("policyMark") == "ok"
    with qtbot.waitSignal(outbox.submitted, timeout=10000):
        qtbot.keyClick(window.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: server.script.mail_froms == ["alice@localhost"], timeout=20000)


@pytest.mark.parametrize("rules, to, shown", [
    ({"free_mail": "block", "free_mail_domains": ["example.com"]}, "bob@example.com", "bob@example.com"),
    ({"external": "block"}, "bob@example.org", "bob@example.org"),
])
def test_a_blocked_recipient_never_reaches_the_smtp_server(send_through, qtbot, rules, to, shown):
    window, outbox, server = send_through(**rules)
    write(window, to, "ถูกปิดกั้น")
    assert window.to_field.has_blocked() and shown in window.to_field.blocked_label.text()
    refused = []
    outbox.refused.connect(lambda *args: refused.append(args))
    window.send_action.trigger()
    dialog = active_modal(qtbot)
    assert dialog.blocked and shown in dialog.findings.item(0).text()
    dialog.reject()
    qtbot.waitUntil(lambda: dialog.isHidden())
    window.send_action.trigger()  # again: still only the summary
    active_modal(qtbot).reject()
    qtbot.wait(300)
    assert outbox.entries() == [] and refused == []
    assert server.script.mail_froms == []
    assert window.isVisible()
    window.session.close(keep=False)
    window.close()


def test_classified_mail_to_an_external_address_is_blocked(send_through, qtbot):
    from govmail_desktop.core.compose import Secrecy

    window, outbox, server = send_through()
    write(window, "bob@example.org", "ลับ")
    window.secrecy_combo.setCurrentIndex(window.secrecy_combo.findData(Secrecy.CONFIDENTIAL))
    window.secrecy_combo.activated.emit(window.secrecy_combo.currentIndex())
    assert window.to_field.has_blocked()
    window.send_action.trigger()
    dialog = active_modal(qtbot)
    assert dialog.blocked
    dialog.reject()
    qtbot.wait(300)
    assert outbox.entries() == [] and server.script.mail_froms == []
    window.session.close(keep=False)
    window.close()


def test_an_external_recipient_is_sent_only_after_the_confirmation_naming_it(send_through, qtbot, dovecot):
    window, outbox, server = send_through(external="warn")
    write(window, "bob@localhost, bob@example.org", "ภายนอก")
    window.send_action.trigger()
    dialog = active_modal(qtbot)
    assert not dialog.blocked and dialog.confirm_names.text() == "bob@example.org"
    dialog.reject()  # not confirmed: nothing sent
    qtbot.wait(300)
    assert server.script.mail_froms == []
    window.send_action.trigger()
    dialog = active_modal(qtbot)
    dialog.confirm_box.setChecked(True)
    with qtbot.waitSignal(outbox.submitted, timeout=10000):
        dialog.send_button.click()
    qtbot.waitUntil(lambda: server.script.mail_froms == ["alice@localhost"], timeout=20000)
