from django.urls import path

from yiwang.accounts import roles_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/2fa/", views.login_two_factor, name="login-2fa"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("2fa/", views.two_factor_settings, name="two-factor"),
    path("profile/", views.profile, name="profile"),
    path("agents/", views.agents, name="agents"),
    path("agents/<int:authorisation_id>/revoke/", views.agent_revoke_view, name="agent-revoke"),
    path("history/", views.login_history, name="history"),
    path("password/", views.password_change_view, name="password"),
    path("roles/", roles_views.role_management, name="roles"),
    path("roles/<int:assignment_id>/revoke/", roles_views.role_revoke_view, name="role-revoke"),
    path("register/", views.register_choice, name="register"),
    path("register/personal/", views.register_citizen, name="register-citizen"),
    path("register/company/", views.register_company, name="register-company"),
]
