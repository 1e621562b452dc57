"""The frame shared by the Identities and Signatures dialogs speaks Thai in both."""

from __future__ import annotations

import pytest

from govmail_desktop.core.identities import Identity
from govmail_desktop.ui.composer.identities import IdentityEditor
from govmail_desktop.ui.composer.signatures import SignatureEditor


class _Profiles:
    def signatures(self, _account_id: str) -> list:
        return []


@pytest.mark.parametrize("kind", ["identities", "signatures"])
def test_shared_frame_labels_are_thai(qtbot, language_controller, kind):
    language_controller.apply("th")
    accounts = [("a1", [Identity("a1", "somchai@moph.go.th", "สมชาย")])]
    if kind == "identities":
        dialog = IdentityEditor(_Profiles(), accounts, check_address=lambda a: a)
    else:
        dialog = SignatureEditor(_Profiles(), accounts)
    qtbot.addWidget(dialog)
    assert dialog.account_label.text() == "บัญชี:"
    assert dialog.remove_button.text() == "&ลบ"
    assert dialog.account_combo.count() == 1
