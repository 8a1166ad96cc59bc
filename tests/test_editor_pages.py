"""The editor through its pages (Flask test client): the whole path of a local right."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlmodel import select

from rechtenverkenner.accounts.services import create_user, grant
from rechtenverkenner.catalog.models import EntryTemplate, Right
from rechtenverkenner.db import session_scope

PASSWORD = "correct horse battery staple"
_numbers = itertools.count()


@pytest.fixture(scope="module")
def web_app(tmp_path_factory, mini_catalog):  # type: ignore[no-untyped-def]
    """An app of its own: rights published here must not show up in other tests' pages."""
    from conftest import loaded_app

    app = loaded_app(
        f"sqlite:///{tmp_path_factory.mktemp('editor') / 'editor.sqlite3'}", mini_catalog
    )
    yield app
    app.extensions["rv_engine"].dispose()


@pytest.fixture
def web(web_app):  # type: ignore[no-untyped-def]
    return web_app.test_client()


@pytest.fixture
def people(web_app):  # type: ignore[no-untyped-def]
    """Fresh accounts for this test: e-mail per role key."""
    made = {}
    with session_scope(web_app) as session:
        for key, role, admin in (
            ("gent_editor", "editor", "ocmw-gent"),
            ("gent_reviewer", "reviewer", "ocmw-gent"),
            ("antwerp_editor", "editor", "stad-antwerpen"),
        ):
            email = f"{key}-{next(_numbers)}@example.org"
            create_user(session=session, email=email, name=key, password=PASSWORD)
            grant(session=session, email=email, role=role, administration_id=admin)
            made[key] = email
    return made


def client_for(web_app, email):  # type: ignore[no-untyped-def]
    client = web_app.test_client()
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def template_id(web_app) -> str:  # type: ignore[no-untyped-def]
    with session_scope(web_app) as session:
        return session.exec(select(EntryTemplate).where(EntryTemplate.slug == "testmodel")).one().id


def form_of(html: str) -> dict[str, str]:
    """The values of the edit form's text inputs and textareas, as a browser would send them."""
    data = dict(re.findall(r'<input id="[^"]*" name="([^"]+)" value="([^"]*)"', html))
    data.update(re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', html))
    data["lock_version"] = re.search(r'name="lock_version" value="(\d+)"', html).group(1)
    return data


def test_template_to_published_right_through_the_pages(web_app, web, people):  # type: ignore[no-untyped-def]
    editor_client = client_for(web_app, people["gent_editor"])
    listing = editor_client.get("/redactie/ocmw-gent/modellen?lang=nl").get_data(as_text=True)
    assert "Testmodel" in listing
    response = editor_client.post(f"/redactie/ocmw-gent/modellen/{template_id(web_app)}")
    assert response.status_code == 303
    edit_url = response.headers["Location"]
    right_id = edit_url.rsplit("/", 1)[1]
    form = form_of(editor_client.get(edit_url).get_data(as_text=True))
    form.update(
        {
            "title_nl": "Gentse zwemkorting voor kansen",
            "title_fr": "",  # the model's French and English titles go: no translation yet
            "title_en": "",
            "description_nl": "<p>Met een kansenpas zwem je goedkoper in Gent.</p>",
            "contact_points0_email": "zwemmen@ocmw.gent",
            "action": "save",
        }
    )
    assert editor_client.post(edit_url, data=form).status_code == 303
    submitted = editor_client.post(edit_url, data={"action": "submit"})
    assert submitted.status_code == 303, re.findall(
        r"<li>([^<]*)</li>", submitted.get_data(as_text=True)
    )

    reviewer = client_for(web_app, people["gent_reviewer"])
    assert reviewer.post(edit_url, data={"action": "approve"}).status_code == 303
    assert reviewer.post(edit_url, data={"action": "publish"}).status_code == 303

    found = web.get("/api/v1/rights?q=zwemkorting&municipality=9000").get_json()
    assert [i["title"] for i in found["items"]] == ["Gentse zwemkorting voor kansen"]
    elsewhere = web.get("/api/v1/rights?q=zwemkorting&municipality=2000").get_json()
    assert elsewhere["items"] == []

    antwerp = client_for(web_app, people["antwerp_editor"])
    assert antwerp.get(edit_url).status_code == 403
    assert antwerp.post(edit_url, data={"action": "submit"}).status_code == 403

    history = reviewer.get(edit_url + "?lang=en").get_data(as_text=True).split("History", 1)[1]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td>\s*<td>([^<]+)", history)
    assert [(who, what.split(":")[0]) for _, who, what in reversed(rows)] == [
        (people["gent_editor"], "instantiate"),
        (people["gent_editor"], "save"),
        (people["gent_editor"], "submitted for review"),
        (people["gent_reviewer"], "approved"),
        (people["gent_reviewer"], "published"),
    ]
    with session_scope(web_app) as session:
        assert session.get(Right, right_id).status == "published"


def test_a_second_stale_edit_gets_409_and_the_first_stays(web_app, people):  # type: ignore[no-untyped-def]
    first = client_for(web_app, people["gent_editor"])
    second = client_for(web_app, people["gent_editor"])
    edit_url = first.post(f"/redactie/ocmw-gent/modellen/{template_id(web_app)}").headers[
        "Location"
    ]
    html = first.get(edit_url).get_data(as_text=True)
    form_a = {**form_of(html), "title_nl": "Versie van Anna", "action": "save"}
    form_b = {**form_of(html), "title_nl": "Versie van Bram", "action": "save"}
    assert first.post(edit_url, data=form_a).status_code == 303
    response = second.post(edit_url, data=form_b)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Versie van Anna" in page
    assert "Versie van Bram" in page
    right_id = edit_url.rsplit("/", 1)[1]
    with session_scope(web_app) as session:
        assert session.get(Right, right_id).title["nl"] == "Versie van Anna"


def test_scripts_never_reach_a_page(web_app, web, people):  # type: ignore[no-untyped-def]
    client = client_for(web_app, people["gent_editor"])
    edit_url = client.post(f"/redactie/ocmw-gent/modellen/{template_id(web_app)}").headers[
        "Location"
    ]
    form = {
        **form_of(client.get(edit_url).get_data(as_text=True)),
        "title_nl": "Veilig",
        "description_nl": "<p>Hallo<script>alert(1)</script>"
        '<a href="javascript:alert(2)">x</a></p>',
        "action": "save",
    }
    client.post(edit_url, data=form)
    html = client.get(edit_url).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "javascript:alert" not in html


def test_anonymous_visitors_are_sent_to_the_login_page(web):
    response = web.get("/redactie")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]
    assert (
        web.post("/inloggen", data={"email": "x@example.org", "password": "nope"}).status_code
        == 401
    )


