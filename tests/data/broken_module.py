"""A module that fails on import (for the CLI tests)."""
RATIO = 1 / 0
