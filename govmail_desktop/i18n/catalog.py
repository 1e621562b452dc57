"""Translations for code that must not import Qt (pure layers and govmail-admin).

The Qt side loads the same catalogue as a compiled ``.qm`` through QTranslator.
Pure code marks its strings so that ``pyside6-lupdate`` extracts them:

* ``translate("Context", "text")`` translates at once into the current language;
* ``QT_TRANSLATE_NOOP("Context", "text")`` returns a :class:`Msg` that can be
  rendered later in any language (errors carry these, so both Thai and English
  can be shown or logged).

The catalogue is read from the JSON file the build writes next to the ``.qm``
(package data: ``govmail_desktop/_generated/govmail_th.json``); in a source checkout
without a build it falls back to parsing ``translations/govmail_th.ts`` directly.
"""

from __future__ import annotations

import json
import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from govmail_desktop import resources

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
#: Windows names its locales by language name (``locale.getlocale()`` gives ``Thai_Thailand``).
_WINDOWS_LANGUAGE_NAMES = {"thai": "th", "english": "en"}

_lock = threading.Lock()
_current_language = DEFAULT_LANGUAGE
_catalogs: dict[str, dict[str, dict[str, str]]] = {}


def normalize_language(lang: str | None) -> str:
    """Map a locale name such as ``th_TH.UTF-8``, ``en-US`` or Windows' ``Thai_Thailand.874``
    to ``th``/``en``."""
    if not lang:
        return DEFAULT_LANGUAGE
    code = lang.replace("-", "_").split("_")[0].split(".")[0].lower()
    code = _WINDOWS_LANGUAGE_NAMES.get(code, code)
    return code if code in SUPPORTED_LANGUAGES else "en"


def set_language(lang: str) -> None:
    global _current_language
    _current_language = normalize_language(lang)


def current_language() -> str:
    return _current_language


def language_from_argv(argv: list[str]) -> str | None:
    """The value of ``--lang`` in a command line, read before argparse runs
    (so that ``--help`` itself comes out in that language); None if absent."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return normalize_language(lang) if lang is not None else None


def parse_ts(path: Path) -> dict[str, dict[str, str]]:
    """Finished translations of a Qt Linguist ``.ts`` file: {context: {source: text}}."""
    result: dict[str, dict[str, str]] = {}
    root = ET.parse(path).getroot()
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        entries = result.setdefault(name, {})
        for msg in ctx.iter("message"):
            source = msg.findtext("source")
            tr = msg.find("translation")
            if source is None or tr is None:
                continue
            if tr.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            if tr.text:
                entries[source] = tr.text
    return result


def _load_catalog(lang: str) -> dict[str, dict[str, str]]:
    with _lock:
        if lang in _catalogs:
            return _catalogs[lang]
        catalog: dict[str, dict[str, str]] = {}
        generated = resources.translations_dir() / f"govmail_{lang}.json"
        sources = resources.source_translations_dir()
        source = sources / f"govmail_{lang}.ts" if sources is not None else None
        try:
            if source is not None and source.is_file() and not _built_from(generated, source):
                catalog = parse_ts(source)  # a developer's checkout, not built (or stale)
            elif generated.is_file():
                catalog = json.loads(generated.read_text(encoding="utf-8"))
        except (OSError, ValueError, ET.ParseError) as exc:
            log.warning("Translation catalogue for %s unreadable: %s", lang, exc)
        _catalogs[lang] = catalog
        return catalog


def _built_from(generated: Traversable, source: Path) -> bool:
    """Whether the built catalogue exists and is not older than its ``.ts`` source."""
    return isinstance(generated, Path) and generated.is_file() and generated.stat().st_mtime >= source.stat().st_mtime


def reload_catalogs() -> None:
    with _lock:
        _catalogs.clear()


def lookup(context: str, source: str, lang: str | None = None) -> str:
    lang = normalize_language(lang or _current_language)
    if lang == "en":
        return source
    return _load_catalog(lang).get(context, {}).get(source, source)


def translate(context: str, source: str, lang: str | None = None) -> str:
    """Translate now (lupdate extracts calls of this name)."""
    return lookup(context, source, lang)


@dataclass(frozen=True)
class Msg:
    """A translatable message with its arguments, renderable in any language."""

    context: str
    source: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def format(self, **kwargs: Any) -> Msg:
        return Msg(self.context, self.source, {**self.args, **kwargs})

    def text(self, lang: str | None = None) -> str:
        template = lookup(self.context, self.source, lang)
        args = {k: (v.text(lang) if isinstance(v, Msg) else v) for k, v in self.args.items()}
        try:
            return template.format(**args)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never hide the message.
            return self.source.format(**args)

    def __str__(self) -> str:
        return self.text()


def QT_TRANSLATE_NOOP(context: str, source: str) -> Msg:  # the name lupdate looks for
    """Mark a string for translation and keep it as a :class:`Msg`."""
    return Msg(context, source)
