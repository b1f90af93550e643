"""The command line is generated from the typed parameter models: one option per field, the
model's defaults and descriptions, the operators' old flags kept as aliases."""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel

from flows.cli import ALIASES, COMMANDS, main, parser
from flows.options import Alias, add_model_options, model_values, option_flag
from flows.params import (
    DEFAULT_ROOT,
    BackfillParameters,
    IngestParameters,
    MaintenanceParameters,
    ReportParameters,
)
from tests.conftest import PROJECT

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def _subparser(command: str) -> argparse.ArgumentParser:
    top = parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    found: argparse.ArgumentParser = sub.choices[command]
    return found


def _help_flags(command: str) -> list[str]:
    """The flags that `wiredup COMMAND --help` lists, in order."""
    text = _subparser(command).format_help()
    options = text.split("options:", 1)[1]
    return re.findall(r"^  (--[a-z][a-z-]*)", options, flags=re.MULTILINE)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_field_has_exactly_one_option(command: str) -> None:
    _, model = COMMANDS[command]
    flags = _help_flags(command)
    expected = [
        option_flag(name, field, ALIASES.get(command, {}))
        for name, field in model.model_fields.items()
    ]
    assert flags == expected
    assert len(set(flags)) == len(flags) == len(model.model_fields)
    dests = [a.dest for a in _subparser(command)._actions if a.dest != "help"]
    assert dests == list(model.model_fields)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_default_is_declared_outside_the_models(command: str) -> None:
    _, model = COMMANDS[command]
    for action in _subparser(command)._actions:
        if action.dest != "help":
            # Not given means not passed: the model's own default applies.
            assert action.default is argparse.SUPPRESS, action.dest
    help_text = " ".join(_subparser(command).format_help().split())
    for name, field in model.model_fields.items():
        if field.annotation in (int, float, str) and not field.is_required():
            assert f"(default: {field.default})" in help_text, name
    # And no literal default anywhere in the command line's source.
    for module in ("cli.py", "options.py"):
        tree = ast.parse((FLOWS / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
                for keyword in node.keywords:
                    if keyword.arg == "default":
                        assert ast.unparse(keyword.value) == "argparse.SUPPRESS", module
            if isinstance(node, ast.Constant):
                assert node.value not in ("data", "sources.toml"), module


def test_help_says_the_models_descriptions_and_defaults() -> None:
    text = " ".join(_subparser("compact").format_help().split())
    field = MaintenanceParameters.model_fields["min_files"]
    assert f"--min-files N {field.description} (default: 8)" in text
    run = " ".join(_subparser("run").format_help().split())
    assert "--no-report Rewrite the HTML report" in run and "this flag turns it off" in run
    assert "--dry-run Read, normalize and match, but write nothing. (off by default)" in run


def test_nothing_given_is_the_models_defaults() -> None:
    for command, (_, model) in COMMANDS.items():
        if command == "backfill":
            continue  # its dates are required
        args = parser().parse_args([command])
        assert model(**model_values(args, model)) == model()
    report = parser().parse_args(["report"])
    assert ReportParameters(**model_values(report, ReportParameters)).root == DEFAULT_ROOT
    assert DEFAULT_ROOT == "data"
    for model in (IngestParameters, MaintenanceParameters, ReportParameters):
        assert model().root == DEFAULT_ROOT  # type: ignore[attr-defined]


def test_operators_flags_fill_the_models_fields() -> None:
    args = parser().parse_args(
        [
            "run",
            "--sources",
            "conf/wires.toml",
            "--source",
            "agence-fr",
            "--source",
            "partner",
            "--root",
            "/srv/wire",
            "--no-report",
            "--dry-run",
            "--lock-wait",
            "30",
            "--workers",
            "2",
            "--near-threshold",
            "0.6",
        ]
    )
    params = IngestParameters(**model_values(args, IngestParameters))
    assert params.sources_file == "conf/wires.toml"
    assert params.sources == ["agence-fr", "partner"]
    assert params.root == "/srv/wire"
    assert params.report is False and params.dry_run is True
    assert params.lock_wait_seconds == 30.0 and params.workers == 2
    assert params.near_threshold == 0.6
    assert params.window_days == IngestParameters().window_days

    back = parser().parse_args(["backfill", "--from", "2026-11-01", "--to", "2026-11-30"])
    backfill = BackfillParameters(**model_values(back, BackfillParameters))
    assert (backfill.date_from, backfill.date_to) == (date(2026, 11, 1), date(2026, 11, 30))
    assert backfill.root == DEFAULT_ROOT and backfill.dry_run is False


def test_bad_values_are_refused_before_any_flow(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["backfill", "--from", "2026-13-01", "--to", "2026-11-30"])
    assert exit_.value.code == 2
    assert "invalid date value: '2026-13-01'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser().parse_args(["backfill", "--to", "2026-11-30"])
    assert "the following arguments are required: --from" in capsys.readouterr().err
    # A bound of the model: refused with the field's name, exit status 2.
    assert main(["compact", "--min-files", "1", "--root", "unused"]) == 2
    assert "min_files" in capsys.readouterr().err


class _Sample(BaseModel):
    """A model with one field of each kind the generator knows."""

    count: int = 3
    ratio: float = 0.25
    label: str | None = None
    day: date = date(2026, 1, 2)
    names: list[str] | None = None
    verbose: bool = False
    colour: bool = True


def test_each_annotation_becomes_its_kind_of_option() -> None:
    built = argparse.ArgumentParser()
    add_model_options(built, _Sample, {"names": Alias("--name", "NAME")})
    args = built.parse_args(
        [
            *("--count", "4", "--ratio", "0.5", "--label", "x", "--day", "2026-03-04"),
            *("--name", "a", "--name", "b", "--verbose", "--no-colour"),
        ]
    )
    assert model_values(args, _Sample) == {
        "count": 4,
        "ratio": 0.5,
        "label": "x",
        "day": date(2026, 3, 4),
        "names": ["a", "b"],
        "verbose": True,
        "colour": False,
    }
    assert model_values(built.parse_args([]), _Sample) == {}
    text = " ".join(built.format_help().split())
    assert "--day YYYY-MM-DD day (default: 2026-01-02)" in text
    with pytest.raises(ValueError, match="aliases of no field"):
        add_model_options(argparse.ArgumentParser(), _Sample, {"nope": Alias("--nope")})


def test_the_command_keeps_prefect_from_phoning_home(monkeypatch: pytest.MonkeyPatch) -> None:
    # Set before Prefect is imported, so the SDK's usage events and the temporary server's
    # telemetry stay off; an operator's own setting is kept.
    monkeypatch.delenv("DO_NOT_TRACK", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "true")
    assert main(["compact", "--min-files", "1", "--root", "unused"]) == 2
    assert os.environ["DO_NOT_TRACK"] == "1"
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true"


_STARTUP_PROBE = """
import sys
import py3langid.langid as langid
import flows.cli as cli
from ingest.normalize import places

def loaded():
    return langid.IDENTIFIER is not None, places._names.cache_info().currsize == 1

def flow(call):
    print("at the flow", *loaded())
    sys.exit(0)

print("before", *loaded())
cli._early_server = object()  # a temporary server starting: the tables are loaded meanwhile
cli._flow = flow
cli._run(cli.parser().parse_args(["run", "--root", sys.argv[1]]))
"""


def test_the_command_loads_the_normalization_tables_while_its_server_starts(
    tmp_path: Path,
) -> None:
    # The gazetteer and the language model (about 1.5 s) are loaded before the flow, while
    # the command waits for its temporary server, not by the run's first story. A process of
    # its own: this one may have loaded them already.
    probe = subprocess.run(
        [sys.executable, "-c", _STARTUP_PROBE, str(tmp_path / "data")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    assert probe.stdout.splitlines() == ["before False False", "at the flow True True"]


def test_a_run_against_the_temporary_server_sends_no_heartbeats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Flow-run heartbeats serve a lasting server; the command's temporary one ends with it, and
    # Prefect's heartbeat thread held each flow run's end up to a second.
    from prefect.settings import get_current_settings

    import flows.cli as cli
    import flows.settle

    class _Started:  # the seam: the temporary server, up already
        api_url = "http://127.0.0.1:9/api"

        def adopt(self) -> bool:
            return True

        def wait_ready(self) -> None:
            pass

    monkeypatch.setattr(cli, "_early_server", _Started())
    monkeypatch.setattr(flows.settle, "settle", lambda since, **options: True)

    def seen() -> tuple[int | None, str | None]:
        settings = get_current_settings()
        return settings.flows.heartbeat_frequency, settings.api.url

    assert cli._flow(seen) == (None, _Started.api_url)
    assert get_current_settings().flows.heartbeat_frequency is not None  # Prefect's own outside
