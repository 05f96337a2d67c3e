"""Reads of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from yiwang.accounts.authz import scope_filter
from yiwang.accounts.roles import Role
from yiwang.catalogue import search
from yiwang.catalogue.models import (
    CaseKind,
    Channel,
    CopyType,
    CrossRegion,
    FormField,
    ImplementationVersion,
    ItemImplementation,
    ItemType,
    Level,
    LicenceType,
    LimitUnit,
    MaterialForm,
    MaterialRequirement,
    Necessity,
    OnlineDepth,
    PowerSource,
    ProcessStep,
    ResultType,
    SpecialProcedure,
    VersionStatus,
)
from yiwang.catalogue.services import EDITABLE
from yiwang.catalogue.themes import Audience
from yiwang.core.errors import NotFound
from yiwang.core.process_copy import ImmutableRows
from yiwang.core.selectors import one_or_none

if TYPE_CHECKING:
    from yiwang.accounts.models import User
    from yiwang.organisation.models import Department

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


# --- the published catalogue: lists, search and the guide ------------------------------------------


def published() -> QuerySet[ItemImplementation]:
    """Implementations whose current version is published, with what a list row shows."""
    return ItemImplementation.objects.filter(current__status=VersionStatus.PUBLISHED).select_related(
        "current", "department"
    )


def implementation_published_get(*, code: str) -> ItemImplementation | None:
    """The implementation ``code`` if its current version is published, with that version and its department."""
    return published().filter(code=code).first()


def version_published_for_submission(*, code: str) -> ImplementationVersion | None:
    """The published current version of implementation ``code``, read as a submission needs it (one query:
    the version, its implementation, department and region — see ``version_with_implementation``)."""
    return one_or_none(
        ImplementationVersion.objects.select_related("implementation__department__region").filter(
            implementation__code=code, status=VersionStatus.PUBLISHED, implementation__current=models.F("pk")
        )
    )


def version_loaded_for_submission(version: ImplementationVersion) -> bool:
    """Whether ``version`` came with what a submission checks (``version_published_for_submission`` or
    ``version_with_implementation``), so that the submitting service need not read it again."""
    implementation = ImplementationVersion._meta.get_field("implementation")
    if not implementation.is_cached(version):
        return False
    owner = version.implementation
    return ItemImplementation._meta.get_field("department").is_cached(owner)


def implementation_get(*, code: str) -> ItemImplementation | None:
    """The implementation ``code`` whatever its status, with its current version, base item and department."""
    return ItemImplementation.objects.filter(code=code).select_related("current", "base_item", "department").first()


def implementations_with_current() -> QuerySet[ItemImplementation]:
    """Every implementation that has a current version (published or not)."""
    return ItemImplementation.objects.filter(current__isnull=False)


def version_with_implementation(*, pk: int) -> ImplementationVersion:
    """A version read again with its implementation, the implementation's current version and its department
    and region (what a submission checks). ``ImplementationVersion.DoesNotExist`` for an unknown id."""
    return ImplementationVersion.objects.select_related(
        "implementation__department__region", "implementation__current"
    ).get(pk=pk)


@dataclass(frozen=True)
class VersionContents:
    """What a submission and an acceptance read of a version: its form, materials (with the licence type
    that may replace each), the review steps and the joint departments."""

    form_fields: list[FormField]
    materials: list[MaterialRequirement]
    steps: list[ProcessStep]
    joint_departments: list[Department]


# A version past review never changes (catalogue.services: "a published version never changes").
_FIXED_CONTENTS: ImmutableRows[int, VersionContents] = ImmutableRows()


def version_contents(version: ImplementationVersion) -> VersionContents:
    """``version``'s contents; read once per process for a version that can no longer change."""

    def load() -> VersionContents:
        return VersionContents(
            list(version.form_fields.all()),
            list(version.materials.select_related("replaced_by")),
            list(version.steps.all()),
            list(version.joint_departments.all()),
        )

    if version.status in (VersionStatus.DRAFT, VersionStatus.REVIEW):
        return load()
    return _FIXED_CONTENTS.get(version.pk, load)


def version_material_get(*, version: ImplementationVersion, pk: int) -> MaterialRequirement | None:
    """A material the version asks for (``None`` if it belongs to another version)."""
    return version.materials.filter(pk=pk).first()


def published_list(
    *, q: str = "", department: int | None = None, theme: str = "", level: str | None = None
) -> QuerySet[ItemImplementation] | search.RankedResults:
    """The published catalogue filtered; ranked by relevance when there is a query, else by code."""
    if q.strip():
        return search.RankedResults(search.find(q, department=department, theme=theme, level=level), published())
    items = published()
    if department:
        items = items.filter(department_id=department)
    if level:
        items = items.filter(level=level)
    if theme:
        items = items.filter(current__theme_text__contains=f"|{theme}|")
    return items.order_by("code")