def test_conditions_are_edited_with_fields_from_the_kind_schema(web_app, people):  # type: ignore[no-untyped-def]
    client = client_for(web_app, people["gent_editor"])
    edit_url = client.post(f"/redactie/ocmw-gent/modellen/{template_id(web_app)}").headers[
        "Location"
    ]
    html = client.get(edit_url + "?lang=nl").get_data(as_text=True)
    assert 'name="crit0_municipalities" value="44021"' in html  # the model's condition, own city
    form = {
        **form_of(html),
        "crit0_kind": "residence",
        "crit0_municipalities": "44021",
        "crit1_kind": "age",
        "action": "preview",
    }
    page = client.post(edit_url + "?lang=nl", data=form).get_data(as_text=True)
    assert 'name="crit1_min"' in page
    assert 'name="crit1_max"' in page
    form.update({"crit1_min": "65", "action": "preview"})
    page = client.post(edit_url + "?lang=nl", data=form).get_data(as_text=True)
    assert "minstens 65 jaar" in page
    live = client.get("/redactie/voorwaarde?kind=age&min=65&lang=nl").get_json()
    assert "minstens 65 jaar" in live["text"]
    wrong = client.get("/redactie/voorwaarde?kind=status&lang=nl").get_json()
    assert wrong["errors"]
    form["action"] = "save"
    assert client.post(edit_url, data=form).status_code == 303
    with session_scope(web_app) as session:
        right = session.get(Right, edit_url.rsplit("/", 1)[1])
        assert right.criteria == [
            {"kind": "residence", "municipalities": ["44021"]},
            {"kind": "age", "min": 65},
        ]


def test_kind_of_help_themes_and_search_words_are_edited(web_app, people):  # type: ignore[no-untyped-def]
    client = client_for(web_app, people["gent_editor"])
    edit_url = client.post(f"/redactie/ocmw-gent/modellen/{template_id(web_app)}").headers[
        "Location"
    ]
    form = {
        **form_of(client.get(edit_url).get_data(as_text=True)),
        "properties_shown": "1",
        "product_type": "FinancieelVoordeel",
        "themes": ["WelzijnGezondheid", "BouwenWonen"],
        "situations": ["low_income"],
        "keywords_nl": "zwembad, korting",
        "action": "save",
    }
    assert client.post(edit_url, data=form).status_code == 303
    with session_scope(web_app) as session:
        right = session.get(Right, edit_url.rsplit("/", 1)[1])
        assert right.product_type == "FinancieelVoordeel"
        assert right.themes == ["WelzijnGezondheid", "BouwenWonen"]
        assert right.situations == ["low_income"]
        assert right.keywords["nl"] == ["zwembad", "korting"]
