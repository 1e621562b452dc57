"""Attachment names with NTFS stream syntax (issue 15 item 3).

NTFS reads ``name:stream`` as a stream of the file ``name``: ``invoice.exe::$DATA`` *is*
``invoice.exe`` (the default stream), and ``report.pdf:evil.exe`` is a hidden stream
``evil.exe`` of ``report.pdf``. So a name is judged by its part before the first colon (of
its last path component; the colon may be written full width, U+FF1A, or small, U+FE55, and
hidden characters may stand around it) — and also whole, its colons replaced, because that
is the name it is saved under here (a saved name never holds a colon, so saving never
creates an alternate data stream) and may be saved under by another program: the stricter
verdict wins. Only a trailing ``::$DATA`` is dropped when saving (it names the file itself);
any other colon becomes "_", so "ประชุม 10:30.pdf" from a Mac keeps its ".pdf". Before,
``invoice.exe::$DATA`` was judged an unknown ``.exe::$data`` type (not blocked).
"""

from __future__ import annotations

import pytest

from govmail_desktop.core.filenames import safe_filename, without_stream_suffix
from govmail_desktop.mime.parse import Attachment, deceptive_name
from govmail_desktop.policy.attachments import (
    ATTACHMENT_BLOCKED_TYPE,
    ATTACHMENT_DOUBLE_EXTENSION,
    AttachmentRules,
    real_extension,
)
from govmail_desktop.policy.defaults import DEFAULT_BLOCKED_EXTENSIONS
from govmail_desktop.policy.model import AttachmentsSection

RULES = AttachmentRules(AttachmentsSection(25, tuple(DEFAULT_BLOCKED_EXTENSIONS)))

FW = "\uff1a"  # FULLWIDTH COLON
SMALL = "\ufe55"  # SMALL COLON
ZWSP, WJ, RLO, SHY, BOM = "\u200b", "\u2060", "\u202e", "\u00ad", "\ufeff"

#: (name as sent, extension NTFS acts on, blocked by the default policy, name saved)
CASES = [
    ("invoice.exe::$DATA", ".exe", True, "invoice.exe"),
    ("invoice.exe:$DATA", ".exe", True, "invoice.exe_$DATA"),
    ("a.exe:Zone.Identifier", ".exe", True, "a.exe_Zone.Identifier"),
    ("a.exe:Zone.Identifier:$DATA", ".exe", True, "a.exe_Zone.Identifier_$DATA"),
    # judged .pdf by NTFS, but saved whole it would be an .exe: blocked
    ("report.pdf:evil.exe", ".pdf", True, "report.pdf_evil.exe"),
    ("report.pdf::$DATA", ".pdf", False, "report.pdf"),
    ("ใบแจ้งหนี้.exe::$DATA", ".exe", True, "ใบแจ้งหนี้.exe"),
    ("หนังสือราชการ.pdf:ไวรัส.exe", ".pdf", True, "หนังสือราชการ.pdf_ไวรัส.exe"),
    ("คำสั่ง.scr:รายงาน.pdf", ".scr", True, "คำสั่ง.scr_รายงาน.pdf"),
    # full-width and small colons: NTFS does not split there, but the name is judged as it
    # reads (NFKC) and saved with them replaced, so the two never disagree
    (f"invoice.exe{FW}{FW}$DATA", ".exe", True, "invoice.exe"),
    (f"report.pdf{FW}evil.exe", ".pdf", True, "report.pdf_evil.exe"),
    (f"ใบแจ้งหนี้.js{SMALL}x.pdf", ".js", True, "ใบแจ้งหนี้.js_x.pdf"),
    # hidden characters around the colon are not part of the name
    (f"invoice.exe{ZWSP}::$DATA", ".exe", True, "invoice.exe"),
    (f"invoice.exe:{ZWSP}:$DATA", ".exe", True, "invoice.exe"),
    (f"invoice.exe{WJ}{FW}{BOM}$DATA", ".exe", True, "invoice.exe_$DATA"),
    (f"report.pdf{RLO}:exe.live", ".pdf", False, "report.pdf_exe.live"),
    (f"invoice.e{SHY}xe:{SHY}$DATA", ".exe", True, "invoice.exe_$DATA"),
    # what Windows drops before the colon: trailing dots and spaces
    ("invoice.exe. :$DATA", ".exe", True, "invoice.exe. _$DATA"),
    # the colon of a folder part is not a stream: the last component is the file
    ("C:\\Users\\somchai\\invoice.exe::$DATA", ".exe", True, "C__Users_somchai_invoice.exe"),
    ("c:evil.exe", "", True, "c_evil.exe"),
    # nothing before the colon: no type there, but the whole name is judged too
    (":evil.exe", "", True, "_evil.exe"),
    ("::$DATA", "", False, "attachment"),
    # a colon in an ordinary name (a time, sent from a Mac) keeps the name's type
    ("ประชุม 10:30.pdf", "", False, "ประชุม 10_30.pdf"),
    # no colon: as before
    ("รายงาน ๑.pdf", ".pdf", False, "รายงาน ๑.pdf"),
    ("setup.exe", ".exe", True, "setup.exe"),
]


