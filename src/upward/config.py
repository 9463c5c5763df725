"""Where Upward keeps its files, from the environment.

``UPWARD_HOME``       folder for the warehouse and the embedded database
                      (default: ``$XDG_DATA_HOME/upward`` or ``~/.local/share/upward``)
``UPWARD_WAREHOUSE``  the warehouse file (default: ``$UPWARD_HOME/warehouse.duckdb``); once
                      named releases are loaded, a symlink onto the current release's
                      file, with the releases in ``releases/`` beside it
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    if os.environ.get("UPWARD_HOME"):
        return Path(os.environ["UPWARD_HOME"]).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "upward"


def warehouse_path() -> Path:
    if os.environ.get("UPWARD_WAREHOUSE"):
        return Path(os.environ["UPWARD_WAREHOUSE"]).expanduser()
    return home() / "warehouse.duckdb"
