from django.urls import path

from yiwang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("personal/", views.audience, {"audience": "personal"}, name="personal"),
    path("business/", views.audience, {"audience": "business"}, name="business"),
]