@pytest.mark.parametrize(("name", "extension", "blocked", "saved"), CASES)
def test_a_stream_name_is_judged_both_ways_and_saved_without_a_colon(name, extension, blocked, saved):
    assert real_extension(name) == extension
    assert RULES.is_blocked_type(name) is blocked
    codes = {finding.code for finding in RULES.check_name(name)}
    assert (ATTACHMENT_BLOCKED_TYPE in codes) is blocked
    written = safe_filename(name)
    assert written == saved
    assert ":" not in written and FW not in written and SMALL not in written
    # the name written is never of a type the rules would have blocked
    assert RULES.is_blocked_type(written) <= blocked


@pytest.mark.parametrize(("name", "cut"), [
    ("invoice.exe::$DATA", "invoice.exe"),
    ("a/b:c/d.pdf:x", "a/b:c/d.pdf"),
    ("a\\b:c\\d.pdf:x", "a\\b:c\\d.pdf"),
    (f"a{FW}b", "a"),
    ("plain.pdf", "plain.pdf"),
])
def test_without_stream_suffix_cuts_the_last_component_only(name, cut):
    assert without_stream_suffix(name) == cut


def test_a_double_extension_before_the_stream_is_still_found():
    codes = {f.code for f in RULES.check_name("หนังสือ.pdf.exe::$DATA")}
    assert {ATTACHMENT_DOUBLE_EXTENSION, ATTACHMENT_BLOCKED_TYPE} <= codes
    text = " ".join(f.text("en") for f in RULES.check_name("หนังสือ.pdf.exe::$DATA"))
    assert "really a .exe" in text


@pytest.mark.parametrize("name", ["report.pdf:evil.exe", f"report.pdf{FW}evil.exe", "a.exe:Zone.Identifier"])
def test_a_stream_name_is_flagged_as_hiding_its_type(name):
    """The preview warns (and opening asks) for a name whose stream syntax gives it another
    type than it shows at its end."""
    assert deceptive_name(name)


@pytest.mark.parametrize("name", ["รายงาน ๑.pdf", "scan 2024.pdf", "ประชุม 10:30.pdf", "photo.jpg::$DATA"])
def test_ordinary_names_are_not_flagged(name):
    assert not deceptive_name(name)


def test_saving_a_stream_name_creates_no_stream(tmp_path):
    from govmail_desktop.services.attachments import save_bytes

    for name, _extension, _blocked, saved in CASES:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        path = save_bytes(b"data", folder / name, replace=False)  # as typed into the save dialog
        assert [p.name for p in folder.iterdir()] == [path.name] == [saved]
        assert ":" not in path.name
        assert path.read_bytes() == b"data"


def test_opening_a_stream_name_asks_first():
    from govmail_desktop.mime.parse import parse_message
    from govmail_desktop.services.attachments import assess, suggested_name

    raw = (b"From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
           b"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; "
           b"filename*=UTF-8''%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99.pdf%3Aevil.exe\n\nx\n"
           b"--b\nContent-Type: application/pdf\nContent-Disposition: attachment; "
           b"filename=\"invoice.exe::$DATA\"\n\nx\n"
           b"--b--\n")
    report, invoice = parse_message(raw).attachments
    assert report.filename == "รายงาน.pdf:evil.exe" and report.suspicious_name
    assert suggested_name(report) == "รายงาน.pdf_evil.exe"
    assert assess(report, RULES, "en").needs_confirmation  # blocked whole, and hides its type
    assert suggested_name(invoice) == "invoice.exe"
    risk = assess(invoice, RULES, "en")
    assert risk.needs_confirmation and ".exe" in risk.confirmation_text("en")


# --- names the app makes from a subject keep their extension --------------------------------


@pytest.mark.parametrize("subject", ["Re: ขอเชิญประชุม", "Fwd: ประชุม 10:30 น.", f"ประชุม 10{FW}30"])
def test_a_file_named_from_a_subject_keeps_its_extension(subject):
    """A colon in a subject ("Re:", a time) is not a stream: "Save as .eml" and an attached
    message's proposed name replace it, as before, and keep ".eml"."""
    from govmail_desktop.services.attachments import suggested_name
    from govmail_desktop.services.message_export import eml_name

    name = eml_name(subject, ".eml")
    assert name.endswith(".eml") and ":" not in name and FW not in name
    assert "ประชุม" in name
    message = Attachment("", "message/rfc822", 10, "2", subject=subject)
    proposed = suggested_name(message)
    assert proposed.endswith(".eml") and "ประชุม" in proposed and ":" not in proposed


def test_a_forwarded_messages_name_has_no_colon():
    from govmail_desktop.mime.reply import _file_stem

    assert _file_stem(f"ประชุม 10{FW}30") == "ประชุม 10 30"
