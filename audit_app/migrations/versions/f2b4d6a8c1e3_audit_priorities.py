"""start area and recommendation ids of submitted audits, for campaign counts

Revision ID: f2b4d6a8c1e3
Revises: e7a3c9d1f5b8
Create Date: 2026-12-06 09:30:00.000000

Existing submitted audits get their rows lazily when a campaign meets them, or all at
once with `audit-app benchmark-backfill` (services/audit_priorities.py).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b4d6a8c1e3'
down_revision = 'e7a3c9d1f5b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_start_areas',
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('section_id', sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(['audit_id'], ['audits.id'], name=op.f('fk_audit_start_areas_audit_id_audits'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('audit_id', name=op.f('pk_audit_start_areas')),
    )
    op.create_table(
        'audit_recommendation_ids',
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['audit_id'], ['audits.id'], name=op.f('fk_audit_recommendation_ids_audit_id_audits'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('audit_id', 'recommendation_id', name=op.f('pk_audit_recommendation_ids')),
    )


def downgrade():
    op.drop_table('audit_recommendation_ids')
    op.drop_table('audit_start_areas')
