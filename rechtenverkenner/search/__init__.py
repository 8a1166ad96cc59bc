"""Search by situation: a typo-tolerant, faceted index over plain catalogue documents.

Pure Python (plus numpy): no Flask, no database session. The only module that imports
rapidfuzz is `index.py`.
"""
