"""Large messages on the real Dovecot: a skeleton for the preview (BODYSTRUCTURE + header +
text parts), then the attachment on demand in chunks (services/part_fetch.PartFetcher), with
progress in order, cancel between chunks, and a cut connection — nothing half kept."""

from __future__ import annotations

import os
import threading
import uuid
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path
from types import SimpleNamespace

import pytest

from govmail_desktop.core.errors import Cancelled, NetworkError
from govmail_desktop.mime.parse import parse_message, part_bytes
from govmail_desktop.mime.skeleton import SKELETON_PART
from govmail_desktop.services.mailbox_types import BODY_PART
from govmail_desktop.services.part_fetch import PartDownloadFailed, PartFetcher, PartUnavailable, cache_key
from govmail_desktop.services.sync_service import DONE, SyncService
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.op_queue import OfflineOpQueue
from govmail_desktop.sync import part_fetch
from govmail_desktop.sync.part_fetch import SKELETON_THRESHOLD, fetch_skeleton
from tests.integration.sync_helpers import open_wire

pytestmark = pytest.mark.integration

USER = "alice"
THAI_TEXT = "เรียน ผู้อำนวยการ\nขอส่งรายงานผลการดำเนินงานประจำปี ตามเอกสารแนบ\n" * 20
ATTACHMENT_NAME = "รายงานประจำปี ๒๕๖๙.pdf"


def big_message() -> tuple[bytes, bytes]:
    """A ~7 MB message: Thai text (plain + HTML) and a 5 MB PDF with a Thai RFC 2231 name."""
    attachment = b"%PDF-1.7\n" + os.urandom(5 * 1024 * 1024)
    msg = MIMEMultipart("mixed")
    msg["From"] = "สมชาย ใจดี <somchai@agency.go.th>"
    msg["To"] = "alice@localhost"
    msg["Subject"] = "รายงานประจำปี"
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@agency.go.th>"
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(THAI_TEXT, "plain", "utf-8"))
    alternative.attach(MIMEText(f"<p>{THAI_TEXT}</p>", "html", "utf-8"))
    msg.attach(alternative)
    pdf = MIMEApplication(attachment, "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename=("utf-8", "", ATTACHMENT_NAME))
    msg.attach(pdf)
    raw = msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return raw, attachment


@pytest.fixture(scope="module")
def sample() -> tuple[bytes, bytes]:
    return big_message()


@pytest.fixture
def server_with_big_message(fresh_dovecot, sample):
    server = fresh_dovecot()
    raw, attachment = sample
    wire = open_wire(server, USER)
    try:
        uid = wire.append("INBOX", raw)
    finally:
        wire.logout()
    assert uid is not None and len(raw) > SKELETON_THRESHOLD
    return SimpleNamespace(server=server, uid=uid, raw=raw, attachment=attachment)


def test_the_skeleton_has_text_and_attachment_list_without_the_attachment(server_with_big_message):
    big = server_with_big_message
    wire = open_wire(big.server, USER)
    try:
        wire.select("INBOX")
        before = wire.reader.bytes_read
        outline = fetch_skeleton(wire, big.uid)
        fetched = wire.reader.bytes_read - before
    finally:
        wire.logout()
    print(f"\nskeleton: {fetched} bytes read from the server for a {len(big.raw)} byte message; "
          f"skeleton {len(outline)} bytes")
    assert fetched < 100_000 < len(big.raw) // 50
    parsed = parse_message(outline, skeleton=True)
    whole = parse_message(big.raw)
    assert "ขอส่งรายงานผลการดำเนินงานประจำปี" in parsed.text
    assert parsed.text == whole.text and parsed.subject == whole.subject == "รายงานประจำปี"
    [attachment] = parsed.attachments
    [real] = whole.attachments
    assert (attachment.filename, attachment.part, attachment.content_type) == (
        real.filename, real.part, real.content_type)
    assert attachment.filename == ATTACHMENT_NAME
    assert attachment.downloaded is False and real.downloaded is True
    assert abs(attachment.size - len(big.attachment)) < len(big.attachment) // 100
    # The same bytes parsed as an ordinary message (not from the skeleton part): no marker is believed.
    assert parse_message(outline).attachments[0].downloaded is True


@pytest.fixture
def account(qapp, server_with_big_message, tmp_path: Path):
    big = server_with_big_message
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    wires: list = []
    connect_hook: list = []

    def connect():
        if connect_hook:
            return connect_hook[0]()
        wire = open_wire(big.server, USER)
        wires.append(wire)
        return wire

    sync = SyncService(cache, queue, connect)
    sync.start(initial_sync=False)
    fetcher = PartFetcher(sync, cache)
    yield SimpleNamespace(sync=sync, cache=cache, fetcher=fetcher, wires=wires, connect_hook=connect_hook,
                          big=big)
    sync.stop()
    cache.close()
    queue.close()


def _finish(qtbot, sync: SyncService, op_id: int) -> tuple[str, object]:
    with qtbot.waitSignal(sync.operationFinished, timeout=30_000,
                          check_params_cb=lambda op, *_: op == op_id) as finished:
        pass
    return finished.args[1], finished.args[2]


def _preview(qtbot, acct) -> int:
    """Sync INBOX, then ask for the preview body as the mailbox does; returns the folder id."""
    with qtbot.waitSignal(acct.sync.operationFinished, timeout=30_000):
        acct.sync.sync_folder("INBOX")
    folder_id = acct.cache.folder_id("INBOX")
    with qtbot.waitSignal(acct.sync.operationFinished, timeout=30_000) as finished:
        acct.sync.fetch_body("INBOX", acct.big.uid)
    assert finished.args[1] == DONE, finished.args[2]
    return folder_id


def _in_thread(qtbot, call) -> dict:
    """Run ``call`` on a plain thread (PartFetcher.fetch blocks) while the GUI loop turns."""
    result: dict = {}

    def run():
        try:
            result["value"] = call()
        except BaseException as exc:  # handed to the test
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=60_000)
    return result


