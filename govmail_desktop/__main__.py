"""``python -m govmail_desktop`` starts the desktop app."""

import sys

from govmail_desktop.app import main

sys.exit(main())
