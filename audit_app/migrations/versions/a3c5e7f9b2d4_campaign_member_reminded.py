"""campaign_members.last_reminded_at: when the organiser last reminded the member by mail

Revision ID: a3c5e7f9b2d4
Revises: f2b4d6a8c1e3
Create Date: 2026-12-06 09:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b2d4'
down_revision = 'f2b4d6a8c1e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_reminded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.drop_column('last_reminded_at')
