"""Automatic leefloon advice: gates, category, counted resources, amount (spec: leefloon.md).

Advice for a dossier worker, never a decision: the OCMW's judgement calls (willingness to work,
equity, the share of parents' resources) are inputs. Every amount is a dated parameter read for
the reference date; a LOW-confidence amount raises the flag `parameter_to_verify`. Money is
Decimal, each resource component rounded half-up to the cent.

Pure Python over plain data: the caller passes the checked profile, the parameters and the
income-kind rules (catalog/vocabularies/leefloon_income_kinds.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .leefloon_texts import WHY_MINOR, WHY_WORK, T
from .parameters import Parameter
from .profile import age_on

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PRIMABOOK = "https://primabook.mi-is.be/nl/recht-op-maatschappelijke-integratie/de-voorwaarden"
CATEGORIES_URL = (
    "https://primabook.mi-is.be/nl/recht-op-maatschappelijke-integratie/"
    "de-categorieen-van-rechthebbenden-en-het-bedrag-van-het"
)
RESOURCES_URL = (
    "https://primabook.mi-is.be/nl/recht-op-maatschappelijke-integratie/"
    "berekening-van-de-bestaansmiddelen"
)
ELIGIBLE_NATIONALITY = (
    "belgian",
    "population_register",
    "recognised_refugee",
    "subsidiary_protection",
    "stateless",
)
EU = ("eu_citizen", "eu_family_member")
CATEGORY_OF = {
    "alone": 2,
    "homeless": 2,
    "homeless_temporarily_hosted": 2,
    "couple_no_children": 1,
    "cohabiting_shared_household": 1,
    "with_parents": 1,
    "with_dependent_children": 3,
    "couple_with_children": 3,
}
LIVES_ALONE = ("alone", "homeless")
RIGHT_FACTOR = {
    "full_ownership": "1",
    "usufruct": "vruchtgebruik",
    "bare_ownership": "naakte_eigendom",
}


def income_rules(terms: Mapping[str, Mapping[str, Any]]) -> dict[str, IncomeRule]:
    """Income-kind rules from the catalogue vocabulary (as read from files or from the database)."""
    rules = {}
    for code, term in terms.items():
        data = term.get("extra", term)
        since = data.get("exempt_from")
        rules[code] = IncomeRule(
            treatment=data["treatment"],
            legal_basis=data["legal_basis"],
            source_url=data.get("source_url"),
            confidence=data.get("confidence", "high"),
            exempt_from=date.fromisoformat(since) if isinstance(since, str) else since,
        )
    return rules


def money(value: Decimal) -> Decimal:
    """Half-up to the cent, the way amounts are paid."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IncomeRule:
    """How the leefloon treats one kind of income (counted or exempt) and why."""

    treatment: str  # counted | exempt
    legal_basis: str
    source_url: str | None = None
    confidence: str = "high"
    exempt_from: date | None = None

    def exempt_on(self, on: date) -> bool:
        if self.treatment != "exempt":
            return False
        return self.exempt_from is None or on >= self.exempt_from


@dataclass
class AdviceStep:
    """One step of the explanation: a rule, its result, the law and a plain sentence."""

    rule: str
    result: bool | None
    text: str
    legal_basis: str
    source_url: str | None = None
    confidence: str = "high"
    facts: dict[str, Any] = field(default_factory=dict)
    amount: Decimal | None = None  # the yearly euro figure this step adds or fixes, if any

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "result": self.result,
            "text": self.text,
            "legal_basis": self.legal_basis,
            "source_url": self.source_url,
            "confidence": self.confidence,
            "facts": {k: _plain(v) for k, v in self.facts.items()},
            "amount_yearly": _plain(self.amount) if self.amount is not None else None,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass
