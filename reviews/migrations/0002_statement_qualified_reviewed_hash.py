"""The statement's `qualified` (a working-paper row Tidak terpenuhi makes the conclusion
"kecuali hal-hal yang diuraikan dalam paragraf berikut"), and its stored hash moved from the data
part (reports.snapshot.data_hash) to what the reviu covers (reports.snapshot.reviewed_hash).

Statements issued before: their rows and notes cannot change any more (a reviu with a statement
cannot be reopened, a closed one cannot be edited), so `qualified` is decided from them as
statement_issue now does, the rows Tidak terpenuhi are moved to the head of the stored
explanatory paragraph, and the hash is recomputed from the reviewed version's stored snapshot.
The hash functions are copied here as they are at this migration, so a later change of
REVIEWED_KEYS does not rewrite history.
"""

import hashlib
import json

from django.db import migrations, models

REVIEWED_KEYS = ("year", "agency", "scale", "measurement", "budget", "efficiency", "plan", "agreements",
                 "narratives", "recommendations", "evaluations", "signatory", "staff")
CONTACT_FIELDS = ("address", "phone", "email", "website")
NOT_MET = "tidak_terpenuhi"
NOT_MET_MARK = " (tidak terpenuhi): "


def reviewed_hash(snapshot):
    part = {key: snapshot.get(key) for key in REVIEWED_KEYS}
    if isinstance(part["agency"], dict):
        part["agency"] = {k: v for k, v in part["agency"].items() if k not in CONTACT_FIELDS}
    canonical = json.dumps(part, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def forward(apps, schema_editor):
    ReviewStatement = apps.get_model("reviews", "ReviewStatement")
    ReviewItem = apps.get_model("reviews", "ReviewItem")
    for statement in ReviewStatement.objects.select_related("review__document").iterator():
        statement.qualified = ReviewItem.objects.filter(review_id=statement.review_id, status=NOT_MET).exists()
        matters = list(statement.open_matters or [])
        statement.open_matters = ([m for m in matters if NOT_MET_MARK in m]
                                  + [m for m in matters if NOT_MET_MARK not in m])
        statement.document_data_sha256 = reviewed_hash(statement.review.document.snapshot or {})
        statement.save(update_fields=["qualified", "open_matters", "document_data_sha256"])


def backward(apps, schema_editor):
    """Back to the data-part hash (DATA_KEYS, as reports.snapshot.data_hash at 0001)."""
    ReviewStatement = apps.get_model("reviews", "ReviewStatement")
    keys = ("year", "agency", "scale", "measurement", "budget", "efficiency")
    for statement in ReviewStatement.objects.select_related("review__document").iterator():
        snapshot = statement.review.document.snapshot or {}
        canonical = json.dumps({k: snapshot.get(k) for k in keys}, sort_keys=True, ensure_ascii=False,
                               separators=(",", ":"))
        statement.document_data_sha256 = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        statement.save(update_fields=["document_data_sha256"])


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewstatement",
            name="qualified",
            field=models.BooleanField(
                default=False, verbose_name="simpulan dengan pengecualian",
                help_text="Ada butir kertas kerja yang tidak terpenuhi saat pernyataan diterbitkan."),
        ),
        migrations.RunPython(forward, backward),
    ]
