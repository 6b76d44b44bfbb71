from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule


class GdalFreeAdminConfig(SimpleAdminConfig):
    """Django's admin, autodiscovering every app's admin module except django-leaflet's.

    `leaflet.admin` imports GeoDjango, which loads the GDAL C library and crashes admin
    autodiscovery on machines without it (makinacorpus/django-leaflet issues #299 and
    #336). Our locations are plain latitude/longitude fields, so we never need it.
    """

    apps_without_admin_discovery = {"leaflet"}
    default_site = "relmap.admin.SiteAdmin"

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.label in self.apps_without_admin_discovery:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
