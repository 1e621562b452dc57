"""Saved searches kept in the settings file (the folder tree's virtual folders)."""

from __future__ import annotations

import json

from govmail_desktop.core.saved_searches import MAX_NAME, SavedSearches
from govmail_desktop.core.settings import Settings


def test_saved_searches_are_kept_in_the_settings_file_and_read_back(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings(path)
    saved = SavedSearches(settings)
    first = saved.add("งบประมาณ ๒๕๖๙", 'งบ after:1/10/2568')
    second = saved.add("จากสมชาย", "from:somchai is:unread")
    saved.rename(first.id, "  งบ   ปี 2569 ")
    saved.remove(second.id)
    settings.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["saved_searches"] == [{"id": first.id, "name": "งบ ปี 2569", "query": "งบ after:1/10/2568"}]
    again = SavedSearches(Settings.load(path))
    assert [(s.name, s.query) for s in again] == [("งบ ปี 2569", "งบ after:1/10/2568")]
    assert again.problems == []


def test_damaged_entries_are_skipped_and_named(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "settings": {}, "saved_searches": [
        {"id": "a", "name": "ok", "query": "x"},
        {"id": "b", "name": "", "query": "x"},
        "nonsense",
        {"id": "a", "name": "twice", "query": "y"},
        {"id": "c", "name": "ก" * 500, "query": "z"},
    ]}), encoding="utf-8")
    saved = SavedSearches(Settings.load(path))
    assert [s.id for s in saved] == ["a", "c"]
    assert len(saved.get("c").name) == MAX_NAME
    assert len(saved.problems) == 3


def test_an_empty_name_or_query_is_refused(tmp_path):
    import pytest

    saved = SavedSearches(Settings(tmp_path / "s.json"))
    with pytest.raises(ValueError):
        saved.add("  ", "x")
    with pytest.raises(ValueError):
        saved.add("name", "")
    assert len(saved) == 0
