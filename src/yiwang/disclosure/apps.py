from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "yiwang.disclosure"
    label = "disclosure"
    verbose_name = _("Government information disclosure")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from yiwang.disclosure import workbench
        from yiwang.online.registry import Section, register_section

        workbench.register()

        from yiwang.core.warmup import warm_up_register
        from yiwang.disclosure.redaction.ocr import available

        # The OCR models (about 80 MB and 2 s) read a scanned document the officer adds, in the page's
        # request. ONNX Runtime starts threads of its own, which a fork does not copy: each worker loads
        # them itself, after the fork; no task reads scans.
        warm_up_register("disclosure.ocr", available, fork_safe=False, tasks=False)
        from yiwang.notifications.messages import MessageTemplate, message_template_register

        message_template_register(
            "disclosure.correction",
            MessageTemplate(
                gettext_lazy("Please correct your information request"),
                gettext_lazy("Request {{ number }} needs a correction; please send it by {{ until }} on your page."),
            ),
        )
        message_template_register(
            "disclosure.replied",
            MessageTemplate(
                gettext_lazy("Your information request has been answered"),
                gettext_lazy("Request {{ number }}: {{ outcome }}. The written reply is on your page."),
            ),
        )
        message_template_register(
            "disclosure.extended",
            MessageTemplate(
                gettext_lazy("The reply to your information request is extended"),
                gettext_lazy(
                    "Request {{ number }}: the reply period is extended by {{ days }} working days, to {{ due }}. "
                    "Reason: {{ reason }}"
                ),
            ),
        )
        message_template_register(
            "disclosure.fee",
            MessageTemplate(
                gettext_lazy("Fee notice for your information request"),
                gettext_lazy(
                    "Request {{ number }}: {{ basis }} Please pay by {{ until }}; "
                    "the reply period resumes when it is paid."
                ),
            ),
        )
        message_template_register(
            "disclosure.alert",
            MessageTemplate(
                gettext_lazy("Disclosure time limit"),
                "{{ detail }}",
            ),
        )
        register_section(
            Section(
                "disclosure",
                gettext_lazy("My information requests"),
                workbench.my_requests,
                gettext_lazy("Requests for government information you make will appear here."),
                order=60,
                item_template="disclosure/_my_section_item.html",
            )
        )
