"""``govmail-admin inspect FILE.eml [--json]``: a reported message, taken apart for IT security staff.

Exit 0 when nothing was flagged, 1 when something was, 2 when the file is not a message
(empty, binary, no header block) or cannot be read.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from govmail_desktop.admin import cli, inspect
from govmail_desktop.i18n import set_language

DATA = Path(__file__).resolve().parents[2] / "data"
PHISHING = DATA / "inspect" / "phishing.eml"
CLEAN_THAI = DATA / "01-utf8-qp.eml"


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


@pytest.fixture
def policy_file(tmp_path) -> Path:
    """The built-in default policy as a file (internal domains go.th, the default blocked types),
    so that no machine policy of the test host changes the answers."""
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"schema_version": 1}), encoding="utf-8")
    return path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _json(capsys, path: Path | str, policy_file: Path, lang: str = "en") -> tuple[int, dict]:
    code, out, err = _run(capsys, "--lang", lang, "inspect", str(path), "--json", "--policy", str(policy_file))
    assert err == ""
    return code, json.loads(out)


# -- exit 0: a clean Thai message ------------------------------------------------------------------


def test_clean_thai_message_exits_0_with_decoded_header_and_text(capsys, policy_file):
    code, out, err = _run(capsys, "--lang", "th", "inspect", str(CLEAN_THAI), "--policy", str(policy_file))
    assert code == inspect.EXIT_CLEAN == 0, out
    assert err == ""
    # Decoded header (RFC 2047 B subject, Q display name), the text (quoted-printable UTF-8), in Thai.
    assert "ขอเชิญประชุมคณะกรรมการบริหาร" in out
    assert "สมชาย ใจดี <somchai.j@agency.mail.go.th>" in out
    assert "เรียน คุณอลิสา" in out
    assert "ไม่พบสิ่งที่ต้องระวัง" in out
    assert "text/plain" in out and "utf-8" in out
    assert "Nothing" not in out and "Header" not in out  # the labels are Thai


def test_clean_thai_message_in_english(capsys, policy_file):
    code, out, _ = _run(capsys, "--lang", "en", "inspect", str(CLEAN_THAI), "--policy", str(policy_file))
    assert code == 0
    assert "Nothing was flagged." in out and "ไม่พบสิ่งที่ต้องระวัง" not in out
    assert "ขอเชิญประชุมคณะกรรมการบริหาร" in out  # the message itself stays Thai


@pytest.mark.parametrize(
    "name", ["02-utf8-base64.eml", "03-tis620-8bit.eml", "04-windows874-outlook.eml", "05-iso8859-11-base64.eml"]
)
def test_thai_legacy_charsets_are_decoded_and_the_codec_named(capsys, policy_file, name):
    code, report = _json(capsys, DATA / name, policy_file)
    assert code == 0, report["findings"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in report["summary"]["subject"])
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in report["text"]["body"])
    leaves = [n for n in _nodes(report["mime"]) if n["content_type"] == "text/plain"]
    assert leaves and all(n["charset"] for n in leaves)
    if name != "02-utf8-base64.eml":
        assert {n["codec"] for n in leaves} == {"cp874"}


def _nodes(node: dict) -> list[dict]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current["children"])
    return out


# -- exit 1: the phishing sample ----------------------------------------------------------------------


def test_phishing_sample_is_flagged_with_every_finding(capsys, policy_file):
    code, report = _json(capsys, PHISHING, policy_file)
    assert code == inspect.EXIT_FLAGGED == 1
    assert report["exit_code"] == 1 and report["verdict"] == "flagged"
    codes = {(f["category"], f["code"]) for f in report["findings"]}
    # the parser's own sender warning: the display name holds another address
    assert ("sender", "from-name-is-another-address") in codes
    # หนังสือเวียน.pdf.exe: a blocked type pretending to be a PDF
    assert ("attachment", "attachment-double-extension") in codes
    assert ("attachment", "attachment-blocked-type") in codes
    # mime.sender_checks with the policy's internal domains (go.th): go-th.com imitates go.th, an agency's
    # name and saraban address in the display name from outside, replies going to another domain
    assert ("sender", "from-imitates-internal-domain") in codes
    assert ("sender", "from-outside-posing-as-internal") in codes
    assert ("sender", "reply-to-other-domain") in codes
    # the link whose text shows www.cgd.go.th but leads to a bare IP address (mime.links.assess_link)
    assert ("link", "text-names-other-domain") in codes
    link = [entry for entry in report["links"] if entry["kind"] == "text-names-other-domain"]
    assert link and link[0]["destination"] == "http://203.0.113.7/login.php"
    assert "203.0.113.7" in link[0]["warning"]
    # the tracking image the formatted view would block (mime.html_view.render_html)
    assert ("remote", "remote-content") in codes
    assert report["remote_resources"] == ["https://tracker.example.net/open.gif?id=4711"]
    attachment = [f for f in report["findings"] if f["code"] == "attachment-double-extension"][0]
    assert attachment["part"] == "2" and "หนังสือเวียน.pdf.exe" in attachment["text"]


def test_phishing_sample_text_output_lists_the_findings(capsys, policy_file):
    code, out, _ = _run(capsys, "--lang", "en", "inspect", str(PHISHING), "--policy", str(policy_file))
    assert code == 1
    assert "Findings" in out and "หนังสือเวียน.pdf.exe" in out and ".exe" in out
    assert "saraban@go-th.com" in out


def test_phishing_sample_in_thai(capsys, policy_file):
    code, out, _ = _run(capsys, "--lang", "th", "inspect", str(PHISHING), "--policy", str(policy_file))
    assert code == 1
    assert "สิ่งที่ต้องระวัง" in out and "Findings" not in out


def test_each_finding_needs_its_own_trigger(capsys, policy_file, tmp_path):
    """The same message without the tricks is clean: the findings come from the tricks, not the layout."""
    raw = PHISHING.read_bytes()
    sender = b'"=?UTF-8?B?4LiB4Lij4Lih4Lia4Lix4LiN4LiK4Li14LiB4Lil4Liy4LiH?= saraban@cgd.go.th" <saraban@go-th.com>'
    raw = raw.replace(sender, b"Somchai <somchai@agency.go.th>")
    raw = raw.replace(b"Reply-To: verify-account@example.net\n", b"")
    def fix(match):
        html = base64.b64decode(match.group(1)).decode()
        html = html.replace("http://203.0.113.7/login.php", "https://www.cgd.go.th/login")
        html = re.sub(r"<img[^>]*>", "", html)
        return b"\n\n" + base64.encodebytes(html.encode()) + b"--alt_b--"

    raw = re.sub(rb"\n\n([A-Za-z0-9+/=\n]+)--alt_b--", fix, raw)
    raw = raw.replace(b"filename*=UTF-8''%E0%B8%AB%E0%B8%99%E0%B8%B1%E0%B8%87%E0%B8%AA%E0%B8%B7%E0%B8%AD%E0%B9%80"
                      b"%E0%B8%A7%E0%B8%B5%E0%B8%A2%E0%B8%99.pdf.exe", b'filename="circular.pdf"')
    path = tmp_path / "clean.eml"
    path.write_bytes(raw)
    code, report = _json(capsys, path, policy_file)
    assert report["findings"] == [] and code == 0
    assert report["links"] and all(link["kind"] == "ok" for link in report["links"])


def test_bare_ip_link_in_plain_text_is_flagged(capsys, policy_file, tmp_path):
    path = tmp_path / "ip.eml"
    path.write_bytes(b"From: a@agency.go.th\nTo: b@agency.go.th\nSubject: x\n\nplease log in at http://192.0.2.44/owa\n")
    code, report = _json(capsys, path, policy_file)
    assert code == 1
    assert [(f["category"], f["code"]) for f in report["findings"]] == [("link", "bare-ip")]


def test_dangerous_name_of_an_inline_part_is_flagged_too(capsys, policy_file, tmp_path):
    """A program hidden as an inline part of multipart/related (which the preview does not list
    as an attachment) is still named."""
    raw = (
        b"From: a@agency.go.th\nTo: b@agency.go.th\nSubject: x\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/related; boundary="r"\n\n'
        b"--r\nContent-Type: text/plain; charset=utf-8\n\nhello\n"
        b'--r\nContent-Type: image/png; name="logo.png.scr"\nContent-ID: <x@y>\n'
        b"Content-Transfer-Encoding: base64\n\nTVo=\n--r--\n"
    )
    path = tmp_path / "inline.eml"
    path.write_bytes(raw)
    code, report = _json(capsys, path, policy_file)
    assert code == 1
    flagged = [f for f in report["findings"] if f["category"] == "attachment"]
    assert flagged and {f["part"] for f in flagged} == {"2"}


# -- the JSON shape ----------------------------------------------------------------------------------


def test_json_shape(capsys, policy_file):
    code, report = _json(capsys, DATA / "10-forwarded-rfc822.eml", policy_file)
    assert set(report) >= {
        "file", "message", "verdict", "exit_code", "policy", "headers", "summary", "mime", "text",
        "remote_resources", "links", "findings", "truncated",
    }
    assert report["message"] is True and report["exit_code"] == code
    assert report["file"].endswith("10-forwarded-rfc822.eml")
    assert all(set(h) == {"name", "value"} for h in report["headers"])
    assert [h["name"] for h in report["headers"]][:1] == ["From"] or report["headers"]
    assert set(report["summary"]) >= {"subject", "from", "to", "cc", "reply_to", "date", "message_id"}
    assert all(set(a) == {"name", "address"} for a in report["summary"]["from"])
    root = report["mime"]
    assert root["content_type"] == "multipart/mixed" and root["part"] == ""
    forwarded = root["children"][1]
    assert (forwarded["part"], forwarded["content_type"], forwarded["filename"]) == (
        "2", "message/rfc822", "forwarded.eml")
    inner = forwarded["children"][0]
    assert (inner["part"], inner["charset"], inner["codec"]) == ("2.1", "tis-620", "cp874")
    assert all(isinstance(n["size"], int) and n["size"] > 0 for n in _nodes(root))
    assert set(report["text"]) == {"source", "body"}
    for finding in report["findings"]:
        assert set(finding) == {"category", "code", "text", "part"}


# -- exit 2: not a message ------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.parametrize(
    "content, reason",
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b" \r\n\n\t\n", "empty", id="only-blanks"),
        pytest.param(PNG, "binary", id="png"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "binary", id="zip"),
        pytest.param("From: a@b.go.th\nSubject: x\n\nhi\n".encode("utf-16"), "binary", id="utf-16-text"),
        pytest.param(b"From: a@b.go.th\nSubject: x\x00y\n\nhi\n", "binary", id="nul-in-header"),
        pytest.param(b"Subject: a\x1b[2Jb\x07\nFrom: a@b.go.th\n\nhi\n", "binary", id="bell-in-header"),
        pytest.param(b"Hello,\nplease find the report.\n", "no-header", id="plain-text"),
        pytest.param(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "no-header", id="pdf-text-start"),
        pytest.param(b"\nFrom: a@b.go.th\nSubject: x\n\nhi\n", "no-header", id="starts-with-empty-line"),
        pytest.param(b"name: report\nversion: 2\n\nbody\n", "no-header", id="fields-but-none-of-a-message"),
        pytest.param(b'{"From": "a@b.go.th", "Subject": "x"}\n', "no-header", id="json"),
    ],
)
def test_not_a_message_exits_2_with_the_reason(capsys, policy_file, tmp_path, content, reason):
    path = tmp_path / "suspect.eml"
    path.write_bytes(content)
    assert inspect.not_a_message(content) == reason
    code, out, err = _run(capsys, "--lang", "en", "inspect", str(path), "--policy", str(policy_file))
    assert code == inspect.EXIT_NOT_A_MESSAGE == 2
    assert "not an e-mail message" in err and str(path) in err and out == ""
    code, report = _json(capsys, path, policy_file)
    assert code == 2
    assert report == {"file": str(path), "message": False, "reason": reason, "exit_code": 2,
                      "text": report["text"]}
    assert report["text"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"From MAILER-DAEMON Mon Jan 12 09:15:00 2026\nFrom: a@b.go.th\nSubject: x\n\nhi\n",
                     id="mbox-from-line"),
        pytest.param(b"Received: from x by y; Mon, 12 Jan 2026 09:15:00 +0700\n\nhi\n", id="only-received"),
        pytest.param(b"Content-Type: text/plain\r\n\r\nhi\r\n", id="mime-entity-crlf"),
        pytest.param(b"Subject: no body and no empty line", id="header-only"),
        pytest.param(b"X-Spam: yes\nFrom: a@b.go.th\n\nhi\n", id="first-field-unknown"),
        pytest.param("Subject: ภาษาไทย 8 บิต\nFrom: a@b.go.th\n\nhi\n".encode("cp874"), id="raw-8bit-header"),
        pytest.param(b"Subject: =?iso-2022-jp?B?GyRCJEgbKEI=?= \x1b$B$H\x1b(B\nFrom: a@b.go.th\n\nhi\n",
                     id="raw-iso-2022-jp-escapes"),
    ],
)
def test_messages_that_look_odd_are_still_messages(content):
    assert inspect.not_a_message(content) is None


def test_not_a_message_in_thai(capsys, policy_file, tmp_path):
    path = tmp_path / "empty.eml"
    path.write_bytes(b"")
    code, out, err = _run(capsys, "--lang", "th", "inspect", str(path), "--policy", str(policy_file))
    assert code == 2 and "ไม่ใช่จดหมายอิเล็กทรอนิกส์" in err and "ว่างเปล่า" in err


# -- a file that cannot be read ------------------------------------------------------------------------


def test_missing_file_is_said_clearly(capsys, policy_file, tmp_path):
    path = tmp_path / "nowhere.eml"
    code, out, err = _run(capsys, "--lang", "en", "inspect", str(path), "--policy", str(policy_file))
    assert code == 2 and out == ""
    assert str(path) in err and "does not exist" in err and "Traceback" not in err
    code, out, err = _run(capsys, "--lang", "th", "inspect", str(path), "--policy", str(policy_file))
    assert code == 2 and "ไม่มีไฟล์" in err


def test_folder_is_not_a_file(capsys, policy_file, tmp_path):
    code, out, err = _run(capsys, "--lang", "en", "inspect", str(tmp_path), "--policy", str(policy_file))
    assert code == 2 and "cannot be read" in err and str(tmp_path) in err


def test_unreadable_file_names_the_reason(capsys, policy_file, tmp_path, monkeypatch):
    path = tmp_path / "locked.eml"
    path.write_bytes(CLEAN_THAI.read_bytes())

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(inspect, "_open", refuse)
    code, out, err = _run(capsys, "--lang", "en", "inspect", str(path), "--policy", str(policy_file))
    assert code == 2 and "cannot be read" in err and "Permission denied" in err
    code, report = _json(capsys, path, policy_file)
    assert code == 2 and report["reason"] == "unreadable" and report["message"] is False


def test_standard_input(capsys, policy_file, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CLEAN_THAI.read_bytes())))
    code, out, _ = _run(capsys, "--lang", "en", "inspect", "-", "--policy", str(policy_file))
    assert code == 0 and "ขอเชิญประชุมคณะกรรมการบริหาร" in out


def test_broken_policy_file_is_said_and_the_message_still_inspected(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = _run(capsys, "--lang", "en", "inspect", str(CLEAN_THAI), "--policy", str(bad))
    assert code == 0 and "ขอเชิญประชุมคณะกรรมการบริหาร" in out
    assert "policy" in out.lower() and "invalid" in out.lower()


# -- terminal safety --------------------------------------------------------------------------------


def test_control_characters_from_the_message_never_reach_the_terminal(capsys, policy_file, tmp_path):
    path = tmp_path / "escape.eml"
    path.write_bytes(
        b"From: a@agency.go.th\nTo: b@agency.go.th\nSubject: =?utf-8?q?ok=1B=5B2J=E2=80=AEtxt.exe?=\n\n"
        b"text \x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 here\n"
    )
    code, out, _ = _run(capsys, "--lang", "en", "inspect", str(path), "--policy", str(policy_file))
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    code, out, _ = _run(capsys, "--lang", "en", "inspect", str(path), "--json", "--policy", str(policy_file))
    assert "\x1b" not in out and "\u202e" not in out


# -- documentation --------------------------------------------------------------------------------


def _finding_codes() -> set[str]:
    from govmail_desktop.admin import inspect_report
    from govmail_desktop.mime.links import RISKY_KINDS
    from govmail_desktop.mime.preview_warnings import SENDER_WARNINGS, W_ATTACHMENT_NAME
    from govmail_desktop.policy import attachments

    return (
        set(SENDER_WARNINGS) | set(RISKY_KINDS) | {W_ATTACHMENT_NAME, inspect_report.REMOTE_CONTENT,
                                                   inspect_report.TREE_INCOMPLETE}
        | {attachments.ATTACHMENT_BLOCKED_TYPE, attachments.ATTACHMENT_DOUBLE_EXTENSION, attachments.ATTACHMENT_BIDI}
        | set(inspect_report._STRUCTURE_WARNINGS) | set(inspect_report.CATEGORIES)
    )


@pytest.mark.parametrize("half", ["## English", "## ภาษาไทย"])
def test_every_finding_code_is_documented_in_both_languages(half):
    doc = (DATA.parents[1] / "docs" / "admin.md").read_text(encoding="utf-8")
    start = doc.index(half)
    end = doc.find("\n## ", start + 1)
    section = doc[start:end if end >= 0 else None]
    assert "govmail-admin inspect" in section
    missing = sorted(code for code in _finding_codes() if f"`{code}`" not in section)
    assert not missing, f"not documented in {half}: {missing}"
