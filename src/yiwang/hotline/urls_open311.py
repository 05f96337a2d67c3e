"""Open311 GeoReport v2 under /open311/v2/: every resource as ``.xml`` or ``.json`` (the extension is the
format; an unknown one is answered by the view, in XML), and everything else an Open311 404."""

from django.urls import re_path

from yiwang.hotline import open311

FORMAT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})"

app_name = "open311"
urlpatterns = [
    re_path(r"^$", open311.root, name="root"),
    re_path(rf"^discovery{FORMAT}$", open311.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}$", open311.services_list, name="services"),
    re_path(rf"^services/(?P<code>[^/]+?){FORMAT}$", open311.service_definition, name="service"),
    re_path(rf"^requests{FORMAT}$", open311.requests_endpoint, name="requests"),
    re_path(rf"^requests/(?P<number>[^/]+?){FORMAT}$", open311.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FORMAT}$", open311.token_detail, name="token"),
    re_path(r"^(?P<path>.*)$", open311.not_found, name="not_found"),
]
