"""Saving and opening received attachments (services/attachments.py): off the GUI thread, never
over an existing file, no partial file on a full disk, read-only copies cleaned, risky types
confirmed or refused as the policy says."""

from __future__ import annotations

import base64
import errno
import os
import re
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from govmail_desktop.core.errors import Cancelled, GovMailError
from govmail_desktop.core.filenames import DiskFull, FolderUnwritable
from govmail_desktop.mime.parse import parse_message
from govmail_desktop.policy.attachments import AttachmentRules
from govmail_desktop.policy.defaults import DEFAULT_BLOCKED_EXTENSIONS
from govmail_desktop.policy.model import AttachmentsSection
from govmail_desktop.services.attachments import (
    AttachmentService,
    AttachmentUnavailable,
    CachedMessageSource,
    ConfirmationNeeded,
    OpenForbidden,
    RawMessageSource,
    assess,
    suggested_name,
)

DATA = Path(__file__).resolve().parents[2] / "data"
PDF_MAIL = (DATA / "08-attachment-pdf.eml").read_bytes()
DANGEROUS = (DATA / "09-dangerous-attachments.eml").read_bytes()
FORWARDED = (DATA / "10-forwarded-rfc822.eml").read_bytes()


def rules(open_blocked: str = "confirm") -> AttachmentRules:
    return AttachmentRules(AttachmentsSection(25, tuple(DEFAULT_BLOCKED_EXTENSIONS), open_blocked))


def pdf_bytes() -> bytes:
    """The PDF of sample 08, decoded here by hand (base64 of the part's lines)."""
    text = PDF_MAIL.decode("ascii")
    body = text.split("filename*=UTF-8''", 1)[1].split("\n\n", 1)[1].split("------=_Part_8008", 1)[0]
    return base64.b64decode(re.sub(r"\s+", "", body))


@pytest.fixture
def service(qtbot, tmp_path):
    svc = AttachmentService(tmp_path / "cache" / "opened-attachments")
    yield svc
    svc.shutdown()


class Outcome:
    def __init__(self) -> None:
        self.value: object = None
        self.error: GovMailError | None = None
        self.done = False

    def ok(self, value: object) -> None:
        self.value, self.done = value, True

    def failed(self, error: GovMailError) -> None:
        self.error, self.done = error, True


def wait(qtbot, outcome: Outcome) -> Outcome:
    qtbot.waitUntil(lambda: outcome.done)
    return outcome


def save(qtbot, service, source, attachment, target, replace_=False) -> Outcome:
    out = Outcome()
    service.save(source, attachment, target, replace=replace_, on_done=out.ok, on_error=out.failed)
    return wait(qtbot, out)


# ---------------------------------------------------------------- bytes


def test_part_bytes_come_from_the_cached_message_through_the_one_decoder():
    parsed = parse_message(PDF_MAIL)
    (pdf,) = parsed.attachments
    data = RawMessageSource(PDF_MAIL).read(pdf, lambda *_: None, lambda: False)
    assert data == pdf_bytes() and data.startswith(b"%PDF-1.4")


class FakeCache:
    def __init__(self, raw: bytes | None, skeleton: bytes | None = None) -> None:
        self.raw = raw
        self.skeleton = skeleton
        self.closed_threads: list[str] = []

    def get_part(self, folder_id, uid, part):
        assert (folder_id, uid) == (7, 42) and part in ("", "SKELETON")
        return self.raw if part == "" else self.skeleton

    def close_thread(self) -> None:
        self.closed_threads.append(threading.current_thread().name)


