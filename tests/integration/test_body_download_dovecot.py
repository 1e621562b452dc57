"""The background text download for search on the real Dovecot and the real sync engine: after
it runs, the text of recent messages (of every folder but Junk and Trash) is in the cache under
SEARCH_TEXT_PART and older messages are not; the attachment never comes; a message the user
clicks goes ahead of the batch; the policy's cap and lock win over the user's setting."""

from __future__ import annotations

import email.utils
import threading
import uuid
from datetime import UTC, datetime, timedelta
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from types import SimpleNamespace

import pytest

from govmail_desktop.core.settings import Settings
from govmail_desktop.mime.parse import parse_message
from govmail_desktop.mime.skeleton import SEARCH_TEXT_PART
from govmail_desktop.policy.sources import policy_from_dict
from govmail_desktop.services import body_download as service_download
from govmail_desktop.services.body_download import BodyDownloader
from govmail_desktop.services.mailbox_types import BODY_PART
from govmail_desktop.services.sync_service import DONE, SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from tests.integration.sync_helpers import open_wire, server_state

pytestmark = pytest.mark.integration

USER = "alice"
PROJECT = "โครงการ"
TEXT = "เรียน ผู้อำนวยการ ขอส่งรายงานงบประมาณ ที่ มท 0808.2/ว 1234 ลงวันที่ ๒๕ ต.ค. ๒๕๖๘"


def imap_date(days_ago: float) -> str:
    """An IMAP date-time (APPEND's INTERNALDATE) ``days_ago`` days before now."""
    when = datetime.now(UTC) - timedelta(days=days_ago)
    return when.strftime("%d-%b-%Y %H:%M:%S +0000")


def message(subject: str, *, attachment: bytes | None = None) -> bytes:
    msg = MIMEMultipart("mixed")
    msg["From"] = "สมชาย ใจดี <somchai@agency.go.th>"
    msg["To"] = "alice@localhost"
    msg["Subject"] = subject
    msg["Date"] = email.utils.formatdate()
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@agency.go.th>"
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(f"{TEXT}\n{subject}\n", "plain", "utf-8"))
    alternative.attach(MIMEText(f"<p>{TEXT}</p><p>{subject}</p>", "html", "utf-8"))
    msg.attach(alternative)
    if attachment is not None:
        pdf = MIMEApplication(attachment, "pdf")
        pdf.add_header("Content-Disposition", "attachment", filename="งบประมาณ.pdf")
        msg.attach(pdf)
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def put(wire, folder: str, subject: str, days_ago: float, **kw) -> int:
    uid = wire.append(folder, message(subject, **kw), [], imap_date(days_ago))
    assert uid is not None
    return uid


@pytest.fixture
def mailbox(fresh_dovecot):
    """Recent and old mail in INBOX, Sent, a project folder, Trash and Junk."""
    server = fresh_dovecot()
    wire = open_wire(server, USER)
    try:
        wire.create(PROJECT)
        wire.subscribe(PROJECT)
        uids = {
            "recent_pdf": ("INBOX", put(wire, "INBOX", "ล่าสุด มีไฟล์แนบ", 1, attachment=b"%PDF-1.7\n" + b"\0" * 400_000)),
            "recent": ("INBOX", put(wire, "INBOX", "ล่าสุด", 3)),
            "old": ("INBOX", put(wire, "INBOX", "เก่า", 60)),
            "sent": ("Sent", put(wire, "Sent", "ส่งแล้ว", 2)),
            "project": (PROJECT, put(wire, PROJECT, "โครงการล่าสุด", 10)),
            "project_old": (PROJECT, put(wire, PROJECT, "โครงการเก่า", 45)),
            "trash": ("Trash", put(wire, "Trash", "ลบแล้ว", 1)),
            "junk": ("Junk", put(wire, "Junk", "ขยะ", 1)),
        }
    finally:
        wire.logout()
    return SimpleNamespace(server=server, uids=uids)


@pytest.fixture
def engine(qapp, mailbox, tmp_path):
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    service = SyncService(cache, queue, lambda: open_wire(mailbox.server, USER))
    service.start(initial_sync=False)
    yield SimpleNamespace(service=service, cache=cache, mailbox=mailbox)
    service.stop()
    cache.close()
    queue.close()


def sync_everything(qtbot, service: SyncService) -> None:
    with qtbot.waitSignal(service.operationFinished, timeout=60_000) as finished:
        service.sync_all()
    assert finished.args[1] == DONE, finished.args[2]


def text_of(engine, name: str) -> bytes | None:
    folder, uid = engine.mailbox.uids[name]
    return engine.cache.get_part(engine.cache.folder_id(folder), uid, SEARCH_TEXT_PART)


def run_to_the_end(qtbot, downloader: BodyDownloader) -> None:
    with qtbot.waitSignal(downloader.finished, timeout=60_000):
        downloader.start()


