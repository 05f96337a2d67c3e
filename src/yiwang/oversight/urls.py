from django.urls import path

from yiwang.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cards/", views.cards, name="cards"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("windows/", views.windows, name="windows"),
]
