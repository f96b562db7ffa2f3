"""Settings per environment: base (shared), dev (default), test, prod.

Every read of the process environment goes through :mod:`kvarter.settings.env`.
"""
