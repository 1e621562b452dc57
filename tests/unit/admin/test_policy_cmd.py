"""govmail-admin policy show / validate, in English and Thai, via main() and the installed script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govmail_desktop.admin.cli import main
from govmail_desktop.i18n import set_language

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "docs" / "sample-policy.json"
LOOPBACK = ROOT / "tests" / "data" / "policy" / "test-loopback.json"


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_accepts_a_valid_file(capsys):
    assert main(["--lang", "en", "policy", "validate", str(SAMPLE)]) == 0
    assert "the policy is valid" in capsys.readouterr().out


def test_validate_lists_every_problem_with_its_key(tmp_path, capsys):
    bad = write(tmp_path, json.dumps({
        "schema_version": 1,
        "servers": {"alow": ["mail.go.th"]},
        "tls": {"min_version": "1.0"},
        "addresses": {"allow_cidrs": ["10.0.0.300/8"]},
    }))
    assert main(["--lang", "en", "policy", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "3 problem(s)" in out
    assert "servers.alow" in out and "unknown key" in out
    assert "tls.min_version" in out and "1.0" in out
    assert "addresses.allow_cidrs" in out and "10.0.0.300/8" in out


def test_validate_reports_json_syntax_with_line_and_column(tmp_path, capsys):
    bad = write(tmp_path, '{\n  "schema_version": 1,\n  "servers": {"allow": ["mail.go.th",]}\n}\n')
    assert main(["--lang", "en", "policy", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "line 3, column" in out


def test_validate_in_thai(tmp_path, capsys):
    bad = write(tmp_path, json.dumps({"schema_version": 1, "tls": {"min_version": "1.0"}}))
    assert main(["--lang", "th", "policy", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "ไม่ใช่ค่าที่ใช้ได้" in out and "tls.min_version" in out


def test_validate_json_output(tmp_path, capsys):
    bad = write(tmp_path, json.dumps({"schema_version": 1, "tls": {"min_version": "1.0"}}))
    assert main(["policy", "validate", "--json", str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert [p["key"] for p in report["problems"]] == ["tls.min_version"]
    assert report["problems"][0]["message_th"] != report["problems"][0]["message_en"]


def test_validate_missing_file(tmp_path, capsys):
    assert main(["--lang", "en", "policy", "validate", str(tmp_path / "none.json")]) == 1
    assert "cannot be read" in capsys.readouterr().out


def test_show_lists_values_and_sources(capsys):
    assert main(["--lang", "en", "policy", "show", "--file", str(LOOPBACK)]) == 0
    out = capsys.readouterr().out
    assert "Status: valid" in out
    lines = out.splitlines()
    i = lines.index("addresses.allow_cidrs = 127.0.0.0/8, ::1/128")
    assert str(LOOPBACK) in lines[i + 1]
    i = lines.index("tls.min_version = 1.2")
    assert "built-in default" in lines[i + 1]


def test_show_json(capsys):
    assert main(["policy", "show", "--json", "--file", str(LOOPBACK)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True
    assert report["policy"]["addresses"]["allow_cidrs"] == ["127.0.0.0/8", "::1/128"]
    assert report["sources"]["addresses.allow_cidrs"] == str(LOOPBACK)
    assert report["sources"]["servers.deny"] == "built-in default"


def test_show_broken_policy_says_it_fails_closed(tmp_path, capsys):
    bad = write(tmp_path, json.dumps({"schema_version": 1, "servers": {"allow": "mail.go.th"}}))
    assert main(["--lang", "th", "policy", "show", "--file", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "servers.allow" in out
    assert "ค่าเริ่มต้นของโปรแกรม" in out  # sources in Thai


def test_show_machine_policy_default(capsys):
    code = main(["--lang", "en", "policy", "show", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == (0 if report["valid"] else 1)
    assert "servers.allow" in report["sources"]


def test_installed_script(tmp_path):
    script = Path(sys.executable).with_name("govmail-admin")
    bad = write(tmp_path, '{"schema_version": 1, "tls": {"min_version": "1.1"}}')
    result = subprocess.run([str(script), "--lang", "en", "policy", "validate", str(bad)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "tls.min_version" in result.stdout
    result = subprocess.run([str(script), "--lang", "th", "policy", "validate", str(LOOPBACK)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert str(LOOPBACK) in result.stdout


def test_policy_show_into_a_closed_pipe_is_quiet():
    """`govmail-admin policy show | head -1` must not end in a traceback."""
    import subprocess
    import sys

    script = "from govmail_desktop.admin.cli import main; import sys; sys.exit(main(['policy', 'show']))"
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert proc.returncode == 0
