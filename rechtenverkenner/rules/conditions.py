"""Condition kinds: the closed vocabulary in which every right's conditions are written.

A right's `criteria` is a tree: a list (AND) of nodes, each either a combinator (`all`, `any`,
`not`) or a leaf with a `kind` from `KINDS`. Each kind declares its parameters (a schema that
the catalogue check, the API and the editor forms share) and a readable sentence in nl/fr/en.
The set is kept small on purpose: one kind with a parameter beats two kinds
(shared/data/rights_facts.md §1). Discretionary conditions have their own kind,
`social_investigation`, because they can only ever answer "possibly".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LANGS = ("nl", "fr", "en")
COMBINATORS = ("all", "any", "not")
NODE_KEYS = ("requirement", "note")  # allowed on every node besides its own parameters

# Parameter types. `enum`/`enum_list` take their values from a vocabulary (`vocab`): a key of
# catalog/vocabularies/condition_values.yaml, or "statuses".
PARAM_TYPES = ("int", "enum", "enum_list", "parameter", "nis_list")


@dataclass(frozen=True)
class Param:
    """One parameter of a condition kind."""

    name: str
    type: str
    vocab: str | None = None
    required: bool = False
    default: Any = None
    label: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ConditionKind:
    """A kind of condition: its parameters, rules between them, and its readable sentence."""

    name: str
    label: Mapping[str, str]
    params: tuple[Param, ...]
    sentence: Callable[[Mapping[str, Any], str, Labeller], str]
    one_of: tuple[str, ...] = ()  # exactly one of these parameters must be given
    at_least_one_of: tuple[str, ...] = ()
    discretionary: bool = False

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class Labeller:
    """Turns codes into words for sentences; fed with the catalogue's vocabularies."""

    def __init__(
        self,
        values: Mapping[str, Mapping[str, Mapping[str, str]]],
        parameter_labels: Mapping[str, Mapping[str, str]] | None = None,
        municipality_names: Mapping[str, str] | None = None,
    ) -> None:
        self._values = values
        self._parameters = parameter_labels or {}
        self._municipalities = municipality_names or {}

    def code(self, vocab: str, code: str, lang: str) -> str:
        label = self._values.get(vocab, {}).get(code)
        if not label:
            return code
        return label.get(lang) or label.get("nl") or code

    def codes(self, vocab: str, codes: Sequence[str], lang: str) -> str:
        words = [self.code(vocab, c, lang) for c in codes]
        return join_words(words, OR[lang])

    def parameter(self, name: str, lang: str) -> str:
        label = self._parameters.get(name)
        if not label:
            return name
        return label.get(lang) or label.get("nl") or name

    def municipality(self, nis: str) -> str:
        return self._municipalities.get(nis, nis)


OR = {"nl": "of", "fr": "ou", "en": "or"}
AND = {"nl": "en", "fr": "et", "en": "and"}


