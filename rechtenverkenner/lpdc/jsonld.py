"""JSON-LD contexts from the local copies, and LPDC documents as RDF graphs (rdflib).

There is no internet at run time, and the example files point at stub hosts: every context URL
whose last path part is one of the four LPDC context files is read from
`catalog/reference/lpdc/`, any other URL as the official `ipdc-lpdc-im.jsonld`. Inline contexts
(our own terms) stay as they are. The importer does not need this module (it reads the official
terms directly); tests, the SHACL check and anyone comparing exports as RDF do.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Mapping
from functools import cache
from typing import Any

from rdflib import Graph

from .mapping import LPDC_REFERENCE_DIR

CONTEXT_FILES = (
    "ipdc-lpdc-im.jsonld",
    "ldes.jsonld",
    "hydra.jsonld",
    "ipdc-lpdc-im-hydra-ldes.jsonld",
)
DEFAULT_CONTEXT = "ipdc-lpdc-im.jsonld"


def context_file(url: str) -> str:
    """The local context file that stands for `url` (by its last path part)."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return name if name in CONTEXT_FILES else DEFAULT_CONTEXT


@cache
def _context_text(name: str) -> str:
    return (LPDC_REFERENCE_DIR / name).read_text(encoding="utf-8")


def local_context(url: str) -> Any:
    """The `@context` value of the local copy standing for `url` (a fresh copy)."""
    return json.loads(_context_text(context_file(url)))["@context"]


def inline_contexts(document: Any) -> Any:
    """The document with every remote context replaced by its local copy (deeply)."""
    if isinstance(document, list):
        return [inline_contexts(item) for item in document]
    if not isinstance(document, Mapping):
        return document
    out = {}
    for key, value in document.items():
        if key == "@context":
            out[key] = _inline(value)
        else:
            out[key] = inline_contexts(value)
    return out


def _inline(context: Any) -> Any:
    if isinstance(context, str):
        return local_context(context)
    if isinstance(context, list):
        return [_inline(c) for c in context]
    return copy.deepcopy(context)


def to_graph(document: Any, graph: Graph | None = None) -> Graph:
    """Parse a JSON-LD document (contexts resolved locally) into an rdflib graph."""
    graph = graph if graph is not None else Graph()
    data = json.dumps(inline_contexts(document))
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser still builds a ConjunctiveGraph internally (deprecated).
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(data=data, format="json-ld")
    return graph
