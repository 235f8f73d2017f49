"""Where things are: the bundled defaults and cues (in a wheel or a checkout), the user's
config file and the data directory, each found by the documented lookup order."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
SYSTEM_CONFIG = Path("/etc/desens-kiosk/config.yaml")
DB_NAME = "desens.db"


def _bundled(name: str) -> Path:
    """A top-level folder of the repository: inside the installed wheel it is kiosk/data/NAME,
    in a checkout (or an editable install) it sits next to the package."""
    installed = _PACKAGE / "data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def default_config_path() -> Path:
    return _bundled("config") / "default.yaml"


def sounds_dir() -> Path:
    return _bundled("sounds")


def user_config_path(cli_value: str | None, env: dict[str, str] | None = None) -> Path | None:
    """`--config`, else $DESENS_KIOSK_CONFIG, else /etc/desens-kiosk/config.yaml if present,
    else None (the bundled defaults alone)."""
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value)
    if env.get("DESENS_KIOSK_CONFIG"):
        return Path(env["DESENS_KIOSK_CONFIG"])
    if SYSTEM_CONFIG.is_file():
        return SYSTEM_CONFIG
    return None


def data_dir(cli_value: str | None, env: dict[str, str] | None = None) -> Path:
    """`--data-dir`, else $DESENS_KIOSK_DATA, else $STATE_DIRECTORY (systemd), else
    $XDG_DATA_HOME/desens-kiosk (~/.local/share/desens-kiosk)."""
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value)
    if env.get("DESENS_KIOSK_DATA"):
        return Path(env["DESENS_KIOSK_DATA"])
    if env.get("STATE_DIRECTORY"):
        # systemd may pass several directories separated by colons; the first is ours.
        return Path(env["STATE_DIRECTORY"].split(":")[0])
    xdg = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "desens-kiosk"
