#!/usr/bin/env python3
r"""The PyInstaller bundle directory as a WiX fragment (the MSI's file list).

    tools/wix_files.py build/bundle/govmail-desktop -o build/msi/files.wxs

Writes ``<Fragment>`` with a ``DirectoryRef`` to ``INSTALLDIR`` holding the bundle's folders
(``Directory``) and one ``Component`` per file (``File``, the component's key path), and a
``ComponentGroup`` ``BundleFiles`` naming every component. Standard library only.

Identifiers and component GUIDs are derived from the file's path inside the bundle (lower
case, ``\`` separators, as Windows compares them), so the same file keeps the same component
GUID from one build to the next: a major upgrade then replaces files in place and Windows
Installer's component rules hold. ``wixl-heat`` is not used: it names ids after a counter and
gives components no stable GUIDs of their own.

One executable may be given a fixed File id (``--main govmail.exe=MainExe``) so that the main
source can point at it (``[#MainExe]`` in the shortcut and the mailto command).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

WIX_NAMESPACE = "http://schemas.microsoft.com/wix/2006/wi"
#: Namespace of the uuid5 component GUIDs of GovMail Desktop's MSI (never change it: every
#: component's GUID would change, and upgrades would leave old files behind).
GUID_NAMESPACE = uuid.UUID("bc1dd049-b1a1-40fe-862b-d397d7e1e697")
INSTALL_DIR_ID = "INSTALLDIR"
COMPONENT_GROUP = "BundleFiles"
#: File sources are ``$(var.BundleDir)/<path in the bundle>``: wixl refuses absolute sources and
#: resolves relative ones from its working directory, so build_msi.py runs it in the bundle
#: directory with ``-D BundleDir=.``.
SOURCE_VAR = "BundleDir"
#: The code page wixl writes the database in: names outside it come out empty.
MSI_CODEPAGE = "cp1252"


class BundleError(Exception):
    """The bundle directory cannot be turned into a file list."""


def windows_path(relative: str) -> str:
    r"""The path as Windows Installer compares it: ``_internal\PySide6\Qt6Core.dll`` in lower case."""
    return relative.replace("/", "\\").lower()


def stable_guid(kind: str, relative: str) -> str:
    """A GUID that depends only on what (``file``, ``policy`` …) and the Windows path."""
    return "{" + str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{windows_path(relative)}")).upper() + "}"


def stable_id(prefix: str, relative: str) -> str:
    """An MSI identifier (letters, digits, ``_`` and ``.``; at most 72 characters) from a path."""
    digest = hashlib.sha256(windows_path(relative).encode("utf-8")).hexdigest()[:32]
    return f"{prefix}_{digest}"


def bundle_files(root: Path) -> list[str]:
    """Every file under ``root`` as a POSIX path relative to it, sorted.

    A symbolic link to a file inside the bundle (PyInstaller makes some on Linux, never on
    Windows) becomes a copy of that file, as an MSI holds no links; a link to a folder, or one
    that leads outside the bundle or nowhere, is an error.
    """
    if not root.is_dir():
        raise BundleError(f"not a directory: {root}")
    top = root.resolve()
    out: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in dirs:
            if (base / name).is_symlink():
                raise BundleError(f"link to a folder in the bundle (an MSI cannot hold one): {base / name}")
        for name in files:
            path = base / name
            if path.is_symlink():
                target = path.resolve()
                if not target.is_file() or not target.is_relative_to(top):
                    raise BundleError(f"link to nothing or to outside the bundle: {path} -> {os.readlink(path)}")
            out.append(path.relative_to(root).as_posix())
    if not out:
        raise BundleError(f"the bundle directory is empty: {root}")
    for rel in out:
        try:
            rel.encode(MSI_CODEPAGE)
        except UnicodeEncodeError:
            raise BundleError(f"a name the MSI's code page ({MSI_CODEPAGE}) cannot hold "
                              f"(wixl would write it empty): {rel}") from None
    seen: dict[str, str] = {}
    for rel in out:
        other = seen.setdefault(windows_path(rel), rel)
        if other != rel:
            raise BundleError(f"two files differ only in case (one on Windows): {other} and {rel}")
    return sorted(out)


def fragment(root: Path, *, main: dict[str, str] | None = None) -> ET.Element:
    """The ``<Wix>`` element holding the file list of the bundle at ``root``.

    ``main`` maps a path relative to the bundle to the fixed File id it gets.
    """
    main = dict(main or {})
    files = bundle_files(root)
    missing = sorted(set(main) - set(files))
    if missing:
        raise BundleError(f"not in the bundle: {', '.join(missing)}")
    wix = ET.Element("Wix", xmlns=WIX_NAMESPACE)
    frag = ET.SubElement(wix, "Fragment")
    top = ET.SubElement(frag, "DirectoryRef", Id=INSTALL_DIR_ID)
    folders: dict[str, ET.Element] = {"": top}

    def folder(rel_dir: str) -> ET.Element:
        element = folders.get(rel_dir)
        if element is None:
            parent_rel, _, name = rel_dir.rpartition("/")
            element = ET.SubElement(folder(parent_rel), "Directory", Id=stable_id("d", rel_dir), Name=name)
            folders[rel_dir] = element
        return element

    group = ET.Element("ComponentGroup", Id=COMPONENT_GROUP)
    for rel in files:
        rel_dir, _, name = rel.rpartition("/")
        comp_id = stable_id("c", rel)
        component = ET.SubElement(folder(rel_dir), "Component", Id=comp_id,
                                  Guid=stable_guid("file", rel), Win64="yes")
        ET.SubElement(component, "File", Id=main.get(rel, stable_id("f", rel)), Name=name,
                      Source=f"$(var.{SOURCE_VAR})/{rel}", KeyPath="yes")
        ET.SubElement(group, "ComponentRef", Id=comp_id)
    frag.append(group)
    ET.indent(wix)
    return wix


def write_fragment(root: Path, output: Path, *, main: dict[str, str] | None = None) -> int:
    """Write the fragment; the number of files."""
    wix = fragment(root, main=main)
    output.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(wix).write(output, encoding="utf-8", xml_declaration=True)
    return sum(1 for _ in wix.iter("File"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the PyInstaller onedir bundle (build/bundle/govmail-desktop)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .wxs fragment to write")
    parser.add_argument("--main", action="append", default=[], metavar="PATH=ID",
                        help="a fixed File id for this file of the bundle (repeatable)")
    args = parser.parse_args(argv)
    fixed = dict(item.split("=", 1) for item in args.main)
    try:
        count = write_fragment(args.bundle, args.output, main=fixed)
    except BundleError as exc:
        print(f"wix_files: {exc}", file=sys.stderr)
        return 1
    print(f"{args.output}: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
