"""The policy in force while the app runs, swapped when IT changes the machine policy.

Group Policy is refreshed on a running PC (every ~90 minutes, or ``gpupdate``), and an
admin may replace the policy file: the app must not keep enforcing the rules it read at
start until the next restart. :class:`LivePolicy` is the one :class:`EffectivePolicy` the
composition root hands to every service; :meth:`LivePolicy.replace` swaps what it reads,
so every check made afterwards — a server's name and address at connect (also by a
``server_policy()`` taken at start, as the sync and outbox factories keep it), the TLS
rules, the recipients and attachments at send, the content section — uses the new rules.
A connection already open is judged again by the same check when the policy changes
(wiring/policy_watch.judge_connections, sync/connection_policy.py): one going where the new
rules refuse — the host, or the address it is connected to — is closed by the thread that
owns it and the account says refused; one still allowed keeps its session. (TLS rules — pins,
minimum version, CA — apply to the next connect only: the open session is not re-verified.)

A broken new policy never loosens anything. It is handled as at start (fail closed):
every connection is refused with ``POLICY_INVALID`` and every send is blocked, naming the
problem; and whatever reads the policy's sections keeps the *previous* rules, never the
broken file's partial values (a bad key falls back to a looser default in
:class:`EffectivePolicy.policy`). A loader that raises counts as broken too.

Some keys are read once, at start, by what they configure (the settings' locks and
defaults, provisioning): :data:`RESTART_KEYS`; a change names them and says to restart.

:class:`PolicyReloader` re-reads the machine policy (``load``, by default
:func:`load_machine_policy`) and swaps it in; services/policy_watcher.py runs it off the
GUI thread on a timer and on the system's "policy changed" signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govmail_desktop.core.errors import PolicyError
from govmail_desktop.i18n.catalog import Msg, current_language
from govmail_desktop.policy import api
from govmail_desktop.policy import messages as m
from govmail_desktop.policy.model import Policy, Problem
from govmail_desktop.policy.schema import shown
from govmail_desktop.policy.sources import EffectivePolicy, default_effective_policy

if TYPE_CHECKING:
    from govmail_desktop.policy.server import AddressRegistry

log = logging.getLogger(__name__)

#: Key paths (a prefix ending in "." covers a whole section) that only apply after a restart:
#: the settings are built under the locks and the policy's defaults at start, and the
#: provisioned account is set up (and locked) at start.
RESTART_KEYS: tuple[str, ...] = (
    "locked_settings.", "provisioning.", "content.remote_content", "search.default_download_days",
)
#: Changed keys named one by one in the notice; the rest are counted.
MAX_NAMED = 8


def needs_restart(key: str) -> bool:
    return any(key.startswith(p) if p.endswith(".") else key == p for p in RESTART_KEYS)


@dataclass(frozen=True)
class PolicyChange:
    """What a swap changed: the key paths whose value or source changed, which of them apply
    only after a restart, and whether the new policy is broken (its problems)."""

    changed: tuple[str, ...]
    restart: tuple[str, ...]
    broken: bool
    problems: tuple[Problem, ...] = ()
    #: the policy before was broken: the mail services were not started, restart to connect
    was_broken: bool = False

    def message(self) -> Msg:
        """What the user is told once (status bar), in their language."""
        if self.broken:
            first = self.problems[0].as_msg() if self.problems else m.POLICY_ERROR
            return m.LIVE_BROKEN.format(problem=first)
        if self.was_broken:
            return m.LIVE_FIXED_RESTART
        if self.restart:
            return m.LIVE_UPDATED_RESTART.format(keys=_named(self.restart))
        return m.LIVE_UPDATED

    def log_text(self) -> str:
        state = "BROKEN, failing closed" if self.broken else "applied"
        return (f"Machine policy changed ({state}): {', '.join(self.changed) or '-'}"
                f"{'; after a restart: ' + ', '.join(self.restart) if self.restart else ''}"
                f"{'; ' + '; '.join(p.text('en') for p in self.problems) if self.problems else ''}")


@dataclass(frozen=True)
class KeyTitles(Msg):
    """Policy keys named by their titles (as the Group Policy editor and docs/admin.md show
    them: policy/key_texts.py), in the language the message is shown in; a locked setting
    also by the setting's name. At most :data:`MAX_NAMED`, the rest counted."""

    keys: tuple[str, ...] = ()

    def text(self, lang: str | None = None) -> str:
        thai = (lang or current_language()) == "th"
        named = ", ".join(key_title(k, thai) for k in self.keys[:MAX_NAMED])
        more = len(self.keys) - MAX_NAMED
        return named + (f" (+{more})" if more > 0 else "")


