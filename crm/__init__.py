"""The gezinsaanpak CRM: a Flask plugin and a standalone app for the library's network work."""

from crm.app import CRMPlugin, create_app

__all__ = ["CRMPlugin", "create_app"]
