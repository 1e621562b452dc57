"""Who a message is from (identities) and how it is signed (signatures).

Kept in the settings file's ``"composer"`` section (no secret in it)::

    {"identities": [{"id", "account_id", "name", "address"}],
     "signatures": [{"id", "account_id", "identity", "label", "name", "position",
                     "agency", "phone", "default"}]}

Every account is an identity of its own (its display name and address); the
section adds more From addresses to an account (a unit's shared address, say).
A signature belongs to an account, optionally to one identity of it
(``identity`` is that address; "" = any of the account's), and one of them can
be the default. Entries that fail validation are dropped with a problem noted,
never crash loading (a hand-edited file).

No Qt, no disk: :class:`ComposerProfiles` works on a :class:`Settings` object;
the caller saves it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from govmail_desktop.core.settings import Settings
from govmail_desktop.i18n.catalog import translate

SETTINGS_SECTION = "composer"
#: Longest text of one signature field (a name, an agency's full name).
MAX_FIELD_CHARS = 200
#: The usual signature separator ("-- " and a line break), so replies can leave it out.
SIGNATURE_SEPARATOR = "-- "


@dataclass(frozen=True)
class Identity:
    """One From address of an account."""

    account_id: str
    address: str
    name: str = ""
    #: "" for the account's own address (not stored in the section).
    id: str = ""

    @property
    def from_text(self) -> str:
        """What the From field holds: ``ชื่อ <a@b.go.th>`` or the bare address."""
        if self.name:
            name = self.name.replace("\\", "\\\\").replace('"', '\\"')
            needs_quotes = any(ch in name for ch in ',;:<>@()[]."')
            return f'"{name}" <{self.address}>' if needs_quotes else f"{name} <{self.address}>"
        return self.address


@dataclass(frozen=True)
class Signature:
    """A signature block: name, position, agency, phone (each may be empty)."""

    id: str
    account_id: str
    label: str = ""
    name: str = ""
    position: str = ""
    agency: str = ""
    phone: str = ""
    #: The identity's address this signature is for ("": every identity of the account).
    identity: str = ""
    default: bool = False
    #: The lines of a signature the machine policy sets (provisioning.signature): it is the
    #: account's only one, never stored nor edited. () for the user's own signatures.
    fixed_lines: tuple[str, ...] = ()

    @property
    def locked(self) -> bool:
        return bool(self.fixed_lines)

    @staticmethod
    def new(account_id: str, **values: Any) -> Signature:
        return Signature(id=uuid.uuid4().hex, account_id=account_id, **values)

    @property
    def lines(self) -> list[str]:
        """The signature's lines as they go into the message (empty fields left out)."""
        if self.fixed_lines:
            return list(self.fixed_lines)
        lines = [self.name.strip(), self.position.strip(), self.agency.strip()]
        if self.phone.strip():
            lines.append(translate("Signature", "Tel. {phone}").format(phone=self.phone.strip()))
        return [line for line in lines if line]

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def text(self) -> str:
        """The plain-text block: the separator line, then the lines."""
        return "\n".join([SIGNATURE_SEPARATOR, *self.lines]) if self.lines else ""

    def display_label(self) -> str:
        """How the signature is named in a chooser."""
        return self.label.strip() or self.name.strip() or self.agency.strip() or self.id[:8]