class Advice:
    """The answer (client-profile spec, "Leefloon advice")."""

    outcome: str
    category: int | None = None
    category_amount_yearly: Decimal | None = None
    counted_resources_yearly: Decimal | None = None
    general_exemption_yearly: Decimal | None = None
    yearly_amount: Decimal | None = None
    monthly_amount: Decimal | None = None
    amounts_valid_from: date | None = None
    explanation: list[AdviceStep] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    calculation: list[tuple[str, Decimal]] = field(default_factory=list)
    range: dict[str, dict[str, Any]] | None = None  # by ascendant share, when it was not chosen

    @property
    def eligible(self) -> bool | None:
        return {"eligible": True, "not_eligible": False}.get(self.outcome)

    def as_dict(self) -> dict[str, Any]:
        def m(value: Decimal | None) -> str | None:
            return f"{value:.2f}" if value is not None else None

        return {
            "outcome": self.outcome,
            "eligible": self.eligible,
            "category": self.category,
            "category_amount_yearly": m(self.category_amount_yearly),
            "counted_resources_yearly": m(self.counted_resources_yearly),
            "general_exemption_yearly": m(self.general_exemption_yearly),
            "yearly_amount": m(self.yearly_amount),
            "monthly_amount": m(self.monthly_amount),
            "amounts_valid_from": self.amounts_valid_from.isoformat()
            if self.amounts_valid_from
            else None,
            "explanation": [s.as_dict() for s in self.explanation],
            "missing_facts": self.missing_facts,
            "flags": self.flags,
            "calculation": [{"line": k, "amount_yearly": m(v)} for k, v in self.calculation],
            "range": self.range,
        }


def _fmt(amount: Decimal, lang: str) -> str:
    text = f"{amount:,.2f}"
    if lang == "en":
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", "." if lang == "nl" else "\u202f")


# -- the engine -------------------------------------------------------------------------------


@dataclass
class _Run:
    """State of one advice while it is worked out."""

    profile: Mapping[str, Any]
    on: date
    parameters: Mapping[str, Parameter]
    income_rules: Mapping[str, IncomeRule]
    income_labels: Mapping[str, Mapping[str, str]]
    lang: str
    advice: Advice
    missing: list[str] = field(default_factory=list)
    low: bool = False
    explain: bool = True  # False: the same advice without the explanation steps (batches)

    def param(self, name: str) -> Decimal:
        value = self.parameters[name].at(self.on)
        if value.confidence == "low":
            self.low = True
        return value.value

    def valid_from(self, name: str) -> date:
        return self.parameters[name].at(self.on).valid_from

    def say(self, key: str, **values: Any) -> str:
        text = T[key][self.lang]
        shown = {k: _fmt(v, self.lang) if isinstance(v, Decimal) else v for k, v in values.items()}
        return text.format(**shown)

    def step(
        self, rule: str, result: bool | None, key: str, basis: str, **kw: Any
    ) -> AdviceStep | None:
        if not self.explain:
            return None
        facts = kw.pop("facts", {})
        amount = kw.pop("amount_yearly", None)
        url = kw.pop("url", PRIMABOOK)
        confidence = kw.pop("confidence", "high")
        step = AdviceStep(rule, result, self.say(key, **kw), basis, url, confidence, facts, amount)
        self.advice.explanation.append(step)
        return step

    def kind_label(self, kind: str) -> str:
        label = self.income_labels.get(kind, {})
        text = label.get(self.lang) or label.get("nl") or kind
        return text[:1].upper() + text[1:]


def advise(
    profile: Mapping[str, Any],
    *,
    on: date,
    parameters: Mapping[str, Parameter],
    income_rules: Mapping[str, IncomeRule],
    income_labels: Mapping[str, Mapping[str, str]] | None = None,
    choices: Mapping[str, Any] | None = None,
    lang: str = "nl",
    explain: bool = True,
) -> Advice:
    """Work out the leefloon advice for one checked profile on one reference date.

    `explain=False` leaves out the explanation steps (and their texts): the outcome, category,
    amounts, missing facts and flags are the same, at a fraction of the cost (batch screening).

    Raises:
        ParameterDateError: `on` is before the first known amount (2022-01-01).
    """
    run = _Run(
        profile,
        on,
        parameters,
        income_rules,
        income_labels or {},
        lang,
        Advice("eligible"),
        explain=explain,
    )
    choices = choices or {}
    gates = [
        _residence(run),
        _age(run),
        _nationality(run),
        _willing_to_work(run),
        _other_benefits(run),
    ]
    _flags(run)
    advice = run.advice
    if any(g is False for g in gates):
        advice.outcome = "not_eligible"
        advice.missing_facts = []
        _finish_flags(run)
        return advice
    category, manual = _category(run)
    if category is None and not manual:
        _collect_resource_facts(run, choices)
        return _incomplete(run)
    if manual:
        _indicative_shared_custody(run, choices)
        return advice
    assert category is not None
    amount_name = f"leefloon.bedrag_jaar.categorie_{category}"
    amount = run.param(amount_name)
    advice.category = category
    advice.category_amount_yearly = amount
    advice.amounts_valid_from = run.valid_from(amount_name)
    run.step(
        "leefloon.category",
        True,
        f"category.{category}",
        "Wet 26 mei 2002, art. 14 §1",
        url=CATEGORIES_URL,
        facts={"living_situation": profile.get("living_situation")},
    )
    run.step(
        "leefloon.amount",
        True,
        "amount",
        "Wet 26 mei 2002, art. 14 §1; KB 11 juli 2002",
        category=category,
        amount=amount,
        date=advice.amounts_valid_from.isoformat(),
        url=CATEGORIES_URL,
        confidence=parameters[amount_name].at(on).confidence,
        amount_yearly=amount,
    )
    resources = _resources(run, category, choices)
    if resources is None:  # the share of parents' resources decides: give both ends
        return _range(run, category, choices)
    return _conclude(run, category, amount, resources, gates)


