"""Subcommand module of govmail-admin (filled in by its issue)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Add this module's subcommand(s) to govmail-admin."""
