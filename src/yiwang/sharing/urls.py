from django.urls import path

from yiwang.sharing import views

app_name = "sharing"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("register/", views.register, name="register"),
    path("<slug:code>/log/", views.log, name="log"),
]
