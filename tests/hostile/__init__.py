"""Hostile and broken inputs, run through the real command line with their cost measured
(harness.py). Add a case: a function decorated with ``@case`` in a ``cases_*.py`` module here."""
