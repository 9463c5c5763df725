from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    name = "upward.web.measurement"
    label = "measurement"
    verbose_name = "Measurement and the Mobility Action Plan"
