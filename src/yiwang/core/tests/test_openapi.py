"""The OpenAPI document builds with every context's router (a schema error would make it a 500)."""

from __future__ import annotations

from django.test import Client


def test_the_openapi_document_lists_every_context() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/cases",
        "/api/v1/licences/verify",
        "/api/v1/licences/use",
        "/api/v1/sharing/resources/{code}/query",
        "/api/v1/hotline/tickets",
        "/api/v1/hotline/kpis",
    ):
        assert path in paths, path


def test_no_two_schemas_share_a_name() -> None:
    """Defect 9 of issue 17: MaterialOut, EventOut and KpiOut of different contexts overwrote each other in
    components/schemas, so three operations published another context's schema."""
    from ninja import Schema

    import yiwang.api  # noqa: F401  (every router and its schemas)

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    ours = [c for c in set(subclasses(Schema)) if c.__module__.startswith("yiwang.")]
    names: dict[str, str] = {}
    for schema in ours:
        where = f"{schema.__module__}.{schema.__qualname__}"
        first = names.setdefault(schema.__name__, where)
        assert first == where, f"{schema.__name__}: {first}, {where}"


def test_each_operation_publishes_its_own_schemas() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "requirement_id" in schemas["CaseMaterialOut"]["properties"]
    assert "from_status" in schemas["CaseEventOut"]["properties"]
    slot = schemas["SlotOut"]["properties"]["start"]
    assert slot.get("format") != "time" and slot["pattern"].startswith("^([01]")


def test_every_operation_publishes_what_the_door_refuses() -> None:
    """Found by the fuzzer (issue 17): a NUL character or a body that is not JSON is 400, and a body over the
    size limit 413, before any handler runs, for operations that did not list them."""
    document = Client().get("/api/v1/openapi.json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert "400" in responses, (method, path)
            assert ("413" in responses) == (method in ("post", "put", "patch")), (method, path)
            assert responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
