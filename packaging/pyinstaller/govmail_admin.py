"""PyInstaller entry point of ``govmail-admin`` (the administrator's command line):
govmail_desktop.admin.cli:main."""

import sys

from govmail_desktop.admin.cli import main

if __name__ == "__main__":
    sys.exit(main())
