"""免提交 for one applicant: whether a material the item says may come from a licence or shared data
really does, for this applicant, now.

The contexts that hold licences and shared data register a finder here (at start-up), so case
handling asks them without depending on them. A finder answers for one material and one applicant
code (resident ID number or credit code) with an ``Exemption`` or ``None`` (the applicant supplies it).
Finders are asked in order; the first answer wins. The exemption's ``record`` is called once the
case exists, inside the submitting transaction, to log the use (用证, the data query) against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yiwang.catalogue.models import MaterialRequirement


@dataclass(frozen=True)
class Exemption:
    note: str  # shown with the material: which licence or data supplies it
    reference: str = ""  # the licence identifier or data query number
    record: Callable[[Any, Any], None] | None = field(default=None, compare=False)  # (case, actor)


Finder = Callable[["MaterialRequirement", str], "Exemption | None"]
# A finder for several materials at once (one query for all of them): material id → exemption.
ManyFinder = Callable[[list["MaterialRequirement"], str], dict[int, "Exemption"]]
_finders: list[ManyFinder] = []
_registered: set[object] = set()


def exemption_finder_register(finder: Finder) -> None:
    """A finder that answers for one material at a time."""

    def many(requirements: list[MaterialRequirement], applicant_code: str) -> dict[int, Exemption]:
        found = {}
        for requirement in requirements:
            exemption = finder(requirement, applicant_code)
            if exemption is not None:
                found[requirement.pk] = exemption
        return found

    if finder not in _registered:
        _registered.add(finder)
        _finders.append(many)


def exemptions_finder_register(finder: ManyFinder) -> None:
    """A finder that answers for all of a checklist's materials together."""
    if finder not in _registered:
        _registered.add(finder)
        _finders.append(finder)


def exemption_for(requirement: MaterialRequirement, applicant_code: str) -> Exemption | None:
    """The first finder's answer for a material that may be exempt; ``None`` when it must be supplied."""
    return exemptions_for([requirement], applicant_code).get(requirement.pk)


def exemptions_for(requirements: list[MaterialRequirement], applicant_code: str) -> dict[int, Exemption]:
    """Material id → its exemption, for the checklist a window or the online hall shows this applicant.
    Finders are asked in order for the materials no earlier finder answered: the first answer wins."""
    left = [r for r in requirements if r.exempt] if applicant_code else []
    found: dict[int, Exemption] = {}
    for finder in _finders:
        if not left:
            break
        found.update(finder(left, applicant_code))
        left = [r for r in left if r.pk not in found]
    return found
