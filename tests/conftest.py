"""Test setup. Fixtures live in tests/fixtures/; the database is chosen by
CRM_TEST_DATABASE_URL (SQLite in a temporary folder when unset)."""

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.users",
    "tests.fixtures.world",
]
