"""Near-duplicate scoring: reworded/reordered claims score at or above the threshold, unrelated or
merely same-field texts below; the score is symmetric; fingerprints and best_matches behave."""
import re

import pytest

from prescreen.similarity import PREFILTER_MAX_DISTANCE, best_matches, fingerprint, fingerprint_distance, similarity, tokens

ORIGINAL = (
    "1. 一种可折叠的太阳能充电支架，其特征在于，包括底座、转轴和光伏板，所述光伏板通过所述转轴与所述底座铰接。"
    "2. 根据权利要求1所述的太阳能充电支架，其特征在于，所述底座的上表面设有两个相互平行的支耳。"
    "3. 根据权利要求1或2所述的太阳能充电支架，其特征在于，所述转轴的外周设有阻尼套。"
)
# claims 2 and 3 swapped, four words changed (活动, 套设, 橡胶, 顶面/彼此)
NEAR_DUPLICATE = (
    "1. 一种可折叠的太阳能充电支架，其特征在于，包括底座、转轴和光伏板，所述光伏板通过所述转轴与所述底座活动铰接。"
    "2. 根据权利要求1所述的太阳能充电支架，其特征在于，所述转轴的外周套设有橡胶阻尼套。"
    "3. 根据权利要求1或2所述的太阳能充电支架，其特征在于，所述底座的顶面设有两个彼此平行的支耳。"
)
# the same sentences in another order, numbers and punctuation changed
REORDERED = "；".join(reversed(re.split(r"(?<=。)", ORIGINAL)[:-1])).replace("1.", "１．")
SAME_FIELD = (
    "1. 一种太阳能充电支架，其特征在于，包括立柱、横梁和光伏组件，所述立柱底部设有地脚螺栓，"
    "所述横梁与所述立柱通过螺栓连接，所述光伏组件固定在横梁上。"
    "2. 根据权利要求1所述的太阳能充电支架，其特征在于，所述立柱由镀锌钢管制成。"
)
UNRELATED = (
    "1. 一种乳制品发酵罐的清洗方法，其特征在于，包括以下步骤：向罐体内通入碱液循环清洗二十分钟，"
    "然后用纯化水冲洗至中性，最后通入蒸汽灭菌。2. 根据权利要求1所述的清洗方法，其特征在于，所述碱液为氢氧化钠溶液。"
)
SIMILAR_STRUCTURE = (
    "1. 一种可折叠的自行车车架，其特征在于，包括前管、后管和铰接件，所述前管通过所述铰接件与所述后管铰接。"
    "2. 根据权利要求1所述的车架，其特征在于，所述铰接件的外周设有锁紧套。"
)


def test_boilerplate_is_not_content():
    toks = tokens("根据权利要求1-3任一项所述的装置，其特征在于，所述底座设有支耳。")
    assert "权利要求" not in toks and "所述" not in toks and "特征" not in toks
    assert "底座" in toks and "支耳" in toks


def test_identical_and_reordered_texts():
    assert similarity(ORIGINAL, ORIGINAL) == 1.0
    assert similarity(ORIGINAL, REORDERED) >= 0.95


def test_near_duplicate_reaches_default_threshold():
    assert similarity(ORIGINAL, NEAR_DUPLICATE) >= 0.8


@pytest.mark.parametrize("other", [SAME_FIELD, UNRELATED, SIMILAR_STRUCTURE])
def test_different_inventions_stay_well_below(other):
    assert similarity(ORIGINAL, other) < 0.5


def test_short_text_contained_in_long_one_is_not_a_duplicate():
    assert similarity("一种太阳能充电支架。", ORIGINAL) < 0.5


@pytest.mark.parametrize("a,b", [(ORIGINAL, NEAR_DUPLICATE), (ORIGINAL, UNRELATED), (SAME_FIELD, REORDERED),
                                 ("一种装置", ORIGINAL)])
def test_score_is_symmetric_and_bounded(a, b):
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


def test_empty_texts_score_zero():
    assert similarity("", ORIGINAL) == 0.0
    assert similarity("", "") == 0.0
    assert similarity(None, None) == 0.0
    assert fingerprint("") == ""


def test_fingerprint_is_compact_stable_and_close_for_near_duplicates():
    fp = fingerprint(ORIGINAL)
    assert re.fullmatch(r"[0-9a-f]{16}", fp)
    assert fingerprint(ORIGINAL) == fp
    near = max(fingerprint_distance(fp, fingerprint(t)) for t in (REORDERED, NEAR_DUPLICATE))
    far = min(fingerprint_distance(fp, fingerprint(t)) for t in (UNRELATED, SAME_FIELD, SIMILAR_STRUCTURE))
    assert near <= PREFILTER_MAX_DISTANCE < far
    assert fingerprint_distance(fp, "") == 64


def test_best_matches_orders_filters_and_limits():
    candidates = [(1, UNRELATED), (2, NEAR_DUPLICATE), (3, ORIGINAL), (4, SAME_FIELD), (5, ""), (6, REORDERED)]
    matches = best_matches(ORIGINAL, candidates, threshold=0.8, limit=5)
    assert [cid for cid, _ in matches] == [3, 6, 2]
    assert matches[0][1] == 1.0
    assert all(score >= 0.8 for _, score in matches)
    assert best_matches(ORIGINAL, candidates, threshold=0.8, limit=1) == [(3, 1.0)]
    assert best_matches(ORIGINAL, iter(candidates), threshold=0.99) == [(3, 1.0), (6, similarity(ORIGINAL, REORDERED))][
        : 1 + (similarity(ORIGINAL, REORDERED) >= 0.99)]
    assert best_matches("", candidates) == []
