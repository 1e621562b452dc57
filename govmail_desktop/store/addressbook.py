"""The address book behind To/Cc/Bcc autocomplete: whom the user writes to, plus own contacts.

Two sources, one answer (:meth:`AddressBook.suggest`):

* **history** — addresses seen in From/To/Cc of the cached mail of every account,
  ranked by how often and how recently they were used, sent mail weighing more
  than received (``store/address_harvest.py``: incremental, beside each cache,
  disposable);
* **contacts** — the user's own list (``store/contacts.py``, ``contacts.sqlite3``
  in the data folder, not disposable), imported and exported as vCard or CSV
  (``store/contact_io.py``). A contact ranks above history with
  :data:`CONTACT_BONUS`, and its name wins over a harvested one.

**Matching.** Case-insensitive (Unicode case folding and NFKC, so ``ำ`` typed
either way matches). Latin text matches at the start of a word of the name or
organisation, or at the start of the address or of one of its parts
(``moph`` finds ``somchai@moph.go.th``); Thai text matches anywhere in the name
(Thai writes the title against the given name: ``สมชาย`` finds ``นายสมชาย ใจดี``).

**Speed.** The history is an immutable :class:`SearchIndex` built off the GUI
thread after each harvest: the searchable text of every address, best ranked
first, joined into one string, so a keystroke is a few ``str.find`` calls in C
that stop as soon as ``limit`` addresses are found. What was sent since the last
build and the contacts are small indexes merged in at query time.

**Threads.** :meth:`suggest` and the contacts methods are for the GUI thread;
:meth:`harvest` reads the caches and must run elsewhere —
:meth:`harvest_in_background` runs it on the address book's own thread.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from govmail_desktop.core.entities import Address
from govmail_desktop.core.fileops import replace_with_retry
from govmail_desktop.core.threads import lower_current_thread_priority
from govmail_desktop.i18n.catalog import Msg
from govmail_desktop.store.address_harvest import (
    HARVEST_FILE,
    HarvestReport,
    HarvestStore,
    Usage,
    decay_to,
)
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.contact_io import (
    MAX_IMPORT_BYTES,
    MSG_CANNOT_OPEN,
    MSG_CANNOT_WRITE,
    MSG_TOO_BIG,
    SKIP_DUPLICATE,
    ContactImportError,
    ImportResult,
    Skipped,
    read_csv,
    read_vcards,
    write_csv,
    write_vcards,
)
from govmail_desktop.store.contacts import Contact, ContactStore, email_key

log = logging.getLogger(__name__)

SOURCE_CONTACT = "contact"
SOURCE_HISTORY = "history"
#: A contact's score on top of its history: like three messages sent to it today.
CONTACT_BONUS = 9.0

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_THAI = re.compile("[\u0e00-\u0e7f]")
#: Characters after which a word of a name starts.
_NAME_BREAK = re.compile(r"[\s.,;:()\[\]{}\"'/\\|-]+")
#: Characters after which a part of an address starts.
_EMAIL_BREAK = re.compile(r"[.@_+-]+")
#: Characters that make a display name need quotes in an address field (RFC 5322 specials).
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


def fold(text: str) -> str:
    """The form text is compared in: NFKC, case-folded, one line, no control characters."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFKC", text)).casefold().strip()


def format_recipient(name: str, email: str) -> str:
    """``name <email>`` as an address field holds it (the name quoted when it needs to be),
    or the bare address when there is no name."""
    name = " ".join(_CONTROL.sub(" ", name).split())
    if not name or name.casefold() == email.casefold():
        return email
    if _SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{email}>"


@dataclass(frozen=True)
class Suggestion:
    """One completion: the name to show, the address, its rank and where it came from
    (:data:`SOURCE_CONTACT` or :data:`SOURCE_HISTORY`)."""

    name: str
    email: str
    score: float
    source: str

    @property
    def display(self) -> str:
        """``name <email>`` — what the completion list shows and the field receives."""
        return format_recipient(self.name, self.email)


@dataclass(frozen=True)
class IndexEntry:
    key: str
    name: str
    email: str
    #: Stored weight (history: relative to the harvest's reference time).
    weight: float
    organisation: str = ""


def _starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    """Where words begin in ``text``."""
    found = [0] if text else []
    found.extend(m.end() for m in breaks.finditer(text) if m.end() < len(text))
    return found


