"""Audit records of leefloon advices: stored only when a dossier worker asks, minimal by design."""
