"""The only package that holds SQL: the schema, the store, the recorder (the one writer), the queries behind history and the report, export, retention and demo data."""
