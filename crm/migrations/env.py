"""Alembic environment of the plugin: its own metadata, only ``crm_`` tables, and its own
version table, so it can live next to a host app's migrations in one database."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from crm.app import import_models
from crm.db import Base
from crm.network import search_index

VERSION_TABLE = "crm_alembic_version"

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

import_models()
target_metadata = Base.metadata


# Only ``crm_`` tables belong to this history, and the search index is managed by hand.
include_object = search_index.include_object


def _options():
    return {
        "target_metadata": target_metadata,
        "version_table": VERSION_TABLE,
        "include_object": include_object,
        "render_as_batch": True,
        "compare_type": True,
    }


def run_migrations_offline():
    engine = current_app.extensions["crm"].db.engine
    context.configure(url=engine.url, literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    options = _options()
    options.setdefault("process_revision_directives", process_revision_directives)
    engine = current_app.extensions["crm"].db.engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a column by copying the table and dropping the old one (Alembic's
            # batch mode). With foreign keys on, that drop fires every ON DELETE CASCADE and
            # SET NULL that points at the table: the rows of other tables would go. Alembic's
            # advice: switch them off while migrating. A PRAGMA is ignored inside a transaction,
            # so this goes straight to the driver before the first statement begins one.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(connection=connection, **options)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:  # with the checks off, check the result before it is committed
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(
                            f"Na de migratie verwijzen {len(broken)} rijen naar iets dat niet bestaat "
                            f"(eerste: {tuple(broken[0])}). Zet de back-up van vóór de update terug "
                            "en meld dit.")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
