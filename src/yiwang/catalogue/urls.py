from django.urls import path

from yiwang.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("import/", views.import_view, name="import"),
    path("export.xlsx", views.export, name="export"),
    path("template.xlsx", views.template, name="template"),
    path("statistics/", views.statistics, name="statistics"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/<slug:action>/", views.act, name="act"),
]
