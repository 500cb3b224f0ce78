import unicodedata

import pytest

from auditor.text import clean, html_to_text, loose_key, name_key, nfc, slugify

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

SAME_NAME = {
    "NFD and NFC": (NFD("Công đoàn vì lợi ích đoàn viên"), "Công đoàn vì lợi ích đoàn viên"),
    "old and new tone placement (hoa)": ("Thoả thuận hợp tác", "Thỏa thuận hợp tác"),
    "uy with the mark on either letter": ("Ban Thường vụ Tỉnh uỷ", "Ban thường vụ tỉnh ủy"),
    "case": ("THIẾT CHẾ CÔNG ĐOÀN", "Thiết chế Công đoàn"),
    "spaces and nbsp": ("Thiết\u00a0chế   Công đoàn ", "Thiết chế Công đoàn"),
    "zero-width space": ("Thiết\u200b chế Công đoàn", "Thiết chế Công đoàn"),
    "Icelandic eth for D with stroke": ("\u00d0ại hội", "Đại hội"),
    "html entity": ("Đại hội &#8211; XII", "Đại hội – XII"),
}


@pytest.mark.parametrize("a,b", SAME_NAME.values(), ids=SAME_NAME.keys())
def test_same_name_key(a, b):
    assert name_key(a) == name_key(b)


DIFFERENT = {
    "hoi: dot below vs hook above": ("Đại hội", "Đại hỏi"),
    "quy is not touched like uy": ("quý", "qúy"),
}


@pytest.mark.parametrize("a,b", DIFFERENT.values(), ids=DIFFERENT.keys())
def test_different_name_key(a, b):
    assert name_key(a) != name_key(b)


def test_tone_moves_only_at_syllable_end():
    assert nfc("hoàn thành") == "hoàn thành"
    assert nfc("hoà bình") == "hòa bình"
    assert nfc("khoẻ") == "khỏe"
    assert nfc("quỳnh") == "quỳnh"
    assert nfc("thuỷ") == "thủy"


def test_loose_key_maps_d_stroke():
    assert loose_key("Đại hội Công đoàn") == "dai hoi cong doan"
    assert loose_key("Hỏi đáp") == loose_key("Hội đáp")  # collides: secondary only


def test_slug_like_wordpress():
    assert slugify("Thiết chế Công đoàn") == "thiet-che-cong-doan"
    assert slugify("Hướng tới Đại hội XII") == "huong-toi-dai-hoi-xii"


def test_html_to_text_and_clean():
    assert (
        html_to_text("<p>Nhà&nbsp;trẻ <b>công đoàn</b></p><script>x()</script>")
        == "Nhà trẻ công đoàn"
    )
    assert clean(None) == ""
    assert unicodedata.is_normalized("NFC", clean(NFD("Người lao động")))
