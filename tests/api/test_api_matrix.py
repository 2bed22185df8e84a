"""Who gets what from the API: endpoint × method × role × own/other agency, with each role's
own personal token (`Authorization: Token …`), never a session.

The world, the roles and the reading of `own`/`other` are those of tests/test_access_matrix.py
(its docstring). For the API:

    200  shown
    401  no token (or an unknown, expired or revoked one)
    404  anyone of another agency or Pemda: the same answer, byte for byte, as for a code or
         id that does not exist
    405  a method the endpoint does not take (only the reviu takes writes)

`test_every_api_pattern_has_a_row` fails, naming the pattern, when an endpoint under /api/ has
no row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import get_resolver, reverse

from api.services import token_create
from audit.services import AuditContext
from performance.models import PerformanceAgreement
from reviews.models import Review
from tests.test_access_matrix import (  # noqa: F401  (world: the module fixture)
    ROLES,
    SEES,
    YEAR,
    Target,
    World,
    _url_patterns,
    agency,
    agency_year,
    document,
    evidence,
    none,
    world,
)

ALL = "api/v1/"


@pytest.fixture(autouse=True)
def _fast_passwords_and_media():
    """As in tests/test_access_matrix.py: `world` sets both for the module, and its files must stay."""


@pytest.fixture(scope="module")
def tokens(world, django_db_blocker) -> dict[str, str]:
    """One token per role, created inside the world's transaction (rolled back with it)."""
    with django_db_blocker.unblock():
        return {
            role: token_create(context=AuditContext(), user=user, name="matriks", days=30)[1]
            for role, user in world.users.items() if user is not None
        }


@dataclass(frozen=True)
class ApiRow:
    name: str
    method: str
    args: Callable[[Target], list[Any]]
    own: dict[str, int]
    other: dict[str, int] | None = None
    query: Callable[[Target], str] | None = None
    body: Callable[[Target], dict[str, Any]] | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


def row(name: str, method: str, args: Callable[[Target], list[Any]], own: tuple[int, ...],
        other: tuple[int, ...] | None = None, query: Callable[[Target], str] | None = None,
        body: Callable[[Target], dict[str, Any]] | None = None) -> ApiRow:
    def cells(statuses: tuple[int, ...]) -> dict[str, int]:
        return dict(zip(ROLES, statuses, strict=True))

    return ApiRow(name, method, args, cells(own), cells(other) if other is not None else None, query, body)





def government(t: Target) -> list[Any]:
    return [t.government]




def agreement(t: Target) -> list[Any]:
    found = PerformanceAgreement.objects.filter(agency__code=t.code, year=YEAR, number=0).first()
    return [found.pk if found else 10**9]


def review(t: Target) -> list[Any]:
    return [t.review]


def note(t: Target) -> list[Any]:
    return [t.review, t.note]


def _revision(t: Target) -> int:
    found = Review.objects.filter(pk=t.review).first()
    return found.revision if found else 0


def of_agency(t: Target) -> str:
    return f"agency={t.code}"


def of_agency_year(t: Target) -> str:
    return f"agency={t.code}&year={YEAR}"


# Everyone who may see agency A gets it; agency B's people get 404 (as for a code that does not exist).
#                     anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
SEEN =               (401, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404)
SEEN_BY_OUTSIDERS =  (401, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)
EVERYONE =           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
PUBLIC =             (200,) * 12
READ_ONLY =          (401, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)


def scoped(name: str, args: Callable[[Target], list[Any]], query: Callable[[Target], str] | None = None) -> list[ApiRow]:
    return [
        row(name, "GET", args, own=SEEN, other=SEEN_BY_OUTSIDERS, query=query),
        row(name, "POST", args, own=READ_ONLY, query=query),
    ]


def listing(name: str) -> list[ApiRow]:
    """A list: unfiltered for everyone (scoped by what it contains), and filtered on one agency."""
    return [
        row(name, "GET", none, own=EVERYONE),
        row(name, "GET", none, own=SEEN, other=SEEN_BY_OUTSIDERS, query=of_agency_year),
        row(name, "POST", none, own=READ_ONLY),
    ]


