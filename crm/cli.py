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
        user, generated = create_user(email, name or email.split("@")[0], role, password)
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
    from crm.demo import seed_demo

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

    now = utcnow()
    lines = [purger(now) for purger in current_registry().purgers]
    db.session.commit()
    for line in lines or ["Er is niets ingesteld om op te ruimen."]:
        click.echo(line)


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


@crm_cli.command("check-db")
@with_appcontext
def check_db_command():
    """Toon de SQLite-instellingen van een verbinding (WAL, busy timeout, foreign keys)."""
    engine = current_app.extensions["crm"].db.engine
    if engine.dialect.name != "sqlite":
        click.echo(f"Database: {engine.dialect.name}")
        return
    with engine.connect() as conn:
        for pragma in ("journal_mode", "busy_timeout", "foreign_keys"):
            click.echo(f"{pragma}={conn.exec_driver_sql(f'PRAGMA {pragma}').scalar()}")
