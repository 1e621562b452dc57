r"""The policy's references for admins, generated from the one policy model.

From :data:`schema.KEYS` (keys, checkers' :class:`~schema.Shape`: types, choices, ranges),
:func:`schema.lockable_settings` (what ``locked_settings`` may hold), ``defaults.py`` (the
built-in values), ``registry.py`` (``HKLM\SOFTWARE\Policies\GovMail``: one subkey per section,
value name = key name) and ``key_texts.py`` (titles and meanings in English and Thai) this
module writes:

* the JSON Schema (draft 2020-12) of the policy file,
* the Group Policy templates: ``GovMail.admx`` and its ``en-US`` and ``th-TH`` ``GovMail.adml``,
* the key reference of ``docs/admin.md`` (between the BEGIN/END markers, English and Thai).

It lives in the package (not in tools/) so an installed copy can produce the templates that
match its own policy reader. ``tools/gen_policy_templates.py`` (``make policy-templates``)
writes the files; tests/unit/policy/test_policy_templates.py checks they are not stale.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from govmail_desktop.core.settings import Setting
from govmail_desktop.policy import registry
from govmail_desktop.policy.defaults import DEFAULT_POLICY_DATA
from govmail_desktop.policy.key_texts import KEY_TEXTS, SECTION_TITLES, KeyText
from govmail_desktop.policy.model import SCHEMA_VERSION
from govmail_desktop.policy.schema import (
    KEYS,
    LOCKED_SETTINGS,
    MAX_LIST_ENTRIES,
    SECTIONS,
    TOP_LEVEL_VALUES,
    USER,
    KeySpec,
    Shape,
    key_scope,
    lockable_settings,
)

#: Where each generated file goes, relative to the repository root.
SCHEMA_PATH = "packaging/policy/govmail.schema.json"
ADMX_PATH = "packaging/windows/admx/GovMail.admx"
ADML_PATHS = {"en": "packaging/windows/admx/en-US/GovMail.adml", "th": "packaging/windows/admx/th-TH/GovMail.adml"}
DOC_PATH = "docs/admin.md"

ADMX_NAMESPACE = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
TARGET_NAMESPACE = "GovMail.Policies.GovMail"
#: The registry key of the policy as the ADMX writes it (HKLM is the policy class "Machine").
ADMX_ROOT_KEY = registry.REGISTRY_ROOT.removeprefix("HKLM\\")
#: ADMX's decimal element needs bounds; without its own, a number may be any REG_DWORD.
DWORD_MAX = 2**32 - 1
SUPPORTED = "SUPPORTED_GovMail1"
#: Longest default list shown in full in the docs.
SHOWN_DEFAULTS = 6


class MissingText(Exception):
    """The model and key_texts.py disagree: a key without a text, or a text without a key."""


def _begin(lang: str) -> str:
    return f"<!-- BEGIN GENERATED POLICY REFERENCE ({lang}): make policy-templates writes this; do not edit -->"


def _end(lang: str) -> str:
    return f"<!-- END GENERATED POLICY REFERENCE ({lang}) -->"


@dataclass(frozen=True)
class Entry:
    """One policy key as every front-end shows it."""

    path: str  # "servers.allow", "schema_version", "locked_settings.mail.remote_content"
    shape: Shape
    default: Any
    description: str  # English, from the model
    registry_key: str  # relative to HKLM
    value_name: str
    title: str
    title_th: str
    meaning: str  # Markdown
    meaning_th: str
    #: for locked_settings.<setting>: the setting's key (else None)
    setting: str | None = None
    #: whole numbers (a lockable setting's choices may be numbers)
    numbers: bool = False
    #: a text setting's whole value must match this
    pattern: str | None = None

    @property
    def user_scoped(self) -> bool:
        """Also honoured from the user's policy (HKCU), below every machine source (schema.key_scope)."""
        return key_scope(self.path) == USER

    @property
    def policy_name(self) -> str:
        """The ADMX policy name (and element, string and presentation id)."""
        if self.setting is not None:
            return "locked_" + self.setting.replace(".", "_")
        return self.path.replace(".", "_")


