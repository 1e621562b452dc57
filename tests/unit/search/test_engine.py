"""search/engine + index + indexer over a real mail cache: terms, fields, flags, folders,
dates, negation, sorting, scope, and what is not indexed yet."""

from __future__ import annotations

from pathlib import Path

from govmail_desktop.core.entities import Address
from govmail_desktop.search.engine import SearchScope, folder_matches

from .conftest import World, epoch, raw_message

BODY = "เรียน ผู้อำนวยการ\nขอเชิญประชุมเรื่องงบประมาณปี ๒๕๖๙ ณ ห้องประชุม ที่ มท ๐๘๐๘.๒/ว ๑๒๓๔ ลาป่วยได้"


def test_thai_terms_of_one_two_and_more_characters_inside_running_text(world: World) -> None:
    world.add("INBOX", 1, "แจ้งเวียน", BODY)
    world.add("INBOX", 2, "Lunch", "Nothing Thai here at all")
    assert world.uids("ณ") == {1}
    assert world.uids("งบ") == {1}
    assert world.uids("ลา") == {1}
    assert world.uids("ประชุม") == {1}
    assert world.uids("งบประมาณปี") == {1}
    assert world.uids("ยา") == set()


def test_digits_match_across_scripts(world: World) -> None:
    world.add("INBOX", 1, "หนังสือ", BODY)
    assert world.uids("2569") == {1}
    assert world.uids("๐๘๐๘.๒/ว") == {1}
    assert world.uids('"มท 0808.2/ว 1234"') == {1}


def test_sara_am_typed_as_nikhahit_and_sara_aa_is_found(world: World) -> None:
    world.add("INBOX", 1, "ค\u0e4d\u0e32สั่งแต่งตั้ง", "ไม่มี")
    world.add("INBOX", 2, "คำสั่งย้าย", "ไม่มี")
    assert world.uids("คำสั่ง") == {1, 2}
    assert world.uids("ค\u0e4d\u0e32สั่ง") == {1, 2}


def test_latin_case_and_accents(world: World) -> None:
    world.add("INBOX", 1, "Budget CAFÉ", "Meeting at the Café")
    assert world.uids("cafe") == {1}
    assert world.uids("BUDGET") == {1}
    assert world.uids("café") == {1}


def test_no_false_positive_for_long_terms_whose_trigrams_are_scattered(world: World) -> None:
    # Every trigram of "abcdef" is here, but never the word itself.
    world.add("INBOX", 1, "abc", "def abcx xdef")
    world.add("INBOX", 2, "abcdef", "")
    assert world.uids("abcdef") == {2}


def test_field_terms(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "ข้อความจากสมศรี", sender=Address("สมชาย ใจดี", "somchai@moi.go.th"))
    world.add("INBOX", 2, "ขอบคุณสมชาย", "ไม่มี", sender=Address("สมศรี รักชาติ", "somsri@mof.go.th"),
              to=(Address("John Smith", "john@example.org"),))
    assert world.uids("from:สมชาย") == {1}
    assert world.uids("from:mof.go.th") == {2}
    assert world.uids("subject:สมชาย") == {2}
    assert world.uids("to:john") == {2}
    assert world.uids("สมศรี") == {1, 2}  # anywhere: body of 1, sender of 2
    assert world.uids("-from:สมชาย") == {2}


def test_negation_of_words(world: World) -> None:
    world.add("INBOX", 1, "งบประมาณ", "ลาป่วย")
    world.add("INBOX", 2, "งบลงทุน", "ลากิจ")
    assert world.uids("งบ -ลาป่วย") == {2}
    assert world.uids("-งบ") == set()
    assert world.uids("ลา -ป่วย") == {2}


def test_flags_come_from_the_cache(world: World) -> None:
    world.add("INBOX", 1, "อ่านแล้ว", "x", flags=frozenset({"\\Seen"}))
    world.add("INBOX", 2, "ยังไม่อ่าน", "x", flags=frozenset({"\\Flagged"}), has_attachments=True)
    assert world.uids("is:unread") == {2}
    assert world.uids("is:flagged") == {2}
    assert world.uids("has:attachment") == {2}
    assert world.uids("-is:unread") == {1}
    world.cache.change_flags(world.folders["INBOX"], [2], add=["\\Seen"])
    assert world.uids("is:unread") == set()  # no re-indexing needed


