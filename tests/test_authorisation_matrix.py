"""Every role against every write endpoint, pages and API: refused exactly where the policy says.

Allowed calls may still answer 409 or 422 (the right is not in the state the act needs); what is
checked here is that nobody gets past authorisation who should not, and nobody allowed is refused.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from rechtenverkenner.accounts.services import actor_for, create_user, get_user, grant, issue_token
from rechtenverkenner.catalog.models import EntryTemplate
from rechtenverkenner.db import session_scope
from rechtenverkenner.editor import services as editor

PASSWORD = "correct horse battery staple"
ROLES = {
    "anonymous": None,
    "gent_editor": ("editor", "ocmw-gent"),
    "gent_reviewer": ("reviewer", "ocmw-gent"),
    "gent_dossier": ("dossier_worker", "ocmw-gent"),
    "antwerp_editor": ("editor", "stad-antwerpen"),
    "antwerp_reviewer": ("reviewer", "stad-antwerpen"),
    "admin": ("admin", None),
}
# endpoint -> roles allowed (besides admin)
ALLOWED = {
    "instantiate": {"gent_editor"},
    "read": {"gent_editor", "gent_reviewer"},
    "save": {"gent_editor"},
    "submit": {"gent_editor"},
    "approve": {"gent_reviewer"},
    "reject": {"gent_reviewer"},
    "publish": {"gent_reviewer"},
    "archive": {"gent_reviewer"},
    "store_advice": {"gent_dossier"},
}


@pytest.fixture(scope="module")
def world(tmp_path_factory, mini_catalog):  # type: ignore[no-untyped-def]
    from conftest import loaded_app

    app = loaded_app(
        f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.sqlite3'}", mini_catalog
    )
    tokens = {}
    with session_scope(app) as session:
        for key, role in ROLES.items():
            if role is None:
                continue
            email = f"{key}@example.org"
            create_user(session=session, email=email, name=key, password=PASSWORD)
            grant(session=session, email=email, role=role[0], administration_id=role[1])
            tokens[key] = issue_token(session=session, email=email, name="matrix")
        template = session.exec(
            select(EntryTemplate).where(EntryTemplate.slug == "testmodel")
        ).one()
        admin = actor_for(
            session=session, user=get_user(session=session, email="admin@example.org")
        )
    yield app, tokens, template.id, admin
    app.extensions["rv_engine"].dispose()


def fresh_right(app, admin, template_id) -> str:  # type: ignore[no-untyped-def]
    with session_scope(app) as session:
        return editor.instantiate(session, admin, template_id, "ocmw-gent").id


def api_call(client, endpoint, right_id, template_id, token):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    base = f"/api/v1/editor/rights/{right_id}"
    if endpoint == "instantiate":
        return client.post(
            "/api/v1/editor/rights",
            headers=headers,
            json={"template_id": template_id, "administration_id": "ocmw-gent"},
        )
    if endpoint == "read":
        return client.get(base, headers=headers)
    if endpoint == "save":
        return client.patch(
            base, headers=headers, json={"lock_version": 1, "changes": {"title": {"nl": "Nieuw"}}}
        )
    if endpoint == "reject":
        return client.post(base + "/reject", headers=headers, json={"reason": "Onvolledig"})
    if endpoint == "store_advice":
        return client.post(
            "/api/v1/advice/leefloon/records",
            headers=headers,
            json={"administration_id": "ocmw-gent", "reference_date": "2025-02-01", "profile": {}},
        )
    return client.post(f"{base}/{endpoint}", headers=headers)


def web_call(client, endpoint, right_id, template_id):  # type: ignore[no-untyped-def]
    page = f"/redactie/recht/{right_id}"
    if endpoint == "instantiate":
        return client.post(f"/redactie/ocmw-gent/modellen/{template_id}")
    if endpoint == "read":
        return client.get(page)
    if endpoint == "store_advice":
        return client.post("/leefloonadvies/bewaren", data={"administration_id": "ocmw-gent"})
    data = {"action": endpoint, "lock_version": "1", "reason": "Onvolledig"}
    return client.post(page, data=data)


def refused(response) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/inloggen" in response.headers.get("Location", "")


CASES = [(role, endpoint) for role in ROLES for endpoint in ALLOWED]


@pytest.mark.parametrize(("role", "endpoint"), CASES)
def test_api(world, role, endpoint):  # type: ignore[no-untyped-def]
    app, tokens, template_id, admin = world
    right_id = fresh_right(app, admin, template_id)
    response = api_call(app.test_client(), endpoint, right_id, template_id, tokens.get(role))
    expected_refusal = role != "admin" and role not in ALLOWED[endpoint]
    assert refused(response) == expected_refusal, (response.status_code, response.get_data()[:200])


@pytest.mark.parametrize(("role", "endpoint"), CASES)
def test_pages(world, role, endpoint):  # type: ignore[no-untyped-def]
    app, _, template_id, admin = world
    right_id = fresh_right(app, admin, template_id)
    client = app.test_client()
    if ROLES[role] is not None:
        assert (
            client.post(
                "/inloggen", data={"email": f"{role}@example.org", "password": PASSWORD}
            ).status_code
            == 302
        )
    response = web_call(client, endpoint, right_id, template_id)
    expected_refusal = role != "admin" and role not in ALLOWED[endpoint]
    assert refused(response) == expected_refusal, (response.status_code, response.get_data()[:200])


def test_a_revoked_or_unknown_token_is_401(world):  # type: ignore[no-untyped-def]
    app, _, template_id, admin = world
    right_id = fresh_right(app, admin, template_id)
    response = app.test_client().get(
        f"/api/v1/editor/rights/{right_id}", headers={"Authorization": "Bearer rv_not-a-token"}
    )
    assert response.status_code == 401


def test_the_api_never_acts_on_a_browser_session(world):  # type: ignore[no-untyped-def]
    app, _, template_id, admin = world
    right_id = fresh_right(app, admin, template_id)
    client = app.test_client()
    client.post("/inloggen", data={"email": "gent_editor@example.org", "password": PASSWORD})
    assert client.get(f"/redactie/recht/{right_id}").status_code == 200
    assert client.get(f"/api/v1/editor/rights/{right_id}").status_code == 401


def test_forms_need_a_csrf_token(world, mini_catalog, tmp_path):  # type: ignore[no-untyped-def]
    from conftest import make_test_app

    app, _, template_id, admin = world
    guarded = make_test_app(app.config["DATABASE_URL"], mini_catalog, WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    response = client.post(
        "/inloggen", data={"email": "gent_editor@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    guarded.extensions["rv_engine"].dispose()


def test_login_is_rate_limited(world, mini_catalog):  # type: ignore[no-untyped-def]
    from conftest import make_test_app

    app, *_ = world
    limited = make_test_app(
        app.config["DATABASE_URL"],
        mini_catalog,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="2 per minute",
    )
    client = limited.test_client()
    codes = [
        client.post("/inloggen", data={"email": "x@example.org", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    assert codes == [401, 401, 429]
    assert client.get("/inloggen").status_code == 200  # the form itself stays reachable
    limited.extensions["rv_engine"].dispose()
