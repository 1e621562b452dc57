"""Every user-visible string has a finished Thai translation that keeps its placeholders.

The sources are scanned with pyside6-lupdate into a temporary .ts (the real
translations/govmail_th.ts is never modified here) and compared with the Thai
catalogue. The checker is also run on a small synthetic module, to show that a
new untranslated string really is reported.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from govmail_desktop.i18n.catalog import parse_ts

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "govmail_desktop"
GOVMAIL_TS = ROOT / "translations" / "govmail_th.ts"
QTBASE_TS = ROOT / "translations" / "qtbase_th.ts"

THAI = re.compile("[\u0e00-\u0e7f]")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%(?:\d+|n|L\d+)")
#: Texts that are deliberately the same in Thai (names, protocol words, formats).
IDENTICAL_ALLOWED = {"IMAP", "SMTP", "GovMail Desktop", "TLS", "STARTTLS", "OK", "%p%"}

Key = tuple[str, str]


def lupdate_tool() -> str:
    candidate = Path(sys.executable).with_name("pyside6-lupdate")
    return str(candidate) if candidate.exists() else (shutil.which("pyside6-lupdate") or "pyside6-lupdate")


def extract(sources: list[Path], ts_out: Path) -> set[Key]:
    """(context, source) of every string lupdate finds in ``sources``."""
    subprocess.run(
        [lupdate_tool(), *map(str, sources), "-no-obsolete", "-locations", "none",
         "-source-language", "en", "-target-language", "th", "-ts", str(ts_out)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    found: set[Key] = set()
    for ctx in ET.parse(ts_out).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            found.add((name, msg.findtext("source") or ""))
    return found


def untranslated(sources: list[Path], ts: Path, tmp_dir: Path) -> list[Key]:
    """Strings in the sources without a finished translation in ``ts``."""
    finished = parse_ts(ts)
    return sorted(k for k in extract(sources, tmp_dir / "scan.ts") if k[1] not in finished.get(k[0], {}))


def placeholder_problems(catalogue: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    for ctx, messages in catalogue.items():
        for source, thai in messages.items():
            want, got = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(thai))
            if want != got:
                problems.append(f"[{ctx}] {source!r}: placeholders {want} but Thai has {got}")
    return problems


def deliberately_identical(source: str, thai: str) -> bool:
    """Allowed to stay English: listed names, or nothing but placeholders and marks."""
    if thai != source:
        return False
    return source in IDENTICAL_ALLOWED or not re.search("[A-Za-z]", PLACEHOLDER.sub("", source))


def not_thai_problems(catalogue: dict[str, dict[str, str]]) -> list[str]:
    return [
        f"[{ctx}] {source!r} -> {thai!r} has no Thai characters"
        for ctx, messages in catalogue.items()
        for source, thai in messages.items()
        if not THAI.search(thai) and not deliberately_identical(source, thai)
    ]


def package_sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


# -- the real catalogue ------------------------------------------------------------
def test_every_string_in_the_sources_has_a_finished_thai_translation(tmp_path):
    missing = untranslated(package_sources(), GOVMAIL_TS, tmp_path)
    assert not missing, "Strings without Thai (fill them with tools/i18n_update.py):\n" + "\n".join(
        f"  [{ctx}] {src!r}" for ctx, src in missing
    )


@pytest.mark.parametrize("ts", [GOVMAIL_TS, QTBASE_TS], ids=lambda p: p.name)
def test_translations_keep_their_placeholders(ts):
    problems = placeholder_problems(parse_ts(ts))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ts", [GOVMAIL_TS, QTBASE_TS], ids=lambda p: p.name)
def test_translations_are_really_thai(ts):
    problems = not_thai_problems(parse_ts(ts))
    assert not problems, "\n".join(problems)


def test_qtbase_catalogue_has_no_unfinished_entries():
    root = ET.parse(QTBASE_TS).getroot()
    unfinished = [
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
        if (tr := msg.find("translation")) is None or tr.get("type") or not (tr.text or "").strip()
    ]
    assert unfinished == []


# -- the checks are real -------------------------------------------------------------
def test_a_new_untranslated_string_is_reported(tmp_path):
    module = tmp_path / "new_feature.py"
    module.write_text(
        "from govmail_desktop.i18n import translate\n"
        "from PySide6.QtWidgets import QWidget\n"
        "class NewPanel(QWidget):\n"
        "    def label(self):\n"
        "        return self.tr('Archive this conversation')\n"
        "HINT = translate('MainWindow', 'A sentence nobody translated yet')\n"
        "TITLE = translate('FolderPane', 'Inbox')\n",
        encoding="utf-8",
    )
    missing = untranslated([module], GOVMAIL_TS, tmp_path)
    assert missing == [
        ("MainWindow", "A sentence nobody translated yet"),
        ("NewPanel", "Archive this conversation"),
    ]  # ...and the translated 'Inbox' is not reported


def test_placeholder_and_script_checks_catch_bad_translations():
    bad = {
        "Net": {
            "The server {host} refused port {port}.": "เซิร์ฟเวอร์ {host} ปฏิเสธพอร์ต",
            "%n message(s)": "%1 ฉบับ",
            "Connecting…": "Connecting…",
        }
    }
    placeholder = placeholder_problems(bad)
    assert len(placeholder) == 2
    assert "{port}" in placeholder[0] and "%n" in placeholder[1]
    assert not_thai_problems(bad) == ["[Net] 'Connecting…' -> 'Connecting…' has no Thai characters"]
    assert not_thai_problems({"X": {"IMAP": "IMAP", "{source}: {problem}": "{source}: {problem}"}}) == []
