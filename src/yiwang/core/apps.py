from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        import logging

        import jieba

        from yiwang.core import tasks  # noqa: F401  (connects the Huey failure signals)

        # jieba announces loading its dictionary at DEBUG, with a handler of its own, in every process.
        jieba.setLogLevel(logging.WARNING)

        from yiwang.core import warmup

        warmup.warm_up_register("core.url_map", warmup.url_map_load)
        warmup.warm_up_register("core.templates", warmup.templates_compile)
        warmup.warm_up_register("core.translations", warmup.translations_load)
        warmup.warm_up_register("core.model_relations", warmup.model_relations_load)
        warmup.warm_up_register("core.process_copies", warmup.process_copies_load)
        # jieba's word list: the hotline, the catalogue and disclosure cut text with it.
        warmup.warm_up_register("core.jieba", jieba.initialize)
        warmup.warm_up_register("core.crypto", warmup.crypto_load)
        warmup.warm_up_register("core.documents", warmup.documents_load)
