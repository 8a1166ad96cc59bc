"""The search index: typo-tolerant full text with field weights, facets and places.

How a query is answered:
1. Normalise (`text.py`); words that name a municipality or a postcode become a place filter
   ("huurpremi gent" = rent premium, for people who live in Gent).
2. Each remaining word becomes a group of alternatives: the word itself, its synonyms
   (`catalog/synonyms.yaml`), dictionary terms that start with it (the last word only, as it is
   still being typed) and dictionary terms within one or two edits (rapidfuzz).
3. The inverted index gives, per dictionary term, the documents and a weight (best field:
   title > keywords > summary > body, times the term's rarity). Compound words are indexed
   both whole and split ("huurpremie" also as "huur" and "premie"); adjacent words are also
   indexed joined ("huur premie" as "huurpremie").
4. Documents are ranked by how many query words they match, then by score; rights of the
   chosen municipality get a boost. Facets count the matches with every filter but their own.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .text import STOP_WORDS, fold, index_tokens, tokens

FIELD_WEIGHTS = {"title": 4.0, "keywords": 3.0, "summary": 2.0, "body": 1.0}
# A title word always weighs more than a keyword (3 + 2/len(title) > 3), so a stored weight
# above this floor means "found in a title" without a field array of its own.
TITLE_FLOOR = FIELD_WEIGHTS["keywords"]
JOINED_FACTOR = 0.9  # "huur premie" indexed as "huurpremie"
PART_FACTOR = 0.6  # "huurpremie" indexed as "huur" and "premie"
PREFIX_SIM = 0.85
FUZZY_SIM = {1: 0.75, 2: 0.55}
SYNONYM_SIM = 0.9
LOCAL_BOOST = 1.3
MIN_PART = 3
LINKERS = ("", "s", "e", "en")  # Dutch linking sounds: inkomen+s+grens, kind+er+... (best effort)

FACET_FIELDS = {
    "theme": "themes",
    "situation": "situations",
    "level": "level",
    "product_type": "product_type",
    "target_group": "target_audiences",
}


def _texts(value: Any) -> Iterable[str]:
    """Every string inside a language map, a list or a nested item."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def document_fields(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The searchable text of a catalogue document as (field, text) pairs.

    Each language of the title is its own pair: a short title that is mostly the query word
    ("Leefloon") should beat a long one that merely contains it.
    """
    body = [doc.get("description"), doc.get("additional_description")]
    for item in doc.get("requirements") or []:
        body += [item.get("title"), item.get("description")]
    pairs = [("title", text) for text in _texts(doc.get("title"))]
    pairs += [
        ("keywords", " ".join(_texts(doc.get("keywords")))),
        ("summary", " ".join(_texts(doc.get("summary")))),
        ("body", " ".join(_texts(body))),
    ]
    return pairs


@dataclass(frozen=True)
class Places:
    """Municipalities the index can recognise in a query and use as a filter."""

    names: Mapping[str, tuple[str, ...]]  # folded name or postcode -> NIS codes
    province: Mapping[str, str | None]  # NIS -> province NIS
    region: Mapping[str, str]  # NIS -> flanders | brussels | wallonia
    longest_name: int = 4  # words in the longest name


@dataclass
class SearchResult:
    """One page of hits with the counts a result page needs."""

    hits: list[tuple[int, float]]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    did_you_mean: str | None = None
    matched_terms: frozenset[str] = frozenset()
    prefix_terms: frozenset[str] = frozenset()
    places: tuple[str, ...] = ()


class SearchIndex:
    """An immutable index over a list of catalogue documents (positions are doc ids).

    Postings live in two flat arrays (documents and weights), sorted by term; `offsets` says
    where each term's slice starts. Building is vectorised with numpy, so 50,000 rights index
    in seconds.
    """

    def __init__(self) -> None:
        self.size = 0
        self.terms: dict[str, int] = {}
        self.offsets = np.zeros(1, dtype=np.int64)
        self.post_docs = np.zeros(0, dtype=np.int32)
        self.post_weights = np.zeros(0, dtype=np.float32)  # field weight, idf applied per query
        self.idf = np.zeros(0, dtype=np.float32)
        self.words: list[str] = []  # sorted single-word dictionary, for prefixes and typos
        self.unigrams: frozenset[str] = frozenset()
        self.by_length: dict[int, list[str]] = {}
        self.compounds: dict[str, tuple[str, str]] = {}
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.facets: dict[str, dict[str, np.ndarray]] = {}
        self.scope_municipality: dict[str, np.ndarray] = {}
        self.scope_province: dict[str, np.ndarray] = {}
        self.scope_region: dict[str, np.ndarray] = {}
        self.places: Places | None = None
        self._docs: Sequence[Mapping[str, Any]] = ()

    # -- building ------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        docs: Sequence[Mapping[str, Any]],
        synonyms: Iterable[Sequence[str]] = (),
        places: Places | None = None,
    ) -> SearchIndex:
        """Index documents; `synonyms` are groups of phrases that mean the same."""
        self = cls()
        self.size = len(docs)
        self.places = places
        self._docs = docs
        vocab: defaultdict[str, int] = defaultdict()
        vocab.default_factory = vocab.__len__  # new term -> next id
        term_ids: list[int] = []
        doc_ids: list[int] = []
        weights: list[float] = []
        unigram_ids: set[int] = set()
        for position, doc in enumerate(docs):
            for name, text in document_fields(doc):
                words = index_tokens(text)
                if not words:
                    continue
                weight = FIELD_WEIGHTS[name]
                if name == "title":
                    weight = weight - 1.0 + 2.0 / len(words)  # short titles weigh more
                ids = [vocab[w] for w in words]
                unigram_ids.update(ids)
                term_ids.extend(ids)
                doc_ids.extend([position] * len(ids))
                weights.extend([weight] * len(ids))
                if name in ("title", "keywords") and len(words) > 1:
                    joined = [vocab[a + b] for a, b in zip(words, words[1:], strict=False)]
                    term_ids.extend(joined)
                    doc_ids.extend([position] * len(joined))
                    weights.extend([weight * JOINED_FACTOR] * len(joined))
        names = list(vocab)
        self.unigrams = frozenset(names[i] for i in unigram_ids)
        terms = np.asarray(term_ids, dtype=np.int32)
        docs_arr = np.asarray(doc_ids, dtype=np.int32)
        weight_arr = np.asarray(weights, dtype=np.float32)
        terms, docs_arr, weight_arr = _best_per_pair(terms, docs_arr, weight_arr)
        # Compound parts: "huurpremie" also indexed as "huur" and "premie".
        extra_t, extra_d, extra_w = self._compound_parts(vocab, terms, docs_arr, weight_arr)
        if extra_t:
            terms, docs_arr, weight_arr = _best_per_pair(
                np.concatenate([terms, np.concatenate(extra_t)]),
                np.concatenate([docs_arr, np.concatenate(extra_d)]),
                np.concatenate([weight_arr, np.concatenate(extra_w)]),
            )
        counts = np.bincount(terms, minlength=len(vocab))
        idf = np.log1p(max(self.size, 1) / np.maximum(counts, 1)).astype(np.float32)
        self.post_docs = docs_arr
        self.post_weights = weight_arr
        self.idf = idf
        self.offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.terms = dict(vocab)
        self.words = sorted(self.unigrams)
        for word in self.words:
            self.by_length.setdefault(len(word), []).append(word)
        self._add_synonyms(synonyms)
        self._add_facets(docs)
        return self

    def _compound_parts(
        self, vocab: Mapping[str, int], terms: np.ndarray, docs: np.ndarray, weights: np.ndarray
    ) -> tuple[list, list, list]:
        vocabulary = {t for t in self.unigrams if len(t) >= MIN_PART}
        starts = np.searchsorted(terms, np.arange(len(vocab) + 1))
        extra_t: list[np.ndarray] = []
        extra_d: list[np.ndarray] = []
        extra_w: list[np.ndarray] = []
        for term in vocabulary:
            if len(term) < 2 * MIN_PART + 1:
                continue
            parts = split_compound(term, vocabulary)
            if not parts:
                continue
            self.compounds[term] = parts
            tid = vocab[term]
            lo, hi = starts[tid], starts[tid + 1]
            for part in parts:
                extra_t.append(np.full(hi - lo, vocab[part], dtype=np.int32))
                extra_d.append(docs[lo:hi])
                extra_w.append(weights[lo:hi] * np.float32(PART_FACTOR))
        return extra_t, extra_d, extra_w

    def posting(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Documents and weights of a dictionary term (views, no copy)."""
        tid = self.terms.get(term)
        if tid is None:
            return None
        lo, hi = self.offsets[tid], self.offsets[tid + 1]
        if lo == hi:
            return None
        return self.post_docs[lo:hi], self.post_weights[lo:hi]

    def term_idf(self, term: str) -> float:
        """Inverse document frequency: rare words tell more."""
        tid = self.terms.get(term)
        return float(self.idf[tid]) if tid is not None else 0.0

    def surface(self, term: str) -> str:
        """How a folded term is written in a title ("bijstand" for "bystand")."""
        found = self.posting(term)
        if found is not None:
            for position in found[0][:20]:
                for name, text in document_fields(self._docs[int(position)]):
                    if name not in ("title", "keywords"):
                        continue
                    for original in text.split():
                        if fold(original) == term:
                            return original.strip(".,;:()!?\"'").lower()
        return term

    def _add_synonyms(self, groups: Iterable[Sequence[str]]) -> None:
        for group in groups:
            terms = tuple(dict.fromkeys("".join(tokens(phrase)) for phrase in group))
            for term in terms:
                others = tuple(t for t in terms if t != term)
                self.synonyms[term] = tuple(dict.fromkeys(self.synonyms.get(term, ()) + others))

    def _add_facets(self, docs: Sequence[Mapping[str, Any]]) -> None:
        n = self.size
        for facet, name in FACET_FIELDS.items():
            codes: dict[str, list[int]] = defaultdict(list)
            for position, doc in enumerate(docs):
                value = doc.get(name)
                for code in [value] if isinstance(value, str) else (value or []):
                    codes[code].append(position)
            self.facets[facet] = {code: _mask(n, ids) for code, ids in codes.items()}
        munis: dict[str, list[int]] = defaultdict(list)
        provinces: dict[str, list[int]] = defaultdict(list)
        regions: dict[str, list[int]] = defaultdict(list)
        for position, doc in enumerate(docs):
            scope = doc.get("scope") or {}
            for nis in scope.get("municipalities", []):
                munis[nis].append(position)
            for nis in scope.get("provinces", []):
                provinces[nis].append(position)
            for region in scope.get("regions") or ([scope["region"]] if "region" in scope else []):
                regions[region].append(position)
        self.scope_municipality = {k: _mask(n, v) for k, v in munis.items()}
        self.scope_province = {k: _mask(n, v) for k, v in provinces.items()}
        self.scope_region = {k: _mask(n, v) for k, v in regions.items()}

    # -- querying ------------------------------------------------------------------------

    def applies_in(self, municipalities: Sequence[str]) -> np.ndarray:
        """Mask of documents that apply to someone living in one of these municipalities."""
        mask = np.zeros(self.size, dtype=bool)
        everywhere = self.scope_region.get("belgium")
        if everywhere is not None:
            mask |= everywhere
        for nis in municipalities:
            for table, key in (
                (self.scope_municipality, nis),
                (self.scope_province, self.places.province.get(nis) if self.places else None),
                (self.scope_region, self.places.region.get(nis) if self.places else None),
            ):
                if key is not None and key in table:
                    mask |= table[key]
        return mask

    def find_places(self, words: list[str]) -> tuple[list[str], list[str]]:
        """Split query words into municipality codes and the remaining words."""
        if not self.places:
            return [], words
        found: list[str] = []
        rest: list[str] = []
        i = 0
        while i < len(words):
            for length in range(min(self.places.longest_name, len(words) - i), 0, -1):
                key = " ".join(words[i : i + length])
                codes = self.places.names.get(key)
                if codes and not (length == 1 and key in STOP_WORDS):
                    found.extend(c for c in codes if c not in found)
                    i += length
                    break
            else:
                rest.append(words[i])
                i += 1
        return found, rest

    def expand(self, word: str, *, last: bool) -> tuple[dict[str, float], str | None, bool]:
        """Dictionary terms for one query word with their similarity.

        Returns the terms, a correction (for "did you mean"), and whether the word itself
        (or a synonym or prefix) was found, as opposed to only typo matches.
        """
        terms: dict[str, float] = {}
        if self.posting(word) is not None:
            terms[word] = 1.0
        for synonym in self.synonyms.get(word, ()):
            if self.posting(synonym) is not None:
                terms[synonym] = max(terms.get(synonym, 0.0), SYNONYM_SIM)
        if last and len(word) >= 2:
            start = bisect.bisect_left(self.words, word)
            for candidate in self.words[start : start + 200]:
                if not candidate.startswith(word):
                    break
                if candidate != word:
                    sim = PREFIX_SIM * (0.5 + 0.5 * len(word) / len(candidate))
                    terms[candidate] = max(terms.get(candidate, 0.0), sim)
        found = bool(terms)
        correction = None
        max_edits = 0 if len(word) < 4 else 1 if len(word) < 7 else 2
        if max_edits and not word.isdigit():
            choices = [
                c
                for size in range(len(word) - max_edits, len(word) + max_edits + 1)
                for c in self.by_length.get(size, ())
            ]
            matches = process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=max_edits, limit=20
            )
            for candidate, edits, _index in sorted(matches, key=lambda m: (m[1], m[0])):
                if candidate == word:
                    continue
                sim = FUZZY_SIM[int(edits)]
                if candidate not in terms:
                    terms[candidate] = sim
                    if correction is None:
                        correction = candidate
                    for synonym in self.synonyms.get(candidate, ()):
                        if synonym not in terms and self.posting(synonym) is not None:
                            terms[synonym] = sim * SYNONYM_SIM
        return terms, correction, found

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        offset: int = 0,
        filters: Mapping[str, Sequence[str]] | None = None,
        municipalities: Sequence[str] = (),
    ) -> SearchResult:
        """Answer a query: ranked hits, facet counts, corrections and recognised places."""
        words = tokens(text)
        places: list[str] = []
        if not municipalities:
            places, words = self.find_places(words)
            municipalities = places
        meaningful = self._group_phrases([w for w in words if w not in STOP_WORDS] or words)
        last_typed = bool(text) and not text[-1].isspace()
        scores = np.zeros(self.size, dtype=np.float32)
        coverage = np.zeros(self.size, dtype=np.int16)
        in_title = np.zeros(self.size, dtype=np.int16)
        matched: set[str] = set()
        prefixes: set[str] = set()
        corrections: list[tuple[str, str | None]] = []
        corrected = False
        for index, word in enumerate(meaningful):
            is_last = last_typed and index == len(meaningful) - 1
            terms, correction, found = self.expand(word, last=is_last)
            group = np.zeros(self.size, dtype=np.float32)
            title = np.zeros(self.size, dtype=bool)
            cap = self._idf_cap(terms)
            for term, sim in terms.items():
                ids, weights = self.posting(term)  # type: ignore[misc]
                factor = sim * min(self.term_idf(term), cap)
                _max_into(group, ids, weights * np.float32(factor))
                title[ids[weights > TITLE_FLOOR]] = True
                matched.add(term)
                if is_last and term.startswith(word):
                    prefixes.add(term)
            in_title += title
            if not found and correction:
                corrected = True
            corrections.append((word, correction if not found and correction else None))
            hit = group > 0
            scores += group
            coverage += hit
        if meaningful:
            best = int(coverage.max()) if self.size else 0
            if best == 0:
                candidates = np.zeros(self.size, dtype=bool)
            else:
                needed = best if len(meaningful) <= 2 else max(1, best - 1)
                candidates = coverage >= needed
        else:
            candidates = np.ones(self.size, dtype=bool)
        if municipalities:
            candidates &= self.applies_in(municipalities)
            local = np.zeros(self.size, dtype=bool)
            for nis in municipalities:
                if nis in self.scope_municipality:
                    local |= self.scope_municipality[nis]
            scores = np.where(local, scores * LOCAL_BOOST + 0.5, scores)
        chosen = {f: [c for c in (filters or {}).get(f, ()) if c] for f in FACET_FIELDS}
        masks = {f: self._facet_mask(f, codes) for f, codes in chosen.items() if codes}
        facets = {}
        for facet in FACET_FIELDS:
            base = candidates.copy()
            for other, mask in masks.items():
                if other != facet:
                    base &= mask
            counts = {
                code: int(np.count_nonzero(base & mask))
                for code, mask in self.facets[facet].items()
            }
            facets[facet] = dict(
                sorted(((c, n) for c, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0]))
            )
        final = candidates
        for mask in masks.values():
            final = final & mask
        positions = np.flatnonzero(final)
        # Tiers: words found anywhere, then words found in the title, then the weighted score.
        rank = (
            coverage[positions].astype(np.float64) * 1e6
            + in_title[positions].astype(np.float64) * 1e3
            + scores[positions]
        )
        total = len(positions)
        wanted = min(total, offset + limit)
        top = np.argpartition(-rank, wanted - 1)[:wanted] if wanted < total else np.arange(total)
        order = top[np.lexsort((positions[top], -rank[top]))][offset : offset + limit]
        hits = [(int(positions[i]), float(rank[i])) for i in order]
        did_you_mean = None
        if corrected and meaningful:
            did_you_mean = " ".join(
                self.surface(fix) if fix else self.surface(word) for word, fix in corrections
            )
        return SearchResult(
            hits=hits,
            total=total,
            facets=facets,
            did_you_mean=did_you_mean,
            matched_terms=frozenset(matched),
            prefix_terms=frozenset(prefixes),
            places=tuple(places),
        )

    def _idf_cap(self, terms: Mapping[str, float]) -> float:
        """The highest idf any term of one query word may count with.

        The idf of the most common of the best-matching terms: a typo that happens to be close
        to a rare word ("tersoon" ~ "person") must not outweigh the common word it was meant
        to be ("persoon"), while the exact word keeps its own weight.
        """
        if not terms:
            return 0.0
        best = max(terms.values())
        return min(self.term_idf(t) for t, sim in terms.items() if sim >= best - 1e-6)

    def _group_phrases(self, words: list[str]) -> list[str]:
        """Join adjacent words that form a known synonym or compound ("sociaal huis")."""
        out: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words):
                joined = words[i] + words[i + 1]
                if joined in self.synonyms or joined in self.unigrams:
                    out.append(joined)
                    i += 2
                    continue
            out.append(words[i])
            i += 1
        return out

    def _facet_mask(self, facet: str, codes: Sequence[str]) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        for code in codes:
            if code in self.facets[facet]:
                mask |= self.facets[facet][code]
        return mask


