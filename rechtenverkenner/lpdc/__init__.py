"""Exchange with the Flemish LPDC/IPDC (catalogue model §11): JSON-LD import and export.

`mapping` translates between our records and LPDC's JSON-LD terms (pure data), `jsonld` reads
the local JSON-LD contexts and turns documents into RDF graphs, `importer` and `exporter` are
the services over the database, `cli` is `flask lpdc`. The HTTP endpoints live in `api/lpdc.py`.
"""
