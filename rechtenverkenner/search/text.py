"""Text normalisation for Dutch and French: what a social worker types and what the catalogue says.

Both sides go through the same steps: lower case, accents removed, punctuation to spaces,
`ij` written as `y` (so "bystand" finds "bijstand"), and words cut into tokens. Stop words are
kept out of the index but never change the meaning of a query.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_TAG = re.compile(r"<[^>]+>")

_STOP_WORDS = " ".join(
    (
        "de het een en of van voor in op met te aan bij als dat die dit je jij jouw u uw is zijn",
        "er om tot ook niet wel maar dan nog al wat wie waar hoe ze zij hij we wij ons onze heb",
        "hebt heeft kan kun kunt moet mag meer dus door naar over uit zo wordt worden werd",
        "le la les un une des du et ou au aux pour par sur avec dans est sont vous votre vos",
        "il elle ils qui que quoi ce cette ces ne pas plus son sa ses se",
        "the a an and or of for to on with by are you your it its be this that from at as",
    )
).split()


_SPECIAL = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL) + "]")


def fold(text: str) -> str:
    """Lower case without accents, `ij` as `y`, punctuation as spaces."""
    text = text.casefold()
    if not text.isascii():
        if _SPECIAL_RE.search(text):
            text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", text.replace("ij", "y")).strip()


def tokens(text: str) -> list[str]:
    """All tokens of a text, stop words included (queries keep their words)."""
    return fold(text).split()


def index_tokens(text: str) -> list[str]:
    """Tokens worth indexing: no stop words, no one-letter words."""
    return [t for t in fold(_TAG.sub(" ", text)).split() if len(t) > 1 and t not in STOP_WORDS]


STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS)
