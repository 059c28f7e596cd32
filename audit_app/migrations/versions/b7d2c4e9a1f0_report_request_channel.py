"""report request channel (web page or API)

Revision ID: b7d2c4e9a1f0
Revises: fa33a1322fbd
Create Date: 2026-11-29 18:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2c4e9a1f0'
down_revision = 'fa33a1322fbd'
branch_labels = None
depends_on = None


def upgrade():
    # Requests made before this column existed all came through the API.
    with op.batch_alter_table('report_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='api', nullable=False))


def downgrade():
    with op.batch_alter_table('report_requests', schema=None) as batch_op:
        batch_op.drop_column('channel')