def _text(path: str) -> KeyText:
    text = KEY_TEXTS.get(path)
    if text is None:
        raise MissingText(f"policy key {path!r} has no text in govmail_desktop/policy/key_texts.py")
    return text


def _key_entry(spec: KeySpec) -> Entry:
    text = _text(spec.path)
    if "." in spec.path:
        section, name = spec.path.split(".", 1)
        key, default = f"{ADMX_ROOT_KEY}\\{section}", DEFAULT_POLICY_DATA.get(section, {}).get(name)
    else:
        name, key, default = spec.path, ADMX_ROOT_KEY, DEFAULT_POLICY_DATA.get(spec.path)
    return Entry(spec.path, spec.shape, default, spec.description, key, name,
                 text.title, text.title_th, text.meaning, text.meaning_th)


def setting_shape(setting: Setting[Any]) -> Shape:
    """The shape of a lockable setting's value."""
    if setting.type is bool:
        return Shape("boolean")
    if setting.choices is not None:
        return Shape("choice", choices=tuple(str(c) for c in setting.choices))
    if setting.type is int:
        low, high = setting.bounds or (None, None)
        return Shape("integer", minimum=low, maximum=high)
    return Shape("text")


def _setting_entry(setting: Setting[Any]) -> Entry:
    meaning_th = setting.description_th
    if not meaning_th:
        raise MissingText(f"lockable setting {setting.key!r} has no Thai description (description_th)")
    return Entry(
        f"{LOCKED_SETTINGS}.{setting.key}", setting_shape(setting), setting.default, setting.description,
        f"{ADMX_ROOT_KEY}\\{LOCKED_SETTINGS}", setting.key,
        f"Lock {setting.key}", f"ล็อก {setting.key}", setting.description, meaning_th,
        setting.key, setting.type is int, setting.pattern,
    )


def entries() -> list[Entry]:
    """Every policy key, in the model's order, then every lockable setting.

    Raises :class:`MissingText` when key_texts.py lacks a text or has one for no key.
    """
    out = [_key_entry(spec) for spec in KEYS.values()]
    settings = lockable_settings()
    out += [_setting_entry(s) for s in settings.values()]
    extra = sorted(set(KEY_TEXTS) - set(KEYS) - {LOCKED_SETTINGS})
    extra += sorted(set(SECTION_TITLES) - set(SECTIONS))
    if extra:
        raise MissingText(f"key_texts.py has texts for keys the model does not have: {', '.join(extra)}")
    _text(LOCKED_SETTINGS)
    for section in SECTIONS:
        _section_title(section, "en")
    return out


def _section_title(section: str, lang: str) -> str:
    """The Group Policy category's name of a section (or of locked_settings)."""
    if section == LOCKED_SETTINGS:
        text = _text(LOCKED_SETTINGS)
        return text.title_th if lang == "th" else text.title
    titles = SECTION_TITLES.get(section)
    if titles is None:
        raise MissingText(f"policy section {section!r} has no title in key_texts.py SECTION_TITLES")
    return titles[1] if lang == "th" else titles[0]


def policy_key_paths() -> list[str]:
    """Every key path the front-ends must show (the model's keys and locked_settings.<setting>)."""
    return [e.path for e in entries()]


# -- JSON schema --------------------------------------------------------------------------


