"""indexes for peer benchmarks: organisations by type and consent, area scores covering

Revision ID: e8b2d4f6a1c3
Revises: d5e1b3f7a9c2
Create Date: 2026-12-06 06:25:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e8b2d4f6a1c3'
down_revision = 'd5e1b3f7a9c2'
branch_labels = None
depends_on = None


def upgrade():
    # The peer group starts from the consenting organisations of one type ...
    op.create_index(
        'ix_organisations_type_benchmark_consent',
        'organisations',
        ['type', 'benchmark_consent'],
    )
    # ... and reads each peer audit's area scores from the index alone.
    op.create_index(
        'ix_audit_section_scores_audit_section_score',
        'audit_section_scores',
        ['audit_id', 'section_id', 'score'],
    )


def downgrade():
    op.drop_index('ix_audit_section_scores_audit_section_score', table_name='audit_section_scores')
    op.drop_index('ix_organisations_type_benchmark_consent', table_name='organisations')
