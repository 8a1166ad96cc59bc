"""Accounts, roles and API tokens; who may do what is decided in `accounts.policy`."""
