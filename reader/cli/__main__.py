"""`python -m reader.cli` is the same as the `reader` command."""

import sys

from reader.cli.run import main

sys.exit(main())
