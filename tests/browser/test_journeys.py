"""Real-browser journeys (Playwright + Debian Chromium) with axe-core on every page at 360 and
1280 px, keyboard-only search and advice, and a screenshot of each journey's last page."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import ARTIFACTS, PASSWORD

WIDTHS = (360, 1280)
AXE = Axe()


def check_accessibility(page, name: str, report) -> None:  # type: ignore[no-untyped-def]
    """No serious or critical axe violation at a phone and a laptop width."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        results = AXE.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        report.setdefault(name, {})[str(width)] = len(bad)
        assert not bad, (name, width, [(v["id"], v["nodes"][0]["target"]) for v in bad])
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("html").get_attribute("lang") in ("nl", "fr", "en")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/inloggen?lang=nl")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_load_state()


def tab_to(page, selector: str, limit: int = 250) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    target = page.locator(selector).first
    for _press in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the keyboard focus")


def press(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Click the workflow button whose text matches `label` (a regular expression)."""
    page.locator("form.inline button", has_text=re.compile(label, re.I)).first.click()


def test_search_with_a_typo_and_a_facet(page, live_server, axe_report):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/?lang=nl")
    check_accessibility(page, "home", axe_report)
    page.fill("#q", "huurpremi")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vlaamse huurpremie" in page.locator("#results").inner_text()
    check_accessibility(page, "results", axe_report)
    page.locator("#filters input[name=theme]").first.check()
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    assert "theme=" in page.url
    shot(page, "search")


def test_search_by_keyboard_only(page, live_server):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/?lang=nl")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # skip link comes first
    tab_to(page, "#q")
    page.keyboard.type("leeflon")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#results a", has_text="Leefloon").count() >= 1


def test_open_a_right_and_print_it(page, live_server, axe_report):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/rechten?q=leefloon&lang=nl")
    page.locator("#results h3 a", has_text="Leefloon").first.click()
    page.wait_for_load_state()
    assert "/rechten/" in page.url
    check_accessibility(page, "right", axe_report)
    slug = page.url.rsplit("/", 1)[1].split("?")[0]
    page.goto(f"{live_server}/rechten/afdrukken?r={slug}&lang=nl")
    check_accessibility(page, "print", axe_report)
    page.emulate_media(media="print")
    assert page.locator("header.site").is_hidden()
    shot(page, "print")


def test_screening_with_a_partial_profile(page, live_server, axe_report):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/welke-rechten?lang=nl")
    check_accessibility(page, "screening-form", axe_report)
    page.fill("#s-municipality", "9000")
    page.fill("#s-age", "34")
    page.select_option("#s-living_situation", "alone")
    page.locator("input[name=statuses][value=leefloon]").check()
    page.click("form.screening button[type=submit]")
    page.wait_for_load_state()
    text = page.locator("#result").inner_text()
    assert "Resultaat voor Gent" in text or "Gent" in text
    check_accessibility(page, "screening-result", axe_report)
    shot(page, "screening")


def test_leefloon_advice_by_keyboard_as_a_dossier_worker(page, live_server, axe_report):  # type: ignore[no-untyped-def]
    login(page, live_server, "dossier@gent.example")
    page.goto(f"{live_server}/leefloonadvies?lang=nl")
    check_accessibility(page, "advice-form", axe_report)
    answers = {
        "#a-reference_date": "02012025",  # a date field types month, day, year (en-US)
        "#a-age": "20",
        "#a-i0_amount": "300",
        "#a-capital": "0",
        "#a-advantages_in_kind": "0",
        "#a-m0_age": "21",
    }
    choices = {
        "#a-actual_residence_belgium": "yes",
        "#a-nationality_status": "belgian",
        "#a-student": "yes",
        "#a-willing_to_work": "no",
        "#a-work_exemption_reason": "equity_studies",
        "#a-other_benefits_claimed": "yes",
        "#a-living_situation": "cohabiting_shared_household",
        "#a-m0_relation": "friend",
        "#a-i0_kind": "gift_or_contribution_from_parents",
    }
    # Keyboard only: Tab to each field, type, or pick an option with the arrow keys.
    for selector in (*choices, *answers):
        tab_to(page, selector)
        if selector in answers:
            page.keyboard.type(answers[selector])
        else:
            options = page.locator(f"{selector} option").evaluate_all(
                "opts => opts.map(o => o.value)"
            )
            for _step in range(options.index(choices[selector])):
                page.keyboard.press("ArrowDown")
    for box in ("property_none", "transfers_none"):
        tab_to(page, f"input[name={box}]")
        page.keyboard.press("Space")
    tab_to(page, "form.screening button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if page.locator("#advice").count() == 0:
        raise AssertionError(page.locator("main").inner_text()[:1500])
    advice = page.locator("#advice").inner_text()
    assert "589,05" in advice
    check_accessibility(page, "advice-result", axe_report)
    page.fill("#store-ref", "D-2025-001")
    page.fill("#store-days", "30")
    page.click("form[action$='/leefloonadvies/bewaren'] button")
    page.wait_for_load_state()
    assert page.locator(".notice").count() == 1
    shot(page, "advice")


def test_editor_template_to_publish(page, live_server, axe_report):  # type: ignore[no-untyped-def]
    login(page, live_server, "editor@gent.example")
    page.goto(f"{live_server}/redactie/ocmw-gent/modellen?lang=nl")
    check_accessibility(page, "editor-templates", axe_report)
    page.locator(
        "form button[type=submit]", has_text=re.compile("catalogus|catalogue", re.I)
    ).first.click()
    page.wait_for_load_state()
    edit_url = page.url.split("?")[0]
    check_accessibility(page, "editor-edit", axe_report)
    page.fill("#title_nl", "Gentse proefkorting")
    for lang in ("fr", "en"):
        page.fill(f"#title_{lang}", "")
        page.fill(f"#summary_{lang}", "")
        page.fill(f"#description_{lang}", "")
    page.fill("#description_nl", "<p>Een korting voor inwoners van Gent met een laag inkomen.</p>")
    page.fill("#contact_points0_email", "info@ocmw.gent")
    page.click("button[name=action][value=save]")
    page.wait_for_load_state()
    press(page, "Indienen|Submit")
    page.wait_for_load_state()
    page.click("form[action='/uitloggen'] button")
    login(page, live_server, "reviewer@gent.example")
    page.goto(edit_url + "?lang=nl")
    press(page, "Goedkeuren|Approve")
    page.wait_for_load_state()
    press(page, "Publiceren|Publish")
    page.wait_for_load_state()
    page.goto(f"{live_server}/rechten?q=proefkorting&municipality=9000&lang=nl")
    assert "Gentse proefkorting" in page.locator("#results").inner_text()
    shot(page, "editor")


@pytest.mark.parametrize(("code", "word"), [("fr", "Rechercher"), ("en", "Search")])
def test_language_switch(page, live_server, axe_report, code, word):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/?lang=nl")
    page.click(f"nav.langs a[lang={code}]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code
    assert word in page.locator("form.search button").inner_text()
    check_accessibility(page, f"home-{code}", axe_report)
    shot(page, f"language-{code}")
