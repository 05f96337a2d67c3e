from django.urls import path

from yiwang.hall import views

app_name = "hall_public"
urlpatterns = [
    path("<int:hall_id>/display/", views.display, name="display"),
    path("<int:hall_id>/display/board/", views.display_board, name="board"),
    path("<int:hall_id>/take/", views.take, name="take"),
    path("<int:hall_id>/book/", views.book, name="book"),
    path("appointments/", views.my_appointments, name="appointments"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("q/<str:token>/", views.holder, name="holder"),
    path("q/<str:token>/cancel/", views.holder_cancel, name="cancel"),
]
