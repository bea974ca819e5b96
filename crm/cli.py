"""``flask crm …`` commands: accounts, demo data and the plugin's own migrations."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from crm.db import db
from crm.roles import USER_ROLES


@click.group("crm", help="Beheer van de gezinsaanpak-CRM.")
def crm_cli():
    pass


@crm_cli.command("create-user")
@click.option("--email", required=True, help="E-mailadres (de inlognaam).")
@click.option("--role", required=True, type=click.Choice(USER_ROLES), help="De rol.")
@click.option("--name", default=None, help="Naam; standaard het deel vóór de @.")
@click.option("--generate", is_flag=True, help="Maak een wachtwoord en toon het.")
@with_appcontext
def create_user_command(email: str, role: str, name: str | None, generate: bool):
    """Maak een account aan. Zonder --generate wordt om het wachtwoord gevraagd."""
    from crm.auth.services import AccountError, create_user

    password = None
    if not generate:
        password = click.prompt(
            "Wachtwoord (leeg laten om er een te laten maken)",
            hide_input=True, confirmation_prompt=True, default="", show_default=False,
        ) or None
    try:
        # A password printed here is known to whoever ran this: its owner picks their own first.
        user, generated = create_user(email, name or email.split("@")[0], role, password,
                                      must_change=password is None)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Account aangemaakt: {user.email} ({user.role_label}).")
    if generated:
        click.echo(f"Wachtwoord: {generated}")


@crm_cli.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Vul de database met demogegevens en toon de demo-logins (nieuwe wachtwoorden)."""
    from crm.auth.models import User
    from crm.demo import DEMO_DOMAIN, seed_demo

    if current_app.config.get("CRM_ENV") == "production":
        raise click.ClickException("Dit is een productie-installatie (CRM_ENV=production): demogegevens "
                                   "horen daar niet. Gebruik een eigen database om te oefenen.")
    emails = list(db.session.scalars(db.select(User.email)))
    if emails and not any(e.endswith("@" + DEMO_DOMAIN) for e in emails):
        raise click.ClickException("In deze database staan al echte accounts en geen demogegevens. "
                                   "Demogegevens horen in een eigen database; er is niets veranderd.")
    logins = seed_demo()
    db.session.commit()
    click.echo("\nDemo-logins (wachtwoorden zijn nieuw bij elke start):")
    for role, email, password in logins:
        click.echo(f"  {role:<12} {email:<32} {password}")
    click.echo("")


@crm_cli.command("purge")
@with_appcontext
def purge_command():
    """Verwijder wat ouder is dan de bewaartermijn (zie Beheer → Instellingen)."""
    from crm.db import utcnow
    from crm.registry import current_registry

    require_current_schema()
    now = utcnow()
    lines = [purger(now) for purger in current_registry().purgers]
    db.session.commit()
    for line in lines or ["Er is niets ingesteld om op te ruimen."]:
        click.echo(line)


def schema_versions() -> tuple[str | None, str, bool]:
    """(the database's schema version or None, the one this code expects, whether the
    plugin's tables are there at all)."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with current_app.extensions["crm"].db.engine.connect() as conn:
        tables = inspect(conn)
        if not tables.has_table("crm_alembic_version"):
            return None, head, tables.has_table("crm_user")
        return conn.exec_driver_sql("SELECT version_num FROM crm_alembic_version").scalar(), head, True


def require_current_schema() -> None:
    """Stop a command with a plain message when the database is empty or not up to date
    (not with a traceback, nor after making up an empty database)."""
    current, head, tables = schema_versions()
    if not tables or current not in (None, head):
        raise click.ClickException(
            "De database is nog niet bijgewerkt voor deze versie (schema "
            f"{current or 'leeg'}, verwacht {head}). Voer eerst 'flask --app wsgi db upgrade' uit, met "
            "dezelfde instellingen (CRM_ENV, SECRET_KEY, DATABASE_URL) als de app.")


def alembic_config():
    """Alembic configuration of the plugin's own migration history (also in a host app)."""
    from alembic.config import Config

    from crm.app import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS_DIR)
    return cfg


