"""The app sets its AppUserModelID (Windows) before its first window: the id the MSI's
Start-menu shortcut carries (packaging/windows), so notifications are not "Python"."""

from __future__ import annotations

from govmail_desktop import WINDOWS_APP_USER_MODEL_ID


def test_the_app_sets_the_id_the_shortcut_carries(qapp, monkeypatch):
    from govmail_desktop import app

    seen: list[str] = []
    monkeypatch.setattr(app, "set_app_user_model_id", lambda app_id: seen.append(app_id) or False)
    assert app.create_application() is qapp
    assert seen == [WINDOWS_APP_USER_MODEL_ID]
