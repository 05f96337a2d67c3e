"""Learned dispatch suggestions: a classifier trained on past dispatched tickets proposes the three
most likely handling units with their confidence and the words that drove the first choice.

Text features: the ticket's category path, area and description, cut into words by jieba; TF-IDF
(sublinear, words seen at least twice) and a linear model with logistic loss trained by stochastic
gradient descent (scikit-learn's SGDClassifier: probabilities, one weight per word and unit). The
label is the unit that finally handled the ticket (after any return and re-dispatch). Training holds
out a stratified fifth of the tickets to measure top-1 and top-3 accuracy, then fits on everything;
the model is stored through Django's file storage (shared by every app server) and each process
loads the newest once. A periodic task retrains nightly (tasks.py).
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jieba
import joblib
import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from yiwang.hotline.models import Category, DispatchModel, Ticket, TicketStatus
from yiwang.hotline.selectors import category_leaves
from yiwang.organisation.selectors import departments_by_pk

if TYPE_CHECKING:
    from yiwang.organisation.models import Department

logger = logging.getLogger(__name__)
MIN_SAMPLES = 50
MAX_SAMPLES = 200_000
_PUNCTUATION = set("，。！？、；：,.!?;:（）()《》“”\"' \n\t")


def words(text: str) -> list[str]:
    return [w for w in jieba.lcut(text) if w.strip() and not set(w) <= _PUNCTUATION]


def ticket_text(category_path: str, area: str, description: str) -> str:
    """The words the classifier reads, cut once and joined by spaces."""
    return " ".join(words(f"{category_path} {area} {description}"))


def _split(text: str) -> list[str]:
    return text.split()


def _rows(limit: int = MAX_SAMPLES) -> tuple[list[str], list[int]]:
    tickets = (
        Ticket.objects.filter(unit__isnull=False, status__in=(TicketStatus.REPLIED, TicketStatus.CLOSED))
        .select_related("category__parent__parent", "region")
        .order_by("-created_at")
        .only(
            "description",
            "unit_id",
            "category__name",
            "category__parent__name",
            "category__parent__parent__name",
            "region__name",
        )[:limit]
    )
    texts, labels = [], []
    for ticket in tickets.iterator(chunk_size=2000):
        texts.append(
            ticket_text(_path(ticket.category), ticket.region.name if ticket.region else "", ticket.description)
        )
        labels.append(int(ticket.unit_id or 0))
    return texts, labels


def _path(category: Any) -> str:
    names: list[str] = []
    while category is not None:
        names.insert(0, category.name)
        category = category.parent
    return " ".join(names)


def _pipeline() -> Pipeline:
    return Pipeline(
        [
            (
                "tfidf",
                TfidfVectorizer(analyzer=_split, min_df=2, sublinear_tf=True),
            ),
            ("model", SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=30, tol=None, random_state=7)),
        ]
    )


def _top_k_accuracy(pipeline: Pipeline, texts: list[str], labels: list[int], k: int) -> float:
    probabilities = pipeline.predict_proba(texts)
    classes = pipeline.classes_
    best = np.argsort(-probabilities, axis=1)[:, :k]
    hits = sum(1 for row, label in zip(best, labels, strict=True) if label in {classes[i] for i in row})
    return hits / len(labels) if labels else 0.0


@dataclass(frozen=True)
class Evaluation:
    samples: int
    units: int
    top1: float
    top3: float


def model_evaluate(texts: list[str] | None = None, labels: list[int] | None = None) -> Evaluation:
    """Top-1 and top-3 accuracy on a stratified held-out fifth (fixed seed, so it can be repeated)."""
    if texts is None or labels is None:
        texts, labels = _rows()
    counts: dict[int, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    keep = [i for i, label in enumerate(labels) if counts[label] >= 5]  # a unit needs a few examples
    texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    if len(labels) < MIN_SAMPLES:
        raise ValueError(f"not enough dispatched tickets to learn from ({len(labels)})")
    train_x, test_x, train_y, test_y = train_test_split(texts, labels, test_size=0.2, random_state=7, stratify=labels)
    pipeline = _pipeline().fit(train_x, train_y)
    return Evaluation(
        samples=len(labels),
        units=len(set(labels)),
        top1=_top_k_accuracy(pipeline, test_x, test_y, 1),
        top3=_top_k_accuracy(pipeline, test_x, test_y, 3),
    )


def model_train() -> DispatchModel:
    """Evaluates on a held-out split, fits on every ticket and stores the model."""
    texts, labels = _rows()
    evaluation = model_evaluate(texts, labels)
    pipeline = _pipeline().fit(texts, labels)
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer)
    name = default_storage.save(
        f"hotline/dispatch-{timezone.now():%Y%m%d%H%M%S}.joblib", ContentFile(buffer.getvalue())
    )
    _categories_train(_categories_path(name))
    record = DispatchModel.objects.create(
        path=name, samples=evaluation.samples, units=evaluation.units, top1=evaluation.top1, top3=evaluation.top3
    )
    logger.info("dispatch model trained: %s samples, top-1 %.3f, top-3 %.3f", record.samples, record.top1, record.top3)
    return record


_loaded: dict[str, Any] = {}
_lock = threading.Lock()


def _current() -> Pipeline | None:
    record = DispatchModel.objects.order_by("-trained_at", "-pk").first()
    if record is None:
        return None
    with _lock:
        if _loaded.get("path") != record.path:
            with default_storage.open(record.path, "rb") as stored:
                _loaded.update(path=record.path, pipeline=joblib.load(stored))
        return _loaded["pipeline"]


def models_warm_up() -> bool:
    """Loads the current dispatch and category models now, not in the first ticket's or suggestion's
    request (with jieba's dictionary, 5-10 s there: issue 17, defect 10). True when a model was loaded."""
    return _current() is not None and _categories_current() is not None


@dataclass(frozen=True)
class Suggestion:
    unit: Department
    confidence: float
    words: tuple[str, ...]


def suggestions_for(ticket: Ticket, k: int = 3) -> list[Suggestion]:
    """The k most likely units with their probability, and the words that weighed most for each."""
    pipeline = _current()
    if pipeline is None:
        return []
    text = ticket_text(_path(ticket.category), ticket.region.name if ticket.region else "", ticket.description)
    vector = pipeline.named_steps["tfidf"].transform([text])
    model = pipeline.named_steps["model"]
    probabilities = model.predict_proba(vector)[0]
    vocabulary = pipeline.named_steps["tfidf"].get_feature_names_out()
    order = np.argsort(-probabilities)[:k]
    units = departments_by_pk(pks=[int(model.classes_[i]) for i in order])
    columns = vector.nonzero()[1]
    result = []
    for index in order:
        unit = units.get(int(model.classes_[index]))
        if unit is None:
            continue
        coefficients = model.coef_[index] if model.coef_.shape[0] > 1 else model.coef_[0]
        weights = sorted(((coefficients[c] * vector[0, c], vocabulary[c]) for c in columns), reverse=True)
        result.append(
            Suggestion(unit, round(float(probabilities[index]), 3), tuple(w for weight, w in weights[:4] if weight > 0))
        )
    return result


# --- categories from plain words (网上诉求) ----------------------------------------------------------------
# The same words and model, labelled with the ticket's category: as a citizen types the description, the
# portal proposes the categories agents chose for tickets worded like it. Trained with the dispatch model
# and stored beside it; before any training, the category names found in the text are proposed instead.


def _categories_path(dispatch_path: str) -> str:
    return dispatch_path.replace("dispatch-", "categories-", 1)


def _category_rows(limit: int = MAX_SAMPLES) -> tuple[list[str], list[int]]:
    tickets = (
        Ticket.objects.exclude(status=TicketStatus.MERGED)
        .filter(category__active=True)
        .order_by("-created_at")
        .values_list("description", "category_id")[:limit]
    )
    texts, labels = [], []
    for description, category_id in tickets.iterator(chunk_size=2000):
        texts.append(" ".join(words(description)))
        labels.append(int(category_id))
    return texts, labels


def _categories_train(path: str) -> None:
    texts, labels = _category_rows()
    counts: dict[int, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    keep = [i for i, label in enumerate(labels) if counts[label] >= 3]
    if len(keep) < MIN_SAMPLES or len({labels[i] for i in keep}) < 2:
        return
    pipeline = _pipeline().fit([texts[i] for i in keep], [labels[i] for i in keep])
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer)
    default_storage.save(path, ContentFile(buffer.getvalue()))


def _categories_current() -> Pipeline | None:
    record = DispatchModel.objects.order_by("-trained_at", "-pk").only("path").first()
    if record is None:
        return None
    path = _categories_path(record.path)
    with _lock:
        if _loaded.get("categories_path") != path:
            if not default_storage.exists(path):
                return None
            with default_storage.open(path, "rb") as stored:
                _loaded.update(categories_path=path, categories=joblib.load(stored))
        return _loaded["categories"]


def category_suggestions(text: str, k: int = 3) -> list[tuple[Category, float]]:
    """The k categories (leaves in use) most likely for a description, with their probability; before a
    model is trained, the categories whose names the text mentions (probability 0)."""
    text = (text or "").strip()[:2000]
    if len(text) < 4:
        return []
    leaves = {c.pk: c for c in category_leaves()}
    pipeline = _categories_current()
    if pipeline is not None:
        probabilities = pipeline.predict_proba([" ".join(words(text))])[0]
        classes = pipeline.classes_
        ranked = [(int(classes[i]), float(probabilities[i])) for i in np.argsort(-probabilities)]
        found = [(leaves[pk], round(p, 3)) for pk, p in ranked if pk in leaves and p > 0.02]
        if found:
            return found[:k]
    said = set(words(text))
    named = [c for c in leaves.values() if c.name in text or any(w in said for w in words(c.name) if len(w) >= 2)]
    return [(c, 0.0) for c in named[:k]]
