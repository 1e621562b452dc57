r"""Where the policy comes from, in what order, and failing closed when it is broken.

Precedence (later wins, per key; a list replaces the whole list below it):

1. the built-in default (defaults.py);
2. the machine policy file: Linux ``/etc/govmail/policy.json``; Windows
   ``<ProgramData>\GovMail\policy.json``, the folder asked of the system
   (known-folder API, winsec.py), never of the environment;
3. Windows only: Group Policy values under ``HKLM\SOFTWARE\Policies\GovMail``
   (registry.py) — they win over the Windows file, key by key.

Below every machine source, just above the built-in default, Windows only: the user's
Group Policy under ``HKCU\SOFTWARE\Policies\GovMail``, for the user-scoped keys only
(schema.key_scope: content preferences, locks of user preferences). A machine-only key
there (servers, addresses, TLS, pins, accounts, recipients, attachments, provisioning, the
search cap, a lock of an account's server) is ignored and listed in
:attr:`EffectivePolicy.findings` (``govmail-admin policy show`` prints them, the log too);
the machine policy never changes because of it.

A machine source that cannot be read, is not valid JSON, or has an unknown
key, a wrong type or a bad value makes :attr:`EffectivePolicy.error` a
:class:`PolicyError` naming the file/key and the problem; the app still
starts, but :meth:`EffectivePolicy.server_policy` refuses every connection
with ``POLICY_INVALID``. A missing file (or registry key) just means "no
machine policy".

Nothing here reads a path from the environment or from user settings: the
user must not be able to point the app at a looser policy. Nor may a user
change or create the machine file: on Linux the file and every folder above
it must be root's and writable only by root; on Windows the file and its
folder must be owned by Administrators/SYSTEM and no one else may change them
(owner and DACL, winsec.py). Otherwise the file is not applied at all and the
policy fails closed. The same holds for the CA file the machine policy names
(``tls.ca_file``): a user who could change it could add a certificate authority
of their own, so it must be protected like the policy file, or the policy fails
closed (:func:`ca_file_problems`). Test and demo policies are loaded explicitly
with :func:`load_policy_file`.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any

from govmail_desktop.core.errors import PolicyError, PolicyRefused
from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.policy import api, winsec
from govmail_desktop.policy import messages as m
from govmail_desktop.policy.defaults import default_policy_data
from govmail_desktop.policy.hosts import InvalidHost, display_host, first_match, split_address
from govmail_desktop.policy.model import Policy, Problem
from govmail_desktop.policy.registry import REGISTRY_ROOT, USER_REGISTRY_ROOT, RegistryReader, read_registry_policy
from govmail_desktop.policy.schema import MAX_NESTING, USER, Context, build_policy, key_scope, nest, parse_layer, shown

if TYPE_CHECKING:
    from govmail_desktop.core.settings import Settings
    from govmail_desktop.policy.server import AddressRegistry

log = logging.getLogger(__name__)

LINUX_POLICY_PATH = Path("/etc/govmail/policy.json")
DEFAULT_SOURCE = "built-in default"

#: Largest policy file read: a real one is a few kilobytes (the built-in default ~3 KB,
#: a list of 10,000 domains ~300 KB); the app reads the file at every start.
MAX_POLICY_BYTES = 1024 * 1024
#: Longest whole number in a policy file: every number in the schema is small, and
#: Python refuses to convert one of more than 4,300 digits (a ValueError, not a syntax error).
MAX_NUMBER_DIGITS = 20
#: Problems listed one by one; the rest are counted (a file of 60,000 unknown keys
#: would otherwise give a report of 60,000 lines).
MAX_PROBLEMS = 50


def windows_policy_path(windows: winsec.WindowsPlatform | None = None) -> Path:
    r"""``<ProgramData>\GovMail\policy.json``: ProgramData asked of the system, never of
    the environment (``%ProgramData%``, platformdirs' ``WIN_PD_OVERRIDE_COMMON_APPDATA``),
    ``C:\ProgramData`` when the system gives no usable answer."""
    folder = winsec.program_data(windows if windows is not None else winsec.SystemWindows())
    return Path(str(PureWindowsPath(folder, "GovMail", "policy.json")))


@dataclass(frozen=True)
class EffectivePolicy:
    """The policy in force, where each value came from, and whether it is broken."""

    policy: Policy
    #: set when a machine source is broken: the app must connect nowhere
    error: PolicyError | None = None
    #: key path ("servers.allow", "locked_settings.mail.remote_content") -> source label
    sources: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    #: the effective values as a flat JSON-shaped dict (policy show --json)
    values: Mapping[str, Any] = field(default_factory=dict)
    #: what was ignored without breaking the policy (a machine-only key in the user's HKCU policy)
    findings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def origins(self) -> tuple[str, ...]:
        """Where the policy in force came from, in the order applied: the machine policy file,
        the registry key (REGISTRY_ROOT, however many values it set), then DEFAULT_SOURCE for
        what none of them set. A source that was refused is named too (it set nothing, and
        the policy fails closed). Show each with :func:`source_text`."""
        roots = (REGISTRY_ROOT, USER_REGISTRY_ROOT)
        labels = dict.fromkeys(
            next((root for root in roots if label.startswith(root)), label)
            for label in (*self.sources.values(), *(problem.source for problem in self.problems))
            if label and label != DEFAULT_SOURCE
        )
        ordered = [label for label in labels if label not in roots]
        if REGISTRY_ROOT in labels:
            ordered.append(REGISTRY_ROOT)  # applied over the file
        if USER_REGISTRY_ROOT in labels:
            ordered.append(USER_REGISTRY_ROOT)  # under every machine source, over the default
        if DEFAULT_SOURCE in self.sources.values() or not ordered:
            ordered.append(DEFAULT_SOURCE)
        return tuple(ordered)

    def server_policy(self, registry: AddressRegistry | None = None) -> api.ServerPolicy:
        """What net/ enforces: the real checks, or refuse-everything when broken.
        ``registry`` says which addresses are public and where (default: the RIR data)."""
        from govmail_desktop.policy.server import DomesticServerPolicy, FailClosedPolicy

        if self.error is not None:
            return FailClosedPolicy(self.problems[0].as_msg())
        return DomesticServerPolicy(self.policy, registry=registry)

    def locked_settings(self) -> dict[str, Any]:
        """User settings the agency locked (pass to core.settings.Settings(locked=...))."""
        return dict(self.policy.locked_settings)

    def setting_defaults(self) -> dict[str, Any]:
        """Policy-chosen defaults for user settings that are not locked."""
        from govmail_desktop.core.settings import SettingsSchema

        return {
            SettingsSchema.mail_remote_content.key: self.policy.content.remote_content,
            SettingsSchema.search_download_days.key: self.policy.search.download_days,
        }

    def search_download_days(self, settings: Settings) -> int:
        """Days of mail whose text is downloaded for search: the user's setting (or the lock)
        under ``search.max_download_days``; 0 when the policy is broken."""
        if self.error is not None:
            return 0
        return self.policy.search.allowed_days(settings.search_download_days)

    def check_account_address(self, address: str) -> str:
        """Refuse (ACCOUNT_DOMAIN) unless the address may be set up as an account.

        Returns the address with its domain normalised (lower-case A-labels).
        """
        if self.error is not None:
            raise PolicyRefused(
                m.POLICY_INVALID, hint=m.POLICY_INVALID_HINT, code=api.POLICY_INVALID,
                detail="policy invalid; account check refused", problem=self.problems[0].as_msg(),
            )
        try:
            local, domain = split_address(address)
        except InvalidHost as exc:
            raise PolicyRefused(
                m.ACCOUNT_INVALID, hint=m.ACCOUNT_DOMAIN_HINT, code=api.ACCOUNT_DOMAIN,
                detail=f"bad address: {exc}", address=str(address),
            ) from None
        shown = f"{local}@{display_host(domain)}"
        if first_match(self.policy.servers.deny, domain) or first_match(
            self.policy.recipients.free_mail_domains, domain
        ):
            raise PolicyRefused(
                m.ACCOUNT_DENIED, hint=m.HOST_DENIED_HINT, code=api.ACCOUNT_DOMAIN,
                detail=f"account domain {domain} is denied", address=shown,
            )
        if first_match(self.policy.accounts.allowed_domains, domain) is None:
            raise PolicyRefused(
                m.ACCOUNT_DOMAIN, hint=m.ACCOUNT_DOMAIN_HINT, code=api.ACCOUNT_DOMAIN,
                detail=f"account domain {domain} not allowed", address=shown,
            )
        return f"{local}@{domain}"

    def recipient_policy(self) -> Any:
        """The recipient checks for the composer (recipients.RecipientPolicy)."""
        from govmail_desktop.policy.recipients import RecipientPolicy

        return RecipientPolicy(
            self.policy.recipients,
            error=self.problems[0].as_msg() if self.error is not None else None,
        )

    def attachment_rules(self) -> Any:
        """Attachment checks (attachments.AttachmentRules)."""
        from govmail_desktop.policy.attachments import AttachmentRules

        return AttachmentRules(self.policy.attachments)

    def as_json(self) -> dict[str, Any]:
        """Machine-readable form (govmail-admin policy show --json)."""
        return {
            "valid": self.error is None,
            "error": self.error.as_dict() if self.error is not None else None,
            "problems": [p.as_dict() for p in self.problems],
            "policy": nest(self.values),
            "sources": dict(self.sources),
            "findings": [p.as_dict() for p in self.findings],
        }


def source_text(label: str, lang: str | None = None) -> str:
    """A source as people read it: the built-in default in their language; a file path or
    registry key as it is."""
    return m.DEFAULT_SOURCE.text(lang) if label == DEFAULT_SOURCE else label


# -- reading sources -------------------------------------------------------------

class _Refused(Exception):
    """A policy file refused before or while parsing it (too large, too deep, not a file...)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.text("en"))
        self.message = message