def _searchable(entry: IndexEntry) -> str:
    """Every place a query may start matching, each after ``\\x01``: the suffixes of the
    name and organisation from each word, and of the address from each part."""
    parts: list[str] = []
    for text, breaks in ((fold(entry.name), _NAME_BREAK), (fold(entry.organisation), _NAME_BREAK),
                         (fold(entry.email), _EMAIL_BREAK)):
        parts.extend(text[i:] for i in _starts(text, breaks))
    return "".join("\x01" + p for p in parts)


class SearchIndex:
    """Entries, best first, searchable by :func:`fold`-ed prefix (or Thai substring)."""

    def __init__(self, entries: Iterable[IndexEntry]) -> None:
        self.entries: list[IndexEntry] = sorted(entries, key=lambda e: (-e.weight, e.key))
        texts = [_searchable(e) for e in self.entries]
        self._starts: list[int] = []
        offset = 0
        for text in texts:
            self._starts.append(offset)
            offset += len(text) + 1
        self._text = "\n".join(texts)
        self._weight = {e.key: e.weight for e in self.entries}

    def weight_of(self, key: str) -> float:
        return self._weight.get(key, 0.0)

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, limit: int | None = None) -> list[IndexEntry]:
        """The best ``limit`` entries (all when None) matching an already folded ``query``."""
        if not query or limit == 0:
            return []
        needle = query if _THAI.search(query) else "\x01" + query
        found: list[IndexEntry] = []
        text, starts, pos = self._text, self._starts, 0
        while True:
            pos = text.find(needle, pos)
            if pos < 0:
                break
            i = bisect.bisect_right(starts, pos) - 1
            found.append(self.entries[i])
            if limit is not None and len(found) >= limit:
                break
            pos = starts[i + 1] if i + 1 < len(starts) else len(text)
        return found


@dataclass
class ImportReport:
    """What an import did: the contacts added, the entries left out (with where and why),
    and notes about the file (its encoding)."""

    added: list[Contact] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)


@dataclass
class _Account:
    cache: MailCache
    store: HarvestStore


