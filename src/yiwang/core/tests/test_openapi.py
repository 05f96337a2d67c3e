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
