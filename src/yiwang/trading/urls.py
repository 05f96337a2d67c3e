from django.urls import path

from yiwang.trading import views_staff

app_name = "trading_staff"
urlpatterns = [
    path("", views_staff.project_list, name="list"),
    path("new/", views_staff.project_new, name="new"),
    path("<str:code>/", views_staff.project_page, name="project"),
]
