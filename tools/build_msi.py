#!/usr/bin/env python3
r"""Build GovMail Desktop's per-machine MSI with wixl (Debian's msitools) over a bundle directory.

    tools/build_msi.py build/bundle/govmail-desktop -o build/msi/GovMail-Desktop-0.1.0.msi

1. ``files.wxs``: the bundle's file list (tools/wix_files.py), ``govmail.exe`` (or ``govmail``
   in a Linux bundle) with the fixed File id ``MainExe``;
2. ``policy.wxs``: one registry value per policy key (tools/msi_policy.py);
3. ``wixl -a x64`` over packaging/windows/govmail.wxs and the two fragments;
4. ``msibuild`` (msitools) adds what wixl 0.101 has no element for: :func:`post_statements`.

The bundle may have been built elsewhere: the Windows CI job builds it on Windows and this
script packs it on Linux (``--windows``: the bundle must be a Windows one, ``govmail.exe`` and
``govmail-admin.exe``, so a Linux bundle is never shipped by mistake).

The work files go next to the MSI (``<output dir>/wix``). Needs ``wixl`` and ``msibuild`` on PATH
(``apt-get install wixl msitools``; tools/install-system-deps.sh installs them for ``make test``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as tools/build_msi.py
    sys.path.insert(0, str(ROOT))

from govmail_desktop import WINDOWS_APP_USER_MODEL_ID, __version__  # noqa: E402
from tools import msi_policy, wix_files  # noqa: E402

MAIN_SOURCE = ROOT / "packaging" / "windows" / "govmail.wxs"
MAIN_FILE_ID = "MainExe"
#: Where the machine policy file lives on Windows (policy/sources.py windows_policy_path).
PROGRAM_DATA_DIR = "GOVMAILDATA"
POLICY_FILE_NAME = "policy.json"

# The %ProgramData%\GovMail folder's security descriptor (SDDL): owner Administrators, the DACL
# protected (P: nothing inherited from ProgramData, whose default lets Users create files), full
# control for SYSTEM and Administrators, read and execute for Users; the ACEs are inherited by
# files and folders created in it (OI CI), so a policy.json copied there gets the same rights.
# policy/winsec.py's security_problems() accepts exactly this (tests/packaging/test_msi.py).
PROGRAM_DATA_SDDL = "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FRFX;;;BU)"

#: Windows Installer's Component attributes.
PERMANENT = 0x10

#: Type 34 (an EXE in a directory: Source = working directory, Target = command line)
#: + 64 (return ignored) + 1024 (deferred; impersonated: runs as the user who runs msiexec).
REMOVE_USER_DATA_TYPE = 34 + 64 + 1024
#: The app's per-user folders on Windows (platformdirs with appauthor=False: config, data,
#: cache and logs all under %LOCALAPPDATA%\govmail-desktop).
REMOVE_USER_DATA_COMMAND = (
    '"[System64Folder]cmd.exe" /d /c if exist "[LocalAppDataFolder]govmail-desktop\\" '
    'rmdir /s /q "[LocalAppDataFolder]govmail-desktop"'
)
REMOVE_USER_DATA_CONDITION = 'REMOVE~="ALL" AND REMOVEUSERDATA="1" AND NOT UPGRADINGPRODUCTCODE'
#: Between RemoveFiles (3500) and RemoveFolders (3600).
REMOVE_USER_DATA_SEQUENCE = 3510
#: The standard place of MoveFiles (between CreateFolders 3700 and InstallFiles 4000).
MOVE_FILES_SEQUENCE = 3800


class BuildError(Exception):
    """The MSI cannot be built (missing tool, bad bundle, wixl or msibuild failed)."""


@dataclass(frozen=True)
class Table:
    """A table wixl cannot write, created by msibuild (SQL column definitions)."""

    name: str
    columns: str


MSI_LOCK_PERMISSIONS_EX = Table(
    "MsiLockPermissionsEx",
    "`MsiLockPermissionsEx` CHAR(72) NOT NULL, `LockObject` CHAR(72) NOT NULL, `Table` CHAR(32) NOT NULL, "
    "`SDDLText` LONGCHAR NOT NULL, `Condition` CHAR(255) PRIMARY KEY `MsiLockPermissionsEx`",
)
MSI_SHORTCUT_PROPERTY = Table(
    "MsiShortcutProperty",
    "`MsiShortcutProperty` CHAR(72) NOT NULL, `Shortcut_` CHAR(72) NOT NULL, `PropertyKey` LONGCHAR NOT NULL, "
    "`PropVariantValue` LONGCHAR NOT NULL, `Condition` CHAR(255) PRIMARY KEY `MsiShortcutProperty`",
)
MOVE_FILE = Table(
    "MoveFile",
    "`FileKey` CHAR(72) NOT NULL, `Component_` CHAR(72) NOT NULL, `SourceName` CHAR(255), "
    "`DestName` CHAR(255), `SourceFolder` CHAR(72), `DestFolder` CHAR(72) NOT NULL, `Options` SHORT NOT NULL "
    "PRIMARY KEY `FileKey`",
)


def msi_version(version: str) -> str:
    """ProductVersion: the numeric a.b.c at the start of the package version (0.2.0rc1 -> 0.2.0)."""
    match = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if match is None:
        raise BuildError(f"the version {version!r} does not start with a number")
    parts = [int(p or 0) for p in match.groups()]
    if parts[0] > 255 or parts[1] > 255 or parts[2] > 65535:
        raise BuildError(f"the version {version!r} is out of Windows Installer's range (255.255.65535)")
    return ".".join(str(p) for p in parts)


def _q(text: str) -> str:
    """An MSI SQL string literal (msibuild has no escape for a quote: refuse one)."""
    if "'" in text:
        raise BuildError(f"a quote in an MSI SQL value: {text!r}")
    return f"'{text}'"


def _insert(table: str, row: dict[str, str | int]) -> str:
    columns = ", ".join(f"`{c}`" for c in row)
    values = ", ".join(str(v) if isinstance(v, int) else _q(v) for v in row.values())
    return f"INSERT INTO `{table}` ({columns}) VALUES ({values})"


def public_properties(values: list[msi_policy.PolicyValue]) -> list[str]:
    """The properties an admin passes to msiexec (all secure: they reach the elevated part)."""
    return ["POLICYFILE", "REMOVEUSERDATA", *(v.prop for v in values)]


def post_statements(values: list[msi_policy.PolicyValue], existing_secure: str) -> list[str]:
    """msibuild's SQL for what wixl cannot express (applied in this order)."""
    sql: list[str] = []
    # Policy values: each only when its property is set, and kept by uninstall and upgrade.
    for value in values:
        sql.append(f"UPDATE `Component` SET `Condition` = {_q(value.prop)}, "
                   f"`Attributes` = {256 | 4 | PERMANENT} WHERE `Component` = {_q(value.component)}")
    # POLICYFILE=<full path>: copied to %ProgramData%\GovMail\policy.json (MoveFile, Options 0 =
    # copy; an empty SourceName means the SourceFolder property holds the file's full path).
    sql.append(f"UPDATE `Component` SET `Condition` = 'POLICYFILE', `Attributes` = {256 | PERMANENT} "
               "WHERE `Component` = 'PolicyFile'")
    sql.append(f"CREATE TABLE `{MOVE_FILE.name}` ({MOVE_FILE.columns})")
    sql.append(_insert(MOVE_FILE.name, {
        "FileKey": "PolicyFileCopy", "Component_": "PolicyFile", "DestName": POLICY_FILE_NAME,
        "SourceFolder": "POLICYFILE", "DestFolder": PROGRAM_DATA_DIR, "Options": 0,
    }))
    sql.append(_insert("InstallExecuteSequence", {"Action": "MoveFiles", "Sequence": MOVE_FILES_SEQUENCE}))
    # %ProgramData%\GovMail: inheritance off, only SYSTEM and Administrators may write.
    sql.append(f"CREATE TABLE `{MSI_LOCK_PERMISSIONS_EX.name}` ({MSI_LOCK_PERMISSIONS_EX.columns})")
    sql.append(_insert(MSI_LOCK_PERMISSIONS_EX.name, {
        "MsiLockPermissionsEx": "ProgramDataFolderLock", "LockObject": PROGRAM_DATA_DIR,
        "Table": "CreateFolder", "SDDLText": PROGRAM_DATA_SDDL,
    }))
    # The Start-menu shortcut's AppUserModelID, the one the app sets.
    sql.append(f"CREATE TABLE `{MSI_SHORTCUT_PROPERTY.name}` ({MSI_SHORTCUT_PROPERTY.columns})")
    sql.append(_insert(MSI_SHORTCUT_PROPERTY.name, {
        "MsiShortcutProperty": "GovMailShortcutAppId", "Shortcut_": "GovMailShortcut",
        "PropertyKey": "System.AppUserModel.ID", "PropVariantValue": WINDOWS_APP_USER_MODEL_ID,
    }))
    # REMOVEUSERDATA=1 at uninstall (not an upgrade's removal of the old version).
    sql.append(_insert("CustomAction", {
        "Action": "RemoveUserData", "Type": REMOVE_USER_DATA_TYPE, "Source": "System64Folder",
        "Target": REMOVE_USER_DATA_COMMAND,
    }))
    sql.append(_insert("InstallExecuteSequence", {
        "Action": "RemoveUserData", "Condition": REMOVE_USER_DATA_CONDITION,
        "Sequence": REMOVE_USER_DATA_SEQUENCE,
    }))
    secure = [p for p in existing_secure.split(";") if p] + public_properties(values)
    sql.append(f"UPDATE `Property` SET `Value` = {_q(';'.join(secure))} WHERE `Property` = 'SecureCustomProperties'")
    return sql


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"{name} is not installed (Debian: apt-get install wixl msitools)")
    return path


