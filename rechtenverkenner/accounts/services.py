"""Creating users, granting roles, issuing and checking API tokens, checking passwords."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..catalog.models import Administration, utcnow
from .models import ROLES, ApiToken, Membership, User

MIN_PASSWORD = 12
TOKEN_PREFIX = "rv_"


class AccountError(ValueError):
    """A user, role or token request that cannot be done (unknown user, bad role, ...)."""


@dataclass(frozen=True)
class Actor:
    """Who is acting, with their roles: what the policy decides on. Plain data, no session."""

    user_id: str
    email: str
    name: str
    is_admin: bool = False
    roles: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (role, admin id)

    def administrations(self, role: str) -> set[str]:
        return {admin for r, admin in self.roles if r == role}

    def has(self, role: str, administration_id: str | None) -> bool:
        return (role, administration_id) in self.roles


def hash_password(password: str) -> str:
    """scrypt, salted (werkzeug): slow on purpose."""
    return generate_password_hash(password, method="scrypt")


def create_user(*, session: Session, email: str, name: str, password: str) -> User:
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError("an e-mail address is needed")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"{email} already has an account")
    user = User(email=email, name=name.strip() or email, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def get_user(*, session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise AccountError(f"no account for {email}")
    return user


def grant(*, session: Session, email: str, role: str, administration_id: str | None) -> Membership:
    """Give a role; every role but admin is for one administration."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if role == "admin":
        administration_id = None
    elif not administration_id or session.get(Administration, administration_id) is None:
        raise AccountError(f"role {role} needs a known administration (got {administration_id!r})")
    user = get_user(session=session, email=email)
    found = session.exec(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.role == role,
            Membership.administration_id == administration_id,
        )
    ).first()
    if found:
        return found
    membership = Membership(user_id=user.id, role=role, administration_id=administration_id)
    session.add(membership)
    session.flush()
    return membership


def revoke(*, session: Session, email: str, role: str, administration_id: str | None) -> int:
    user = get_user(session=session, email=email)
    query = select(Membership).where(Membership.user_id == user.id, Membership.role == role)
    if role != "admin":
        query = query.where(Membership.administration_id == administration_id)
    found = list(session.exec(query))
    for membership in found:
        session.delete(membership)
    session.flush()
    return len(found)


def actor_for(*, session: Session, user: User) -> Actor:
    memberships = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    roles = frozenset((m.role, m.administration_id or "") for m in memberships)
    return Actor(
        user_id=user.id,
        email=user.email,
        name=user.name,
        is_admin=any(m.role == "admin" for m in memberships),
        roles=roles,
    )


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same time either way)."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # spend the same time: no user probing
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


_DUMMY_HASH = hash_password("not-a-real-password-just-timing")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, session: Session, email: str, name: str) -> str:
    """A new API token for a user; shown once, only its hash is kept."""
    user = get_user(session=session, email=email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(token)))
    session.flush()
    return token


def revoke_token(*, session: Session, email: str, name: str) -> int:
    user = get_user(session=session, email=email)
    tokens = session.exec(
        select(ApiToken).where(
            ApiToken.user_id == user.id,
            ApiToken.name == name,
            ApiToken.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ).all()
    for token in tokens:
        token.revoked_at = utcnow()
        session.add(token)
    session.flush()
    return len(tokens)


def user_for_token(*, session: Session, token: str) -> User | None:
    found = session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
    if found is None or found.revoked_at is not None:
        return None
    user = session.get(User, found.user_id)
    return user if user is not None and user.active else None
