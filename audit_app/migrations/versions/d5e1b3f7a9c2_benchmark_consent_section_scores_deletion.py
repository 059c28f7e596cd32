"""benchmark consent on organisations, area scores of submitted audits, recoverable deletion

Revision ID: d5e1b3f7a9c2
Revises: c4f1a9e2d7b3
Create Date: 2026-12-06 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e1b3f7a9c2'
down_revision = 'c4f1a9e2d7b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('benchmark_consent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organisations_deleted_by_id_users'), 'users', ['deleted_by_id'], ['id'])
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audits_deleted_by_id_users'), 'users', ['deleted_by_id'], ['id'])
    op.create_table(
        'audit_section_scores',
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('section_id', sa.String(length=100), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['audit_id'], ['audits.id'], name=op.f('fk_audit_section_scores_audit_id_audits'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('audit_id', 'section_id', name=op.f('pk_audit_section_scores')),
    )


def downgrade():
    op.drop_table('audit_section_scores')
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audits_deleted_by_id_users'), type_='foreignkey')
        batch_op.drop_column('deleted_by_id')
        batch_op.drop_column('deleted_at')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisations_deleted_by_id_users'), type_='foreignkey')
        batch_op.drop_column('deleted_by_id')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('benchmark_consent')
