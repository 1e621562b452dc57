"""Hostile policy files, shared by the loader, govmail-admin and start-up tests.

``HOSTILE_FILES`` are the four kinds of hostile file (nested, huge, many
ranges, many patterns), each with a phrase its English problem text must
contain. ``hostile_corpus()`` is the wider set the loader guard feeds through
every entry point: each must give a result (valid, or invalid with a reason),
never an exception.
"""

from __future__ import annotations

import json
from typing import Any


def _doc(**sections: Any) -> bytes:
    return json.dumps({"schema_version": 1, **sections}).encode("utf-8")


#: name -> (file bytes, phrase of the English problem text)
HOSTILE_FILES: dict[str, tuple[bytes, str]] = {
    "nested": (b"[" * 1000 + b"]" * 1000, "nested more than"),
    "huge": (_doc(description="x" * (2 * 1024 * 1024)), "larger than"),
    "many-ranges": (_doc(addresses={"allow_cidrs": [f"{i}.0.0.0/8" for i in range(1, 256)]}), "together"),
    "many-patterns": (_doc(servers={"deny": [f"h{i}.example.com" for i in range(20_000)]}), "at most"),
}


def hostile_corpus() -> dict[str, bytes]:
    """name -> file bytes: everything a careless or hostile file could hold."""
    many_keys = "{" + ",".join(f'"k{i}": {i}' for i in range(60_000)) + "}"
    corpus: dict[str, bytes] = {name: data for name, (data, _) in HOSTILE_FILES.items()}
    corpus.update({
        # nesting, at the top, in a value, unterminated, objects
        "nested-objects": b'{"a":' * 5000 + b"1" + b"}" * 5000,
        "nested-in-a-value": b'{"schema_version": 1, "description": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        "nested-in-a-list": _doc(servers={"allow": [[[[[["mail.go.th"]]]]]]}),
        "nested-just-over": b'{"schema_version": 1, "description": ' + b"[" * 40 + b"]" * 40 + b"}",
        "unterminated-nesting": b"[" * 200_000,
        "brackets-in-strings": _doc(description="[" * 100_000),
        # size
        "huge-whitespace": b" " * (3 * 1024 * 1024) + b"{}",
        "many-unknown-keys": many_keys.encode(),
        "many-duplicate-keys": ("{" + ",".join('"schema_version": 1' for _ in range(50_000)) + "}").encode(),
        "many-locked-settings": _doc(locked_settings={f"s{i}": i for i in range(30_000)}),
        # wrong types everywhere
        "top-list": b"[1, 2, 3]",
        "top-null": b"null",
        "top-string": b'"policy"',
        "top-number": b"1",
        "empty": b"",
        "bom-only": b"\xef\xbb\xbf",
        "wrong-types": _doc(
            description=["x"], servers={"allow": {"a": 1}, "deny": [1, None, True]},
            addresses={"allow_cidrs": [{"x": 1}]}, tls={"min_version": [], "ca_file": 3, "spki_pins": "x"},
            accounts=[], recipients={"external": None, "free_mail_domains": [[]]},
            content={"remote_content": {}}, attachments={"max_size_mb": "20", "blocked_extensions": [0]},
            locked_settings={"mail.remote_content": [], "ui.thai_digits": "yes", "account.imap_port": -1},
        ),
        "section-not-object": _doc(servers="mail.go.th", locked_settings=["x"]),
        # numbers
        "huge-integer": b'{"schema_version": 1, "attachments": {"max_size_mb": ' + b"9" * 5000 + b"}}",
        "huge-integer-top": b"9" * 10_000,
        "huge-integer-key": b'{"schema_version": ' + b"1" * 100_000 + b"}",
        "float-overflow": b'{"schema_version": 1e999, "attachments": {"max_size_mb": -1e999}}',
        "nan": b'{"schema_version": NaN, "locked_settings": {"account.imap_port": NaN}}',
        "infinity": b'{"schema_version": Infinity, "locked_settings": {"ui.thai_digits": -Infinity}}',
        "long-fraction": b'{"schema_version": 1.' + b"0" * 100_000 + b"}",
        "negative-zero": b'{"schema_version": -0, "attachments": {"max_size_mb": 0}}',
        # text encodings
        "invalid-utf8": b'{"schema_version": 1, "description": "\xff\xfe\xc0\xaf"}',
        "utf16-bom": b"\xff\xfe" + '{"schema_version": 1}'.encode("utf-16-le"),
        "utf32": '{"schema_version": 1}'.encode("utf-32"),
        "latin1-key": b'{"schema_version": 1, "d\xe9scription": "x"}',
        "double-bom": b"\xef\xbb\xbf\xef\xbb\xbf{}",
        "lone-surrogate-value": b'{"schema_version": 1, "description": "\\ud800"}',
        "lone-surrogate-key": b'{"schema_version": 1, "\\udfff": 1}',
        "lone-surrogate-host": b'{"schema_version": 1, "servers": {"allow": ["\\ud83d.go.th"]}}',
        "nul-and-controls": _doc(
            description="a\x00b\x1b[31m", servers={"allow": ["mail\x00.go.th", "mail.go.th\r\n"]},
            tls={"ca_file": "/tmp/a\x00b"}, locked_settings={"ui.language": "th\x00"},
        ),
        # weird unicode
        "weird-unicode": _doc(
            description="\u202eliated\u202c \u200b\ufeff \U0001f600",
            servers={"allow": ["ｍａｉｌ.go.th", "mail.gо.th", "\u200bmail.go.th", "mail.go.th\u3002",
                               "xn--.go.th", "xn--zz-zzzz.go.th", "ᄀ.go.th", "\u0e01\u0e02.go.th"],
                     "deny": ["\u00ad" * 100_000 + "gmail.com", "gmx.\u2024*"]},
            accounts={"allowed_domains": ["\u202ego.th", "go.th\u202c"]},
            attachments={"blocked_extensions": [".ｅｘｅ", ".\u202eexe", "." + "\u0301" * 1000]},
        ),
        "thai-keys": _doc(นโยบาย={"อนุญาต": ["mail.go.th"]}),
        # very long strings
        "long-host": _doc(servers={"allow": ["a" * 1_000_000]}),
        "long-key": ('{"schema_version": 1, "' + "k" * 1_000_000 + '": 1}').encode(),
        "long-ca-path": _doc(tls={"ca_file": "/" + "a" * 100_000}),
        "long-ca-relative": _doc(tls={"ca_file": "a/" * 50_000}),
        "long-pin": _doc(tls={"spki_pins": ["A" * 900_000 + "="]}),
        "long-cidr": _doc(addresses={"allow_cidrs": ["1" * 500_000 + "/8"]}),
        "long-setting-value": _doc(locked_settings={"account.imap_host": "a" * 500_000}),
        # address ranges
        "translation-prefixes": _doc(addresses={"allow_cidrs": [
            "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32"]}),
        "scoped-ranges": _doc(addresses={"allow_cidrs": ["fe80::%eth0/64", "::1%1/128", "10.0.0.0%1/8"]}),
        "many-small-ranges": _doc(addresses={"allow_cidrs": [f"203.{i // 256}.{i % 256}.0/24"
                                                             for i in range(10_000)]}),
        "many-v6-ranges": _doc(addresses={"allow_cidrs": [f"2{i:03x}::/16" for i in range(1, 4096)]}),
        # patterns
        "many-patterns-each-list": _doc(
            servers={"allow": [f"m{i}.go.th" for i in range(10_000)],
                     "deny": [f"d{i}.*" for i in range(10_000)]},
            recipients={"internal_domains": [f".r{i}.go.th" for i in range(10_000)]},
        ),
        "many-pins": _doc(tls={"spki_pins": ["A" * 43 + "="] * 20_000}),
        "many-extensions": _doc(attachments={"blocked_extensions": [f".x{i}" for i in range(20_000)]}),
        "locked-forbidden-host": _doc(locked_settings={"account.imap_host": "imap.gmail.com",
                                                       "account.smtp_host": "[::1]"}),
        "schema-versions": _doc(schema_version=2**70),
    })
    return corpus