def _json_type(entry: Entry) -> dict[str, Any]:
    shape = entry.shape
    if shape.kind == "list":
        return {"type": "array", "items": {"type": "string"}, "maxItems": MAX_LIST_ENTRIES}
    if shape.kind == "boolean":
        return {"type": "boolean"}
    if shape.kind == "integer":
        out: dict[str, Any] = {"type": "integer"}
        if shape.minimum is not None:
            out["minimum"] = shape.minimum
        if shape.maximum is not None:
            out["maximum"] = shape.maximum
        return out
    if shape.kind == "choice":
        if entry.numbers:
            return {"type": "integer", "enum": [int(c) for c in shape.choices]}
        return {"type": "string", "enum": list(shape.choices)}
    out = {"type": ["string", "null"] if shape.nullable else "string"}
    if entry.pattern is not None:
        out["pattern"] = f"^(?:{entry.pattern})$"
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a policy file."""
    props: dict[str, Any] = {}
    for entry in entries():
        prop = {"description": entry.description, **_json_type(entry)}
        if entry.setting is None:
            prop["default"] = entry.default
        if entry.path in TOP_LEVEL_VALUES:
            props[entry.path] = prop
            continue
        section, name = entry.path.split(".", 1)
        group = props.setdefault(section, {
            "description": _section_title(section, "en"),
            "type": "object", "additionalProperties": False, "properties": {},
        })
        group["properties"][name] = prop
    order = [*TOP_LEVEL_VALUES, *SECTIONS, LOCKED_SETTINGS]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:govmail:policy:{SCHEMA_VERSION}",
        "title": "GovMail Desktop machine policy",
        "description": "Generated from govmail_desktop/policy (make policy-templates); see docs/admin.md.",
        "type": "object",
        "required": ["schema_version"],
        "additionalProperties": False,
        "properties": {name: props[name] for name in order if name in props},
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


# -- ADMX / ADML ----------------------------------------------------------------------------


def _plain(markdown: str) -> str:
    """Markdown of key_texts.py as plain text (ADML explain texts)."""
    return re.sub(r"\*\*|`", "", markdown).replace("\\*", "*")


def _category(path: str) -> str:
    return path.split(".", 1)[0] if "." in path else "GovMail"


def _categories() -> list[str]:
    return list(dict.fromkeys(_category(e.path) for e in entries() if "." in e.path))


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _policy(parent: ET.Element, entry: Entry) -> None:
    name = entry.policy_name
    # A user-scoped key can be set for computers or for users (HKCU, below the machine's); a rule only
    # for computers.
    attrs = {"name": name, "class": "Both" if entry.user_scoped else "Machine", "displayName": f"$(string.{name})",
             "explainText": f"$(string.{name}_Explain)"}
    if entry.shape.kind != "boolean":
        attrs["presentation"] = f"$(presentation.{name})"
    attrs["key"] = entry.registry_key
    if entry.shape.kind == "boolean":
        attrs["valueName"] = entry.value_name
    policy = _sub(parent, "policy", **attrs)
    _sub(policy, "parentCategory", ref=_category(entry.path))
    _sub(policy, "supportedOn", ref=SUPPORTED)
    if entry.shape.kind == "boolean":
        _sub(_sub(policy, "enabledValue"), "decimal", value="1")
        _sub(_sub(policy, "disabledValue"), "decimal", value="0")
        return
    elements = _sub(policy, "elements")
    shape = entry.shape
    if shape.kind == "list":
        _sub(elements, "multiText", id=name, valueName=entry.value_name)
    elif shape.kind == "integer":
        low = shape.minimum if shape.minimum is not None else 0
        high = shape.maximum if shape.maximum is not None else DWORD_MAX
        _sub(elements, "decimal", id=name, valueName=entry.value_name, minValue=str(low), maxValue=str(high))
    elif shape.kind == "choice":
        numbers = entry.numbers
        enum = _sub(elements, "enum", id=name, valueName=entry.value_name)
        for index, choice in enumerate(shape.choices):
            item = _sub(enum, "item", displayName=f"$(string.{name}_{index})")
            value = _sub(item, "value")
            if numbers:
                _sub(value, "decimal", value=choice)
            else:
                _sub(value, "string", text=choice)
    else:
        _sub(elements, "text", id=name, valueName=entry.value_name, maxLength="4096")


def admx_text() -> str:
    """GovMail.admx: one category per section, one machine policy per key and lockable setting."""
    root = ET.Element("policyDefinitions", {
        "xmlns:xsd": "http://www.w3.org/2001/XMLSchema",
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "revision": f"{SCHEMA_VERSION}.0", "schemaVersion": "1.0", "xmlns": ADMX_NAMESPACE,
    })
    spaces = _sub(root, "policyNamespaces")
    _sub(spaces, "target", prefix="govmail", namespace=TARGET_NAMESPACE)
    _sub(root, "resources", minRequiredRevision=f"{SCHEMA_VERSION}.0")
    _sub(_sub(_sub(root, "supportedOn"), "definitions"), "definition",
         name=SUPPORTED, displayName=f"$(string.{SUPPORTED})")
    categories = _sub(root, "categories")
    _sub(categories, "category", name="GovMail", displayName="$(string.GovMail)")
    for section in _categories():
        cat = _sub(categories, "category", name=section, displayName=f"$(string.cat_{section})")
        _sub(cat, "parentCategory", ref="GovMail")
    policies = _sub(root, "policies")
    for entry in entries():
        _policy(policies, entry)
    return _xml(root)


BOOLEAN_STATES = "Enabled: true (REG_DWORD 1); Disabled: false (REG_DWORD 0); Not configured: not set"
BOOLEAN_STATES_TH = ("เปิดใช้งาน (Enabled): true (REG_DWORD 1) ปิดใช้งาน (Disabled): false (REG_DWORD 0) "
                     "ไม่ได้กำหนด (Not configured): ไม่ตั้งค่า")

#: The line of every explain text that names the policy file key (tests read it back).
EXPLAIN_KEY = {"en": "Policy file key", "th": "คีย์ในไฟล์นโยบาย"}

_ADML_FIXED = {
    "en": {
        "displayName": "GovMail Desktop",
        "description": "Machine policy of GovMail Desktop (HKLM\\SOFTWARE\\Policies\\GovMail).",
        SUPPORTED: "GovMail Desktop, policy schema version 1",
        "GovMail": "GovMail Desktop",
    },
    "th": {
        "displayName": "GovMail Desktop",
        "description": "นโยบายของเครื่องสำหรับ GovMail Desktop (HKLM\\SOFTWARE\\Policies\\GovMail)",
        SUPPORTED: "GovMail Desktop นโยบายรูปแบบรุ่น 1",
        "GovMail": "GovMail Desktop",
    },
}


def _explain(entry: Entry, lang: str) -> str:
    meaning = entry.meaning_th if lang == "th" else entry.meaning
    where = f"HKLM\\{entry.registry_key}\\{entry.value_name}"
    th = lang == "th"
    values = _plain(_values(entry, lang))
    if entry.shape.kind == "boolean":  # the policy itself is the switch (no element)
        values = BOOLEAN_STATES_TH if th else BOOLEAN_STATES
    if entry.user_scoped:
        where += (f"; HKCU\\{entry.registry_key}\\{entry.value_name} "
                  + ("(นโยบายของผู้ใช้ ใช้เมื่อนโยบายของเครื่องไม่ได้กำหนด)" if th
                     else "(the user's policy, used where the machine's sets nothing)"))
    return (f"{_plain(meaning)}\n\n{'ค่าที่ใช้ได้' if th else 'Values'}: {values}\n"
            f"{EXPLAIN_KEY[lang]}: {entry.path}\n{'ค่าในรีจิสทรี' if th else 'Registry value'}: {where}")


def _strings(lang: str) -> Iterator[tuple[str, str]]:
    fixed = _ADML_FIXED[lang]
    yield SUPPORTED, fixed[SUPPORTED]
    yield "GovMail", fixed["GovMail"]
    for section in _categories():
        yield f"cat_{section}", _section_title(section, lang)
    for entry in entries():
        name = entry.policy_name
        yield name, entry.title_th if lang == "th" else entry.title
        yield f"{name}_Explain", _explain(entry, lang)
        for index, choice in enumerate(entry.shape.choices):
            yield f"{name}_{index}", choice


def adml_text(lang: str) -> str:
    """GovMail.adml for ``lang`` ("en": en-US, "th": th-TH)."""
    root = ET.Element("policyDefinitionResources", {
        "xmlns:xsd": "http://www.w3.org/2001/XMLSchema",
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "revision": f"{SCHEMA_VERSION}.0", "schemaVersion": "1.0", "xmlns": ADMX_NAMESPACE,
    })
    _sub(root, "displayName", _ADML_FIXED[lang]["displayName"])
    _sub(root, "description", _ADML_FIXED[lang]["description"])
    resources = _sub(root, "resources")
    table = _sub(resources, "stringTable")
    for sid, text in _strings(lang):
        _sub(table, "string", text, id=sid)
    presentations = _sub(resources, "presentationTable")
    for entry in entries():
        if entry.shape.kind == "boolean":
            continue
        name = entry.policy_name
        label = entry.title_th if lang == "th" else entry.title
        pres = _sub(presentations, "presentation", id=name)
        kind = entry.shape.kind
        if kind == "list":
            _sub(pres, "multiTextBox", label, refId=name)
        elif kind == "integer":
            number = entry.default if isinstance(entry.default, int) else entry.shape.minimum or 0
            _sub(pres, "decimalTextBox", label, refId=name, defaultValue=str(number))
        elif kind == "choice":
            choice = str(entry.default)
            index = entry.shape.choices.index(choice) if choice in entry.shape.choices else 0
            _sub(pres, "dropdownList", label, refId=name, noSort="true", defaultItem=str(index))
        else:
            _sub(_sub(pres, "textBox", refId=name), "label", label)
    return _xml(root)


# -- docs/admin.md --------------------------------------------------------------------------


def _md_value(value: Any) -> str:
    return "`" + json.dumps(value, ensure_ascii=False) + "`"


def _md_default(entry: Entry, lang: str) -> str:
    value = entry.default
    if entry.path == "description":
        return "ข้อความในตัว" if lang == "th" else "built-in text"
    if isinstance(value, list) and len(value) > SHOWN_DEFAULTS:
        head = ", ".join(f"`{v}`" for v in value[:SHOWN_DEFAULTS])
        if lang == "th":
            return f"{head} … (ทั้งหมด {len(value)} รายการ ดู `resources/policy/default-policy.json`)"
        return f"{head} … ({len(value)} in all, see `resources/policy/default-policy.json`)"
    return _md_value(value)


def _registry_type(entry: Entry) -> str:
    """The registry type, and "HKLM, HKCU" for a key the user's policy may set too."""
    return _value_type(entry) + (" (HKLM, HKCU)" if entry.user_scoped else "")


