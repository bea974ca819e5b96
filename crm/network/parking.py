"""A checked import file, parked between its preview and the user's confirmation.

The parked file holds personal data: it goes when a confirmation takes it (only one can)
or when it is cancelled, and any file older than ``PARK_LIFETIME`` goes on the next park
and in the nightly purge (``purge_parked_imports``, registered by the network package).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from crm.db import as_utc
from crm.network.import_files import Table

#: How long a checked file waits for its confirmation; after that it is removed.
PARK_LIFETIME = timedelta(hours=2)
#: The ending of a file taken by a confirmation (left only if that request died halfway).
CLAIMED = ".claimed"


def park(folder: str, kind: str, table: Table, user_id: int | None, now: datetime | None = None) -> str:
    from crm.db import utcnow

    purge_parked(folder, now or utcnow())
    token = secrets.token_urlsafe(18)
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    (path / f"{token}.json").write_text(json.dumps({"kind": kind, "user": user_id, **table.to_json()}))
    return token


def _parked_path(folder: str, token: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,40}", token or ""):
        return None
    return Path(folder) / f"{token}.json"


@contextmanager
def claimed(folder: str, token: str, user_id: int | None, now: datetime | None = None):
    """The parked file of this user as ``(kind, table)``, or None when it is gone, expired,
    already taken by another confirmation, or someone else's.

    The file is claimed by renaming it, which only one request can do: two quick clicks on
    "Bevestigen" cannot both import it, and a purge at the same moment is no error. When the
    block ends normally the file is gone; when it fails (saving went wrong) the file is put
    back, so the person can confirm again.
    """
    from crm.db import utcnow

    path = _parked_path(folder, token)
    taken = path.with_name(f"{token}.{secrets.token_hex(4)}{CLAIMED}") if path else None
    try:
        if taken is None:
            raise FileNotFoundError
        os.rename(path, taken)
    except FileNotFoundError:
        yield None
        return
    if _expired(taken, now or utcnow()):
        taken.unlink(missing_ok=True)
        yield None
        return
    data = json.loads(taken.read_text())
    if data.get("user") != user_id:
        os.rename(taken, path)  # not theirs: put it back for its owner
        yield None
        return
    try:
        yield data["kind"], Table.from_json(data)
    except BaseException:
        os.rename(taken, path)
        raise
    taken.unlink(missing_ok=True)


def unpark(folder: str, token: str, user_id: int | None,
           now: datetime | None = None) -> tuple[str, Table] | None:
    """``claimed``, used up at once."""
    with claimed(folder, token, user_id, now) as parked:
        return parked


def discard(folder: str, token: str, user_id: int | None = None, check_user: bool = False) -> bool:
    """Remove a parked file (cancelled); with ``check_user`` only the user's own."""
    path = _parked_path(folder, token)
    if path is None:
        return False
    if check_user:
        try:
            owner = json.loads(path.read_text()).get("user")
        except (OSError, ValueError):  # gone already, or not ours to read
            owner = None
        if owner != user_id:
            return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _expired(path: Path, now: datetime) -> bool:
    return path.stat().st_mtime < (as_utc(now) - PARK_LIFETIME).timestamp()


def purge_parked(folder: str, now: datetime) -> int:
    """Remove parked files older than PARK_LIFETIME; returns how many."""
    path = Path(folder)
    if not path.is_dir():
        return 0
    removed = 0
    for parked in [*path.glob("*.json"), *path.glob(f"*{CLAIMED}")]:
        try:
            if _expired(parked, now):
                parked.unlink()
                removed += 1
        except FileNotFoundError:  # removed at the same moment by another request
            continue
    return removed


def parked_folder() -> str:
    """Where checked files wait for their confirmation: ``instance/imports``."""
    from flask import current_app

    return f"{current_app.instance_path}/imports"


def purge_parked_imports(now: datetime) -> str:
    """The purger for ``flask crm purge`` (registered by the network package)."""
    removed = purge_parked(parked_folder(), now)
    hours = int(PARK_LIFETIME.total_seconds() // 3600)
    return f"Importbestanden die niet zijn bevestigd (ouder dan {hours} uur): {removed} verwijderd."
