"""The preview's warning codes (:attr:`mime.parse.ParsedMessage.warnings`) and their user text.

A module of its own so the address parser (:mod:`mime.addresses`), the HTML-to-text
conversion (:mod:`mime.body_text`) and the message parser (:mod:`mime.parse`) share
one list without importing each other.
"""

from __future__ import annotations

from govmail_desktop.i18n.catalog import QT_TRANSLATE_NOOP, Msg

W_SEVERAL_FROM = "several-from"
W_FROM_MISSING = "from-missing"
W_FROM_SEVERAL_ADDRESSES = "from-several-addresses"
W_FROM_MALFORMED = "from-malformed-address"
W_FROM_NAME_IS_OTHER_ADDRESS = "from-name-is-another-address"
W_HIDDEN_CHARACTERS = "hidden-characters"
W_FROM_LOOKALIKE_INTERNAL = "from-lookalike-internal-domain"
W_FROM_LOOKALIKE_DOMAIN = "from-lookalike-domain"
W_TRUNCATED = "truncated"
W_TOO_DEEP = "too-deep"
W_TOO_MANY_PARTS = "too-many-parts"
W_HTML_SIMPLIFIED = "html-simplified"
W_ATTACHMENT_NAME = "attachment-deceptive-name"

#: Warnings that mean "the sender may not be who the name says" (shown prominently).
SENDER_WARNINGS = frozenset(
    {
        W_SEVERAL_FROM, W_FROM_MISSING, W_FROM_SEVERAL_ADDRESSES, W_FROM_MALFORMED, W_FROM_NAME_IS_OTHER_ADDRESS,
        W_FROM_LOOKALIKE_INTERNAL, W_FROM_LOOKALIKE_DOMAIN, W_HIDDEN_CHARACTERS,
    }
)

WARNING_TEXT: dict[str, Msg] = {
    W_SEVERAL_FROM: QT_TRANSLATE_NOOP(
        "MimeParse", "This message has more than one sender line; the sender may be forged."
    ),
    W_FROM_MISSING: QT_TRANSLATE_NOOP("MimeParse", "This message does not say who sent it."),
    W_FROM_SEVERAL_ADDRESSES: QT_TRANSLATE_NOOP(
        "MimeParse", "This message names several senders; check the addresses carefully."
    ),
    W_FROM_MALFORMED: QT_TRANSLATE_NOOP(
        "MimeParse", "The sender's address is malformed; the sender may be forged."
    ),
    W_FROM_NAME_IS_OTHER_ADDRESS: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's name looks like a different e-mail address than the real one; the sender may be forged.",
    ),
    W_FROM_LOOKALIKE_INTERNAL: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's domain imitates a government domain with look-alike letters from another alphabet; "
        "its real form (xn--…) is shown. This message is not from a government address.",
    ),
    W_FROM_LOOKALIKE_DOMAIN: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's domain uses look-alike letters from another alphabet; its real form (xn--…) is shown. "
        "The sender may be forged.",
    ),
    W_HIDDEN_CHARACTERS: QT_TRANSLATE_NOOP(
        "MimeParse", "Hidden control or text-direction characters were removed from the sender's name."
    ),
    W_TRUNCATED: QT_TRANSLATE_NOOP("MimeParse", "This message is very large; only its beginning is shown."),
    W_TOO_DEEP: QT_TRANSLATE_NOOP(
        "MimeParse", "This message is nested too deeply; some of its parts are not shown."
    ),
    W_TOO_MANY_PARTS: QT_TRANSLATE_NOOP("MimeParse", "This message has too many parts; some are not shown."),
    W_HTML_SIMPLIFIED: QT_TRANSLATE_NOOP(
        "MimeParse", "The formatted (HTML) text was shown as plain text; remote content was not loaded."
    ),
    W_ATTACHMENT_NAME: QT_TRANSLATE_NOOP(
        "MimeParse", "An attachment's name hides its real type. Do not open it unless you are sure."
    ),
}


def warning_text(code: str) -> Msg:
    """The user's sentence for a warning code (translate with ``.text(lang)`` or tr)."""
    return WARNING_TEXT.get(code, QT_TRANSLATE_NOOP("MimeParse", "This message is unusual."))
