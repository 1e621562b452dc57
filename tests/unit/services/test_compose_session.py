"""ComposeSession: recipients marked by the policy, signatures above the quote,
attachments against the limit, the pre-send gate, autosave and closing."""

from __future__ import annotations

from functools import partial

import pytest

from govmail_desktop.core.compose import Draft, DraftAttachment, MessageRef, OriginalKind, Secrecy
from govmail_desktop.core.identities import ComposerProfiles, Identity, Signature
from govmail_desktop.core.settings import Settings
from govmail_desktop.mime.outgoing import check_before_send
from govmail_desktop.policy.sources import default_effective_policy, policy_from_dict
from govmail_desktop.services.compose import (
    ComposeSession,
    Mark,
    SendRefused,
    StillAttaching,
    mark_recipients,
    place_signature,
)
from govmail_desktop.store.drafts import DraftStore
from tests.gui.composer_helpers import SavingKeeper

SENDER = "สมชาย ใจดี <somchai@dwr.mail.go.th>"


def policy(**recipients):
    eff = policy_from_dict({"recipients": recipients, "attachments": {"max_size_mb": 1}})
    assert eff.error is None
    return eff


class RecordingOutbox:
    def __init__(self) -> None:
        self.submitted: list[tuple[Draft, bytes]] = []

    def submit(self, draft, read_attachment) -> None:
        data = b"".join(read_attachment(a) for a in draft.attachments)
        self.submitted.append((draft, data))


@pytest.fixture
def make_session(qtbot, tmp_path):
    store = DraftStore(tmp_path / "drafts")

    def make(draft: Draft | None = None, eff=None, **kwargs) -> tuple[ComposeSession, SavingKeeper, RecordingOutbox]:
        eff = eff or policy()
        keeper, outbox = SavingKeeper(store), RecordingOutbox()
        session = ComposeSession(
            draft or Draft.new("acc1", sender=SENDER),
            recipient_policy=eff.recipient_policy(),
            attachment_rules=eff.attachment_rules(),
            check=partial(check_before_send, recipient_policy=eff.recipient_policy(),
                          attachment_rules=eff.attachment_rules()),
            drafts=keeper, store=store, outbox=outbox, **kwargs,
        )
        return session, keeper, outbox

    make.store = store
    return make


# ------------------------------------------------------------------ marks as you type

def test_each_address_is_marked_by_the_recipient_policy():
    rp = policy(external="warn", free_mail="block").recipient_policy()
    marks = mark_recipients(
        "ก <a@agency.go.th>, b@example.co.th, c@gmail.com, saraban@dwr.mail.go.th", rp
    )
    assert [(m.address, m.mark) for m in marks] == [
        ("a@agency.go.th", Mark.OK),
        ("b@example.co.th", Mark.WARN),
        ("c@gmail.com", Mark.BLOCK),
        ("saraban@dwr.mail.go.th", Mark.OK),
    ]
    assert marks[0].shown == "ก <a@agency.go.th>"
    assert "b@example.co.th" in marks[1].reason
    assert "gmail.com" in marks[2].reason
    assert [m.official for m in marks] == [False, False, False, True]


def test_classified_mail_marks_an_external_address_blocked():
    rp = default_effective_policy().recipient_policy()
    assert mark_recipients("b@example.co.th", rp)[0].mark is Mark.OK
    marked = mark_recipients("b@example.co.th, a@agency.go.th", rp, Secrecy.SECRET)
    assert [m.mark for m in marked] == [Mark.BLOCK, Mark.OK]
    assert marked[0].reason


def test_a_half_typed_last_address_is_not_red_while_typing():
    rp = default_effective_policy().recipient_policy()
    assert [m.address for m in mark_recipients("a@agency.go.th, somch", rp, typing=True)] == ["a@agency.go.th"]
    finished = mark_recipients("a@agency.go.th, somch", rp)
    assert finished[1].mark is Mark.BLOCK  # once the user has moved on, it is an invalid address


# ------------------------------------------------------------------ signatures

SIGNATURE = Signature.new("acc1", name="สมชาย ใจดี", position="นักวิชาการคอมพิวเตอร์",
                          agency="กรมทรัพยากรน้ำ", phone="0 2271 6000", default=True)