def _value_type(entry: Entry) -> str:
    kind = entry.shape.kind
    if kind == "boolean":
        return "REG_DWORD 0/1"
    if kind == "list":
        return "REG_MULTI_SZ"
    if kind == "integer" or entry.numbers:
        return "REG_DWORD"
    return "REG_SZ"


def _values(entry: Entry, lang: str) -> str:
    shape = entry.shape
    if shape.kind == "boolean":
        return "`true` / `false`"
    if shape.kind == "choice":
        return " / ".join(f"`{c}`" for c in shape.choices)
    if shape.kind == "integer":
        if shape.minimum is None or shape.maximum is None:
            return "จำนวนเต็ม" if lang == "th" else "whole number"
        return f"{shape.minimum}–{shape.maximum}"
    if shape.kind == "list":
        return "รายการข้อความ" if lang == "th" else "list of text"
    if shape.nullable:
        return "ข้อความ หรือ `null`" if lang == "th" else "text or `null`"
    return "ข้อความ" if lang == "th" else "text"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


#: Under the reference tables: which keys the user's policy (HKCU) may set.
USER_SCOPE_NOTE = {
    "en": ("Rows marked (HKLM, HKCU) may also be set in the user's policy `HKCU\\SOFTWARE\\Policies\\GovMail` "
           "(Group Policy: User Configuration); it applies only where no machine source sets the key. Every "
           "other key there is ignored and listed by `govmail-admin policy show`."),
    "th": ("แถวที่มี (HKLM, HKCU) กำหนดในนโยบายของผู้ใช้ `HKCU\\SOFTWARE\\Policies\\GovMail` ได้ด้วย "
           "(Group Policy: User Configuration) โดยมีผลเฉพาะเมื่อไม่มีแหล่งนโยบายของเครื่องกำหนดคีย์นั้น "
           "คีย์อื่นในตำแหน่งนั้นจะไม่ถูกนำมาใช้ และ `govmail-admin policy show` จะแสดงรายการไว้"),
}