def test_urgent_and_secret_from_the_subject_and_from_the_header_fields(world: World) -> None:
    world.add("INBOX", 1, "ด่วนที่สุด ขอเชิญประชุม")  # header row only: the subject prefix
    world.add("INBOX", 2, "ขอเชิญประชุม", raw=raw_message("ขอเชิญประชุม", "เนื้อความ",
                                                         headers={"X-GovMail-Secrecy": "secret"}))
    world.add("INBOX", 3, "ลับ ข้อมูลบุคคล")
    world.add("INBOX", 4, "ธรรมดา", "ไม่ด่วน")
    assert world.uids("is:urgent") == {1}
    assert world.uids("is:secret") == {2, 3}
    assert world.uids("-is:secret -is:urgent") == {4}


def test_folder_terms_and_folder_scope(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "x")
    world.add("Sent", 2, "ประชุม", "x")
    world.add("Projects/งบ", 3, "ประชุม", "x")
    assert world.uids("ประชุม folder:inbox") == {1}
    assert world.uids("ประชุม folder:ส่งแล้ว") | world.uids("ประชุม folder:sent") == {2}
    assert world.uids("ประชุม folder:งบ") == {3}
    assert world.uids("ประชุม -folder:INBOX") == {2, 3}
    assert world.uids("ประชุม", SearchScope(folder=("acct", "Sent"))) == {2}
    assert world.uids("ประชุม", SearchScope(account_ids=("other",))) == set()


def test_folder_matches_names_leaves_and_roles() -> None:
    assert folder_matches("inbox", "INBOX", "\\Inbox")
    assert folder_matches("งบ", "Projects/งบ")
    assert folder_matches("Sent", "Sent Items", "\\Sent")
    assert not folder_matches("Sent", "Archive", "\\Archive")


def test_buddhist_era_date_queries(world: World) -> None:
    world.add("INBOX", 1, "ประชุม", "x", date=epoch(2025, 9, 30))
    world.add("INBOX", 2, "ประชุม", "x", date=epoch(2025, 10, 1))
    world.add("INBOX", 3, "ประชุม", "x", date=epoch(2025, 11, 2))
    assert world.uids("ประชุม after:1/10/2568") == {2, 3}
    assert world.uids("ประชุม before:1/10/2568") == {1}
    assert world.uids("date:ต.ค.2568") == {2}
    assert world.uids("ประชุม -date:ต.ค.2568") == {1, 3}
    assert world.uids("date:2568") == {1, 2, 3}


def test_sorted_by_date_newest_first_and_limited(world: World) -> None:
    for uid in range(1, 41):
        world.add("INBOX", uid, f"ประชุม {uid}", "x", date=epoch(2025, 1, 1) + (uid * 7919 % 40) * 86400)
    hits = world.search("ประชุม", limit=10)
    assert [h.date for h in hits] == sorted((h.date for h in hits), reverse=True)
    newest = sorted((epoch(2025, 1, 1) + (u * 7919 % 40) * 86400 for u in range(1, 41)), reverse=True)[:10]
    assert [h.date for h in hits] == newest


def test_early_stop_stays_exact_when_many_messages_share_a_date(world: World) -> None:
    same = epoch(2025, 5, 5) // 64 * 64
    world.add("INBOX", 99, "ประชุม", "x", date=same + 64 * 10)  # newest, indexed first: row id base + 10
    world.settle()
    for uid in range(1, 30):  # older, but bumped past base + 10 to higher row ids
        world.add("INBOX", uid, "ประชุม", "x", date=same)
    world.settle()
    assert world.index.max_bump() >= 19
    hits = world.search("ประชุม", limit=5)
    assert hits[0].uid == 99
    assert len(hits) == 5


def test_relevance_puts_subject_matches_first(world: World) -> None:
    world.add("INBOX", 1, "เรื่องอื่น", "งบประมาณ", date=epoch(2025, 12, 1))
    world.add("INBOX", 2, "งบประมาณ ปี 2569", "งบประมาณ", date=epoch(2025, 1, 1))
    by_relevance = world.search("งบประมาณ", sort="relevance")
    assert [h.uid for h in by_relevance] == [2, 1]
    assert by_relevance[0].score > by_relevance[1].score
    assert [h.uid for h in world.search("งบประมาณ", sort="date")] == [1, 2]


def test_hits_carry_what_the_results_list_shows(world: World) -> None:
    world.add("INBOX", 7, "ขอเชิญประชุม", BODY, flags=frozenset({"\\Seen"}), has_attachments=True)
    (hit,) = world.search("ประชุม")
    assert (hit.account_id, hit.folder, hit.uid, hit.subject, hit.sender) == (
        "acct", "INBOX", 7, "ขอเชิญประชุม", "สมชาย ใจดี")
    assert hit.flags & 1 and hit.has_attachments and hit.body_indexed and not hit.on_server


