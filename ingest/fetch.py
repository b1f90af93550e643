"""An HTTP source as payloads: a conditional GET, next links followed, the cursor moved on.

``read_http`` turns one ``kind = "http"`` source into raw payloads, one per page: a feed, a
ninjs item or list, a NewsML-G2 document, a text wire file. Parsers split pages into items
later. A fetch failure becomes a reject row (no bytes to keep) and leaves the cursor where it
was; the other sources go on.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from ingest.auth import Credentials
from ingest.config import Source
from ingest.formats.ap_media import next_page as ap_next_page
from ingest.formats.ninjs import next_page_url
from ingest.http import DEFAULT_POLICY, FetchPolicy, FetchResult, fetch, same_origin
from record.cursor import Cursor
from record.errors import ConfigError, FetchTerminalError, FetchTransientError
from record.story import RawItem, Reject

__all__ = ["NextPage", "SourceRead", "fetch_policy", "read_http"]

log = logging.getLogger(__name__)

#: Reads the next-page link out of a page, or ``None`` on the last page.
NextPage = Callable[[bytes], "str | None"]


@dataclass(frozen=True)
class SourceRead:
    """What reading one source gave.

    ``cursor`` is the cursor to store once the run's records are written; ``None`` means
    "leave the stored one as it is" (nothing changed, or a fetch failed).
    """

    raws: list[RawItem] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    cursor: Cursor | None = None
    fetched: int = 0
    not_modified: int = 0


def fetch_policy(source: Source, base: FetchPolicy = DEFAULT_POLICY) -> FetchPolicy:
    """The fetch bounds of ``source``: its ``timeout_seconds`` and ``max_bytes`` over ``base``."""
    policy = base
    if source.timeout_seconds is not None:
        policy = FetchPolicy(
            max_bytes=policy.max_bytes,
            deadline=float(source.timeout_seconds),
            max_redirects=policy.max_redirects,
            retry=policy.retry,
        )
    if source.max_bytes is not None:
        policy = FetchPolicy(
            max_bytes=source.max_bytes,
            deadline=policy.deadline,
            max_redirects=policy.max_redirects,
            retry=policy.retry,
        )
    return policy


def _item_id(url: str, page: int) -> str:
    """The payload's id: the file name without extension (a text wire file's item id)."""
    name = httpx.URL(url).path.rstrip("/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem or httpx.URL(url).host
    return stem if page == 0 else f"{stem}@page{page + 1}"


def _raw(source: Source, result: FetchResult, page: int) -> RawItem:
    return RawItem(
        source=source.name,
        item_id=_item_id(result.final_url, page),
        data=result.body,
        fetched_at=result.fetched_at,
        location=result.final_url,
        format=source.format,
        encoding=source.encoding,
        # A hint for the parsers (feedparser reads its charset); the bytes decide the format.
        content_type=result.content_type,
        timezone=source.timezone,
        agencies=source.agencies,
    )


def _detected_next_page(data: bytes) -> str | None:
    """For a source without a format: AP's ``data.next_page``, else a ninjs next link."""
    return ap_next_page(data) or next_page_url(data)


#: The next-link reader of each paginated format; ``None`` is a source that declares none.
_NEXT_PAGE: dict[str | None, NextPage] = {
    "ninjs": next_page_url,
    "ap-media": ap_next_page,
    None: _detected_next_page,
}


def _looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in {b"{", b"["}


def read_http(
    source: Source,
    client: httpx.Client,
    cursor: Cursor | None,
    *,
    credentials: Credentials | None = None,
    policy: FetchPolicy | None = None,
    next_page: NextPage | None = None,
    run_id: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> SourceRead:
    """Fetch what is new at ``source.url`` since ``cursor``.

    The first page is asked for conditionally (ETag / Last-Modified of the cursor); a 304 means
    nothing changed. For ninjs and AP Media API (declared, or undeclared and JSON), next links
    are followed up to ``source.max_pages`` pages, never twice the same URL. ``next_page`` reads
    the link out of a page (default: ``ingest.formats.ninjs.next_page_url`` for ninjs,
    ``ingest.formats.ap_media.next_page`` for AP, either for an undeclared format).
    """
    if source.url is None:
        raise ConfigError("an http source needs a url", source=source.name, field="url")
    policy = policy or fetch_policy(source)
    etag, last_modified = cursor.validators_for(source.url) if cursor else (None, None)
    origin = httpx.URL(source.url)
    finder = next_page or _NEXT_PAGE.get(source.format)

    raws: list[RawItem] = []
    rejects: list[Reject] = []
    fetched = not_modified = 0
    first: FetchResult | None = None
    complete = True
    page_url: str | None = source.url
    seen: set[str] = set()
    page = 0
    while page_url is not None and page < source.max_pages:
        seen.add(page_url)
        target = httpx.URL(page_url)
        try:
            result = fetch(
                client,
                page_url,
                etag=etag if page == 0 else None,
                last_modified=last_modified if page == 0 else None,
                # Credentials go to the source's own origin only, never to a foreign next link.
                auth_headers=credentials.headers()
                if credentials and same_origin(target, origin)
                else None,
                policy=policy,
                sleep=sleep,
                rand=rand,
            )
        except (FetchTransientError, FetchTerminalError) as exc:
            log.warning("source %s: %s", source.name, exc)
            rejects.append(
                Reject(
                    source=source.name,
                    item_id=None if page == 0 else _item_id(page_url, page),
                    reason=f"fetch failed: {exc}",
                    sha256=None,
                    size=0,
                    fetched_at=datetime.now(UTC),
                    location=page_url,
                )
            )
            complete = False
            break
        if result.not_modified:
            not_modified += 1
            log.info("source %s: not modified since the last run", source.name)
            break
        fetched += 1
        first = first or result
        raws.append(_raw(source, result, page))
        page += 1
        link = None
        if finder is not None and source.format in _NEXT_PAGE and _looks_like_json(result.body):
            try:
                link = finder(result.body)
            except Exception as exc:  # a page the parser will reject anyway: stop paging
                log.warning("source %s: next link unreadable: %s", source.name, exc)
        page_url = None
        if link:
            resolved = str(httpx.URL(result.final_url).join(link))
            if resolved in seen:
                log.warning("source %s: next link %s loops back; paging stopped", source.name, link)
            elif page >= source.max_pages:
                log.warning(
                    "source %s: stopped after max_pages=%d pages; the rest waits for the next run",
                    source.name,
                    source.max_pages,
                )
            else:
                page_url = resolved

    new_cursor = None
    if complete and first is not None:
        new_cursor = Cursor(
            url=source.url,
            etag=first.etag,
            last_modified=first.last_modified,
            last_item_time=cursor.last_item_time if cursor else None,
            updated_at=datetime.now(UTC),
            run_id=run_id,
        )
    return SourceRead(
        raws=raws,
        rejects=rejects,
        cursor=new_cursor,
        fetched=fetched,
        not_modified=not_modified,
    )
