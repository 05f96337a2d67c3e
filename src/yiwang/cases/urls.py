from django.urls import path

from yiwang.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("intake/", views.intake, name="intake"),
    path("intake/applicant/", views.intake_applicant, name="intake_applicant"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/<slug:action>/", views.case_act, name="act"),
]
