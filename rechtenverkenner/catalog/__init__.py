"""The catalogue of rights: its tables, its loader from `catalog/` and the services that read it."""