def _conclude(
    run: _Run,
    category: int,
    amount: Decimal,
    resources: tuple[Decimal, bool],
    gates: Sequence[bool | None],
) -> Advice:
    advice = run.advice
    total, complete = resources
    advice.calculation.insert(0, ("category_amount", amount))
    if total >= amount:
        run.step(
            "leefloon.resources_test",
            False,
            "test.above",
            "Wet 26 mei 2002, art. 3, 4° en art. 16",
            resources=total,
            amount=amount,
            url=RESOURCES_URL,
        )
        advice.counted_resources_yearly = total if complete else None
        advice.outcome = "not_eligible"
        advice.yearly_amount = advice.monthly_amount = ZERO
        advice.missing_facts = []
        _finish_flags(run)
        return advice
    if not complete or any(g is None for g in gates):
        return _incomplete(run)
    run.step(
        "leefloon.resources_test",
        True,
        "test.below",
        "Wet 26 mei 2002, art. 3, 4° en art. 16",
        resources=total,
        amount=amount,
        url=RESOURCES_URL,
    )
    exemption = run.param(f"leefloon.vrijstelling_algemeen.categorie_{category}")
    run.step(
        "leefloon.general_exemption",
        True,
        "exemption",
        "KB 11 juli 2002, art. 22 §2",
        amount=exemption,
        url="https://bdas-wwsb.brussels/?p=3321",
        amount_yearly=exemption,
    )
    counted = max(ZERO, total - exemption)
    yearly = money(amount - counted)
    monthly = money(yearly / 12)
    advice.counted_resources_yearly = total
    advice.general_exemption_yearly = exemption
    advice.yearly_amount = yearly
    advice.monthly_amount = monthly
    advice.calculation += [
        ("counted_resources", total),
        ("general_exemption", exemption),
        ("yearly_amount", yearly),
    ]
    run.step(
        "leefloon.result",
        True,
        "result",
        "Wet 26 mei 2002, art. 14 §1; KB 11 juli 2002, art. 22 §2",
        yearly=yearly,
        monthly=monthly,
        url=RESOURCES_URL,
        amount_yearly=yearly,
    )
    advice.outcome = "eligible"
    _finish_flags(run)
    return advice


def _collect_resource_facts(run: _Run, choices: Mapping[str, Any]) -> None:
    """Without a category nothing can be counted, but the resource facts are still needed."""
    scratch = _Run(
        run.profile,
        run.on,
        run.parameters,
        run.income_rules,
        run.income_labels,
        run.lang,
        Advice("insufficient_data"),
        explain=run.explain,
    )
    _resources(scratch, 2, choices)
    run.missing += [fact for fact in scratch.missing if fact != "ocmw_choices.ascendant_share"]


def _incomplete(run: _Run) -> Advice:
    advice = run.advice
    advice.outcome = "insufficient_data"
    advice.missing_facts = list(dict.fromkeys(run.missing))
    if advice.category_amount_yearly is None:
        advice.yearly_amount = advice.monthly_amount = None
    _finish_flags(run)
    return advice


def _flags(run: _Run) -> None:
    profile, flags = run.profile, run.advice.flags
    age = age_on(profile, run.on)
    if (age is not None and age < 25) or profile.get("student") is True:
        flags.append("gpmi_required")
    if profile.get("living_situation") == "homeless_temporarily_hosted":
        flags.append("gpmi_required_homeless_hosted")
    if profile.get("other_benefits_claimed") is False:
        flags.append("claim_other_benefits_first")
    if profile.get("nationality_status") == "foreigners_register_only":
        flags.append("equivalent_leefloon_possible")
    if Decimal(profile.get("maintenance_paid_for_child_monthly", 0) or 0) > 0:
        flags.append("maintenance_specific_aid_possible")


