"""Where things are: the bundled defaults and cues (in a wheel or a checkout), the user's
config file and the data directory, each found by the documented lookup order; which files
an output must never replace, and how an output takes its place whole."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
SYSTEM_CONFIG = Path("/etc/desens-kiosk/config.yaml")
DB_NAME = "desens.db"
LOCK_NAME = ".lock"  # in the data directory: held by the process that writes (kiosk.storage.lock)


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


def database_files(directory: Path) -> tuple[Path, ...]:
    """The database in a data directory and the files SQLite keeps beside it."""
    database = Path(directory) / DB_NAME
    return tuple(Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal"))


def same_file(one: Path | str, other: Path | str) -> bool:
    """Whether two paths name one file: the same after symlinks and `..`, or (both existing)
    the same device and inode (a hard link, a bind mount)."""
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """A temporary file in `target`'s folder to write into; when the block ends well it is
    synced and renamed over `target`, else removed. Whoever reads `target` finds the old
    file or the new one, never half of one."""
    target = Path(target)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # as open() would have made it
        os.chmod(temporary, mode)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    try:  # the rename itself survives a power cut once the folder is synced
        folder = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)
