from django.urls import path

from yiwang.hotline import open311

app_name = "open311"
urlpatterns = [
    path("services.json", open311.services_list, name="services"),
    path("services/<str:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests_endpoint, name="requests"),
    path("requests/<str:number>.json", open311.request_detail, name="request"),
    path("tokens/<str:token>.json", open311.token_detail, name="token"),
]
