"""Training and scoring: TF-IDF over words (jieba for Chinese) and character n-grams, a linear classifier per target.

The functions here take plain rows (``id``, ``text``, ``created_at`` and one value per target) so that the
nightly job, the generator of synthetic histories and the benchmark train the same way.
"""

import io
import time
from collections import Counter
from datetime import timedelta

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion

from assist.text import words

HOLD_OUT = timedelta(days=30)
# Similar tickets are looked for among the newest resolved tickets only, which keeps scoring one ticket fast.
SIMILAR_INDEX = 20000


def make_vectorizer() -> FeatureUnion:
    return FeatureUnion([
        ("words", TfidfVectorizer(tokenizer=words, lowercase=False, token_pattern=None, ngram_range=(1, 2),
                                  min_df=2, max_features=60000, sublinear_tf=True, dtype=np.float32)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), min_df=3, max_features=60000,
                                  sublinear_tf=True, dtype=np.float32)),
    ])


def make_classifier() -> SGDClassifier:
    return SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=50, tol=1e-3, random_state=0)


def _split(rows) -> tuple[np.ndarray, np.ndarray]:
    """Indices for training and for the held-out month (the last 30 days of the history)."""
    dates = [row["created_at"] for row in rows]
    cutoff = max(dates) - HOLD_OUT
    held = np.array([date > cutoff for date in dates])
    if held.all() or not held.any():  # a history shorter than a month: the newest fifth
        held = np.zeros(len(rows), dtype=bool)
        held[int(len(rows) * 0.8):] = True
    return np.flatnonzero(~held), np.flatnonzero(held)


def _target(matrix, labels, train_idx, held_idx, *, min_per_class: int) -> tuple[object, dict]:
    """Fit one target; the report says whether it is on, and if not, why."""
    known = np.array([label not in (None, "") for label in labels])
    counts = Counter(label for label, ok in zip(labels, known, strict=True) if ok)
    kept = sorted(value for value, count in counts.items() if count >= min_per_class)
    report = {"classes": {value: counts[value] for value in kept}, "dropped": sorted(set(counts) - set(kept)),
              "enabled": False, "reason": "", "accuracy": None, "baseline": None, "held_out": 0}
    if len(kept) < 2:
        report["reason"] = (f"fewer than two values with at least {min_per_class} resolved tickets "
                            f"({len(kept)} of {len(counts)})")
        return None, report
    y = np.array([label if label in set(kept) else "" for label in labels], dtype=object)
    usable = y != ""
    train = train_idx[usable[train_idx]]
    held = held_idx[usable[held_idx]]
    if len(held):
        classifier = make_classifier().fit(matrix[train], y[train].astype(str))
        predicted = classifier.predict(matrix[held])
        majority = Counter(y[train]).most_common(1)[0][0]
        report["accuracy"] = round(float(np.mean(predicted == y[held].astype(str))), 4)
        report["baseline"] = round(float(np.mean(y[held] == majority)), 4)
        report["held_out"] = int(len(held))
    everything = np.flatnonzero(usable)
    classifier = make_classifier().fit(matrix[everything], y[everything].astype(str))
    report["enabled"] = True
    return classifier, report


def train(rows: list[dict], *, targets, min_per_class: int) -> tuple[dict, dict]:
    """The bundle (vectorizer, classifiers, resolved-ticket vectors) and its report, per target."""
    started = time.monotonic()
    vectorizer = make_vectorizer()
    matrix = vectorizer.fit_transform([row["text"] for row in rows]).tocsr()
    train_idx, held_idx = _split(rows)
    classifiers, report = {}, {}
    for target in targets:
        classifier, report[target] = _target(matrix, [row.get(target) for row in rows], train_idx, held_idx,
                                             min_per_class=min_per_class)
        if classifier is not None:
            classifiers[target] = classifier
    similar = np.flatnonzero([bool(row.get("resolved", True)) for row in rows])
    similar = similar[np.argsort([rows[i]["created_at"] for i in similar], kind="stable")][-SIMILAR_INDEX:]
    bundle = {"vectorizer": vectorizer, "classifiers": classifiers,
              "ids": np.array([row["id"] for row in rows])[similar], "matrix": _normalised(matrix[similar])}
    return bundle, {"targets": report, "seconds": round(time.monotonic() - started, 2)}


def _normalised(matrix):
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1
    from scipy.sparse import diags

    return (diags(1 / norms) @ matrix).astype(np.float32).tocsr()


def vector(bundle, text: str):
    return _normalised(bundle["vectorizer"].transform([text]))


def predict(bundle, text: str, vec=None) -> dict:
    """target -> (value, confidence) for the targets that are on."""
    vec = vec if vec is not None else bundle["vectorizer"].transform([text])
    out = {}
    for target, classifier in bundle["classifiers"].items():
        probabilities = classifier.predict_proba(vec)[0]
        best = int(np.argmax(probabilities))
        out[target] = (str(classifier.classes_[best]), float(probabilities[best]))
    return out


def nearest(bundle, vec, *, limit: int = 50) -> list[tuple[int, float]]:
    """The ids of the closest resolved tickets with their cosine similarity, best first."""
    if bundle["matrix"].shape[0] == 0:
        return []
    scores = (bundle["matrix"] @ vec.T).toarray().ravel()
    limit = min(limit, len(scores))
    top = np.argpartition(-scores, limit - 1)[:limit]
    top = top[np.argsort(-scores[top])]
    return [(int(bundle["ids"][i]), float(scores[i])) for i in top if scores[i] > 0]


def dump(bundle) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(bundle, buffer, compress=3)
    return buffer.getvalue()


def load(data: bytes) -> dict:
    return joblib.load(io.BytesIO(bytes(data)))