def _finish_flags(run: _Run) -> None:
    if run.low and "parameter_to_verify" not in run.advice.flags:
        run.advice.flags.append("parameter_to_verify")


# -- gates (law art. 3) -----------------------------------------------------------------------


def _residence(run: _Run) -> bool | None:
    value = run.profile.get("actual_residence_belgium")
    if value is None:
        run.missing.append("actual_residence_belgium")
        run.step("leefloon.residence", None, "residence.unknown", "Wet 26 mei 2002, art. 3, 1°")
        return None
    run.step(
        "leefloon.residence",
        value,
        "residence.yes" if value else "residence.no",
        "Wet 26 mei 2002, art. 3, 1°",
        facts={"actual_residence_belgium": value},
    )
    return bool(value)


def _age(run: _Run) -> bool | None:
    basis = "Wet 26 mei 2002, art. 3, 2° en art. 7"
    age = age_on(run.profile, run.on)
    if age is None:
        run.missing.append("age")
        run.step("leefloon.age", None, "age.unknown", basis)
        return None
    if age >= 18:
        run.step("leefloon.age", True, "age.adult", basis, age=age, facts={"age": age})
        return True
    reasons = [k for k in ("married", "has_child_in_charge", "pregnant") if run.profile.get(k)]
    if reasons:
        why = WHY_MINOR[reasons[0]][run.lang]
        run.step(
            "leefloon.age",
            True,
            "age.minor_ok",
            basis,
            age=age,
            why=why,
            facts={"age": age, reasons[0]: True},
        )
        return True
    unknown = [k for k in ("married", "has_child_in_charge", "pregnant") if k not in run.profile]
    if unknown:
        run.missing += unknown
        run.step("leefloon.age", None, "age.minor_no", basis, age=age, facts={"age": age})
        return None
    run.step("leefloon.age", False, "age.minor_no", basis, age=age, facts={"age": age})
    return False


def _nationality(run: _Run) -> bool | None:
    basis = "Wet 26 mei 2002, art. 3, 3°"
    url = (
        "https://www.vreemdelingenrecht.be/sociale-rechten/ocmw-steun/maatschappelijke-integratie/"
        "aan-welke-voorwaarden-moet-je-voldoen-voor"
    )
    status = run.profile.get("nationality_status")
    if status is None:
        run.missing.append("nationality_status")
        run.step("leefloon.nationality", None, "nationality.unknown", basis, url=url)
        return None
    facts: dict[str, Any] = {"nationality_status": status}
    if status in ELIGIBLE_NATIONALITY:
        run.step("leefloon.nationality", True, "nationality.yes", basis, url=url, facts=facts)
        return True
    if status in EU:
        right = run.profile.get("right_of_residence_more_than_3_months")
        if right is None:
            run.missing.append("right_of_residence_more_than_3_months")
            run.step(
                "leefloon.nationality", None, "nationality.eu_short", basis, url=url, facts=facts
            )
            return None
        facts["right_of_residence_more_than_3_months"] = right
        run.step(
            "leefloon.nationality",
            bool(right),
            "nationality.yes" if right else "nationality.eu_short",
            basis,
            url=url,
            facts=facts,
        )
        return bool(right)
    key = (
        "nationality.foreigners_register"
        if status == "foreigners_register_only"
        else "nationality.no"
    )
    run.step("leefloon.nationality", False, key, basis, url=url, facts=facts)
    return False


def _willing_to_work(run: _Run) -> bool | None:
    basis = "Wet 26 mei 2002, art. 3, 5°"
    willing = run.profile.get("willing_to_work")
    if willing is True:
        run.step(
            "leefloon.willingness_to_work", True, "work.yes", basis, facts={"willing_to_work": True}
        )
        return True
    if willing is None:
        run.missing.append("willing_to_work")
        run.step("leefloon.willingness_to_work", None, "work.unknown", basis)
        return None
    reason = run.profile.get("work_exemption_reason")
    facts = {"willing_to_work": False, "work_exemption_reason": reason}
    if reason is None:
        run.missing.append("work_exemption_reason")
        run.step("leefloon.willingness_to_work", None, "work.unknown", basis, facts=facts)
        return None
    if reason == "none":
        run.step("leefloon.willingness_to_work", False, "work.no", basis, facts=facts)
        return False
    run.step(
        "leefloon.willingness_to_work",
        True,
        "work.exempt",
        basis,
        why=WHY_WORK[reason][run.lang],
        facts=facts,
        confidence="medium",
    )
    return True


