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
# Added by mime.sender_checks with the policy's internal domains:
W_FROM_IMITATES_INTERNAL = "from-imitates-internal-domain"
W_POSING_AS_INTERNAL = "from-outside-posing-as-internal"
W_REPLY_TO_OTHER_DOMAIN = "reply-to-other-domain"
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
        W_FROM_IMITATES_INTERNAL, W_POSING_AS_INTERNAL, W_REPLY_TO_OTHER_DOMAIN,
    }
)

WARNING_TEXT: dict[str, Msg] = {
    W_SEVERAL_FROM: QT_TRANSLATE_NOOP(
        "MimeParse",
        "This message has more than one sender line; the sender may be forged. Check with the sender through a "
        "phone number or address you know before acting on it.",
    ),
    W_FROM_MISSING: QT_TRANSLATE_NOOP(
        "MimeParse",
        "This message does not say who sent it. Do not open its links or attachments unless you expected it.",
    ),
    W_FROM_SEVERAL_ADDRESSES: QT_TRANSLATE_NOOP(
        "MimeParse", "This message names several senders; check the addresses carefully."
    ),
    W_FROM_MALFORMED: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's address is malformed; the sender may be forged. Check with the sender through a phone "
        "number or address you know before acting on it.",
    ),
    W_FROM_NAME_IS_OTHER_ADDRESS: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's name looks like a different e-mail address than the real one; the sender may be forged. "
        "Trust the address in angle brackets, not the name; if in doubt, check with the sender by phone.",
    ),
    W_FROM_LOOKALIKE_INTERNAL: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's domain imitates a government domain with look-alike letters from another alphabet; "
        "its real form (xn--…) is shown. This message is not from a government address: do not reply, open its "
        "links or attachments, and report it to your IT staff.",
    ),
    W_FROM_LOOKALIKE_DOMAIN: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's domain uses look-alike letters from another alphabet; its real form (xn--…) is shown. "
        "The sender may be forged: check the address carefully before replying or opening links or attachments.",
    ),
    W_FROM_IMITATES_INTERNAL: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's domain is spelled to look like a government domain (for example go-th.com instead of go.th), "
        "but it is not one. Do not reply, open its links or attachments; report it to your IT staff.",
    ),
    W_POSING_AS_INTERNAL: QT_TRANSLATE_NOOP(
        "MimeParse",
        "The sender's name looks like a government agency or its official-document (saraban) address, but the "
        "message comes from outside the government domains. Do not act on it or open its links or attachments "
        "before checking with the agency through a phone number or address you know.",
    ),
    W_REPLY_TO_OTHER_DOMAIN: QT_TRANSLATE_NOOP(
        "MimeParse",
        "Replies to this message go to another domain than the sender's (see “Reply to”). Check that address "
        "before replying; do not send documents or passwords to an address you do not know.",
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
