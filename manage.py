#!/usr/bin/env python
"""Django's command-line utility for Cartoparty (the ``cartoparty`` script does the same)."""

from __future__ import annotations

from web.cli import main

if __name__ == "__main__":
    main()