def _other_benefits(run: _Run) -> bool | None:
    basis = "Wet 26 mei 2002, art. 3, 6° en art. 4"
    claimed = run.profile.get("other_benefits_claimed")
    if claimed is None:
        run.missing.append("other_benefits_claimed")
        run.step("leefloon.other_benefits", None, "benefits.unknown", basis)
        return None
    run.step(
        "leefloon.other_benefits",
        bool(claimed),
        "benefits.yes" if claimed else "benefits.no",
        basis,
        facts={"other_benefits_claimed": claimed},
    )
    return bool(claimed)


# -- category (law art. 14) -------------------------------------------------------------------


def _minor_children(run: _Run) -> list[Mapping[str, Any]] | None:
    members = run.profile.get("household")
    if members is None:
        return None
    found = []
    for member in members:
        if member.get("relation") != "child":
            continue
        age = age_on(member, run.on)
        if (
            age is not None
            and age < 18
            and member.get("dependent") is not False
            and member.get("unmarried") is not False
        ):
            found.append(member)
    return found


def _category(run: _Run) -> tuple[int | None, bool]:
    """The category, and whether the law leaves it to the OCMW (shared custody)."""
    situation = run.profile.get("living_situation")
    if situation is None:
        run.missing.append("living_situation")
        run.step(
            "leefloon.category",
            None,
            "category.unknown",
            "Wet 26 mei 2002, art. 14 §1",
            url=CATEGORIES_URL,
        )
        return None, False
    if situation == "shared_custody_equal":
        run.advice.flags.append("manual_review_shared_custody")
        return None, True
    category = CATEGORY_OF[situation]
    if category == 3:
        children = _minor_children(run)
        if children is not None and not children:
            category = 1 if situation == "couple_with_children" else 2
    if situation not in LIVES_ALONE and "household" not in run.profile:
        run.missing.append("household")
    return category, False


def _indicative_shared_custody(run: _Run, choices: Mapping[str, Any]) -> None:
    """Cassation: the average of categories 2 and 3; shown as a guide, the OCMW decides."""
    advice = run.advice
    two = run.param("leefloon.bedrag_jaar.categorie_2")
    three = run.param("leefloon.bedrag_jaar.categorie_3")
    average = money((two + three) / 2)
    advice.outcome = "manual_review"
    advice.category_amount_yearly = average
    advice.amounts_valid_from = run.valid_from("leefloon.bedrag_jaar.categorie_2")
    run.step(
        "leefloon.category",
        None,
        "category.shared_custody",
        "Wet 26 mei 2002, art. 14 §1; Cass.",
        url="https://www.avocat-fricke.be/impact-de-l---hebergement-alterne-d---un-enfant-sur-le-revenu-d---integration-_ad21.html",
        confidence="low",
        amount_yearly=average,
    )
    advice.calculation.append(("indicative_category_amount", average))
    advice.missing_facts = list(dict.fromkeys(run.missing))
    _finish_flags(run)


# -- resources (law art. 16, KB art. 22-35) ---------------------------------------------------


def _resources(run: _Run, category: int, choices: Mapping[str, Any]) -> tuple[Decimal, bool] | None:
    """Counted yearly resources and whether every part is known.

    None when parents' or adult children's resources count and the OCMW has not chosen its
    share: the caller then shows both ends.
    """
    profile = run.profile
    parts: list[tuple[str, Decimal | None]] = []
    parts.append(("own_income", _own_income(run)))
    members = profile.get("household")
    cohabitants = _cohabitants(run, category, members, choices)
    if cohabitants == "choose":
        return None
    parts.append(("cohabitants", cohabitants))  # type: ignore[arg-type]
    transfers = _transfers(run, category, choices)
    parts.append(("capital", _capital(run, transfers)))
    parts.append(("property", _property(run, members)))
    parts.append(("advantages_in_kind", _in_kind(run)))
    known = [(name, value) for name, value in parts if value is not None]
    for name, value in known:
        run.advice.calculation.append((name, value))
    total = sum((value for _, value in known), ZERO)
    return total, len(known) == len(parts)