class FakeFetcher:
    def __init__(self, data: bytes, chunks: int = 4) -> None:
        self.data = data
        self.chunks = chunks
        self.calls: list[tuple[int, int, str]] = []

    def fetch(self, folder_id, uid, part, *, on_progress, cancelled):
        self.calls.append((folder_id, uid, part))
        step = max(1, len(self.data) // self.chunks)
        got = b""
        while len(got) < len(self.data):
            if cancelled():
                raise Cancelled()
            got += self.data[len(got) : len(got) + step]
            on_progress(len(got), len(self.data))
        return got


def test_a_part_not_downloaded_is_fetched_with_progress(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    not_here = replace(pdf)
    object.__setattr__(not_here, "downloaded", False)  # F's marker on a skeleton's part
    fetcher = FakeFetcher(b"%PDF remote bytes" * 100)
    source = CachedMessageSource(FakeCache(b"skeleton"), 7, 42, fetcher)
    seen: list[tuple[int, int]] = []
    service.progress.connect(lambda _task, done, total: seen.append((done, total)))
    out = save(qtbot, service, source, not_here, tmp_path / "x.pdf")
    assert out.error is None and Path(out.value).read_bytes() == fetcher.data
    assert fetcher.calls == [(7, 42, "2")]
    qtbot.waitUntil(lambda: len(seen) >= 4)
    assert seen[-1] == (len(fetcher.data), len(fetcher.data))


def test_a_cached_part_is_read_from_the_cache_on_the_worker(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    cache = FakeCache(PDF_MAIL)
    fetcher = FakeFetcher(b"never")
    out = save(qtbot, service, CachedMessageSource(cache, 7, 42, fetcher), pdf, tmp_path / "x.pdf")
    assert Path(out.value).read_bytes() == pdf_bytes()
    assert fetcher.calls == []
    assert cache.closed_threads == ["attachments"]


def test_a_small_part_of_a_large_message_is_read_from_its_skeleton(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments  # downloaded: its body is in the skeleton
    fetcher = FakeFetcher(b"never")
    cache = FakeCache(None, skeleton=PDF_MAIL)
    out = save(qtbot, service, CachedMessageSource(cache, 7, 42, fetcher), pdf, tmp_path / "x.pdf")
    assert Path(out.value).read_bytes() == pdf_bytes()
    assert fetcher.calls == []


def test_the_accounts_part_fetcher_is_plugged_in():
    from types import SimpleNamespace

    from govmail_desktop.wiring.attachments import mailbox_source

    fetcher = FakeFetcher(b"x")
    account = SimpleNamespace(cache=FakeCache(None), sync=SimpleNamespace(part_fetcher=fetcher))
    source = mailbox_source(account, 7, 42)
    assert isinstance(source, CachedMessageSource) and source.fetcher is fetcher
    assert mailbox_source(SimpleNamespace(cache=FakeCache(None), sync=None), 7, 42).fetcher is None
    assert mailbox_source(account, None, None) is None


def test_a_part_neither_cached_nor_fetchable_is_unavailable(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    out = save(qtbot, service, CachedMessageSource(FakeCache(None), 7, 42), pdf, tmp_path / "x.pdf")
    assert isinstance(out.error, AttachmentUnavailable)
    assert "หนังสือเชิญประชุม.pdf" in out.error.user_text("th")
    assert list(tmp_path.iterdir()) == []


def test_cancel_stops_a_fetch_and_saves_nothing(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    object.__setattr__(pdf, "downloaded", False)
    release = threading.Event()

    class SlowFetcher(FakeFetcher):
        def fetch(self, folder_id, uid, part, *, on_progress, cancelled):
            release.wait(5)
            return super().fetch(folder_id, uid, part, on_progress=on_progress, cancelled=cancelled)

    out = Outcome()
    task = service.save(CachedMessageSource(FakeCache(None), 7, 42, SlowFetcher(b"x" * 1000)), pdf,
                        tmp_path / "x.pdf", replace=False, on_done=out.ok, on_error=out.failed)
    task.cancel()
    release.set()
    wait(qtbot, out)
    assert isinstance(out.error, Cancelled)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- save


def test_save_one_writes_the_decoded_file_inside_the_folder(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    out = save(qtbot, service, RawMessageSource(PDF_MAIL), pdf, tmp_path / suggested_name(pdf))
    assert out.value == tmp_path / "หนังสือเชิญประชุม.pdf"
    assert Path(out.value).read_bytes() == pdf_bytes()


def test_save_one_over_a_file_not_confirmed_keeps_it_and_numbers_the_new_one(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    (tmp_path / "a.pdf").write_bytes(b"mine")
    out = save(qtbot, service, RawMessageSource(PDF_MAIL), pdf, tmp_path / "a.pdf")
    assert out.value == tmp_path / "a (2).pdf"
    assert (tmp_path / "a.pdf").read_bytes() == b"mine"


def test_save_one_replaces_a_file_only_when_the_user_confirmed(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    (tmp_path / "a.pdf").write_bytes(b"mine")
    out = save(qtbot, service, RawMessageSource(PDF_MAIL), pdf, tmp_path / "a.pdf", replace_=True)
    assert out.value == tmp_path / "a.pdf" and (tmp_path / "a.pdf").read_bytes() == pdf_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_a_hostile_name_typed_into_the_dialog_stays_in_the_folder(qtbot, service, tmp_path):
    (pdf,) = parse_message(PDF_MAIL).attachments
    out = save(qtbot, service, RawMessageSource(PDF_MAIL), pdf, tmp_path / "CON")
    assert out.value == tmp_path / "_CON"


def test_save_all_numbers_collisions_and_overwrites_nothing(qtbot, service, tmp_path):
    raw = (
        b"From: a@agency.go.th\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
        b"--b\nContent-Type: text/plain\n\nhi\n"
        b"--b\nContent-Type: application/pdf; name=report.pdf\nContent-Disposition: attachment\n\nfirst\n"
        b"--b\nContent-Type: application/pdf; name=report.pdf\nContent-Disposition: attachment\n\nsecond\n"
        b"--b\nContent-Type: application/pdf; name=\"../report.pdf\"\nContent-Disposition: attachment\n\nthird\n"
        b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment\n\nnoname\n"
        b"--b--\n"
    )
    attachments = parse_message(raw).attachments
    assert len(attachments) == 4
    (tmp_path / "report.pdf").write_bytes(b"mine")
    out = Outcome()
    service.save_all(RawMessageSource(raw), attachments, tmp_path, on_done=out.ok, on_error=out.failed, lang="en")
    result = wait(qtbot, out).value
    assert result.error is None
    assert [p.name for p in result.saved] == ["report (2).pdf", "report (3).pdf", "_report.pdf", "attachment-5.bin"]
    assert all(p.parent == tmp_path for p in result.saved)
    assert [p.read_bytes() for p in result.saved] == [b"first", b"second", b"third", b"noname"]
    assert (tmp_path / "report.pdf").read_bytes() == b"mine"
    assert ("report.pdf", "report (2).pdf") in result.renamed


def test_save_all_of_the_dangerous_sample_keeps_the_real_extensions(qtbot, service, tmp_path):
    attachments = parse_message(DANGEROUS).attachments
    out = Outcome()
    service.save_all(RawMessageSource(DANGEROUS), attachments, tmp_path, on_done=out.ok, on_error=out.failed)
    result = wait(qtbot, out).value
    assert sorted(p.name for p in result.saved) == sorted(["setup.exe", "หนังสือ.pdf.exe", "รายงานfdp.exe"])


# ---------------------------------------------------------------- full disk, unwritable folder


def _enospc(*_args, **_kw):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_says_so_and_leaves_no_partial_file(qtbot, service, tmp_path, monkeypatch):
    (pdf,) = parse_message(PDF_MAIL).attachments
    monkeypatch.setattr(os, "fsync", _enospc)
    out = save(qtbot, service, RawMessageSource(PDF_MAIL), pdf, tmp_path / "a.pdf")
    assert isinstance(out.error, DiskFull)
    assert "space" in out.error.user_text("en") and "หนังสือเชิญประชุม.pdf" not in out.error.user_text("en")
    assert "a.pdf" in out.error.user_text("en")
    assert "พื้นที่" in out.error.user_text("th")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_replacing_keeps_the_old_file(qtbot, service, tmp_path, monkeypatch):
    (pdf,) = parse_message(PDF_MAIL).attachments
    (tmp_path / "a.pdf").write_bytes(b"mine")
    monkeypatch.setattr(os, "fsync", _enospc)
    out = save(qtbot, service, RawMessageSource(PDF_MAIL), pdf, tmp_path / "a.pdf", replace_=True)
    assert isinstance(out.error, DiskFull)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"mine"


def test_save_all_on_a_full_disk_reports_what_was_saved_and_leaves_no_partial_file(
    qtbot, service, tmp_path, monkeypatch
):
    attachments = parse_message(DANGEROUS).attachments
    real_fsync = os.fsync
    calls = []

    def fsync_then_full(fd):
        calls.append(fd)
        if len(calls) > 1:
            _enospc()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_then_full)
    out = Outcome()
    service.save_all(RawMessageSource(DANGEROUS), attachments, tmp_path, on_done=out.ok, on_error=out.failed)
    result = wait(qtbot, out).value
    assert [p.name for p in result.saved] == ["setup.exe"]
    assert isinstance(result.error, DiskFull)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["setup.exe"]


def test_a_read_only_folder_says_so(qtbot, service, tmp_path, monkeypatch):
    (pdf,) = parse_message(PDF_MAIL).attachments
    real_open = os.open

    def read_only(path, flags, *args):
        if Path(path).parent == tmp_path:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    out = save(qtbot, service, RawMessageSource(PDF_MAIL), pdf, tmp_path / "a.pdf")
    assert isinstance(out.error, FolderUnwritable)
    assert str(tmp_path) in out.error.user_text("th") and "โฟลเดอร์" in out.error.user_text("th")


# ---------------------------------------------------------------- open


def open_copy(qtbot, service, raw, attachment, policy, confirmed) -> Outcome:
    out = Outcome()
    service.open_copy(RawMessageSource(raw), attachment, policy, confirmed=confirmed,
                      on_done=out.ok, on_error=out.failed)
    return wait(qtbot, out)


@pytest.mark.linux_only  # permission bits
def test_open_writes_a_read_only_copy_in_a_private_folder_removed_at_exit(qtbot, tmp_path):
    root = tmp_path / "cache" / "opened-attachments"
    svc = AttachmentService(root)
    (pdf,) = parse_message(PDF_MAIL).attachments
    path = Path(open_copy(qtbot, svc, PDF_MAIL, pdf, rules(), confirmed=False).value)
    assert path.read_bytes() == pdf_bytes()
    assert path.name == "หนังสือเชิญประชุม.pdf"
    assert root in path.parents
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IRUSR
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    svc.shutdown()
    assert not path.exists() and list(root.iterdir()) == []


def test_copies_left_by_an_earlier_run_are_removed_at_the_next_start(qtbot, tmp_path):
    root = tmp_path / "opened-attachments"
    (root / "open-old").mkdir(parents=True)
    left = root / "open-old" / "report.pdf"
    left.write_bytes(b"x")
    left.chmod(stat.S_IRUSR)
    svc = AttachmentService(root)
    svc.clean_stale()
    qtbot.waitUntil(lambda: not left.exists())
    assert list(root.iterdir()) == []
    svc.shutdown()


def test_two_opens_of_the_same_name_get_their_own_copies(qtbot, service):
    (pdf,) = parse_message(PDF_MAIL).attachments
    first = open_copy(qtbot, service, PDF_MAIL, pdf, None, confirmed=False).value
    second = open_copy(qtbot, service, PDF_MAIL, pdf, None, confirmed=False).value
    assert first != second and Path(first).name == Path(second).name


def test_dangerous_types_name_why_they_need_a_confirmation():
    setup, double, rlo = parse_message(DANGEROUS).attachments
    for attachment, why in ((setup, ".exe"), (double, ".pdf"), (rlo, "<U+202E>")):
        risk = assess(attachment, rules(), "en")
        assert risk.needs_confirmation and not risk.forbidden
        text = risk.confirmation_text("en")
        assert why in text and "policy" in text
        assert "ไฟล์" in assess(attachment, rules(), "th").confirmation_text("th")
    assert "hidden characters" in assess(rlo, rules(), "en").confirmation_text("en")
    assert "really a .exe" in assess(double, rules(), "en").confirmation_text("en")


def test_a_deceptive_name_of_a_type_the_policy_allows_still_asks():
    raw = (b"From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
           b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
           b"filename=\"invoice.pdf.xyz\"\n\nx\n--b--\n")
    (odd,) = parse_message(raw).attachments
    risk = assess(odd, rules(), "en")
    assert risk.needs_confirmation and "real type" in risk.confirmation_text("en")


def test_a_plain_pdf_needs_no_confirmation():
    (pdf,) = parse_message(PDF_MAIL).attachments
    assert not assess(pdf, rules("forbid")).needs_confirmation


def test_a_risky_file_is_not_opened_without_confirmation(qtbot, service):
    setup = parse_message(DANGEROUS).attachments[0]
    out = open_copy(qtbot, service, DANGEROUS, setup, rules(), confirmed=False)
    assert isinstance(out.error, ConfirmationNeeded)
    assert not service.copies.root.exists() or not any(service.copies.root.rglob("*.exe"))
    confirmed = open_copy(qtbot, service, DANGEROUS, setup, rules(), confirmed=True)
    assert Path(confirmed.value).name == "setup.exe"


def test_forbid_refuses_opening_even_when_confirmed_but_saving_works(qtbot, service, tmp_path):
    for attachment in parse_message(DANGEROUS).attachments:
        assert assess(attachment, rules("forbid")).forbidden
        out = open_copy(qtbot, service, DANGEROUS, attachment, rules("forbid"), confirmed=True)
        assert isinstance(out.error, OpenForbidden)
        assert "นโยบาย" in out.error.user_text("th")
    assert not service.copies.root.exists() or not any(p.is_file() for p in service.copies.root.rglob("*"))
    setup = parse_message(DANGEROUS).attachments[0]
    saved = save(qtbot, service, RawMessageSource(DANGEROUS), setup, tmp_path / "setup.exe")
    assert Path(saved.value).read_bytes().startswith(b"MZ")


def test_an_attached_message_is_read_whole_and_never_risky(qtbot, service):
    (message,) = [a for a in parse_message(FORWARDED).attachments if a.subject is not None]
    assert not assess(message, rules("forbid")).needs_confirmation
    out = Outcome()
    service.read(RawMessageSource(FORWARDED), message, out.ok, out.failed)
    inner = parse_message(wait(qtbot, out).value)
    assert inner.subject == message.subject
    assert suggested_name(message) == "forwarded.eml"


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200d", "\u200c", "\x01", "\u180e"])
def test_a_blocked_type_hidden_by_a_character_the_saved_name_drops_still_asks(hidden):
    """The check judges the name the file is written under, not only the name as sent:
    "invoice.ex<SOFT HYPHEN>e" is written as invoice.exe."""
    raw = (b"From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
           b"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''invoice.ex"
           + "".join(f"%{b:02X}" for b in hidden.encode()).encode() + b"e\n\nx\n--b--\n")
    (attachment,) = parse_message(raw).attachments
    assert suggested_name(attachment) == "invoice.exe"
    risk = assess(attachment, rules(), "en")
    assert risk.needs_confirmation and ".exe" in risk.confirmation_text("en")
    assert assess(attachment, rules("forbid")).forbidden


def test_save_all_of_hostile_names_writes_every_file_inside_the_folder(qtbot, service, tmp_path):
    from urllib.parse import quote

    from tests.unit.test_filenames import HOSTILE

    parts = b"".join(
        b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename*=UTF-8''"
        + quote(name, safe="").encode() + b"\n\n" + f"file {i}".encode() + b"\n"
        for i, name in enumerate(HOSTILE)
    )
    raw = b"From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" + parts + b"--b--\n"
    attachments = parse_message(raw).attachments
    assert len(attachments) == len(HOSTILE)
    folder = tmp_path / "chosen"
    folder.mkdir()
    (folder / "CON").mkdir()  # a folder in the way is not written into
    out = Outcome()
    service.save_all(RawMessageSource(raw), attachments, folder, on_done=out.ok, on_error=out.failed)
    result = wait(qtbot, out).value
    assert result.error is None and len(result.saved) == len(HOSTILE)
    assert all(p.parent == folder and p.resolve().parent == folder.resolve() for p in result.saved)
    assert sorted(p.read_bytes() for p in result.saved) == sorted(f"file {i}".encode() for i in range(len(HOSTILE)))
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == set(result.saved)
