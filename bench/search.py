"""Search: our typo-tolerant index against SQLite FTS5 (trigram), tantivy (fuzzy) and rapidfuzz.

The search index is pure Python plus numpy (`rechtenverkenner.search.index`) instead of an
external engine, so it has to hold up on catalogues far larger than the real one and still
forgive what a social worker types: a mistyped title, a half-typed word, a few words about a
situation. This builds a synthetic catalogue from the real catalogue's words (1,000 to 50,000
rights), generates seeded queries of four kinds and answers each with four engines on the same
documents in one run:

- ours: `SearchIndex.build(docs)`, `index.search(q, limit=5)` (facet counts included, as the
  app pays for them; no synonyms and no places, which the app adds);
- fts5: SQLite FTS5 with the trigram tokenizer (contentless, so it stores no copy of the text),
  an OR of the quoted query words of three letters or more, ranked by bm25() with field weights;
- tantivy: a SHOULD query of fuzzy terms per word and field (distance 1 for 4-7 letters, 2 from
  8, the last word as a prefix), field boosts title 4, keywords 3, summary 2, body 1 (tantivy
  scores a fuzzy term as a constant, so this ranks by the sum of boosts, not by BM25);
- rapidfuzz: `process.extract` with WRatio over every title plus summary, the naive baseline.

Queries are interleaved over the engines (rotating order), so drift on this noisy 2-core
machine hits all engines alike; read the medians, p95 and ratios, not the absolute times.
The baselines get the same accent folding as ours (lower case, accents removed) before indexing.
Memory is the growth of resident memory over a build (/proc/self/statm, freed heap trimmed
first), each size in a fresh process, so no build reuses memory another step freed (checked
against a process that builds one engine only: within a few MB at 50,000 rights).
tracemalloc (numpy included) gives ours' own heap up to 10,000 rights (at 50,000 it takes 40 s).

Query classes, each tagged with a target where a perfect engine could know it:
- exact: 1-2 words of a title (half of them its rarest words, as people type the telling
  word); target only if no other title has them all;
- typo_title: a whole Dutch title with 1-2 edits in words of 5+ letters; target: that title;
- prefix: a title's first words, the last cut to 3-6 letters; target only if no other title
  has those words and that prefix (a 3-letter prefix of one word names nothing in 50k rights);
- situation: 2-4 words from the summaries; no target, latency only.

Run: `python -m bench search`; RV_BENCH_SIZES=1000,10000 for fewer sizes, RV_BENCH_QUERIES for
another number of queries per size, RV_BENCH_SEED for another catalogue. Results also go to
bench/results/search-<timestamp>.json.
"""

from __future__ import annotations

import csv
import ctypes
import gc
import json
import math
import multiprocessing
import os
import random
import re
import sqlite3
import statistics
import time
import tracemalloc
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import tantivy
import yaml
from rapidfuzz import fuzz, process, utils

from rechtenverkenner.search.index import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
RESULTS = Path(__file__).resolve().parent / "results"