def test_preview_of_a_large_message_is_a_skeleton_and_the_file_comes_on_demand(qtbot, account):
    folder_id = _preview(qtbot, account)
    uid = account.big.uid
    assert account.cache.get_part(folder_id, uid, BODY_PART) is None
    outline = account.cache.get_part(folder_id, uid, SKELETON_PART)
    assert outline is not None and len(outline) < 100_000
    [attachment] = parse_message(outline, skeleton=True).attachments
    assert not attachment.downloaded

    progress: list[tuple[int, int]] = []
    threads: set[str] = set()

    def on_progress(done: int, total: int) -> None:
        threads.add(threading.current_thread().name)
        progress.append((done, total))

    result = _in_thread(qtbot, lambda: account.fetcher.fetch(folder_id, uid, attachment.part, on_progress=on_progress))
    assert "error" not in result, result.get("error")
    assert result["value"] == account.big.attachment
    assert result["value"] == part_bytes(account.big.raw, attachment.part)  # the parser's own decode agrees
    total = progress[-1][1]
    assert len(progress) >= total // part_fetch.CHUNK >= 5
    assert [d for d, _ in progress] == sorted(d for d, _ in progress) and progress[-1][0] == total
    assert {t for _, t in progress} == {total}
    assert threads == {"sync-connection"}
    assert account.cache.get_part(folder_id, uid, cache_key(attachment.part)) == account.big.attachment
    # Asked again: from the cache, no network.
    again = _in_thread(qtbot, lambda: account.fetcher.fetch(folder_id, uid, attachment.part))
    assert again["value"] == account.big.attachment


def test_cancel_stops_between_chunks_and_keeps_nothing(qtbot, account):
    folder_id = _preview(qtbot, account)
    uid = account.big.uid
    part = parse_message(account.cache.get_part(folder_id, uid, SKELETON_PART), skeleton=True).attachments[0].part
    progress: list[tuple[int, int]] = []
    stop = threading.Event()

    def on_progress(done: int, total: int) -> None:
        progress.append((done, total))
        if len(progress) == 3:
            stop.set()  # the user presses Cancel mid-way

    result = _in_thread(qtbot, lambda: account.fetcher.fetch(
        folder_id, uid, part, on_progress=on_progress, cancelled=stop.is_set))
    assert isinstance(result.get("error"), Cancelled)
    assert len(progress) == 3 and progress[-1][0] < progress[-1][1]
    assert account.cache.get_part(folder_id, uid, cache_key(part)) is None
    # The connection stays usable: the next download on it works.
    done = _in_thread(qtbot, lambda: account.fetcher.fetch(folder_id, uid, part))
    assert done["value"] == account.big.attachment
    assert len(account.wires) == 1