def key_title(key: str, thai: bool) -> str:
    """“Allowed mail servers”, or “ล็อกการตั้งค่า (ui.language)” for a key under a section whose
    entries are settings' names; the key itself when it has no title."""
    from govmail_desktop.policy.key_texts import KEY_TEXTS

    head, _, rest = key.partition(".")
    texts = KEY_TEXTS.get(key) or (KEY_TEXTS.get(head) if rest else None)
    if texts is None:
        return shown(key)
    title = texts.title_th if thai else texts.title
    return f"{title} ({shown(rest)})" if key not in KEY_TEXTS else title


def _named(keys: tuple[str, ...]) -> Msg:
    return KeyTitles("", "", keys=keys)


def _changed_keys(old: EffectivePolicy, new: EffectivePolicy) -> tuple[str, ...]:
    keys = dict.fromkeys([*old.values, *new.values])
    return tuple(k for k in keys if old.values.get(k) != new.values.get(k)
                 or old.sources.get(k) != new.sources.get(k))


def _problem_key(p: Problem) -> tuple[str, str, str]:
    return p.source, p.key, p.message.text("en")


def failed_load(exc: BaseException) -> EffectivePolicy:
    """A policy that could not be read at all (the loader raised): broken, so it fails closed."""
    base = default_effective_policy()
    reason = shown(f"{type(exc).__name__}: {exc}")
    problem = Problem("machine policy", "", m.P_UNEXPECTED.format(reason=reason))
    error = PolicyError(m.POLICY_ERROR, hint=m.POLICY_ERROR_HINT, code=api.POLICY_INVALID,
                        detail=problem.text("en"), problem=problem.as_msg())
    return EffectivePolicy(policy=base.policy, error=error, sources=base.sources, problems=(problem,),
                           values=base.values)