def _line_yearly(
    run: _Run, line: Mapping[str, Any], path: str, *, spi_allowed: bool, has_grant: bool
) -> Decimal | None:
    """One income line per year after exemptions and SPI; None when its amount is unknown."""
    kind = line.get("kind", "other")
    rule = run.income_rules.get(kind)
    label = run.kind_label(kind)
    if rule is not None and rule.exempt_on(run.on):
        run.step(
            "leefloon.exempt_income",
            True,
            "exempt_line",
            rule.legal_basis,
            kind=label,
            url=rule.source_url,
            confidence=rule.confidence,
            facts={f"{path}.kind": kind},
        )
        return ZERO
    if line.get("actually_received") is False:
        run.step(
            "leefloon.not_received",
            True,
            "not_received",
            "Wet 26 mei 2002, art. 16",
            kind=label.lower(),
            url=RESOURCES_URL,
            facts={f"{path}.actually_received": False},
        )
        return ZERO
    if "monthly_net" in line:
        monthly = Decimal(line["monthly_net"])
    elif "yearly_net" in line:
        monthly = Decimal(line["yearly_net"]) / 12
    elif "daily_net" in line:
        monthly = Decimal(line["daily_net"]) * run.param("leefloon.dagen_per_maand")
    else:
        run.missing.append(f"{path}.monthly_net")
        return None
    spi = line.get("spi")
    own = path.startswith("own_income")
    if own and kind == "student_job" and run.profile.get("student") is True and spi is None:
        spi = "student_job"
    if spi and spi_allowed:
        exempt = _spi_monthly(run, line, spi, path, has_grant)
        if spi == "artistic" and exempt is not None:
            yearly = monthly * 12
            run.step(
                "leefloon.spi",
                True,
                "spi.artistic",
                "KB 11 juli 2002, art. 35",
                amount=exempt,
                url="https://bdas-wwsb.brussels/?p=3363",
            )
            return money(max(ZERO, yearly - exempt))
        if exempt is not None:
            run.step(
                "leefloon.spi",
                True,
                "spi",
                "KB 11 juli 2002, art. 35",
                amount=exempt,
                kind=label.lower(),
                url="https://bdas-wwsb.brussels/?p=3363",
            )
            monthly = max(ZERO, monthly - exempt)
    return money(monthly * 12)


def _spi_monthly(
    run: _Run, line: Mapping[str, Any], spi: str, path: str, has_grant: bool
) -> Decimal | None:
    """The socio-professional exemption for one line (per month; per year for artistic)."""
    if spi == "student_job":
        name = "leefloon.spi.student_met_studietoelage" if has_grant else "leefloon.spi.student"
        return run.param(name)
    if spi == "artistic":
        return run.param("leefloon.spi.artistiek")
    started = line.get("started_while_on_leefloon")
    if started is None:
        run.missing.append(f"{path}.started_while_on_leefloon")
        return None
    if not started:
        return None  # the exemption is for people who start working while on leefloon
    if spi == "shortage_occupation" and (
        line.get("contract_months", 0) >= 3
        and line.get("regional_attestation") is True
        and run.on >= run.parameters["leefloon.spi.knelpuntberoep"].values[0].valid_from
    ):
        return run.param("leefloon.spi.knelpuntberoep")
    return run.param("leefloon.spi.algemeen")


def _person_yearly(
    run: _Run, lines: Sequence[Mapping[str, Any]], path: str, *, spi_allowed: bool
) -> Decimal | None:
    has_grant = any(line.get("kind") == "study_grant" for line in lines)
    total, known = ZERO, True
    for i, line in enumerate(lines):
        value = _line_yearly(run, line, f"{path}.{i}", spi_allowed=spi_allowed, has_grant=has_grant)
        if value is None:
            known = False
        else:
            total += value
    return total if known else None


def _own_income(run: _Run) -> Decimal | None:
    lines = run.profile.get("own_income")
    if lines is None:
        run.missing.append("own_income")
        run.step(
            "leefloon.own_income",
            None,
            "own_income.unknown",
            "Wet 26 mei 2002, art. 16",
            url=RESOURCES_URL,
        )
        return None
    total = _person_yearly(run, lines, "own_income", spi_allowed=True)
    if total is not None:
        run.step(
            "leefloon.own_income",
            True,
            "own_income",
            "Wet 26 mei 2002, art. 16; KB 11 juli 2002, art. 22",
            amount=total,
            url=RESOURCES_URL,
            amount_yearly=total,
        )
    return total