def test_after_the_download_recent_texts_are_cached_and_older_ones_are_not(qtbot, engine):
    sync_everything(qtbot, engine.service)
    seen_before = server_state(engine.mailbox.server, USER, "INBOX")
    downloader = BodyDownloader(engine.service, engine.cache, lambda: 30, pause_ms=0, settle_ms=0)
    run_to_the_end(qtbot, downloader)

    for name in ("recent_pdf", "recent", "sent", "project"):
        kept = text_of(engine, name)
        assert kept is not None, name
        parsed = parse_message(kept, skeleton=True)
        assert "ขอส่งรายงานงบประมาณ ที่ มท 0808.2/ว 1234" in parsed.text, name
    for name in ("old", "project_old", "trash", "junk"):
        assert text_of(engine, name) is None, name
    # The text only: the PDF was left out (listed, not downloaded), and the preview's own part
    # was not written (the preview fetches the message as before).
    with_pdf = text_of(engine, "recent_pdf")
    assert len(with_pdf) < 20_000
    [pdf] = parse_message(with_pdf, skeleton=True).attachments
    assert pdf.filename == "งบประมาณ.pdf" and pdf.downloaded is False
    folder, uid = engine.mailbox.uids["recent_pdf"]
    assert engine.cache.get_part(engine.cache.folder_id(folder), uid, BODY_PART) is None
    # BODY.PEEK: nothing was marked as read on the server.
    assert server_state(engine.mailbox.server, USER, "INBOX") == seen_before

    # Resumable: a second run (as after a restart) finds nothing left to fetch.
    fetched: list[int] = []
    downloader.batch_done.connect(lambda n, _remaining: fetched.append(n))
    run_to_the_end(qtbot, downloader)
    assert sum(fetched) == 0


def test_a_message_the_user_clicks_goes_ahead_of_the_background_batch(qtbot, engine, monkeypatch):
    wire = open_wire(engine.mailbox.server, USER)
    try:
        recent = [put(wire, "INBOX", f"เรื่องที่ {i}", 0.1 + i / 100) for i in range(12)]
    finally:
        wire.logout()
    sync_everything(qtbot, engine.service)
    cache = engine.cache
    inbox = cache.folder_id("INBOX")
    clicked_uid = engine.mailbox.uids["old"][1]  # not in the download: only the click fetches it
    landed: list[tuple[int, str]] = []
    first_text = threading.Event()
    clicked = threading.Event()
    real_put = cache.put_part

    def recording_put(folder_id: int, uid: int, part: str, data: bytes) -> None:
        real_put(folder_id, uid, part, data)
        landed.append((uid, part))
        if part == SEARCH_TEXT_PART and not first_text.is_set():
            first_text.set()
            assert clicked.wait(10), "the test never clicked"  # the batch is mid-way when the user clicks

    monkeypatch.setattr(cache, "put_part", recording_put)
    downloader = BodyDownloader(engine.service, cache, lambda: 30, batch=100, pause_ms=0, settle_ms=0)
    batches: list[int] = []
    downloader.batch_done.connect(lambda n, _remaining: batches.append(n))
    downloader.start()
    qtbot.waitUntil(first_text.is_set, timeout=30_000)
    with qtbot.waitSignal(engine.service.operationFinished, timeout=30_000,
                          check_params_cb=lambda op, *_: op == user_op[0]) as finished:
        user_op = [engine.service.fetch_body("INBOX", clicked_uid)]  # as the preview asks, GUI thread
        clicked.set()
    assert finished.args[1] == DONE
    qtbot.waitUntil(lambda: downloader.state == service_download.IDLE, timeout=60_000)

    texts_before_click = [uid for uid, part in landed[: landed.index((clicked_uid, BODY_PART))]]
    assert texts_before_click == [recent[0]]  # only the message in flight was finished first
    assert batches[0] == 1 and sum(batches) == len(recent) + 4  # then the rest: 12 new + 4 recent
    assert cache.get_part(inbox, clicked_uid, BODY_PART) is not None


@pytest.mark.parametrize(
    ("policy", "setting", "expected"),
    [
        ({"search": {"max_download_days": 0}}, 30, set()),  # the cap turns it off, whatever the user chose
        ({"search": {"max_download_days": 5}}, 365, {"recent_pdf", "recent", "sent"}),  # capped to 5 days
        ({"locked_settings": {"search.download_days": 0}}, None, set()),  # locked off
        ({"search": {"default_download_days": 15}}, None, {"recent_pdf", "recent", "sent", "project"}),
    ],
    ids=["cap-zero", "cap-5-days", "locked-off", "policy-default"],
)
def test_the_policy_key_overrides_the_users_setting(qtbot, engine, policy, setting, expected):
    sync_everything(qtbot, engine.service)
    effective = policy_from_dict(policy)
    assert effective.error is None, effective.problems
    settings = Settings(None, locked=effective.locked_settings(), defaults=effective.setting_defaults())
    if setting is not None:
        settings.set(Settings.search_download_days, setting)
    downloader = service_download.for_account(engine.service, engine.cache, effective, settings,
                                              pause_ms=0, settle_ms=0)
    if expected:
        run_to_the_end(qtbot, downloader)
    else:
        downloader.start()
        assert downloader.state == service_download.IDLE  # nothing queued at all
    cached = {name for name in engine.mailbox.uids if text_of(engine, name) is not None}
    assert cached == expected
