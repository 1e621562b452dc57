"""What ``govmail-admin doctor`` looks at, gathered from this computer (admin/doctor.py judges it).

Every lookup is the one the app itself uses: the package data through
:mod:`govmail_desktop.resources`, the machine policy through
:func:`policy.sources.load_machine_policy` (what ``policy show`` prints), the keyring
through :class:`credentials.CredentialStore`, the servers through
:func:`admin.check_server.check_server`. Tests inject facts into doctor.py's checks
instead of calling these.

The keyring probe writes nothing. It is :meth:`CredentialStore.check_available` —
the check the app makes before it offers to save a password: a lookup, under the app's
own service name, of an entry name no account has. Writing and deleting a test entry
was rejected: doctor is often run by IT staff over SSH or by Ansible, where a write
can create a keyring collection or raise an unlock prompt on the user's desktop, and
a run killed between the write and the delete would leave an entry behind in the
user's keyring. A read of a missing name already goes through the same backend, D-Bus
session and unlock as a write, so it finds the usual faults (no keyring, a file-based
keyring the app refuses, a locked or half-working Secret Service). No secret is read
(the name has none) or printed.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, cast

from govmail_desktop import __version__, resources
from govmail_desktop.admin.check_server import CheckResult, check_server
from govmail_desktop.admin.doctor import (
    TRANSLATION_FILES,
    FontFacts,
    InstallFacts,
    KeyringFacts,
    PolicyFacts,
    Report,
    ServerFacts,
    ServerTarget,
    build_report,
)
from govmail_desktop.core.accounts import (
    LOCK_IMAP_HOST,
    LOCK_IMAP_PORT,
    LOCK_IMAP_SECURITY,
    LOCK_SMTP_HOST,
    LOCK_SMTP_PORT,
    LOCK_SMTP_SECURITY,
    AccountStore,
    ServerSettings,
)
from govmail_desktop.core.errors import CredentialsError, GovMailError
from govmail_desktop.core.paths import AppPaths
from govmail_desktop.core.settings import Settings
from govmail_desktop.credentials import CredentialStore, backend_name
from govmail_desktop.policy import winsec
from govmail_desktop.policy.sources import (
    LINUX_POLICY_PATH,
    EffectivePolicy,
    load_machine_policy,
    load_policy_file,
    posix_file_problems,
    windows_file_problems,
    windows_policy_path,
)

# -- install and fonts -------------------------------------------------------------------

def install_facts() -> InstallFacts:
    translations = resources.translations_dir()
    return InstallFacts(
        version=__version__,
        python=platform.python_version(),
        frozen=bool(getattr(sys, "frozen", False)),
        icons_location=str(resources.icons_dir()),
        icon_names=tuple(resources.icon_names()),
        translations_location=str(translations),
        translation_files=tuple(name for name in TRANSLATION_FILES if (translations / name).is_file()),
    )


def fontconfig_thai_families(
    run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run, *, timeout: float = 10.0,
) -> tuple[str, ...] | None:
    """The Thai-capable families fontconfig knows (``fc-list :lang=th family``); None when
    fontconfig is not there to ask (not Linux, fc-list not installed, it failed)."""
    if not sys.platform.startswith("linux"):
        return None
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        proc = run([fc_list, ":lang=th", "family"], capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    # One font per line; a family with names in several languages is "Loma,ลอมา".
    return tuple(sorted({line.split(",")[0].strip() for line in proc.stdout.splitlines() if line.strip()}))


def font_facts(timeout: float = 10.0) -> FontFacts:
    files = resources.font_files(resources.FONT_STYLES)
    first = files[0] if files else None
    location = str(first.parent) if isinstance(first, Path) else str(first or "")
    return FontFacts(
        sarabun_files=tuple(f.name for f in files),
        sarabun_location=location,
        thai_families=fontconfig_thai_families(timeout=timeout),
    )


# -- keyring ------------------------------------------------------------------------------

def _chosen_backend() -> str:
    """The backend ``keyring`` picks, ``module.Class`` (a chainer: its backends); "" if none loads."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    try:
        chosen = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a backend that fails to load is "none" here; the probe says why
        return ""
    if isinstance(chosen, ChainerBackend):
        return ", ".join(backend_name(b) for b in chosen.backends) or backend_name(chosen)
    return backend_name(chosen)


