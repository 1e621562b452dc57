"""Edit and send again of a partly delivered message: the recipients that have it are left
out of the new draft (To, Cc and Bcc), the others kept as typed (Thai names too)."""

from __future__ import annotations

from govmail_desktop.core.compose import Draft
from govmail_desktop.mime.addresses import parse_addresses
from govmail_desktop.services.outbox_edit import leave_out_recipients, restore_draft
from govmail_desktop.store.drafts import DraftStore


def _draft(**fields) -> Draft:
    return Draft.new("acct", sender="อลิสา <alice@agency.go.th>", subject="แจ้งเวียน", **fields)


def _emails(text: str) -> list[str]:
    return [a.email for a in parse_addresses([text]).addresses] if text.strip() else []


def test_delivered_recipients_are_left_out_of_every_field_and_the_rest_kept():
    draft = _draft(to="สมชาย ใจดี <Somchai@DWR.go.th>, \"กอง, คลัง\" <klang@dwr.go.th>",
                   cc="lek@dwr.go.th", bcc="boss@สำนักงาน.ไทย, noi@dwr.go.th")
    # the envelope names them in lower case / the domain as IDNA
    delivered = ("somchai@dwr.go.th", "lek@dwr.go.th", "boss@xn--12cm6cc5fxbfe1v.xn--o3cw4h")
    new = leave_out_recipients(draft, delivered)
    assert _emails(new.to) == ["klang@dwr.go.th"]
    assert parse_addresses([new.to]).addresses[0].name == "กอง, คลัง"  # quoted back, parsed the same
    assert new.cc == "" and _emails(new.bcc) == ["noi@dwr.go.th"]
    assert (new.subject, new.text, new.sender) == (draft.subject, draft.text, draft.sender)
    assert leave_out_recipients(draft, ()) is draft


def test_restore_draft_leaves_out_the_delivered_and_keeps_the_draft_durably(tmp_path):
    store = DraftStore(tmp_path / "drafts")
    draft = _draft(to="a@dwr.go.th, gone@dwr.go.th")
    restored = restore_draft(draft, lambda att: b"", store, leave_out=("a@dwr.go.th",))
    assert restored.to == "gone@dwr.go.th" and restored.draft_id != draft.draft_id
    assert store.load(restored.draft_id) == restored
