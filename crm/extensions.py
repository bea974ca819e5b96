"""Extension singletons, each bound to an app with ``init_app`` by the composition root."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

#: The plugin's own Flask-SQLAlchemy instance; a host may hand over its own instead.
#: Models do not derive from ``sqla.Model`` but from ``crm.db.Base`` (their own metadata),
#: so they work with whichever instance's session is active.
sqla = SQLAlchemy()
#: Standalone login; in a host app the host's LoginManager is used.
login_manager = LoginManager()
migrate = Migrate()
