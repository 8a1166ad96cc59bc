"""Run every benchmark: `python -m bench [name ...]`."""

from __future__ import annotations

import sys

from . import batch, catalog_list, leefloon, load, lpdc, screening, search

BENCHES = {
    "catalog_list": catalog_list.main,
    "search": search.main,
    "screening": screening.main,
    "leefloon": leefloon.main,
    "lpdc": lpdc.main,
    "batch": batch.main,
    "load": load.main,
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHES)
    for name in names:
        if name not in BENCHES:
            print(f"unknown benchmark {name!r}; known: {', '.join(BENCHES)}", file=sys.stderr)
            return 2
        BENCHES[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
