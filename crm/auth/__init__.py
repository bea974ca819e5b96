"""Accounts, login sessions and the login throttle."""
