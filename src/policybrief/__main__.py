"""``python -m policybrief``."""

from __future__ import annotations

import sys

from policybrief.cli import main

sys.exit(main())
