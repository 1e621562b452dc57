"""Every policy message has a Thai translation with the same placeholders."""

from __future__ import annotations

import re
import string

import pytest

from govmail_desktop.core.compose import Secrecy, Urgency
from govmail_desktop.i18n.catalog import Msg, lookup
from govmail_desktop.policy import attachments, messages, recipients

NOT_TRANSLATED = {"{source}: {problem}"}  # nothing to translate


def all_messages() -> list[Msg]:
    found = [v for v in vars(messages).values() if isinstance(v, Msg)]
    found += list(recipients._MSG.values()) + [s.label for s in Secrecy] + [u.label for u in Urgency]
    found += list(attachments._MSG.values())
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("msg", all_messages(), ids=lambda m: m.source[:40])
def test_thai_translation_exists(msg):
    thai = lookup(msg.context, msg.source, "th")
    if msg.source in NOT_TRANSLATED:
        return
    assert thai != msg.source, f"no Thai for {msg.source!r}"
    assert re.search("[\u0e00-\u0e7f]", thai)
    assert fields(thai) == fields(msg.source)
