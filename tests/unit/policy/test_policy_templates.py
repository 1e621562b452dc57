r"""The generated policy references (policy/templates.py, ``make policy-templates``).

The JSON schema, the ADMX and both ADMLs and the key reference in docs/admin.md are
generated from the policy model: the files in the repository are current, every key is in
every one of them and nothing else is, the XML references resolve, the schema agrees with the
app's checker on the repository's policies, and the ADMX writes registry values that
policy/registry.py reads. Each guard is shown catching a planted fault.
"""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from govmail_desktop.policy import key_texts, registry, schema, templates
from govmail_desktop.policy.defaults import DEFAULT_POLICY_DATA
from govmail_desktop.policy.key_texts import KeyText

ROOT = Path(__file__).resolve().parents[3]
NS = {"p": templates.ADMX_NAMESPACE}
FILES = [templates.SCHEMA_PATH, templates.ADMX_PATH, *templates.ADML_PATHS.values(), templates.DOC_PATH]
#: Policy files in the repository the schema must accept.
SAMPLES = ["resources/policy/default-policy.json", "docs/sample-policy.json", "tests/data/policy/test-loopback.json"]


def committed(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def generated() -> dict[str, str]:
    return templates.generated_files(committed(templates.DOC_PATH))


def stale_files() -> list[str]:
    return [path for path, text in generated().items() if committed(path) != text]


# -- which keys each front-end shows ---------------------------------------------------------


def schema_keys(text: str) -> set[str]:
    out: set[str] = set()
    for name, prop in json.loads(text)["properties"].items():
        if prop.get("type") == "object" and "properties" in prop:
            out.update(f"{name}.{key}" for key in prop["properties"])
        else:
            out.add(name)
    return out


def admx_policy_path(policy: ET.Element) -> str:
    """The policy file key a policy writes, from its registry key and value name alone."""
    value_names = [policy.get("valueName")] + [
        el.get("valueName") for el in policy.findall("p:elements/*", NS)]
    names = [v for v in value_names if v]
    assert len(names) == 1, policy.get("name")
    key = policy.get("key", "")
    prefix = templates.ADMX_ROOT_KEY
    if key == prefix:
        return names[0]
    assert key.startswith(prefix + "\\"), key
    return f"{key[len(prefix) + 1:]}.{names[0]}"


def admx_keys(text: str) -> set[str]:
    root = ET.fromstring(text)
    return {admx_policy_path(p) for p in root.findall("p:policies/p:policy", NS)}


def adml_keys(text: str, lang: str) -> set[str]:
    root = ET.fromstring(text)
    label = templates.EXPLAIN_KEY[lang] + ": "
    out: set[str] = set()
    for string in root.findall("p:resources/p:stringTable/p:string", NS):
        for line in (string.text or "").splitlines():
            if line.startswith(label):
                out.add(line[len(label):])
    return out


def doc_keys(text: str, lang: str) -> set[str]:
    begin = text.index(f"<!-- BEGIN GENERATED POLICY REFERENCE ({lang})")
    end = text.index(f"<!-- END GENERATED POLICY REFERENCE ({lang})")
    out: set[str] = set()
    table = 0
    for line in text[begin:end].splitlines():
        if line.startswith("|---"):
            table += 1
        found = re.match(r"^\| `([^`]+)` \|", line)
        if found:
            key = found.group(1)
            out.add(key if table == 1 else f"{schema.LOCKED_SETTINGS}.{key}")
    return out


def front_end_keys(files: dict[str, str]) -> dict[str, set[str]]:
    doc = files[templates.DOC_PATH]
    return {
        "schema": schema_keys(files[templates.SCHEMA_PATH]),
        "admx": admx_keys(files[templates.ADMX_PATH]),
        **{f"adml-{lang}": adml_keys(files[path], lang) for lang, path in templates.ADML_PATHS.items()},
        "doc-en": doc_keys(doc, "en") - {schema.LOCKED_SETTINGS},
        "doc-th": doc_keys(doc, "th") - {schema.LOCKED_SETTINGS},
    }


def model_keys() -> set[str]:
    """The keys of the model itself (not through templates.py): KEYS and the lockable settings."""
    return set(schema.KEYS) | {f"{schema.LOCKED_SETTINGS}.{k}" for k in schema.lockable_settings()}


def disagreements(files: dict[str, str]) -> dict[str, tuple[set[str], set[str]]]:
    """front-end -> (keys of the model it lacks, keys it has that the model does not)."""
    want = model_keys()
    out = {}
    for name, keys in front_end_keys(files).items():
        if keys != want:
            out[name] = (want - keys, keys - want)
    return out


# -- the files are current --------------------------------------------------------------------


def test_generated_files_in_the_repository_are_current():
    assert stale_files() == [], "run make policy-templates"


def test_a_changed_range_in_the_model_makes_every_file_stale(monkeypatch):
    spec = schema.KEYS["attachments.max_size_mb"]
    monkeypatch.setitem(schema.KEYS, spec.path, replace(spec, check=schema._int_range(1, 4096)))
    assert sorted(stale_files()) == sorted(FILES)
    assert '"maximum": 4096' in generated()[templates.SCHEMA_PATH]


def test_a_new_choice_in_the_model_makes_the_files_stale(monkeypatch):
    spec = schema.KEYS["recipients.external"]
    monkeypatch.setitem(schema.KEYS, spec.path, replace(spec, check=schema._choice("allow", "warn", "block", "ask")))
    assert sorted(stale_files()) == sorted(FILES)


PLANTED = "attachments.max_count"


def plant_key(monkeypatch: pytest.MonkeyPatch, *, text: bool = True) -> None:
    monkeypatch.setitem(schema.KEYS, PLANTED, schema.KeySpec(
        PLANTED, schema._int_range(1, 100), "Most attachments in one message.", "REG_DWORD"))
    if text:
        monkeypatch.setitem(key_texts.KEY_TEXTS, PLANTED, KeyText("Most attachments", "จำนวนไฟล์แนบสูงสุด",
                                                                  "Most attachments.", "จำนวนไฟล์แนบสูงสุด"))


def test_a_key_added_to_the_model_is_generated_into_every_front_end(monkeypatch):
    plant_key(monkeypatch)
    assert sorted(stale_files()) == sorted(FILES)
    files = generated()
    assert disagreements(files) == {}
    assert all(PLANTED in keys for keys in front_end_keys(files).values())
    # ...and the files in the repository now lack it: the consistency check says where
    found = disagreements({path: committed(path) for path in FILES})
    assert set(found) == {"schema", "admx", "adml-en", "adml-th", "doc-en", "doc-th"}
    assert all(missing == {PLANTED} and not extra for missing, extra in found.values())


def test_a_key_without_texts_is_refused(monkeypatch):
    plant_key(monkeypatch, text=False)
    with pytest.raises(templates.MissingText, match=PLANTED):
        templates.entries()


def test_a_text_for_no_key_is_refused(monkeypatch):
    monkeypatch.setitem(key_texts.KEY_TEXTS, PLANTED, KeyText("a", "ก", "a", "ก"))
    with pytest.raises(templates.MissingText, match=PLANTED):
        templates.entries()


def test_a_lockable_setting_without_thai_text_is_refused(monkeypatch):
    from dataclasses import replace

    from govmail_desktop.core import settings as user_settings

    monkeypatch.setitem(user_settings.SCHEMA, "mail.threading",
                        replace(user_settings.SCHEMA["mail.threading"], description_th=""))
    with pytest.raises(templates.MissingText, match="mail.threading"):
        templates.entries()


def test_docs_without_the_markers_are_refused():
    doc = committed(templates.DOC_PATH).replace("<!-- END GENERATED POLICY REFERENCE (th) -->", "")
    with pytest.raises(templates.MarkersMissing):
        templates.docs_with_reference(doc)


def test_hand_written_prose_around_the_reference_is_kept():
    doc = committed(templates.DOC_PATH)
    changed = doc.replace("### 5. Every key", "### 5. Every key (edited)")
    assert templates.docs_with_reference(changed) == changed
    inside = doc.replace("| `servers.allow` |", "| `servers.allow` | stale |", 1)
    assert templates.docs_with_reference(inside) == doc


# -- every key in every front-end, nothing else -------------------------------------------------


def test_every_key_is_in_every_front_end_and_nothing_else():
    assert disagreements({path: committed(path) for path in FILES}) == {}
    assert model_keys() == set(templates.policy_key_paths())


def _plant_extra(path: str, text: str) -> str:
    extra = "servers.extra"
    if path == templates.SCHEMA_PATH:
        data = json.loads(text)
        data["properties"]["servers"]["properties"]["extra"] = {"type": "string"}
        return json.dumps(data)
    if path == templates.ADMX_PATH:
        return text.replace("<policies>", '<policies><policy name="x" class="Machine" key="SOFTWARE\\Policies\\GovMail'
                     '\\servers" valueName="extra"><enabledValue><decimal value="1" /></enabledValue></policy>', 1)
    if path in templates.ADML_PATHS.values():
        lang = "th" if "th-TH" in path else "en"
        return text.replace("<stringTable>", f'<stringTable><string id="x">{templates.EXPLAIN_KEY[lang]}: {extra}'
                                             "</string>", 1)
    return text.replace("| `servers.allow` |", f"| `{extra}` | x | x | x | x |\n| `servers.allow` |", 1)


@pytest.mark.parametrize("path", FILES)
def test_the_check_catches_a_key_planted_in_one_front_end(path):
    files = {p: committed(p) for p in FILES}
    files[path] = _plant_extra(path, files[path])
    found = disagreements(files)
    assert found, path
    assert all(extra == {"servers.extra"} for _, extra in found.values())
    if path == templates.DOC_PATH:  # the planted row is in the English part only
        assert set(found) == {"doc-en"}
    else:
        assert len(found) == 1


# -- ADMX / ADML are well-formed and their references resolve ---------------------------------------


def reference_problems(admx: str, admls: dict[str, str]) -> list[str]:
    problems: list[str] = []
    root = ET.fromstring(admx)
    categories = {c.get("name") for c in root.findall("p:categories/p:category", NS)}
    supported = {d.get("name") for d in root.findall("p:supportedOn/p:definitions/p:definition", NS)}
    string_refs: set[str] = set()
    presentation_refs: dict[str, set[str]] = {}
    for el in root.iter():
        for value in el.attrib.values():
            string_refs.update(re.findall(r"\$\(string\.([^)]+)\)", value))
    for policy in root.findall("p:policies/p:policy", NS):
        name = policy.get("name", "")
        for ref in policy.findall("p:parentCategory", NS):
            if ref.get("ref") not in categories:
                problems.append(f"{name}: unknown category {ref.get('ref')}")
        for ref in policy.findall("p:supportedOn", NS):
            if ref.get("ref") not in supported:
                problems.append(f"{name}: unknown supportedOn {ref.get('ref')}")
        ids = {el.get("id", "") for el in policy.findall("p:elements/*", NS)}
        pres = policy.get("presentation")
        if ids and not pres:
            problems.append(f"{name}: elements without a presentation")
        if pres:
            presentation_refs[re.fullmatch(r"\$\(presentation\.([^)]+)\)", pres).group(1)] = ids
    for lang, adml in admls.items():
        res = ET.fromstring(adml)
        strings = [s.get("id") or "" for s in res.findall("p:resources/p:stringTable/p:string", NS)]
        if len(strings) != len(set(strings)):
            problems.append(f"{lang}: repeated string ids")
        problems += [f"{lang}: no string {s}" for s in sorted(string_refs - set(strings))]
        problems += [f"{lang}: unused string {s}" for s in sorted(set(strings) - string_refs)]
        shown = {p.get("id") or "": p for p in res.findall("p:resources/p:presentationTable/p:presentation", NS)}
        for pid, ids in presentation_refs.items():
            if pid not in shown:
                problems.append(f"{lang}: no presentation {pid}")
                continue
            refs = {el.get("refId") or "" for el in shown[pid].iter() if el.get("refId")}
            if refs != ids:
                problems.append(f"{lang}: presentation {pid} shows {sorted(refs)}, elements are {sorted(ids)}")
        problems += [f"{lang}: unused presentation {p}" for p in sorted(set(shown) - set(presentation_refs))]
    return problems


def _admls() -> dict[str, str]:
    return {lang: committed(path) for lang, path in templates.ADML_PATHS.items()}


def test_admx_and_adml_are_well_formed_and_every_reference_resolves():
    for path in [templates.ADMX_PATH, *templates.ADML_PATHS.values()]:
        ET.fromstring(committed(path))
    assert reference_problems(committed(templates.ADMX_PATH), _admls()) == []


@pytest.mark.parametrize("fault", ["missing-string", "missing-presentation", "wrong-refid", "bad-category"])
def test_the_reference_check_catches_a_planted_fault(fault):
    admx, admls = committed(templates.ADMX_PATH), _admls()
    if fault == "missing-string":
        admls["th"] = re.sub(r'<string id="servers_allow">[^<]*</string>', "", admls["th"])
    elif fault == "missing-presentation":
        admls["en"] = re.sub(r'<presentation id="servers_allow">.*?</presentation>', "", admls["en"], flags=re.S)
    elif fault == "wrong-refid":
        admls["en"] = admls["en"].replace('refId="servers_allow"', 'refId="servers_alow"')
    else:
        admx = admx.replace('<parentCategory ref="servers" />', '<parentCategory ref="server" />', 1)
    assert reference_problems(admx, admls)


def test_admx_elements_follow_the_model_types():
    root = ET.fromstring(committed(templates.ADMX_PATH))
    policies = {admx_policy_path(p): p for p in root.findall("p:policies/p:policy", NS)}
    for path, spec in schema.KEYS.items():
        policy, shape = policies[path], spec.shape
        element = policy.find("p:elements/*", NS)
        if shape.kind == "boolean":
            assert element is None and policy.find("p:enabledValue/p:decimal", NS).get("value") == "1"
        elif shape.kind == "list":
            assert element.tag == f"{{{templates.ADMX_NAMESPACE}}}multiText", path
        elif shape.kind == "integer":
            assert element.tag.endswith("}decimal")
            assert (int(element.get("minValue")), int(element.get("maxValue"))) == (shape.minimum, shape.maximum)
        elif shape.kind == "choice":
            assert element.tag.endswith("}enum")
            assert tuple(s.text for s in element.findall("p:item/p:value/p:string", NS)) == shape.choices
        else:
            assert element.tag.endswith("}text")


# -- the registry paths are what policy/registry.py reads ------------------------------------------


def _registry_value(policy: ET.Element, default: Any) -> tuple[int, Any]:
    """(type, data) the Group Policy editor writes for ``policy`` enabled with the model's default."""
    element = policy.find("p:elements/*", NS)
    if element is None:
        return registry.REG_DWORD, int(policy.find("p:enabledValue/p:decimal", NS).get("value"))
    tag = element.tag.split("}")[1]
    if tag == "multiText":
        return registry.REG_MULTI_SZ, list(default or [])
    if tag == "decimal":
        return registry.REG_DWORD, int(default if default is not None else element.get("minValue"))
    if tag == "enum":
        value = element.find("p:item/p:value/*", NS)
        if value.tag.endswith("}decimal"):
            return registry.REG_DWORD, int(value.get("value"))
        return registry.REG_SZ, value.text
    return registry.REG_SZ, default or ""


def _lockable_sample(setting: Any) -> Any:
    """A value the setting accepts: its default, else a server or folder name (empty is no host)."""
    for candidate in (setting.default, "mail.go.th", "INBOX.Trash"):
        try:
            return setting.validate(candidate)
        except ValueError:
            continue
    raise AssertionError(setting.key)


def registry_tree(admx: str) -> tuple[dict[str, dict[str, tuple[int, Any]]], list[str]]:
    """The registry the ADMX's policies write (all enabled), and the policy file keys they are."""
    tree: dict[str, dict[str, tuple[int, Any]]] = {}
    paths = []
    defaults = {f"{schema.LOCKED_SETTINGS}.{k}": _lockable_sample(s) for k, s in schema.lockable_settings().items()}
    for path, value in DEFAULT_POLICY_DATA.items():
        if isinstance(value, dict):
            defaults.update({f"{path}.{k}": v for k, v in value.items()})
        else:
            defaults[path] = value
    for policy in ET.fromstring(admx).findall("p:policies/p:policy", NS):
        key = policy.get("key", "")
        assert ("HKLM\\" + key + "\\").startswith(registry.REGISTRY_ROOT + "\\"), key
        sub = key[len(templates.ADMX_ROOT_KEY) + 1:]
        names = [policy.get("valueName")] + [el.get("valueName") for el in policy.findall("p:elements/*", NS)]
        name = next(n for n in names if n)
        path = admx_policy_path(policy)
        tree.setdefault(sub, {})[name] = _registry_value(policy, defaults.get(path))
        paths.append(path)
    return tree, paths


def test_the_registry_reader_reads_every_admx_value():
    tree, paths = registry_tree(committed(templates.ADMX_PATH))
    data, problems, labels = registry.read_registry_policy(registry.InMemoryRegistry(tree))
    assert [p.text("en") for p in problems] == []
    assert sorted(labels) == sorted(paths)
    assert [p.text("en") for p in schema.validate(data)] == []


@pytest.mark.parametrize("fault", ["subkey", "value-name", "type"])
def test_the_registry_check_catches_a_planted_wrong_location(fault):
    admx = committed(templates.ADMX_PATH)
    if fault == "subkey":
        admx = admx.replace('GovMail\\servers"', 'GovMail\\server"', 1)
    elif fault == "value-name":
        admx = admx.replace('valueName="max_size_mb"', 'valueName="max_size"')
    else:
        admx = admx.replace('<decimal id="attachments_max_size_mb"', '<text id="attachments_max_size_mb"')
    tree, _ = registry_tree(admx)
    _, problems, _ = registry.read_registry_policy(registry.InMemoryRegistry(tree))
    assert problems


# -- the JSON schema ---------------------------------------------------------------------------------

_TYPES = {"object": dict, "array": list, "string": str, "null": type(None)}


def schema_errors(value: Any, rule: dict[str, Any], where: str = "") -> list[str]:
    """A minimal validator for the subset of JSON Schema the generator writes (jsonschema is not
    installed): type, enum, minimum, maximum, maxItems, items, pattern, properties,
    additionalProperties, required."""
    errors: list[str] = []
    types = rule.get("type")
    if types is not None:
        def fits(name: str) -> bool:
            if name == "integer":
                return isinstance(value, int) and not isinstance(value, bool)
            if name == "boolean":
                return isinstance(value, bool)
            return isinstance(value, _TYPES[name])
        if not any(fits(t) for t in ([types] if isinstance(types, str) else types)):
            return [f"{where}: not {types}"]
    if "enum" in rule and value not in rule["enum"]:
        errors.append(f"{where}: not one of {rule['enum']}")
    if "minimum" in rule and value < rule["minimum"] or "maximum" in rule and value > rule["maximum"]:
        errors.append(f"{where}: out of range")
    if "pattern" in rule and not re.search(rule["pattern"], value):
        errors.append(f"{where}: does not match")
    if isinstance(value, list):
        if len(value) > rule.get("maxItems", len(value)):
            errors.append(f"{where}: too many items")
        for item in value:
            errors += schema_errors(item, rule.get("items", {}), where + "[]")
    if isinstance(value, dict):
        props = rule.get("properties", {})
        errors += [f"{where}.{k}: required" for k in rule.get("required", []) if k not in value]
        for key, item in value.items():
            if key in props:
                errors += schema_errors(item, props[key], f"{where}.{key}")
            elif rule.get("additionalProperties") is False:
                errors.append(f"{where}.{key}: unknown key")
    return errors


def policy_schema() -> dict[str, Any]:
    return json.loads(committed(templates.SCHEMA_PATH))


def test_the_schema_is_draft_2020_12():
    assert policy_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", SAMPLES)
def test_the_schema_accepts_the_repository_policies(name):
    data = json.loads(committed(name))
    assert schema_errors(data, policy_schema()) == []
    assert schema_errors(DEFAULT_POLICY_DATA, policy_schema()) == []


def _bad(change: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(DEFAULT_POLICY_DATA)
    for section, values in change.items():
        if isinstance(values, dict) and isinstance(data.get(section), dict):
            data[section].update(values)
        else:
            data[section] = values
    return data


@pytest.mark.parametrize("change", [
    {"bogus": 1},
    {"tls": {"required": False}},
    {"locked_settings": {"no.such.setting": True}},
    {"servers": {"allow": "mail.go.th"}},
    {"attachments": {"max_size_mb": "25"}},
    {"attachments": {"max_size_mb": 0}},
    {"recipients": {"external": "sometimes"}},
    {"content": {"remote_http": "yes"}},
    {"locked_settings": {"ui.thai_digits": "yes"}},
    {"locked_settings": {"ui.pane_sizes": "wide"}},
    {"schema_version": 2},
], ids=repr)
def test_the_schema_rejects_what_the_app_rejects(change):
    data = _bad(change)
    assert schema_errors(data, policy_schema()) != []
    assert schema.validate(data) != []