SIZES = (1_000, 10_000, 50_000)
QUERIES = {1_000: 400, 10_000: 400, 50_000: 300}
RAPIDFUZZ_QUERIES = {1_000: 400, 10_000: 120, 50_000: 40}  # it scans every document per query
CLASS_SHARE = {"typo_title": 0.4, "exact": 0.2, "prefix": 0.2, "situation": 0.2}
TARGETED = ("typo_title", "prefix", "exact")
LIMIT = 5
WARMUP = 5
LANGS = ("nl", "fr", "en")
THEMES = (
    "BurgerOverheid",
    "CultuurSportVrijeTijd",
    "EconomieWerk",
    "MilieuEnergie",
    "MobiliteitOpenbareWerken",
    "OnderwijsWetenschap",
    "WelzijnGezondheid",
    "BouwenWonen",
)
LEVELS = (("local", 0.55), ("flemish", 0.22), ("federal", 0.18), ("provincial", 0.05))
CONNECTORS = {"nl": ("van", "voor", "bij", "in"), "fr": ("de", "pour", "du"), "en": ("for", "of")}
# Function words are not title material; the generator's own list, independent of the index's.
_FUNCTION_WORDS = """
    de het een en of van voor in op met te aan bij als dat die dit je jij jouw u uw is zijn er
    om tot ook niet wel maar dan nog al wat wie waar hoe ze zij hij we wij ons onze heb hebt heeft
    kan kun kunt moet mag meer dus door naar over uit zo wordt worden werd geen hun haar deze
    le la les un une des du et ou au aux pour par sur avec dans est sont vous votre vos il elle
    ils qui que ce cette ces ne pas plus son sa ses se peut être avez êtes
    the a an and or of for to on with by are you your it its be this that from at as can if
    have has not more will who which
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
FIELD_WEIGHTS = {"title": 4.0, "keywords": 3.0, "summary": 2.0, "body": 1.0}
ENGINES = ("ours", "fts5", "tantivy", "rapidfuzz")

_WORD = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"<[^>]+>")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def plain(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces: the baselines' folding."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text).strip()


# -- vocabulary and catalogue --------------------------------------------------------------


@dataclass(frozen=True)
class Weighted:
    """Words with cumulative weights, for `random.choices`."""

    words: list[str]
    cum: list[float]

    @classmethod
    def from_counts(cls, counts: Counter[str]) -> Weighted:
        words = [w for w, _ in counts.most_common()]
        return cls._make(words, [float(counts[w]) for w in words])

    @classmethod
    def zipf(cls, words: list[str], exponent: float = 1.0) -> Weighted:
        return cls._make(words, [1.0 / (rank + 1) ** exponent for rank in range(len(words))])

    @classmethod
    def _make(cls, words: list[str], weights: list[float]) -> Weighted:
        cum, total = [], 0.0
        for weight in weights:
            total += weight
            cum.append(total)
        return cls(words, cum)

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)

    def distinct(self, rng: random.Random, k: int) -> list[str]:
        out: list[str] = []
        while len(out) < k:
            word = self.draw(rng, 1)[0]
            if word not in out:
                out.append(word)
        return out


@dataclass(frozen=True)
class Vocabulary:
    """Words and codes of the real catalogue that the synthetic one is drawn from."""

    title: dict[str, Weighted]  # content words by frequency rank, drawn Zipf-like
    text: dict[str, Weighted]  # every word with its real frequency (summaries, bodies)
    summary_content: Weighted  # Dutch summary words without function words (situation queries)
    keywords: list[str]
    municipalities: list[tuple[str, str, str]]  # nis, name_nl, province nis
    situations: list[str]
    product_types: list[str]


def _strings(value: Any, lang: str) -> list[str]:
    if isinstance(value, dict):
        found = value.get(lang)
        return list(found) if isinstance(found, list) else [found] if found else []
    return []


def harvest(catalog: Path = CATALOG) -> Vocabulary:
    counts = {lang: Counter[str]() for lang in LANGS}  # by lower case
    forms: Counter[str] = Counter()  # how words are written ("Gent", "OCMW", "premie")
    in_titles = {lang: set[str]() for lang in LANGS}  # title and keyword words
    summary_counts: Counter[str] = Counter()
    keywords: set[str] = set()
    product_types: set[str] = set()
    for path in sorted((catalog / "rights").glob("*.yaml")):
        right = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        product_types.add(right.get("product_type") or "FinancieelVoordeel")
        for lang in LANGS:
            for name in ("title", "summary", "description", "keywords"):
                for text in _strings(right.get(name), lang):
                    words = _WORD.findall(_TAG.sub(" ", str(text)))
                    counts[lang].update(w.lower() for w in words)
                    forms.update(words[1:])  # a text's first word is capitalised anyway
                    if name in ("title", "keywords"):
                        in_titles[lang].update(w.lower() for w in words)
                    if name == "summary" and lang == "nl":
                        summary_counts.update(w.lower() for w in words)
                    if name == "keywords" and lang == "nl":
                        keywords.add(str(text))
    surface: dict[str, str] = {}  # lower case unless the word is never written so
    for form, _count in forms.most_common():
        surface.setdefault(form.lower(), form.lower() if form.lower() in forms else form)
    title, text = {}, {}
    for lang in LANGS:
        # Real title and keyword words rank first, so synthetic titles read like titles.
        content = sorted(
            (w for w in counts[lang] if len(w) >= 4 and w not in FUNCTION_WORDS),
            key=lambda w: (w not in in_titles[lang], -counts[lang][w], w),  # noqa: B023
        )
        title[lang] = Weighted.zipf([surface.get(w, w) for w in content])
        text[lang] = Weighted.from_counts(
            Counter({surface.get(w, w): n for w, n in counts[lang].items()})
        )
    summary_content = Counter(
        {w: n for w, n in summary_counts.items() if len(w) >= 4 and w not in FUNCTION_WORDS}
    )
    with (catalog / "reference" / "be-municipalities.csv").open(encoding="utf-8") as fh:
        municipalities = [
            (row["nis_code"], row["name_nl"], row["province_nis"])
            for row in csv.DictReader(fh)
            if not row["valid_until"]
        ]
    situations = list(yaml.safe_load((catalog / "vocabularies" / "situations.yaml").read_text()))
    return Vocabulary(
        title=title,
        text=text,
        summary_content=Weighted.from_counts(summary_content),
        keywords=sorted(keywords),
        municipalities=municipalities,
        situations=situations,
        product_types=sorted(product_types),
    )


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _title(rng: random.Random, vocab: Vocabulary, lang: str, place: str | None) -> str:
    words = vocab.title[lang].distinct(rng, rng.randint(3, 6))
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words) - 1), rng.choice(CONNECTORS[lang]))
    if place:
        words += [rng.choice(CONNECTORS[lang]), place]
    return _sentence(words)


def make_catalogue(size: int, seed: int, vocab: Vocabulary) -> list[dict[str, Any]]:
    """`size` right documents shaped like the real ones, the same for the same seed."""
    rng = random.Random(seed)
    levels, level_weights = zip(*LEVELS, strict=True)
    nl = vocab.text["nl"]
    docs = []
    for position in range(size):
        level = rng.choices(levels, weights=level_weights)[0]
        place = None
        if level == "local":
            nis, name, _ = rng.choice(vocab.municipalities)
            scope: dict[str, Any] = {"municipalities": [nis]}
            place = name if rng.random() < 0.6 else None
        elif level == "provincial":
            province = rng.choice([m[2] for m in vocab.municipalities if m[2]])
            scope = {"provinces": [province]}
        elif level == "flemish":
            scope = {"region": "flanders"}
        else:
            scope = {"region": "belgium"}
        title = {lang: _title(rng, vocab, lang, place) for lang in LANGS}
        paragraphs = []
        remaining = rng.randint(40, 120)
        while remaining > 0:
            n = min(remaining, rng.randint(15, 50))
            paragraphs.append(f"<p>{_sentence(nl.draw(rng, n))}.</p>")
            remaining -= n
        keywords = [
            rng.choice(vocab.keywords) if rng.random() < 0.7 else vocab.title["nl"].draw(rng, 1)[0]
            for _keyword in range(rng.randint(3, 8))
        ]
        docs.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "slug": f"{'-'.join(plain(title['nl']).split())}-{position}",
                "title": title,
                "summary": {
                    lang: _sentence(vocab.text[lang].draw(rng, rng.randint(10, 25))) + "."
                    for lang in LANGS
                },
                "description": {"nl": "\n".join(paragraphs)},
                "keywords": {"nl": list(dict.fromkeys(keywords))},
                "requirements": [
                    {
                        "title": {"nl": _sentence(nl.draw(rng, rng.randint(3, 7)))},
                        "description": {
                            "nl": f"<p>{_sentence(nl.draw(rng, rng.randint(8, 20)))}.</p>"
                        },
                    }
                    for _item in range(rng.randint(0, 2))
                ],
                "level": level,
                "themes": rng.sample(THEMES, rng.randint(1, 2)),
                "situations": rng.sample(vocab.situations, rng.randint(1, 4)),
                "product_type": rng.choice(vocab.product_types),
                "target_audiences": ["Burger"],
                "scope": scope,
            }
        )
    return docs


# -- queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    source: int  # the document the query was made from
    targets: frozenset[int] = frozenset()  # any of these in the top 5 counts as found


class Titles:
    """Which Dutch titles contain which words, to tell whether a query names one document."""

    def __init__(self, docs: Sequence[dict[str, Any]]) -> None:
        self.words = [plain(doc["title"]["nl"]).split() for doc in docs]
        self.by_word: defaultdict[str, set[int]] = defaultdict(set)
        self.by_title: defaultdict[str, set[int]] = defaultdict(set)
        for position, words in enumerate(self.words):
            for word in words:
                self.by_word[word].add(position)
            self.by_title[" ".join(words)].add(position)

    def with_words(self, words: Sequence[str], prefix: str = "") -> set[int]:
        found = set.intersection(*(self.by_word.get(w, set()) for w in words))
        if prefix:
            found = {p for p in found if any(w.startswith(prefix) for w in self.words[p])}
        return found


def _edit(rng: random.Random, word: str) -> str:
    """One random edit: delete, insert, substitute or transpose."""
    while True:
        op = rng.choice(("delete", "insert", "substitute", "transpose"))
        i = rng.randrange(len(word))
        if op == "delete":
            out = word[:i] + word[i + 1 :]
        elif op == "insert":
            out = word[:i] + rng.choice(_LETTERS) + word[i:]
        elif op == "substitute":
            out = word[:i] + rng.choice(_LETTERS.replace(word[i], "")) + word[i + 1 :]
        else:
            i = min(i, len(word) - 2)
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if out != word:
            return out


def make_queries(
    docs: Sequence[dict[str, Any]],
    count: int,
    seed: int,
    vocab: Vocabulary,
    titles: Titles | None = None,
) -> list[Query]:
    rng = random.Random(seed * 1_000_003 + len(docs))
    titles = titles or Titles(docs)
    queries: list[Query] = []
    for kind, share in CLASS_SHARE.items():
        for _query_no in range(round(count * share)):
            queries.append(_query(kind, rng, docs, titles, vocab))
    rng.shuffle(queries)  # classes interleaved, so any prefix of the list is a fair sample
    return queries


def _query(
    kind: str, rng: random.Random, docs: Sequence[dict[str, Any]], titles: Titles, vocab: Vocabulary
) -> Query:
    while True:
        source = rng.randrange(len(docs))
        typed = docs[source]["title"]["nl"].lower().split()
        folded = titles.words[source]
        if kind == "situation":
            words = vocab.summary_content.distinct(rng, rng.randint(2, 4))
            return Query(" ".join(words), kind, source)
        if kind == "exact":
            content = [w for w in dict.fromkeys(folded) if len(w) >= 4]
            if not content:
                continue
            k = min(len(content), rng.randint(1, 2))
            if rng.random() < 0.5:  # the title's most telling words, as people type them
                rarest = sorted(content, key=lambda w: (len(titles.by_word[w]), w))[:k]
                words = [w for w in content if w in rarest]
            else:
                words = [content[i] for i in sorted(rng.sample(range(len(content)), k))]
            named = titles.with_words(words)
            targets = frozenset(named) if len(named) == 1 else frozenset()
            return Query(" ".join(words), kind, source, targets)
        if kind == "typo_title":
            eligible = [i for i, w in enumerate(typed) if len(w) >= 5 and w.isalpha()]
            if not eligible:
                continue
            edits = rng.randint(1, 2)
            spots = rng.sample(eligible, edits) if len(eligible) >= edits else eligible * edits
            for i in spots:
                typed[i] = _edit(rng, typed[i])
            targets = frozenset(titles.by_title[" ".join(folded)])
            return Query(" ".join(typed), kind, source, targets)
        # prefix: the first k words as typed so far, the last one cut short
        k = rng.randint(1, min(4, len(folded)))
        while k <= len(folded) and len(folded[k - 1]) < 4:
            k += 1
        if k > len(folded):
            continue
        last = folded[k - 1]
        cut = rng.randint(3, min(6, len(last) - 1))
        prefix = last[:cut]
        named = titles.with_words(folded[: k - 1], prefix) if k > 1 else set()
        if k == 1:
            named = {p for p, words in enumerate(titles.words) if words[0].startswith(prefix)}
        targets = frozenset(named) if len(named) == 1 else frozenset()
        return Query(" ".join([*folded[: k - 1], prefix]), kind, source, targets)


# -- engines -----------------------------------------------------------------------------


def search_fields(doc: dict[str, Any]) -> dict[str, str]:
    """The four searchable fields of a document, folded, for the baselines."""

    def texts(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return []

    body = [doc.get("description")]
    for item in doc.get("requirements") or []:
        body += [item.get("title"), item.get("description")]
    return {
        "title": plain(" ".join(texts(doc["title"]))),
        "keywords": plain(" ".join(texts(doc.get("keywords")))),
        "summary": plain(" ".join(texts(doc.get("summary")))),
        "body": plain(_TAG.sub(" ", " ".join(texts(body)))),
    }


class Ours:
    name = "ours"

    def build(self, docs: Sequence[dict[str, Any]]) -> None:
        self.index = SearchIndex.build(docs)

    def search(self, text: str) -> list[int]:
        return [position for position, _ in self.index.search(text, limit=LIMIT).hits]


class Fts5:
    name = "fts5"

    def build(self, docs: Sequence[dict[str, Any]]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5("
            "title, keywords, summary, body, tokenize='trigram', content='')"
        )
        self.db.executemany(
            "INSERT INTO t(rowid, title, keywords, summary, body) VALUES (?, ?, ?, ?, ?)",
            (
                (p, f["title"], f["keywords"], f["summary"], f["body"])
                for p, f in enumerate(map(search_fields, docs))
            ),
        )
        self.db.execute("INSERT INTO t(t) VALUES ('optimize')")
        self.db.commit()
        weights = ", ".join(str(w) for w in FIELD_WEIGHTS.values())
        self.sql = f"SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, {weights}) LIMIT {LIMIT}"

    def search(self, text: str) -> list[int]:
        words = [w for w in dict.fromkeys(plain(text).split()) if len(w) >= 3]
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)  # folded words hold no quotes
        return [row[0] for row in self.db.execute(self.sql, (match,))]


class Tantivy:
    name = "tantivy"

    def build(self, docs: Sequence[dict[str, Any]]) -> None:
        builder = tantivy.SchemaBuilder()
        for name in FIELD_WEIGHTS:
            builder.add_text_field(name, index_option="freq")
        builder.add_integer_field("pos", stored=True, indexed=False)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)  # in RAM
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)  # ours builds on one core
        for position, doc in enumerate(docs):
            writer.add_document(tantivy.Document(pos=position, **search_fields(doc)))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, text: str) -> list[int]:
        words = plain(text).split()
        if not words:
            return []
        should = tantivy.Occur.Should
        subqueries = []
        for i, word in enumerate(words):
            distance = 0 if len(word) < 4 else 1 if len(word) < 8 else 2
            last = i == len(words) - 1
            for name, boost in FIELD_WEIGHTS.items():
                fuzzy = tantivy.Query.fuzzy_term_query(
                    self.schema, name, word, distance=distance, prefix=last
                )
                subqueries.append((should, tantivy.Query.boost_query(fuzzy, boost)))
        query = tantivy.Query.boolean_query(subqueries)
        hits = self.searcher.search(query, limit=LIMIT, count=False).hits
        return [self.searcher.doc(address)["pos"][0] for _, address in hits]


class Rapidfuzz:
    name = "rapidfuzz"

    def build(self, docs: Sequence[dict[str, Any]]) -> None:
        self.choices = [f"{doc['title']['nl']} {doc['summary']['nl']}" for doc in docs]

    def search(self, text: str) -> list[int]:
        found = process.extract(
            text, self.choices, scorer=fuzz.WRatio, limit=LIMIT, processor=utils.default_process
        )
        return [index for _, _, index in found]


# -- measuring ---------------------------------------------------------------------------


try:
    _LIBC: Any = ctypes.CDLL("libc.so.6")
except OSError:  # not glibc: deltas may then hide memory freed by an earlier build
    _LIBC = None


def rss_mb() -> float:
    """Resident memory, after handing freed heap back to the system.

    Without the trim, an engine built after another reuses the memory the first one freed
    (temporaries of its build) and its delta looks too small.
    """
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    with open("/proc/self/statm") as fh:
        resident = int(fh.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[rank]  # nearest rank


@dataclass
class EngineResult:
    build_s: float = 0.0
    rss_mb: float = 0.0
    latencies: list[float] = field(default_factory=list)
    found: dict[str, list[bool]] = field(default_factory=lambda: {k: [] for k in TARGETED})
    queries: int = 0

    def summary(self) -> dict[str, Any]:
        ms = [t * 1000 for t in self.latencies]
        return {
            "build_s": round(self.build_s, 3),
            "rss_delta_mb": round(self.rss_mb, 1),
            "queries": self.queries,
            "median_ms": round(statistics.median(ms), 3) if ms else None,
            "p95_ms": round(percentile(ms, 95), 3) if ms else None,
            "recall_at_5": {
                kind: (round(sum(hits) / len(hits), 3) if hits else None)
                for kind, hits in self.found.items()
            },
            "targeted": {kind: len(hits) for kind, hits in self.found.items()},
        }


def _build(engine: Any, docs: Sequence[dict[str, Any]]) -> EngineResult:
    before = rss_mb()
    start = time.perf_counter()
    engine.build(docs)
    took = time.perf_counter() - start
    return EngineResult(build_s=took, rss_mb=rss_mb() - before)


def _traced_mb(docs: Sequence[dict[str, Any]]) -> float:
    """Python heap (numpy arrays included) that our index keeps, by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    index = SearchIndex.build(docs)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    del index
    return kept / 2**20