def _best_per_pair(
    terms: np.ndarray, docs: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort by (term, document) and keep the best weight of each pair."""
    order = np.lexsort((-weights, docs, terms))
    terms, docs, weights = terms[order], docs[order], weights[order]
    keep = np.ones(len(terms), dtype=bool)
    keep[1:] = (terms[1:] != terms[:-1]) | (docs[1:] != docs[:-1])
    return terms[keep], docs[keep], weights[keep]


def _mask(size: int, ids: list[int]) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[np.asarray(ids, dtype=np.int64)] = True
    return mask


def _max_into(target: np.ndarray, ids: np.ndarray, values: np.ndarray) -> None:
    """target[ids] = max(target[ids], values); ids are unique within one posting list."""
    target[ids] = np.maximum(target[ids], values)


def split_compound(term: str, vocabulary: set[str]) -> tuple[str, str] | None:
    """Split a compound into two known words ("huurpremie" -> "huur", "premie"), if possible."""
    for cut in range(len(term) - MIN_PART, MIN_PART - 1, -1):
        head, tail = term[:cut], term[cut:]
        if tail not in vocabulary:
            continue
        for linker in LINKERS:
            if (
                linker
                and head.endswith(linker)
                and head[: -len(linker)] in vocabulary
                and len(head) - len(linker) >= MIN_PART
            ):
                return head[: -len(linker)], tail
            if not linker and head in vocabulary:
                return head, tail
    return None
