"""The demo agencies' LHE AKIP, recorded through the evaluation services as the Pemda's
inspectorate (`inspektorat`) would: what each seed prints about the evaluation of its previous
LKjIP, nothing more. Their recommendations and tindak lanjut come from the workbooks (sheet
Rekomendasi, year = the LHE's year = evaluated year + 1).

- Banjar (001 Tabel 3.9, L2381-2392): the LHE AKIP Tahun 2025, i.e. of the LKjIP 2024, scored by
  PermenPANRB 88/2021: 25,03 / 23,65 / 12,01 / 19,63 → 80,32 computed, predikat A; the seed prints
  "NILAI 80.33", kept as the printed figure (the document and a finding show the difference).
  The evaluator is not named in the seed.
- Serang (004 BAB IV A, L1097): the evaluation of the LKjIP 2020 by Inspektorat Kota Serang. No
  score or component is printed there, and no framework of this app covers 2020 (PermenPANRB
  88/2021 applies from the LKjIP 2021), so only the evaluator is recorded. The "66,24 B" appended
  to an indicator name in its tables (L784, L1006) is the 2018 baseline value of that indicator
  (Tabel 2.1 L482), not a result of this LHE, so it is not attached to it.
- Tangerang, Bekasi, Pontianak print no evaluation result.

Running again changes nothing (the services write only what differs).
"""

from __future__ import annotations

from decimal import Decimal

from agencies.models import Agency, User
from audit.models import Channel
from audit.services import AuditContext
from evaluations.services import evaluation_save

EVALUATOR = "inspektorat"

EVALUATIONS = {
    "banjar-disnakertrans": {
        "evaluated_year": 2024,
        "scores": {"A": Decimal("25.03"), "B": Decimal("23.65"), "C": Decimal("12.01"), "D": Decimal("19.63")},
        "printed_total": Decimal("80.33"),
        "printed_predikat": "A",
        "printed_source": "LKjIP 2025 Tabel 3.9",
        "note": ("Nilai tersebut dapat diartikan bahwa Akuntabilitas Kinerja “Memuaskan”, artinya terdapat gambaran "
                 "bahwa perangkat daerah dapat memimpin perubahan dalam mewujudkan Pemerintahan berorientasi hasil, "
                 "karena pengukuran kinerja telah dilakukan sampai ke Esselon IV."),
    },
    "serang-disnakertrans": {
        "evaluated_year": 2020,
        "scores": {},
        "evaluator": "Inspektorat Kota Serang",
    },
}


def evaluations_recorded(*, agency: Agency) -> str | None:
    """Record the demo agency's LHE; returns a line for the loader's output (None: none printed)."""
    values = EVALUATIONS.get(agency.code)
    if values is None:
        return None
    user = User.objects.filter(username=EVALUATOR).first()
    ctx = AuditContext(user=user, channel=Channel.COMMAND,
                       reason="hasil evaluasi sebagaimana tercetak di LKjIP (load_demo)")
    evaluation = evaluation_save(agency=agency, ctx=ctx, **values)
    scored = f"{len(values['scores'])} komponen" if values["scores"] else "tanpa nilai komponen"
    return f"LHE atas LKjIP {evaluation.evaluated_year} {agency.code}: {scored}"