def _read_bounded(path: Path) -> tuple[bytes, os.stat_result]:
    """At most MAX_POLICY_BYTES + 1 bytes of a regular file, and its status.

    Opened without waiting: a named pipe would otherwise block the start until
    someone writes to it; anything but a regular file is refused.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb", closefd=True) as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise _Refused(m.P_NOT_REGULAR_FILE)
        raw = f.read(MAX_POLICY_BYTES + 1)
    if len(raw) > MAX_POLICY_BYTES:
        raise _Refused(m.P_TOO_LARGE.format(maximum=MAX_POLICY_BYTES // 1024))
    return raw, st


#: A JSON string, or the rest of the text when a string is not closed: always
#: matches from a quote, so the scan stays linear on any input.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\[\s\S][^"\\]*)*(?:"|\\?\Z)')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _nesting(text: str) -> int:
    """How deeply the JSON text nests arrays and objects, without parsing it (no recursion)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    steps = itertools.accumulate(1 if b in "[{" else -1 for b in brackets)
    return max(steps, default=0)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Refused(m.P_NUMBER_TOO_LONG.format(maximum=MAX_NUMBER_DIGITS))
    return int(text)


def _read_json(path: Path, *, missing_ok: bool) -> tuple[Any, list[Problem]]:
    """(parsed JSON or None, problems) for one policy file.

    Who may change a machine file is judged before it is read
    (:func:`posix_file_problems`, :func:`windows_file_problems`).
    """
    source = str(path)
    try:
        raw, _ = _read_bounded(path)
    except FileNotFoundError:
        if missing_ok:
            return None, []
        return None, [Problem(source, "", m.P_UNREADABLE.format(reason="file not found"))]
    except OSError as exc:  # permission denied, a directory, I/O error: fail closed
        return None, [Problem(source, "", m.P_UNREADABLE.format(reason=exc.strerror or str(exc)))]
    except _Refused as exc:  # too large, not a regular file
        return None, [Problem(source, "", exc.message)]
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")  # Notepad writes a BOM
    except UnicodeDecodeError:
        return None, [*problems, Problem(source, "", m.P_NOT_UTF8)]
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    too_deep = Problem(source, "", m.P_TOO_DEEP.format(maximum=MAX_NESTING))
    if _nesting(text) > MAX_NESTING:  # json.loads recurses: RecursionError at ~1000 levels
        return None, [*problems, too_deep]
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        return None, [*problems, Problem(
            source, "", m.P_JSON_SYNTAX.format(line=exc.lineno, column=exc.colno, reason=exc.msg),
            line=exc.lineno, column=exc.colno,
        )]
    except _Refused as exc:  # a number too long
        return None, [*problems, Problem(source, "", exc.message)]
    except RecursionError:  # not reached after the nesting check; kept so it can never escape
        return None, [*problems, too_deep]
    for key in dict.fromkeys(duplicates):
        problems.append(Problem(source, "", m.P_DUPLICATE_KEY.format(name=shown(key))))
    return data, problems


