"""Administration: users and roles, branches, editable lists, settings, audit log."""
