"""`python -m kiosk` runs the same command line as the `desens-kiosk` script."""

import sys

from kiosk.cli import main

sys.exit(main())
