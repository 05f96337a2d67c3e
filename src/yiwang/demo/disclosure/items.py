"""The demo's proactive disclosure (主动公开): the catalogue and the guide, then each item formed on a working
day, drafted by one officer, passed in the confidentiality review by another (or the head) and published a few
working days later under the next index number — a few later than §26's 20 working days, one returned once,
one withdrawn, normative documents issued with their numbers and interpretations and one repealed by its
successor, the annual report by 31 January with the figures of the year before; and what waits at the demo's
now: a draft, one in review near its limit, one passed and not yet published."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yiwang.core import pdf
from yiwang.demo.disclosure.content import (
    CATEGORIES,
    EVERYWHERE,
    WAITING_DRAFT,
    WAITING_NEAR_LIMIT,
    WAITING_PASSED,
    WEB_GAZETTE,
    WEB_WECHAT,
    WITHDRAWN_TEXTS,
    WITHDRAWN_TITLE,
    ItemSpec,
    Normative,
    Office,
    guide_text,
    holiday_notice,
)
from yiwang.demo.disclosure.scene import Scene
from yiwang.disclosure import services
from yiwang.disclosure.choices import ItemKind, ItemStatus, ResponseKind, ReviewDecision
from yiwang.disclosure.models import CatalogueCategory, ProactiveItem
from yiwang.disclosure.report import national_report, report_2016
from yiwang.organisation.models import Department

AfterPublish = list[tuple[int, Callable[[ProactiveItem], None]]]


def catalogue_story(scene: Scene, office: Office, day: date) -> None:
    """The office sets up its catalogue (keeping any category of the same name it has already) and its
    guide before its first item."""

    def category(name: str, parent: CatalogueCategory | None, position: int) -> CatalogueCategory:
        body = scene.body(office)
        existing = CatalogueCategory.objects.filter(body=body, parent=parent, name=name).first()
        return existing or services.category_create(
            actor=scene.user(office.officer), body=body, name=name, parent=parent, position=position
        )

    def make() -> None:
        for position, (name, children) in enumerate(CATEGORIES, start=1):
            parent = scene.categories[(office.key, name)] = category(name, None, position * 10)
            for order, child in enumerate(children, start=1):
                scene.categories[(office.key, f"{name}/{child}")] = category(child, parent, order * 10)
        body = scene.body(office)
        services.guide_save(
            actor=scene.user(office.officer), body=body, office=office.office, address=office.address,
            hours=office.hours, phone=office.phone, text=guide_text(office, body.name),
        )  # fmt: skip

    scene.timeline.story().then(day, 9, make)


def document_pdf(title: str, number: str, text: str, body_name: str) -> bytes:
    buffer = io.BytesIO()
    doc = pdf.document(buffer, title)
    doc.build(
        [
            pdf.paragraph(body_name, "title"),
            pdf.paragraph(number, "subtitle"),
            pdf.paragraph(title, "notice_title"),
            *(pdf.paragraph(part, "letter") for part in text.split("。") if part.strip()),
        ]
    )
    return buffer.getvalue()


def item_story(
    scene: Scene,
    office: Office,
    spec: ItemSpec,
    formed: date,
    *,
    issued: bool = False,
    attachment: bytes | None = None,
    after_publish: AfterPublish | None = None,
    text_of: Callable[[], str] | None = None,
    stop: str = ItemStatus.PUBLISHED,
) -> None:
    """Formed (and drafted) on ``formed``, submitted for review that afternoon, passed and published
    ``spec.lag`` working days later — or left at ``stop`` (draft, in review, passed). ``text_of`` writes the
    text when the item is drafted, from the records as they stand then."""
    days = scene.days
    drafter = office.reviewer if spec.by_reviewer else office.officer
    reviewer = office.head if spec.by_head else (office.officer if spec.by_reviewer else office.reviewer)
    published = days.after(formed, spec.lag)
    story = scene.timeline.story()
    made: dict[str, ProactiveItem] = {}

    def create() -> None:
        item = services.item_create(
            actor=scene.user(drafter), body=scene.body(office), category=scene.category(office, spec.category),
            kind=spec.kind, title=spec.title, text=text_of() if text_of else spec.text,
            document_number=spec.document_number,
            formed_on=formed, issued_on=formed if issued else None, channels=spec.channels,
        )  # fmt: skip
        if attachment is not None:
            upload = SimpleUploadedFile(f"{formed:%Y%m%d}.pdf", attachment, content_type="application/pdf")
            services.item_attach(actor=scene.user(drafter), item=item, upload=upload)
        made["item"] = item
        scene.made["items"] += 1

    def submit() -> None:
        services.item_review_submit(actor=scene.user(drafter), item=made["item"])

    def review(decision: str = ReviewDecision.PASSED, note: str = "") -> None:
        services.item_review(actor=scene.user(reviewer), item=made["item"], decision=decision, note=note)

    def publish() -> None:
        services.item_publish(actor=scene.user(drafter), item=made["item"])

    story.then(formed, 9, create)
    if stop == ItemStatus.DRAFT:
        return
    if spec.lag == 0:
        story.then(formed, 9, submit, minute=15)
    elif spec.returned:
        again = days.after(formed, 1)
        story.then(formed, 16, submit)
        story.then(again, 10, lambda: review(ReviewDecision.RETURNED, spec.returned)).then(again, 15, submit)
    else:
        story.then(formed, 16, submit)
    if stop == ItemStatus.IN_REVIEW:
        return
    story.then(published, 10, review)
    if stop == ItemStatus.APPROVED:
        return
    story.then(published, 11, publish)
    for hour, step in after_publish or ():
        story.then(published, hour, partial(_on_item, step, made))


def _on_item(step: Callable[[ProactiveItem], None], made: dict[str, ProactiveItem]) -> None:
    step(made["item"])


def year_items(scene: Scene, office: Office, specs: list[ItemSpec], year: int) -> None:
    for spec in specs:
        month, day = (spec.month, spec.day) if spec.month <= 12 else (1, spec.day)
        formed = scene.days.on_or_after(date(year + (spec.month > 12), month, day))
        item_story(scene, office, spec, formed)


def normative_story(scene: Scene, office: Office, document: Normative, year: int) -> None:
    """A 规范性文件 (§20(1)) with its number, issued and published in the gazette and on the website, its
    interpretation published the same day, recorded as a policy interpretation for the 2016 report; the
    document it replaces repealed from the day it is issued."""
    body = scene.body(office)
    number = f"{office.prefix}规〔{year}〕{document.serial}号"
    formed = scene.days.on_or_after(date(year, document.month, document.day))
    spec = ItemSpec(
        "政策文件/规范性文件", document.title, document.text, document.month, document.day, lag=3,
        kind=ItemKind.NORMATIVE, channels=WEB_GAZETTE, document_number=number, by_head=True,
    )  # fmt: skip

    def interpret(item: ProactiveItem) -> None:
        services.response_record(
            actor=scene.user(office.officer), body=item.body, kind=ResponseKind.INTERPRETATION,
            topic=f"《{item.title}》政策解读", on=timezone.localdate(),
        )  # fmt: skip

    def repeal(item: ProactiveItem) -> None:
        if not document.replaces:
            return
        old = ProactiveItem.objects.filter(body=item.body, title=document.replaces, status=ItemStatus.PUBLISHED).first()
        if old is not None:
            services.item_repeal(actor=scene.user(office.officer), item=old, repealed_on=item.issued_on)

    item_story(
        scene, office, spec, formed, issued=True,
        attachment=document_pdf(document.title, number, document.text, body.name),
        after_publish=[(14, interpret), (15, repeal)],
    )  # fmt: skip
    explained = ItemSpec(
        "政策文件/政策解读", f"《{document.title}》政策解读",
        f"一、制定背景。二、主要内容：{document.text[:60]}……三、施行时间：自印发之日起施行。",
        document.month, document.day, lag=3, channels=WEB_WECHAT,
    )  # fmt: skip
    item_story(scene, office, explained, formed)


def annual_report_story(scene: Scene, office: Office, year: int) -> None:
    """The annual report of ``year - 1`` (§49: published by 31 January), its figures computed from the
    records as they stood — the timeline has run every step of the year before by then."""
    body = scene.body(office)
    title = f"{body.name}{year - 1}年政府信息公开工作年度报告"
    spec = ItemSpec(
        "政府信息公开年报", title, "", 1, 19, lag=3, kind=ItemKind.ANNUAL_REPORT, channels=WEB_GAZETTE, by_head=True
    )
    formed = scene.days.on_or_after(date(year, 1, 19))
    item_story(scene, office, spec, formed, text_of=partial(_report_summary, body, year - 1))


def _report_summary(body: Department, year: int) -> str:
    national, old = national_report(body, year), report_2016(body, year)
    assert national.requests is not None and old.statistics is not None
    total = {line.code: line.values[-1] for line in national.requests.lines}
    figure = {line.code: line.values[0] for line in old.statistics.lines}
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》第四十九条、第五十条编制，数据由一网平台依据{year}年的"
        f"办理记录自动生成。{year}年，本机关主动公开政府信息{figure['1.1']}条；新收政府信息公开申请{total['new']}件，"
        f"上年结转{total['carried']}件，办结{total['total']}件，结转下年度继续办理{total['next']}件；"
        f"因政府信息公开被申请行政复议{figure['4']}件、提起行政诉讼{figure['5']}件。"
    )


def withdrawn_story(scene: Scene, office: Office, year: int) -> None:
    """A notice published with a wrong time, withdrawn the same day and published again corrected."""
    formed = scene.days.on_or_after(date(year, 4, 7))
    wrong_text, right_text, reason = WITHDRAWN_TEXTS
    wrong = ItemSpec("其他/通知公告", WITHDRAWN_TITLE, wrong_text, 4, 7, lag=1, channels=EVERYWHERE)

    def withdraw(item: ProactiveItem) -> None:
        services.item_withdraw(actor=scene.user(office.officer), item=item, reason=reason)

    published = scene.days.after(formed, 1)
    item_story(scene, office, wrong, formed, after_publish=[(16, withdraw)])
    corrected = ItemSpec("其他/通知公告", f"{WITHDRAWN_TITLE}（更正）", right_text, 4, 7, lag=0, channels=EVERYWHERE)
    item_story(scene, office, corrected, scene.days.after(published, 1))


def holiday_stories(scene: Scene, office: Office, first: date) -> None:
    """The hall's opening on each statutory holiday from ``first`` on, announced a week before on every channel;
    the holidays and make-up days are the platform calendar's."""
    for start, end, name, make_up in scene.days.holidays(first):
        title, text = holiday_notice(start, end, name, make_up)
        spec = ItemSpec("其他/通知公告", title, text, 1, 1, lag=1, channels=EVERYWHERE)
        item_story(scene, office, spec, scene.days.before(start, 5))


def waiting_stories(scene: Scene, office: Office) -> None:
    """What the office has on its desk at the demo's now: a draft of yesterday, an item in review whose §26
    limit is two working days away (the hourly watch shows its yellow card), one passed and not yet out."""
    days, today = scene.days, scene.today
    item_story(scene, office, WAITING_DRAFT, days.before(today, 1), stop=ItemStatus.DRAFT)
    item_story(scene, office, WAITING_NEAR_LIMIT, days.before(today, 18), stop=ItemStatus.IN_REVIEW)
    item_story(scene, office, WAITING_PASSED, days.before(today, 4), stop=ItemStatus.APPROVED)
