from django.urls import path

from yiwang.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_trail, name="trail"),
    path("export.xlsx", views.audit_export, name="export"),
]
