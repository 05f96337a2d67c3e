from django.urls import path

from yiwang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("personal/", views.audience, {"audience": "personal"}, name="personal"),
    path("business/", views.audience, {"audience": "business"}, name="business"),
    path("items/<str:code>/", views.guide, name="guide"),
    path("items/<str:code>/guide.pdf", views.guide_print, name="guide_pdf"),
    path("items/<str:code>/result-sample/", views.result_sample, name="result_sample"),
    path("items/<str:code>/materials/<int:order>/form/", views.material_file, {"kind": "form"}, name="blank_form"),
    path("items/<str:code>/materials/<int:order>/sample/", views.material_file, {"kind": "sample"}, name="sample"),
]
