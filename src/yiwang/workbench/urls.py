from django.urls import path

from yiwang.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.tasks, name="tasks"),
]
