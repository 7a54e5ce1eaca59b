"""The shared workflow: moves allowed by a transition table, what they record, refusals, and
who is recorded in the history."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from socialvalue.accounts.models import Organisation, User
from socialvalue.core.workflow import Transition, TransitionRefused, Workflow

LABELS = {"draft": "Draft", "waiting": "Waiting for review", "live": "Live", "back": "Sent back"}
EARLIER = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


@dataclass
class Article:
    """A stand-in for a model instance: the fields a workflow reads and sets, and ``save``."""

    status: str = "draft"
    sent_at: datetime | None = None
    reviewed_by: User | None = None
    reviewed_at: datetime | None = None
    published_at: datetime | None = None
    note: str = ""
    saves: list[str] = field(default_factory=list)

    def get_status_display(self) -> str:
        return LABELS[self.status]

    def save(self) -> None:
        self.saves.append(self.status)


ARTICLE_WORKFLOW = Workflow(
    field="status",
    transitions={
        "send": Transition(
            sources=("draft", "back"),
            target="waiting",
            refused="Only a draft can be sent; this one is {status}.",
            at=("sent_at",),
        ),
        "publish": Transition(
            sources=("waiting",),
            target="live",
            refused="Only an article waiting for review can be published; this one is {status}.",
            by=("reviewed_by",),
            at=("reviewed_at",),
            first_at=("published_at",),
            note="note",
        ),
        "send_back": Transition(
            sources=("waiting", "live"),
            target="back",
            refused="Not now: this one is {status}.",
            by=("reviewed_by",),
            at=("reviewed_at",),
            cleared=("published_at",),
            note="note",
            note_required="Say what needs to change.",
        ),
    },
)


@pytest.fixture
def rita() -> User:
    return User(email="rita@example.org", full_name="Rita Reviewer")


def test_a_move_sets_the_state_and_what_it_records_then_saves(rita: User) -> None:
    article = Article()
    ARTICLE_WORKFLOW.move(article, "send", by=rita, at=EARLIER)
    assert (article.status, article.sent_at, article.reviewed_by) == ("waiting", EARLIER, None)

    moved = ARTICLE_WORKFLOW.move(article, "publish", by=rita, note="  Good.  ", at=LATER)

    assert moved is article
    assert article.status == "live"
    assert (article.reviewed_by, article.reviewed_at, article.published_at) == (rita, LATER, LATER)
    assert article.note == "Good."
    assert article.saves == ["waiting", "live"]


def test_a_move_is_dated_now_when_no_moment_is_given(rita: User) -> None:
    article = Article()
    before = datetime.now(UTC)
    ARTICLE_WORKFLOW.move(article, "send", by=rita)
    assert article.sent_at is not None
    assert before <= article.sent_at <= datetime.now(UTC)


def test_first_at_keeps_the_first_date_and_cleared_empties_a_field(rita: User) -> None:
    article = Article(status="waiting", published_at=EARLIER)
    ARTICLE_WORKFLOW.move(article, "publish", by=rita, at=LATER)
    assert (article.published_at, article.reviewed_at) == (EARLIER, LATER)

    ARTICLE_WORKFLOW.move(article, "send_back", by=rita, note="Out of date.", at=LATER)
    assert (article.status, article.published_at, article.note) == ("back", None, "Out of date.")


def test_a_move_from_a_state_the_table_does_not_list_is_refused_with_the_state_in_words(
    rita: User,
) -> None:
    article = Article(status="live", note="kept")

    with pytest.raises(TransitionRefused) as refused:
        ARTICLE_WORKFLOW.move(article, "publish", by=rita)

    assert refused.value.messages == [
        "Only an article waiting for review can be published; this one is live."
    ]
    assert isinstance(refused.value, ValidationError)
    assert (article.status, article.note, article.reviewed_by, article.saves) == (
        "live",
        "kept",
        None,
        [],
    )


def test_check_and_allows_answer_without_moving(rita: User) -> None:
    article = Article(status="back")
    assert ARTICLE_WORKFLOW.allows(article, "send")
    assert not ARTICLE_WORKFLOW.allows(article, "publish")
    ARTICLE_WORKFLOW.check(article, "send")
    with pytest.raises(TransitionRefused, match="this one is sent back"):
        ARTICLE_WORKFLOW.check(article, "send_back")
    assert (article.status, article.saves) == ("back", [])


@pytest.mark.parametrize("note", ["", "   "])
def test_a_move_that_needs_a_note_is_refused_without_one(rita: User, note: str) -> None:
    article = Article(status="waiting")

    with pytest.raises(TransitionRefused) as refused:
        ARTICLE_WORKFLOW.move(article, "send_back", by=rita, note=note)

    assert refused.value.message_dict == {"note": ["Say what needs to change."]}
    assert (article.status, article.saves) == ("waiting", [])


def test_the_note_is_asked_for_before_the_state_is_checked(rita: User) -> None:
    with pytest.raises(TransitionRefused) as refused:
        ARTICLE_WORKFLOW.move(Article(status="draft"), "send_back", by=rita)
    assert refused.value.message_dict == {"note": ["Say what needs to change."]}


def test_without_save_the_caller_saves(rita: User) -> None:
    article = Article()
    ARTICLE_WORKFLOW.move(article, "send", by=rita, save=False)
    assert (article.status, article.saves) == ("waiting", [])


@dataclass
class Notice:
    """Content published by a flag rather than a status."""

    is_published: bool = False
    published_at: datetime | None = None

    def save(self) -> None:
        pass


NOTICE_WORKFLOW = Workflow(
    field="is_published",
    transitions={
        "publish": Transition(sources=(False,), target=True, refused="Already {status}."),
        "unpublish": Transition(sources=(True,), target=False, cleared=("published_at",)),
    },
)


def test_a_flag_can_be_the_state(rita: User) -> None:
    notice = Notice()
    NOTICE_WORKFLOW.move(notice, "publish", by=rita)
    assert notice.is_published

    with pytest.raises(TransitionRefused, match=r"^\['Already true.'\]$"):
        NOTICE_WORKFLOW.move(notice, "publish", by=rita)
    NOTICE_WORKFLOW.move(notice, "unpublish", by=rita)
    assert not notice.is_published


# --- The history ------------------------------------------------------------------------------

VCSE_WORKFLOW = Workflow(
    field="is_vcse",
    transitions={"mark": Transition(sources=(False,), target=True, refused="Already marked.")},
)


@pytest.mark.django_db
def test_a_move_records_who_acted_in_the_history(
    bobs_building: Organisation, lead_lucy: User
) -> None:
    VCSE_WORKFLOW.move(bobs_building, "mark", by=lead_lucy)

    latest = bobs_building.history.latest()
    assert latest.is_vcse is True
    assert latest.history_user == lead_lucy
    bobs_building.refresh_from_db()
    assert bobs_building.is_vcse
