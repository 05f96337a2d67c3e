"""Writes of the catalogue: drafting, review, publication and the later life of a version.

Department administrators draft and submit for their own department; centre administrators review,
publish, suspend and cancel within their region (accounts.authz). A published version is never
changed: a change is a new version (docs/catalogue.md).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.authz import authorize
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.catalogue.models import (
    BaseItem,
    CatalogueRevision,
    FieldType,
    FormField,
    ImplementationVersion,
    ImplementerNature,
    ItemImplementation,
    Level,
    MaterialRequirement,
    PowerSource,
    ProcessStep,
    VersionStatus,
)
from yiwang.catalogue.rules import implementation_code_for, limit_problems, version_missing, vocabulary_problems
from yiwang.catalogue.workflow import WORKFLOW
from yiwang.core.errors import Conflict, ValidationFailed, raise_problems
from yiwang.organisation.choices import RegionLevel

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

BASE_CODE = re.compile(r"^[0-9A-Z]{12}$")
# Content fields a draft may change; children (steps, materials, form fields) have their own services.
EDITABLE = {
    f.name
    for f in ImplementationVersion._meta.concrete_fields
    if f.name
    not in {"id", "implementation", "number", "status", "created_by", "created_at", "published_at", "review_note"}
}


def _locked(version: ImplementationVersion) -> ImplementationVersion:
    return (
        ImplementationVersion.objects.select_for_update()
        .select_related(
            "implementation",
            "implementation__department",
            "implementation__department__region",
            "implementation__base_item",
        )
        .get(pk=version.pk)
    )


def _draft_for_edit(actor: User | None, version: ImplementationVersion) -> ImplementationVersion:
    """The draft, locked, if the actor may edit it; a published version never changes."""
    version = _locked(version)
    if actor is not None:
        authorize(actor, {Role.DEPT_ADMIN}, department=version.implementation.department)
    if version.status != VersionStatus.DRAFT:
        raise Conflict(
            _("Only a draft can be edited; a published version never changes. Start a new version."),
            code="version_immutable",
        )
    return version


@transaction.atomic
def implementation_draft_create(
    *, actor: User | None, base_item: BaseItem, department: Department, level: str, name: str, **content: Any
) -> ImplementationVersion:
    """A new implementation of ``base_item`` by ``department``, as version 1 in draft."""
    if actor is not None:
        authorize(actor, {Role.DEPT_ADMIN}, department=department)
    if not BASE_CODE.match(base_item.base_code):
        raise_problems([("base_item", _("A base code has 12 digits or capital letters."))])
    code = implementation_code_for(credit_code=department.credit_code, level=level, base_code=base_item.base_code)
    if ItemImplementation.objects.filter(code=code).exists():
        raise Conflict(
            _("This department already implements this item at this level (%(code)s).") % {"code": code},
            code="implementation_exists",
        )
    implementation = ItemImplementation.objects.create(
        code=code, base_item=base_item, department=department, level=level
    )
    version = ImplementationVersion(implementation=implementation, number=1, created_by=actor, name=name)
    _apply(version, content)
    version.save()
    audit_record(
        actor=actor,
        action="catalogue.implementation_create",
        target=implementation,
        changes={"code": [None, code], "name": [None, name]},
    )
    return version


def _apply(version: ImplementationVersion, content: dict[str, Any]) -> None:
    unknown = sorted(set(content) - EDITABLE)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)}, code="unknown_fields")
    for key, value in content.items():
        setattr(version, key, value)
    problems = limit_problems(
        statutory=version.statutory_limit, promised=version.promised_limit, case_kind=version.case_kind
    )
    problems += vocabulary_problems(
        channels=version.channels,
        online_depth=version.online_depth,
        service_objects=version.service_objects,
        themes=version.themes,
        special_procedures=version.special_procedures,
    )
    try:
        version.full_clean(
            exclude=["implementation", "number", "created_by", "joint_departments"], validate_unique=False
        )
    except ValidationError as exc:
        problems += [(field, message) for field, messages in exc.message_dict.items() for message in messages]
    raise_problems(problems)


@transaction.atomic
def version_update(*, actor: User | None, version: ImplementationVersion, **content: Any) -> ImplementationVersion:
    """Changes a draft. Anything else is immutable: change a published version with implementation_change."""
    version = _draft_for_edit(actor, version)
    before = {key: getattr(version, key) for key in content}
    _apply(version, content)
    version.save()
    changes = {k: [before[k], content[k]] for k in content if before[k] != content[k]}
    if changes:
        audit_record(actor=actor, action="catalogue.version_update", target=version, changes=_jsonable(changes))
    return version


_CHILD_MODELS: dict[str, type[ProcessStep | MaterialRequirement | FormField]] = {
    "steps": ProcessStep,
    "materials": MaterialRequirement,
    "form_fields": FormField,
}


@transaction.atomic
def version_contents_set(
    *,
    actor: User | None,
    version: ImplementationVersion,
    joint_departments: list[Department] | None = None,
    **children: list[dict[str, Any]],
) -> ImplementationVersion:
    """Replaces a draft's steps, materials or form fields (lists of field values, in order) and its
    joint-approval departments. Every problem of every row is reported at once; nothing is written then."""
    version = _draft_for_edit(actor, version)
    if unknown := sorted(set(children) - set(_CHILD_MODELS)):
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)}, code="unknown_fields")
    problems: list[tuple[str, str]] = []
    built: dict[str, list[Any]] = {}
    for relation, rows in children.items():
        model = _CHILD_MODELS[relation]
        built[relation] = []
        for position, values in enumerate(rows, start=1):
            row = model(version=version, order=position, **values)
            try:
                row.full_clean(exclude=["version"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                problems += [
                    (f"{relation}[{position}].{field}", message)
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            built[relation].append(row)
    problems += _form_field_problems(built.get("form_fields", []))
    raise_problems(problems)
    for relation, new_rows in built.items():
        _CHILD_MODELS[relation].objects.filter(version=version).delete()
        _CHILD_MODELS[relation].objects.bulk_create(new_rows)
    if joint_departments is not None:
        version.joint_departments.set(joint_departments)
    audit_record(
        actor=actor,
        action="catalogue.version_contents_set",
        target=version,
        changes={
            **{relation: [None, [str(row) for row in new_rows]] for relation, new_rows in built.items()},
            **(
                {"joint_departments": [None, [d.pk for d in joint_departments]]}
                if joint_departments is not None
                else {}
            ),
        },
    )
    return version


def _form_field_problems(fields: list[FormField]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for position, field in enumerate(fields, start=1):
        if field.key in seen:
            problems.append((f"form_fields[{position}].key", _("Two fields have the same key.")))
        seen.add(field.key)
        if field.field_type == FieldType.CHOICE and not field.choices:
            problems.append((f"form_fields[{position}].choices", _("A choice field needs its choices.")))
        if field.min_value is not None and field.max_value is not None and field.min_value > field.max_value:
            problems.append((f"form_fields[{position}].min_value", _("The minimum is above the maximum.")))
    return problems


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [v if isinstance(v, str | int | float | bool | list | dict | type(None)) else str(v) for v in pair]
        for k, pair in changes.items()
    }


def _step(actor: User | None, version: ImplementationVersion, action: str, note: str = "") -> ImplementationVersion:
    version = _locked(version)
    department = version.implementation.department
    if actor is not None:
        authorize(
            actor,
            WORKFLOW.roles(action),
            department=department if action == "submit" else None,
            region=department.region,
        )
    new_status = WORKFLOW.target(version.status, action)
    if action in ("submit", "publish"):
        raise_problems(version_missing(version, item_type=version.implementation.base_item.item_type))
    old_status = version.status
    version.status = new_status
    if action == "return":
        version.review_note = note[:500]
    if action == "publish":
        version.published_at = timezone.now()
        previous = version.implementation.current
        if previous is not None and previous.pk != version.pk:
            ImplementationVersion.objects.filter(pk=previous.pk).update(
                status=WORKFLOW.target(previous.status, "supersede")
            )
        ItemImplementation.objects.filter(pk=version.implementation_id).update(current=version)
    version.save()
    if action in ("publish", "suspend", "resume", "cancel"):
        CatalogueRevision.bump()  # what the public sees changed: search indexes rebuild
    audit_record(
        actor=actor,
        action=f"catalogue.version_{action}",
        target=version,
        changes={"status": [old_status, new_status], **({"note": [None, note]} if note else {})},
    )
    return version


@transaction.atomic
def version_submit(*, actor: User | None, version: ImplementationVersion) -> ImplementationVersion:
    """Draft → review, when every required element is present (else all missing ones are listed)."""
    return _step(actor, version, "submit")


@transaction.atomic
def version_return(*, actor: User | None, version: ImplementationVersion, reason: str) -> ImplementationVersion:
    if not reason.strip():
        raise_problems([("reason", _("Say what must be corrected."))])
    return _step(actor, version, "return", reason.strip())


@transaction.atomic
def version_publish(*, actor: User | None, version: ImplementationVersion) -> ImplementationVersion:
    """Review → published; the previously published version is superseded (cases keep theirs)."""
    return _step(actor, version, "publish")


@transaction.atomic
def version_suspend(*, actor: User | None, version: ImplementationVersion, reason: str) -> ImplementationVersion:
    return _step(actor, version, "suspend", reason.strip())


@transaction.atomic
def version_resume(*, actor: User | None, version: ImplementationVersion) -> ImplementationVersion:
    return _step(actor, version, "resume")


@transaction.atomic
def version_cancel(*, actor: User | None, version: ImplementationVersion, reason: str) -> ImplementationVersion:
    return _step(actor, version, "cancel", reason.strip())


@transaction.atomic
def implementation_change(*, actor: User | None, implementation: ItemImplementation) -> ImplementationVersion:
    """A new draft copied from the published version, steps, materials and form fields included."""
    implementation = (
        ItemImplementation.objects.select_for_update().select_related("department").get(pk=implementation.pk)
    )
    if actor is not None:
        authorize(actor, {Role.DEPT_ADMIN}, department=implementation.department)
    if implementation.versions.filter(status__in=(VersionStatus.DRAFT, VersionStatus.REVIEW)).exists():
        raise Conflict(_("A new version is already being prepared."), code="version_in_progress")
    source = implementation.current
    if source is None:
        raise Conflict(_("Only a published implementation can be changed."), code="not_published")
    latest = implementation.versions.order_by("-number").values_list("number", flat=True).first() or 0
    draft = _copy_version(source, implementation=implementation, number=latest + 1, actor=actor)
    audit_record(
        actor=actor,
        action="catalogue.implementation_change",
        target=draft,
        changes={"from_version": [None, source.number], "version": [None, draft.number]},
    )
    return draft


def _copy_version(
    source: ImplementationVersion,
    *,
    implementation: ItemImplementation,
    number: int,
    actor: User | None,
    **overrides: Any,
) -> ImplementationVersion:
    """A new draft of ``implementation`` with the content of ``source``: steps, materials, form fields too."""
    joint = list(source.joint_departments.all())
    steps, materials, fields = list(source.steps.all()), list(source.materials.all()), list(source.form_fields.all())
    draft = ImplementationVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft.implementation = implementation
    draft.number, draft.status, draft.created_by = number, VersionStatus.DRAFT, actor
    draft.published_at, draft.review_note = None, ""
    for key, value in overrides.items():
        setattr(draft, key, value)
    draft.save()
    draft.joint_departments.set(joint)
    for children in (steps, materials, fields):
        for child in children:
            child.pk = None
            child.version = draft
            child.save()
    return draft


# 行使层级 of an implementation by the level of its department's region.
REGION_TO_LEVEL = {
    RegionLevel.PROVINCE: Level.PROVINCE,
    RegionLevel.CITY: Level.CITY,
    RegionLevel.DISTRICT: Level.COUNTY,
    RegionLevel.TOWNSHIP: Level.TOWNSHIP,
    RegionLevel.VILLAGE: Level.VILLAGE,
}


def _derive(actor: User | None, implementation: ItemImplementation, to: Department, kind: str) -> ImplementationVersion:
    """下放 or 委托: a new implementation by ``to``, drafted from the published version of ``implementation``."""
    implementation = (
        ItemImplementation.objects.select_for_update(of=("self",))
        .select_related("department__region", "base_item", "current")
        .get(pk=implementation.pk)
    )
    source_region, target_region = implementation.department.region, to.region
    if actor is not None:
        authorize(actor, {Role.CENTRE_ADMIN}, region=source_region)
        authorize(actor, {Role.CENTRE_ADMIN}, region=target_region)
    if implementation.current is None or implementation.current.status != VersionStatus.PUBLISHED:
        raise Conflict(_("Only a published implementation can be delegated or entrusted."), code="not_published")
    if to.pk == implementation.department_id:
        raise_problems([("department", _("Choose another department."))])
    below = target_region.path.startswith(source_region.path) and target_region.pk != source_region.pk
    if kind == "delegate" and not below:
        raise_problems([("department", _("A power is delegated down: choose a department of a lower region."))])
    if kind == "entrust" and not (below or target_region.pk == source_region.pk):
        raise_problems([("department", _("A power is entrusted to a body of the same or a lower region."))])
    level = REGION_TO_LEVEL[RegionLevel(target_region.level)]
    code = implementation_code_for(
        credit_code=to.credit_code, level=level, base_code=implementation.base_item.base_code
    )
    if ItemImplementation.objects.filter(code=code).exists():
        raise Conflict(
            _("This department already implements this item at this level (%(code)s).") % {"code": code},
            code="implementation_exists",
        )
    derived = ItemImplementation.objects.create(
        code=code, base_item=implementation.base_item, department=to, level=level
    )
    if kind == "delegate":
        power, nature = PowerSource.DELEGATED, ImplementerNature.STATUTORY_ORGAN
    else:
        power = PowerSource.ENTRUSTED_HIGHER if below else PowerSource.ENTRUSTED_PEER
        nature = ImplementerNature.ENTRUSTED_BODY
    draft = _copy_version(
        implementation.current,
        implementation=derived,
        number=1,
        actor=actor,
        power_source=power,
        implementer_nature=nature,
        entrusting_department=implementation.department,
    )
    audit_record(
        actor=actor,
        action=f"catalogue.implementation_{kind}",
        target=derived,
        changes={"from": [None, implementation.code], "code": [None, code], "power_source": [None, power]},
    )
    return draft


@transaction.atomic
def implementation_delegate(
    *, actor: User | None, implementation: ItemImplementation, to: Department
) -> ImplementationVersion:
    """下放: the power moves to a department of a lower region, which implements it as its own
    (权力来源 上级下放). The new implementation starts as a draft for the receiving department to check
    and submit; the original stays published until the centre cancels it."""
    return _derive(actor, implementation, to, "delegate")


@transaction.atomic
def implementation_entrust(
    *, actor: User | None, implementation: ItemImplementation, to: Department
) -> ImplementationVersion:
    """委托: another body handles the item in the name of the entrusting department (受委托组织)."""
    return _derive(actor, implementation, to, "entrust")
