"""The national default framework: PermenPANRB 88/2021 (Pedoman Evaluasi Akuntabilitas Kinerja
Instansi Pemerintah), for LKjIP from 2021. Components and weights 30/30/15/25 as Banjar's LKjIP
2025 prints them (001 Tabel 3.9); bands AA > 90-100 … D 0-30 (lower bound exclusive, upper
inclusive; D includes 0). Reference data like the schema, so written here, not through the
services; a Pemda's own framework is data (admin, evaluations.services.framework_save)."""

from decimal import Decimal

from django.db import migrations

COMPONENTS = [
    ("A", "Perencanaan Kinerja", "30"),
    ("B", "Pengukuran Kinerja", "30"),
    ("C", "Pelaporan Kinerja", "15"),
    ("D", "Evaluasi Akuntabilitas Kinerja Internal", "25"),
]
BANDS = [  # label, meaning, lower, lower inclusive, upper
    ("AA", "Sangat Memuaskan", "90", False, "100"),
    ("A", "Memuaskan", "80", False, "90"),
    ("BB", "Sangat Baik", "70", False, "80"),
    ("B", "Baik", "60", False, "70"),
    ("CC", "Cukup", "50", False, "60"),
    ("C", "Kurang", "30", False, "50"),
    ("D", "Sangat Kurang", "0", True, "30"),
]


def forwards(apps, schema_editor):
    Framework = apps.get_model("evaluations", "EvaluationFramework")
    Component = apps.get_model("evaluations", "EvaluationComponent")
    Band = apps.get_model("evaluations", "EvaluationBand")
    framework, created = Framework.objects.get_or_create(
        government=None, valid_from=2021, defaults={"name": "PermenPANRB 88/2021"})
    if not created:
        return
    for order, (code, name, weight) in enumerate(COMPONENTS):
        Component.objects.create(framework=framework, code=code, name=name, weight=Decimal(weight), order=order)
    for order, (label, meaning, lower, lower_inclusive, upper) in enumerate(BANDS):
        Band.objects.create(framework=framework, label=label, meaning=meaning, lower=Decimal(lower),
                            lower_inclusive=lower_inclusive, upper=Decimal(upper), upper_inclusive=True, order=order)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
