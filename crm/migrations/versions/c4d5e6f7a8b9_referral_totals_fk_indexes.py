"""indexes on the partner and branch of the referral totals (monthly totals, month cache)

A partner's page counts the records that refer to it, and removing a partner or branch
sets these columns to NULL: without an index both read the whole table.

Revision ID: c4d5e6f7a8b9
Revises: b1c2d3e4f5a6
Create Date: 2026-11-26 03:10:00

"""
from alembic import op

revision = "c4d5e6f7a8b9"
down_revision = "b1c2d3e4f5a6"
branch_labels = None
depends_on = None

INDEXES = [
    (table, column)
    for table in ("crm_referral_monthly", "crm_referral_month_cache")
    for column in ("partner_id", "branch_id")
]


def upgrade():
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade():
    for table, column in INDEXES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
