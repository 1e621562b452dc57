r"""Where the machine policy is looked for does not follow the user's environment.

``%ProgramData%`` (and platformdirs' ``WIN_PD_OVERRIDE_COMMON_APPDATA``, ``ALLUSERSPROFILE``)
are the user's to set for their own processes; the policy path is asked of the system
(SHGetKnownFolderPath(FOLDERID_ProgramData), policy/winsec.py). A fresh interpreter is
started with the variables pointing into a folder the user owns, and must still name
``<the real ProgramData>\GovMail\policy.json``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govmail_desktop.policy import winsec
from govmail_desktop.policy.sources import windows_policy_path

pytestmark = pytest.mark.windows

ROOT = Path(__file__).resolve().parents[2]
PRINT_PATH = "from govmail_desktop.policy.sources import windows_policy_path; print(windows_policy_path())"


def policy_path_in_child(env):
    proc = subprocess.run([sys.executable, "-c", PRINT_PATH], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return Path(proc.stdout.strip())


def test_the_known_folder_is_the_systems_answer():
    folder = winsec.SystemWindows().known_folder("ProgramData")  # raises if the call fails
    assert winsec.is_local_folder(folder)
    assert Path(folder).is_dir()
    assert windows_policy_path() == Path(folder) / "GovMail" / "policy.json"


def test_a_spoofed_environment_does_not_move_the_machine_policy(tmp_path):
    honest = policy_path_in_child(dict(os.environ))
    spoof = str(tmp_path / "spoofed-programdata")
    env = dict(os.environ)
    for name in ("ProgramData", "PROGRAMDATA", "ALLUSERSPROFILE", "WIN_PD_OVERRIDE_COMMON_APPDATA"):
        env.pop(name, None)
    env.update(PROGRAMDATA=spoof, ALLUSERSPROFILE=spoof, WIN_PD_OVERRIDE_COMMON_APPDATA=spoof)
    spoofed = policy_path_in_child(env)
    assert spoofed == honest
    assert not str(spoofed).lower().startswith(str(tmp_path).lower())
    assert spoofed.parent.parent == Path(winsec.SystemWindows().known_folder("ProgramData"))


def test_without_the_variable_at_all_the_answer_is_the_same():
    env = {k: v for k, v in os.environ.items() if k.upper() not in ("PROGRAMDATA", "ALLUSERSPROFILE")}
    assert policy_path_in_child(env) == windows_policy_path()


def test_a_spoofed_system_drive_does_not_move_it_either(tmp_path):
    """Windows keeps ProgramData as ``%SystemDrive%\\ProgramData`` (ProfileList): the answer
    must not come from this process's own ``SystemDrive``."""
    honest = policy_path_in_child(dict(os.environ))
    env = {k: v for k, v in os.environ.items() if k.upper() != "SYSTEMDRIVE"}
    env["SystemDrive"] = str(tmp_path)
    assert policy_path_in_child(env) == honest