class _CutTransport:
    """The server's connection, cut by the network after ``allow`` more bytes arrived."""

    def __init__(self, inner, allow: int) -> None:
        self.inner = inner
        self.allow = allow

    def send(self, data: bytes) -> None:
        if self.allow <= 0:
            raise ConnectionResetError("connection reset (test)")
        self.inner.send(data)

    def recv(self, max_bytes: int, timeout: float | None) -> bytes:
        if self.allow <= 0:
            raise ConnectionResetError("connection reset (test)")
        data = self.inner.recv(min(max_bytes, self.allow), timeout)
        self.allow -= len(data)
        return data

    def close(self) -> None:
        self.inner.close()


def test_a_connection_cut_mid_download_gives_a_clear_error_and_keeps_nothing(qtbot, account):
    folder_id = _preview(qtbot, account)
    uid = account.big.uid
    part = parse_message(account.cache.get_part(folder_id, uid, SKELETON_PART), skeleton=True).attachments[0].part
    # Each connection from now on is cut after ~1.5 MB; the server then cannot be reached at all.
    made: list = []

    def cut_connection():
        if len(made) >= 2:
            raise NetworkError(detail="connection refused (test)")
        wire = open_wire(account.big.server, USER)
        wire.transport = _CutTransport(wire.transport, 1_500_000)
        wire.reader.transport = wire.transport
        made.append(wire)
        return wire

    account.connect_hook.append(cut_connection)
    account.wires[0].transport = _CutTransport(account.wires[0].transport, 0)  # the idle connection died too
    account.wires[0].reader.transport = account.wires[0].transport
    progress: list[tuple[int, int]] = []
    result = _in_thread(qtbot, lambda: account.fetcher.fetch(
        folder_id, uid, part, on_progress=lambda d, t: progress.append((d, t))))
    error = result.get("error")
    assert isinstance(error, PartDownloadFailed), error
    assert "lost while downloading" in error.message.text("en")
    assert error.message.text("th") != error.message.text("en")
    assert progress and progress[-1][0] < progress[-1][1]
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)  # the second connection went on
    assert len(made) == 2
    assert account.cache.get_part(folder_id, uid, cache_key(part)) is None


FORGED = "a" * 32


def forged_message() -> bytes:
    """A large message from outside carrying marker fields: at the top, on the big file (claiming
    1 byte), on a small file, and inside an attached message that comes whole with the skeleton."""
    from email.mime.message import MIMEMessage

    msg = MIMEMultipart("mixed")
    msg["From"] = "x@evil.example"
    msg["Subject"] = "forged"
    msg["X-GovMail-Skeleton"] = FORGED
    msg.attach(MIMEText("ข้อความ", "plain", "utf-8"))
    big = MIMEApplication(os.urandom(3 * 1024 * 1024), "pdf")
    big.add_header("Content-Disposition", "attachment", filename="big.pdf")
    big["X-GovMail-Left-Out"] = f"{FORGED} octets=1 encoding=base64"
    msg.attach(big)
    small = MIMEApplication(b"small file", "octet-stream")
    small.add_header("Content-Disposition", "attachment", filename="small.bin")
    small["X-GovMail-Left-Out"] = f"{FORGED} octets=99999999 encoding=base64"
    msg.attach(small)
    inner = MIMEMultipart("mixed")
    inner["Subject"] = "inner"
    inner["X-GovMail-Skeleton"] = FORGED
    inner_file = MIMEApplication(b"inner file", "octet-stream")
    inner_file.add_header("Content-Disposition", "attachment", filename="inner.bin")
    inner_file["X-GovMail-Left-Out"] = f"{FORGED} octets=99999999 encoding=base64"
    inner.attach(inner_file)
    attached = MIMEMessage(inner)
    attached.add_header("Content-Disposition", "attachment", filename="inner.eml")
    msg.attach(attached)
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def test_marker_fields_in_a_message_from_outside_are_never_believed(fresh_dovecot):
    server = fresh_dovecot()
    raw = forged_message()
    wire = open_wire(server, USER)
    try:
        uid = wire.append("INBOX", raw)
        wire.select("INBOX")
        outline = fetch_skeleton(wire, uid)
    finally:
        wire.logout()
    assert outline.count(b"X-GovMail-Skeleton: " + FORGED.encode()) == 1  # only inside the attached message
    listed = {a.filename: a for a in parse_message(outline, skeleton=True).attachments}
    assert set(listed) == {"big.pdf", "small.bin", "inner.eml", "inner.bin"}
    assert listed["big.pdf"].downloaded is False and listed["big.pdf"].size > 3_000_000  # the server's size
    assert all(listed[name].downloaded for name in ("small.bin", "inner.eml", "inner.bin"))
    assert listed["small.bin"].size == len(b"small file")
    # The guard proves itself: the forged markers, taken as they came, would hide the files.
    naive = {a.filename: a for a in parse_message(raw, skeleton=True).attachments}
    assert naive["big.pdf"].downloaded is False and naive["big.pdf"].size < 10
    assert naive["small.bin"].downloaded is False


