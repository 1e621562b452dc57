"""Qt's side of the UI language: QTranslators for our texts and for Qt's own widgets.

Two compiled catalogues are loaded from the package data (``govmail_desktop/_generated/``):

* ``govmail_th.qm`` — our ``tr()`` texts (``translations/govmail_th.ts``, lupdate-managed);
* ``qtbase_th.qm`` — Qt's own standard buttons, context menus, wizard and file
  dialog texts. Qt ships no Thai catalogue, so ``translations/qtbase_th.ts`` is
  written by hand.

English needs no translator: the sources are English. Switching language at run
time swaps the translators; Qt then posts ``QEvent.LanguageChange`` to every
widget, and widgets re-read their texts (``retranslate_ui``).
"""

from __future__ import annotations

import logging
from importlib.resources.abc import Traversable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal

from govmail_desktop import resources
from govmail_desktop.i18n import catalog
from govmail_desktop.i18n.catalog import normalize_language

log = logging.getLogger(__name__)

#: Installed in this order; Qt searches the last installed first, so our own
#: catalogue wins where both define a text.
CATALOGUES = ("qtbase", "govmail")

_LOCALES = {
    "th": QLocale(QLocale.Language.Thai, QLocale.Country.Thailand),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}


#: The bytes of each compiled catalogue read, kept for the whole process. Read into memory
#: rather than let Qt mmap the file: rewriting a mapped .qm in place (a rebuild while the
#: app runs) would crash with SIGBUS. Qt does not copy them, and a translator reads them up
#: to its C++ destruction, which may come after its controller's Python side is gone (at
#: interpreter exit, removing one translator retranslates through the others: with their
#: bytes freed, that crashed). Each catalogue is read once: switching languages back and
#: forth adds nothing.
_CATALOGUE_BYTES: dict[str, bytes] = {}


def _catalogue_bytes(qm: Traversable) -> bytes:
    key = str(qm)
    if key not in _CATALOGUE_BYTES:
        try:
            data = qm.read_bytes()
        except OSError:
            return b""
        _CATALOGUE_BYTES[key] = data
    return _CATALOGUE_BYTES[key]


class LanguageController(QObject):
    """Owns the application's QTranslators and the pure catalogue's language.

    Signals:
        language_changed(str): the UI language is now ``"th"`` or ``"en"``
            (emitted after the translators were swapped).
    """

    language_changed = Signal(str)

    def __init__(
        self,
        app: QCoreApplication,
        translations_dir: Traversable | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app
        self._dir = translations_dir or resources.translations_dir()
        self._installed: list[QTranslator] = []
        self._language: str | None = None
        #: Catalogues that could not be loaded for the current language.
        self.missing: list[str] = []

    @property
    def language(self) -> str:
        return self._language or catalog.current_language()

    def apply(self, lang: str) -> None:
        """Make ``lang`` the UI language now (no-op when it already is)."""
        lang = normalize_language(lang)
        if lang == self._language:
            return
        # The pure catalogue first: retranslated widgets may render Msg objects.
        catalog.set_language(lang)
        QLocale.setDefault(_LOCALES[lang])
        self._remove_translators()
        self.missing = []
        if lang != "en":
            for name in CATALOGUES:
                translator = self._load(name, lang)
                if translator is not None:
                    self._app.installTranslator(translator)
                    self._installed.append(translator)
        self._language = lang
        log.info("UI language set to %s (Qt catalogues loaded: %d)", lang, len(self._installed))
        self.language_changed.emit(lang)

    def uninstall(self) -> None:
        """Remove our translators (tests, shutdown)."""
        self._remove_translators()
        self._language = None

    # -- helpers ------------------------------------------------------------
    def _remove_translators(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
            translator.deleteLater()
        self._installed.clear()

    def _load(self, name: str, lang: str) -> QTranslator | None:
        qm = self._dir / f"{name}_{lang}.qm"
        translator = QTranslator(self)
        data = _catalogue_bytes(qm)
        if not data or not translator.load(data):
            self.missing.append(qm.name)
            log.warning(
                "Translation %s not found or unreadable; those texts stay in English. "
                "Build it with `make translations`.",
                qm,
            )
            return None
        sources = resources.source_translations_dir()
        if sources is not None and isinstance(qm, Path):  # a developer's checkout
            source = sources / f"{name}_{lang}.ts"
            try:
                if source.is_file() and source.stat().st_mtime > qm.stat().st_mtime:
                    log.warning("%s is older than %s: run `make translations`", qm.name, source)
            except OSError:
                pass
        return translator
