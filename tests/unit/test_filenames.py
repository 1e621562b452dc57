"""File names from received mail made safe to save (core/filenames.py): the hostile-name table.

Every name is saved into a chosen folder; the file must land directly in that folder,
under a name Windows, macOS and Linux all take as an ordinary file, and never over
an existing file.
"""

from __future__ import annotations

import errno
import os
import unicodedata

import pytest

from govmail_desktop.core.filenames import (
    DEVICE_NAMES,
    MAX_NAME_BYTES,
    FolderUnwritable,
    open_unique,
    safe_filename,
    unique_path,
)
from tests.suite_markers import running_as_root

THAI = "หนังสือเวียน"
RLO = "\u202e"

#: (hostile name, what must hold of the safe name) — the acceptance table of issue 12.
HOSTILE = [
    "หนังสือราชการ.pdf",
    "รายงาน" + RLO + "fdp.exe",
    "invoice" + RLO + "gpj.scr",
    "\u2066evil\u2069.pdf",
    "a\u200bb.pdf",
    "../evil.pdf",
    "../../../../home/user/.bashrc",
    "..\\..\\Windows\\System32\\evil.dll",
    "C:\\Windows\\evil.exe",
    "c:evil.exe",
    "\\\\server\\share\\evil.exe",
    "/etc/passwd",
    "/",
    "\\",
    "CON",
    "con",
    "CON.txt",
    "nul.txt",
    "NUL",
    "Com1.pdf",
    "LPT9",
    "aux.tar.gz",
    "prn .txt",
    "COM¹.txt",
    "CONIN$",
    "name\x00.pdf",
    "\x00",
    "bell\x07tab\tnewline\n.pdf",
    "del\x7f.pdf",
    "ก" * 300 + ".pdf",
    THAI * 30 + ".docx",
    "a" * 300 + ".pdf",
    "a" * 300,
    "x." + "e" * 300,
    "report.pdf.",
    "report.pdf   ",
    "report.pdf . . .",
    "...",
    ".",
    "..",
    "",
    "   ",
    ".hidden",
    'what?<is>this:"|*.txt',
    "ไฟล์แนบ/ย่อย.pdf",
    "\ufeffbom.txt",
    "e\u0301.txt",  # decomposed é (NFC makes it one character)
]


def _assert_plain_name(name: str) -> None:
    assert name, "a name is always given"
    assert name not in (".", "..")
    assert "/" not in name and "\\" not in name
    assert ".." not in name
    assert ":" not in name, "no drive letter or stream"
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in name), repr(name)
    assert not name.endswith((".", " ")), repr(name)
    assert not name.startswith((".", " ")), repr(name)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    assert stem not in DEVICE_NAMES, name
    assert not any(ch in name for ch in '<>:"|?*')


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda n: repr(n)[:40])
def test_hostile_names_become_plain_file_names(hostile):
    _assert_plain_name(safe_filename(hostile))


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda n: repr(n)[:40])
def test_a_hostile_name_is_saved_inside_the_chosen_folder_and_overwrites_nothing(tmp_path, hostile):
    folder = tmp_path / "chosen"
    folder.mkdir()
    outside = sorted(p for p in tmp_path.rglob("*") if p != folder)
    existing = folder / safe_filename(hostile)
    existing.write_bytes(b"already here")
    path = unique_path(folder, hostile)
    assert path.parent == folder
    assert path.resolve().parent == folder.resolve()
    assert path.is_file() and path.read_bytes() == b""  # created, empty, reserved for the caller
    assert existing.read_bytes() == b"already here"
    assert path != existing
    assert sorted(p for p in tmp_path.rglob("*") if p.parent != folder and p != folder) == outside
    _assert_plain_name(path.name)


def test_thai_names_are_kept_intact():
    assert safe_filename("หนังสือราชการ ที่ ศธ 0201.pdf") == "หนังสือราชการ ที่ ศธ 0201.pdf"
    assert safe_filename("ตาราง.xlsx") == "ตาราง.xlsx"


def test_bidi_override_is_removed_so_the_real_extension_shows():
    assert safe_filename("รายงาน" + RLO + "fdp.exe") == "รายงานfdp.exe"


