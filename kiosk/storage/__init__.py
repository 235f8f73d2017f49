"""The only package that holds SQL: the schema, the store, the recorder (the one writer), the queries behind history and the report, export, retention and demo data; and the data directory's lock (one writing process at a time)."""

from kiosk.storage.lock import DataDirInUse, DataDirLock, lock_data_dir

__all__ = ["DataDirInUse", "DataDirLock", "lock_data_dir"]
