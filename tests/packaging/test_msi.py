r"""The Windows MSI built with wixl, read back with msiinfo (issue 14, item 3).

The module builds the MSI once (tools/build_msi.py: wixl, then msibuild) over a SMALL synthetic
bundle in a temporary folder, so these checks run in ``make test`` in seconds. One test, marked
``packaging`` (``make test-msi``), builds it over the real bundle (build/bundle/govmail-desktop).

What is checked: the file list (every bundle file under ``[ProgramFiles64Folder]GovMail Desktop``,
stable component GUIDs), the Property table (ALLUSERS, the public properties), the policy
Registry rows (each under ``SOFTWARE\Policies\GovMail`` with its condition, read back through
policy/registry.py and compared with the ADMX — a guard that proves itself with planted rows),
the ``%ProgramData%\GovMail`` lock (MsiLockPermissionsEx, judged by policy/winsec.py), the
Start-menu shortcut and its AppUserModelID (MsiShortcutProperty), mailto registration, the
Upgrade table and sequence, POLICYFILE's copy and REMOVEUSERDATA.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path, PureWindowsPath

import pytest

import govmail_desktop
from govmail_desktop.policy import registry, sources, templates, winsec
from tools import build_msi, msi_policy, wix_files

# wixl, msibuild and msiinfo are Debian's msitools: the Windows workflow runs this module in its
# Debian 12 "msi" job, over the bundle its Windows job built.
pytestmark = pytest.mark.linux_only

ROOT = Path(__file__).resolve().parents[2]
REAL_BUNDLE = ROOT / "build" / "bundle" / "govmail-desktop"
UPGRADE_CODE = "{8E6C9A52-3D1F-4B7A-9C2E-5F0A7D4B6E31}"
HKLM = "2"  # the Registry table's Root for HKEY_LOCAL_MACHINE
POLICY_KEY = registry.REGISTRY_ROOT.removeprefix("HKLM\\")
ADMX = ROOT / templates.ADMX_PATH

#: A small bundle: what PyInstaller's onedir looks like, with a space in a name.
SMALL_BUNDLE = {
    "govmail.exe": b"MZ main",
    "govmail-admin.exe": b"MZ admin",
    "_internal/base_library.zip": b"PK",
    "_internal/PySide6/Qt6Core.dll": b"MZ qt",
    "_internal/govmail_desktop/resources/icons/mail compose.svg": b"<svg/>",
}


def make_tree(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def table(msi: Path, name: str) -> list[dict[str, str]]:
    return build_msi.export_table(msi, name)


@pytest.fixture(scope="module")
def small_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tree(tmp_path_factory.mktemp("bundle") / "govmail-desktop", SMALL_BUNDLE)


@pytest.fixture(scope="module")
def msi(small_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_msi.build(small_bundle, tmp_path_factory.mktemp("msi") / "GovMail-Desktop-test.msi")


def registry_rows(msi: Path) -> list[dict[str, str]]:
    return table(msi, "Registry")


def policy_rows(msi: Path) -> list[dict[str, str]]:
    return [r for r in registry_rows(msi)
            if r["Key"] == POLICY_KEY or r["Key"].startswith(POLICY_KEY + "\\")]


def components(msi: Path) -> dict[str, dict[str, str]]:
    return {r["Component"]: r for r in table(msi, "Component")}


def properties(msi: Path) -> dict[str, str]:
    return {r["Property"]: r["Value"] for r in table(msi, "Property")}


# -- the MSI and its file list ----------------------------------------------------------


def test_msi_builds_with_every_table_the_installer_needs(msi: Path) -> None:
    out = subprocess.run(["msiinfo", "tables", str(msi)], capture_output=True, text=True, check=True).stdout
    tables = set(out.split())
    for name in ("File", "Component", "Directory", "Registry", "Property", "Shortcut", "Upgrade",
                 "CreateFolder", "MsiLockPermissionsEx", "MsiShortcutProperty", "MoveFile", "CustomAction"):
        assert name in tables, name
    summary = subprocess.run(["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, check=True).stdout
    assert "Template: x64;1033" in summary  # a 64-bit package
    assert re.search(r"Version: 500\b", summary)  # Windows Installer 5: MsiLockPermissionsEx, MsiShortcutProperty


def test_every_bundle_file_is_installed_under_program_files(msi: Path) -> None:
    dirs = {r["Directory"]: r for r in table(msi, "Directory")}
    assert dirs["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert dirs["INSTALLDIR"]["DefaultDir"] == "GovMail Desktop"
    comps = components(msi)

    def where(directory: str) -> str:
        parts = []
        while directory != "INSTALLDIR":
            parts.append(dirs[directory]["DefaultDir"])
            directory = dirs[directory]["Directory_Parent"]
        return "/".join(reversed(parts))

    installed = set()
    for row in table(msi, "File"):
        comp = comps[row["Component_"]]
        assert comp["KeyPath"] == row["File"]
        assert int(comp["Attributes"]) & 256, "64-bit component"
        folder = where(comp["Directory_"])
        installed.add(f"{folder}/{row['FileName']}" if folder else row["FileName"])
    assert installed == set(SMALL_BUNDLE)
    main = next(r for r in table(msi, "File") if r["File"] == build_msi.MAIN_FILE_ID)
    assert main["FileName"] == "govmail.exe"


def extracted(msi: Path, into: Path) -> dict[str, bytes]:
    """What the MSI installs under Program Files, as msiextract unpacks it: path -> bytes."""
    subprocess.run(["msiextract", "-C", str(into), str(msi)], capture_output=True, check=True)
    top = into / "GovMail Desktop"
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in top.rglob("*") if p.is_file()}


def test_the_msi_carries_the_bundle_files_byte_for_byte(msi: Path, tmp_path: Path) -> None:
    assert extracted(msi, tmp_path) == SMALL_BUNDLE


def test_component_guids_come_from_the_path_and_stay_the_same(small_bundle: Path, tmp_path: Path) -> None:
    def guids(root: Path) -> dict[str, str]:
        wix = wix_files.fragment(root)
        return {f.get("Name", ""): c.get("Guid", "") for c in wix.iter("Component") for f in c.iter("File")}

    first = guids(small_bundle)
    assert first == guids(small_bundle)
    # Another bundle with the same file at the same place: the same component GUID (an upgrade
    # replaces it in place); the GUID is the uuid5 of the Windows path.
    other = make_tree(tmp_path / "other", {"govmail.exe": b"new build", "_internal/new.dll": b"x"})
    assert guids(other)["govmail.exe"] == first["govmail.exe"]
    expected = uuid.uuid5(wix_files.GUID_NAMESPACE, "file:_internal\\pyside6\\qt6core.dll")
    assert first["Qt6Core.dll"] == "{" + str(expected).upper() + "}"
    assert len(set(first.values())) == len(first)


@pytest.mark.parametrize(
    ("files", "link", "message"),
    [
        ({}, None, "empty"),
        ({"govmail.exe": b"1", "GOVMAIL.EXE": b"2"}, None, "differ only in case"),
        ({"govmail.exe": b"1", "ไทย.txt": b"2"}, None, "code page"),
        ({"govmail.exe": b"1"}, ("outside.so", "/etc/hostname"), "outside the bundle"),
        ({"govmail.exe": b"1"}, ("dangling.so", "nowhere.so"), "outside the bundle"),
    ],
)
def test_file_list_refuses_what_an_msi_cannot_hold(
    tmp_path: Path, files: dict[str, bytes], link: tuple[str, str] | None, message: str
) -> None:
    root = make_tree(tmp_path / "b", files)
    root.mkdir(exist_ok=True)
    if link is not None:
        (root / link[0]).symlink_to(link[1])
    with pytest.raises(wix_files.BundleError, match=message):
        wix_files.bundle_files(root)


def test_a_link_inside_the_bundle_becomes_a_copy(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "b", {"govmail": b"1", "_internal/lib/libQt6Core.so.6": b"qt"})
    (root / "_internal" / "libQt6Core.so.6").symlink_to("lib/libQt6Core.so.6")  # as PyInstaller on Linux
    assert wix_files.bundle_files(root) == ["_internal/lib/libQt6Core.so.6", "_internal/libQt6Core.so.6", "govmail"]


def test_a_bundle_without_the_app_is_a_clear_build_error(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "b", {"_internal/base_library.zip": b"PK"})
    with pytest.raises(build_msi.BuildError, match="no govmail.exe"):
        build_msi.build(root, tmp_path / "out" / "x.msi")


def test_make_msi_runs_the_script_and_names_the_msi_after_the_version(small_bundle: Path, tmp_path: Path) -> None:
    assert build_msi.default_output() == ROOT / "build" / "msi" / f"GovMail-Desktop-{govmail_desktop.__version__}.msi"
    out = tmp_path / "GovMail-Desktop-x.msi"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_msi.py"), str(small_bundle), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert properties(out)["ALLUSERS"] == "1"
    empty = tmp_path / "empty"
    empty.mkdir()
    failed = subprocess.run([sys.executable, str(ROOT / "tools" / "build_msi.py"), str(empty), "-o", str(out)],
                            capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert "build_msi: no govmail.exe" in failed.stderr


def test_a_windows_bundle_built_elsewhere_is_packed_and_a_linux_one_refused_with_windows(
    small_bundle: Path, tmp_path: Path
) -> None:
    """The CI job builds the bundle on Windows and the MSI on Linux from its artifact (--windows)."""
    # The artifact as downloaded: another folder name, somewhere else.
    copied = make_tree(tmp_path / "artifact" / "bundle", SMALL_BUNDLE)
    out = tmp_path / "GovMail-Desktop-ci.msi"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_msi.py"), "--windows", str(copied),
                           "-o", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert {r["FileName"] for r in table(out, "File")} >= {"govmail.exe", "govmail-admin.exe"}
    # Planted: a Linux bundle (govmail, govmail-admin) and a missing folder.
    linux = make_tree(tmp_path / "linux", {"govmail": b"ELF", "govmail-admin": b"ELF", "_internal/x.so": b"ELF"})
    with pytest.raises(build_msi.BuildError, match=r"not a Windows bundle \(no govmail.exe, govmail-admin.exe\)"):
        build_msi.build(linux, tmp_path / "linux.msi", windows=True)
    failed = subprocess.run([sys.executable, str(ROOT / "tools" / "build_msi.py"), "--windows",
                             str(tmp_path / "nowhere"), "-o", str(out)], capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and "build_msi: no bundle directory" in failed.stderr


@pytest.mark.parametrize(("version", "expected"), [("0.1.0", "0.1.0"), ("1.2", "1.2.0"), ("0.2.0rc1", "0.2.0")])
def test_product_version_is_the_numeric_part(version: str, expected: str) -> None:
    assert build_msi.msi_version(version) == expected


@pytest.mark.parametrize("version", ["dev", "256.0.0", "1.0.70000"])
def test_product_version_outside_windows_installer_range_is_refused(version: str) -> None:
    with pytest.raises(build_msi.BuildError):
        build_msi.msi_version(version)


# -- properties, upgrade, uninstall -----------------------------------------------------


def test_property_table_per_machine_and_public_properties(msi: Path) -> None:
    props = properties(msi)
    assert props["ALLUSERS"] == "1"
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert re.fullmatch(r"\{[0-9A-F-]{36}\}", props["ProductCode"])
    assert props["ProductVersion"] == build_msi.msi_version(govmail_desktop.__version__)
    assert props["REMOVEUSERDATA"] == "0"
    # The Restart Manager is left on (never MSIRESTARTMANAGERCONTROL=Disable).
    assert "MSIRESTARTMANAGERCONTROL" not in props
    secure = set(props["SecureCustomProperties"].split(";"))
    assert {"POLICYFILE", "REMOVEUSERDATA", "WIX_UPGRADE_DETECTED"} <= secure
    assert {v.prop for v in msi_policy.policy_values()} <= secure


def test_product_code_is_new_in_each_build(msi: Path, small_bundle: Path, tmp_path: Path) -> None:
    again = properties(build_msi.build(small_bundle, tmp_path / "again.msi"))
    assert again["UpgradeCode"] == properties(msi)["UpgradeCode"]
    assert again["ProductCode"] != properties(msi)["ProductCode"]


def test_major_upgrade_removes_the_old_version_first_and_refuses_downgrades(msi: Path) -> None:
    version = properties(msi)["ProductVersion"]
    rows = {r["ActionProperty"]: r for r in table(msi, "Upgrade")}
    assert {r["UpgradeCode"] for r in rows.values()} == {UPGRADE_CODE}
    older = rows["WIX_UPGRADE_DETECTED"]
    assert older["VersionMin"] == "" and older["VersionMax"] == version
    newer = rows["WIX_DOWNGRADE_DETECTED"]
    assert newer["VersionMin"] == version and int(newer["Attributes"]) & 2  # detect only
    conditions = {r["Condition"] for r in table(msi, "LaunchCondition")}
    assert "NOT WIX_DOWNGRADE_DETECTED" in conditions
    seq = {r["Action"]: int(r["Sequence"]) for r in table(msi, "InstallExecuteSequence")}
    # The old version goes right after InstallValidate (where the Restart Manager asks the running
    # app to close), before the new one is installed.
    assert seq["FindRelatedProducts"] < seq["InstallValidate"] < seq["RemoveExistingProducts"]
    assert seq["RemoveExistingProducts"] < seq["InstallInitialize"]


def test_user_data_is_removed_only_when_asked(msi: Path) -> None:
    action = next(r for r in table(msi, "CustomAction") if r["Action"] == "RemoveUserData")
    kind = int(action["Type"])
    assert kind & 0x3F == 34  # an EXE run in a directory
    assert kind & 1024 and not kind & 2048  # deferred, as the user who runs msiexec (not SYSTEM)
    assert kind & 64  # a failure does not fail the uninstall
    assert f'"[LocalAppDataFolder]{govmail_desktop.APP_ID}"' in action["Target"]
    row = next(r for r in table(msi, "InstallExecuteSequence") if r["Action"] == "RemoveUserData")
    assert 'REMOVEUSERDATA="1"' in row["Condition"]
    assert 'REMOVE~="ALL"' in row["Condition"]
    assert "NOT UPGRADINGPRODUCTCODE" in row["Condition"]
    # Nothing else touches the users' folders.
    assert all("AppData" not in r.get("DirProperty", "") for r in table(msi, "RemoveFile"))


# -- %ProgramData%\GovMail and POLICYFILE -------------------------------------------------

SDDL_SIDS = {"SY": winsec.SYSTEM, "BA": winsec.ADMINISTRATORS, "BU": "S-1-5-32-545",
             "AU": "S-1-5-11", "WD": "S-1-1-0", "CO": winsec.CREATOR_OWNER}
SDDL_RIGHTS = {"FA": 0x1F01FF, "FR": 0x120089, "FW": 0x120116, "FX": 0x1200A0,
               "GA": 0x10000000, "GW": 0x40000000, "GR": 0x80000000, "GX": 0x20000000}


def parse_sddl(sddl: str) -> tuple[winsec.FileSecurity, str]:
    """(owner and DACL, the DACL's flags) of the SDDL the MSI gives a folder (its aliases only)."""
    match = re.fullmatch(r"O:(\w+)G:\w+D:([A-Z]*)((?:\([^)]*\))+)", sddl)
    assert match, sddl
    owner, flags, aces_text = match.groups()
    aces = []
    for ace in re.findall(r"\(([^)]*)\)", aces_text):
        kind, ace_flags, rights, _, _, sid = ace.split(";")
        mask = int(rights, 16) if rights.startswith("0x") else 0
        if not rights.startswith("0x"):
            for i in range(0, len(rights), 2):
                mask |= SDDL_RIGHTS[rights[i:i + 2]]
        aces.append(winsec.Ace(SDDL_SIDS.get(sid, sid), mask, allow=kind == "A", inherit_only="IO" in ace_flags))
    return winsec.FileSecurity(SDDL_SIDS.get(owner, owner), tuple(aces)), flags


def lock_problems(sddl: str) -> list[str]:
    """Why this SDDL is not the ProgramData folder the app trusts ([] = it is)."""
    security, flags = parse_sddl(sddl)
    problems = [str(p) for p in winsec.security_problems(security, r"C:\ProgramData\GovMail")]
    if "P" not in flags:
        problems.append("inheritance is on: ProgramData's own ACEs (Users may create files) would apply")
    for sid in (winsec.SYSTEM, winsec.ADMINISTRATORS):
        if not any(a.sid == sid and a.allow and a.mask == SDDL_RIGHTS["FA"] for a in security.dacl or ()):
            problems.append(f"{sid} lacks full control")
    return problems


def test_program_data_folder_is_locked_to_administrators_and_system(msi: Path) -> None:
    dirs = {r["Directory"]: r for r in table(msi, "Directory")}
    assert dirs[build_msi.PROGRAM_DATA_DIR]["Directory_Parent"] == "CommonAppDataFolder"
    assert dirs[build_msi.PROGRAM_DATA_DIR]["DefaultDir"] == "GovMail"
    created = {(r["Directory_"], r["Component_"]) for r in table(msi, "CreateFolder")}
    assert (build_msi.PROGRAM_DATA_DIR, "ProgramDataFolder") in created
    [lock] = table(msi, "MsiLockPermissionsEx")
    assert (lock["LockObject"], lock["Table"], lock["Condition"]) == (build_msi.PROGRAM_DATA_DIR, "CreateFolder", "")
    assert lock_problems(lock["SDDLText"]) == []
    security, _ = parse_sddl(lock["SDDLText"])
    users = next(a for a in security.dacl or () if a.sid == "S-1-5-32-545")
    assert users.mask == SDDL_RIGHTS["FR"] | SDDL_RIGHTS["FX"]  # others read


@pytest.mark.parametrize(
    "planted",
    [
        "O:BAG:SYD:AI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FRFX;;;BU)",  # inheritance left on
        "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;BU)",  # Users full control
        "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;CI;0x100006;;;AU)",  # users may add files
        "O:BUG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",  # owned by Users
        "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FRFX;;;BU)",  # Administrators cannot manage it
    ],
)
def test_lock_check_catches_a_planted_weak_folder(planted: str) -> None:
    assert lock_problems(planted)


def test_policy_file_is_copied_to_the_folder_the_app_reads(msi: Path) -> None:
    class NoAnswer:  # the system gives no answer: the fixed C:\ProgramData
        def known_folder(self, name: str) -> str:
            raise OSError(name)

        def file_security(self, path: str) -> winsec.FileSecurity:
            raise OSError(path)

    app_reads = PureWindowsPath(str(sources.windows_policy_path(NoAnswer())))
    dirs = {r["Directory"]: r for r in table(msi, "Directory")}
    [move] = table(msi, "MoveFile")
    assert move["SourceFolder"] == "POLICYFILE" and move["SourceName"] == ""  # the property is the full path
    assert move["Options"] == "0"  # copied, not moved
    assert move["DestName"] == app_reads.name
    assert dirs[move["DestFolder"]]["DefaultDir"] == app_reads.parent.name
    comp = components(msi)[move["Component_"]]
    assert comp["Condition"] == "POLICYFILE"
    assert int(comp["Attributes"]) & build_msi.PERMANENT
    seq = {r["Action"]: int(r["Sequence"]) for r in table(msi, "InstallExecuteSequence")}
    assert seq["InstallInitialize"] < seq["CreateFolders"] < seq["MoveFiles"] < seq["InstallFiles"]


# -- Start menu and mailto ------------------------------------------------------------------


def test_start_menu_shortcut_carries_the_app_user_model_id(msi: Path) -> None:
    [shortcut] = table(msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Name"] == "GovMail Desktop"
    assert shortcut["Target"] == f"[#{build_msi.MAIN_FILE_ID}]"  # not advertised: the installed govmail.exe
    assert shortcut["WkDir"] == "INSTALLDIR"
    [prop] = table(msi, "MsiShortcutProperty")
    assert prop["Shortcut_"] == shortcut["Shortcut"]
    assert prop["PropertyKey"] == "System.AppUserModel.ID"
    assert prop["PropVariantValue"] == govmail_desktop.WINDOWS_APP_USER_MODEL_ID
    assert re.fullmatch(r"[A-Za-z0-9.]{1,128}", govmail_desktop.WINDOWS_APP_USER_MODEL_ID)


def test_mailto_is_registered_the_default_programs_way(msi: Path) -> None:
    rows = {(r["Key"], r["Name"]): r["Value"] for r in registry_rows(msi) if r["Root"] == HKLM}
    progid = "SOFTWARE\\Classes\\GovMail.mailto"
    main = f"[#{build_msi.MAIN_FILE_ID}]"
    assert rows[(progid + "\\shell\\open\\command", "")] == f'"{main}" "%1"'
    assert rows[(progid + "\\Application", "AppUserModelID")] == govmail_desktop.WINDOWS_APP_USER_MODEL_ID
    capabilities = rows[("SOFTWARE\\RegisteredApplications", "GovMail Desktop")]
    assert rows[(capabilities + "\\URLAssociations", "mailto")] == "GovMail.mailto"
    assert rows[(capabilities, "ApplicationName")] == "GovMail Desktop"
    assert rows[(capabilities, "ApplicationDescription")]


# -- the policy values: the same model as the ADMX and the registry reader -------------------


def admx_types() -> dict[tuple[str, str], str]:
    """(key, value name) -> registry type of every value GovMail.admx writes."""
    ns = {"a": templates.ADMX_NAMESPACE}
    out: dict[tuple[str, str], str] = {}
    for policy in ET.parse(ADMX).getroot().iterfind(".//a:policy", ns):
        key = policy.get("key", "")
        if policy.get("valueName"):  # an on/off policy: enabledValue/disabledValue
            kind = "REG_DWORD" if policy.find("a:enabledValue/a:decimal", ns) is not None else "REG_SZ"
            out[(key, policy.get("valueName", ""))] = kind
        for element in policy.iterfind("a:elements/*", ns):
            tag = element.tag.split("}")[1]
            if tag == "enum":
                kind = "REG_DWORD" if element.find(".//a:value/a:decimal", ns) is not None else "REG_SZ"
            else:
                kind = {"multiText": "REG_MULTI_SZ", "list": "REG_MULTI_SZ", "decimal": "REG_DWORD",
                        "boolean": "REG_DWORD", "text": "REG_SZ"}[tag]
            out[(element.get("key", key), element.get("valueName", ""))] = kind
    return out


def row_type(value: str) -> str:
    """The registry type Windows Installer writes for a Registry table Value."""
    if value.startswith("#") and not value.startswith("##"):
        return "REG_DWORD"
    if "[~]" in value:
        return "REG_MULTI_SZ"
    return "REG_SZ"


SAMPLE = {"REG_DWORD": (registry.REG_DWORD, 1), "REG_SZ": (registry.REG_SZ, "x"),
          "REG_MULTI_SZ": (registry.REG_MULTI_SZ, ["x"])}


def policy_row_problems(rows: list[dict[str, str]], comps: dict[str, dict[str, str]]) -> list[str]:
    """Why these Registry rows are not the policy the app reads and the ADMX describes ([] = they are)."""
    problems: list[str] = []
    admx = admx_types()
    tree: dict[str, dict[str, tuple[int, object]]] = {}
    written: set[tuple[str, str]] = set()
    for row in rows:
        where = (row["Key"], row["Name"])
        written.add(where)
        kind = row_type(row["Value"])
        if row["Root"] != HKLM:
            problems.append(f"{where}: not under HKLM")
        if admx.get(where) != kind:
            problems.append(f"{where}: {kind} in the MSI, {admx.get(where)} in the ADMX")
        prop = re.fullmatch(r"(?:#|\[~\])?\[([A-Z0-9_]+)\](?:\[~\])?", row["Value"])
        comp = comps.get(row["Component_"], {})
        if prop is None or comp.get("Condition") != prop.group(1):
            problems.append(f"{where}: written without its property set ({comp.get('Condition')!r})")
        if not int(comp.get("Attributes", "0")) & build_msi.PERMANENT:
            problems.append(f"{where}: an uninstall would remove it")
        subkey = row["Key"].removeprefix(POLICY_KEY).lstrip("\\")
        tree.setdefault(subkey, {})[row["Name"]] = SAMPLE[kind]
    problems += [f"{where}: in the ADMX, not written by the MSI" for where in sorted(set(admx) - written)]
    _, read_problems, labels = registry.read_registry_policy(registry.InMemoryRegistry(tree))
    problems += [f"registry.py: {p.key}: {p.message}" for p in read_problems]
    read = {label.removeprefix("HKLM\\").lower() for label in labels.values()}
    problems += [f"registry.py does not map {key}\\{name}" for key, name in sorted(written)
                 if f"{key}\\{name}".lower() not in read]
    return problems


def test_every_policy_value_the_msi_writes_is_read_by_the_app_and_typed_as_in_the_admx(msi: Path) -> None:
    rows = policy_rows(msi)
    assert len(rows) == len(templates.entries())
    assert policy_row_problems(rows, components(msi)) == []


def test_policy_values_have_one_property_each_named_after_the_key(msi: Path) -> None:
    rows = {(r["Key"], r["Name"]): r for r in policy_rows(msi)}
    comps = components(msi)
    examples = {
        ("servers", "allow"): ("SERVERS_ALLOW", "[~][SERVERS_ALLOW][~]"),
        ("accounts", "allowed_domains"): ("ACCOUNTS_ALLOWED_DOMAINS", "[~][ACCOUNTS_ALLOWED_DOMAINS][~]"),
        ("attachments", "max_size_mb"): ("ATTACHMENTS_MAX_SIZE_MB", "#[ATTACHMENTS_MAX_SIZE_MB]"),
        ("tls", "min_version"): ("TLS_MIN_VERSION", "[TLS_MIN_VERSION]"),
        ("", "description"): ("POLICY_DESCRIPTION", "[POLICY_DESCRIPTION]"),
        ("locked_settings", "mail.remote_content"): ("LOCK_MAIL_REMOTE_CONTENT", "[LOCK_MAIL_REMOTE_CONTENT]"),
    }
    for (section, name), (prop, value) in examples.items():
        row = rows[(POLICY_KEY + ("\\" + section if section else ""), name)]
        assert row["Value"] == value
        assert comps[row["Component_"]]["Condition"] == prop


#: Windows Installer's own properties a generated name must never take.
RESERVED_PROPERTIES = {"ALLUSERS", "INSTALLDIR", "TARGETDIR", "REMOVE", "REINSTALL", "REINSTALLMODE", "ADDLOCAL",
                       "REBOOT", "POLICYFILE", "REMOVEUSERDATA", "MSIRESTARTMANAGERCONTROL", "MSIRMSHUTDOWN"}


def test_property_and_component_names_are_valid_msi_identifiers() -> None:
    values = msi_policy.policy_values()
    for value in values:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]{0,71}", value.prop), value.prop  # public: no lower case
        assert value.prop not in RESERVED_PROPERTIES
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]{0,71}", value.component), value.component
    assert len({v.prop for v in values}) == len({v.component for v in values}) == len(values)


