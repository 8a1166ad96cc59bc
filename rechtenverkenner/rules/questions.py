"""Missing facts as questions a social worker can ask a client, in nl/fr/en.

The engine names a missing fact by its path in the profile (`household.1.age`); people read
"How old is the 2nd person in the household?". Plain words, short sentences (B1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_Q = Mapping[str, str]

QUESTIONS: dict[str, _Q] = {
    "municipality_nis": {
        "nl": "In welke gemeente woont de cliënt?",
        "fr": "Dans quelle commune le client habite-t-il ?",
        "en": "In which municipality does the client live?",
    },
    "age": {
        "nl": "Hoe oud is de cliënt?",
        "fr": "Quel âge a le client ?",
        "en": "How old is the client?",
    },
    "living_situation": {
        "nl": "Hoe woont de cliënt: alleen, met een partner, met kinderen?",
        "fr": "Comment vit le client : seul, en couple, avec des enfants ?",
        "en": "How does the client live: alone, with a partner, with children?",
    },
    "household": {
        "nl": "Wie woont er nog bij de cliënt?",
        "fr": "Qui d'autre vit avec le client ?",
        "en": "Who else lives with the client?",
    },
    "statuses": {
        "nl": "Welke uitkering of welk statuut heeft de cliënt (bv. verhoogde tegemoetkoming)?",
        "fr": "Quelle allocation ou quel statut a le client (p. ex. intervention majorée) ?",
        "en": "Which benefit or status does the client have (e.g. verhoogde tegemoetkoming)?",
    },
    "own_income": {
        "nl": "Hoeveel verdient de cliënt zelf per maand (netto)?",
        "fr": "Combien le client gagne-t-il lui-même par mois (net) ?",
        "en": "How much does the client earn per month (net)?",
    },
    "taxable_income.gross_yearly": {
        "nl": "Wat is het bruto belastbaar inkomen van het gezin per jaar (aanslagbiljet)?",
        "fr": "Quel est le revenu imposable brut du ménage par an (avertissement-extrait) ?",
        "en": "What is the household's gross taxable income per year (tax assessment)?",
    },
    "taxable_income.net_yearly": {
        "nl": "Wat is het netto belastbaar inkomen van het gezin per jaar (aanslagbiljet)?",
        "fr": "Quel est le revenu imposable net du ménage par an (avertissement-extrait) ?",
        "en": "What is the household's net taxable income per year (tax assessment)?",
    },
    "capital.movable_total": {
        "nl": "Hoeveel spaargeld heeft de cliënt?",
        "fr": "Combien d'épargne le client a-t-il ?",
        "en": "How much savings does the client have?",
    },
    "property": {
        "nl": "Is de cliënt eigenaar van een huis of grond?",
        "fr": "Le client est-il propriétaire d'une maison ou d'un terrain ?",
        "en": "Does the client own a house or land?",
    },
    "housing": {
        "nl": "Hoe woont de cliënt: huur, sociale huur, eigen woning?",
        "fr": "Comment le client est-il logé : locataire, logement social, propriétaire ?",
        "en": "How is the client housed: renting, social housing, owner?",
    },
    "rent_monthly": {
        "nl": "Hoeveel huur betaalt de cliënt per maand?",
        "fr": "Quel loyer le client paie-t-il par mois ?",
        "en": "How much rent does the client pay per month?",
    },
    "nationality_status": {
        "nl": "Wat is de nationaliteit of het verblijfsstatuut van de cliënt?",
        "fr": "Quelle est la nationalité ou le statut de séjour du client ?",
        "en": "What is the client's nationality or residence status?",
    },
    "occupations": {
        "nl": "Werkt de cliënt, zoekt hij of zij werk, of studeert hij of zij?",
        "fr": "Le client travaille-t-il, cherche-t-il un emploi ou étudie-t-il ?",
        "en": "Does the client work, look for work or study?",
    },
    "education_level": {
        "nl": "Welk onderwijs volgt de cliënt?",
        "fr": "Quel enseignement le client suit-il ?",
        "en": "Which education does the client follow?",
    },
    "actual_residence_belgium": {
        "nl": "Woont de cliënt echt in België?",
        "fr": "Le client habite-t-il réellement en Belgique ?",
        "en": "Does the client really live in Belgium?",
    },
    "willing_to_work": {
        "nl": "Is de cliënt bereid om te werken?",
        "fr": "Le client est-il disposé à travailler ?",
        "en": "Is the client willing to work?",
    },
    "work_exemption_reason": {
        "nl": "Is er een reden van gezondheid of billijkheid om nu niet te werken?",
        "fr": "Y a-t-il une raison de santé ou d'équité de ne pas travailler maintenant ?",
        "en": "Is there a health or fairness reason not to work now?",
    },
    "other_benefits_claimed": {
        "nl": "Heeft de cliënt andere uitkeringen al aangevraagd?",
        "fr": "Le client a-t-il déjà demandé d'autres allocations ?",
        "en": "Has the client already claimed other benefits?",
    },
    "right_of_residence_more_than_3_months": {
        "nl": "Heeft de cliënt een verblijfsrecht van meer dan 3 maanden?",
        "fr": "Le client a-t-il un droit de séjour de plus de 3 mois ?",
        "en": "Does the client have a right of residence of more than 3 months?",
    },
    "married": {
        "nl": "Is de cliënt getrouwd?",
        "fr": "Le client est-il marié ?",
        "en": "Is the client married?",
    },
    "has_child_in_charge": {
        "nl": "Heeft de cliënt een kind ten laste?",
        "fr": "Le client a-t-il un enfant à charge ?",
        "en": "Does the client have a child in their care?",
    },
    "pregnant": {
        "nl": "Is de cliënt zwanger?",
        "fr": "La cliente est-elle enceinte ?",
        "en": "Is the client pregnant?",
    },
    "transfers_last_10_years": {
        "nl": "Heeft de cliënt de voorbije 10 jaar een huis, grond of geld verkocht of weggegeven?",
        "fr": "Le client a-t-il vendu ou donné une maison, un terrain ou de l'argent en 10 ans ?",
        "en": "Did the client sell or give away a house, land or money in the last 10 years?",
    },
    "advantages_in_kind_monthly": {
        "nl": "Krijgt de cliënt voordelen in natura, zoals gratis wonen? Hoeveel per maand?",
        "fr": "Le client a-t-il des avantages en nature (logement gratuit) ? Combien par mois ?",
        "en": "Does the client get benefits in kind, such as free housing? How much a month?",
    },
    "ocmw_choices.ascendant_share": {
        "nl": "Welk deel van het inkomen van ouders of meerderjarige kinderen telt het OCMW?",
        "fr": "Quelle part des revenus des parents ou enfants majeurs le CPAS compte-t-il ?",
        "en": "Which share of the income of parents or adult children does the OCMW count?",
    },
    "disability_points": {
        "nl": "Hoeveel punten zelfredzaamheid heeft de cliënt (erkenning handicap)?",
        "fr": "Combien de points d'autonomie le client a-t-il (reconnaissance du handicap) ?",
        "en": "How many self-reliance points does the client have (disability recognition)?",
    },
}

# Facts about a scale, a status or a household member: a pattern and a sentence with blanks.
_DISABILITY = {
    "percent": {"nl": "welk percentage", "fr": "quel pourcentage", "en": "what percentage"},
    "self_reliance_points": {
        "nl": "hoeveel punten zelfredzaamheid",
        "fr": "combien de points d'autonomie",
        "en": "how many self-reliance points",
    },
    "child_support_points": {
        "nl": "hoeveel punten (kinderbijslag, pijler 1)",
        "fr": "combien de points (allocations familiales, pilier 1)",
        "en": "how many points (child benefit, pillar 1)",
    },
    "bel_profile": {
        "nl": "welke score op de BEL-profielschaal",
        "fr": "quel score sur l'échelle de profil BEL",
        "en": "what score on the BEL profile scale",
    },
}
_MEMBER = {
    "age": {"nl": "Hoe oud is {who}?", "fr": "Quel âge a {who} ?", "en": "How old is {who}?"},
    "statuses": {
        "nl": "Welke uitkering of welk statuut heeft {who}?",
        "fr": "Quelle allocation ou quel statut a {who} ?",
        "en": "Which benefit or status does {who} have?",
    },
    "income": {
        "nl": "Welk inkomen heeft {who}?",
        "fr": "Quels revenus a {who} ?",
        "en": "What income does {who} have?",
    },
    "dependent": {
        "nl": "Is {who} ten laste van de cliënt?",
        "fr": "{who} est-il à charge du client ?",
        "en": "Is {who} a dependant of the client?",
    },
    "relation": {
        "nl": "Wie is {who} voor de cliënt (partner, kind, ouder, ...)?",
        "fr": "Qui est {who} pour le client (partenaire, enfant, parent, ...) ?",
        "en": "Who is {who} to the client (partner, child, parent, ...)?",
    },
    "education_level": {
        "nl": "Welk onderwijs volgt {who}?",
        "fr": "Quel enseignement suit {who} ?",
        "en": "Which education does {who} follow?",
    },
    "occupations": {
        "nl": "Werkt of studeert {who}?",
        "fr": "{who} travaille-t-il ou étudie-t-il ?",
        "en": "Does {who} work or study?",
    },
}
_WHO = {
    "nl": "persoon {n} in het gezin",
    "fr": "la personne {n} du ménage",
    "en": "person {n} in the household",
}


def question(fact: str, lang: str, status_label: Callable[[str], str] | None = None) -> str:
    """The question that would fill in a missing fact, in `lang` (nl, fr or en)."""
    if fact in QUESTIONS:
        return QUESTIONS[fact][lang]
    member = re.fullmatch(r"household\.(\d+)\.(.+)", fact)
    who = _WHO[lang].format(n=int(member.group(1)) + 1) if member else None
    rest = member.group(2) if member else fact
    scale = re.fullmatch(r"disability\.(\w+)", rest)
    if scale and scale.group(1) in _DISABILITY:
        what = _DISABILITY[scale.group(1)][lang]
        subject = who or {"nl": "de cliënt", "fr": "le client", "en": "the client"}[lang]
        return {
            "nl": f"Handicap van {subject}: {what}?",
            "fr": f"Handicap de {subject} : {what} ?",
            "en": f"Disability of {subject}: {what}?",
        }[lang]
    since = re.fullmatch(r"status_since\.(\w+)", rest)
    if since:
        name = status_label(since.group(1)) if status_label else since.group(1)
        return {
            "nl": f"Sinds wanneer heeft de cliënt dit: {name}?",
            "fr": f"Depuis quand le client a-t-il ceci : {name} ?",
            "en": f"Since when has the client had this: {name}?",
        }[lang]
    if who:
        key = rest.split(".")[0]
        if key in _MEMBER:
            text = _MEMBER[key][lang].format(who=who)
            return text[:1].upper() + text[1:]
    prop = re.fullmatch(r"(own_income|property|transfers_last_10_years)\.\d+\..+", fact)
    if prop:
        return QUESTIONS[prop.group(1)][lang]
    return fact