@dataclass
class _Stack:
    """Layers applied so far: values, where each came from, problems."""

    values: dict[str, Any]
    sources: dict[str, str]
    problems: list[Problem]
    findings: list[Problem] = field(default_factory=list)

    @classmethod
    def defaults(cls) -> _Stack:
        values, problems = parse_layer(default_policy_data(), DEFAULT_SOURCE)
        if problems:  # a bug in defaults.py, caught by the unit tests
            raise AssertionError([p.text("en") for p in problems])
        return cls(values, {k: DEFAULT_SOURCE for k in values}, [])

    def apply(self, layer: Mapping[str, Any], labels: Mapping[str, str] | str) -> None:
        for key, value in layer.items():
            self.values[key] = value
            self.sources[key] = labels if isinstance(labels, str) else labels.get(key, REGISTRY_ROOT)

    def unexpected(self, source: str, exc: Exception) -> None:
        """A check raised: a bug to fix, but the policy still fails closed with a reason."""
        log.error("The policy %s could not be checked", source, exc_info=exc)
        reason = shown(f"{type(exc).__name__}: {exc}")
        self.problems.append(Problem(source, "", m.P_UNEXPECTED.format(reason=reason)))

    def apply_file(self, path: Path, *, missing_ok: bool) -> bool:
        try:
            data, problems = _read_json(path, missing_ok=missing_ok)
            self.problems.extend(problems)
            if data is None:
                return False
            layer, layer_problems = parse_layer(data, str(path), ctx=Context(base_dir=path.parent))
        except Exception as exc:  # noqa: BLE001 - the loader never raises (safety net)
            self.unexpected(str(path), exc)
            return False
        self.problems.extend(layer_problems)
        self.apply(layer, str(path))
        return True

    def apply_data(self, data: Any, source: str, *, base_dir: Path | None = None,
                   require_version: bool = False) -> None:
        try:
            layer, problems = parse_layer(
                data, source, ctx=Context(base_dir=base_dir), require_version=require_version
            )
        except Exception as exc:  # noqa: BLE001 - the loader never raises (safety net)
            self.unexpected(source, exc)
            return
        self.problems.extend(problems)
        self.apply(layer, source)

    def apply_registry(self, reader: RegistryReader, windows: winsec.WindowsPlatform | None) -> None:
        data, problems, labels = read_registry_policy(reader, windows=windows)
        self.problems.extend(problems)
        if data is None:
            return
        layer, layer_problems = parse_layer(data, REGISTRY_ROOT, require_version=False)
        self.problems.extend(layer_problems)
        self.apply(layer, labels)

    def apply_user_registry(self, reader: RegistryReader, windows: winsec.WindowsPlatform | None) -> None:
        """The user's policy (HKCU): its user-scoped keys, applied before any machine source so
        that each machine source wins; a machine-only key is ignored with a finding."""
        ignored: list[Problem] = []
        data, problems, labels = read_registry_policy(
            reader, windows=windows, root=USER_REGISTRY_ROOT, keep=lambda path: key_scope(path) == USER,
            ignored=ignored)
        for finding in ignored:
            log.warning("Policy: %s", finding.text("en"))
        self.findings.extend(ignored)
        self.problems.extend(problems)
        if data is None:
            return
        layer, layer_problems = parse_layer(data, USER_REGISTRY_ROOT, require_version=False)
        self.problems.extend(layer_problems)
        self.apply(layer, {k: labels.get(k, USER_REGISTRY_ROOT) for k in layer})

    def check_ca_file(self, trust: Callable[[Path, str], list[Problem]]) -> None:
        """Refuse the CA file a machine source named if a user could change it (``trust``)."""
        ca = self.values.get("tls.ca_file")
        source = self.sources.get("tls.ca_file", DEFAULT_SOURCE)
        if ca is None or source == DEFAULT_SOURCE:
            return
        try:
            self.problems.extend(trust(Path(ca), source))
        except Exception as exc:  # noqa: BLE001 - the loader never raises (safety net)
            self.unexpected(source, exc)

    def check_consistency(self, policy: Policy) -> None:
        """Problems that only show once the layers are stacked (e.g. a locked, forbidden host)."""
        from govmail_desktop.policy.server import DomesticServerPolicy

        servers = DomesticServerPolicy(policy)
        for setting in ("account.imap_host", "account.smtp_host"):
            host = policy.locked_settings.get(setting)
            if not isinstance(host, str):
                continue
            try:
                servers.check_host(host)
            except PolicyRefused as exc:
                key = f"locked_settings.{setting}"
                self.problems.append(Problem(
                    self.sources.get(key, DEFAULT_SOURCE), key,
                    m.P_LOCKED_HOST_REFUSED.format(host=host, reason=exc.code),
                ))
        from govmail_desktop.policy.provisioning import consistency_problems

        for key, message in consistency_problems(policy, servers.check_host):
            source = self.sources.get(key, DEFAULT_SOURCE)
            if source == DEFAULT_SOURCE:  # a server left out: where the address was provisioned
                source = self.sources.get("provisioning.address", DEFAULT_SOURCE)
            self.problems.append(Problem(source, key, message))

    def result(self) -> EffectivePolicy:
        policy = build_policy(self.values)
        self.check_consistency(policy)
        if len(self.problems) > MAX_PROBLEMS:
            hidden = len(self.problems) - MAX_PROBLEMS
            more = Problem(self.problems[MAX_PROBLEMS].source, "", m.P_MORE_PROBLEMS.format(count=hidden))
            self.problems[MAX_PROBLEMS:] = [more]
        error = None
        if self.problems:
            first = self.problems[0]
            error = PolicyError(
                m.POLICY_ERROR, hint=m.POLICY_ERROR_HINT, code=api.POLICY_INVALID,
                detail="; ".join(p.text("en") for p in self.problems), problem=first.as_msg(),
            )
        return EffectivePolicy(
            policy=policy, error=error, sources=dict(self.sources),
            problems=tuple(self.problems), values=dict(self.values), findings=tuple(self.findings),
        )


