"""Django's management commands, reachable as ``upward manage ...``."""

from __future__ import annotations

import os
import sys


def run(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["upward manage", *argv])


if __name__ == "__main__":  # pragma: no cover
    run(sys.argv[1:])