def test_two_keys_giving_one_property_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = templates.entries()
    clash = next(e for e in entries if e.path == "servers.allow")
    # a planted key whose name differs only in case would also be SERVERS_ALLOW
    monkeypatch.setattr(templates, "entries", lambda: [*entries, replace(clash, path="servers.Allow")])
    with pytest.raises(ValueError, match="SERVERS_ALLOW"):
        msi_policy.policy_values()


def test_a_missing_wixl_is_a_clear_build_error(monkeypatch: pytest.MonkeyPatch, small_bundle: Path,
                                               tmp_path: Path) -> None:
    monkeypatch.setattr("tools.build_msi.shutil.which", lambda name: None)
    with pytest.raises(build_msi.BuildError, match="apt-get install wixl msitools"):
        build_msi.build(small_bundle, tmp_path / "x.msi")


def planted(rows: list[dict[str, str]], comps: dict[str, dict[str, str]], case: str):
    rows = [dict(r) for r in rows]
    comps = {k: dict(v) for k, v in comps.items()}
    allow = next(r for r in rows if r["Name"] == "allow" and r["Key"].endswith("\\servers"))
    if case == "unknown value name":
        allow["Name"] = "allowed"
    elif case == "list written as text":
        allow["Value"] = "[SERVERS_ALLOW]"
    elif case == "number written as text":
        row = next(r for r in rows if r["Name"] == "max_size_mb")
        row["Value"] = row["Value"].removeprefix("#")
    elif case == "unknown subkey":
        allow["Key"] = POLICY_KEY + "\\serverz"
    elif case == "unconditional":
        comps[allow["Component_"]]["Condition"] = ""
    elif case == "removed at uninstall":
        comps[allow["Component_"]]["Attributes"] = "260"
    elif case == "key missing from the MSI":
        rows.remove(allow)
    return rows, comps