def run_size(size: int, seed: int, n_queries: int) -> dict[str, Any]:
    """Everything for one catalogue size (run in a fresh process, see `main`)."""
    vocab = harvest()
    start = time.perf_counter()
    docs = make_catalogue(size, seed, vocab)
    # Kept alive until the end: freed, its memory would be reused by the first build and hide
    # part of that build's footprint.
    titles = Titles(docs)
    queries = make_queries(docs, n_queries, seed, vocab, titles)
    made_s = time.perf_counter() - start
    engines = [Ours(), Fts5(), Tantivy(), Rapidfuzz()]
    results = {engine.name: _build(engine, docs) for engine in engines}
    traced = _traced_mb(docs) if size <= 10_000 else None
    rapid_n = min(len(queries), RAPIDFUZZ_QUERIES.get(size, 40))
    for engine in engines:  # warm-up, untimed
        for query in queries[:WARMUP]:
            engine.search(query.text)
    for i, query in enumerate(queries):
        order = engines[i % len(engines) :] + engines[: i % len(engines)]
        for engine in order:
            if engine.name == "rapidfuzz" and i >= rapid_n:
                continue
            t0 = time.perf_counter()
            hits = engine.search(query.text)
            took = time.perf_counter() - t0
            result = results[engine.name]
            result.latencies.append(took)
            result.queries += 1
            if query.targets:
                result.found[query.kind].append(bool(query.targets.intersection(hits[:LIMIT])))
    kinds = Counter(q.kind for q in queries)
    targeted = Counter(q.kind for q in queries if q.targets)
    out = {
        "size": size,
        "seed": seed,
        "generate_s": round(made_s, 2),
        "queries": dict(kinds),
        "targeted": dict(targeted),
        "rapidfuzz_queries": rapid_n,
        "ours_tracemalloc_mb": round(traced, 1) if traced is not None else None,
        "engines": {name: result.summary() for name, result in results.items()},
    }
    del engines, titles
    return out


