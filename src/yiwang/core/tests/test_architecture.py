"""The allowed arrows of docs/architecture.md, as import-linter checks them in `make test`.

`lint-imports` proves the code keeps the contracts; these tests prove the contracts would catch what
the house looked like before issue 18 put it in order — each of those back-arrows, put back alone,
breaks a contract — so that a contract loosened by mistake fails here.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract

ROOT = Path(__file__).resolve().parents[4]
CONTRACT_TYPES: dict[str, Any] = {"layers": LayersContract, "protected": ProtectedContract}

# (importer, imported): arrows that existed before issue 18 and must never come back.
BACK_ARROWS = [
    # the foundation knot
    ("yiwang.core.jobs", "yiwang.audit.services"),
    ("yiwang.core.services", "yiwang.audit.services"),
    ("yiwang.core.api_support", "yiwang.accounts.services"),
    ("yiwang.core.admin_site", "yiwang.accounts.selectors"),
    ("yiwang.core.admin", "yiwang.accounts.selectors"),
    ("yiwang.core.management.commands.migrate_all", "yiwang.demo.city"),
    ("yiwang.audit.services", "yiwang.accounts.selectors"),
    ("yiwang.audit.views", "yiwang.workbench.views"),
    ("yiwang.organisation.services", "yiwang.accounts.authz"),
    ("yiwang.organisation.admin", "yiwang.accounts.selectors"),
    ("yiwang.notifications.views", "yiwang.accounts.selectors"),
    ("yiwang.accounts.roles_views", "yiwang.workbench.views"),
    # the workbench knowing a context
    ("yiwang.workbench.views", "yiwang.catalogue.selectors"),
    # contexts reading each other's tables
    ("yiwang.cases.services", "yiwang.catalogue.models"),
    ("yiwang.hotline.selectors", "yiwang.organisation.models"),
    ("yiwang.hall.selectors", "yiwang.organisation.models"),
    ("yiwang.evaluation.selectors", "yiwang.hall.models"),
    ("yiwang.online.views", "yiwang.cases.models"),
    ("yiwang.oversight.selectors", "yiwang.organisation.models"),
    ("yiwang.accounts.services", "yiwang.organisation.models"),
]


def _contracts() -> list[Any]:
    configuration = read_configuration(str(ROOT / "pyproject.toml"))
    session = configuration["session_options"]
    return [
        CONTRACT_TYPES[options["type"]](name=options["name"], session_options=session, contract_options=options)
        for options in configuration["contracts_options"]
    ]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("yiwang", exclude_type_checking_imports=True)


def _broken(graph: grimp.ImportGraph) -> list[str]:
    return [contract.name for contract in _contracts() if not contract.check(copy.deepcopy(graph), verbose=False).kept]


def test_the_code_keeps_every_contract(graph: grimp.ImportGraph) -> None:
    assert _broken(graph) == []


@pytest.mark.parametrize(("importer", "imported"), BACK_ARROWS)
def test_an_old_back_arrow_put_back_breaks_a_contract(graph: grimp.ImportGraph, importer: str, imported: str) -> None:
    changed = copy.deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    assert _broken(changed), f"{importer} -> {imported} would pass unnoticed"


def test_every_context_with_tables_has_its_contract() -> None:
    src = ROOT / "src" / "yiwang"
    # A context's tables are in ``models.py`` or, split by capability, in a ``models/`` package.
    with_tables = {path.parent.name for path in src.glob("*/models.py")}
    with_tables |= {path.parent.parent.name for path in src.glob("*/models/__init__.py")}
    protected = {
        module.split(".")[1]
        for options in read_configuration(str(ROOT / "pyproject.toml"))["contracts_options"]
        if options["type"] == "protected"
        for module in options["protected_modules"]
    }
    assert with_tables == protected
