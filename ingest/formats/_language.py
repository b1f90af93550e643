"""The language a format names, as the record keeps it: the primary subtag of a language tag.

Every parser reads the format's own field (``xml:lang``, ``contentMeta/language/@tag``,
``language``, ``Content-Language``...) and passes it here, so ``en-US``, ``en_GB``, ``EN`` and
``en, fr`` all become ``en``.
"""

from __future__ import annotations

__all__ = ["primary_subtag"]


def primary_subtag(tag: object) -> str | None:
    """The primary subtag of a language tag (or of the first of a list), lower-cased."""
    if not isinstance(tag, str):
        return None
    first = tag.split(",")[0].strip().replace("_", "-")
    return first.split("-")[0].strip().lower() or None
