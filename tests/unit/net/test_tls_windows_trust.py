"""TLS trust on Windows (issue 15): the context trusts the system's certificate stores — on
Windows Python reads the ROOT and CA stores, where Group Policy puts an agency CA — and the
agency CA file is added to them, never instead of them. The `truststore` package is not used
(docs/admin.md, "TLS trust on Windows"; net/tls.py make_context): this test documents it."""

from __future__ import annotations

import ast
import ssl
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from govmail_desktop.net import tls
from govmail_desktop.policy import api

ROOT = Path(__file__).resolve().parents[3]


def planted_bare_context(rules: api.TlsRules) -> ssl.SSLContext:
    """A planted fault: a verifying context that never loads the system's stores."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if rules.ca_file is not None:
        ctx.load_verify_locations(cafile=str(rules.ca_file))
    return ctx


def windows_stores_read(monkeypatch: pytest.MonkeyPatch, make: Callable[[api.TlsRules], ssl.SSLContext],
                        rules: api.TlsRules) -> list[str]:
    """The Windows certificate stores ``make`` reads, as Python's ssl does on Windows."""
    stores: list[str] = []
    monkeypatch.setattr(ssl.SSLContext, "_load_windows_store_certs",
                        lambda self, name, purpose: stores.append(name), raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    try:
        make(rules)
    finally:
        monkeypatch.setattr(sys, "platform", "linux")
    return stores


@pytest.mark.parametrize(("make", "reads"), [(tls.make_context, True), (planted_bare_context, False)])
def test_without_a_ca_file_the_context_reads_the_windows_root_and_ca_stores(monkeypatch, make, reads):
    stores = windows_stores_read(monkeypatch, make, api.TlsRules())
    assert (sorted(stores) == ["CA", "ROOT"]) is reads


def test_the_agency_ca_file_is_added_to_the_system_stores_not_instead(monkeypatch, tmp_path):
    ca = trustme.CA()
    path = tmp_path / "agency-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    stores = windows_stores_read(monkeypatch, tls.make_context, api.TlsRules(ca_file=path))
    assert sorted(stores) == ["CA", "ROOT"]
    ders = tls.make_context(api.TlsRules(ca_file=path)).get_ca_certs(binary_form=True)
    assert ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode()) in ders


def test_the_context_is_pythons_own_verifying_context_not_truststore():
    ctx = tls.make_context(api.TlsRules())
    assert type(ctx) is ssl.SSLContext
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert not [d for d in deps if d.lower().startswith("truststore")]
    importers = []
    for path in (ROOT / "govmail_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "truststore" for n in names):
                importers.append(path.name)
    assert importers == []
    doc = (ROOT / "docs" / "admin.md").read_text(encoding="utf-8")
    for heading in ("### 1c. TLS trust on Windows", "### 1ค. ความเชื่อถือ TLS บน Windows"):  # the decision, en/th
        section = doc[doc.index(heading):]
        section = section[:section.index("\n### ", 1)]
        assert "`truststore`" in section and "ROOT" in section and "CA" in section