def _cohabitants(
    run: _Run,
    category: int,
    members: Sequence[Mapping[str, Any]] | None,
    choices: Mapping[str, Any],
) -> Decimal | None | str:
    """Counted part of housemates' resources (KB art. 34); "choose" when the OCMW must pick."""
    situation = run.profile.get("living_situation")
    if members is None:
        return ZERO if situation in LIVES_ALONE else None
    basis = "KB 11 juli 2002, art. 34"
    url = (
        "https://www.mi-is.be/nl/faq/moet-er-voor-de-berekening-van-het-leefloon-rekening-"
        "gehouden-worden-met-de-studiebeurs-die-de-0"
    )
    cat1 = run.param("leefloon.bedrag_jaar.categorie_1")
    counted, known = ZERO, True
    excess_total, others = ZERO, False
    for i, member in enumerate(members):
        relation = member.get("relation")
        path = f"household.{i}"
        if relation is None:
            run.missing.append(f"{path}.relation")
            known = False
            continue
        if relation == "partner":
            if member.get("receives_leefloon") is True:
                run.step("leefloon.partner", True, "partner.leefloon", basis, url=url)
                continue
            lines = member.get("income")
            if lines is None:
                run.missing.append(f"{path}.income")
                known = False
                continue
            yearly = _person_yearly(run, lines, f"{path}.income", spi_allowed=True)
            if yearly is None:
                known = False
                continue
            part = yearly if category == 3 else max(ZERO, yearly - cat1)
            part = money(part)
            run.step(
                "leefloon.partner", True, "partner", basis, amount=part, url=url, amount_yearly=part
            )
            counted += part
        elif relation in ("parent", "adult_child"):
            lines = member.get("income")
            if lines is None:
                run.missing.append(f"{path}.income")
                known = False
                continue
            yearly = _person_yearly(run, lines, f"{path}.income", spi_allowed=False)
            if yearly is None:
                known = False
                continue
            # Spec §4.5: their resources together minus the category-1 amount per person.
            excess_total += yearly - cat1
        else:
            others = True
    if others:
        run.step("leefloon.other_housemates", True, "others", basis, url=url)
    if excess_total > 0 and not known:
        return None
    if excess_total > 0:
        share = choices.get("ascendant_share")
        if share is None:
            run.missing.append("ocmw_choices.ascendant_share")
            run.step(
                "leefloon.ascendants",
                None,
                "ascendants.choice",
                basis,
                url=url,
                excess=money(excess_total),
                confidence="medium",
            )
            return "choose"
        part = money(excess_total * Decimal(share))
        run.step(
            "leefloon.ascendants",
            True,
            "ascendants",
            basis,
            url=url,
            excess=money(excess_total),
            share=money(Decimal(share) * 100),
            amount=part,
            amount_yearly=part,
        )
        counted += part
    return counted if known else None


def _capital_income(run: _Run, capital: Decimal) -> Decimal:
    lo, hi = run.param("leefloon.roerend.grens_1"), run.param("leefloon.roerend.grens_2")
    r1 = run.param("leefloon.roerend.tarief_1") / 100
    r2 = run.param("leefloon.roerend.tarief_2") / 100
    middle = min(max(capital - lo, ZERO), hi - lo)
    top = max(capital - hi, ZERO)
    return money(middle * r1 + top * r2)


def _capital(run: _Run, transfers: Decimal | None) -> Decimal | None:
    capital = run.profile.get("capital", {}).get("movable_total")
    if capital is None:
        run.missing.append("capital.movable_total")
        return None
    if transfers is None:
        return None
    base = Decimal(capital) * Decimal(run.profile["capital"].get("share", 1))
    total = base + transfers
    counted = _capital_income(run, total)
    run.step(
        "leefloon.capital",
        True,
        "capital",
        "KB 11 juli 2002, art. 27",
        capital=money(total),
        amount=counted,
        url="https://www.bdas-wwsb.brussels/?p=3440",
        facts={"capital.movable_total": capital},
        amount_yearly=counted,
    )
    return counted


