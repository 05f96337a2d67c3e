from django.urls import path

from yiwang.hall import views

app_name = "hall"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("duty/", views.duty, name="duty"),
    path("act/<slug:action>/", views.desk_act, name="act"),
    path("kiosk/<int:hall_id>/", views.kiosk, name="kiosk"),
    path("kiosk/<int:hall_id>/slip/", views.slip, name="slip"),
]