# -- public entry points ---------------------------------------------------------

def default_effective_policy() -> EffectivePolicy:
    """Only the built-in default."""
    return _Stack.defaults().result()


def load_machine_policy(
    *,
    platform: str = sys.platform,
    linux_path: Path = LINUX_POLICY_PATH,
    windows_file: Path | None = None,
    registry: RegistryReader | None = None,
    user_registry: RegistryReader | None = None,
    check_permissions: bool = True,
    windows: winsec.WindowsPlatform | None = None,
    stat_path: Callable[[Path], os.stat_result] = os.stat,
) -> EffectivePolicy:
    """The policy the app runs with: built-in default < the user's HKCU policy (user-scoped keys
    only; Windows) < machine file < HKLM registry. ``user_registry`` reads HKCU (tests inject it;
    a test that injects only ``registry`` reads no HKCU).

    ``check_permissions``: only an administrator may be able to change the
    machine file (:func:`posix_file_problems`, :func:`windows_file_problems`)
    and the CA file it names (:func:`ca_file_problems`), or a user could loosen
    the policy; tests of other things turn it off for files in a temp dir.
    ``windows`` (the known-folder and owner/DACL layer) and ``stat_path`` are
    injected by tests; by default the system answers.
    """
    stack = _Stack.defaults()
    if platform.startswith("win"):
        if windows is None:
            windows = winsec.SystemWindows()
        if user_registry is None:  # the real HKCU; none when a test injects only the machine's registry
            from govmail_desktop.policy.registry import InMemoryRegistry, WindowsRegistryReader

            user_registry = WindowsRegistryReader(current_user=True) if registry is None else InMemoryRegistry(None)
        stack.apply_user_registry(user_registry, windows)  # first: every machine source wins over it
        path = windows_file or windows_policy_path(windows)
        trust = windows_file_problems(path, windows) if check_permissions else []
    else:
        path = Path(linux_path)
        trust = posix_file_problems(path, stat_path=stat_path) if check_permissions else []
    if trust:
        stack.problems.extend(trust)  # not applied: an untrusted file must not set anything
    elif trust is not None:
        stack.apply_file(path, missing_ok=True)
    if platform.startswith("win"):
        if registry is None:
            from govmail_desktop.policy.registry import WindowsRegistryReader

            registry = WindowsRegistryReader()
        stack.apply_registry(registry, windows)
    if check_permissions:
        stack.check_ca_file(lambda ca, source: ca_file_problems(
            ca, source, platform=platform, windows=windows, stat_path=stat_path))
    return stack.result()


