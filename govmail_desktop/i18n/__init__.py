"""Language, translations for pure code, Thai dates and digits."""

from govmail_desktop.i18n.catalog import (
    DEFAULT_LANGUAGE,
    QT_TRANSLATE_NOOP,
    SUPPORTED_LANGUAGES,
    Msg,
    current_language,
    normalize_language,
    set_language,
    translate,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "QT_TRANSLATE_NOOP",
    "SUPPORTED_LANGUAGES",
    "Msg",
    "current_language",
    "normalize_language",
    "set_language",
    "translate",
]