# -- reporting ---------------------------------------------------------------------------


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def print_size(res: dict[str, Any]) -> None:
    q, t = res["queries"], res["targeted"]
    print(
        f"search: {res['size']:,} rights (seed {res['seed']}, generated in "
        f"{res['generate_s']:.1f} s), {sum(q.values())} queries: "
        + ", ".join(
            f"{q.get(k, 0)} {k}" + (f" ({t.get(k, 0)} with a target)" if k in TARGETED else "")
            for k in CLASS_SHARE
        )
    )
    print(
        f"  {'engine':<10} {'build s':>8} {'RSS +MB':>8} {'queries':>8} {'median ms':>10} "
        f"{'p95 ms':>8}   {'r@5 typo':>8} {'r@5 prefix':>10} {'r@5 exact':>9}"
    )
    for name, e in res["engines"].items():
        r = e["recall_at_5"]
        print(
            f"  {name:<10} {e['build_s']:>8.2f} {e['rss_delta_mb']:>8.1f} {e['queries']:>8} "
            f"{_fmt(e['median_ms'], '.2f'):>10} {_fmt(e['p95_ms'], '.2f'):>8}   "
            f"{_fmt(r['typo_title'], '.2f'):>8} {_fmt(r['prefix'], '.2f'):>10} "
            f"{_fmt(r['exact'], '.2f'):>9}"
        )
    if res["rapidfuzz_queries"] < sum(q.values()):
        n = res["engines"]["rapidfuzz"]["targeted"]
        print(
            f"  (rapidfuzz ran on the first {res['rapidfuzz_queries']} queries only, as it scans "
            f"every document per query; its recall is over {n['typo_title']} typo, "
            f"{n['prefix']} prefix and {n['exact']} exact queries with a target)"
        )
    if res["ours_tracemalloc_mb"] is not None:
        print(f"  ours, Python heap kept (tracemalloc): {res['ours_tracemalloc_mb']:.1f} MB")