def _run(args: list[str], cwd: Path | None = None) -> str:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    # wixl reports a bad source on stderr and may still exit 0 with no file: check both.
    if proc.returncode != 0:
        said = proc.stderr.strip() or proc.stdout.strip()
        raise BuildError(f"{Path(args[0]).name} failed ({proc.returncode}): {said}")
    return proc.stdout


def export_table(msi: Path, table: str) -> list[dict[str, str]]:
    """The rows of a table as ``msiinfo export`` shows them ([] when the table does not exist)."""
    proc = subprocess.run([_tool("msiinfo"), "export", str(msi), table], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return []
    lines = proc.stdout.split("\r\n") if "\r\n" in proc.stdout else proc.stdout.split("\n")
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=False)) for line in lines[3:] if line]


#: The executables of a Windows bundle (packaging/pyinstaller/govmail.spec on Windows).
WINDOWS_EXECUTABLES = ("govmail.exe", "govmail-admin.exe")


def main_executable(bundle: Path, *, windows: bool = False) -> str:
    """The app's executable in the bundle; ``windows``: refuse anything but a Windows bundle."""
    if windows:
        missing = [name for name in WINDOWS_EXECUTABLES if not (bundle / name).is_file()]
        if missing:
            raise BuildError(f"not a Windows bundle (no {', '.join(missing)}): {bundle}")
    for name in ("govmail.exe", "govmail"):
        if (bundle / name).is_file():
            return name
    raise BuildError(f"no govmail.exe (or govmail) in the bundle {bundle}")


