"""Who may do what, decided in one place and called by every service (pages, API, commands).

A right belongs to the administration that owns it (`owner_id`). Editors and reviewers act only
for the administrations they are bound to; an admin may do everything. Views may hide buttons,
but this module is what refuses.
"""

from __future__ import annotations

from .services import Actor

# action -> roles that may do it for the right's own administration
RULES: dict[str, frozenset[str]] = {
    "read_draft": frozenset({"editor", "reviewer"}),
    "create": frozenset({"editor"}),
    "edit": frozenset({"editor"}),
    "submit": frozenset({"editor"}),
    "review": frozenset({"reviewer"}),  # approve or reject
    "publish": frozenset({"reviewer"}),
    "archive": frozenset({"reviewer"}),
    "reopen": frozenset({"editor"}),
    "resolve_template_change": frozenset({"editor"}),
    "store_advice": frozenset({"dossier_worker"}),
    "batch_screen": frozenset({"dossier_worker"}),  # a whole caseload (/proactieve-screening)
}


class Forbidden(PermissionError):
    """The actor may not do this (403)."""


class NotLoggedIn(PermissionError):
    """Nobody is logged in (401 for the API, the login page for the web)."""


def allowed(actor: Actor | None, action: str, administration_id: str | None) -> bool:
    if actor is None:
        return False
    if actor.is_admin:
        return True
    roles = RULES[action]
    return any(actor.has(role, administration_id or "") for role in roles)


def require(actor: Actor | None, action: str, administration_id: str | None) -> None:
    """Raise unless `actor` may do `action` for `administration_id`.

    Raises:
        NotLoggedIn: no actor.
        Forbidden: the actor has no role for this administration that allows it.
    """
    if actor is None:
        raise NotLoggedIn(action)
    if not allowed(actor, action, administration_id):
        raise Forbidden(f"{actor.email} may not {action} for {administration_id}")


def administrations_for(actor: Actor, action: str) -> set[str]:
    """The administrations for which the actor may do `action` (admins: all, returned empty)."""
    return {admin for role, admin in actor.roles if role in RULES[action] and admin}
