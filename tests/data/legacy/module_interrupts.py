"""A module whose import is interrupted (as Ctrl-C during a long import would)."""
raise KeyboardInterrupt