def theme_counts(audience: Audience) -> list[tuple[str, int]]:
    """How many published implementations each theme of ``audience`` has, in the audience's order."""
    return list(search.theme_counts(audience.themes).items())


@dataclass(frozen=True)
class GuideMaterial:
    order: int
    name: str
    requirement: str
    copies: int
    note: str
    necessity: str
    exempt_by: str  # 免提交: the licence or shared data that supplies it, else ""
    has_blank_form: bool
    has_sample: bool


@dataclass(frozen=True)
class GuideStep:
    order: int
    name: str
    performer: str
    days: int
    description: str


@dataclass(frozen=True)
class Guide:
    """办事指南: one published version, ready for the page, the PDF and the window checklist."""

    code: str
    version: int
    published_on: str
    name: str
    department: str
    version_obj: ImplementationVersion
    materials: list[GuideMaterial]
    steps: list[GuideStep]
    joint_departments: list[str]

    @property
    def exempt_count(self) -> int:
        return sum(1 for m in self.materials if m.exempt_by)

    def limits(self) -> tuple[str, str]:
        v = self.version_obj
        unit = LimitUnit(v.statutory_limit_unit).label
        statutory = _("%(n)s %(unit)s") % {"n": v.statutory_limit, "unit": unit}
        if v.case_kind == CaseKind.ON_THE_SPOT:
            promised = str(_("Concluded on the spot"))
        else:
            promised = _("%(n)s %(unit)s") % {"n": v.promised_limit, "unit": LimitUnit.WORKING_DAYS.label}
        return statutory, promised

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The guide's sections as (heading, [(label, value)]), in print order; empty values left out."""
        v = self.version_obj
        implementation = v.implementation
        statutory, promised = self.limits()
        yes, no = str(_("Yes")), str(_("No"))
        fees = [
            f"{fee.get('name', '')}：{fee.get('standard', '')}" + (f"（{fee['basis']}）" if fee.get("basis") else "")
            for fee in v.fees
        ]
        power = str(PowerSource(v.power_source).label)
        if v.entrusting_department is not None:
            power += f"（{v.entrusting_department.name}）"
        sections: list[tuple[str, list[tuple[str, str]]]] = [
            (
                str(_("Basic information")),
                [
                    (str(_("Item type")), str(ItemType(implementation.base_item.item_type).label)),
                    (str(_("Implementing department")), self.department),
                    (str(_("Implementation code")), self.code),
                    (str(_("Level")), str(Level(implementation.level).label)),
                    (str(_("Power source")), power),
                    (str(_("Service objects")), "、".join(v.service_objects)),
                    (str(_("Case kind")), str(CaseKind(v.case_kind).label)),
                ],
            ),
            (
                str(_("Conditions")),
                [(str(_("Conditions")), v.conditions), (str(_("Quantity limit")), v.quantity_limit)],
            ),
            (
                str(_("Time limits")),
                [
                    (str(_("Statutory time limit")), statutory),
                    (str(_("Promised time limit")), promised),
                    (str(_("Note")), v.limit_note),
                    (
                        str(_("Special procedures (time not counted)")),
                        "、".join(str(SpecialProcedure(p).label) for p in v.special_procedures),
                    ),
                ],
            ),
            (
                str(_("How to apply")),
                [
                    (str(_("Channels")), "、".join(str(Channel(c).label) for c in v.channels)),
                    (str(_("Online depth")), "、".join(str(OnlineDepth(int(d)).label) for d in v.online_depth)),
                    (str(_("Visits to the hall")), _("no more than %(n)s") % {"n": v.visits}),
                    (str(_("Why a visit is needed")), v.onsite_reason),
                    (str(_("Cross-region scope")), str(CrossRegion(v.cross_region).label) if v.cross_region else ""),
                    (str(_("Appointment")), yes if v.appointment else no),
                    (str(_("Express delivery")), yes if v.delivery else no),
                    (str(_("Online payment")), yes if v.online_payment else no),
                    (str(_("Self-service terminal")), yes if v.self_service else no),
                ],
            ),
            (
                str(_("Where and when")),
                [
                    (str(_("Where to apply")), v.handling_place),
                    (str(_("Office hours")), v.office_hours),
                    (str(_("Enquiries")), v.consult_phone),
                ],
            ),
            (str(_("Fees")), [(str(_("Fees")), "；".join(fees) if fees else str(_("Free of charge")))]),
            (
                str(_("Result")),
                [
                    (str(_("Result type")), str(ResultType(v.result_type).label) if v.result_type else ""),
                    (str(_("Result name")), v.result_name),
                    (str(_("Licence issued")), v.result_licence_type.name if v.result_licence_type else ""),
                    (str(_("Intermediary services")), v.intermediary_services),
                    (str(_("Joint-approval departments")), "、".join(self.joint_departments)),
                ],
            ),
            (str(_("Legal basis")), [(str(_("Legal basis")), v.legal_basis)]),
        ]
        return [(heading, [(k, val) for k, val in rows if val]) for heading, rows in sections]


