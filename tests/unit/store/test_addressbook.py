"""The address book: harvest of the cached mail, ranking, Thai matching, contacts, record_sent."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from govmail_desktop.core.entities import Address, Folder, MessageSummary, SpecialUse
from govmail_desktop.store.address_harvest import HARVEST_FILE, HarvestStore, is_automated
from govmail_desktop.store.addressbook import (
    CONTACT_BONUS,
    SOURCE_CONTACT,
    SOURCE_HISTORY,
    AddressBook,
    IndexEntry,
    SearchIndex,
    fold,
    format_recipient,
)
from govmail_desktop.store.cache import MailCache
from govmail_desktop.store.contacts import Contact, ContactError, ContactStore

ME = Address("ฉัน", "me@agency.go.th")
NOW = datetime(2026, 11, 3, 7, 0, tzinfo=UTC).timestamp()
DAY = 86400
FOLDERS = (
    Folder("INBOX"),
    Folder("Sent", "/", SpecialUse.SENT),
    Folder("Drafts", "/", SpecialUse.DRAFTS),
    Folder("Junk", "/", SpecialUse.JUNK),
    Folder("โครงการ"),
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


class Mail:
    """A cache with the standard folders and helpers to put messages in them."""

    def __init__(self, cache: MailCache) -> None:
        self.cache = cache
        self.ids = cache.upsert_folders(FOLDERS)
        self.next_uid: dict[str, int] = {}
        for name in self.ids:
            self.cache.set_folder_state(self.ids[name], uidvalidity=7, uidnext=1, highestmodseq=1)

    def put(self, folder: str, *, frm: Address = ME, to: tuple[Address, ...] = (ME,), cc: tuple[Address, ...] = (),
            age_days: float = 0, message_id: str | None = None) -> int:
        uid = self.next_uid.get(folder, 0) + 1
        self.next_uid[folder] = uid
        when = int(NOW - age_days * DAY)
        self.cache.insert_summaries(self.ids[folder], [
            MessageSummary(uid=uid, internaldate=when, date=when, from_=(frm,), to=to, cc=cc,
                           message_id=message_id or f"<{folder}.{uid}@test>")
        ])
        return uid


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mail(tmp_path) -> Iterator[Mail]:
    cache = MailCache(tmp_path / "accounts" / "a1" / "cache.sqlite3")
    yield Mail(cache)
    cache.close()


@pytest.fixture
def book(tmp_path, mail, clock) -> Iterator[AddressBook]:
    ab = AddressBook(tmp_path / "data", clock=clock)
    ab.add_account("a1", mail.cache, [ME.email, "ME.Second@Agency.go.th"])
    yield ab
    ab.close()


def emails(suggestions) -> list[str]:
    return [s.email for s in suggestions]


SOMCHAI = Address("นายสมชาย ใจดี", "somchai@moph.go.th")
ANAN = Address("Anan Wong", "anan.w@ega.or.th")
SOMSRI = Address("นางสาวสมศรี มีสุข", "somsri@moph.go.th")


# ---------------------------------------------------------------------- harvesting


def test_received_senders_are_suggested_and_own_addresses_never(book, mail):
    mail.put("INBOX", frm=SOMCHAI, to=(ME, Address("", "me.second@agency.go.th")))
    book.harvest()
    assert emails(book.suggest("som")) == ["somchai@moph.go.th"]
    assert book.suggest("me") == []  # the user's own addresses, in any case


def test_drafts_and_junk_are_not_harvested(book, mail):
    mail.put("Drafts", frm=ME, to=(ANAN,))
    mail.put("Junk", frm=Address("Spam", "anan.spam@spam.example"))
    book.harvest()
    assert book.suggest("anan") == []


def test_automated_senders_are_not_suggested(book, mail):
    mail.put("INBOX", frm=Address("ระบบ", "no-reply@moph.go.th"))
    mail.put("INBOX", frm=Address("", "noreply-alerts@moph.go.th"))
    book.harvest()
    assert book.suggest("no") == []
    assert is_automated("MAILER-DAEMON@x.go.th") and not is_automated("nonglak@x.go.th")


def test_sent_mail_weighs_more_than_received(book, mail):
    # Anan wrote to the user twice; the user wrote to Somchai once, the same day.
    mail.put("INBOX", frm=Address("Somchai Received", "s.received@moph.go.th"))
    mail.put("INBOX", frm=Address("Somchai Received", "s.received@moph.go.th"))
    mail.put("Sent", frm=ME, to=(Address("Somchai Sent", "s.sent@moph.go.th"),))
    book.harvest()
    assert emails(book.suggest("somchai")) == ["s.sent@moph.go.th", "s.received@moph.go.th"]


def test_mail_from_an_own_address_in_any_folder_counts_as_sent(book, mail):
    mail.put("โครงการ", frm=Address("", "ME.SECOND@agency.go.th"), to=(Address("A", "a.sent@x.go.th"),))
    mail.put("INBOX", frm=Address("A", "a.recv@x.go.th"))
    mail.put("INBOX", frm=Address("A", "a.recv@x.go.th"))
    book.harvest()
    assert emails(book.suggest("a")) == ["a.sent@x.go.th", "a.recv@x.go.th"]


def test_an_identity_added_while_running_stops_being_suggested_and_its_mail_counts_as_sent(book, mail):
    saraban = Address("งานสารบรรณ", "saraban@agency.go.th")
    mail.put("INBOX", frm=saraban, to=(Address("Anan", "anan.w@ega.or.th"),))
    mail.put("INBOX", frm=SOMCHAI)
    book.record_sent("a1", [Address("Somsri", "somsri@moph.go.th")], message_id="<sent.1@agency.go.th>")
    book.harvest()
    assert emails(book.suggest("saraban")) == ["saraban@agency.go.th"]
    # Edit → Identities… adds the unit's saraban address to the account.
    future = book.set_own_addresses("a1", [ME.email, "me.second@agency.go.th", "SARABAN@agency.go.th"])
    assert future is not None
    future.result(timeout=10)
    assert book.suggest("saraban") == []
    # Its message was written by the user: Anan is now a recipient of sent mail, ranked as such.
    assert emails(book.suggest("anan")) == ["anan.w@ega.or.th"]
    assert emails(book.suggest("som")) == ["somsri@moph.go.th", "somchai@moph.go.th"]  # the recorded send kept
    again = book.set_own_addresses("a1", [ME.email, "me.second@agency.go.th", "saraban@agency.go.th"])
    assert again is not None and again.result(timeout=10).messages == 0  # the same set: nothing read again
    assert book.set_own_addresses("no-such-account", []) is None


def test_more_often_ranks_higher(book, mail):
    for _ in range(3):
        mail.put("INBOX", frm=Address("Anan Often", "anan.often@ega.or.th"))
    mail.put("INBOX", frm=Address("Anan Once", "anan.once@ega.or.th"))
    book.harvest()
    assert emails(book.suggest("anan")) == ["anan.often@ega.or.th", "anan.once@ega.or.th"]


def test_more_recent_ranks_higher(book, mail):
    mail.put("INBOX", frm=Address("Anan Old", "anan.old@ega.or.th"), age_days=400)
    mail.put("INBOX", frm=Address("Anan Old", "anan.old@ega.or.th"), age_days=400)
    mail.put("INBOX", frm=Address("Anan New", "anan.new@ega.or.th"), age_days=1)
    book.harvest()
    assert emails(book.suggest("anan")) == ["anan.new@ega.or.th", "anan.old@ega.or.th"]


def test_broken_dates_do_not_outrank_real_ones(book, mail):
    when_future = int(NOW + 3650 * DAY)  # a Date header ten years ahead
    mail.cache.insert_summaries(mail.ids["INBOX"], [
        MessageSummary(uid=100, internaldate=int(NOW - 200 * DAY), date=when_future,
                       from_=(Address("Future", "anan.future@x.go.th"),), to=(ME,)),
    ])
    mail.put("INBOX", frm=Address("Now", "anan.now@x.go.th"), age_days=0)
    book.harvest()
    assert emails(book.suggest("anan")) == ["anan.now@x.go.th", "anan.future@x.go.th"]


def test_harvest_is_incremental(book, mail):
    mail.put("INBOX", frm=ANAN)
    first = book.harvest()
    again = book.harvest()
    mail.put("INBOX", frm=ANAN)
    third = book.harvest()
    assert (first.messages, again.messages, third.messages) == (1, 0, 1)
    uses = book._accounts["a1"].store.usage()["anan.w@ega.or.th"].uses
    assert uses == 2


def test_rebuilt_cache_is_not_counted_twice(book, mail):
    mail.put("INBOX", frm=ANAN)
    book.harvest()
    # The cache is thrown away and the same messages (same UIDVALIDITY and UIDs) come back.
    mail.cache.rebuild("test")
    mail.ids = mail.cache.upsert_folders(FOLDERS)
    mail.cache.set_folder_state(mail.ids["INBOX"], uidvalidity=7, uidnext=2, highestmodseq=1)
    mail.next_uid.clear()
    mail.put("INBOX", frm=ANAN)
    assert book.harvest().messages == 0
    assert book._accounts["a1"].store.usage()["anan.w@ega.or.th"].uses == 1


def test_new_uidvalidity_reads_the_folder_again(book, mail):
    mail.put("INBOX", frm=ANAN)
    mail.put("INBOX", frm=ANAN)
    book.harvest()
    mail.cache.reset_folder(mail.ids["INBOX"], uidvalidity=8)
    mail.cache.set_folder_state(mail.ids["INBOX"], uidvalidity=8, uidnext=1, highestmodseq=1)
    mail.next_uid.clear()
    mail.put("INBOX", frm=ANAN)
    book.harvest()
    assert book._accounts["a1"].store.usage()["anan.w@ega.or.th"].uses == 1


def test_newest_name_is_shown(book, mail):
    mail.put("INBOX", frm=Address("anan.w@ega.or.th", "anan.w@ega.or.th"), age_days=1)  # no real name
    mail.put("INBOX", frm=Address("Anan (old name)", "anan.w@ega.or.th"), age_days=30)
    mail.put("INBOX", frm=Address("Anan Wong", "anan.w@ega.or.th"), age_days=5)
    book.harvest()
    [s] = book.suggest("anan")
    assert (s.name, s.source) == ("Anan Wong", SOURCE_HISTORY)


def test_cancelled_harvest_stops_between_batches_and_resumes(book, mail):
    for _ in range(3):
        mail.put("INBOX", frm=ANAN)
    stop = threading.Event()
    stop.set()
    assert book.harvest(cancel=stop).cancelled
    assert book.harvest().messages == 3


def test_damaged_harvest_file_is_rebuilt(tmp_path, mail, clock):
    path = tmp_path / "accounts" / "a1" / HARVEST_FILE
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    ab = AddressBook(tmp_path / "data", clock=clock)
    try:
        ab.add_account("a1", mail.cache, [ME.email])
        mail.put("INBOX", frm=ANAN)
        ab.harvest()
        assert emails(ab.suggest("anan")) == [ANAN.email]
    finally:
        ab.close()


def test_harvest_in_background_runs_off_the_calling_thread(book, mail):
    mail.put("INBOX", frm=ANAN)
    seen: list[str] = []
    original = HarvestStore.harvest

    def spy(self, cache, **kwargs):
        seen.append(threading.current_thread().name)
        return original(self, cache, **kwargs)

    HarvestStore.harvest = spy
    try:
        report = book.harvest_in_background().result(timeout=30)
    finally:
        HarvestStore.harvest = original
    assert report.messages == 1
    assert seen and seen[0].startswith("addressbook") and seen[0] != threading.current_thread().name
    assert emails(book.suggest("anan")) == [ANAN.email]


# ---------------------------------------------------------------------- recording sent mail


def test_recorded_send_is_suggested_at_once(book):
    book.record_sent("a1", [Address("สมชาย", "somchai@moph.go.th"), ME], message_id="<new@agency.go.th>")
    [s] = book.suggest("สมชาย")
    assert (s.email, s.source) == ("somchai@moph.go.th", SOURCE_HISTORY)
    assert book.suggest("me") == []


def test_sent_copy_of_a_recorded_send_is_not_counted_twice(book, mail):
    book.record_sent("a1", [ANAN], message_id="<new@agency.go.th>")
    mail.put("Sent", frm=ME, to=(ANAN,), message_id="<new@agency.go.th>")
    mail.put("Sent", frm=ME, to=(ANAN,), message_id="<other@agency.go.th>")
    book.harvest()
    usage = book._accounts["a1"].store.usage()[ANAN.email]
    assert (usage.uses, usage.sent) == (2, 2)
    [s] = book.suggest("anan")
    assert s.score == pytest.approx(6.0, rel=1e-6)  # two sends today, weight 3 each


def test_recorded_send_survives_a_restart(tmp_path, mail, clock):
    ab = AddressBook(tmp_path / "data", clock=clock)
    ab.add_account("a1", mail.cache, [ME.email])
    ab.record_sent("a1", [ANAN])
    ab.close()
    again = AddressBook(tmp_path / "data", clock=clock)
    try:
        again.add_account("a1", mail.cache, [ME.email])
        again.refresh()
        assert emails(again.suggest("anan")) == [ANAN.email]
    finally:
        again.close()


# ---------------------------------------------------------------------- matching


def test_thai_text_matches_anywhere_in_the_name(book, mail):
    mail.put("INBOX", frm=SOMCHAI)
    mail.put("INBOX", frm=SOMSRI)
    book.harvest()
    assert emails(book.suggest("สมชาย")) == [SOMCHAI.email]  # "นายสมชาย": title against the name
    assert emails(book.suggest("ใจดี")) == [SOMCHAI.email]
    assert set(emails(book.suggest("สม"))) == {SOMCHAI.email, SOMSRI.email}
    assert emails(book.suggest("มีสุข")) == [SOMSRI.email]


def test_thai_sara_am_typed_either_way_matches(book, mail):
    mail.put("INBOX", frm=Address("นายกำธร ทองคำ", "kamthon@x.go.th"))
    book.harvest()
    assert emails(book.suggest("\u0e01\u0e4d\u0e32\u0e18\u0e23")) == ["kamthon@x.go.th"]  # นิคหิต + สระอา
    assert emails(book.suggest("กำธร")) == ["kamthon@x.go.th"]


def test_latin_matches_word_and_address_part_starts_case_insensitively(book, mail):
    mail.put("INBOX", frm=ANAN)
    book.harvest()
    for typed in ("anan", "ANAN", "Wong", "anan w", "anan.w@", "ega", "w@ega.or", "or.th"):
        assert emails(book.suggest(typed)) == [ANAN.email], typed
    for typed in ("nan", "ong", "ga.or", "xyz"):
        assert book.suggest(typed) == [], typed


def test_empty_or_blank_text_suggests_nothing(book, mail):
    mail.put("INBOX", frm=ANAN)
    book.harvest()
    assert book.suggest("") == [] and book.suggest("   ") == [] and book.suggest("anan", limit=0) == []


def test_limit_keeps_the_best(book, mail):
    for i in range(15):
        for _ in range(i + 1):
            mail.put("INBOX", frm=Address(f"Person {i}", f"p{i:02d}@x.go.th"))
    book.harvest()
    got = book.suggest("p", limit=4)
    assert emails(got) == ["p14@x.go.th", "p13@x.go.th", "p12@x.go.th", "p11@x.go.th"]
    assert [s.score for s in got] == sorted((s.score for s in got), reverse=True)


def brute_force(entries: list[IndexEntry], query: str) -> list[str]:
    """Reference: every entry whose name/organisation word or address part starts with the
    query (Thai: anywhere in the name), best first."""
    import re

    def starts(text: str, pattern: str) -> list[str]:
        text = fold(text)
        points = [0] + [m.end() for m in re.finditer(pattern, text)]
        return [text[i:] for i in points]

    def matches(e: IndexEntry) -> bool:
        if re.search("[\u0e00-\u0e7f]", query):
            return query in fold(e.name) or query in fold(e.organisation) or query in fold(e.email)
        texts = starts(e.name, r"[\s.,;:()\[\]{}\"'/\\|-]+") + starts(e.organisation, r"[\s.,;:()\[\]{}\"'/\\|-]+")
        texts += starts(e.email, r"[.@_+-]+")
        return any(t.startswith(query) for t in texts)

    ranked = sorted(entries, key=lambda e: (-e.weight, e.key))
    return [e.key for e in ranked if matches(e)]


def test_search_index_agrees_with_a_brute_force_search():
    rng = random.Random(11)
    syllables = ["som", "chai", "an", "wong", "สม", "ชาย", "ศรี", "นาย", "กำ", "ธร", "ja", "dee"]
    entries = []
    for i in range(400):
        name = " ".join("".join(rng.choice(syllables) for _ in range(rng.randint(1, 2))) for _ in range(2))
        email = f"{rng.choice(syllables[:4] + ['x'])}.{i}@{rng.choice(['moph', 'ega', 'mof'])}.go.th"
        entries.append(IndexEntry(email, name, email, rng.random() * 10, rng.choice(["", "กรม ก", "Office"])))
    index = SearchIndex(entries)
    for query in ["s", "som", "chai", "an", "สม", "ชาย", "ศรี", "กำ", "moph", "ega.go", "x.1", "of", "zz", "wong s"]:
        q = fold(query)
        assert [e.key for e in index.search(q)] == brute_force(entries, q), query
        assert [e.key for e in index.search(q, 5)] == brute_force(entries, q)[:5], query


def test_format_recipient_quotes_names_that_need_it():
    assert format_recipient("Anan Wong", "a@x.go.th") == "Anan Wong <a@x.go.th>"
    assert format_recipient("Wong, Anan", "a@x.go.th") == '"Wong, Anan" <a@x.go.th>'
    assert format_recipient('Dr. "A"', "a@x.go.th") == '"Dr. \\"A\\"" <a@x.go.th>'
    assert format_recipient("นายสมชาย ใจดี", "s@x.go.th") == "นายสมชาย ใจดี <s@x.go.th>"
    assert format_recipient("", "s@x.go.th") == "s@x.go.th"
    assert format_recipient("Evil\r\nBcc: x", "s@x.go.th") == '"Evil Bcc: x" <s@x.go.th>'


# ---------------------------------------------------------------------- contacts


def test_contacts_rank_first_and_their_names_win(book, mail):
    for _ in range(2):
        mail.put("INBOX", frm=Address("somchai", "somchai.history@moph.go.th"))
    mail.put("INBOX", frm=Address("Somchai Harvested", "somchai@moph.go.th"))
    book.harvest()
    book.add_contact(Contact("นายสมชาย ใจดี", "somchai@moph.go.th", ("s.jaidee@gmail.example",),
                             organisation="สำนักงานปลัดกระทรวงสาธารณสุข", position="นักวิเคราะห์"))
    got = book.suggest("som")
    assert [(s.email, s.source) for s in got] == [
        ("somchai@moph.go.th", SOURCE_CONTACT), ("somchai.history@moph.go.th", SOURCE_HISTORY)]
    assert got[0].name == "นายสมชาย ใจดี"
    assert got[0].score > CONTACT_BONUS  # the history adds to the contact's rank
    # Any of the contact's addresses, and its organisation, find it.
    assert emails(book.suggest("s.jaidee")) == ["s.jaidee@gmail.example"]
    assert set(emails(book.suggest("สาธารณสุข"))) == {"somchai@moph.go.th", "s.jaidee@gmail.example"}


def test_contact_changes_show_in_suggestions_at_once(book):
    saved = book.add_contact(Contact("Anan", "anan@ega.or.th"))
    assert emails(book.suggest("anan")) == ["anan@ega.or.th"]
    book.update_contact(Contact("Anan", "anan.new@ega.or.th", id=saved.id))
    assert emails(book.suggest("anan")) == ["anan.new@ega.or.th"]
    assert saved.id is not None and book.delete_contact(saved.id)
    assert book.suggest("anan") == []


def test_contacts_live_outside_the_disposable_cache(tmp_path, book, mail):
    book.add_contact(Contact("Anan", "anan@ega.or.th"))
    mail.cache.rebuild("test")
    store = ContactStore.in_data_dir(tmp_path / "data")
    try:
        assert [c.email for c in store.all()] == ["anan@ega.or.th"]
        assert not str(store.path).startswith(str(mail.cache.path.parent))
    finally:
        store.close()


@pytest.mark.parametrize("bad", ["", "anan", "anan@", "a b@x.go.th", "anan@x", "<anan@x.go.th>", "a@@x.go.th"])
def test_invalid_contact_address_is_refused_with_thai_text(book, bad):
    with pytest.raises(ContactError) as caught:
        book.add_contact(Contact("Anan", bad))
    assert caught.value.message.text("en") != caught.value.message.text("th")
    assert len(book.list_contacts()) == 0


def test_an_address_belongs_to_one_contact(book):
    book.add_contact(Contact("Anan", "anan@ega.or.th"))
    with pytest.raises(ContactError) as caught:
        book.add_contact(Contact("Another", "x@ega.or.th", ("ANAN@EGA.OR.TH",)))
    assert "Anan" in caught.value.message.text("en")
    with pytest.raises(ContactError):
        book.contacts.add_many([Contact("A", "dup@x.go.th"), Contact("B", "dup@x.go.th")])
    assert [c.name for c in book.list_contacts()] == ["Anan"]


def test_damaged_contacts_file_is_set_aside_not_deleted(tmp_path):
    path = tmp_path / "contacts.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 80 + b"\xff" * 4000)
    store = ContactStore(path)
    try:
        assert store.recovered_from_damage and len(store) == 0
        assert list(tmp_path.glob("contacts.sqlite3.damaged-*"))
        store.add(Contact("Anan", "anan@ega.or.th"))
    finally:
        store.close()


def test_contacts_are_written_with_full_sync(tmp_path):
    store = ContactStore(tmp_path / "contacts.sqlite3")
    try:
        conn = store._conns.get()
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        store.close()
    assert sqlite3.connect(tmp_path / "contacts.sqlite3").execute("SELECT count(*) FROM contacts").fetchone() == (0,)


def test_harvest_with_nothing_new_keeps_the_index(book, mail, monkeypatch):
    mail.put("INBOX", frm=ANAN)
    book.harvest()
    rebuilt: list[bool] = []
    monkeypatch.setattr(book, "refresh", lambda: rebuilt.append(True))
    report = book.harvest()
    assert (report.messages, report.changed, rebuilt) == (0, False, [])
    mail.put("INBOX", frm=SOMCHAI)
    assert book.harvest().changed and rebuilt == [True]


def test_folder_emptied_by_a_new_uidvalidity_drops_its_addresses(book, mail):
    mail.put("INBOX", frm=ANAN)
    book.harvest()
    mail.cache.reset_folder(mail.ids["INBOX"], uidvalidity=8)
    mail.cache.set_folder_state(mail.ids["INBOX"], uidvalidity=8, uidnext=1, highestmodseq=1)
    report = book.harvest()
    assert report.messages == 0 and report.changed
    assert book.suggest("anan") == []


def test_opened_book_builds_its_index_even_when_nothing_is_new(tmp_path, mail, clock):
    first = AddressBook(tmp_path / "data", clock=clock)
    first.add_account("a1", mail.cache, [ME.email])
    mail.put("INBOX", frm=ANAN)
    first.harvest()
    first.close()
    second = AddressBook(tmp_path / "data", clock=clock)
    try:
        second.add_account("a1", mail.cache, [ME.email])
        assert second.harvest().messages == 0
        assert emails(second.suggest("anan")) == [ANAN.email]
    finally:
        second.close()


def test_recorded_send_takes_bare_addresses_too(book):
    book.record_sent("a1", ["anan.w@ega.or.th", "ME@agency.go.th"])
    assert [(s.email, s.name) for s in book.suggest("anan")] == [("anan.w@ega.or.th", "")]
    assert book.suggest("me") == []
