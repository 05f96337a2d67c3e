"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2/, so civic-issue apps
can submit and follow tickets (docs/hotline.md, "Open311 GeoReport v2").

Services are the leaves of the category tree (service_code = the category code). Every resource
answers in XML (the spec's required format) or JSON, chosen by its extension; errors use Open311's
own list of code and description in either. Reading is public and shows no caller data; submitting
needs an API key of scope hotline:submit.

By capability: ``formats`` (XML and JSON, the error list), ``documents`` (what a service, a request
and the discovery document say), ``query`` (GET Service Requests: its arguments, window and limit),
``views`` (the endpoints)."""

from yiwang.hotline.open311.views import (
    discovery,
    not_found,
    request_detail,
    requests_endpoint,
    root,
    service_definition,
    services_list,
    token_detail,
)

__all__ = [
    "discovery",
    "not_found",
    "request_detail",
    "requests_endpoint",
    "root",
    "service_definition",
    "services_list",
    "token_detail",
]