MATRIX: list[ApiRow] = [
    row("api:schema", "GET", none, own=PUBLIC),
    row("api:docs", "GET", none, own=PUBLIC),
    row("api:redoc", "GET", none, own=PUBLIC),
    row("api:government_list", "GET", none, own=EVERYONE),
    row("api:government_list", "POST", none, own=READ_ONLY),
    *scoped("api:government_detail", government),
    row("api:agency_list", "GET", none, own=EVERYONE),
    row("api:agency_list", "POST", none, own=READ_ONLY),
    *scoped("api:agency_detail", agency),
    *scoped("api:agency_years", agency),
    *scoped("api:plans", agency),
    *scoped("api:measurement", agency_year),
    *scoped("api:budget", agency_year),
    *scoped("api:findings", agency_year),
    *listing("api:indicator_list"),
    *listing("api:target_list"),
    *listing("api:realization_list"),
    *listing("api:agreement_list"),
    *listing("api:history_list"),
    *listing("api:document_list"),
    *scoped("api:evidence_file", evidence),
    *scoped("api:agreement_detail", agreement),
    *scoped("api:document_pdf", document),
    *listing("api:evaluation_list"),
    *listing("api:recommendation_list"),
    # ---- the reviu: the only writes. The world's reviu is open, nothing assessed, one open note. ----
    #                   anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    *listing("api:review_list")[:2],
    # Opening another while one is open is refused (400) for those who may open one.
    row("api:review_list", "POST", none, body=lambda t: {"agency": t.code, "year": YEAR, "document_number": 1},
        own=  (401, 403, 403, 403, 403, 403, 400, 403, 400, 404, 404, 404),
        other=(401, 404, 404, 404, 404, 404, 404, 404, 400, 403, 403, 403)),
    *scoped("api:review_detail", review),
    row("api:review_items", "GET", review, own=READ_ONLY),
    row("api:review_items", "PUT", review,
        body=lambda t: {"revision": _revision(t), "items": [{"code": "sistematika", "condition": "uji matriks"}]},
        own=  (401, 403, 403, 403, 403, 403, 200, 403, 200, 404, 404, 404),
        other=(401, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403)),
    # Closing needs every row assessed; reopening needs a closed reviu: both refused here.
    *(row(f"api:review_{act}", "POST", review, body=lambda t: {"revision": _revision(t), "reason": "uji"},
          own=  (401, 403, 403, 403, 403, 403, 400, 403, 400, 404, 404, 404),
          other=(401, 404, 404, 404, 404, 404, 404, 404, 400, 403, 403, 403)) for act in ("close", "reopen")),
    *(row(f"api:review_{act}", "GET", review, own=READ_ONLY) for act in ("close", "reopen", "notes", "statement")),
    row("api:review_notes", "POST", review, body=lambda t: {"anchor": {"kind": "bagian", "section": "bab1"},
                                                            "text": "uji matriks"},
        own=  (401, 403, 403, 403, 403, 403, 201, 403, 201, 404, 404, 404),
        other=(401, 404, 404, 404, 404, 404, 404, 404, 201, 403, 403, 403)),
    row("api:review_note_answer", "POST", note, body=lambda t: {"text": "jawaban uji"},
        own=  (401, 403, 200, 200, 403, 403, 403, 403, 200, 404, 404, 404),
        other=(401, 404, 404, 404, 404, 404, 404, 404, 200, 403, 200, 200)),
    # The inspector may resolve an open note without waiting for an answer; reopening it is refused
    # (it is not answered or resolved).
    row("api:review_note_resolve", "POST", note, body=lambda t: {"text": "uji"},
        own=  (401, 403, 403, 403, 403, 403, 200, 403, 200, 404, 404, 404),
        other=(401, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403)),
    row("api:review_note_reopen", "POST", note, body=lambda t: {"text": "uji"},
        own=  (401, 403, 403, 403, 403, 403, 400, 403, 400, 404, 404, 404),
        other=(401, 404, 404, 404, 404, 404, 404, 404, 400, 403, 403, 403)),
    *(row(f"api:review_note_{act}", "GET", note, own=READ_ONLY) for act in ("answer", "resolve", "reopen")),
    # Only the Inspektur (gov_insp here) issues a statement, of a closed reviu: refused, it is open.
    row("api:review_statement", "POST", review,
        body=lambda t: {"place": "Kota Uji", "issued_on": "2026-01-05", "signer_name": "Inspektur",
                        "signer_position": "Inspektur Kota Uji"},
        own=  (401, 403, 403, 403, 403, 403, 400, 403, 400, 404, 404, 404),
        other=(401, 404, 404, 404, 404, 404, 404, 404, 400, 403, 403, 403)),
]