def doc_section(lang: str) -> str:
    """The generated key reference of docs/admin.md, with its markers."""
    th = lang == "th"
    lines = [_begin(lang), ""]
    lines.append("| คีย์ | ความหมาย | ค่าที่ใช้ได้ | ค่าเริ่มต้น | ชนิดในรีจิสทรี |" if th
                 else "| Key | Meaning | Values | Default | Registry type |")
    lines.append("|---|---|---|---|---|")
    all_entries = entries()
    for e in all_entries:
        if e.setting is None:
            meaning = e.meaning_th if th else e.meaning
            lines.append(f"| `{e.path}` | {_cell(meaning)} | {_values(e, lang)} | {_md_default(e, lang)} "
                         f"| {_registry_type(e)} |")
    locked = _text(LOCKED_SETTINGS)
    where = f"คีย์ย่อย `{LOCKED_SETTINGS}`" if th else f"subkey `{LOCKED_SETTINGS}`"
    lines.append(f"| `{LOCKED_SETTINGS}` | {_cell(locked.meaning_th if th else locked.meaning)} | "
                 f"{'ออบเจกต์' if th else 'object'} | `{{}}` | {where} |")
    lines.append("")
    lines.append("การตั้งค่าที่ล็อกได้ (`locked_settings`; ในรีจิสทรี: คีย์ย่อย `locked_settings` ชื่อค่าคือชื่อการตั้งค่า):"
                 if th else
                 "Settings that can be locked (`locked_settings`; in the registry: subkey `locked_settings`, "
                 "value name = setting):")
    lines.append("")
    lines.append("| การตั้งค่า | ความหมาย | ค่าที่ใช้ได้ | ค่าเริ่มต้นของผู้ใช้ | ชนิดในรีจิสทรี |" if th
                 else "| Setting | Meaning | Values | User default | Registry type |")
    lines.append("|---|---|---|---|---|")
    for e in all_entries:
        if e.setting is not None:
            meaning = e.meaning_th if th else e.meaning
            lines.append(f"| `{e.setting}` | {_cell(meaning)} | {_values(e, lang)} | {_md_value(e.default)} "
                         f"| {_registry_type(e)} |")
    lines.append("")
    lines.append(USER_SCOPE_NOTE[lang])
    lines += ["", _end(lang)]
    return "\n".join(lines)


class MarkersMissing(Exception):
    """docs/admin.md lacks a BEGIN/END pair of the generated reference."""


def docs_with_reference(doc: str) -> str:
    """``doc`` (docs/admin.md) with both generated sections replaced by the current ones."""
    for lang in ("en", "th"):
        begin, end = _begin(lang), _end(lang)
        start, stop = doc.find(begin), doc.find(end)
        if start < 0 or stop < start or doc.count(begin) != 1 or doc.count(end) != 1:
            raise MarkersMissing(f"{DOC_PATH} needs one {begin!r} ... {end!r} pair")
        doc = doc[:start] + doc_section(lang) + doc[stop + len(end):]
    return doc


def generated_files(current_doc: str) -> dict[str, str]:
    """Repository path -> content of every generated file (docs/admin.md from ``current_doc``)."""
    out = {SCHEMA_PATH: json_schema_text(), ADMX_PATH: admx_text()}
    out.update({path: adml_text(lang) for lang, path in ADML_PATHS.items()})
    out[DOC_PATH] = docs_with_reference(current_doc)
    return out