def build(bundle: Path, output: Path, *, version: str = __version__, windows: bool = False) -> Path:
    """Build the MSI at ``output`` from the bundle directory; returns ``output``."""
    if not bundle.is_dir():
        raise BuildError(f"no bundle directory {bundle}")
    main_exe = main_executable(bundle, windows=windows)
    wixl, msibuild = _tool("wixl"), _tool("msibuild")
    bundle = bundle.resolve()
    output = output.resolve()
    work = output.parent / "wix"
    work.mkdir(parents=True, exist_ok=True)
    files_wxs, policy_wxs = work / "files.wxs", work / "policy.wxs"
    try:
        wix_files.write_fragment(bundle, files_wxs, main={main_exe: MAIN_FILE_ID})
    except wix_files.BundleError as exc:
        raise BuildError(str(exc)) from exc
    values = msi_policy.policy_values()
    ET.ElementTree(msi_policy.fragment(values)).write(policy_wxs, encoding="utf-8", xml_declaration=True)
    output.unlink(missing_ok=True)
    _run([wixl, "-a", "x64", "-D", f"Version={msi_version(version)}", "-D", f"{wix_files.SOURCE_VAR}=.",
          "-D", f"AppUserModelId={WINDOWS_APP_USER_MODEL_ID}", "-o", str(output),
          str(MAIN_SOURCE), str(files_wxs), str(policy_wxs)], cwd=bundle)
    if not output.is_file():
        raise BuildError(f"wixl wrote no {output}")
    secure = next((r["Value"] for r in export_table(output, "Property")
                   if r["Property"] == "SecureCustomProperties"), "")
    args = [msibuild, str(output)]
    for statement in post_statements(values, secure):
        args += ["-q", statement]
    _run(args)
    return output


def default_output(version: str = __version__) -> Path:
    """Where ``make msi`` puts the MSI: ``build/msi/GovMail-Desktop-<version>.msi``."""
    return ROOT / "build" / "msi" / f"GovMail-Desktop-{version}.msi"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the PyInstaller onedir bundle (build/bundle/govmail-desktop)")
    parser.add_argument("-o", "--output", type=Path, help="the MSI (default build/msi/GovMail-Desktop-<version>.msi)")
    parser.add_argument("--windows", action="store_true",
                        help="the bundle must be a Windows one (govmail.exe, govmail-admin.exe), e.g. built on Windows")
    args = parser.parse_args(argv)
    output = args.output or default_output()
    try:
        built = build(args.bundle, output, windows=args.windows)
    except BuildError as exc:
        print(f"build_msi: {exc}", file=sys.stderr)
        return 1
    print(built)
    return 0


if __name__ == "__main__":
    sys.exit(main())
