"""Reads of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yiwang.catalogue.models import ImplementationVersion
from yiwang.catalogue.services import EDITABLE

# What identifies a child row across versions, and which of its values matter.
_CHILDREN = {
    "steps": ("name", ("performer", "working_days", "description")),
    "materials": (
        "name",
        (
            "copy_type",
            "form",
            "necessity",
            "source",
            "replaced_by_id",
            "shared_data",
            "copies",
            "specification",
            "acceptance_standard",
            "basis",
            "notes",
        ),
    ),
    "form_fields": (
        "key",
        ("label", "field_type", "required", "max_length", "choices", "min_value", "max_value", "help_text"),
    ),
}


@dataclass
class VersionDiff:
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, dict[str, dict[str, tuple[Any, Any]]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.added or self.removed or self.changed)


def version_diff(old: ImplementationVersion, new: ImplementationVersion) -> VersionDiff:
    """What changed from ``old`` to ``new``: guide fields, then steps, materials and form fields by name or key."""
    diff = VersionDiff()
    for name in sorted(EDITABLE):
        attribute = name if name not in {"entrusting_department", "result_licence_type"} else f"{name}_id"
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            diff.fields[name] = (before, after)
    joint_before = sorted(old.joint_departments.values_list("pk", flat=True))
    joint_after = sorted(new.joint_departments.values_list("pk", flat=True))
    if joint_before != joint_after:
        diff.fields["joint_departments"] = (joint_before, joint_after)
    for relation, (identity, values) in _CHILDREN.items():
        before_rows = {getattr(r, identity): r for r in getattr(old, relation).all()}
        after_rows = {getattr(r, identity): r for r in getattr(new, relation).all()}
        if added := sorted(set(after_rows) - set(before_rows)):
            diff.added[relation] = added
        if removed := sorted(set(before_rows) - set(after_rows)):
            diff.removed[relation] = removed
        for key in sorted(set(before_rows) & set(after_rows)):
            changes = {
                v: (getattr(before_rows[key], v), getattr(after_rows[key], v))
                for v in values
                if getattr(before_rows[key], v) != getattr(after_rows[key], v)
            }
            if changes:
                diff.changed.setdefault(relation, {})[key] = changes
    return diff
