from django.urls import path

from yiwang.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.remediations, name="remediations"),
    path("ratings/", views.ratings, name="ratings"),
    path("tablet/", views.tablet, name="tablet"),
    path("remediations/<int:pk>/", views.remediation_page, name="remediation"),
    path("remediations/<int:pk>/<slug:action>/", views.remediation_act, name="act"),
]