def test_skeleton_and_chunked_download_work_with_zimbras_capabilities(fresh_dovecot, sample):
    """mail.go.th runs Zimbra: only IMAP4rev1 FETCH is used (BODYSTRUCTURE, BODY.PEEK[n.MIME],
    BODY.PEEK[n]<offset.length>), nothing Dovecot-only."""
    from tests.servers.dovecot import zimbra_profile

    server = fresh_dovecot(**zimbra_profile())
    raw, attachment = sample
    wire = open_wire(server, USER)
    try:
        assert not wire.has("MOVE") and not wire.has("SPECIAL-USE") and wire.has("XLIST")
        uid = wire.append("INBOX", raw)
        wire.select("INBOX")
        outline = fetch_skeleton(wire, uid)
        [listed] = parse_message(outline, skeleton=True).attachments
        progress: list[int] = []
        body, encoding = part_fetch.fetch_part(wire, uid, listed.part, on_progress=lambda d, t: progress.append(d))
    finally:
        wire.logout()
    assert part_fetch.decode_body(body, encoding) == attachment
    assert len(progress) > 1 and progress == sorted(progress)


def test_a_message_deleted_elsewhere_gives_a_clear_error(qtbot, account):
    folder_id = _preview(qtbot, account)
    uid = account.big.uid
    part = parse_message(account.cache.get_part(folder_id, uid, SKELETON_PART), skeleton=True).attachments[0].part
    with account.big.server.imap(USER) as client:  # another program deletes it
        client.select_folder("INBOX")
        client.delete_messages([uid])
        client.expunge()
    result = _in_thread(qtbot, lambda: account.fetcher.fetch(folder_id, uid, part))
    error = result.get("error")
    assert isinstance(error, PartUnavailable), error
    assert "no longer on the server" in error.message.text("en")
    assert "ไม่อยู่บนเซิร์ฟเวอร์" in error.message.text("th")
    assert account.cache.get_part(folder_id, uid, cache_key(part)) is None


def test_a_small_file_the_skeleton_holds_comes_without_the_network(qtbot, fresh_dovecot, tmp_path):
    """Small files come with the skeleton (downloaded=True); asked for, they are cut out of it."""
    server = fresh_dovecot()
    msg = MIMEMultipart("mixed")
    msg["Subject"] = "ไฟล์เล็กและไฟล์ใหญ่"
    msg.attach(MIMEText("ข้อความ", "plain", "utf-8"))
    small = MIMEApplication(b"small file \x00\x01", "octet-stream")
    small.add_header("Content-Disposition", "attachment", filename="เล็ก.bin")
    msg.attach(small)
    big = MIMEApplication(os.urandom(3 * 1024 * 1024), "zip")
    big.add_header("Content-Disposition", "attachment", filename="ใหญ่.zip")
    msg.attach(big)
    wire = open_wire(server, USER)
    try:
        uid = wire.append("INBOX", msg.as_bytes())
    finally:
        wire.logout()
    cache = MailCache(tmp_path / "cache.sqlite3")
    queue = OfflineOpQueue(tmp_path / "ops.sqlite3")
    sync = SyncService(cache, queue, lambda: open_wire(server, USER))
    sync.start(initial_sync=False)
    try:
        acct = SimpleNamespace(sync=sync, cache=cache, big=SimpleNamespace(uid=uid))
        folder_id = _preview(qtbot, acct)
        listed = {a.filename: a for a in parse_message(cache.get_part(folder_id, uid, SKELETON_PART),
                                                        skeleton=True).attachments}
        assert listed["เล็ก.bin"].downloaded and not listed["ใหญ่.zip"].downloaded
        sync.stop()  # no connection any more: the small file must come from the skeleton
        fetcher = PartFetcher(sync, cache)
        result = _in_thread(qtbot, lambda: fetcher.fetch(folder_id, uid, listed["เล็ก.bin"].part))
        assert result.get("value") == b"small file \x00\x01", result.get("error")
    finally:
        sync.stop()
        cache.close()
        queue.close()
