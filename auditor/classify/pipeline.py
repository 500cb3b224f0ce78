"""The classifier's scikit-learn pipeline: normalised text, its features, one model per
label. Imported only where a model is built (classify.build_pipeline) or unpickled, so the
commands that need no model never pay for scikit-learn."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from auditor.classify.model import KINDS, RANDOM_STATE, normalize
from auditor.errors import ModelError

# Terms of directive 1476/TLĐ and of the labelling guide, one list per column topic, in
# normalised form. Counts of their hits are extra features in the "lexicon" variant: they
# carry the directive's own words to articles whose other words the training never saw.
LEXICON = {
    "loi_ich_doan_vien": (
        "phúc lợi",
        "lợi ích",
        "ưu đãi",
        "giảm giá",
        "thỏa thuận hợp tác",
        "ký kết",
        "tết sum vầy",
        "chợ tết",
        "chuyến xe",
        "chuyến tàu",
        "chuyến bay",
        "mái ấm",
        "bữa cơm",
        "quà",
        "hỗ trợ",
        "khó khăn",
        "học bổng",
        "trợ cấp",
        "thẻ đoàn viên",
        "chăm lo",
        "tặng",
        "khám bệnh",
        "miễn phí",
        "thỏa ước",
    ),
    "thiet_che_cong_doan": (
        "thiết chế",
        "nhà ở",
        "nhà trọ",
        "căn hộ",
        "thiết chế công đoàn",
        "nhà trẻ",
        "trường mầm non",
        "siêu thị",
        "nhà văn hóa",
        "cung văn hóa",
        "thiết chế văn hóa",
        "khởi công",
        "động thổ",
        "bàn giao",
        "quỹ đất",
        "thiết chế công đoàn tại",
        "sân chơi",
        "nhà thi đấu",
        "điểm sinh hoạt",
        "công trình",
        "thuê",
    ),
    "dai_hoi_cong_doan": (
        "đại hội",
        "nhiệm kỳ",
        "đại biểu",
        "văn kiện",
        "điều lệ",
        "đại hội điểm",
        "đại hội công đoàn",
        "lần thứ xii",
        "bầu",
        "ban chấp hành",
        "nghị quyết",
        "chào mừng",
        "hướng tới",
        "công đoàn cơ sở",
        "2018 - 2023",
        "2017 - 2022",
    ),
}


class Normalized(BaseEstimator, TransformerMixin):
    """The texts as the features see them (normalize), computed once for all of them."""

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        return [normalize(t) for t in texts]


class WordGrams:
    """Character n-grams inside each word, padded with spaces as scikit-learn's char_wb
    does, remembered per word: Vietnamese is written in a few thousand syllables, so after
    the first texts nearly every word's n-grams are a dictionary look-up."""

    def __init__(self, low: int = 2, high: int = 5):
        self.low, self.high = low, high
        self._seen: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        grams: list[str] = []
        for word in text.split():
            known = self._seen.get(word)
            if known is None:
                known = self._seen[word] = self._grams(word)
            grams += known
        return grams

    def _grams(self, word: str) -> list[str]:
        padded = f" {word} "
        out = []
        for n in range(self.low, self.high + 1):
            out += [padded[i : i + n] for i in range(len(padded) - n + 1)]
            if n >= len(padded):
                break
        return out

    def __getstate__(self):  # the memo is rebuilt, never saved
        return {"low": self.low, "high": self.high}

    def __setstate__(self, state):
        self.__init__(state["low"], state["high"])


class LexiconCounts(BaseEstimator, TransformerMixin):
    """Per topic, how many of its directive terms the normalised text contains, scaled as
    log1p so one long lead does not outweigh a title."""

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        rows = [
            [np.log1p(sum(t.count(w) for w in words)) for words in LEXICON.values()] for t in texts
        ]
        return csr_matrix(np.array(rows, dtype=float).reshape(len(rows), len(LEXICON)))


def build(kind: str, c: float = 0.5) -> Pipeline:
    """The text normalised once; its features (syllable uni- and bigrams, character
    n-grams inside words, and optionally the directive lexicon); one binary model per
    label."""
    base, _, extra = kind.partition("+")
    words = TfidfVectorizer(
        lowercase=False,
        token_pattern=r"(?u)[^\W\d_]+|\d+",
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=1,
    )
    chars = TfidfVectorizer(analyzer=WordGrams(2, 5), sublinear_tf=True, min_df=2)
    parts = [("words", words), ("chars", chars)]
    if extra == "lexicon":
        parts.append(("lexicon", LexiconCounts()))
    return Pipeline(
        [
            ("normalize", Normalized()),
            ("features", FeatureUnion(parts)),
            ("model", _estimator(base, c)),
        ]
    )


def _estimator(base: str, c: float) -> OneVsRestClassifier:
    if base == "svm":
        svm = LinearSVC(C=c, class_weight="balanced", random_state=RANDOM_STATE)
        return OneVsRestClassifier(CalibratedClassifierCV(svm, cv=3, method="sigmoid"))
    if base == "logreg":
        return OneVsRestClassifier(
            LogisticRegression(C=8.0, class_weight="balanced", max_iter=2000)
        )
    if base == "cnb":
        return OneVsRestClassifier(ComplementNB(alpha=0.3))
    raise ModelError(f"unknown model kind {base!r}; one of {', '.join(KINDS)}")