class ComposerProfiles:
    """The identities and signatures in a :class:`Settings` object's ``composer`` section.

    Changes go into the settings at once; the caller calls ``settings.save()``.
    """

    def __init__(
        self, settings: Settings, locked_signature: Callable[[str], Signature | None] | None = None
    ) -> None:
        self.settings = settings
        #: account id -> the signature the machine policy sets for it (None: the user's own)
        self.locked_signature = locked_signature or (lambda _account_id: None)
        self.problems: list[str] = []
        self._identities: list[Identity] = []
        self._signatures: list[Signature] = []
        self._load()

    # -- loading
    def _load(self) -> None:
        raw = self.settings.section(SETTINGS_SECTION)
        if raw is None:
            return
        if not isinstance(raw, Mapping):
            self.problems.append("composer: not an object; ignored")
            return
        for index, entry in enumerate(_list(raw.get("identities"))):
            try:
                self._identities.append(_identity(entry))
            except ValueError as exc:
                self.problems.append(f"composer.identities[{index}]: {exc}")
        for index, entry in enumerate(_list(raw.get("signatures"))):
            try:
                self._signatures.append(_signature(entry))
            except ValueError as exc:
                self.problems.append(f"composer.signatures[{index}]: {exc}")

    def _write(self) -> None:
        self.settings.set_section(SETTINGS_SECTION, {
            "identities": [asdict(i) for i in self._identities],
            "signatures": [_stored(s) for s in self._signatures],
        })

    # -- identities
    def identities(self, account: Any) -> list[Identity]:
        """The account's own address first, then the extra ones of the section."""
        own = Identity(account.id, account.address, getattr(account, "display_name", "") or "")
        extra = [i for i in self._identities if i.account_id == account.id
                 and i.address.casefold() != account.address.casefold()]
        return [own, *extra]

    def add_identity(self, account_id: str, address: str, name: str = "") -> Identity:
        identity = _identity({"id": uuid.uuid4().hex, "account_id": account_id, "address": address, "name": name})
        self._identities.append(identity)
        self._write()
        return identity

    def update_identity(self, identity_id: str, address: str, name: str = "") -> Identity:
        """Change an identity's address and name (ValueError: not an address; KeyError: no such
        identity). Signatures kept for its old address follow it to the new one."""
        old = next((i for i in self._identities if i.id == identity_id), None)
        if old is None:
            raise KeyError(identity_id)
        updated = _identity({"id": identity_id, "account_id": old.account_id, "address": address, "name": name})
        self._identities = [updated if i.id == identity_id else i for i in self._identities]
        if updated.address.casefold() != old.address.casefold():
            self._signatures = [
                replace(s, identity=updated.address)
                if s.account_id == old.account_id and s.identity.casefold() == old.address.casefold() else s
                for s in self._signatures
            ]
        self._write()
        return updated

    def remove_identity(self, identity_id: str) -> None:
        """Remove an identity; signatures kept for its address become the account's (any address)."""
        gone = next((i for i in self._identities if i.id == identity_id), None)
        self._identities = [i for i in self._identities if i.id != identity_id]
        if gone is not None and not any(i.account_id == gone.account_id
                                         and i.address.casefold() == gone.address.casefold()
                                         for i in self._identities):
            self._signatures = [
                replace(s, identity="")
                if s.account_id == gone.account_id and s.identity.casefold() == gone.address.casefold() else s
                for s in self._signatures
            ]
        self._write()

    # -- signatures
    def signatures(self, account_id: str, identity: str | None = None) -> list[Signature]:
        """The account's signatures; with ``identity``, those for that address or for any.
        An account whose signature the policy sets has that one only."""
        locked = self.locked_signature(account_id)
        if locked is not None:
            return [locked]
        found = [s for s in self._signatures if s.account_id == account_id]
        if identity is not None:
            key = identity.casefold()
            found = [s for s in found if not s.identity or s.identity.casefold() == key]
        return found

    def default_signature(self, account_id: str, identity: str | None = None) -> Signature | None:
        """The one marked default (the identity's own before the account's), else None."""
        candidates = [s for s in self.signatures(account_id, identity) if s.default]
        candidates.sort(key=lambda s: not s.identity)  # one for this identity first
        return candidates[0] if candidates else None

    def save_signature(self, signature: Signature) -> Signature:
        """Add or replace (by id); a default one makes the others of its scope not default.
        ValueError for an account whose signature the policy sets."""
        if signature.locked or self.locked_signature(signature.account_id) is not None:
            raise ValueError("the signature of this account is set by the policy")
        signature = _signature(asdict(signature))  # validated like a loaded one
        kept = [s for s in self._signatures if s.id != signature.id]
        if signature.default:
            kept = [
                replace(s, default=False)
                if s.account_id == signature.account_id and s.identity.casefold() == signature.identity.casefold()
                else s
                for s in kept
            ]
        index = next((i for i, s in enumerate(self._signatures) if s.id == signature.id), len(kept))
        kept.insert(min(index, len(kept)), signature)
        self._signatures = kept
        self._write()
        return signature

    def remove_signature(self, signature_id: str) -> None:
        self._signatures = [s for s in self._signatures if s.id != signature_id]
        self._write()


def _stored(signature: Signature) -> dict[str, Any]:
    data = asdict(signature)
    del data["fixed_lines"]  # only the policy's signature has lines of its own, and it is never stored
    return data


def policy_signature(account_id: str, lines: Iterable[str]) -> Signature:
    """The signature the machine policy sets for an account (provisioning.signature)."""
    return Signature(id=f"policy-{account_id}", account_id=account_id,
                     label=translate("Signature", "Set by your agency's policy"),
                     default=True, fixed_lines=tuple(lines))


def _list(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else ()


def _text(entry: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = entry.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    value = "".join(ch for ch in value if ch.isprintable()).strip()
    if required and not value:
        raise ValueError(f"{key} is missing")
    if len(value) > MAX_FIELD_CHARS:
        raise ValueError(f"{key} is longer than {MAX_FIELD_CHARS} characters")
    return value


def _identity(entry: Any) -> Identity:
    if not isinstance(entry, Mapping):
        raise ValueError("not an object")
    address = _text(entry, "address", required=True)
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(ch in address for ch in " <>,;\"'"):
        raise ValueError(f"{address!r} is not an e-mail address")
    return Identity(account_id=_text(entry, "account_id", required=True), address=address,
                    name=_text(entry, "name"), id=_text(entry, "id", required=True))


def _signature(entry: Any) -> Signature:
    if not isinstance(entry, Mapping):
        raise ValueError("not an object")
    default = entry.get("default", False)
    if not isinstance(default, bool):
        raise ValueError("default must be true or false")
    return Signature(
        id=_text(entry, "id", required=True),
        account_id=_text(entry, "account_id", required=True),
        label=_text(entry, "label"),
        name=_text(entry, "name"),
        position=_text(entry, "position"),
        agency=_text(entry, "agency"),
        phone=_text(entry, "phone"),
        identity=_text(entry, "identity"),
        default=default,
    )


__all__ = ["SIGNATURE_SEPARATOR", "ComposerProfiles", "Identity", "Signature", "policy_signature"]
