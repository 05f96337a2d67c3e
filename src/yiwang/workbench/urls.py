from django.urls import path

from yiwang.workbench import jobs, views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/", views.tasks, name="tasks"),
    path("jobs/<uuid:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<uuid:job_id>/status/", jobs.job_status, name="job-status"),
]
