r"""The MSI's public properties that write the machine policy, generated from the policy model.

Every policy key the Group Policy templates know (``policy.templates.entries()``: the model's
keys and ``locked_settings.<setting>``) gets one public property and one registry value under
``HKLM\SOFTWARE\Policies\GovMail``, at the key and value name the ADMX uses and with the type
the registry reader (``policy/registry.py``) expects. So the MSI, the ADMX and the reader cannot
drift apart: tests/packaging/test_msi.py reads the built MSI's Registry table back through the
reader.

Property names: the key path in capitals, dots as ``_`` (``servers.allow`` → ``SERVERS_ALLOW``);
top-level keys get ``POLICY_`` (``POLICY_DESCRIPTION``), locked settings ``LOCK_``
(``locked_settings.mail.remote_content`` → ``LOCK_MAIL_REMOTE_CONTENT``).

Values as Windows Installer writes them (the Registry table's formatted Value column):

* text (``REG_SZ``): ``[PROP]``;
* numbers, on/off (0 or 1) and numeric choices (``REG_DWORD``): ``#[PROP]``;
* lists (``REG_MULTI_SZ``): ``[~][PROP][~]`` — ONE item: Windows Installer does not split a
  property's text, so a list of several entries comes through ``POLICYFILE`` or Group Policy.

Each value is its own component, installed only when its property is set (the Component
table's Condition) and marked permanent: neither an uninstall nor a major upgrade run without
the property removes a policy value an admin wrote (removing a lock must be a deliberate act —
Group Policy "Not configured" or ``reg delete HKLM\SOFTWARE\Policies\GovMail``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from govmail_desktop.policy import templates
from tools.wix_files import WIX_NAMESPACE, stable_guid

#: Directory the registry-only components belong to (any directory would do).
REGISTRY_COMPONENT_DIR = "TARGETDIR"
COMPONENT_GROUP = "PolicyValues"

MSI_VALUE_FORMAT = {
    "REG_SZ": "[{prop}]",
    "REG_DWORD": "#[{prop}]",
    "REG_MULTI_SZ": "[~][{prop}][~]",
}


@dataclass(frozen=True)
class PolicyValue:
    """One policy key as the MSI writes it."""

    path: str  # "servers.allow", "locked_settings.mail.remote_content"
    prop: str  # the public property: "SERVERS_ALLOW"
    key: str  # relative to HKLM: "SOFTWARE\\Policies\\GovMail\\servers"
    name: str  # the value name: "allow"
    registry_type: str  # "REG_SZ" | "REG_DWORD" | "REG_MULTI_SZ"

    @property
    def component(self) -> str:
        return "pol_" + re.sub(r"[^A-Za-z0-9_.]", "_", self.path)

    @property
    def msi_value(self) -> str:
        """The Registry table's Value for this key (a formatted string)."""
        return MSI_VALUE_FORMAT[self.registry_type].format(prop=self.prop)

    @property
    def wix_type(self) -> str:
        """wixl's RegistryValue Type (wixl has no multiString: ``[~]`` makes it REG_MULTI_SZ)."""
        return "integer" if self.registry_type == "REG_DWORD" else "string"

    @property
    def wix_value(self) -> str:
        """The Value attribute given to wixl (it adds the ``#`` of integers itself)."""
        return f"[{self.prop}]" if self.registry_type == "REG_DWORD" else self.msi_value


def property_name(entry: templates.Entry) -> str:
    if entry.setting is not None:
        base = "LOCK_" + entry.setting
    elif "." in entry.path:
        base = entry.path
    else:
        base = "POLICY_" + entry.path
    return re.sub(r"[^A-Z0-9_]", "_", base.upper())


def registry_type(entry: templates.Entry) -> str:
    """The type the ADMX gives the value and the registry reader accepts."""
    kind = entry.shape.kind
    if kind == "list":
        return "REG_MULTI_SZ"
    if kind in ("integer", "boolean") or (kind == "choice" and entry.numbers):
        return "REG_DWORD"
    return "REG_SZ"


def policy_values() -> list[PolicyValue]:
    """Every policy key the MSI can write, in the model's order."""
    out = [
        PolicyValue(e.path, property_name(e), e.registry_key, e.value_name, registry_type(e))
        for e in templates.entries()
    ]
    props: dict[str, str] = {}
    for value in out:
        other = props.setdefault(value.prop, value.path)
        if other != value.path:
            raise ValueError(f"two policy keys give the same MSI property {value.prop}: {other}, {value.path}")
    return out


def fragment(values: list[PolicyValue]) -> ET.Element:
    """The WiX fragment of the policy components (conditions are added after wixl: see build_msi)."""
    wix = ET.Element("Wix", xmlns=WIX_NAMESPACE)
    frag = ET.SubElement(wix, "Fragment")
    ref = ET.SubElement(frag, "DirectoryRef", Id=REGISTRY_COMPONENT_DIR)
    group = ET.Element("ComponentGroup", Id=COMPONENT_GROUP)
    for value in values:
        comp = ET.SubElement(ref, "Component", Id=value.component,
                             Guid=stable_guid("policy", value.path), Win64="yes")
        ET.SubElement(comp, "RegistryValue", Root="HKLM", Key=value.key, Name=value.name,
                      Type=value.wix_type, Value=value.wix_value, KeyPath="yes")
        ET.SubElement(group, "ComponentRef", Id=value.component)
    frag.append(group)
    ET.indent(wix)
    return wix
