"""search index: FTS5 trigram for contact moments on SQLite, pg_trgm GIN indexes on PostgreSQL

Revision ID: b1c2d3e4f5a6
Revises: 7aee0e81f528
Create Date: 2026-11-25 21:25:00

"""
from alembic import op

from crm.network import search_index

revision = "b1c2d3e4f5a6"
down_revision = "7aee0e81f528"
branch_labels = None
depends_on = None


def upgrade():
    search_index.install(op.get_bind())


def downgrade():
    search_index.remove(op.get_bind())
