"""Prefect flows that wire ``ingest``, ``dedupe`` and ``storage`` together.

Import ``flows.ingest`` for the flows themselves; this package stays light so the command
line starts fast.
"""
