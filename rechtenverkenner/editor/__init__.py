"""The editor: local rights made from model entries, edited, reviewed and published."""