@crm_cli.command("upgrade")
@click.option("--revision", default="head")
@with_appcontext
def upgrade_command(revision: str):
    """Breng de tabellen van de plugin op de nieuwste versie (ook in een host-app)."""
    from alembic import command

    command.upgrade(alembic_config(), revision)
    click.echo("De database is bijgewerkt.")


def _sqlite_path() -> str:
    engine = current_app.extensions["crm"].db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException(
            "Op PostgreSQL: maak een back-up met pg_dump -Fc en zet hem terug met pg_restore "
            "(zie README, 'Back-up')."
        )
    return engine.url.database


@crm_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(target: str):
    """Maak een back-up van de SQLite-database (ook terwijl er wordt gewerkt)."""
    import sqlite3
    from pathlib import Path

    live = _sqlite_path()
    if Path(target).resolve() == Path(live).resolve():
        raise click.ClickException("Kies een ander bestand dan de database zelf.")
    if Path(target).exists():
        raise click.ClickException(
            f"{target} bestaat al. Kies een nieuwe naam, bijvoorbeeld met de datum erin.")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(live, timeout=30)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)  # SQLite's online backup API: a consistent snapshot
        ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dest.close()
        source.close()
    if ok != "ok":
        raise click.ClickException(f"De back-up is niet in orde: {ok}")
    click.echo(f"Back-up gemaakt: {target}")


@crm_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen.")
@with_appcontext
def restore_command(source: str, yes: bool):
    """Zet een back-up terug; alles wat nu in de database staat, wordt vervangen."""
    import sqlite3

    target = _sqlite_path()
    if not yes:
        click.confirm(f"Alles in {target} wordt vervangen door {source}. Doorgaan?", abort=True)
    backup = sqlite3.connect(source)
    try:
        whole = backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:  # not an SQLite file at all
        whole = False
    if not whole:
        backup.close()
        raise click.ClickException("Dit bestand is geen gave back-up; er is niets veranderd.")
    current_app.extensions["crm"].db.engine.dispose()
    live = sqlite3.connect(target, timeout=30)
    try:
        backup.backup(live)
    finally:
        live.close()
        backup.close()
    click.echo(f"Back-up teruggezet in {target}")
    current, head, _tables = schema_versions()
    if current != head:
        click.echo(f"Let op: deze back-up heeft schema {current or 'leeg'}; deze versie verwacht {head}. "
                   "Voer nu 'flask --app wsgi db upgrade' uit voordat iemand inlogt.")


@crm_cli.command("check-db")
@with_appcontext
def check_db_command():
    """Toon hoe de database is ingesteld: bij SQLite WAL, busy timeout en foreign keys; bij
    PostgreSQL de versie en de zoekuitbreiding pg_trgm. Ook de versie van het schema."""
    from sqlalchemy import inspect

    engine = current_app.extensions["crm"].db.engine
    click.echo(f"Database: {engine.dialect.name}")
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            for pragma in ("journal_mode", "busy_timeout", "foreign_keys"):
                click.echo(f"{pragma}={conn.exec_driver_sql(f'PRAGMA {pragma}').scalar()}")
        elif engine.dialect.name == "postgresql":
            click.echo(f"server_version={conn.exec_driver_sql('SHOW server_version').scalar()}")
            trgm = conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").scalar()
            click.echo("pg_trgm=aan" if trgm else "pg_trgm=ontbreekt: zoeken in contactmomenten is traag "
                       "(flask crm upgrade of db upgrade zet het aan)")
        if inspect(conn).has_table("crm_alembic_version"):
            revision = conn.exec_driver_sql("SELECT version_num FROM crm_alembic_version").scalar()
            click.echo(f"schema={revision}")
        else:
            click.echo("schema=onbekend: voer 'flask --app wsgi db upgrade' uit")
