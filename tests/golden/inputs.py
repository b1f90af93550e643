"""The inputs whose story rows are kept as golden rows: the samples, the text fixtures, BBC.

Each input is a ``sources.toml`` over directory sources. The samples' sources file is the
project's own; the others are written into a temporary folder here: the text fixtures are read
where they lie in ``../shared``, and the BBC input is rendered from the corpus as wire text files
(each story once, plus for some a brief, a re-credited copy and an extended copy), so that the
golden rows cover every kind of match. Nothing of ``../shared`` is copied into the project: the
golden files hold hashes of rows, not their text.
"""

from __future__ import annotations

from pathlib import Path

from bench._corpus import BBC, FIXTURES_TEXT, PROJECT, read_bbc

__all__ = ["INPUTS", "write_input"]

#: Name of an input -> what it needs under ../shared (None: nothing).
INPUTS: dict[str, Path | None] = {"samples": None, "fixtures-text": FIXTURES_TEXT, "bbc": BBC}

_CREDITS = ("(ats/nxp)", "(afp)", "(Reuters)", "(sda/dpa)")
# Every n-th BBC story is taken, so the five topic folders are all in.
_BBC_STEP = 5


def _wire(day: int, paragraphs: list[str], credit: str) -> str:
    body = list(paragraphs)
    body[-1] = f"{body[-1]} {credit}"
    return f" date 2005-03-{day:02d} " + "\n\n".join(body)


def _bbc(folder: Path) -> None:
    stories = read_bbc()[::_BBC_STEP]
    for number, story in enumerate(stories):
        day = 1 + number % 20
        paragraphs = [story.headline, *story.paragraphs]
        name = story.key.replace("/", "_")
        files = {f"{name}.txt": _wire(day, paragraphs, _CREDITS[0])}
        if number % 4 == 0 and len(paragraphs) > 3:
            files[f"{name}_brief.txt"] = _wire(day, paragraphs[: len(paragraphs) // 2], "(afp)")
        if number % 6 == 0:
            files[f"{name}_recredit.txt"] = _wire(min(day + 1, 28), paragraphs, _CREDITS[2])
        if number % 9 == 0:
            extra = f"{story.headline} was updated on day {day} with this added paragraph."
            files[f"{name}_update.txt"] = _wire(day, [*paragraphs, extra], _CREDITS[3])
        for file_name, text in files.items():
            (folder / file_name).write_text(text, encoding="utf-8")


def write_input(name: str, where: Path) -> Path:
    """The sources.toml of input ``name``, written under ``where`` unless it is the project's."""
    if name == "samples":
        return PROJECT / "sources.toml"
    folder = where / name
    folder.mkdir(parents=True, exist_ok=True)
    if name == "fixtures-text":
        path = FIXTURES_TEXT
    else:
        _bbc(folder)
        path = folder
    toml = where / f"{name}.toml"
    toml.write_text(
        f'[[source]]\nname = "{name}"\nkind = "directory"\npath = "{path}"\n'
        'pattern = "*.txt"\nformat = "text"\n',
        encoding="utf-8",
    )
    return toml