def test_path_parts_are_not_folders():
    assert safe_filename("../evil.pdf") == "_evil.pdf"
    assert safe_filename("/etc/passwd") == "_etc_passwd"
    assert safe_filename("C:\\Windows\\evil.exe") == "C__Windows_evil.exe"


def test_device_names_are_renamed_with_or_without_extension():
    assert safe_filename("CON") == "_CON"
    assert safe_filename("nul.txt") == "_nul.txt"
    assert safe_filename("console.txt") == "console.txt"  # only the exact device names
    assert safe_filename("COM10.txt") == "COM10.txt"


def test_trailing_dots_and_spaces_go():
    assert safe_filename("report.pdf. . ") == "report.pdf"


def test_empty_and_dot_only_names_get_the_fallback():
    for name in ("", ".", "..", "...", " . ", "\x00\x01"):
        assert safe_filename(name, fallback="ไฟล์แนบ.bin") == "ไฟล์แนบ.bin"


def test_long_names_are_cut_in_bytes_keeping_the_extension():
    thai = safe_filename("ก" * 300 + ".pdf")
    assert thai.endswith(".pdf") and len(thai.encode()) <= MAX_NAME_BYTES
    assert set(thai[:-4]) == {"ก"}
    latin = safe_filename("a" * 300 + ".pdf")
    assert latin == "a" * (MAX_NAME_BYTES - 4) + ".pdf"


def test_a_cut_never_separates_a_thai_mark_from_its_consonant():
    name = safe_filename("กั" * 200 + ".pdf")  # ก + MAI HAN-AKAT, a combining mark
    stem = name[:-4]
    assert stem and len(stem) % 2 == 0 and stem.endswith("กั")


def test_collisions_are_numbered(tmp_path):
    first = unique_path(tmp_path, "report.pdf")
    second = unique_path(tmp_path, "report.pdf")
    third = unique_path(tmp_path, "report.pdf")
    assert [first.name, second.name, third.name] == ["report.pdf", "report (2).pdf", "report (3).pdf"]
    no_ext = [unique_path(tmp_path, "README").name for _ in range(2)]
    assert no_ext == ["README", "README (2)"]


def test_a_numbered_long_name_stays_within_the_cap(tmp_path):
    long = "ก" * 300 + ".pdf"
    names = [unique_path(tmp_path, long).name for _ in range(3)]
    assert len(set(names)) == 3
    assert all(len(n.encode()) <= MAX_NAME_BYTES and n.endswith(".pdf") for n in names)
    assert names[1].endswith(" (2).pdf")


@pytest.mark.linux_only  # symlinks
def test_a_dangling_symlink_of_that_name_is_not_followed(tmp_path):
    target = tmp_path / "elsewhere.txt"
    folder = tmp_path / "chosen"
    folder.mkdir()
    (folder / "report.pdf").symlink_to(target)
    path, handle = open_unique(folder, "report.pdf")
    with handle:
        handle.write(b"data")
    assert path.name == "report (2).pdf"
    assert not target.exists()


@pytest.mark.linux_only  # permission bits
@pytest.mark.skipif(running_as_root(), reason="permissions are not enforced here")
def test_an_unwritable_folder_is_a_typed_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FolderUnwritable) as caught:
            unique_path(folder, "a.pdf")
        assert "folder" in caught.value.user_text("en").lower()
        assert caught.value.user_text("th") != caught.value.user_text("en")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_a_refused_folder_is_a_typed_error_in_thai_and_english(tmp_path, monkeypatch):
    def refuse(*_args, **_kw):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(FolderUnwritable) as caught:
        unique_path(tmp_path, "a.pdf")
    assert str(tmp_path) in caught.value.user_text("en")
    assert "โฟลเดอร์" in caught.value.user_text("th")


def test_a_file_in_place_of_the_folder_is_a_typed_error(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(FolderUnwritable):
        unique_path(tmp_path / "file", "a.pdf")


def test_a_missing_folder_is_a_typed_error(tmp_path):
    with pytest.raises(FolderUnwritable):
        unique_path(tmp_path / "gone", "a.pdf")


@pytest.mark.linux_only  # symlinks
def test_the_chosen_folder_can_be_reached_through_a_symlink(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    path = unique_path(link, "a.pdf")
    assert path == link / "a.pdf" and (real / "a.pdf").is_file()
