"""`python -m bot [console|slack|discord|web|worker|migrate|release]`: the process starts in the
composition root, `bot.entry` (its `command_line` reads the arguments)."""

from __future__ import annotations

from bot.entry.command_line import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