def guide_get(code: str) -> Guide:
    """The guide of the published implementation ``code`` (NotFound otherwise). Five queries."""
    implementation = (
        ItemImplementation.objects.filter(code=code[:40], current__status=VersionStatus.PUBLISHED)
        .select_related(
            "department",
            "base_item",
            "current",
            "current__entrusting_department",
            "current__result_licence_type",
        )
        .first()
    )
    if implementation is None or implementation.current is None:
        raise NotFound(_("This item is not in the published catalogue."))
    version = implementation.current
    version.implementation = implementation
    return guide_of(version)


def guide_of(version: ImplementationVersion) -> Guide:
    materials = [
        GuideMaterial(
            order=m.order,
            name=m.name,
            requirement="，".join(
                str(label)
                for label in (
                    CopyType(m.copy_type).label if m.copy_type else "",
                    MaterialForm(m.form).label if m.form else "",
                    Necessity(m.necessity).label,
                )
                if label
            ),
            copies=m.copies,
            note="；".join(x for x in (m.acceptance_standard, m.specification, m.notes) if x),
            necessity=m.necessity,
            exempt_by=m.replaced_by.name if m.replaced_by else m.shared_data,
            has_blank_form=bool(m.blank_form),
            has_sample=bool(m.sample),
        )
        for m in version.materials.select_related("replaced_by")
    ]
    steps = [
        GuideStep(s.order, s.name, str(Role(s.performer).label), s.working_days, s.description)
        for s in version.steps.all()
    ]
    return Guide(
        code=version.implementation.code,
        version=version.number,
        published_on=date_format(localtime(version.published_at), "Y-m-d") if version.published_at else "",
        name=version.name,
        department=version.implementation.department.name,
        version_obj=version,
        materials=materials,
        steps=steps,
        joint_departments=[d.name for d in version.joint_departments.all()],
    )


def guide_material_file(code: str, order: int) -> MaterialRequirement:
    """A material of the published version of ``code``, for its blank form or sample."""
    material = (
        MaterialRequirement.objects.filter(
            version__implementation__code=code[:40],
            version__status=VersionStatus.PUBLISHED,
            version__implementation__current=models.F("version"),
            order=order,
        )
        .only("name", "blank_form", "sample")
        .first()
    )
    if material is None:
        raise NotFound(_("This item is not in the published catalogue."))
    return material


# --- staff: the implementations a department or centre administrator looks after -------------------

CATALOGUE_STAFF_ROLES = frozenset({Role.DEPT_ADMIN, Role.CENTRE_ADMIN})


def implementations_in_scope(user: User, *, q: str = "", status: str = "") -> QuerySet[ItemImplementation]:
    """The implementations of the user's department (department administrators) or region (centre
    administrators), each with its latest version's number, name and status."""
    latest = ImplementationVersion.objects.filter(implementation=models.OuterRef("pk")).order_by("-number")
    items = scope_filter(
        ItemImplementation.objects.select_related("department", "current"),
        user,
        CATALOGUE_STAFF_ROLES,
        region_field="department__region",
    ).annotate(
        latest_number=models.Subquery(latest.values("number")[:1]),
        latest_name=models.Subquery(latest.values("name")[:1]),
        latest_status=models.Subquery(latest.values("status")[:1]),
    )
    if q.strip():
        items = items.filter(models.Q(code__icontains=q.strip()) | models.Q(versions__name__icontains=q.strip()))
    if status:
        items = items.filter(latest_status=status)
    return items.distinct().order_by("department__name", "code")


def implementation_for_staff(user: User, code: str) -> ItemImplementation:
    item = implementations_in_scope(user).filter(code=code[:40]).first()
    if item is None:
        raise NotFound(_("No implementation with this code in your scope."))
    return item


def licence_types_with_issuer() -> QuerySet[LicenceType]:
    """The licence types of the register that name their issuing department, with it; callers narrow by scope."""
    return LicenceType.objects.select_related("issuing_department").exclude(issuing_department__isnull=True)


def licence_type_by_code(code: str) -> LicenceType | None:
    """A licence type of the register by its code (or its GB/T 36904 type code)."""
    if not code:
        return None
    return (
        LicenceType.objects.select_related("issuing_department")
        .filter(models.Q(code=code) | models.Q(gb_code=code))
        .first()
    )
