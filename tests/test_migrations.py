"""Migrations: upgrade from empty, the latest downgrade/upgrade, and models == migrations
(QUALITY.md 23), on the database of this run (SQLite or PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from crm.cli import alembic_config
from crm.db import Base
from crm.network import search_index
from tests.fixtures.app import is_postgres, make_app


@pytest.fixture
def empty_db_url(tmp_path):
    if not is_postgres():
        yield f"sqlite:///{tmp_path}/migrations.sqlite"
        return
    import os

    base = os.environ["CRM_TEST_DATABASE_URL"]
    name = f"crm_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models(empty_db_url):
    app = make_app(empty_db_url)
    with app.app_context():
        engine = app.extensions["crm"].db.engine
        command.upgrade(alembic_config(), "head")
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "version_table": "crm_alembic_version",
                "include_object": search_index.include_object})
            diff = compare_metadata(context, Base.metadata)
        assert diff == [], f"models and migrations differ; run `make migrate`: {diff}"
        # The latest revision goes down and up again.
        command.downgrade(alembic_config(), "-1")
        command.upgrade(alembic_config(), "head")
        # The search index came with the migrations and answers.
        with engine.begin() as conn:
            from crm.network.models import Interaction

            conn.execute(Interaction.__table__.insert().values(
                kind="telefoon", occurred_on=date(2026, 1, 5), summary="Gesprek over VoorleesExpress",
                theme="samenwerken", phase="implementation", version=1))
            if conn.dialect.name == "sqlite":
                found = conn.execute(text(
                    "SELECT rowid FROM crm_interaction_fts WHERE crm_interaction_fts MATCH '\"voorlees\"'")).all()
                assert len(found) == 1
        engine.dispose()


#: The schema of the last release before this one: an upgrade from it must keep every row.
LAST_RELEASE = "b1c2d3e4f5a6"


def _one_row_everywhere(engine) -> dict[str, dict]:
    """A row in every table (parents first, every column filled, every link to row 1)."""
    from datetime import datetime, time

    from sqlalchemy import (
        JSON,
        Boolean,
        Date,
        DateTime,
        Float,
        Integer,
        LargeBinary,
        MetaData,
        Numeric,
        Time,
    )

    meta = MetaData()
    meta.reflect(engine)
    rows = {}
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name.endswith("alembic_version") or table.name.startswith("crm_interaction_fts"):
                continue
            row = {}
            for column in table.columns:
                kind = column.type
                if isinstance(kind, Boolean):
                    row[column.name] = False
                elif isinstance(kind, Integer | Numeric | Float):
                    row[column.name] = 1
                elif isinstance(kind, DateTime):
                    row[column.name] = datetime(2026, 1, 5, 10, 0)
                elif isinstance(kind, Time):
                    row[column.name] = time(10, 0)
                elif isinstance(kind, Date):
                    row[column.name] = date(2026, 1, 5)
                elif isinstance(kind, JSON):
                    row[column.name] = []
                elif isinstance(kind, LargeBinary):
                    row[column.name] = b"x"
                else:  # text of every kind
                    row[column.name] = "x"
            conn.execute(table.insert().values(**row))
            rows[table.name] = {c: v for c, v in row.items() if table.c[c].foreign_keys}
    return rows


def test_an_upgrade_from_the_last_release_keeps_every_row_and_link(empty_db_url):
    """On SQLite a column is changed by copying its table: with foreign keys on, dropping the
    old copy would delete or unlink the rows that point at it (user links, meeting parts)."""
    app = make_app(empty_db_url)
    with app.app_context():
        engine = app.extensions["crm"].db.engine
        command.upgrade(alembic_config(), LAST_RELEASE)
        links = _one_row_everywhere(engine)
        command.upgrade(alembic_config(), "head")
        with engine.connect() as conn:
            for table, columns in links.items():
                stored = conn.execute(text(f"SELECT * FROM {table}")).mappings().all()  # noqa: S608
                assert len(stored) == 1, f"{table} lost its row"
                for column in columns:
                    assert stored[0][column] is not None, f"{table}.{column} lost its link"
        command.downgrade(alembic_config(), "-1")
        command.upgrade(alembic_config(), "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM crm_lobby_agreement")).scalar() == 1
        engine.dispose()
