"""The award notice (中标通知书, 招标投标法 §45) as a PDF, for those who may see it."""

from django.http import HttpRequest, HttpResponse

from yiwang.core.shell import acting_user
from yiwang.trading import selectors
from yiwang.trading.api._common import ERRORS, router
from yiwang.trading.award_notice import award_notice_pdf


@router.get(
    "/projects/{code}/award-notice.pdf",
    response={200: None, **ERRORS},
    summary="中标通知书 as PDF (TBL §45): the winning bidder, the tenderer, the centre and the supervisor",
    operation_id="yiwang_trading_api_award_notice_download",
)
def award_notice_download(request: HttpRequest, code: str) -> HttpResponse:
    project, winners = selectors.award_notice_of(acting_user(request), code)
    response = HttpResponse(
        award_notice_pdf(project, winners, selectors.award_record_live(project)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{project.code}-award-notice.pdf"'
    return response
