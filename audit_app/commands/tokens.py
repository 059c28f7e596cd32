"""`audit-app tokens create EMAIL NAME` (prints the secret once), `tokens list`, `tokens revoke`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import ApiToken, User
from audit_app.services import api_tokens


def _user(email: str) -> User:
    user = db.session.scalar(select(User).filter_by(email=email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    return user


@click.group("tokens", cls=AppGroup)
def tokens_group() -> None:
    """Personal API tokens (for /api/v1)."""


@tokens_group.command("create")
@click.argument("email")
@click.argument("name")
def create_token(email: str, name: str) -> None:
    """Create a token for the user EMAIL and print its secret (shown only this once)."""
    user = _user(email)
    if not user.is_active:
        raise click.ClickException(f"The account {user.email} is deactivated.")
    try:
        token, secret = api_tokens.create(user, name)
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(f"Token not created: {error.message}") from None
    db.session.commit()
    click.echo(secret)
    click.echo(
        f"Token {token.id} ({token.name}) for {user.email}; it acts with the role {user.role}. "
        "Store the secret now: it cannot be shown again.",
        err=True,
    )


@tokens_group.command("list")
@click.argument("email")
def list_tokens(email: str) -> None:
    """The user's tokens: id, start of the secret, status, last use, name."""
    user = _user(email)
    for token in api_tokens.tokens_of(user):
        status = "revoked" if token.revoked_at else "active"
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
        click.echo(f"{token.id:>5}  {token.prefix}…  {status:<7}  {used:<16}  {token.name}")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """Revoke the token TOKEN_ID."""
    token = db.session.get(ApiToken, token_id) if 0 < token_id <= api_tokens.MAX_ID else None
    if token is None:
        raise click.ClickException(f"No token {token_id}.")
    user = db.session.get(User, token.user_id)
    assert user is not None
    if api_tokens.revoke(user, token):
        db.session.commit()
        click.echo(f"Token {token_id} revoked.")
    else:
        click.echo(f"Token {token_id} was already revoked.")
