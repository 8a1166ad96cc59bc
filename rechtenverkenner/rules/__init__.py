"""Rules as code: condition kinds, dated parameters and (later) the evaluation engine.

Pure Python over plain data: nothing in this package imports Flask or opens a database session,
so web pages, the API, the CLI and batch workers all feed it the same way.
"""