class LivePolicy(EffectivePolicy):
    """An :class:`EffectivePolicy` whose every read goes to the policy in force now.

    It is one (a subclass) so that each service typed for ``EffectivePolicy`` takes it as it
    is; its fields read the current policy, its methods ask the current policy, and what
    they hand out (``server_policy()``, ``recipient_policy()``, ``attachment_rules()``)
    asks the current policy at each check. Swaps happen on the GUI thread; checks run on
    any thread (a swap is one reference, taken under a lock).
    """

    _lock: threading.Lock
    _current: EffectivePolicy
    _listeners: list[Callable[[PolicyChange], None]]
    _started_broken: bool

    def __init__(self, initial: EffectivePolicy) -> None:
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_current", initial.current if isinstance(initial, LivePolicy) else initial)
        object.__setattr__(self, "_listeners", [])
        #: the policy at start was broken: the services that connect were not built
        object.__setattr__(self, "_started_broken", self._current.error is not None)

    # -- what is in force ----------------------------------------------------------
    @property
    def current(self) -> EffectivePolicy:
        with self._lock:
            current: EffectivePolicy = self._current
        return current

    @property
    def policy(self) -> Policy:
        return self.current.policy

    @property
    def error(self) -> PolicyError | None:
        return self.current.error

    @property
    def sources(self) -> Mapping[str, str]:
        return self.current.sources

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.current.problems

    @property
    def values(self) -> Mapping[str, Any]:
        return self.current.values

    @property
    def findings(self) -> tuple[Problem, ...]:
        return self.current.findings

    def __repr__(self) -> str:
        return f"LivePolicy({self.current!r})"

    # -- what the services keep -------------------------------------------------------
    def server_policy(self, registry: AddressRegistry | None = None) -> api.ServerPolicy:
        return _LiveServerPolicy(self, registry)

    def recipient_policy(self) -> Any:
        return _Follow(lambda: self.current.recipient_policy())

    def attachment_rules(self) -> Any:
        return _Follow(lambda: self.current.attachment_rules())

    def check_account_address(self, address: str) -> str:
        return self.current.check_account_address(address)

    # -- swapping ---------------------------------------------------------------------
    def subscribe(self, listener: Callable[[PolicyChange], None]) -> None:
        """``listener(change)`` after each swap that changed something (on the swapping thread)."""
        self._listeners.append(listener)

    def replace(self, new: EffectivePolicy) -> PolicyChange | None:
        """Put ``new`` in force (a broken one fails closed over the previous rules);
        None when nothing changed."""
        old = self.current
        if new.error is not None:
            if old.error is not None and list(map(_problem_key, old.problems)) == list(
                    map(_problem_key, new.problems)):
                return None  # still broken the same way
            # Refuse every connection and send, as at start; keep the previous rules for the rest.
            in_force = EffectivePolicy(policy=old.policy, error=new.error, sources=old.sources,
                                       problems=new.problems, values=old.values, findings=new.findings)
            change = PolicyChange(_changed_keys(old, new), (), True, new.problems)
        else:
            changed = _changed_keys(old, new)
            if not changed and old.error is None:
                return None
            in_force = new
            change = PolicyChange(changed, tuple(k for k in changed if needs_restart(k)), False,
                                  was_broken=self._started_broken)
        with self._lock:
            object.__setattr__(self, "_current", in_force)
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # one listener's bug must not keep the others from hearing
                log.exception("A policy change listener failed")
        return change


class _LiveServerPolicy:
    """``api.ServerPolicy`` over the policy in force at each check."""

    def __init__(self, live: LivePolicy, registry: AddressRegistry | None) -> None:
        self._live = live
        self._registry = registry

    def _now(self) -> api.ServerPolicy:
        return self._live.current.server_policy(self._registry)

    def check_host(self, host: str) -> str:
        return self._now().check_host(host)

    def check_address(self, host: str, ip: str) -> str:
        return self._now().check_address(host, ip)

    def tls_rules(self) -> api.TlsRules:
        return self._now().tls_rules()


class _Follow:
    """The recipient policy / attachment rules of the policy in force, asked at each use."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make

    def __getattr__(self, name: str) -> Any:
        return getattr(self._make(), name)


class PolicyReloader:
    """Re-reads the machine policy with ``load`` and swaps it into ``live``.

    ``reload`` is safe on a worker thread up to the read; call :meth:`apply` on the thread
    the listeners expect (the GUI thread) with what :meth:`read` returned.
    """

    def __init__(self, live: LivePolicy, load: Callable[[], EffectivePolicy]) -> None:
        self.live = live
        self._load = load

    def read(self) -> EffectivePolicy:
        """The machine policy now; never raises (a loader failure is a broken policy, logged)."""
        try:
            return self._load()
        except Exception as exc:  # the watcher must never die: fail closed instead
            log.exception("The machine policy could not be read again")
            return failed_load(exc)

    def apply(self, new: EffectivePolicy) -> PolicyChange | None:
        change = self.live.replace(new)
        if change is not None:
            (log.error if change.broken else log.warning)("%s", change.log_text())
        return change

    def reload(self) -> PolicyChange | None:
        return self.apply(self.read())
