"""lobby: a pitch version per municipality, and the contact moment a meeting was logged as

Revision ID: d5e6f7a8b9c0
Revises: c4d5e6f7a8b9
Create Date: 2026-11-26 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d5e6f7a8b9c0"
down_revision = "c4d5e6f7a8b9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crm_lobby_pitch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("municipality_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_crm_lobby_pitch_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_crm_lobby_pitch_municipality_id_crm_lobby_municipality"),
            "crm_lobby_municipality", ["municipality_id"], ["id"], ondelete="CASCADE")
    with op.batch_alter_table("crm_lobby_meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interaction_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_crm_lobby_meeting_interaction_id"), ["interaction_id"],
                              unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_crm_lobby_meeting_interaction_id_crm_interaction"),
            "crm_interaction", ["interaction_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("crm_lobby_meeting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_crm_lobby_meeting_interaction_id_crm_interaction"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_crm_lobby_meeting_interaction_id"))
        batch_op.drop_column("interaction_id")
    with op.batch_alter_table("crm_lobby_pitch", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_crm_lobby_pitch_municipality_id_crm_lobby_municipality"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_crm_lobby_pitch_municipality_id"))
        batch_op.drop_column("municipality_id")
