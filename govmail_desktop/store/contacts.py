"""The user's own contacts list: name, e-mail addresses, organisation, position, phone.

File: ``<data_dir>/contacts.sqlite3``. **Not disposable**: these are the user's
entries, kept apart from the mail cache (which a rebuild throws away) and written
with ``synchronous=FULL`` so a saved contact survives a power cut. A damaged file
is moved aside with a time stamp (kept for the IT staff, never deleted) and an
empty list is started; ``recovered_from_damage`` then tells the UI to say so.

The list is small (hundreds, a few thousand after an import), so it is kept in
memory as well: reads never touch the disk. Every e-mail address belongs to one
contact at most (compared case-insensitively).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from govmail_desktop.core.accounts import InvalidAccount, normalize_address
from govmail_desktop.core.errors import GovMailError
from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP
from govmail_desktop.store import keys
from govmail_desktop.store.db import ThreadConnections, guarded, move_aside, storage_error, write_transaction

log = logging.getLogger(__name__)

CONTACTS_FILE = "contacts.sqlite3"
CONTACTS_SCHEMA_VERSION = 1
#: Longest text kept in a contact field (a pasted essay is not a name).
MAX_FIELD = 256


class ContactError(GovMailError):
    """A contact that cannot be saved as given (bad or duplicate e-mail address)."""

    code = "contact-invalid"
    default_message = QT_TRANSLATE_NOOP("Contacts", "The contact could not be saved.")


MSG_NO_EMAIL = QT_TRANSLATE_NOOP("Contacts", "Please enter an e-mail address for the contact.")
MSG_BAD_EMAIL = QT_TRANSLATE_NOOP(
    "Contacts", "\"{address}\" is not a valid e-mail address (for example name@agency.go.th)."
)
MSG_DUPLICATE = QT_TRANSLATE_NOOP("Contacts", "{address} is already in your contacts ({name}).")
MSG_NOT_FOUND = QT_TRANSLATE_NOOP("Contacts", "The contact no longer exists.")


@dataclass(frozen=True)
class Contact:
    """One entry of the contacts list. ``id`` is None until the store has saved it."""

    name: str
    email: str
    other_emails: tuple[str, ...] = ()
    organisation: str = ""
    position: str = ""
    phone: str = ""
    id: int | None = field(default=None, compare=False)

    @property
    def emails(self) -> tuple[str, ...]:
        """Every address of the contact, the main one first."""
        return (self.email, *self.other_emails)

    @property
    def display_name(self) -> str:
        return self.name or self.email


def email_key(email: str) -> str:
    """The form two addresses are compared in (case and Unicode form ignored)."""
    return unicodedata.normalize("NFC", email.strip()).casefold()


def _clean(text: str | None) -> str:
    return unicodedata.normalize("NFC", keys.one_line(text))[:MAX_FIELD]


def checked_email(address: str) -> str:
    """A plain e-mail address (``name@agency.go.th``), or :class:`ContactError` naming it."""
    text = _clean(address)
    if not text:
        raise ContactError(MSG_NO_EMAIL, detail="empty address")
    try:
        return normalize_address(text)
    except InvalidAccount:
        raise ContactError(MSG_BAD_EMAIL, detail="malformed address", address=text) from None


def checked_contact(contact: Contact) -> Contact:
    """The contact with its text tidied (one line, NFC) and its addresses checked;
    an address given twice is kept once. Raises :class:`ContactError`."""
    emails: list[str] = []
    seen: set[str] = set()
    for address in contact.emails:
        if not _clean(address) and emails:
            continue  # an empty "other address" line
        email = checked_email(address)
        if email_key(email) not in seen:
            seen.add(email_key(email))
            emails.append(email)
    return replace(
        contact,
        name=_clean(contact.name),
        email=emails[0],
        other_emails=tuple(emails[1:]),
        organisation=_clean(contact.organisation),
        position=_clean(contact.position),
        phone=_clean(contact.phone),
    )


class ContactStore:
    """The contacts file; thread-safe (a connection per thread, one lock for the list)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.recovered_from_damage = False
        self._conns = ThreadConnections(self.path, self._configure)
        self._lock = threading.RLock()
        self._by_id: dict[int, Contact] = {}
        #: Bumped on every change: the address book rebuilds its contacts index when it moves.
        self.generation = 0
        self._open()

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> ContactStore:
        return cls(Path(data_dir) / CONTACTS_FILE)

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")

    def _create(self) -> None:
        with write_transaction(self._conns.get()) as db:
            db.execute(
                """CREATE TABLE IF NOT EXISTS contacts (
                       id           INTEGER PRIMARY KEY,
                       name         TEXT NOT NULL DEFAULT '',
                       email        TEXT NOT NULL,
                       other_emails TEXT NOT NULL DEFAULT '[]',
                       organisation TEXT NOT NULL DEFAULT '',
                       position     TEXT NOT NULL DEFAULT '',
                       phone        TEXT NOT NULL DEFAULT '',
                       updated_at   REAL NOT NULL
                   )"""
            )
            db.execute(f"PRAGMA user_version = {CONTACTS_SCHEMA_VERSION:d}")

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, self.path) from exc
        try:
            version = self._conns.get().execute("PRAGMA user_version").fetchone()[0]
            if version > CONTACTS_SCHEMA_VERSION:
                raise ValueError(f"contacts schema {version} is newer than {CONTACTS_SCHEMA_VERSION}")
            self._create()
            self._load()
            return
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise
        except (sqlite3.DatabaseError, ValueError) as exc:
            err = storage_error(exc, self.path) if isinstance(exc, sqlite3.DatabaseError) else None
            if err is not None and err.code != "cache-corrupt":
                self._conns.close_all()
                raise err from exc
            damage: BaseException = exc
        except OSError as exc:
            self._conns.close_all()
            raise storage_error(exc, self.path) from exc
        self._conns.close_all()
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        log.error("Contacts file %s unusable (%s); kept as %s, starting empty", self.path, damage, aside)
        try:
            move_aside(self.path, aside)
            self._create()
            self._load()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc
        self.recovered_from_damage = True

    def _load(self) -> None:
        rows = self._conns.get().execute(
            "SELECT id, name, email, other_emails, organisation, position, phone FROM contacts"
        ).fetchall()
        loaded: dict[int, Contact] = {}
        for r in rows:
            try:
                others = tuple(str(e) for e in json.loads(r[3]))
            except (ValueError, TypeError):
                others = ()
            loaded[r[0]] = Contact(r[1], r[2], others, r[4], r[5], r[6], id=r[0])
        with self._lock:
            self._by_id = loaded
            self.generation += 1

    def close(self) -> None:
        self._conns.close_all()

    # ------------------------------------------------------------------ reading

    def all(self) -> list[Contact]:
        """Every contact, by name (then address)."""
        with self._lock:
            contacts = list(self._by_id.values())
        return sorted(contacts, key=lambda c: (c.display_name.casefold(), email_key(c.email)))

    def get(self, contact_id: int) -> Contact | None:
        with self._lock:
            return self._by_id.get(contact_id)

    def owner_of(self, email: str) -> Contact | None:
        """The contact that has this address, if any."""
        key = email_key(email)
        with self._lock:
            for contact in self._by_id.values():
                if any(email_key(e) == key for e in contact.emails):
                    return contact
        return None

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_id)

    # ------------------------------------------------------------------ writing

    def _check_free(self, contact: Contact) -> None:
        for address in contact.emails:
            owner = self.owner_of(address)
            if owner is not None and owner.id != contact.id:
                raise ContactError(
                    MSG_DUPLICATE, detail="duplicate address", address=address, name=owner.display_name
                )

    @staticmethod
    def _row(contact: Contact) -> tuple[Any, ...]:
        return (
            contact.name,
            contact.email,
            json.dumps(list(contact.other_emails), ensure_ascii=False),
            contact.organisation,
            contact.position,
            contact.phone,
            time.time(),
        )

    @guarded
    def add(self, contact: Contact) -> Contact:
        """Save a new contact; returns it with its id. :class:`ContactError` when an
        address is invalid or already belongs to another contact."""
        return self.add_many([contact])[0]

    @guarded
    def add_many(self, contacts: Iterable[Contact]) -> list[Contact]:
        """Save several new contacts in one transaction (all or none)."""
        with self._lock:
            checked: list[Contact] = []
            taken: dict[str, str] = {}
            for contact in contacts:
                contact = replace(checked_contact(contact), id=None)
                self._check_free(contact)
                for address in contact.emails:
                    if email_key(address) in taken:
                        raise ContactError(
                            MSG_DUPLICATE, detail="duplicate address", address=address,
                            name=taken[email_key(address)],
                        )
                    taken[email_key(address)] = contact.display_name
                checked.append(contact)
            saved: list[Contact] = []
            with write_transaction(self._conns.get()) as db:
                for contact in checked:
                    cur = db.execute(
                        """INSERT INTO contacts (name, email, other_emails, organisation, position,
                                                 phone, updated_at) VALUES (?,?,?,?,?,?,?)""",
                        self._row(contact),
                    )
                    saved.append(replace(contact, id=cur.lastrowid))
            for contact in saved:
                assert contact.id is not None
                self._by_id[contact.id] = contact
            self.generation += 1
            return saved

    @guarded
    def update(self, contact: Contact) -> Contact:
        """Save changes to an existing contact (found by its id)."""
        contact_id = contact.id
        if contact_id is None:
            raise ContactError(MSG_NOT_FOUND, detail="contact has no id")
        with self._lock:
            if contact_id not in self._by_id:
                raise ContactError(MSG_NOT_FOUND, detail=f"no contact {contact_id}")
            contact = checked_contact(contact)
            self._check_free(contact)
            with write_transaction(self._conns.get()) as db:
                db.execute(
                    """UPDATE contacts SET name=?, email=?, other_emails=?, organisation=?, position=?,
                                           phone=?, updated_at=? WHERE id=?""",
                    (*self._row(contact), contact_id),
                )
            self._by_id[contact_id] = contact
            self.generation += 1
            return contact

    @guarded
    def delete(self, contact_id: int) -> bool:
        """Remove a contact; False if it did not exist."""
        with self._lock:
            if contact_id not in self._by_id:
                return False
            with write_transaction(self._conns.get()) as db:
                db.execute("DELETE FROM contacts WHERE id=?", (contact_id,))
            del self._by_id[contact_id]
            self.generation += 1
            return True
