"""Command-line options generated from a typed parameter model.

The pydantic models of ``flows.params`` are the one definition of every flow parameter: its
name, type, bounds, description and default. The Prefect UI renders its forms from them, and
this module turns the same fields into ``argparse`` options, so the command line can neither
drift from the deployments nor declare a default of its own:

- the name: ``field_name`` -> ``--field-name``, unless an alias keeps an older spelling;
- the help: the field's description, with the model's default;
- the type: ``bool`` -> a flag (``--x`` when the default is False, ``--no-x`` when it is
  True), ``int`` / ``float`` / ``str`` -> one value, ``list[str]`` -> a repeatable option,
  ``date`` -> ``YYYY-MM-DD``.

An option left out is left out of the values too, so the model's default applies and the
model alone validates what was given.
"""

from __future__ import annotations

import argparse
import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

__all__ = ["Alias", "add_model_options", "model_values", "option_flag"]


@dataclass(frozen=True)
class Alias:
    """The flag an operator types for a field, where it differs from ``--field-name``."""

    flag: str
    #: What the help shows for the value; the type's placeholder when None.
    metavar: str | None = None


def _iso_date(text: str) -> date:
    return date.fromisoformat(text)


# argparse names the type in its error: "invalid date value: '2026-13-01'".
_iso_date.__name__ = "date"

# The placeholder of a value in the help, by type.
_METAVARS: dict[type, str] = {int: "N", float: "X", str: "TEXT", date: "YYYY-MM-DD"}
_CONVERTERS: dict[type, Any] = {int: int, float: float, str: str, date: _iso_date}


def option_flag(name: str, field: FieldInfo, aliases: Mapping[str, Alias]) -> str:
    """The flag of field ``name``: its alias, ``--no-name`` for a flag on by default, else
    ``--name``, with dashes for underscores."""
    if name in aliases:
        return aliases[name].flag
    kebab = name.replace("_", "-")
    if _value_type(field.annotation) is bool and field.default is True:
        return f"--no-{kebab}"
    return f"--{kebab}"


def add_model_options(
    parser: argparse.ArgumentParser,
    model: type[BaseModel],
    aliases: Mapping[str, Alias] | None = None,
) -> None:
    """Add one option per field of ``model`` to ``parser``, in the model's field order."""
    aliases = aliases or {}
    unknown = set(aliases) - set(model.model_fields)
    if unknown:
        raise ValueError(f"aliases of no field of {model.__name__}: {', '.join(sorted(unknown))}")
    for name, field in model.model_fields.items():
        flag = option_flag(name, field, aliases)
        kind = _value_type(field.annotation)
        required = field.is_required()
        description = (field.description or name.replace("_", " ")).replace("%", "%%")
        # Not given: absent from the namespace, so the model's own default applies.
        common: dict[str, Any] = {"dest": name, "default": argparse.SUPPRESS}
        if kind is bool:
            on_by_default = field.default is True
            action = "store_false" if on_by_default else "store_true"
            state = "on by default; this flag turns it off" if on_by_default else "off by default"
            parser.add_argument(flag, action=action, help=f"{description} ({state})", **common)
            continue
        metavar = aliases[name].metavar if name in aliases else None
        if get_origin(kind) is Literal:
            choices = [str(c) for c in get_args(kind)]
            shown = "" if required else _default_text(field.default, False)
            parser.add_argument(
                flag,
                choices=choices,
                required=required,
                metavar=metavar or "|".join(choices),
                help=f"{description}{shown}",
                **common,
            )
            continue
        repeated = kind is list
        item = _item_type(field.annotation) if repeated else kind
        if item not in _CONVERTERS:
            raise TypeError(f"{model.__name__}.{name}: no option for {field.annotation!r}")
        shown = "" if required else _default_text(field.default, repeated)
        parser.add_argument(
            flag,
            type=_CONVERTERS[item],
            action="append" if repeated else "store",
            required=required,
            metavar=metavar or _METAVARS[item],
            help=f"{description}{' (repeatable)' if repeated else ''}{shown}",
            **common,
        )


def model_values(args: argparse.Namespace, model: type[BaseModel]) -> dict[str, Any]:
    """The fields of ``model`` that the command line gave, by field name."""
    given = vars(args)
    return {name: given[name] for name in model.model_fields if name in given}


def _default_text(default: Any, repeated: bool) -> str:
    if default is None or (repeated and not default):
        return ""
    if isinstance(default, date):
        default = default.isoformat()
    return f" (default: {str(default).replace('%', '%%')})"


def _without_none(annotation: Any) -> list[Any]:
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def _value_type(annotation: Any) -> Any:
    """``bool``, ``int``, ``float``, ``str``, ``date`` or ``list`` for one field's annotation."""
    kinds = _without_none(annotation)
    if len(kinds) != 1:
        raise TypeError(f"no option for a union of several types: {annotation!r}")
    kind = kinds[0]
    return list if get_origin(kind) is list else kind


def _item_type(annotation: Any) -> Any:
    (items,) = get_args(_without_none(annotation)[0])
    return items