def test_body_not_cached_is_reported_for_the_server_search(world: World) -> None:
    world.add("INBOX", 1, "หัวเรื่อง")  # header only
    world.add("INBOX", 2, "หัวเรื่อง", "มีเนื้อความ")
    world.settle()
    assert world.engine.unindexed() == [("acct", "INBOX", 1)]
    assert world.engine.unindexed_uids("acct", "INBOX") == [1]
    assert [h.body_indexed for h in sorted(world.search("หัวเรื่อง"), key=lambda h: h.uid)] == [False, True]
    assert world.uids("เนื้อความ") == {2}
    world.cache.put_part(world.folders["INBOX"], 1, "", raw_message("หัวเรื่อง", "เนื้อความมาทีหลัง"))
    assert world.uids("เนื้อความ") == {1, 2}
    assert world.engine.unindexed() == []


def test_attachment_names_are_searchable(world: World) -> None:
    world.add("INBOX", 1, "ส่งเอกสาร", raw=raw_message("ส่งเอกสาร", "ตามแนบ", attachment="คำสั่งแต่งตั้ง.pdf"))
    assert world.uids("แต่งตั้ง") == {1}


def test_empty_query_lists_everything_newest_first(world: World) -> None:
    world.add("INBOX", 1, "a", "x", date=epoch(2025, 1, 1))
    world.add("Sent", 2, "b", "x", date=epoch(2025, 2, 1))
    assert [h.uid for h in world.search("")] == [2, 1]


def test_messages_the_indexer_has_not_reached_yet_count_as_not_indexed(world: World) -> None:
    world.add("INBOX", 1, "ก", "x")
    world.settle()
    world.add("INBOX", 2, "ข")  # not indexed yet
    world.add("Sent", 3, "ค")
    assert sorted(world.engine.unindexed()) == [("acct", "INBOX", 1), ("acct", "Sent", 1)]
    assert world.engine.unindexed_uids("acct", "INBOX") == [2]


def test_a_data_folder_with_thai_letters_and_spaces(tmp_path: Path) -> None:
    from govmail_desktop.core.entities import Folder, MessageSummary
    from govmail_desktop.search.engine import AccountSource, SearchEngine
    from govmail_desktop.search.index import SearchIndex
    from govmail_desktop.search.indexer import Indexer
    from govmail_desktop.search.query import parse_query
    from govmail_desktop.store.cache import MailCache

    folder = tmp_path / "ข้อมูล ของ ฉัน #1?"
    cache = MailCache(folder / "cache.sqlite3")
    ids = cache.upsert_folders([Folder("INBOX")])
    cache.insert_summaries(ids["INBOX"], [MessageSummary(uid=1, internaldate=1_700_000_000, subject="งบ")])
    index = SearchIndex(folder / "search.sqlite3", cache_path=cache.path)
    Indexer("a", cache, index).run_pending()
    engine = SearchEngine([AccountSource.of_cache("a", cache, index)])
    assert [h.uid for h in engine.search(parse_query("งบ is:unread"))] == [1]  # flags read from the cache
    engine.close_thread()
    index.close()
    cache.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ข้อมูล ของ ฉัน #1?"]  # no stray files


def test_text_downloaded_for_search_is_indexed(world: World) -> None:
    from govmail_desktop.mime.skeleton import SEARCH_TEXT_PART

    world.add("INBOX", 1, "หัวเรื่อง")
    assert world.uids("ดาวน์โหลด") == set()
    world.cache.put_part(world.folders["INBOX"], 1, SEARCH_TEXT_PART, raw_message("หัวเรื่อง", "ข้อความที่ดาวน์โหลดไว้"))
    assert world.uids("ดาวน์โหลด") == {1}
    assert world.engine.unindexed() == []


def test_a_query_of_max_terms_terms_is_searched_and_one_more_is_a_query_error(world: World) -> None:
    """The longest query parse_query takes (negated short words: the deepest SQL per term) runs;
    a thousand terms (found by make fuzz) are refused by the parser, never handed to SQLite."""
    import pytest

    from govmail_desktop.search.query import MAX_TERMS, QueryError

    world.add("INBOX", 1, "ขอเชิญประชุม", "วาระ")
    words = [f"-ก{i}" for i in range(MAX_TERMS)]
    assert world.uids(" ".join(words)) == {1}
    with pytest.raises(QueryError):
        world.search(" ".join(["govm"] * 1000))
