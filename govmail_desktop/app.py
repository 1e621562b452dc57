"""Composition root of the desktop app (filled in by the foundation work)."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from govmail_desktop.ui.main_window import run  # noqa: F401  (to be written)

    return 0
