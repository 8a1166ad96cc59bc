"""The search index on its own: plain documents in, ranked hits out (no Flask, no database)."""

from __future__ import annotations

import pytest

from rechtenverkenner.search.index import Places, SearchIndex, split_compound
from rechtenverkenner.search.text import fold, index_tokens


def doc(title: str, summary: str = "", level: str = "flemish", **extra) -> dict:  # type: ignore[no-untyped-def]
    return {
        "title": {"nl": title},
        "summary": {"nl": summary},
        "description": {"nl": ""},
        "level": level,
        "themes": extra.pop("themes", ["WelzijnGezondheid"]),
        "scope": extra.pop("scope", {"region": "flanders"}),
        **extra,
    }


DOCS = [
    doc("Leefloon", "Een minimuminkomen van het OCMW."),
    doc("Equivalent leefloon", "Steun gelijk aan het leefloon voor vreemdelingen."),
    doc(
        "Vlaamse huurpremie",
        "Geld als je lang wacht op een sociale woning.",
        themes=["BouwenWonen"],
    ),
    doc(
        "Sociaal tarief energie",
        "Goedkopere elektriciteit en gas.",
        level="federal",
        scope={"region": "belgium"},
        themes=["MilieuEnergie"],
    ),
    doc(
        "Gentse korting",
        "Korting voor inwoners van Gent.",
        level="local",
        scope={"municipalities": ["44021"]},
        themes=["CultuurSportVrijeTijd"],
    ),
    doc(
        "Antwerpse korting",
        "Korting in Antwerpen.",
        level="local",
        scope={"municipalities": ["11002"]},
        themes=["CultuurSportVrijeTijd"],
    ),
    doc("Juridische bijstand", "Gratis advocaat, ook bij ruzie over de huur of een premie."),
]
PLACES = Places(
    names={"gent": ("44021",), "9000": ("44021",), "antwerpen": ("11002",)},
    province={"44021": "40000", "11002": "10000"},
    region={"44021": "flanders", "11002": "flanders"},
    longest_name=1,
)
SYNONYMS = [["energie", "gas", "elektriciteit", "énergie"], ["ocmw", "sociaal huis", "cpas"]]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(DOCS, synonyms=SYNONYMS, places=PLACES)


def titles(index: SearchIndex, query: str, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    return [DOCS[i]["title"]["nl"] for i, _ in index.search(query, **kwargs).hits]


def test_normalisation_folds_case_accents_punctuation_and_ij():
    assert fold("Électricité, ÉNERGIE!") == "electricite energie"
    assert fold("Bijstand") == fold("bystand") == "bystand"
    assert index_tokens("De huur van je woning") == ["huur", "woning"]


def test_compounds_split_into_known_words():
    vocabulary = {"huur", "premie", "inkomen", "grens"}
    assert split_compound("huurpremie", vocabulary) == ("huur", "premie")
    assert split_compound("inkomensgrens", vocabulary) == ("inkomen", "grens")
    assert split_compound("onbekendwoord", vocabulary) is None


def test_a_typo_still_finds_the_right_first(index):
    assert titles(index, "leeflon")[0] == "Leefloon"
    result = index.search("leeflon")
    assert result.did_you_mean == "leefloon"


def test_an_exact_word_gives_no_did_you_mean(index):
    assert index.search("leefloon").did_you_mean is None


def test_short_title_beats_a_long_one_with_the_same_word(index):
    assert titles(index, "leefloon")[:2] == ["Leefloon", "Equivalent leefloon"]


def test_last_word_is_matched_as_a_prefix(index):
    assert titles(index, "huurpr")[0] == "Vlaamse huurpremie"


def test_compound_parts_and_split_words_find_the_compound(index):
    assert "Vlaamse huurpremie" in titles(index, "premie")
    assert titles(index, "huur premie")[0] == "Vlaamse huurpremie"


def test_ij_and_y_are_the_same(index):
    assert titles(index, "bystand") == ["Juridische bijstand"]


def test_synonyms_and_french_words_find_dutch_rights(index):
    assert titles(index, "gas") == ["Sociaal tarief energie"]
    assert titles(index, "énergie") == ["Sociaal tarief energie"]
    assert titles(index, "sociaal huis")[0] == "Leefloon"  # OCMW in its summary


def test_a_municipality_in_the_query_becomes_a_place_filter(index):
    result = index.search("korting gent")
    assert result.places == ("44021",)
    assert [DOCS[i]["title"]["nl"] for i, _ in result.hits] == ["Gentse korting"]
    assert titles(index, "9000")[0] == "Gentse korting"
    assert "Antwerpse korting" not in titles(index, "gent", limit=50)


def test_local_rights_of_the_chosen_place_are_boosted(index):
    assert titles(index, "korting", municipalities=["44021"]) == ["Gentse korting"]


def test_facets_count_with_every_filter_but_their_own(index):
    result = index.search("", filters={"level": ["local"]})
    assert result.total == 2
    assert result.facets["level"] == {"flemish": 4, "local": 2, "federal": 1}
    assert result.facets["theme"] == {"CultuurSportVrijeTijd": 2}


def test_nothing_matches_nonsense_and_an_empty_index_answers(index):
    assert index.search("xqzvw").total == 0
    empty = SearchIndex.build([])
    assert empty.search("leefloon").total == 0
    assert empty.search("").hits == []


def test_pagination_is_stable(index):
    everything = titles(index, "", limit=50)
    pages = (
        titles(index, "", limit=3)
        + titles(index, "", limit=3, offset=3)
        + titles(index, "", limit=3, offset=6)
    )
    assert pages == everything


def test_a_swap_of_two_letters_is_one_typo():
    """ "prmeie" is "premie" with two letters swapped: one slip, found even in a short word."""
    index = SearchIndex.build([doc("Premie"), doc("Tolk")])
    assert [p for p, _ in index.search("prmeie").hits] == [0]
    assert index.search("prmeie").did_you_mean == "premie"


def test_a_typo_close_to_a_rare_word_does_not_beat_the_common_word_meant():
    """ "tersoon" is one edit from both "persoon" (common) and "person" (rare)."""
    docs = [doc(f"Hulp persoon nummer {n}", "Voor elke persoon, in euro.") for n in range(30)]
    docs.append(doc("Premie", "Een person met een handicap krijgt euros."))
    docs.append(doc("Handicap persoon euro", "Geld."))
    index = SearchIndex.build(docs)
    top = [p for p, _ in index.search("handicpa tersoon euro", limit=3).hits]
    assert top[0] == len(docs) - 1


def test_the_title_holding_every_word_goes_first():
    docs = [
        doc("Inkomen voor Oudergem", "De kosten voor ouderen en een tegemoetkoming."),
        doc("Kosten ouderen tegemoetkoming", "Steun."),
        *[doc(f"Ouderen {n}", "Kosten en een tegemoetkoming.") for n in range(5)],
    ]
    index = SearchIndex.build(docs)
    assert index.search("kosten ouderem tegemoetkoming").hits[0][0] == 1
