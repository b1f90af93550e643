"""Wire feeds composed for the reliability tests, served by the loopback ``WireServer``.

Two http sources beside the project's own sample folders: a paginated ninjs API (two pages,
an item in two versions, an item then canceled) and an RSS feed (one story that is a rewrite
of a ninjs story, so matching crosses sources). Both answer with an ETag and a 304 to a
client that already has it, like an agency's server. Every text here is composed for the
project.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from tests.conftest import SAMPLES
from tests.wire_server import Handler, WireServer

__all__ = ["FEED_ITEMS", "Feeds", "serve_feeds"]

_STORIES = {
    "harbour": (
        "Harbour cranes return to work in Tallinn",
        "Dock workers in Tallinn ended a four-day stoppage on Tuesday after the port authority "
        "agreed to hire forty extra crane operators and to cap night shifts at ten hours. "
        "Ferries to Helsinki ran late through the morning while the backlog of containers was "
        "cleared, and the union said it would review the agreement with members next month.",
    ),
    "orchard": (
        "Late frost cuts apple harvest in South Tyrol",
        "Growers in South Tyrol expect to pick a fifth fewer apples this season after a late "
        "April frost damaged blossom on the lower slopes of the Adige valley. The regional "
        "cooperative said prices for Golden Delicious had already risen by eight percent, and "
        "that insurance claims were the highest it had recorded in twelve years.",
    ),
    "observatory": (
        "Observatory on La Palma reopens its largest telescope",
        "The observatory on the Roque de los Muchachos reopened its largest telescope on Monday "
        "after eleven months of repairs to the mirror support system. Astronomers from nine "
        "countries had queued observing proposals during the closure, and the first nights will "
        "be given to a survey of faint galaxies in the southern sky.",
    ),
    "rail": (
        "Night train links Vienna and Amsterdam again",
        "A night train between Vienna and Amsterdam ran again on Sunday for the first time since "
        "the summer floods damaged the line near Passau. The operator said sleeper cabins were "
        "sold out for the next three weekends and that a second weekly departure would be added "
        "in January if the timetable allowed it.",
    ),
    "glacier": (
        "Swiss glacier survey records another year of loss",
        "Swiss glaciers lost three percent of their remaining ice volume this year, according to "
        "the annual survey published on Thursday by the national monitoring network. Researchers "
        "measured the largest losses on the southern side of the Alps, where a dry winter was "
        "followed by a long heatwave in August.",
    ),
}


@dataclass(frozen=True)
class Item:
    source: str
    item_id: str
    version: int
    day: int
    headline: str
    body: str
    pubstatus: str = "usable"


def _ninjs_items() -> list[Item]:
    h, b = _STORIES["harbour"]
    o, ob = _STORIES["orchard"]
    v, vb = _STORIES["observatory"]
    r, rb = _STORIES["rail"]
    return [
        Item("wire-api", "urn:wiredup-reliability:harbour", 1, 17, h, b),
        Item(
            "wire-api",
            "urn:wiredup-reliability:harbour",
            2,
            18,
            h,
            b + " The port said ships would be handled around the clock from Thursday.",
        ),
        Item("wire-api", "urn:wiredup-reliability:orchard", 1, 19, o, ob),
        Item("wire-api", "urn:wiredup-reliability:observatory", 1, 20, v, vb),
        Item("wire-api", "urn:wiredup-reliability:rail", 1, 21, r, rb),
        Item("wire-api", "urn:wiredup-reliability:rail", 2, 22, r, "", pubstatus="canceled"),
    ]


def _rss_items() -> list[Item]:
    g, gb = _STORIES["glacier"]
    o, ob = _STORIES["orchard"]
    rewrite = ob.replace("Growers in South Tyrol expect", "Fruit growers in South Tyrol now expect")
    return [
        Item("wire-rss", "https://rss.wiredup.test/glacier", 1, 20, g, gb),
        Item("wire-rss", "https://rss.wiredup.test/orchard", 1, 19, o, rewrite),
    ]


FEED_ITEMS: list[Item] = _ninjs_items() + _rss_items()


def _when(day: int) -> datetime:
    return datetime(2026, 11, day, 9, 30, tzinfo=UTC)


def _ninjs(item: Item) -> dict[str, object]:
    return {
        "uri": item.item_id,
        "version": str(item.version),
        "versioncreated": _when(item.day).isoformat().replace("+00:00", "Z"),
        "pubstatus": item.pubstatus,
        "headline": item.headline,
        "body_text": item.body,
        "language": "en",
    }


def _rss(items: list[Item]) -> bytes:
    entries = "".join(
        f"<item><guid>{i.item_id}</guid><title>{i.headline}</title>"
        f"<pubDate>{format_datetime(_when(i.day))}</pubDate>"
        f"<description>{i.body}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Wiredup reliability wire</title><link>https://rss.wiredup.test/</link>"
        f"<description>composed stories</description>{entries}</channel></rss>"
    ).encode()


def _static_with_etag(body: bytes, etag: str, content_type: str) -> Callable[[Handler], None]:
    def serve(h: Handler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.reply(304, headers={"ETag": etag})
        else:
            h.reply(200, body, {"ETag": etag, "Content-Type": content_type})

    return serve


@dataclass(frozen=True)
class Feeds:
    """Where the feeds are served and a sources.toml that reads them."""

    sources_file: Path
    http_sources: tuple[str, ...]
    directory_sources: tuple[str, ...]


def serve_feeds(server: WireServer, prefix: str, folder: Path, samples: int = 1) -> Feeds:
    """Register the feeds under ``prefix`` and write ``folder/sources.toml``.

    ``samples`` project sample folders (of ``agence-fr``, ``wire-en``, ``partner``) are read as
    directory sources beside the two http sources.
    """
    ninjs = _ninjs_items()
    pages = [ninjs[:3], ninjs[3:]]
    for n, page in enumerate(pages, start=1):
        nxt = f"{prefix}/api/{n + 1}" if n < len(pages) else None
        body = json.dumps({"items": [_ninjs(i) for i in page], "links": {"next": nxt}}).encode()
        server.route(f"{prefix}/api/{n}", _static_with_etag(body, f'"api-{n}"', "application/json"))
    server.route(
        f"{prefix}/rss.xml",
        _static_with_etag(_rss(_rss_items()), '"rss-1"', "application/rss+xml"),
    )
    dirs = ("agence-fr", "wire-en", "partner")[:samples]
    lines = [
        f'[[source]]\nname = "wire-api"\nkind = "http"\nurl = "{server.url(prefix + "/api/1")}"\n'
        'format = "ninjs"\ntimeout_seconds = 10\n',
        f'[[source]]\nname = "wire-rss"\nkind = "http"\nurl = "{server.url(prefix + "/rss.xml")}"\n'
        'format = "rss"\ntimeout_seconds = 10\n',
    ]
    lines += [
        f'[[source]]\nname = "{d}"\nkind = "directory"\npath = "{SAMPLES / d}"\n'
        'pattern = "*.txt"\nformat = "text"\n'
        for d in dirs
    ]
    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources.toml"
    sources.write_text("\n".join(lines), encoding="utf-8")
    return Feeds(sources, ("wire-api", "wire-rss"), dirs)