QUOTE = "เมื่อ 3 ธ.ค. 2569 เวลา 14:30 น. สมหญิง เขียนว่า:\n> ข้อความเดิม\n"


def test_the_signature_goes_above_the_quote_in_a_reply():
    body = place_signature(QUOTE, SIGNATURE, quoted=True)
    assert body.index("กรมทรัพยากรน้ำ") < body.index("เขียนว่า:")
    assert body.startswith("\n\n-- \nสมชาย ใจดี\n")
    assert "0 2271 6000" in body


def test_the_signature_ends_a_new_message():
    body = place_signature("เรียน ผู้อำนวยการ", SIGNATURE, quoted=False)
    assert body.startswith("เรียน ผู้อำนวยการ\n\n-- \n")


def test_the_identitys_default_signature_is_placed_once_in_a_reply(make_session):
    reply = Draft.new("acc1", sender=SENDER, text=QUOTE, in_reply_to="<x@y>",
                      original=MessageRef("acc1", "INBOX", 1, 5), original_kind=OriginalKind.REPLY)
    other = Signature.new("acc1", name="อื่น", identity="other@dwr.mail.go.th", default=True)
    session, _keeper, _outbox = make_session(reply)
    session.identities = [Identity("acc1", "somchai@dwr.mail.go.th", "สมชาย ใจดี")]
    session.signatures = [other, SIGNATURE]
    session.apply_default_signature()
    text = session.draft.text
    assert text.index("กรมทรัพยากรน้ำ") < text.index("เขียนว่า:")
    assert "อื่น" not in text  # another identity's signature
    assert not session.has_unsaved_changes


