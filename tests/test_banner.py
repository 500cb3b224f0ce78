"""The banner rule: real-looking positives and near misses."""

import pytest

from auditor.banner import match_banner

PRESENT = {
    "the directive's words": "Chào mừng đại hội công đoàn các cấp và Đại hội Công đoàn Việt "
    "Nam lần thứ XII",
    "upper case": "CHÀO MỪNG ĐẠI HỘI CÔNG ĐOÀN VIỆT NAM LẦN THỨ XII",
    "line breaks and nbsp": "Chào mừng\nĐại hội\u00a0Công đoàn\r\nViệt Nam lần thứ XII",
    "entities": "Ch&agrave;o mừng Đại hội C&ocirc;ng đo&agrave;n Việt Nam lần thứ XII",
    "short form": "Nhiệt liệt chào mừng Đại hội XII Công đoàn Việt Nam",
    "abbreviations": "Chào mừng ĐH CĐVN lần thứ XII",
    "arabic number": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ 12",
    "congress of delegates": "Chào mừng Đại hội đại biểu toàn quốc Công đoàn Việt Nam lần "
    "thứ XII, nhiệm kỳ 2018 - 2023",
    "only the lower levels": "Chào mừng đại hội công đoàn các cấp",
    "no diacritics (file name)": "chao-mung-dai-hoi-cong-doan-viet-nam-lan-thu-xii.jpg",
    "NFD": "Cha\u0300o mừng Đại hội Công đoàn Việt Nam lần thứ XII",
    "old tone placement": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XII – khoá XII",
}

ABSENT = {
    "youth union congress": "Chào mừng Đại hội Đoàn TNCS Hồ Chí Minh lần thứ XII",
    "party congress": "Chào mừng Đại hội Đảng bộ tỉnh lần thứ XII",
    "eleventh congress": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XI",
    "thirteenth congress": "Chào mừng Đại hội Công đoàn Việt Nam lần thứ XIII",
    "column name, no greeting": "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII",
    "other greeting": "Chào mừng 88 năm ngày thành lập Công đoàn Việt Nam",
    "greeting far from the congress": "Chào mừng quý độc giả đến với trang thông tin điện tử "
    "của Liên đoàn Lao động tỉnh, nơi cập nhật tin tức, sự kiện, hoạt động của các cấp "
    "công đoàn trong tỉnh. Chuyên mục: Đại hội Công đoàn Việt Nam lần thứ XII",
    "sports festival": "Chào mừng Đại hội Thể dục thể thao toàn quốc lần thứ XII",
    "shareholders": "Chào mừng Đại hội đồng cổ đông năm 2018",
    "empty": "",
}


@pytest.mark.parametrize("text", PRESENT.values(), ids=PRESENT.keys())
def test_banner_present(text):
    assert match_banner(text) is not None


@pytest.mark.parametrize("text", ABSENT.values(), ids=ABSENT.keys())
def test_banner_absent(text):
    assert match_banner(text) is None
