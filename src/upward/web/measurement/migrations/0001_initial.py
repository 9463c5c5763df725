# The measurement app starts empty: its sections add their tables in later migrations.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = [("strategy", "0001_initial")]
    operations: list = []
