"""The reads other contexts make of the catalogue: an item to apply for, a version's material, licence types."""

from __future__ import annotations

import pytest

from yiwang.catalogue import selectors
from yiwang.catalogue.models import ItemImplementation, LicenceType, MaterialRequirement, VersionStatus

pytestmark = pytest.mark.django_db


def test_an_item_to_apply_for_is_published_and_any_item_is_found_by_code(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    item = ItemImplementation.objects.filter(current__isnull=False).select_related("current").first()
    assert item is not None and item.current is not None
    assert selectors.implementation_published_get(code=item.code) == item
    assert item in selectors.implementations_with_current()
    item.current.status = VersionStatus.SUSPENDED
    item.current.save(update_fields=["status"])
    assert selectors.implementation_published_get(code=item.code) is None
    assert selectors.implementation_get(code=item.code) == item
    assert selectors.implementation_get(code="no-such-code") is None
    again = selectors.version_with_implementation(pk=item.current.pk)
    assert again.implementation.current_id == item.current.pk


def test_a_material_belongs_to_its_own_version(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    mine, other = ItemImplementation.objects.filter(current__isnull=False)[:2]
    assert mine.current is not None and other.current is not None
    material = MaterialRequirement.objects.filter(version=mine.current).first()
    assert material is not None
    assert selectors.version_material_get(version=mine.current, pk=material.pk) == material
    assert selectors.version_material_get(version=other.current, pk=material.pk) is None


def test_licence_types_with_an_issuer_leave_out_those_without(demo_catalogue) -> None:  # type: ignore[no-untyped-def]
    issued, orphan = LicenceType.objects.filter(issuing_department__isnull=False)[:2]
    LicenceType.objects.filter(pk=orphan.pk).update(issuing_department=None)
    found = set(selectors.licence_types_with_issuer())
    assert issued in found and orphan not in found
