"""Sentences of the leefloon advice, in nl/fr/en, for the client (B1: short, plain words).

Kept apart from the rules so that translators and reviewers read them in one place; `{name}`
placeholders are filled in by `rules/leefloon.py`.
"""

# ruff: noqa: E501  (sentences are easier to review unbroken)

from __future__ import annotations

# -- texts ------------------------------------------------------------------------------------
# Sentences a client understands (B1), in nl/fr/en; {placeholders} are filled in per case.

T: dict[str, dict[str, str]] = {
    "residence.yes": {
        "nl": "Je woont echt in België.",
        "fr": "Vous habitez réellement en Belgique.",
        "en": "You really live in Belgium.",
    },
    "residence.no": {
        "nl": "Je woont niet echt in België. Het leefloon is alleen voor wie hier woont.",
        "fr": "Vous n'habitez pas réellement en Belgique. Le revenu d'intégration est pour ceux qui vivent ici.",
        "en": "You do not really live in Belgium. The leefloon is only for people who live here.",
    },
    "residence.unknown": {
        "nl": "We weten nog niet of je echt in België woont.",
        "fr": "Nous ne savons pas encore si vous habitez réellement en Belgique.",
        "en": "We do not know yet whether you really live in Belgium.",
    },
    "age.adult": {
        "nl": "Je bent {age} jaar, dus meerderjarig.",
        "fr": "Vous avez {age} ans, vous êtes donc majeur.",
        "en": "You are {age}, so you are an adult.",
    },
    "age.minor_ok": {
        "nl": "Je bent {age} jaar. Je bent minderjarig, maar je telt mee als meerderjarige: {why}.",
        "fr": "Vous avez {age} ans. Vous êtes mineur, mais vous êtes assimilé à un majeur : {why}.",
        "en": "You are {age}. You are a minor, but you count as an adult: {why}.",
    },
    "age.minor_no": {
        "nl": "Je bent {age} jaar. Onder 18 jaar kan het alleen als je getrouwd bent, een kind ten laste hebt of zwanger bent.",
        "fr": "Vous avez {age} ans. Avant 18 ans, c'est possible seulement si vous êtes marié, avez un enfant à charge ou êtes enceinte.",
        "en": "You are {age}. Under 18 it is only possible if you are married, have a child in your care or are pregnant.",
    },
    "age.unknown": {
        "nl": "We kennen je leeftijd nog niet.",
        "fr": "Nous ne connaissons pas encore votre âge.",
        "en": "We do not know your age yet.",
    },
    "nationality.yes": {
        "nl": "Je verblijfsstatuut geeft recht op het leefloon.",
        "fr": "Votre statut de séjour donne droit au revenu d'intégration.",
        "en": "Your residence status gives a right to the leefloon.",
    },
    "nationality.no": {
        "nl": "Met dit verblijfsstatuut is er geen recht op het leefloon.",
        "fr": "Avec ce statut de séjour, il n'y a pas de droit au revenu d'intégration.",
        "en": "With this residence status there is no right to the leefloon.",
    },
    "nationality.eu_short": {
        "nl": "Als EU-burger heb je pas recht na een verblijfsrecht van meer dan 3 maanden.",
        "fr": "Comme citoyen de l'UE, le droit ne s'ouvre qu'avec un droit de séjour de plus de 3 mois.",
        "en": "As an EU citizen you only have the right with a right of residence of more than 3 months.",
    },
    "nationality.foreigners_register": {
        "nl": "Met alleen een inschrijving in het vreemdelingenregister is er geen leefloon. Het OCMW kan wel een equivalent leefloon geven.",
        "fr": "Avec une simple inscription au registre des étrangers, pas de revenu d'intégration. Le CPAS peut accorder une aide équivalente.",
        "en": "With only a registration in the foreigners register there is no leefloon. The OCMW can give an equivalent leefloon.",
    },
    "nationality.unknown": {
        "nl": "We kennen je nationaliteit of verblijfsstatuut nog niet.",
        "fr": "Nous ne connaissons pas encore votre nationalité ou votre statut de séjour.",
        "en": "We do not know your nationality or residence status yet.",
    },
    "work.yes": {
        "nl": "Je bent bereid om te werken.",
        "fr": "Vous êtes disposé à travailler.",
        "en": "You are willing to work.",
    },
    "work.exempt": {
        "nl": "Je moet nu niet werken om een reden van {why}. Het OCMW kijkt dat na.",
        "fr": "Vous ne devez pas travailler maintenant pour une raison de {why}. Le CPAS le vérifie.",
        "en": "You do not have to work now for a reason of {why}. The OCMW checks this.",
    },
    "work.no": {
        "nl": "Je moet bereid zijn om te werken, tenzij je gezondheid of een andere goede reden dat niet toelaat.",
        "fr": "Vous devez être disposé à travailler, sauf si votre santé ou une autre bonne raison ne le permet pas.",
        "en": "You must be willing to work, unless your health or another good reason does not allow it.",
    },
    "work.unknown": {
        "nl": "We weten nog niet of je bereid bent om te werken.",
        "fr": "Nous ne savons pas encore si vous êtes disposé à travailler.",
        "en": "We do not know yet whether you are willing to work.",
    },
    "benefits.yes": {
        "nl": "Je hebt je rechten op andere uitkeringen gevraagd.",
        "fr": "Vous avez demandé vos droits à d'autres allocations.",
        "en": "You have claimed your rights to other benefits.",
    },
    "benefits.no": {
        "nl": "Vraag eerst de andere uitkeringen aan waar je recht op hebt (bijvoorbeeld werkloosheid of ziekte). Het leefloon komt pas daarna.",
        "fr": "Demandez d'abord les autres allocations auxquelles vous avez droit (chômage ou maladie par exemple). Le revenu d'intégration vient ensuite.",
        "en": "First claim the other benefits you have a right to (for example unemployment or sickness). The leefloon comes after that.",
    },
    "benefits.unknown": {
        "nl": "We weten nog niet of je andere uitkeringen al hebt gevraagd.",
        "fr": "Nous ne savons pas encore si vous avez déjà demandé d'autres allocations.",
        "en": "We do not know yet whether you have claimed other benefits.",
    },
    "category.1": {
        "nl": "Categorie 1: je woont samen met iemand en jullie delen de kosten van het huishouden.",
        "fr": "Catégorie 1 : vous vivez avec quelqu'un et partagez les frais du ménage.",
        "en": "Category 1: you live with someone and share the household costs.",
    },
    "category.2": {
        "nl": "Categorie 2: je woont alleen.",
        "fr": "Catégorie 2 : vous vivez seul.",
        "en": "Category 2: you live alone.",
    },
    "category.3": {
        "nl": "Categorie 3: je woont met minstens één minderjarig kind dat je ten laste hebt.",
        "fr": "Catégorie 3 : vous vivez avec au moins un enfant mineur à votre charge.",
        "en": "Category 3: you live with at least one minor child in your care.",
    },
    "category.unknown": {
        "nl": "We weten nog niet hoe je woont (alleen, samen, met kinderen).",
        "fr": "Nous ne savons pas encore comment vous vivez (seul, en couple, avec des enfants).",
        "en": "We do not know yet how you live (alone, together, with children).",
    },
    "category.shared_custody": {
        "nl": "Je kinderen wonen de helft van de tijd bij jou. Het OCMW beslist zelf over de categorie. Als richtbedrag tonen we het gemiddelde van categorie 2 en 3.",
        "fr": "Vos enfants vivent la moitié du temps chez vous. Le CPAS décide de la catégorie. À titre indicatif, nous montrons la moyenne des catégories 2 et 3.",
        "en": "Your children live with you half of the time. The OCMW decides the category. As a guide we show the average of categories 2 and 3.",
    },
    "amount": {
        "nl": "Het volle leefloon in categorie {category} is {amount} euro per jaar (bedrag vanaf {date}).",
        "fr": "Le revenu d'intégration complet en catégorie {category} est de {amount} euros par an (montant depuis le {date}).",
        "en": "The full leefloon in category {category} is {amount} euro a year (amount from {date}).",
    },
    "own_income": {
        "nl": "Je eigen inkomen dat meetelt: {amount} euro per jaar.",
        "fr": "Vos propres revenus pris en compte : {amount} euros par an.",
        "en": "Your own income that counts: {amount} euro a year.",
    },
    "own_income.unknown": {
        "nl": "We kennen je eigen inkomen nog niet.",
        "fr": "Nous ne connaissons pas encore vos propres revenus.",
        "en": "We do not know your own income yet.",
    },
    "exempt_line": {
        "nl": "{kind} telt niet mee.",
        "fr": "{kind} n'est pas pris en compte.",
        "en": "{kind} does not count.",
    },
    "not_received": {
        "nl": "{kind} heb je nog niet echt gekregen, dus het telt nu niet mee.",
        "fr": "Vous n'avez pas encore réellement reçu {kind} : ce n'est pas compté pour l'instant.",
        "en": "You have not really received {kind} yet, so it does not count now.",
    },
    "spi": {
        "nl": "Omdat je werkt of studeert, blijft {amount} euro per maand van {kind} vrij (socioprofessionele vrijstelling).",
        "fr": "Parce que vous travaillez ou étudiez, {amount} euros par mois de {kind} restent exonérés (exonération socioprofessionnelle).",
        "en": "Because you work or study, {amount} euro a month of {kind} stays free (socio-professional exemption).",
    },
    "spi.artistic": {
        "nl": "Van je artistieke inkomsten blijft {amount} euro per jaar vrij.",
        "fr": "De vos revenus artistiques, {amount} euros par an restent exonérés.",
        "en": "Of your artistic income, {amount} euro a year stays free.",
    },
    "partner": {
        "nl": "Van het inkomen van je partner telt {amount} euro per jaar mee.",
        "fr": "Des revenus de votre partenaire, {amount} euros par an sont pris en compte.",
        "en": "Of your partner's income, {amount} euro a year counts.",
    },
    "partner.leefloon": {
        "nl": "Je partner krijgt zelf een leefloon: dat inkomen telt niet mee.",
        "fr": "Votre partenaire reçoit lui-même le revenu d'intégration : ce revenu n'est pas compté.",
        "en": "Your partner gets a leefloon himself or herself: that income does not count.",
    },
    "ascendants": {
        "nl": "Je ouders of meerderjarige kinderen verdienen samen {excess} euro per jaar boven het bedrag van categorie 1. Het OCMW telt daarvan {share} procent mee: {amount} euro.",
        "fr": "Vos parents ou enfants majeurs gagnent ensemble {excess} euros par an au-delà du montant de catégorie 1. Le CPAS en compte {share} pour cent : {amount} euros.",
        "en": "Your parents or adult children earn {excess} euro a year above the category 1 amount together. The OCMW counts {share} percent of it: {amount} euro.",
    },
    "ascendants.choice": {
        "nl": "Je ouders of meerderjarige kinderen verdienen samen {excess} euro per jaar boven het bedrag van categorie 1. Het OCMW kiest welk deel daarvan meetelt (0 tot 100 procent).",
        "fr": "Vos parents ou enfants majeurs gagnent ensemble {excess} euros par an au-delà du montant de catégorie 1. Le CPAS choisit la part prise en compte (0 à 100 pour cent).",
        "en": "Your parents or adult children earn {excess} euro a year above the category 1 amount together. The OCMW chooses how much of it counts (0 to 100 percent).",
    },
    "others": {
        "nl": "Het inkomen van andere huisgenoten (vrienden, broers, zussen, ...) telt nooit mee.",
        "fr": "Les revenus des autres cohabitants (amis, frères, sœurs, ...) ne sont jamais comptés.",
        "en": "The income of other housemates (friends, brothers, sisters, ...) never counts.",
    },
    "capital": {
        "nl": "Van je spaargeld ({capital} euro) telt {amount} euro per jaar mee. Tot 6.200 euro telt niets.",
        "fr": "De votre épargne ({capital} euros), {amount} euros par an sont pris en compte. Jusqu'à 6 200 euros, rien n'est compté.",
        "en": "Of your savings ({capital} euro), {amount} euro a year counts. Up to 6,200 euro nothing counts.",
    },
    "property": {
        "nl": "Voor je huis of grond telt {amount} euro per jaar mee (berekend op het kadastraal inkomen).",
        "fr": "Pour votre maison ou terrain, {amount} euros par an sont pris en compte (calcul sur le revenu cadastral).",
        "en": "For your house or land, {amount} euro a year counts (based on the cadastral income).",
    },
    "transfers": {
        "nl": "Je hebt de voorbije 10 jaar iets verkocht of weggegeven. Daarvan telt {amount} euro mee als spaargeld.",
        "fr": "Vous avez vendu ou donné un bien ces 10 dernières années. {amount} euros en sont comptés comme de l'épargne.",
        "en": "You sold or gave away something in the last 10 years. {amount} euro of it counts as savings.",
    },
    "transfers.waived": {
        "nl": "Het OCMW telt wat je verkocht of weggaf niet mee, om een reden van billijkheid.",
        "fr": "Le CPAS ne compte pas ce que vous avez vendu ou donné, pour une raison d'équité.",
        "en": "The OCMW does not count what you sold or gave away, for a reason of fairness.",
    },
    "in_kind": {
        "nl": "Voordelen in natura (bijvoorbeeld gratis wonen) tellen mee voor {amount} euro per jaar.",
        "fr": "Les avantages en nature (logement gratuit par exemple) sont comptés pour {amount} euros par an.",
        "en": "Benefits in kind (for example free housing) count for {amount} euro a year.",
    },
    "test.below": {
        "nl": "Alles samen telt {resources} euro per jaar mee. Dat is minder dan het leefloon van {amount} euro.",
        "fr": "Au total, {resources} euros par an sont pris en compte. C'est moins que le revenu d'intégration de {amount} euros.",
        "en": "In total {resources} euro a year counts. That is less than the leefloon of {amount} euro.",
    },
    "test.above": {
        "nl": "Alles samen telt {resources} euro per jaar mee. Dat is evenveel of meer dan het leefloon van {amount} euro: je hebt genoeg inkomen.",
        "fr": "Au total, {resources} euros par an sont pris en compte. C'est autant ou plus que le revenu d'intégration de {amount} euros : vos ressources suffisent.",
        "en": "In total {resources} euro a year counts. That is as much as or more than the leefloon of {amount} euro: your income is enough.",
    },
    "exemption": {
        "nl": "Een vast bedrag van {amount} euro per jaar telt nooit mee (algemene vrijstelling).",
        "fr": "Un montant fixe de {amount} euros par an n'est jamais compté (exonération générale).",
        "en": "A fixed amount of {amount} euro a year never counts (general exemption).",
    },
    "result": {
        "nl": "Je leefloon is {yearly} euro per jaar, of {monthly} euro per maand.",
        "fr": "Votre revenu d'intégration est de {yearly} euros par an, soit {monthly} euros par mois.",
        "en": "Your leefloon is {yearly} euro a year, or {monthly} euro a month.",
    },
}
WHY_MINOR = {
    "married": {"nl": "je bent getrouwd", "fr": "vous êtes marié", "en": "you are married"},
    "has_child_in_charge": {
        "nl": "je hebt een kind ten laste",
        "fr": "vous avez un enfant à charge",
        "en": "you have a child in your care",
    },
    "pregnant": {"nl": "je bent zwanger", "fr": "vous êtes enceinte", "en": "you are pregnant"},
}
WHY_WORK = {
    "health": {"nl": "gezondheid", "fr": "santé", "en": "health"},
    "equity_studies": {"nl": "studies", "fr": "études", "en": "studies"},
    "equity_other": {"nl": "billijkheid", "fr": "équité", "en": "fairness"},
}