def _atomic_write(path: Path, data: bytes) -> None:
    """Write a file so that it is either the old one or the whole new one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        replace_with_retry(tmp, path)  # a spreadsheet may have the file open
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class AddressBook:
    """Suggestions for recipient fields, and the user's contacts (see module doc)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        contacts: ContactStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.contacts = contacts if contacts is not None else ContactStore.in_data_dir(Path(data_dir))
        self._clock = clock
        self._lock = threading.RLock()
        self._accounts: dict[str, _Account] = {}
        self._history = SearchIndex(())
        #: Whether the history index has been built from the files since opening.
        self._built = False
        #: Sent since the history index was built (merged at query time), by key.
        self._recent: dict[str, Usage] = {}
        self._recent_index = SearchIndex(())
        self._contacts_index = SearchIndex(())
        self._contacts_generation = -1
        self._contact_of: dict[str, Contact] = {}
        self._cancel = threading.Event()
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="addressbook", initializer=lower_current_thread_priority
        )
        self._pending: Future[HarvestReport] | None = None

    # ------------------------------------------------------------------ accounts and history

    def add_account(
        self,
        account_id: str,
        cache: MailCache,
        own_addresses: Iterable[str] = (),
        *,
        harvest_path: Path | None = None,
    ) -> None:
        """Read this account's cached mail too; ``own_addresses`` (the account's address and
        its identities) are never suggested. The harvest file goes beside the cache."""
        path = harvest_path or cache.path.with_name(HARVEST_FILE)
        store = HarvestStore(path, own_addresses=own_addresses, clock=self._clock)
        with self._lock:
            old = self._accounts.pop(account_id, None)
            self._accounts[account_id] = _Account(cache, store)
        if old is not None:
            old.store.close()
        self._built = False  # the next harvest builds the index with this account

    def set_own_addresses(self, account_id: str, own_addresses: Iterable[str]) -> Future[HarvestReport] | None:
        """The account's own addresses changed (Edit → Identities…): they stop being
        suggested and its cached mail is read again in the background (returned; None when
        nothing changed or the account is unknown). Off the GUI thread: the store's write
        waits for a running harvest."""
        with self._lock:
            account = self._accounts.get(account_id)
        if account is None:
            return None

        def job() -> HarvestReport:
            if not account.store.set_own(own_addresses):
                return HarvestReport(0, 0)
            self._built = False
            return self.harvest(account_id)

        return self._pool.submit(job)

    def remove_account(self, account_id: str) -> None:
        with self._lock:
            old = self._accounts.pop(account_id, None)
        if old is not None:
            old.store.close()
            self.refresh()

    def harvest(self, account_id: str | None = None, *, cancel: threading.Event | None = None) -> HarvestReport:
        """Read the new cached messages of one account (or all) and rebuild the history
        index. Slow on a first run over a big cache: never call it on the GUI thread."""
        with self._lock:
            accounts = [a for i, a in self._accounts.items() if account_id is None or i == account_id]
        messages = folders = 0
        changed = False
        stop = cancel or self._cancel
        for account in accounts:
            report = account.store.harvest(account.cache, cancel=stop)
            messages, folders = messages + report.messages, folders + report.folders
            changed = changed or report.changed
            if report.cancelled:
                return HarvestReport(messages, folders, cancelled=True, changed=changed)
        if changed or not self._built:
            self.refresh()
        return HarvestReport(messages, folders, changed=changed)

    def harvest_in_background(self, account_id: str | None = None) -> Future[HarvestReport]:
        """:meth:`harvest` on the address book's thread (after a sync, at start). A request
        made while one is still waiting to start is answered by that one."""
        with self._lock:
            pending = self._pending
            if pending is not None and not pending.running() and not pending.done():
                return pending
            future = self._pool.submit(self._harvest_job, account_id)
            self._pending = future
            return future

    def _harvest_job(self, account_id: str | None) -> HarvestReport:
        try:
            return self.harvest(account_id)
        except Exception:
            log.exception("Address book harvest failed")
            raise

    def refresh(self) -> None:
        """Rebuild the history index from the harvest files (off the GUI thread)."""
        with self._lock:
            stores = [a.store for a in self._accounts.values()]
            totals: dict[str, Usage] = {}
            for store in stores:
                for key, use in store.usage().items():
                    found = totals.get(key)
                    if found is None:
                        totals[key] = use
                    else:
                        found.add(use)
            # Holding the lock, nothing is recorded between reading the files and
            # dropping what they now include.
            self._recent.clear()
            self._recent_index = SearchIndex(())
        index = SearchIndex(IndexEntry(k, u.name, u.email, u.weight) for k, u in totals.items())
        with self._lock:
            self._history = index
            self._built = True

    def record_sent(
        self,
        account_id: str,
        recipients: Iterable[Address | str],
        *,
        message_id: str | None = None,
        when: float | None = None,
    ) -> None:
        """Count the recipients of a message the server has just accepted (any thread):
        Addresses (their names are kept) or bare addresses.

        ``message_id`` keeps the harvest from counting its Sent copy again.
        """
        addresses = [r if isinstance(r, Address) else Address("", r) for r in recipients]
        with self._lock:
            account = self._accounts.get(account_id)
        if account is None:
            log.warning("Address book: sent mail of unknown account %s not recorded", account_id)
            return
        added = account.store.record_sent(addresses, message_id=message_id, when=when)
        with self._lock:
            for key, use in added.items():
                found = self._recent.get(key)
                if found is None:
                    self._recent[key] = use
                else:
                    found.add(use)
            self._recent_index = SearchIndex(
                IndexEntry(k, u.name, u.email, u.weight) for k, u in self._recent.items()
            )

    # ------------------------------------------------------------------ suggestions

    def _contacts_snapshot(self) -> tuple[SearchIndex, dict[str, Contact]]:
        with self._lock:
            generation = self.contacts.generation
            if generation != self._contacts_generation:
                entries: list[IndexEntry] = []
                owner: dict[str, Contact] = {}
                for contact in self.contacts.all():
                    for position, email in enumerate(contact.emails):
                        key = email_key(email)
                        owner[key] = contact
                        # A contact's main address before its others.
                        bonus = CONTACT_BONUS - 0.01 * min(position, 99)
                        entries.append(IndexEntry(key, contact.name, email, bonus, contact.organisation))
                self._contacts_index, self._contact_of = SearchIndex(entries), owner
                self._contacts_generation = generation
            return self._contacts_index, self._contact_of

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        """The best ``limit`` addresses for what the user typed (see module doc), best first."""
        query = fold(text)
        if not query or limit <= 0:
            return []
        contacts_index, contact_of = self._contacts_snapshot()
        with self._lock:
            history, recent, recent_index = self._history, dict(self._recent), self._recent_index
        factor = decay_to(self._clock())
        # Only the contacts and what was sent since the last build add to a history
        # weight: the best ``limit`` of the rest are among the history's best
        # ``limit + len(small)`` matches.
        small = contacts_index.search(query) + recent_index.search(query)
        candidates: dict[str, IndexEntry] = {e.key: e for e in small}
        for entry in history.search(query, limit + len(candidates)):
            candidates.setdefault(entry.key, entry)
        out: list[Suggestion] = []
        for key, entry in candidates.items():
            contact = contact_of.get(key)
            score = (history.weight_of(key) + (recent[key].weight if key in recent else 0.0)) * factor
            if contact is not None:
                name = contact.name or entry.name
                email = next((e for e in contact.emails if email_key(e) == key), entry.email)
                out.append(Suggestion(name, email, score + contacts_index.weight_of(key), SOURCE_CONTACT))
            else:
                name = entry.name or (recent[key].name if key in recent else "")
                out.append(Suggestion(name, entry.email, score, SOURCE_HISTORY))
        out.sort(key=lambda s: (-s.score, s.email.casefold()))
        return out[:limit]

    # ------------------------------------------------------------------ contacts

    def list_contacts(self) -> list[Contact]:
        return self.contacts.all()

    def add_contact(self, contact: Contact) -> Contact:
        return self.contacts.add(contact)

    def update_contact(self, contact: Contact) -> Contact:
        return self.contacts.update(contact)

    def delete_contact(self, contact_id: int) -> bool:
        return self.contacts.delete(contact_id)

    # ------------------------------------------------------------------ import and export

    @staticmethod
    def _read(source: Path | bytes) -> bytes:
        if isinstance(source, bytes):
            return source
        try:
            size = os.stat(source).st_size
            if size > MAX_IMPORT_BYTES:
                raise ContactImportError(
                    MSG_TOO_BIG, size=size // (1024 * 1024), limit=MAX_IMPORT_BYTES // (1024 * 1024)
                )
            return Path(source).read_bytes()
        except OSError as exc:
            raise ContactImportError(MSG_CANNOT_OPEN, detail=str(exc), path=str(source)) from exc

    def _add_imported(self, result: ImportResult) -> ImportReport:
        report = ImportReport(skipped=list(result.skipped), warnings=list(result.warnings))
        fresh: list[Contact] = []
        taken: dict[str, str] = {}
        for where, contact in zip(result.origins, result.contacts, strict=True):
            owner = next((o for o in map(self.contacts.owner_of, contact.emails) if o is not None), None)
            name = owner.display_name if owner is not None else next(
                (taken[email_key(e)] for e in contact.emails if email_key(e) in taken), None
            )
            if name is not None:
                report.skipped.append(Skipped(where, contact.name, SKIP_DUPLICATE.format(name=name)))
                continue
            for email in contact.emails:
                taken[email_key(email)] = contact.display_name
            fresh.append(contact)
        report.added = self.contacts.add_many(fresh)
        return report

    def import_vcard(self, source: Path | bytes) -> ImportReport:
        """Add the contacts of a vCard file; the ones already there (by address) are
        skipped and reported. :class:`ContactImportError` when nothing is readable."""
        return self._add_imported(read_vcards(self._read(source)))

    def import_csv(self, source: Path | bytes) -> ImportReport:
        """Add the contacts of a CSV file (see :meth:`import_vcard`)."""
        return self._add_imported(read_csv(self._read(source)))

    @staticmethod
    def _export(path: Path, data: bytes) -> None:
        try:
            _atomic_write(path, data)
        except OSError as exc:
            raise ContactImportError(MSG_CANNOT_WRITE, detail=str(exc), path=str(path)) from exc

    def export_vcard(self, path: Path, version: str = "3.0", contacts: Sequence[Contact] | None = None) -> int:
        """Write the contacts (all, or the ones given) as a vCard file; returns how many."""
        chosen = list(contacts) if contacts is not None else self.contacts.all()
        self._export(path, write_vcards(chosen, version))
        return len(chosen)

    def export_csv(self, path: Path, contacts: Sequence[Contact] | None = None) -> int:
        """Write the contacts (all, or the ones given) as CSV; returns how many."""
        chosen = list(contacts) if contacts is not None else self.contacts.all()
        self._export(path, write_csv(chosen))
        return len(chosen)

    # ------------------------------------------------------------------ shutting down

    def close(self) -> None:
        """Stop a harvest in progress, wait for it, and close the files."""
        self._cancel.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            accounts = list(self._accounts.values())
            self._accounts.clear()
        for account in accounts:
            account.store.close()
        self.contacts.close()