def print_ratios(all_results: list[dict[str, Any]]) -> None:
    print("search ratios (same run; < 1x means ours is faster)")
    for res in all_results:
        e = res["engines"]
        size = f"{res['size']:>6,}"
        ours = e["ours"]["p95_ms"]
        print(f"  {size}  ours p95 / fts5 p95       {_ratio(ours, e['fts5']['p95_ms']):>8}")
        print(f"  {size}  ours p95 / tantivy p95    {_ratio(ours, e['tantivy']['p95_ms']):>8}")
        print(f"  {size}  ours p95 / rapidfuzz p95  {_ratio(ours, e['rapidfuzz']['p95_ms']):>8}")
        recall = " vs ".join(
            _fmt(e[name]["recall_at_5"]["typo_title"], ".2f")
            for name in ("ours", "fts5", "tantivy")
        )
        print(f"  {size}  recall@5 typo_title ours vs fts5 vs tantivy  {recall}")


def _env_ints(name: str) -> list[int] | None:
    raw = os.environ.get(name, "").replace("_", "")
    return [int(x) for x in raw.split(",") if x.strip()] if raw.strip() else None


def main(
    sizes: Sequence[int] | None = None,
    seed: int | None = None,
    report: Callable[[dict[str, Any]], None] = print_size,
) -> None:
    sizes = sizes or _env_ints("RV_BENCH_SIZES") or SIZES
    seed = seed if seed is not None else int(os.environ.get("RV_BENCH_SEED", "1"))
    fixed = _env_ints("RV_BENCH_QUERIES")
    all_results = []
    for size in sizes:
        n_queries = fixed[0] if fixed else QUERIES.get(size, 300)
        # A fresh process per size: memory freed by the engines of the previous size would
        # otherwise be reused and make the next deltas look small.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            res = pool.submit(run_size, size, seed, n_queries).result()
        report(res)
        all_results.append(res)
    print_ratios(all_results)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"search-{datetime.now():%Y%m%d-%H%M%S}.json"
    payload = {
        "bench": "search",
        "created": datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "sizes": all_results,
    }
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"  results written to {out.relative_to(ROOT)}")