def keyring_facts(store: CredentialStore, *, timeout: float = 10.0,
                  chosen_backend: Callable[[], str] = _chosen_backend) -> KeyringFacts:
    """Which backend keyring picks, and whether the app can keep passwords in it (see the
    module's docstring: a read of a name no account has; nothing is written)."""
    outcome: dict[str, Any] = {}

    def probe() -> None:
        try:
            outcome["chosen"] = chosen_backend()
            backend = store.backend()
            outcome["usable"] = backend_name(backend)
            store.check_available()
        except CredentialsError as exc:
            outcome["error"] = exc

    # A locked Secret Service may wait for an unlock prompt that no one answers (SSH, Ansible).
    worker = threading.Thread(target=probe, name="doctor-keyring", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return KeyringFacts(chosen=outcome.get("chosen", ""), usable=outcome.get("usable"), timed_out=True,
                            timeout=timeout)
    error: CredentialsError | None = outcome.get("error")
    return KeyringFacts(
        chosen=outcome.get("chosen", ""),
        usable=outcome.get("usable") if error is None else None,
        error_code=error.code if error is not None else None,
        error_text=error.message if error is not None else None,
    )


# -- policy -------------------------------------------------------------------------------

def policy_facts(policy_file: Path | None = None, *, platform_name: str = sys.platform) -> PolicyFacts:
    """The policy in force as ``policy show`` loads it, the file this platform reads, and who
    may change that file (the same permission check the loading made)."""
    if policy_file is not None:
        return PolicyFacts(load_policy_file(policy_file), policy_file, explicit=True)
    effective = load_machine_policy(platform=platform_name)
    if platform_name.startswith("win"):
        windows = winsec.SystemWindows()
        path = windows_policy_path(windows)
        problems = windows_file_problems(path, windows)
    else:
        path = LINUX_POLICY_PATH
        problems = posix_file_problems(path)
    return PolicyFacts(effective, path, permission_problems=None if problems is None else tuple(problems))


# -- servers ------------------------------------------------------------------------------

Protocol = Literal["imap", "smtp"]
Security = Literal["tls", "starttls"]


def policy_targets(effective: EffectivePolicy) -> list[ServerTarget]:
    """The servers the machine policy itself sets: the provisioned account's, then locked account servers."""
    targets: list[ServerTarget] = []
    provisioning = effective.policy.provisioning
    if provisioning.enabled:
        if provisioning.imap_host:
            targets.append(ServerTarget("imap", provisioning.imap_host, provisioning.imap_port,
                                        cast(Security, provisioning.imap_security), "policy"))
        if provisioning.smtp_host:
            targets.append(ServerTarget("smtp", provisioning.smtp_host, provisioning.smtp_port,
                                        cast(Security, provisioning.smtp_security), "policy"))
    locked = effective.locked_settings()
    for protocol, host_key, port_key, security_key in (
        ("imap", LOCK_IMAP_HOST, LOCK_IMAP_PORT, LOCK_IMAP_SECURITY),
        ("smtp", LOCK_SMTP_HOST, LOCK_SMTP_PORT, LOCK_SMTP_SECURITY),
    ):
        host = locked.get(host_key)
        if host:
            targets.append(ServerTarget(cast(Protocol, protocol), str(host), locked.get(port_key),
                                        locked.get(security_key), "policy"))
    return targets


def account_targets(settings_file: Path, effective: EffectivePolicy) -> tuple[list[ServerTarget], list[str]]:
    """The servers of the user's accounts (the settings file, under the policy's locks), and the
    problems found reading them. The file is only read: a broken one is reported, never moved."""
    try:
        raw = settings_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"{settings_file}: {exc.strerror or exc}"]
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return [], [f"{settings_file}: {exc}"]
    if not isinstance(data, dict):
        return [], [f"{settings_file}: not a JSON object"]
    try:
        settings = Settings.load(settings_file, locked=effective.locked_settings())
    except GovMailError as exc:
        return [], [f"{settings_file}: {exc.detail or exc}"]
    store = AccountStore(settings)
    targets: list[ServerTarget] = []
    for account in store.list():
        targets.append(ServerTarget("imap", account.imap.host, account.imap.port, account.imap.security,
                                    account.address))
        smtp = account.smtp
        if isinstance(smtp, ServerSettings):
            targets.append(ServerTarget("smtp", smtp.host, smtp.port, smtp.security, account.address))
        else:
            targets.append(ServerTarget("smtp", smtp.host, None, None, account.address))
    return targets, list(store.problems)


def unique(targets: Sequence[ServerTarget]) -> list[ServerTarget]:
    """Each server once (the first who set it is named)."""
    seen: set[tuple[str, str, int | None, str | None]] = set()
    kept = []
    for target in targets:
        key = (target.protocol, target.host, target.port, target.security)
        if key not in seen:
            seen.add(key)
            kept.append(target)
    return kept


def check_targets(targets: Sequence[ServerTarget], effective: EffectivePolicy, *, source: str,
                  timeout: float) -> list[CheckResult]:
    """check-server's own check of each target with the policy in force (no credentials sent)."""
    policy = effective.server_policy()
    return [
        check_server(t.host, policy, policy_source=source, port=t.port, smtp=t.protocol == "smtp",
                     security=t.security, timeout=timeout)
        for t in targets
    ]


def server_facts(policy: PolicyFacts, *, settings_file: Path, offline: bool, timeout: float) -> ServerFacts:
    from_accounts, problems = account_targets(settings_file, policy.effective)
    targets = unique([*policy_targets(policy.effective), *from_accounts])
    if offline:
        return ServerFacts(tuple(targets), offline=True, account_problems=tuple(problems))
    source = str(policy.path) if policy.explicit else "machine"
    results = check_targets(targets, policy.effective, source=source, timeout=timeout)
    return ServerFacts(tuple(targets), tuple(results), account_problems=tuple(problems))


# -- all of it ------------------------------------------------------------------------------

def gather(store: CredentialStore, *, policy_file: Path | None = None, offline: bool = False,
           timeout: float = 10.0, settings_file: Path | None = None) -> Report:
    """The whole report for this computer and user (``store``: the password store the app
    would use, built by the command, :func:`admin.doctor.run`)."""
    policy = policy_facts(policy_file)
    return build_report(
        __version__,
        install=install_facts(),
        fonts=font_facts(timeout),
        keyring=keyring_facts(store, timeout=timeout),
        policy=policy,
        servers=server_facts(policy, settings_file=settings_file or AppPaths.default().current_settings_file(),
                             offline=offline, timeout=timeout),
    )
