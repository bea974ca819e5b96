"""A substring index for the search box (issue 3: search p95 < 100 ms at 200k contact moments).

``LIKE '%word%'`` cannot use a normal index, so a rare word meant reading every contact
moment. SQLite gets an FTS5 table with the trigram tokenizer for contact moments (kept
in step by triggers; organisations and people are small enough to scan), PostgreSQL gets
pg_trgm GIN indexes on every searched column, which its ILIKE uses by itself. Both are created with
the ``crm_interaction`` table (``create_all``) and by the migration of the same name.

Note for later migrations: a batch ("move and copy") migration of ``crm_interaction`` on
SQLite drops its triggers; call ``install`` again at the end of such a migration.
"""

# ruff: noqa: S608 - the SQL below is built from this module's constants only; the query
# text itself is always a bound parameter.
from __future__ import annotations

from sqlalchemy import event, text

FTS_TABLE = "crm_interaction_fts"
#: PostgreSQL: one trigram index per column the search box reads with ILIKE.
TRGM_COLUMNS = (
    ("crm_interaction", "summary"), ("crm_interaction", "outcome"),
    ("crm_contact", "name"), ("crm_contact", "email"),
    ("crm_partner", "name"), ("crm_partner", "place"), ("crm_partner", "offer"),
)
TRGM_INDEXES = tuple(f"ix_{table}_{column}_trgm" for table, column in TRGM_COLUMNS)

SQLITE_INSTALL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(summary, outcome, "
    "content='crm_interaction', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON crm_interaction BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, summary, outcome) VALUES (new.id, new.summary, new.outcome); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON crm_interaction BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, summary, outcome) "
    "VALUES ('delete', old.id, old.summary, old.outcome); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON crm_interaction BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, summary, outcome) "
    "VALUES ('delete', old.id, old.summary, old.outcome); "
    f"INSERT INTO {FTS_TABLE}(rowid, summary, outcome) VALUES (new.id, new.summary, new.outcome); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
SQLITE_REMOVE = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
PG_INSTALL = ("CREATE EXTENSION IF NOT EXISTS pg_trgm",) + tuple(
    f"CREATE INDEX IF NOT EXISTS ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
    for table, column in TRGM_COLUMNS
)
PG_REMOVE = tuple(f"DROP INDEX IF EXISTS {name}" for name in TRGM_INDEXES)


def _run(connection, statements) -> None:
    for statement in statements:
        connection.execute(text(statement))


def install(connection) -> None:
    """Create the index for this database (idempotent) and fill it."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        _run(connection, SQLITE_INSTALL)
    elif dialect == "postgresql":
        _run(connection, PG_INSTALL)


def remove(connection) -> None:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        _run(connection, SQLITE_REMOVE)
    elif dialect == "postgresql":
        _run(connection, PG_REMOVE)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic: the index lives outside the models; leave it (and the host's tables) alone."""
    if type_ == "table":
        return name.startswith("crm_") and not name.startswith(FTS_TABLE)
    return not (type_ == "index" and name in TRGM_INDEXES)


def fts_ids(q: str):
    """On SQLite, ids of contact moments whose summary or outcome contain ``q`` (3+ characters),
    from the trigram index; None where the plain LIKE query must do (PostgreSQL's ILIKE uses
    its trigram indexes by itself; fewer than 3 characters have no trigram)."""
    from crm.db import db

    if db.session.get_bind().dialect.name != "sqlite" or len(q) < 3:
        return None
    phrase = '"' + q.replace('"', '""') + '"'
    return text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase)


def attach(table) -> None:
    """Create and drop the index together with the table (``create_all``/``drop_all``).

    Attached to ``crm_interaction``, which ``create_all`` creates after ``crm_contact`` and
    ``crm_partner`` (it refers to both), so all indexed tables exist by then."""
    if not event.contains(table, "after_create", _after_create):
        event.listen(table, "after_create", _after_create)
        event.listen(table, "before_drop", _before_drop)


def _after_create(table, connection, **_kw) -> None:
    install(connection)


def _before_drop(table, connection, **_kw) -> None:
    remove(connection)