def test_signatures_are_kept_per_identity_in_the_settings(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    profiles = ComposerProfiles(settings)
    first = profiles.save_signature(Signature.new("acc1", label="ทางการ", name="สมชาย", default=True))
    profiles.save_signature(Signature.new("acc1", label="สั้น", name="ส.", default=True))
    profiles.save_signature(Signature.new("acc1", label="หน่วยงาน", agency="กอง ก", identity="unit@x.go.th"))
    settings.save()
    again = ComposerProfiles(Settings.load(tmp_path / "settings.json"))
    assert [s.label for s in again.signatures("acc1")] == ["ทางการ", "สั้น", "หน่วยงาน"]
    assert again.default_signature("acc1").label == "สั้น"  # one default per scope
    assert [s.label for s in again.signatures("acc1", "somchai@x.go.th")] == ["ทางการ", "สั้น"]
    assert first.id in {s.id for s in again.signatures("acc1")}


def test_a_damaged_signature_entry_is_dropped_with_a_problem(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    settings.set_section("composer", {"signatures": [{"id": "x", "account_id": "acc1", "name": 5},
                                                     {"id": "y", "account_id": "acc1", "name": "ok"}]})
    profiles = ComposerProfiles(settings)
    assert [s.id for s in profiles.signatures("acc1")] == ["y"]
    assert profiles.problems and "name" in profiles.problems[0]


# ------------------------------------------------------------------ attachments

def test_attachments_are_counted_against_the_policy_limit(make_session):
    session, _keeper, _outbox = make_session()
    assert session.attachment_limit() == 1024 * 1024
    session.attach("หนังสือ.pdf", b"x" * 700_000)
    assert not session.over_limit()
    session.attach("แผนที่.png", b"y" * 400_000)
    assert session.attachment_total() == 1_100_000
    assert session.over_limit()
    session.remove_attachment(session.attachments[1].stored_name)
    assert not session.over_limit()


def test_files_are_copied_in_off_the_gui_thread_and_send_waits_for_them(make_session, qtbot, tmp_path):
    import threading

    session, _keeper, outbox = make_session()
    session.update(to="a@agency.go.th")
    source = tmp_path / "รายงาน.pdf"
    source.write_bytes(b"%PDF" + b"x" * 100_000)
    store = make_session.store
    copied_on: list[threading.Thread] = []
    real = store.add_attachment

    def spy(*args, **kwargs):
        copied_on.append(threading.current_thread())
        return real(*args, **kwargs)

    store.add_attachment = spy
    errors = []
    with qtbot.waitSignal(session.attachmentsChanged):
        session.attach_files([source, tmp_path / "ไม่มี.pdf"], errors.append)
        assert session.copying == 2
        with pytest.raises(StillAttaching):
            session.send()
    qtbot.waitUntil(lambda: session.copying == 0)
    assert copied_on and all(t is not threading.main_thread() for t in copied_on)
    assert [a.filename for a in session.attachments] == ["รายงาน.pdf"]
    assert len(errors) == 1 and "ไม่มี.pdf" in errors[0].user_text("en") + errors[0].detail
    session.send()
    assert outbox.submitted[0][1].startswith(b"%PDF")


def test_a_blocked_attachment_type_is_named_at_once(make_session):
    session, _keeper, _outbox = make_session()
    attachment = session.attach("รายงาน.pdf.exe", b"MZ")
    assert [f.level for f in session.attachment_findings(attachment)] == ["block", "block"]


# ------------------------------------------------------------------ the pre-send gate

def test_a_blocked_message_never_reaches_the_outbox(make_session, qtbot):
    session, _keeper, outbox = make_session(eff=policy(free_mail="block"))
    session.update(to="a@agency.go.th, c@gmail.com", subject="เรื่อง")
    check = session.pre_send_check()
    assert check.blocked and [f.subject for f in check.blocks] == ["c@gmail.com"]
    with qtbot.waitSignal(session.sendRefused), pytest.raises(SendRefused):
        session.send(confirmed=check)  # even "confirmed": blocked stays blocked
    assert outbox.submitted == []


def test_a_warned_message_needs_the_confirmation_of_what_was_warned(make_session, qtbot):
    session, _keeper, outbox = make_session(eff=policy(external="warn"))
    session.update(to="b@example.co.th", subject="เรื่อง")
    check = session.pre_send_check()
    assert check.warned and [f.subject for f in check.warnings] == ["b@example.co.th"]
    with pytest.raises(SendRefused):
        session.send()  # no confirmation
    session.update(cc="d@example.com")  # a new warned address after the confirmation
    with pytest.raises(SendRefused):
        session.send(confirmed=check)
    assert outbox.submitted == []
    session.update(cc="")
    with qtbot.waitSignal(session.submitted):
        session.send(confirmed=check)
    assert [d.to for d, _ in outbox.submitted] == ["b@example.co.th"]


def test_the_outbox_reads_the_attachments_from_the_draft_store(make_session):
    session, _keeper, outbox = make_session()
    session.update(to="a@agency.go.th")
    session.attach("ข้อมูล.csv", b"a,b\n1,2\n")
    session.send()
    assert outbox.submitted[0][1] == b"a,b\n1,2\n"
    # The draft is on disk as it was sent (reopened from there if the outbox refuses it).
    assert make_session.store.load(session.draft.draft_id).to == "a@agency.go.th"


# ------------------------------------------------------------------ autosave and closing

def test_changes_are_autosaved_every_few_seconds(make_session, qtbot):
    session, keeper, _outbox = make_session(autosave_seconds=0.05)
    session.update(subject="ร่าง")
    with qtbot.waitSignal(session.autosaved, timeout=2000):
        pass
    assert make_session.store.load(session.draft.draft_id).subject == "ร่าง"
    count = len(keeper.saved)
    qtbot.wait(200)
    assert len(keeper.saved) == count  # nothing changed: nothing written


def test_closing_keeps_or_discards_the_draft(make_session):
    kept, keeper, _ = make_session()
    kept.update(to="a@agency.go.th", text="ยังไม่เสร็จ")
    kept.close(keep=True)
    assert make_session.store.load(kept.draft.draft_id).text == "ยังไม่เสร็จ"
    assert keeper.to_server and keeper.to_server[-1].text == "ยังไม่เสร็จ"
    dropped, _, _ = make_session()
    dropped.update(text="ทิ้ง")
    dropped.autosave_now()
    dropped.close(keep=False)
    assert not make_session.store.exists(dropped.draft.draft_id)


def test_an_empty_new_message_is_not_saved(make_session):
    session, keeper, _ = make_session()
    session.update(sender=SENDER + " ")
    session.autosave_now()
    assert keeper.saved == []


def test_draft_attachment_reference_survives_the_store(make_session):
    session, _, _ = make_session()
    attachment = session.attach("ก.txt", b"abc")
    assert isinstance(attachment, DraftAttachment)
    assert session.read_attachment(attachment) == b"abc"
