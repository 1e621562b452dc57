"""govmail-admin with hostile policy files (nested, huge, many ranges, many patterns).

`policy validate` and `policy show --file` exit 1 naming the problem; `check-server
--policy FILE` refuses with `policy-invalid` (exit 1) without contacting anything;
never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govmail_desktop.admin.cli import main
from govmail_desktop.i18n import set_language
from govmail_desktop.policy import api
from tests.hostile_policies import HOSTILE_FILES
from tests.servers.fake_base import SilentListener


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language("th")


@pytest.fixture(params=sorted(HOSTILE_FILES))
def hostile(request, tmp_path) -> tuple[Path, str]:
    data, phrase = HOSTILE_FILES[request.param]
    path = tmp_path / f"{request.param}.json"
    path.write_bytes(data)
    return path, phrase


def test_policy_validate_lists_the_problem_and_exits_1(hostile, capsys):
    path, phrase = hostile
    assert main(["--lang", "en", "policy", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "problem(s) found" in out and phrase in out and str(path) in out
    assert main(["policy", "validate", "--json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and any(phrase in p["message_en"] for p in report["problems"])
    assert main(["--lang", "th", "policy", "validate", str(path)]) == 1
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in capsys.readouterr().out)


def test_policy_show_says_the_app_will_connect_nowhere(hostile, capsys):
    path, phrase = hostile
    assert main(["--lang", "en", "policy", "show", "--file", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Status: INVALID" in out and phrase in out
    assert main(["policy", "show", "--json", "--file", str(path)]) == 1
    assert json.loads(capsys.readouterr().out)["valid"] is False


def test_check_server_refuses_with_policy_invalid_and_contacts_nothing(hostile, capsys):
    path, phrase = hostile
    with SilentListener("127.0.0.2") as listener:
        code = main(["--lang", "en", "check-server", "mail.go.th", "--port", str(listener.port),
                     "--resolve", f"mail.go.th:{listener.host}", "--policy", str(path)])
        out = capsys.readouterr().out
        assert code == 1
        assert phrase in out and "Verdict: REFUSED (policy-invalid)" in out
        code = main(["check-server", "mail.go.th", "--port", str(listener.port),
                     "--resolve", f"mail.go.th:{listener.host}", "--policy", str(path), "--json"])
        report = json.loads(capsys.readouterr().out)
        assert not listener.connection_attempted()
    assert code == 1 and report["verdict"] == "refused" and report["reason_code"] == api.POLICY_INVALID


def test_installed_script_prints_no_traceback(hostile):
    path, phrase = hostile
    script = Path(sys.executable).with_name("govmail-admin")
    for args in (["policy", "validate", str(path)], ["policy", "show", "--file", str(path)],
                 ["check-server", "mail.go.th", "--resolve", "mail.go.th:127.0.0.2", "--policy", str(path)]):
        result = subprocess.run([str(script), "--lang", "en", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.strip() == "", result.stderr
        assert phrase in result.stdout
