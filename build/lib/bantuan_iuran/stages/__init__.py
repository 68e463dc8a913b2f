"""The stages as the command line runs them (ingest, validate, report), one module each, over
the pure functions of their packages; pipeline.py gathers them."""
