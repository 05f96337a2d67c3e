from django.contrib.admin.apps import AdminConfig


class YiwangAdminConfig(AdminConfig):
    default_site = "yiwang.core.admin_site.YiwangAdminSite"
