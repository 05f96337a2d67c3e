from django.urls import path

from yiwang.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("history/", views.login_history, name="history"),
    path("password/", views.password_change_view, name="password"),
    path("register/", views.register_choice, name="register"),
    path("register/personal/", views.register_citizen, name="register-citizen"),
    path("register/company/", views.register_company, name="register-company"),
]