def _missing(world: World, scope: str) -> Target:
    return world.missing[scope]


def fetch(client, tokens: dict[str, str], entry: ApiRow, target: Target, role: str):
    url = reverse(entry.name, args=entry.args(target))
    if entry.query:
        url += "?" + entry.query(target)
    headers = {"HTTP_AUTHORIZATION": f"Token {tokens[role]}"} if role in tokens else {}
    if entry.body is not None:
        return getattr(client, entry.method.lower())(url, entry.body(target), content_type="application/json",
                                                    **headers)
    return getattr(client, entry.method.lower())(url, **headers)


CELLS = [
    pytest.param(entry, scope, role, id=f"{entry.id}{' ?' if entry.query else ''} {scope} {role}")
    for entry in MATRIX
    for scope in (("own", "other") if entry.other is not None else ("own",))
    for role in ROLES
]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("entry", "scope", "role"), CELLS)
def test_cell(client, world, tokens, db, entry, scope, role):
    expected = getattr(entry, scope)[role]
    target = world.targets[scope]
    response = fetch(client, tokens, entry, target, role)
    assert response.status_code == expected, (
        f"{entry.id} on agency {scope} as {role}: {response.status_code}, matrix says {expected}: {body(response)[:300]!r}"
    )
    assert "sessionid" not in response.cookies, "the API must not start a session"
    if response.get("Content-Type", "").startswith("application/json") and expected >= 400:
        assert "detail" in response.json(), f"{entry.id}: an error without an Indonesian detail"
    if entry.other is not None and role != "anon" and scope not in SEES[role]:
        missing = fetch(client, tokens, entry, _missing(world, scope), role)
        assert missing.status_code == expected, f"{entry.id} of a missing object as {role}: {missing.status_code}"
        assert body(response).replace(target.code.encode(), b"<kode>") == body(missing).replace(
            MISSING.encode(), b"<kode>"
        ), f"{entry.id} as {role}: another agency's answer differs from a missing one's"


MISSING = "tidak-ada"


def test_every_api_pattern_has_a_row():
    found = [(route, name) for route, name, _ in _url_patterns(get_resolver().url_patterns) if route.startswith(ALL)]
    covered = {entry.name for entry in MATRIX}
    missing = [f"{route} ({name})" for route, name in found if name not in covered]
    assert not missing, "API endpoints without rows in tests/api/test_api_matrix.py: " + ", ".join(missing)
    assert len(found) >= 20


def test_lists_hold_only_what_the_role_may_see(client, world, tokens, db):
    for role, visible in SEES.items():
        if role == "anon":
            continue
        expected = {world.targets[scope].code for scope in visible}
        headers = {"HTTP_AUTHORIZATION": f"Token {tokens[role]}"}
        agencies = client.get(reverse("api:agency_list"), **headers).json()["results"]
        assert {a["code"] for a in agencies} == expected, role
        for name in ("api:indicator_list", "api:target_list", "api:realization_list", "api:agreement_list",
                     "api:history_list", "api:document_list", "api:review_list"):
            results = client.get(reverse(name) + "?page_size=1000", **headers).json()["results"]
            assert results, f"{name} as {role} is empty"
            assert {r["agency"] for r in results} <= expected, f"{name} as {role} shows another agency"