def _transfers(run: _Run, category: int, choices: Mapping[str, Any]) -> Decimal | None:
    items = run.profile.get("transfers_last_10_years")
    if items is None:
        run.missing.append("transfers_last_10_years")
        return None
    if not items:
        return ZERO
    if choices.get("equity_waiver") is True:
        run.step(
            "leefloon.transfers",
            True,
            "transfers.waived",
            "KB 11 juli 2002 (afstand)",
            url="https://terralaboris.be/spip.php?rubrique4939",
            confidence="medium",
        )
        return ZERO
    total = ZERO
    for i, item in enumerate(items):
        needed = [k for k in ("market_value",) if k not in item]
        if needed:
            run.missing += [f"transfers_last_10_years.{i}.{k}" for k in needed]
            return None
        value = Decimal(item["market_value"]) * Decimal(item.get("share", 1))
        right = item.get("right", "full_ownership")
        if right != "full_ownership":
            value = value * run.param(f"leefloon.afstand.{RIGHT_FACTOR[right]}") / 100
        if item.get("transfer") == "sale":
            value -= Decimal(item.get("personal_debts_repaid_from_proceeds", 0))
        if item.get("only_built_property") is True:
            years = item.get("years_between_transfer_and_application")
            if years is None:
                run.missing.append(
                    f"transfers_last_10_years.{i}.years_between_transfer_and_application"
                )
                return None
            value -= run.param("leefloon.afstand.vrijgestelde_schijf")
            value -= (
                run.param(f"leefloon.afstand.vermindering_per_jaar.categorie_{category}") * years
            )
        total += max(ZERO, value)
    total = money(total)
    run.low = True  # the transfer figures come from a calculator, not the KB text
    run.step(
        "leefloon.transfers",
        True,
        "transfers",
        "KB 11 juli 2002 (afstand van goederen)",
        amount=total,
        url="https://terralaboris.be/spip.php?rubrique4939",
        confidence="low",
    )
    return total


def _property(run: _Run, members: Sequence[Mapping[str, Any]] | None) -> Decimal | None:
    items = run.profile.get("property")
    if items is None:
        run.missing.append("property")
        return None
    built, unbuilt = ZERO, ZERO
    for item in items:
        if item.get("right") == "bare_ownership":
            continue
        ki = Decimal(item.get("cadastral_income", 0)) * Decimal(item.get("share", 1))
        if item.get("type") == "unbuilt":
            unbuilt += ki
        else:
            built += ki
    if not items:
        return ZERO
    factor = run.param("leefloon.onroerend.factor")
    counted = ZERO
    if built:
        children = 0
        if members is None:
            if run.profile.get("living_situation") not in LIVES_ALONE:
                run.missing.append("household")
                return None
        else:
            children = sum(
                1 for m in members if m.get("relation") == "child" and m.get("dependent") is True
            )
        free = run.param("leefloon.onroerend.vrijstelling_bebouwd") + children * run.param(
            "leefloon.onroerend.vrijstelling_per_kind"
        )
        counted += max(ZERO, built - free) * factor
    if unbuilt:
        counted += (
            max(ZERO, unbuilt - run.param("leefloon.onroerend.vrijstelling_onbebouwd")) * factor
        )
    counted = money(counted)
    run.step(
        "leefloon.property",
        True,
        "property",
        "KB 11 juli 2002, art. 25-26",
        amount=counted,
        url="https://bdas-wwsb.brussels/?p=5317",
        amount_yearly=counted,
    )
    return counted


def _in_kind(run: _Run) -> Decimal | None:
    value = run.profile.get("advantages_in_kind_monthly")
    if value is None:
        run.missing.append("advantages_in_kind_monthly")
        return None
    yearly = money(Decimal(value) * 12)
    if yearly:
        run.step(
            "leefloon.advantages_in_kind",
            True,
            "in_kind",
            "Wet 26 mei 2002, art. 16",
            amount=yearly,
            url="https://www.helderrecht.be/",
            confidence="medium",
            amount_yearly=yearly,
        )
    return yearly


def _range(run: _Run, category: int, choices: Mapping[str, Any]) -> Advice:
    """Parents' share not chosen: work the advice out at 0 and at 100 percent."""
    ends: dict[str, dict[str, Any]] = {}
    for share in ("0", "1"):
        other = advise(
            run.profile,
            on=run.on,
            parameters=run.parameters,
            income_rules=run.income_rules,
            income_labels=run.income_labels,
            choices={**choices, "ascendant_share": Decimal(share)},
            lang=run.lang,
            explain=run.explain,
        )
        ends[share] = {
            "outcome": other.outcome,
            "counted_resources_yearly": _plain(other.counted_resources_yearly),
            "yearly_amount": _plain(other.yearly_amount),
            "monthly_amount": _plain(other.monthly_amount),
        }
    advice = run.advice
    advice.range = ends
    advice.outcome = "insufficient_data"
    advice.missing_facts = list(dict.fromkeys(run.missing))
    _finish_flags(run)
    return advice
