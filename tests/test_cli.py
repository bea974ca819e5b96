"""The ``flask crm`` commands: accounts, demo data, backup and restore (QUALITY.md 22)."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from crm.admin.models import Branch
from crm.auth.models import User
from tests.fixtures.app import is_postgres, make_app


def test_create_user_with_generated_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "create-user", "--email", "Nieuw@Bieb.example",
                                 "--role", "specialist", "--generate"])
    assert result.exit_code == 0, result.output
    assert "Wachtwoord: " in result.output
    with app.app_context():
        db = app.extensions["crm"].db
        user = db.session.scalar(select(User).where(User.email == "nieuw@bieb.example"))
        assert user.role == "specialist" and user.password_hash.startswith("pbkdf2")


def test_create_user_asks_for_the_password_and_refuses_a_weak_one(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "create-user", "--email", "a@bieb.example", "--role", "admin"],
                           input="kort\nkort\n")
    assert result.exit_code != 0 and "minstens 12 tekens" in result.output
    result = runner.invoke(args=["crm", "create-user", "--email", "a@bieb.example", "--role", "admin"],
                           input="een-goed-lang-wachtwoord\neen-goed-lang-wachtwoord\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["crm", "create-user", "--email", "A@bieb.example", "--role", "admin",
                                 "--generate"])
    assert result.exit_code != 0 and "Er is al een account" in result.output


def test_seed_demo_prints_random_logins_and_is_repeatable(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["crm", "seed-demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["crm", "seed-demo"])
    assert "beheer@bibliotheek.example" in first.output
    assert first.output != second.output  # new passwords every time, never a fixed default
    with app.app_context():
        db = app.extensions["crm"].db
        assert db.session.scalar(select(func.count()).select_from(User)) == 4
        assert db.session.scalar(select(func.count()).select_from(Branch)) == 3


@pytest.mark.skipif(is_postgres(), reason="SQLite backup; PostgreSQL uses pg_dump (README)")
def test_backup_during_writes_restores_intact(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/live.sqlite")
    from tests.fixtures.app import reset_schema

    reset_schema(app)
    stop = threading.Event()

    def writer():
        n = 0
        with app.app_context():
            db = app.extensions["crm"].db
            while not stop.is_set() and n < 500:
                db.session.add(Branch(name=f"b{n}"))
                db.session.commit()
                n += 1
            db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "backup", str(tmp_path / "backup.sqlite")])
    stop.set()
    thread.join()
    assert result.exit_code == 0, result.output
    backup = sqlite3.connect(tmp_path / "backup.sqlite")
    assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = backup.execute("select count(*) from crm_branch").fetchone()[0]
    backup.close()
    result = runner.invoke(args=["crm", "restore", "--yes", str(tmp_path / "backup.sqlite")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db = app.extensions["crm"].db
        assert db.session.scalar(select(func.count()).select_from(Branch)) == saved
        db.engine.dispose()


def test_nightly_purge_also_removes_unconfirmed_import_files(app):
    import os
    import time
    from pathlib import Path

    from crm.network import parking

    with app.app_context():
        folder = Path(parking.parked_folder())
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / "verouderd-bestand.json"
    old.write_text("[]")
    stale = time.time() - parking.PARK_LIFETIME.total_seconds() - 60
    os.utime(old, (stale, stale))
    result = app.test_cli_runner().invoke(args=["crm", "purge"])
    assert result.exit_code == 0, result.output
    assert "Importbestanden die niet zijn bevestigd" in result.output
    assert not old.exists()


def test_backup_and_restore_refuse_plainly(tmp_path):
    from tests.fixtures.app import dispose, reset_schema

    app = make_app(f"sqlite:///{tmp_path}/live.sqlite")
    reset_schema(app)
    runner = app.test_cli_runner()
    nested = tmp_path / "backups" / "crm-2026-11-25.sqlite"  # the folder does not exist yet
    result = runner.invoke(args=["crm", "backup", str(nested)])
    assert result.exit_code == 0 and nested.exists(), result.output
    again = runner.invoke(args=["crm", "backup", str(nested)])
    assert again.exit_code == 1 and "bestaat al" in again.output
    live = runner.invoke(args=["crm", "backup", str(tmp_path / "live.sqlite")])
    assert live.exit_code == 1 and "Kies een ander bestand dan de database zelf" in live.output
    junk = tmp_path / "junk.txt"
    junk.write_text("geen database")
    result = runner.invoke(args=["crm", "restore", "--yes", str(junk)])
    assert result.exit_code == 1 and "geen gave back-up" in result.output
    dispose(app)


def test_check_db_says_how_the_database_is_set_up(app):
    result = app.test_cli_runner().invoke(args=["crm", "check-db"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    with app.app_context():
        dialect = app.extensions["crm"].db.engine.dialect.name
    assert lines[0] == f"Database: {dialect}"
    if dialect == "sqlite":
        assert "journal_mode=wal" in lines and "foreign_keys=1" in lines
    else:
        assert any(line.startswith("server_version=") for line in lines)
        assert any(line.startswith("pg_trgm=") for line in lines)
    assert any(line.startswith("schema=") for line in lines)


def test_demo_data_never_goes_into_a_real_database(tmp_path):
    from tests.fixtures.app import dispose, reset_schema

    app = make_app(f"sqlite:///{tmp_path}/echt.sqlite")
    reset_schema(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "create-user", "--email", "sanne@bieb.example", "--role", "admin",
                                 "--generate"])
    assert result.exit_code == 0
    result = runner.invoke(args=["crm", "seed-demo"])
    assert result.exit_code == 1 and "al echte accounts en geen demogegevens" in result.output
    with app.app_context():
        db = app.extensions["crm"].db
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        # the printed password is known to whoever ran the command: its owner picks their own
        assert db.session.scalars(select(User)).one().password_must_change
    dispose(app)
    production = make_app(f"sqlite:///{tmp_path}/leeg.sqlite", CRM_ENV="production",
                          SECRET_KEY="een-echte-geheime-sleutel-van-genoeg-lengte")
    reset_schema(production)
    result = production.test_cli_runner().invoke(args=["crm", "seed-demo"])
    assert result.exit_code == 1 and "productie-installatie" in result.output
    dispose(production)


def test_a_command_on_a_database_without_tables_says_what_to_do(tmp_path):
    from tests.fixtures.app import dispose

    app = make_app(f"sqlite:///{tmp_path}/nieuw.sqlite")
    result = app.test_cli_runner().invoke(args=["crm", "purge"])
    assert result.exit_code == 1 and "Voer eerst 'flask --app wsgi db upgrade' uit" in result.output
    assert "Traceback" not in result.output
    dispose(app)