@pytest.mark.parametrize(
    ("case", "caught_by"),
    [
        ("unknown value name", "registry.py: servers.allowed"),
        ("list written as text", "registry.py: servers.allow"),
        ("number written as text", "registry.py: attachments.max_size_mb"),
        ("unknown subkey", "registry.py: serverz"),
        ("unconditional", "written without its property set"),
        ("removed at uninstall", "an uninstall would remove it"),
        ("key missing from the MSI", "in the ADMX, not written by the MSI"),
    ],
)
def test_policy_guard_catches_a_planted_bad_row(msi: Path, case: str, caught_by: str) -> None:
    rows, comps = planted(policy_rows(msi), components(msi), case)
    problems = policy_row_problems(rows, comps)
    assert any(caught_by in p for p in problems), problems


# -- the real bundle (make test-msi) ---------------------------------------------------------


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_msi_over_the_real_bundle(tmp_path: Path) -> None:
    if not REAL_BUNDLE.is_dir():
        pytest.skip("no build/bundle/govmail-desktop: run make bundle (make test-msi does)")
    built = build_msi.build(REAL_BUNDLE, tmp_path / "GovMail-Desktop.msi")
    files = wix_files.bundle_files(REAL_BUNDLE)
    rows = table(built, "File")
    assert len(rows) == len(files)
    assert {r["FileName"] for r in rows} == {f.rsplit("/", 1)[-1] for f in files}
    assert next(r for r in rows if r["File"] == build_msi.MAIN_FILE_ID)["FileName"] in ("govmail.exe", "govmail")
    assert policy_row_problems(policy_rows(built), components(built)) == []
    unpacked = extracted(built, tmp_path / "unpacked")
    assert sorted(unpacked) == files
    for rel in files:
        assert unpacked[rel] == (REAL_BUNDLE / rel).read_bytes(), rel
    [lock] = table(built, "MsiLockPermissionsEx")
    assert lock_problems(lock["SDDLText"]) == []
