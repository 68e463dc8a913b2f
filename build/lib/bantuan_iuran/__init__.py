"""Verify village beneficiary lists against the civil registry and cost their premiums."""

__version__ = "0.1.0"
