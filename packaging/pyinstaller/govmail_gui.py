"""PyInstaller entry point of ``govmail`` (the desktop app): govmail_desktop.app:main."""

import sys

from govmail_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
