"""The summary of a caseload screening: counts per right, most common missing facts, leefloon.

Counts only, never a client: what a coordinator reads to see which rights the caseload
probably misses and which questions to ask first. Built line by line from the output records
(so a resumed run counts the lines of the first run too), merged across Dask workers, and
written next to the output as JSON; the page /proactieve-screening draws it as charts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

TOP_FACTS = 30
ERROR_LINES_KEPT = 100
_INDEX = re.compile(r"\.[0-9]+(?=\.|$)")


@lru_cache(maxsize=16384)
def fact_kind(fact: str) -> str:
    """A missing fact without item numbers: household.2.income -> household.*.income."""
    return _INDEX.sub(".*", fact)


@dataclass
class Summary:
    """Counters over the output records; add records, merge partial summaries."""

    lines: int = 0
    screened: int = 0
    errors: int = 0
    error_lines: list[int] = field(default_factory=list)
    applies: Counter[str] = field(default_factory=Counter)  # right slug -> clients screened
    eligible: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)
    discretionary: Counter[str] = field(default_factory=Counter)  # unknown, no fact would settle
    fact_clients: Counter[str] = field(default_factory=Counter)  # fact -> clients it would help
    fact_rights: Counter[str] = field(default_factory=Counter)  # fact -> answers it would settle
    rights_per_client: Counter[int] = field(default_factory=Counter)  # eligible count -> clients
    leefloon_outcomes: Counter[str] = field(default_factory=Counter)
    leefloon_categories: Counter[str] = field(default_factory=Counter)
    leefloon_facts: Counter[str] = field(default_factory=Counter)
    leefloon_flags: Counter[str] = field(default_factory=Counter)
    leefloon_differs: Counter[str] = field(default_factory=Counter)

    def add(self, record: Mapping[str, Any], applies: Iterable[str]) -> None:
        """Count one output record; `applies` are the slugs of the rights screened for it."""
        self.lines += 1
        if "error" in record:
            self.errors += 1
            if len(self.error_lines) < ERROR_LINES_KEPT:
                self.error_lines.append(int(record["line"]))
            return
        self.screened += 1
        self.applies.update(applies)
        rights = record["rights"]
        self.eligible.update(rights["eligible"])
        self.rights_per_client[len(rights["eligible"])] += 1
        facts: set[str] = set()
        for item in rights["unknown"]:
            self.unknown[item["right"]] += 1
            if not item["missing_facts"]:
                self.discretionary[item["right"]] += 1
            for fact in item["missing_facts"]:
                kind = fact_kind(fact)
                self.fact_rights[kind] += 1
                facts.add(kind)
        self.fact_clients.update(facts)
        advice = record["leefloon"]
        self.leefloon_outcomes[advice["outcome"]] += 1
        self.leefloon_categories[str(advice["category"] or "none")] += 1
        self.leefloon_facts.update({fact_kind(f) for f in advice["missing_facts"]})
        self.leefloon_flags.update(advice["flags"])
        if advice["differs"] is True:
            key = "receives_not_eligible" if advice["receives"] else "eligible_not_receiving"
            self.leefloon_differs[key] += 1

    def merge(self, other: Summary) -> None:
        self.lines += other.lines
        self.screened += other.screened
        self.errors += other.errors
        room = ERROR_LINES_KEPT - len(self.error_lines)
        self.error_lines += other.error_lines[: max(room, 0)]
        for name in (
            "applies",
            "eligible",
            "unknown",
            "discretionary",
            "fact_clients",
            "fact_rights",
            "rights_per_client",
            "leefloon_outcomes",
            "leefloon_categories",
            "leefloon_facts",
            "leefloon_flags",
            "leefloon_differs",
        ):
            getattr(self, name).update(getattr(other, name))

    def report(
        self,
        *,
        rights: Iterable[Mapping[str, Any]],
        catalogue: Mapping[str, Any],
        run: Mapping[str, Any],
    ) -> dict[str, Any]:
        """The summary file's content (JSON), rights in catalogue order with their titles."""
        per_right = []
        for doc in rights:
            slug = doc["slug"]
            if not self.applies[slug]:
                continue
            screened = self.applies[slug]
            per_right.append(
                {
                    "slug": slug,
                    "title": dict(doc.get("title") or {}),
                    "level": doc.get("level"),
                    "screened": screened,
                    "eligible": self.eligible[slug],
                    "unknown": self.unknown[slug],
                    "unknown_inquiry": self.discretionary[slug],
                    "not_eligible": screened - self.eligible[slug] - self.unknown[slug],
                }
            )
        per_right.sort(key=lambda r: (-r["eligible"], -r["unknown"], r["slug"]))
        return {
            "catalogue": dict(catalogue),
            "run": dict(run),
            "lines": self.lines,
            "screened": self.screened,
            "errors": self.errors,
            "error_lines": sorted(self.error_lines),
            "rights": per_right,
            "missing_facts": [
                {"fact": fact, "clients": clients, "answers": self.fact_rights[fact]}
                for fact, clients in _top(self.fact_clients, TOP_FACTS)
            ],
            "eligible_rights_per_client": {
                str(k): v for k, v in sorted(self.rights_per_client.items())
            },
            "leefloon": {
                "outcomes": dict(sorted(self.leefloon_outcomes.items())),
                "categories": dict(sorted(self.leefloon_categories.items())),
                "missing_facts": [
                    {"fact": fact, "clients": n} for fact, n in _top(self.leefloon_facts, 15)
                ],
                "flags": dict(sorted(self.leefloon_flags.items())),
                "eligible_not_receiving": self.leefloon_differs["eligible_not_receiving"],
                "receives_not_eligible": self.leefloon_differs["receives_not_eligible"],
            },
        }


def _top(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