def join_words(words: Sequence[str], conj: str) -> str:
    """Join words as in a sentence: "a, b or c"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def _who(params: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    word = lab.code("who", params.get("who") or "applicant", lang)
    return word[:1].upper() + word[1:]


def _age(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    who, lo, hi = _who(p, lang, lab), p.get("min"), p.get("max")
    if lo is not None and hi is not None:
        return {
            "nl": f"{who} is tussen {lo} en {hi} jaar oud.",
            "fr": f"{who} a entre {lo} et {hi} ans.",
            "en": f"{who} is between {lo} and {hi} years old.",
        }[lang]
    if lo is not None:
        return {
            "nl": f"{who} is minstens {lo} jaar oud.",
            "fr": f"{who} a au moins {lo} ans.",
            "en": f"{who} is at least {lo} years old.",
        }[lang]
    return {
        "nl": f"{who} is hoogstens {hi} jaar oud.",
        "fr": f"{who} a au plus {hi} ans.",
        "en": f"{who} is at most {hi} years old.",
    }[lang]


def _residence(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    if p.get("region"):
        place = lab.code("region", p["region"], lang)
    elif p.get("municipalities") == "own":
        place = {"nl": "de eigen gemeente", "fr": "la commune", "en": "the municipality"}[lang]
    else:
        names = [lab.municipality(n) for n in p.get("municipalities", ())]
        place = join_words(names, OR[lang])
    return {
        "nl": f"Je woont in {place}.",
        "fr": f"Vous habitez en/à {place}.",
        "en": f"You live in {place}.",
    }[lang]


def _legal_status(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    values = lab.codes("legal_status", p["values"], lang)
    return {
        "nl": f"Je bent {values}.",
        "fr": f"Vous êtes {values}.",
        "en": f"You are {values}.",
    }[lang]


def _status(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    who = _who(p, lang, lab)
    values = lab.codes("status", p["values"], lang)
    months = p.get("since_months_min")
    text = {
        "nl": f"{who} heeft: {values}",
        "fr": f"{who} bénéficie de : {values}",
        "en": f"{who} has: {values}",
    }[lang]
    if months:
        text += {
            "nl": f", al minstens {months} maanden",
            "fr": f", depuis au moins {months} mois",
            "en": f", for at least {months} months",
        }[lang]
    return text + "."


def _income_below(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    kind = lab.code("income_type", p.get("income_type") or "net", lang)
    unit = lab.code("unit", p.get("unit") or "household", lang)
    limit = lab.parameter(p["threshold"], lang)
    text = {
        "nl": f"Het {kind} {unit} is lager dan de grens: {limit}",
        "fr": f"Le {kind} {unit} est inférieur au plafond : {limit}",
        "en": f"The {kind} {unit} is below the limit: {limit}",
    }[lang]
    if p.get("per_member"):
        extra = lab.parameter(p["per_member"], lang)
        text += {
            "nl": f", plus {extra} per extra gezinslid",
            "fr": f", plus {extra} par membre du ménage supplémentaire",
            "en": f", plus {extra} per extra household member",
        }[lang]
    if p.get("per_dependant"):
        extra = lab.parameter(p["per_dependant"], lang)
        free = p.get("dependants_not_counted")
        text += (
            {
                "nl": f", plus {extra} per persoon ten laste",
                "fr": f", plus {extra} par personne à charge",
                "en": f", plus {extra} per dependant",
            }[lang]
            if not free
            else {
                "nl": f", plus {extra} per persoon ten laste vanaf de {free + 1}e",
                "fr": f", plus {extra} par personne à charge à partir de la {free + 1}e",
                "en": f", plus {extra} per dependant from number {free + 1}",
            }[lang]
        )
    return text + "."


def _assets_below(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    asset = lab.code("asset", p["asset"], lang)
    limit = lab.parameter(p["threshold"], lang)
    return {
        "nl": f"Je {asset} blijven onder de grens: {limit}.",
        "fr": f"Votre {asset} reste sous le plafond : {limit}.",
        "en": f"Your {asset} stay below the limit: {limit}.",
    }[lang]


def _disability(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    who = _who(p, lang, lab)
    scale = lab.code("scale", p["scale"], lang)
    return {
        "nl": f"{who} heeft een erkende handicap van minstens {p['min']} {scale}.",
        "fr": f"{who} a un handicap reconnu d'au moins {p['min']} {scale}.",
        "en": f"{who} has a recognised disability of at least {p['min']} {scale}.",
    }[lang]


def _household(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    parts = []
    if p.get("composition"):
        parts.append(lab.codes("composition", p["composition"], lang))
    lo, hi = p.get("children_min"), p.get("children_max")
    if lo is not None:
        parts.append(
            {
                "nl": f"minstens {lo} kind(eren) ten laste",
                "fr": f"au moins {lo} enfant(s) à charge",
                "en": f"at least {lo} dependent child(ren)",
            }[lang]
        )
    if hi is not None:
        parts.append(
            {
                "nl": f"hoogstens {hi} kind(eren) ten laste",
                "fr": f"au plus {hi} enfant(s) à charge",
                "en": f"at most {hi} dependent child(ren)",
            }[lang]
        )
    what = join_words(parts, AND[lang])
    return {
        "nl": f"Je gezin: {what}.",
        "fr": f"Votre ménage : {what}.",
        "en": f"Your household: {what}.",
    }[lang]


def _housing(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    text = {
        "nl": "Je woont als {t}",
        "fr": "Vous êtes {t}",
        "en": "You live as {t}",
    }[lang].format(t=lab.codes("tenure", p["tenure"], lang))
    if p.get("rent_max"):
        limit = lab.parameter(p["rent_max"], lang)
        text += {
            "nl": f" en je huur is niet hoger dan {limit}",
            "fr": f" et votre loyer ne dépasse pas {limit}",
            "en": f" and your rent is not above {limit}",
        }[lang]
    if p.get("rent_max_per_dependant"):
        step = lab.parameter(p["rent_max_per_dependant"], lang)
        cap = (
            lab.parameter(p["rent_max_increase_cap"], lang)
            if p.get("rent_max_increase_cap")
            else ""
        )
        text += {
            "nl": f", plus {step} procent per persoon ten laste",
            "fr": f", plus {step} pour cent par personne à charge",
            "en": f", plus {step} percent per dependant",
        }[lang]
        if cap:
            text += {
                "nl": f" (samen hoogstens {cap} procent)",
                "fr": f" (au total {cap} pour cent au plus)",
                "en": f" (at most {cap} percent in all)",
            }[lang]
    return text + "."


def _occupation(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    who = _who(p, lang, lab)
    values = lab.codes("occupation", p["values"], lang)
    return {"nl": f"{who} is {values}.", "fr": f"{who} est {values}.", "en": f"{who} is {values}."}[
        lang
    ]


def _education(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    who = _who(p, lang, lab)
    levels = lab.codes("education_level", p["levels"], lang)
    return {
        "nl": f"{who} is ingeschreven in het {levels}.",
        "fr": f"{who} est inscrit dans l'{levels}.",
        "en": f"{who} is enrolled in {levels}.",
    }[lang]


def _social_investigation(p: Mapping[str, Any], lang: str, lab: Labeller) -> str:
    by = lab.code("investigator", p.get("by") or "ocmw", lang)
    return {
        "nl": f"Na een sociaal onderzoek beslist {by} of je het krijgt.",
        "fr": f"Après une enquête sociale, {by} décide si vous l'obtenez.",
        "en": f"After a social inquiry, {by} decides whether you get it.",
    }[lang]


WHO = Param("who", "enum", vocab="who", default="applicant")

KINDS: dict[str, ConditionKind] = {
    kind.name: kind
    for kind in (
        ConditionKind(
            "age",
            {"nl": "Leeftijd", "fr": "Âge", "en": "Age"},
            (Param("min", "int"), Param("max", "int"), WHO),
            _age,
            at_least_one_of=("min", "max"),
        ),
        ConditionKind(
            "residence",
            {"nl": "Woonplaats", "fr": "Résidence", "en": "Residence"},
            (Param("region", "enum", vocab="region"), Param("municipalities", "nis_list")),
            _residence,
            one_of=("region", "municipalities"),
        ),
        ConditionKind(
            "legal_status",
            {
                "nl": "Nationaliteit of verblijf",
                "fr": "Nationalité ou séjour",
                "en": "Nationality or residence status",
            },
            (Param("values", "enum_list", vocab="legal_status", required=True),),
            _legal_status,
        ),
        ConditionKind(
            "status",
            {"nl": "Uitkering of statuut", "fr": "Allocation ou statut", "en": "Benefit or status"},
            (
                Param("values", "enum_list", vocab="status", required=True),
                WHO,
                Param("since_months_min", "int"),
            ),
            _status,
        ),
        ConditionKind(
            "income_below",
            {
                "nl": "Inkomen onder een grens",
                "fr": "Revenus sous un plafond",
                "en": "Income below a limit",
            },
            (
                Param("threshold", "parameter", required=True),
                Param("per_member", "parameter"),
                Param("per_dependant", "parameter"),
                Param("dependants_not_counted", "int"),
                Param("period", "enum", vocab="period", default="year"),
                Param("income_type", "enum", vocab="income_type", default="net"),
                Param("unit", "enum", vocab="unit", default="household"),
            ),
            _income_below,
        ),
        ConditionKind(
            "assets_below",
            {
                "nl": "Vermogen onder een grens",
                "fr": "Patrimoine sous un plafond",
                "en": "Assets below a limit",
            },
            (
                Param("asset", "enum", vocab="asset", required=True),
                Param("threshold", "parameter", required=True),
            ),
            _assets_below,
        ),
        ConditionKind(
            "disability",
            {"nl": "Handicap", "fr": "Handicap", "en": "Disability"},
            (
                Param("scale", "enum", vocab="scale", required=True),
                Param("min", "int", required=True),
                WHO,
            ),
            _disability,
        ),
        ConditionKind(
            "household",
            {"nl": "Gezin", "fr": "Ménage", "en": "Household"},
            (
                Param("composition", "enum_list", vocab="composition"),
                Param("children_min", "int"),
                Param("children_max", "int"),
            ),
            _household,
            at_least_one_of=("composition", "children_min", "children_max"),
        ),
        ConditionKind(
            "housing",
            {"nl": "Woonsituatie", "fr": "Logement", "en": "Housing"},
            (
                Param("tenure", "enum_list", vocab="tenure", required=True),
                Param("rent_max", "parameter"),
                Param("rent_max_per_dependant", "parameter"),
                Param("rent_max_increase_cap", "parameter"),
            ),
            _housing,
        ),
        ConditionKind(
            "occupation",
            {"nl": "Werk of studie", "fr": "Travail ou études", "en": "Work or study"},
            (Param("values", "enum_list", vocab="occupation", required=True), WHO),
            _occupation,
        ),
        ConditionKind(
            "education",
            {"nl": "Onderwijs", "fr": "Enseignement", "en": "Education"},
            (Param("levels", "enum_list", vocab="education_level", required=True), WHO),
            _education,
        ),
        ConditionKind(
            "social_investigation",
            {"nl": "Sociaal onderzoek", "fr": "Enquête sociale", "en": "Social inquiry"},
            (Param("by", "enum", vocab="investigator", default="ocmw"),),
            _social_investigation,
            discretionary=True,
        ),
    )
}


@dataclass(frozen=True)
class CriteriaContext:
    """What a criteria tree may refer to, for validation."""

    vocab: Mapping[str, Any]  # vocabulary name -> collection of codes
    parameters: Any  # collection of parameter names
    municipalities: Any  # collection of active NIS codes
    requirement_count: int
    allow_own: bool = False  # model entries may say `municipalities: own`


def validate_criteria(node: Any, path: str, ctx: CriteriaContext) -> list[tuple[str, str]]:
    """Check a criteria tree; return (key path, message) pairs, empty when valid."""
    if isinstance(node, list):
        issues: list[tuple[str, str]] = []
        for i, child in enumerate(node):
            issues += validate_criteria(child, f"{path}[{i}]", ctx)
        return issues
    if not isinstance(node, dict):
        return [(path, "must be a mapping with `kind`, or one of all/any/not")]
    issues = _check_node_keys(node, path, ctx)
    combinators = [k for k in COMBINATORS if k in node]
    if combinators:
        if "kind" in node or len(combinators) > 1:
            return [(path, "a node is either one combinator (all/any/not) or a `kind`")]
        op = combinators[0]
        extra = set(node) - {op, *NODE_KEYS, *(("who",) if op in ("all", "any") else ())}
        issues += [(f"{path}.{k}", "unknown key") for k in sorted(extra)]
        if "who" in node and node["who"] not in ctx.vocab.get("who", ()):
            issues.append((f"{path}.who", f"unknown who {node['who']!r}"))
        children = node[op]
        if op == "not":
            if not isinstance(children, dict):
                return [*issues, (f"{path}.not", "must be one condition")]
            return issues + validate_criteria(children, f"{path}.not", ctx)
        if not isinstance(children, list) or len(children) < 2:
            return [*issues, (f"{path}.{op}", "must be a list of at least two conditions")]
        return issues + validate_criteria(children, f"{path}.{op}", ctx)
    kind_name = node.get("kind")
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        return [*issues, (f"{path}.kind", f"unknown condition kind {kind_name!r}")]
    return issues + _check_params(kind, node, path, ctx)


def _check_node_keys(node: Mapping[str, Any], path: str, ctx: CriteriaContext) -> list:
    issues = []
    ref = node.get("requirement")
    if ref is not None and (
        not isinstance(ref, int) or isinstance(ref, bool) or not 1 <= ref <= ctx.requirement_count
    ):
        issues.append(
            (f"{path}.requirement", f"must be a requirement number 1..{ctx.requirement_count}")
        )
    if "note" in node and not isinstance(node["note"], str):
        issues.append((f"{path}.note", "must be text"))
    return issues


def _check_params(
    kind: ConditionKind, node: Mapping[str, Any], path: str, ctx: CriteriaContext
) -> list[tuple[str, str]]:
    issues: list[tuple[str, str]] = []
    allowed = {"kind", *NODE_KEYS, *(p.name for p in kind.params)}
    issues += [
        (f"{path}.{k}", f"unknown parameter for {kind.name}") for k in node if k not in allowed
    ]
    for param in kind.params:
        key = f"{path}.{param.name}"
        if param.name not in node:
            if param.required:
                issues.append((key, "required"))
            continue
        issues += _check_value(param, node[param.name], key, ctx)
    given = [n for n in kind.one_of if n in node]
    if kind.one_of and len(given) != 1:
        issues.append((path, f"give exactly one of {', '.join(kind.one_of)}"))
    if kind.at_least_one_of and not any(n in node for n in kind.at_least_one_of):
        issues.append((path, f"give at least one of {', '.join(kind.at_least_one_of)}"))
    if (
        kind.name == "age"
        and isinstance(node.get("min"), int)
        and isinstance(node.get("max"), int)
        and node["min"] > node["max"]
    ):
        issues.append((f"{path}.min", "min is larger than max"))
    return issues


def _check_value(param: Param, value: Any, key: str, ctx: CriteriaContext) -> list:
    if param.type == "int":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return [(key, "must be a whole number, 0 or more")]
    elif param.type == "enum":
        if value not in ctx.vocab.get(param.vocab, ()):
            return [(key, f"unknown value {value!r} (see vocabulary {param.vocab})")]
    elif param.type == "enum_list":
        if not isinstance(value, list) or not value:
            return [(key, "must be a non-empty list")]
        known = ctx.vocab.get(param.vocab, ())
        return [
            (f"{key}[{i}]", f"unknown value {v!r} (see vocabulary {param.vocab})")
            for i, v in enumerate(value)
            if v not in known
        ]
    elif param.type == "parameter":
        if value not in ctx.parameters:
            return [(key, f"unknown parameter {value!r} (no file in catalog/parameters/)")]
    elif param.type == "nis_list":
        if value == "own" and ctx.allow_own:
            return []
        if not isinstance(value, list) or not value:
            return [(key, "must be a non-empty list of NIS codes")]
        return [
            (f"{key}[{i}]", f"unknown or ended municipality NIS code {v!r}")
            for i, v in enumerate(value)
            if v not in ctx.municipalities
        ]
    return []


def _group_for(node: Mapping[str, Any], op: str, lang: str, lab: Labeller) -> str:
    """The heading of a group that one and the same person must meet."""
    who = _who(node, lang, lab)
    if op == "all":
        return {
            "nl": f"{who} voldoet aan al deze voorwaarden:",
            "fr": f"{who} remplit toutes ces conditions :",
            "en": f"{who} meets all of these:",
        }[lang]
    return {
        "nl": f"{who} voldoet aan minstens één van deze voorwaarden:",
        "fr": f"{who} remplit au moins une de ces conditions :",
        "en": f"{who} meets at least one of these:",
    }[lang]


def describe(node: Any, lang: str, labeller: Labeller) -> list[dict[str, Any]]:
    """Turn a criteria tree into readable sentences, keeping its structure."""
    if isinstance(node, list):
        return [item for child in node for item in describe(child, lang, labeller)]
    for op in COMBINATORS:
        if op in node:
            children = node[op] if op != "not" else [node[op]]
            return [
                {
                    "op": op,
                    "text": {
                        "all": {
                            "nl": "Al deze voorwaarden:",
                            "fr": "Toutes ces conditions :",
                            "en": "All of these:",
                        },
                        "any": {
                            "nl": "Minstens één van deze voorwaarden:",
                            "fr": "Au moins une de ces conditions :",
                            "en": "At least one of these:",
                        },
                        "not": {
                            "nl": "Dit geldt niet:",
                            "fr": "Ceci ne s'applique pas :",
                            "en": "This does not apply:",
                        },
                    }[op][lang]
                    if node.get("who", "applicant") == "applicant"
                    else _group_for(node, op, lang, labeller),
                    "children": [i for c in children for i in describe(c, lang, labeller)],
                }
            ]
    kind = KINDS[node["kind"]]
    params = {p.name: node.get(p.name, p.default) for p in kind.params}
    return [
        {
            "kind": kind.name,
            "text": kind.sentence(params, lang, labeller),
            "discretionary": kind.discretionary,
        }
    ]


def kind_schema(kind: ConditionKind) -> dict[str, Any]:
    """Describe a kind's parameters as plain data (for the API and the editor forms)."""
    return {
        "kind": kind.name,
        "label": dict(kind.label),
        "discretionary": kind.discretionary,
        "one_of": list(kind.one_of),
        "at_least_one_of": list(kind.at_least_one_of),
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "vocabulary": p.vocab,
                "required": p.required,
                "default": p.default,
            }
            for p in kind.params
        ],
    }
