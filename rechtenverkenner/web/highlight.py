"""Mark the words of a text that matched the query, for the result list."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from ..search.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)


class Highlighter:
    """Wraps matched words in <mark>; words are compared in their folded form."""

    def __init__(self, terms: Iterable[str], prefixes: Iterable[str] = ()) -> None:
        self.terms = frozenset(terms) | frozenset(prefixes)

    def matches(self, word: str) -> bool:
        """The word itself matched, or it is a compound with a matched part ("huurpremie")."""
        folded = fold(word)
        return folded in self.terms or any(
            len(t) >= 4 and (folded.startswith(t) or folded.endswith(t)) for t in self.terms
        )

    def __call__(self, text: str) -> Markup:
        if not self.terms or not text:
            return escape(text)
        out: list[str] = []
        last = 0
        for match in _WORD.finditer(text):
            out.append(str(escape(text[last : match.start()])))
            word = match.group(0)
            if self.matches(word):
                out.append(f"<mark>{escape(word)}</mark>")
            else:
                out.append(str(escape(word)))
            last = match.end()
        out.append(str(escape(text[last:])))
        return Markup("".join(out))
