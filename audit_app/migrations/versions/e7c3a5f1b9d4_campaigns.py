"""campaigns and their member organisations

Revision ID: e7c3a5f1b9d4
Revises: e8b2d4f6a1c3
Create Date: 2026-12-06 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7c3a5f1b9d4'
down_revision = 'e8b2d4f6a1c3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'campaigns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('organiser_id', sa.Integer(), nullable=False),
        sa.Column('terms', sa.Text(), nullable=False),
        sa.Column('terms_include_benchmarks', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], name=op.f('fk_campaigns_organiser_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    )
    op.create_index(op.f('ix_campaigns_organiser_id'), 'campaigns', ['organiser_id'])
    op.create_table(
        'campaign_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('shares_results', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_members_campaign_id_campaigns'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_campaign_members_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_members')),
        sa.UniqueConstraint('campaign_id', 'organisation_id', name=op.f('uq_campaign_members_campaign_id')),
    )
    op.create_index(op.f('ix_campaign_members_campaign_id'), 'campaign_members', ['campaign_id'])
    op.create_index(op.f('ix_campaign_members_organisation_id'), 'campaign_members', ['organisation_id'])


def downgrade():
    op.drop_index(op.f('ix_campaign_members_organisation_id'), table_name='campaign_members')
    op.drop_index(op.f('ix_campaign_members_campaign_id'), table_name='campaign_members')
    op.drop_table('campaign_members')
    op.drop_index(op.f('ix_campaigns_organiser_id'), table_name='campaigns')
    op.drop_table('campaigns')