def _root_only(st: os.stat_result) -> bool:
    mode = stat.S_IMODE(st.st_mode)
    return st.st_uid == 0 and not mode & 0o002 and not (mode & 0o020 and st.st_gid != 0)


def posix_file_problems(
    path: Path, *, stat_path: Callable[[Path], os.stat_result] = os.stat,
    folder_message: Msg = m.P_INSECURE_FOLDER,
) -> list[Problem] | None:
    """Why a user could change or replace the machine file (None: there is no file).

    The file must be owned by root and writable by no one else, and so must
    every folder above it, up to ``/`` — both the folders as written and,
    when a link leads elsewhere, the folders where the file really is. A
    world-writable folder is refused even with the sticky bit: a user could
    create the file while it is missing.
    """
    source = str(path)
    try:
        st = stat_path(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return [Problem(source, "", m.P_UNREADABLE.format(reason=exc.strerror or str(exc)))]
    problems: list[Problem] = []
    if not _root_only(st):
        mode = stat.S_IMODE(st.st_mode)
        problems.append(Problem(source, "", m.P_INSECURE_FILE.format(uid=st.st_uid, mode=oct(mode))))
    folders: list[Path] = []
    for start in (Path(os.path.abspath(path)), Path(os.path.realpath(path))):
        for folder in start.parents:
            if folder not in folders:
                folders.append(folder)
    for folder in folders:
        try:
            fst = stat_path(folder)
        except OSError as exc:
            problems.append(Problem(source, "", m.P_UNREADABLE.format(reason=f"{folder}: {exc.strerror or exc}")))
            continue
        if not _root_only(fst):
            problems.append(Problem(source, "", folder_message.format(
                path=str(folder), uid=fst.st_uid, mode=oct(stat.S_IMODE(fst.st_mode)))))
    return problems


def windows_file_problems(path: Path, windows: winsec.WindowsPlatform) -> list[Problem] | None:
    """Why someone other than an administrator could change the machine file (None: no file).

    The file and its folder (which would let a user create the file while it is
    missing, or replace it) must be owned by Administrators/SYSTEM and grant
    no one else a right to change them. An owner and DACL that cannot be read
    fail closed.
    """
    source = str(path)
    problems: list[Problem] = []
    for target in (path, path.parent):
        try:
            security = windows.file_security(str(target))
        except FileNotFoundError:
            if target == path:
                return None  # no machine file
            security = None
            problems.append(Problem(source, "", m.P_WIN_SECURITY_UNREADABLE.format(
                path=str(target), reason="not found")))
        except Exception as exc:  # noqa: BLE001 - any fault of the layer fails closed, never crashes start-up
            security = None
            reason = (exc.strerror if isinstance(exc, OSError) else None) or f"{type(exc).__name__}: {exc}"
            problems.append(Problem(source, "", m.P_WIN_SECURITY_UNREADABLE.format(
                path=str(target), reason=reason)))
        if security is not None:
            problems.extend(Problem(source, "", msg) for msg in winsec.security_problems(security, str(target)))
    return problems


def ca_file_problems(
    ca: Path,
    source: str,
    *,
    platform: str = sys.platform,
    windows: winsec.WindowsPlatform | None = None,
    stat_path: Callable[[Path], os.stat_result] = os.stat,
) -> list[Problem]:
    """Why a user could change or replace the CA file a machine source named ([] = they cannot).

    The rules of the machine policy file: Linux — the file and every folder above
    it (where a link leads too) owned by root and writable only by root; Windows —
    the file and its folder owned by Administrators/SYSTEM, changeable by no one
    else. Each problem is reported at ``source`` (the policy file or registry value
    that named the file), key ``tls.ca_file``, naming the CA file. It runs at start
    on the GUI thread: only stat calls (or owner/DACL lookups) on a local path — the
    schema refuses ``\\\\server`` and device paths —; the file is read only when a
    connection's TLS context is made, on a worker thread.
    """
    if platform.startswith("win"):
        found = windows_file_problems(ca, windows if windows is not None else winsec.SystemWindows())
    else:
        found = posix_file_problems(ca, stat_path=stat_path, folder_message=m.P_CA_INSECURE_FOLDER)
    if found is None:  # gone since the schema saw it: still not a CA file to trust
        return [Problem(source, "tls.ca_file", m.P_CA_MISSING.format(path=shown(str(ca))))]
    return [Problem(source, "tls.ca_file", m.P_CA_UNTRUSTED.format(path=shown(str(ca)), reason=p.message))
            for p in found]


def load_policy_file(path: Path | str, *, overrides: Mapping[str, Any] | None = None) -> EffectivePolicy:
    """A test/demo/candidate policy file layered on the built-in default.

    ``overrides`` is policy JSON applied on top (e.g. ``{"tls": {"ca_file":
    "/tmp/ca.pem"}}`` for a CA made at test time). A missing or broken file
    gives an EffectivePolicy with ``error`` set (fail closed), never an exception.
    """
    stack = _Stack.defaults()
    path = Path(path)
    stack.apply_file(path, missing_ok=False)
    if overrides:
        stack.apply_data(overrides, "overrides", base_dir=path.parent)
    return stack.result()


def policy_from_dict(data: Mapping[str, Any], *, source: str = "inline") -> EffectivePolicy:
    """Policy JSON (a dict, schema_version optional) layered on the built-in default."""
    stack = _Stack.defaults()
    stack.apply_data(dict(data), source)
    return stack.result()


def validate_file(path: Path | str) -> list[Problem]:
    """Every problem of a candidate policy file (``govmail-admin policy validate``).

    The same checks as a machine policy file, except ownership/permissions
    (the candidate may sit anywhere until it is installed).
    """
    stack = _Stack.defaults()
    stack.apply_file(Path(path), missing_ok=False)
    return list(stack.result().problems)
