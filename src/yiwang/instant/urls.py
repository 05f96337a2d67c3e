from django.urls import path

from yiwang.instant import views

app_name = "instant"
urlpatterns = [
    path("<str:code>/", views.rules, name="rules"),
]
