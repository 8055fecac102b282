"""Every command is documented: a help text with an example (a habit from sqlite-utils)."""

from __future__ import annotations

import click
import pytest

from tuscan.cli import main


def commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


ALL = list(commands(main))


def test_design_contract_commands_exist():
    names = {name for name, _ in ALL}
    assert {"discover", "classify", "decide"} <= names


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_command_has_help_with_an_example(name, command):
    assert command.help, f"`tuscan {name}` has no help text"
    if not isinstance(command, click.Group):
        assert "Example" in command.help, f"`tuscan {name}` help has no example"
