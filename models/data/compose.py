"""Composes the classifier's training data from phrase banks the team wrote.

Every sentence pattern and every phrase below was written by the auditor team for this
purpose; nothing is copied from any outlet. Each item records the pattern it came from
(`source`), and the held-out split takes whole patterns, so the held-out score measures
how well the model handles sentences it has never seen the shape of.

    python3 models/data/compose.py      # rewrites train.jsonl and heldout.jsonl
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20170914  # the directive's date

# -- slot fillers ---------------------------------------------------------------------------

PLACE = [
    "Hà Nội",
    "TP Hồ Chí Minh",
    "Đồng Nai",
    "Bình Dương",
    "Hải Phòng",
    "Nghệ An",
    "Thanh Hóa",
    "Bắc Ninh",
    "Bắc Giang",
    "Đà Nẵng",
    "Quảng Ninh",
    "Long An",
    "Cần Thơ",
    "Thái Nguyên",
    "Vĩnh Phúc",
    "Hải Dương",
    "Khánh Hòa",
    "Quảng Nam",
    "Tây Ninh",
    "Hưng Yên",
    "Nam Định",
    "Phú Thọ",
    "Bà Rịa - Vũng Tàu",
    "Thừa Thiên Huế",
    "Lâm Đồng",
    "Gia Lai",
    "Đắk Lắk",
    "Sóc Trăng",
    "Tiền Giang",
    "Hà Nam",
]
KCN = [
    "Thăng Long",
    "Quang Minh",
    "Nomura",
    "Đình Trám",
    "Yên Phong",
    "Quế Võ",
    "Biên Hòa 2",
    "Nhơn Trạch",
    "VSIP",
    "Mỹ Phước",
    "Tân Tạo",
    "Hiệp Phước",
    "Hòa Khánh",
    "Phố Nối A",
    "Đại An",
    "Bá Thiện",
    "Sóng Thần",
    "Tiên Sơn",
    "Linh Trung",
    "Amata",
]
ORG = [
    "LĐLĐ tỉnh {place}",
    "LĐLĐ TP {place}",
    "Công đoàn các KCN {place}",
    "Công đoàn ngành Giáo dục {place}",
    "Công đoàn Viên chức tỉnh {place}",
    "Công đoàn ngành Y tế {place}",
    "CĐCS Công ty TNHH {company}",
    "Công đoàn Công ty cổ phần {company}",
    "Công đoàn Dệt May Việt Nam",
    "Công đoàn Công Thương Việt Nam",
    "Công đoàn Giao thông vận tải Việt Nam",
    "Công đoàn Xây dựng Việt Nam",
    "Công đoàn Ngân hàng Việt Nam",
    "Tổng LĐLĐ Việt Nam",
    "Công đoàn huyện {district}",
    "Công đoàn quận {district}",
]
COMPANY = [
    "Hanes",
    "Pouyuen",
    "Samsung Display",
    "Canon",
    "May Sông Hồng",
    "Giày Thái Bình",
    "Điện tử Foster",
    "Dệt kim Đông Xuân",
    "Cơ khí Hà Nội",
    "Thép Hòa Phát",
    "Nhựa Tiền Phong",
    "May 10",
    "Giấy Bãi Bằng",
    "Xi măng Bỉm Sơn",
    "Thủy sản Minh Phú",
    "Bia Sài Gòn",
    "Cao su Đồng Phú",
    "Điện lực Miền Bắc",
    "Than Hà Lầm",
    "Yazaki",
]
DISTRICT = [
    "Đông Anh",
    "Gia Lâm",
    "Thủ Đức",
    "Bình Tân",
    "Long Thành",
    "Thuận An",
    "Dĩ An",
    "Kiến An",
    "Từ Sơn",
    "Phổ Yên",
    "Sóc Sơn",
    "Nhơn Trạch",
    "Cẩm Phả",
    "Hòa Vang",
]
PARTNER = [
    "hệ thống siêu thị Co.opmart",
    "chuỗi siêu thị điện máy",
    "Ngân hàng Công thương",
    "Ngân hàng Nông nghiệp và Phát triển nông thôn",
    "Bệnh viện đa khoa tỉnh",
    "phòng khám đa khoa Hồng Ngọc",
    "nhà xe khách Phương Trang",
    "công ty du lịch Saigontourist",
    "Tổng công ty Đường sắt",
    "doanh nghiệp viễn thông",
    "hệ thống nhà thuốc",
    "trung tâm ngoại ngữ",
    "công ty bảo hiểm",
    "siêu thị Big C",
    "nhà hàng, khách sạn trên địa bàn",
    "cửa hàng xăng dầu",
    "trung tâm nha khoa",
    "hãng hàng không",
    "công ty sữa",
    "cơ sở đào tạo lái xe",
]
SERVICE = [
    "mua hàng tại siêu thị",
    "khám chữa bệnh",
    "đi xe khách về quê ăn Tết",
    "mua vé tàu dịp Tết",
    "vay vốn tiêu dùng",
    "học ngoại ngữ",
    "mua sắm đồ điện máy",
    "đi du lịch hè",
    "mua thuốc",
    "lắp đặt internet",
    "khám răng",
    "học lái xe",
    "mua bảo hiểm",
    "ăn uống tại nhà hàng đối tác",
    "đổ xăng",
]
SECTOR = [
    "Giáo dục",
    "Y tế",
    "Công Thương",
    "Xây dựng",
    "Giao thông vận tải",
    "Ngân hàng",
    "Dệt May",
    "Cao su",
    "Dầu khí",
    "Điện lực",
    "Nông nghiệp và Phát triển nông thôn",
    "Bưu điện",
    "Đường sắt",
    "Hàng không",
]
ROMAN = ["XII", "XI", "X", "IX", "VIII", "XIII", "XV", "XVI", "lần thứ 12", "lần thứ XII"]
WORKER = [
    "công nhân",
    "người lao động",
    "đoàn viên",
    "CNVCLĐ",
    "NLĐ",
    "đoàn viên công đoàn",
    "công nhân lao động",
    "đoàn viên, người lao động",
]
NUMBER = [
    "120",
    "200",
    "350",
    "500",
    "1.000",
    "1.200",
    "2.500",
    "3.000",
    "5.000",
    "10.000",
    "hơn 700",
    "gần 900",
    "trên 1.500",
    "hàng nghìn",
    "hàng trăm",
]
MONEY = [
    "2 tỷ đồng",
    "500 triệu đồng",
    "15 tỷ đồng",
    "300 tỷ đồng",
    "1,2 tỷ đồng",
    "80 triệu đồng",
    "40 tỷ đồng",
]
PCT = ["5", "7", "10", "15", "20", "30", "50"]
OTHER_ORG = [
    "Đoàn TNCS Hồ Chí Minh tỉnh {place}",
    "Hội Liên hiệp Phụ nữ tỉnh {place}",
    "Đảng bộ tỉnh {place}",
    "Hội Nông dân tỉnh {place}",
    "Hội Cựu chiến binh tỉnh {place}",
    "Hội Chữ thập đỏ tỉnh {place}",
    "Mặt trận Tổ quốc tỉnh {place}",
    "Đoàn Thanh niên Công ty {company}",
    "Hội Doanh nghiệp trẻ tỉnh {place}",
]

FILL = {
    "place": PLACE,
    "kcn": KCN,
    "org": ORG,
    "company": COMPANY,
    "district": DISTRICT,
    "partner": PARTNER,
    "service": SERVICE,
    "sector": SECTOR,
    "roman": ROMAN,
    "worker": WORKER,
    "n": NUMBER,
    "money": MONEY,
    "pct": PCT,
    "other_org": OTHER_ORG,
}

# -- patterns: (title, lead). A lead of None means the item is a title alone. -----------------

LOI_ICH = [
    (
        "{org} ký thỏa thuận hợp tác với {partner}, đoàn viên được hưởng ưu đãi",
        "Theo thỏa thuận, đoàn viên công đoàn xuất trình thẻ đoàn viên sẽ được giảm {pct}% khi {service}.",
    ),
    (
        "Đoàn viên công đoàn được giảm {pct}% khi {service}",
        "Đây là một trong những ưu đãi mà {partner} cam kết dành riêng cho đoàn viên theo chương trình phúc lợi của {org}.",
    ),
    (
        "{org}: {n} đoàn viên hưởng lợi từ chương trình phúc lợi cho đoàn viên",
        "Chương trình được triển khai trên cơ sở các thỏa thuận mà công đoàn đã ký với {partner}.",
    ),
    ("Thêm {n} điểm bán hàng giảm giá cho đoàn viên công đoàn tại {place}", None),
    (
        "Công đoàn vì lợi ích đoàn viên: {org} mở rộng mạng lưới đối tác",
        "Đến nay, {org} đã ký kết với {n} doanh nghiệp cung cấp sản phẩm, dịch vụ giá ưu đãi cho {worker}.",
    ),
    (
        "Mô hình hay trong chăm lo lợi ích đoàn viên ở {org}",
        "Nhờ thỏa thuận với {partner}, mỗi năm {worker} tiết kiệm được hàng triệu đồng khi {service}.",
    ),
    (
        "Thẻ đoàn viên – “tấm vé” nhận ưu đãi khi {service}",
        "Chỉ cần xuất trình thẻ đoàn viên, {worker} được {partner} giảm giá trực tiếp {pct}%.",
    ),
    (
        "Phỏng vấn Chủ tịch {org}: “Đoàn viên phải thấy được lợi ích khi tham gia công đoàn”",
        "Trong năm, công đoàn đã ký thỏa thuận với {n} đối tác, mang lại phúc lợi thiết thực cho đoàn viên.",
    ),
    ("{place}: Trao thẻ ưu đãi cho {n} đoàn viên công đoàn", None),
    (
        "Chương trình “Phúc lợi đoàn viên” đến với {worker} KCN {kcn}",
        "{partner} cam kết giảm {pct}% cho đoàn viên khi {service}, áp dụng đến hết năm.",
    ),
    ("Ảnh: Lãnh đạo {org} và đại diện {partner} ký kết thỏa thuận ưu đãi cho đoàn viên", None),
    (
        "Đoàn viên {org} được vay vốn ưu đãi lãi suất thấp",
        "Theo thỏa thuận giữa công đoàn và {partner}, đoàn viên có hoàn cảnh khó khăn được vay tối đa 30 triệu đồng.",
    ),
    (
        "Công đoàn thương lượng với doanh nghiệp nâng chất lượng bữa ăn ca cho công nhân",
        "Sau khi {org} đối thoại, giá trị bữa ăn ca của {worker} tăng từ 15.000 đồng lên 20.000 đồng.",
    ),
    (
        "Chăm lo Tết cho đoàn viên: {org} hỗ trợ vé xe miễn phí cho {n} công nhân",
        "Đây là hoạt động thường niên trong chương trình “Tết Sum vầy” của tổ chức công đoàn, đem lại phúc lợi cho đoàn viên.",
    ),
    ("“Chuyến xe công đoàn” đưa {n} đoàn viên về quê đón Tết", None),
    (
        "Đoàn viên công đoàn khám bệnh miễn phí, mua thuốc giảm giá tại {partner}",
        "Hoạt động nằm trong chuỗi chương trình chăm lo lợi ích đoàn viên do {org} tổ chức.",
    ),
    (
        "Thông báo danh sách đối tác cung cấp dịch vụ ưu đãi cho đoàn viên năm 2018",
        "{org} thông báo {n} đơn vị đã cam kết giảm giá sản phẩm, dịch vụ cho đoàn viên công đoàn.",
    ),
    ("Lợi ích đoàn viên: giá ưu đãi riêng khi {service}", None),
    (
        "{org} tổ chức “Phiên chợ nghĩa tình” giảm giá {pct}% cho đoàn viên",
        "Các mặt hàng thiết yếu được bán thấp hơn giá thị trường nhờ sự đồng hành của {partner}.",
    ),
    (
        "Công đoàn vì lợi ích đoàn viên: hiệu quả từ những thỏa thuận hợp tác",
        "Sau một năm, các thỏa thuận hợp tác giữa {org} và đối tác đã giúp {worker} tiết kiệm khoảng {money}.",
    ),
    (
        "Đoàn viên CĐCS {company} được mua hàng trả góp không lãi suất",
        "CĐCS đã ký thỏa thuận với {partner} để đoàn viên mua đồ dùng gia đình với giá ưu đãi.",
    ),
    ("{org} ký kết chương trình phúc lợi với {n} doanh nghiệp", None),
    (
        "Nâng cao phúc lợi cho đoàn viên từ các thỏa thuận của công đoàn",
        "Nhiều LĐLĐ tỉnh như {place} đã chủ động tìm đối tác để {worker} được hưởng giá ưu đãi.",
    ),
    (
        "Công đoàn chăm lo, đoàn viên gắn bó: câu chuyện ở KCN {kcn}",
        "Từ khi có chương trình ưu đãi của công đoàn, chị công nhân {company} tiết kiệm được tiền khám bệnh cho con.",
    ),
    (
        "Siêu thị cam kết giảm giá riêng cho đoàn viên theo thỏa thuận với {org}",
        "Đây là ưu đãi dành riêng cho đoàn viên công đoàn, không áp dụng cho khách hàng thông thường.",
    ),
    (
        "Đoàn viên được hưởng gì từ các thỏa thuận hợp tác của Tổng LĐLĐ Việt Nam?",
        "Các đối tác của Tổng Liên đoàn cam kết giảm giá khi {service} cho đoàn viên trên cả nước.",
    ),
    ("{place}: Hơn {n} lượt đoàn viên sử dụng dịch vụ ưu đãi trong quý I", None),
    (
        "Gặp mặt, tặng quà đoàn viên có hoàn cảnh khó khăn nhân dịp Tết",
        "{org} trích {money} từ quỹ Tấm lòng vàng để chăm lo cho đoàn viên, người lao động bị ốm đau, tai nạn.",
    ),
    (
        "Đoàn viên {org} được hỗ trợ chi phí khám sức khỏe định kỳ",
        "Nhờ thỏa thuận với {partner}, mức chi phí khám sức khỏe cho đoàn viên giảm {pct}%.",
    ),
    (
        "Hỗ trợ đoàn viên mua bảo hiểm y tế tự nguyện với giá ưu đãi",
        "{org} phối hợp với {partner} giảm {pct}% phí bảo hiểm cho đoàn viên và người thân.",
    ),
    (
        "Đoàn viên nghèo được hỗ trợ “Mái ấm công đoàn” tại {place}",
        "Mỗi đoàn viên khó khăn về nhà ở được công đoàn hỗ trợ 50 triệu đồng để xây, sửa nhà.",
    ),
    ("{worker} {place} phấn khởi với ưu đãi giảm giá {pct}% khi {service}", None),
    (
        "{org} trao học bổng cho con đoàn viên vượt khó học giỏi",
        "Quỹ học bổng được hình thành từ đóng góp của các đối tác đã ký thỏa thuận với công đoàn.",
    ),
    (
        "Công đoàn đàm phán với chủ nhà trọ giảm giá thuê cho công nhân KCN {kcn}",
        "Nhờ công đoàn đứng ra thỏa thuận, {n} công nhân được giảm tiền thuê trọ và giá điện nước.",
    ),
    ("Đoàn viên được giảm giá khi mua xe máy tại đại lý đối tác của công đoàn", None),
    (
        "Tổng LĐLĐ Việt Nam ký kết chương trình phúc lợi đoàn viên với {partner}",
        "Thỏa thuận giúp hàng triệu đoàn viên cả nước hưởng giá ưu đãi khi {service}.",
    ),
    (
        "Bữa cơm công đoàn: {org} tổ chức bữa ăn ca nâng cao cho công nhân",
        "Công đoàn phối hợp với chủ doanh nghiệp bổ sung thêm món ăn cho {n} công nhân.",
    ),
    (
        "Triển khai Chương trình phúc lợi cho đoàn viên công đoàn tại {place}",
        "Chương trình nhằm đem lại lợi ích thiết thực, góp phần thu hút {worker} gia nhập tổ chức công đoàn.",
    ),
]

THIET_CHE = [
    (
        "Khởi công xây dựng thiết chế công đoàn tại KCN {kcn}",
        "Công trình gồm nhà ở cho công nhân, nhà trẻ, siêu thị và khu văn hóa, thể thao với tổng vốn đầu tư {money}.",
    ),
    (
        "{place} dành quỹ đất xây dựng thiết chế công đoàn cho công nhân KCN",
        "UBND tỉnh đã giao {n} m2 đất để Tổng LĐLĐ Việt Nam đầu tư thiết chế công đoàn.",
    ),
    (
        "Bàn giao {n} căn hộ nhà ở công đoàn cho công nhân thuê",
        "Đây là những căn hộ đầu tiên thuộc dự án thiết chế công đoàn tại KCN {kcn}, giá thuê thấp hơn thị trường.",
    ),
    ("Nhà trẻ công đoàn ở KCN {kcn} đón {n} cháu con công nhân", None),
    (
        "Siêu thị công đoàn: điểm mua sắm tin cậy của công nhân {place}",
        "Siêu thị thuộc thiết chế công đoàn bán hàng bình ổn giá, phục vụ {worker} ngay tại khu nhà ở.",
    ),
    (
        "Thiết chế công đoàn – nơi công nhân có chốn an cư",
        "Sau một năm đưa vào sử dụng, khu nhà ở công đoàn tại {place} đã đón {n} công nhân đến thuê.",
    ),
    (
        "Tổng LĐLĐ Việt Nam làm việc với {place} về đầu tư thiết chế công đoàn",
        "Hai bên thống nhất lộ trình xây dựng nhà ở, nhà trẻ và công trình văn hóa, thể thao cho công nhân KCN {kcn}.",
    ),
    ("Công nhân KCN {kcn} mong sớm có thiết chế công đoàn", None),
    (
        "Đưa vào sử dụng nhà văn hóa công nhân tại {place}",
        "Công trình thuộc dự án thiết chế công đoàn, có thư viện, phòng tập thể thao và sân khấu ngoài trời.",
    ),
    (
        "Khánh thành sân bóng và nhà thi đấu cho công nhân KCN {kcn}",
        "Đây là hạng mục văn hóa, thể thao trong thiết chế công đoàn do {org} làm chủ đầu tư.",
    ),
    (
        "Thiết chế công đoàn: đã có đất, đang chờ vốn",
        "Nhiều địa phương như {place} đã bố trí quỹ đất nhưng dự án thiết chế công đoàn vẫn chưa thể khởi công.",
    ),
    ("Ảnh: Phối cảnh dự án thiết chế công đoàn tại KCN {kcn}", None),
    (
        "Phỏng vấn lãnh đạo {org}: “Thiết chế công đoàn phải đến được với công nhân”",
        "Theo kế hoạch, đến năm 2020 mỗi tỉnh có KCN lớn sẽ có ít nhất một thiết chế công đoàn.",
    ),
    ("Đẩy nhanh tiến độ xây dựng thiết chế công đoàn tại {place}", None),
    (
        "Công nhân thuê nhà ở công đoàn: ở gần nơi làm, giá rẻ, an ninh tốt",
        "Khu nhà ở công đoàn tại KCN {kcn} có {n} phòng, mỗi phòng giá thuê chỉ bằng một nửa nhà trọ bên ngoài.",
    ),
    (
        "Siêu thị công đoàn thứ {n} khai trương tại {place}",
        "Siêu thị bán hàng giá gốc cho {worker}, là một phần của chương trình thiết chế công đoàn.",
    ),
    (
        "Hội thảo về mô hình thiết chế công đoàn tại các KCN",
        "Các đại biểu bàn về cách huy động nguồn lực xã hội hóa để xây dựng nhà ở, nhà trẻ cho con công nhân.",
    ),
    (
        "{org} đề xuất xây nhà trẻ cho con công nhân tại KCN {kcn}",
        "Hiện có hàng nghìn trẻ là con công nhân chưa có chỗ gửi, nhà trẻ công đoàn sẽ đáp ứng một phần nhu cầu.",
    ),
    ("Lễ động thổ thiết chế công đoàn tỉnh {place}", None),
    (
        "Thiết chế công đoàn: công trình văn hóa, thể thao cho người lao động",
        "Khu thiết chế có bể bơi, sân cầu lông và nhà văn hóa, phục vụ miễn phí cho đoàn viên công đoàn.",
    ),
    (
        "Doanh nghiệp, cấp ủy cùng vào cuộc xây dựng thiết chế công đoàn tại {place}",
        "Nhờ sự vào cuộc của cấp ủy, chính quyền, dự án thiết chế công đoàn đã hoàn thành giải phóng mặt bằng.",
    ),
    ("Thiết chế công đoàn KCN {kcn}: {n} công nhân đăng ký thuê nhà", None),
    (
        "Nhà trẻ trong thiết chế công đoàn giúp công nhân yên tâm làm việc",
        "Chị công nhân Công ty {company} cho biết từ khi gửi con ở nhà trẻ công đoàn, chị bớt lo lắng hơn.",
    ),
    (
        "Kiểm tra tiến độ dự án thiết chế công đoàn tại {place}",
        "Đoàn công tác của Tổng LĐLĐ Việt Nam đề nghị nhà thầu bảo đảm chất lượng khu nhà ở cho công nhân.",
    ),
    ("Thiết chế công đoàn tại {place} sẽ có {n} căn nhà cho công nhân thuê", None),
    (
        "Chuyển nhượng đất xây thiết chế công đoàn: {place} đồng ý giao đất không thu tiền",
        "Tổng LĐLĐ Việt Nam đề nghị địa phương miễn tiền sử dụng đất cho dự án nhà ở công nhân.",
    ),
    (
        "Siêu thị công đoàn trong KCN {kcn} hút khách công nhân",
        "Siêu thị thuộc thiết chế công đoàn mở cửa đến 22 giờ để công nhân tan ca có thể mua sắm.",
    ),
    (
        "Hướng dẫn đăng ký thuê nhà ở tại thiết chế công đoàn KCN {kcn}",
        "Công nhân có thẻ đoàn viên, chưa có nhà ở tại địa phương được ưu tiên thuê trước.",
    ),
    ("Công trình văn hóa cho công nhân: sân khấu, thư viện trong thiết chế công đoàn", None),
    (
        "Xây thiết chế công đoàn: bài học từ {place}",
        "Mô hình thiết chế công đoàn gồm nhà ở, siêu thị, nhà trẻ được nhiều địa phương đến học tập.",
    ),
]

DAI_HOI = [
    (
        "Đại hội Công đoàn tỉnh {place} lần thứ {roman}, nhiệm kỳ 2018 - 2023",
        "Đại hội bầu Ban Chấp hành khóa mới và thông qua nghị quyết với sự đồng thuận cao của đại biểu.",
    ),
    (
        "Đại hội điểm CĐCS Công ty {company} nhiệm kỳ 2017 - 2022 thành công tốt đẹp",
        "Đại hội là đại hội điểm của Công đoàn các KCN {place}, rút kinh nghiệm cho các CĐCS khác.",
    ),
    (
        "Đoàn viên góp ý dự thảo Điều lệ Công đoàn Việt Nam (sửa đổi, bổ sung)",
        "Nhiều ý kiến đề nghị quy định rõ hơn quyền lợi của đoàn viên trong Điều lệ Công đoàn Việt Nam khóa XII.",
    ),
    (
        "Góp ý văn kiện Đại hội XII Công đoàn Việt Nam: cần đặt lợi ích đoàn viên là trung tâm",
        "Tại hội nghị lấy ý kiến, {worker} {place} đóng góp nhiều ý kiến tâm huyết vào dự thảo báo cáo chính trị.",
    ),
    (
        "Thi đua lập thành tích chào mừng Đại hội Công đoàn Việt Nam lần thứ XII",
        "{org} phát động đợt thi đua cao điểm với {n} công trình, sản phẩm chào mừng đại hội.",
    ),
    ("{place}: {pct}0% CĐCS đã tổ chức xong đại hội nhiệm kỳ mới", None),
    (
        "Hướng tới Đại hội XII Công đoàn Việt Nam: {org} hoàn thành đại hội công đoàn cấp trên cơ sở",
        "Các đại hội được tổ chức đúng hướng dẫn của Tổng Liên đoàn, bầu đủ số lượng ủy viên Ban Chấp hành.",
    ),
    (
        "Đại hội Công đoàn ngành {sector} Việt Nam lần thứ {roman}",
        "Đại hội xác định mục tiêu phát triển đoàn viên, chăm lo đời sống cho người lao động trong ngành nhiệm kỳ 2018 - 2023.",
    ),
    ("Đại hội đại biểu Công đoàn huyện {district} nhiệm kỳ 2017 - 2022", None),
    (
        "Hội nghị lấy ý kiến công nhân vào dự thảo văn kiện Đại hội XII Công đoàn Việt Nam",
        "Hơn {n} công nhân KCN {kcn} tham gia góp ý, tập trung vào vấn đề tiền lương và nhà ở.",
    ),
    ("Ảnh: Đại biểu biểu quyết thông qua nghị quyết Đại hội Công đoàn tỉnh {place}", None),
    (
        "Phỏng vấn đại biểu dự Đại hội XII Công đoàn Việt Nam: “Tôi mang tiếng nói của công nhân đến đại hội”",
        "Là công nhân trực tiếp sản xuất tại Công ty {company}, chị được bầu làm đại biểu dự Đại hội Công đoàn Việt Nam.",
    ),
    (
        "Chuẩn bị chu đáo cho Đại hội Công đoàn Việt Nam lần thứ XII",
        "Tiểu ban tổ chức đại hội đã hoàn thành công tác nhân sự và văn kiện trình đại hội.",
    ),
    (
        "Công trình chào mừng Đại hội Công đoàn các cấp tại {place}",
        "{org} gắn biển công trình chào mừng đại hội công đoàn các cấp và Đại hội Công đoàn Việt Nam lần thứ XII.",
    ),
    ("Tổ chức đại hội CĐCS ở doanh nghiệp FDI: nhiều cách làm mới", None),
    (
        "Đại hội Công đoàn Viên chức tỉnh {place} lần thứ {roman}",
        "Đại hội đề ra mục tiêu nhiệm kỳ mới, bầu đoàn đại biểu dự Đại hội Công đoàn tỉnh.",
    ),
    (
        "Khai mạc Đại hội Công đoàn Việt Nam lần thứ XII tại Hà Nội",
        "Hơn 1.000 đại biểu đại diện cho hơn 10 triệu đoàn viên công đoàn cả nước về dự đại hội.",
    ),
    (
        "Đại hội công đoàn các cấp: đổi mới cách tổ chức, tăng tính dân chủ",
        "Nhiều đại hội CĐCS ở {place} để đoàn viên trực tiếp bầu chủ tịch công đoàn.",
    ),
    ("{org} tổng kết đợt thi đua chào mừng Đại hội XII Công đoàn Việt Nam", None),
    (
        "Lấy ý kiến đoàn viên vào Điều lệ Công đoàn Việt Nam sửa đổi: nhiều đề xuất thiết thực",
        "Đoàn viên CĐCS {company} đề nghị giảm mức đóng đoàn phí với công nhân thu nhập thấp.",
    ),
    (
        "Hướng tới Đại hội Công đoàn Việt Nam lần thứ XII: những con số ấn tượng ở {place}",
        "Nhiệm kỳ qua, {org} phát triển mới {n} đoàn viên, thành lập {n} CĐCS.",
    ),
    ("Đại hội Công đoàn các KCN {place} nhiệm kỳ 2018 - 2023", None),
    (
        "Bế mạc Đại hội XII Công đoàn Việt Nam, bầu Ban Chấp hành Tổng Liên đoàn khóa XII",
        "Đại hội đã thông qua Điều lệ Công đoàn Việt Nam (sửa đổi) và Nghị quyết Đại hội.",
    ),
    ("Đoàn đại biểu {org} dự Đại hội XII Công đoàn Việt Nam", None),
    ("Đại hội Công đoàn Giáo dục huyện {district} nhiệm kỳ 2017 - 2022", None),
    (
        "Lịch tổ chức đại hội công đoàn cấp trên trực tiếp cơ sở tại {place}",
        "{org} hướng dẫn các công đoàn cấp trên cơ sở hoàn thành đại hội trước tháng 3/2018.",
    ),
    (
        "Đại hội XII Công đoàn Việt Nam: công nhân kỳ vọng điều gì?",
        "{worker} KCN {kcn} mong đại hội có nghị quyết mạnh mẽ về tiền lương và nhà ở.",
    ),
    ("Nâng cao chất lượng đại hội công đoàn cơ sở nhiệm kỳ 2017 - 2022", None),
    ("Đại hội CĐCS Công ty {company}: bầu trực tiếp chủ tịch công đoàn tại đại hội", None),
    (
        "Đại hội CĐCS: đoàn viên thẳng thắn góp ý cho ban chấp hành",
        "Tại đại hội CĐCS Công ty {company}, nhiều đoàn viên góp ý về việc tổ chức bữa ăn ca và thương lượng tiền lương.",
    ),
]

KHAC = [
    # wages
    (
        "Đề xuất tăng lương tối thiểu vùng năm 2018 thêm 6,5%",
        "Hội đồng Tiền lương quốc gia đã thống nhất phương án trình Chính phủ.",
    ),
    ("Công ty {company} chậm trả lương, {n} công nhân bức xúc", None),
    (
        "Tiền lương của {worker} {place} tăng bình quân {pct}% so với năm trước",
        "Tuy nhiên, mức tăng vẫn chưa theo kịp giá cả sinh hoạt tại các KCN.",
    ),
    (
        "Thưởng Tết 2018: doanh nghiệp nào thưởng cao nhất {place}?",
        "Sở LĐTBXH cho biết mức thưởng bình quân năm nay khoảng 6 triệu đồng/người.",
    ),
    # strikes
    (
        "Hàng trăm công nhân Công ty {company} ngừng việc tập thể",
        "Công nhân yêu cầu doanh nghiệp tăng lương và cải thiện chất lượng bữa ăn ca.",
    ),
    (
        "Giải quyết vụ ngừng việc tập thể tại KCN {kcn}",
        "Sau buổi đối thoại, chủ doanh nghiệp chấp nhận một phần yêu cầu của người lao động, công nhân đi làm trở lại.",
    ),
    ("Đình công tại doanh nghiệp FDI ở {place}: nguyên nhân từ đâu?", None),
    # labour law
    (
        "Sửa đổi Bộ luật Lao động: quy định về thời giờ làm thêm còn nhiều ý kiến",
        "Nhiều doanh nghiệp muốn nâng trần giờ làm thêm, trong khi công đoàn đề nghị giữ nguyên.",
    ),
    (
        "Thương lượng thỏa ước lao động tập thể ngành Dệt May",
        "Thỏa ước lao động tập thể ngành quy định mức lương cao hơn lương tối thiểu vùng và thêm ngày nghỉ.",
    ),
    (
        "Ký kết thỏa ước lao động tập thể tại Công ty {company}",
        "Thỏa ước có nhiều điều khoản có lợi hơn luật cho người lao động như tiền ăn ca, trợ cấp nhà trọ.",
    ),
    (
        "Hỏi đáp pháp luật: Người lao động bị chấm dứt hợp đồng trái luật được bồi thường thế nào?",
        None,
    ),
    (
        "Nghị định mới về xử phạt vi phạm trong lĩnh vực lao động có hiệu lực",
        "Doanh nghiệp không ký hợp đồng lao động với công nhân có thể bị phạt tới 50 triệu đồng.",
    ),
    # occupational safety
    ("Tai nạn lao động tại công trình xây dựng ở {place}, 2 công nhân tử vong", None),
    (
        "Phát động Tháng hành động về an toàn, vệ sinh lao động năm 2018",
        "Chủ đề năm nay là tăng cường kiểm soát các yếu tố có hại tại nơi làm việc.",
    ),
    (
        "Ngộ độc thực phẩm tại bếp ăn tập thể, {n} công nhân nhập viện",
        "Các công nhân Công ty {company} có biểu hiện đau bụng, nôn sau bữa ăn ca.",
    ),
    ("Huấn luyện an toàn lao động cho công nhân ngành xây dựng", None),
    # social insurance
    (
        "Nợ đóng BHXH kéo dài, quyền lợi của người lao động bị ảnh hưởng",
        "Toàn tỉnh {place} có hàng trăm doanh nghiệp nợ BHXH với số tiền {money}.",
    ),
    ("Số người lao động rút BHXH một lần tăng mạnh", None),
    (
        "Khởi kiện doanh nghiệp trốn đóng BHXH cho {n} lao động",
        "LĐLĐ tỉnh {place} đại diện người lao động khởi kiện ra tòa án nhân dân.",
    ),
    ("Lương hưu năm 2018 tính thế nào?", None),
    # union personnel and union work in general
    ("Bổ nhiệm Trưởng Ban Tuyên giáo Tổng LĐLĐ Việt Nam", None),
    (
        "Điều động cán bộ làm Phó Chủ tịch LĐLĐ tỉnh {place}",
        "Ban Thường vụ Tỉnh ủy quyết định điều động đồng chí Trưởng ban Dân vận sang công tác tại LĐLĐ tỉnh.",
    ),
    (
        "Tập huấn nghiệp vụ công tác công đoàn cho cán bộ CĐCS",
        "Lớp tập huấn trang bị kỹ năng thương lượng, đối thoại cho {n} cán bộ công đoàn cơ sở.",
    ),
    (
        "Hội nghị Ban Chấp hành LĐLĐ tỉnh {place} lần thứ 8 (mở rộng)",
        "Hội nghị đánh giá kết quả hoạt động công đoàn năm 2017 và triển khai nhiệm vụ năm 2018.",
    ),
    ("{org} kết nạp mới {n} đoàn viên trong quý III", None),
    ("Phát triển đoàn viên ở doanh nghiệp ngoài nhà nước: vẫn còn khó", None),
    (
        "Kiểm tra tài chính công đoàn năm 2017 tại {place}",
        "Ủy ban Kiểm tra LĐLĐ tỉnh kiểm tra việc thu, chi kinh phí công đoàn và đoàn phí tại {n} CĐCS.",
    ),
    ("Công đoàn tham gia đối thoại định kỳ tại nơi làm việc", None),
    # other organisations' congresses
    (
        "Đại hội Đoàn TNCS Hồ Chí Minh tỉnh {place} lần thứ {roman}, nhiệm kỳ 2017 - 2022",
        "Đại hội bầu Ban Chấp hành Tỉnh đoàn khóa mới gồm 35 đồng chí, đoàn viên thanh niên xung kích tình nguyện.",
    ),
    (
        "Đại hội đại biểu Phụ nữ tỉnh {place} lần thứ {roman}",
        "Đại hội đề ra mục tiêu hỗ trợ phụ nữ khởi nghiệp, xây dựng gia đình hạnh phúc.",
    ),
    ("Đại hội Đảng bộ Công ty {company} nhiệm kỳ 2020 - 2025", None),
    (
        "Đại hội Thể dục thể thao tỉnh {place} lần thứ {roman}",
        "Hơn {n} vận động viên tranh tài ở 20 môn thi đấu tại Đại hội TDTT.",
    ),
    (
        "ĐHĐCĐ thường niên năm 2018 của Công ty cổ phần {company}: chia cổ tức {pct}%",
        "Đại hội đồng cổ đông thông qua kế hoạch kinh doanh và phương án phân phối lợi nhuận.",
    ),
    ("Đại hội Hội Nông dân tỉnh {place} nhiệm kỳ 2018 - 2023", None),
    ("Đại hội Hội Cựu chiến binh huyện {district} lần thứ {roman}", None),
    ("Đại hội cổ đông bất thường của ngân hàng bầu bổ sung thành viên HĐQT", None),
    (
        "Đoàn viên thanh niên {place} ra quân chiến dịch Mùa hè xanh",
        "Hàng nghìn đoàn viên thanh niên tham gia làm đường giao thông nông thôn.",
    ),
    # commercial promotions
    (
        "Siêu thị giảm giá đến {pct}% dịp cuối năm",
        "Nhiều mặt hàng điện máy, gia dụng được các siêu thị giảm sâu để kích cầu mua sắm.",
    ),
    ("Black Friday: hàng điện thoại, điện máy giảm giá mạnh", None),
    ("Khuyến mại mua 1 tặng 1 tại chuỗi cửa hàng tiện lợi", None),
    ("Hãng hàng không tung vé giá rẻ dịp hè, khách hàng săn vé", None),
    (
        "Ngân hàng giảm lãi suất cho vay mua nhà với khách hàng cá nhân",
        "Lãi suất ưu đãi áp dụng trong 12 tháng đầu cho khách hàng vay mua nhà ở.",
    ),
    # state or company housing
    (
        "Dự án nhà ở xã hội tại {place} mở bán cho người thu nhập thấp",
        "Chủ đầu tư là doanh nghiệp bất động sản, giá bán khoảng 12 triệu đồng/m2.",
    ),
    ("Thành phố đầu tư ký túc xá cho sinh viên", None),
    (
        "Doanh nghiệp tự xây khu nhà ở cho công nhân của mình tại KCN {kcn}",
        "Khu nhà ở do doanh nghiệp đầu tư, chỉ dành cho công nhân của công ty.",
    ),
    ("Thị trường nhà trọ công nhân {place}: giá thuê tăng, chất lượng thấp", None),
    # charity by others
    (
        "Doanh nghiệp tặng {n} suất quà Tết cho công nhân nghèo",
        "Hoạt động do ban giám đốc Công ty {company} và nhà tài trợ thực hiện.",
    ),
    ("Hội Chữ thập đỏ trao quà cho người lao động bị ảnh hưởng bởi lũ lụt", None),
    ("Nhà hảo tâm hỗ trợ công nhân bị tai nạn tại {place}", None),
    ("Chùa phát cơm miễn phí cho công nhân nghèo ở KCN {kcn}", None),
    # general news
    ("Giá xăng tăng lần thứ ba liên tiếp", None),
    (
        "Bão số 12 đổ bộ vào các tỉnh Nam Trung Bộ",
        "Nhiều nhà dân bị tốc mái, hàng nghìn hecta lúa bị ngập.",
    ),
    ("Đội tuyển U23 Việt Nam vào chung kết giải châu Á", None),
    ("{place} thu hút {money} vốn FDI trong 9 tháng", None),
    ("Xuất khẩu dệt may năm 2017 đạt kỷ lục", None),
    ("Kinh tế tư nhân đóng góp ngày càng lớn cho tăng trưởng", None),
    (
        "Tuyển dụng {n} lao động cho các doanh nghiệp tại KCN {kcn}",
        "Phiên giao dịch việc làm do Trung tâm dịch vụ việc làm tỉnh {place} tổ chức.",
    ),
    ("Xuất khẩu lao động sang Nhật Bản tăng mạnh", None),
    ("Giáo viên mầm non ngoài công lập: lương thấp, áp lực lớn", None),
    ("Tết Trung thu cho con công nhân do doanh nghiệp tổ chức", None),
    ("Công nhân Công ty {company} bị nợ lương {n} tháng", None),
    ("Lương tối thiểu vùng I năm 2018 là 3.980.000 đồng/tháng", None),
    (
        "Doanh nghiệp ở {place} cắt giảm {n} lao động do thiếu đơn hàng",
        "Nhiều công nhân lớn tuổi mất việc, gặp khó khăn trong tìm việc mới.",
    ),
    ("Tai nạn lao động chết người ở mỏ than {place}", None),
    ("Cháy xưởng may tại KCN {kcn}, {n} công nhân sơ tán an toàn", None),
    ("Thanh tra lao động phát hiện {n} doanh nghiệp vi phạm về giờ làm thêm", None),
    (
        "Hướng dẫn thủ tục hưởng trợ cấp thất nghiệp",
        "Người lao động cần nộp hồ sơ trong 3 tháng kể từ ngày chấm dứt hợp đồng.",
    ),
    ("BHXH tỉnh {place} thanh tra {n} doanh nghiệp nợ đóng bảo hiểm", None),
    ("Hội nghị tổng kết công tác nữ công năm 2017 của {org}", None),
    ("Ban Chấp hành {org} kiện toàn chức danh Phó Chủ tịch", None),
    ("Cán bộ công đoàn không chuyên trách: nhiều áp lực, ít phụ cấp", None),
    (
        "Đại hội Đoàn Thanh niên Công ty {company} nhiệm kỳ 2017 - 2019",
        "Đoàn viên thanh niên bầu Ban Chấp hành Đoàn khóa mới gồm 9 đồng chí.",
    ),
    ("Đại hội đại biểu Hội Khuyến học tỉnh {place} lần thứ {roman}", None),
    ("Đại hội đại biểu Mặt trận Tổ quốc huyện {district} lần thứ {roman}", None),
    ("Đại hội TDTT huyện {district}: hơn {n} vận động viên tranh tài", None),
    ("Đại hội đồng cổ đông Công ty {company} bầu lại Hội đồng quản trị", None),
    ("Chuỗi siêu thị giảm giá {pct}% hàng trăm mặt hàng dịp Tết", None),
    ("Ngân hàng ưu đãi lãi suất cho doanh nghiệp nhỏ và vừa tại {place}", None),
    ("Công ty du lịch giảm giá tour hè cho khách đoàn", None),
    ("Chính quyền {place} khởi công dự án nhà ở xã hội {n} căn hộ", None),
    ("Khu nhà trọ công nhân ở {district} xuống cấp, thiếu an toàn", None),
    ("Trường mầm non tư thục cho con công nhân quá tải tại {place}", None),
    ("Nhà văn hóa thôn được khánh thành tại huyện {district}", None),
    ("Sân vận động tỉnh {place} được nâng cấp đón giải đấu", None),
    ("Câu lạc bộ doanh nhân tặng quà Trung thu cho con em công nhân {place}", None),
    ("Mạnh thường quân hỗ trợ {n} công nhân mất việc tại {place}", None),
    ("Hội nghị xúc tiến đầu tư vào các KCN {place}", None),
    ("Giá vàng hôm nay tăng mạnh", None),
    ("Tỉnh {place} công bố chỉ số năng lực cạnh tranh cấp tỉnh", None),
    ("Học sinh {place} đạt giải cao trong kỳ thi học sinh giỏi quốc gia", None),
    (
        "Hội thi tay nghề giỏi ngành may tại {place}",
        "Hội thi do sở công thương và doanh nghiệp tổ chức, thu hút {n} thí sinh.",
    ),
    ("Phỏng vấn Giám đốc Sở LĐTBXH {place}: thị trường lao động năm 2018", None),
    ("Thông báo tuyển dụng viên chức năm 2018 của Sở Y tế {place}", None),
    ("Ảnh: Công nhân {company} tăng ca những ngày cuối năm", None),
]


# More patterns, in the shapes union sites use for longer reports and features.
LOI_ICH += [
    (
        "Hiệu quả từ chương trình “Phúc lợi cho đoàn viên công đoàn” tại {place}",
        "Sau hai năm triển khai, {org} đã ký kết với {n} đơn vị, doanh nghiệp; hàng nghìn lượt đoàn viên được giảm giá khi {service}.",
    ),
    (
        "Đoàn viên {place}: “Có thẻ công đoàn, đi khám bệnh đỡ tốn hơn”",
        "Chị công nhân Công ty {company} kể, nhờ thỏa thuận giữa công đoàn với {partner}, mỗi lần đưa con đi khám chị được giảm {pct}% chi phí.",
    ),
    (
        "Ký kết thỏa thuận hợp tác chăm lo đời sống đoàn viên, người lao động",
        "Lễ ký kết giữa {org} và {partner} diễn ra sáng nay; theo đó đoàn viên được hưởng giá ưu đãi khi {service}.",
    ),
    ("{org} công bố danh mục sản phẩm, dịch vụ ưu đãi dành cho đoàn viên", None),
    (
        "Nâng cao đời sống vật chất, tinh thần cho đoàn viên: công đoàn đồng hành cùng đối tác",
        "Các ưu đãi tập trung vào những nhu cầu thiết yếu như {service}, giúp {worker} giảm bớt chi tiêu hằng tháng.",
    ),
    ("Hơn {n} đoàn viên nhận hỗ trợ từ chương trình “Mái ấm Công đoàn” năm 2017", None),
    (
        "Đoàn viên khó khăn được vay không lãi từ Quỹ Trợ vốn CNLĐ nghèo của công đoàn",
        "Quỹ do {org} quản lý đã giải ngân {money} cho {n} lượt đoàn viên vay để phát triển kinh tế gia đình.",
    ),
    ("Ưu đãi thiết thực, đoàn viên thêm gắn bó với tổ chức công đoàn", None),
    (
        "Đoàn viên công đoàn được ưu tiên mua hàng bình ổn giá tại các điểm bán đối tác",
        "Theo cam kết với {org}, {partner} dành riêng cho đoàn viên mức giá thấp hơn giá niêm yết.",
    ),
    ("Tuần lễ “Vì lợi ích đoàn viên” tại KCN {kcn}: {n} lượt công nhân tham gia", None),
    (
        "Đoàn viên ngành {sector} hưởng ưu đãi từ thỏa thuận của công đoàn ngành",
        "Công đoàn ngành {sector} đã ký thỏa thuận với {partner} để đoàn viên trong ngành được giảm giá khi {service}.",
    ),
    ("Cách làm hay: CĐCS {company} thương lượng để công nhân được đi xe đưa đón miễn phí", None),
]
THIET_CHE += [
    (
        "Tỉnh {place} trao quyết định giao đất cho Tổng LĐLĐ Việt Nam xây thiết chế công đoàn",
        "Khu đất rộng {n} m2 gần KCN {kcn} sẽ được dùng xây nhà ở cho thuê, nhà trẻ, siêu thị và khu văn hóa, thể thao cho công nhân.",
    ),
    ("Thiết chế công đoàn đầu tiên của {place} chính thức hoạt động", None),
    ("Nhà ở cho công nhân thuê trong thiết chế công đoàn: điều kiện và thủ tục", None),
    (
        "Công nhân KCN {kcn} vui mừng nhận nhà ở công đoàn",
        "Những căn hộ khép kín, có chỗ để xe, sân chơi cho trẻ được bàn giao cho {n} gia đình công nhân.",
    ),
    (
        "Ký kết hợp tác đầu tư thiết chế công đoàn giữa Tổng LĐLĐ Việt Nam và doanh nghiệp",
        "Doanh nghiệp sẽ đầu tư, xây dựng siêu thị và nhà trẻ trong khu thiết chế công đoàn tại {place}.",
    ),
    ("Siêu thị Công đoàn: bình ổn giá ngay cạnh khu nhà trọ công nhân", None),
    (
        "Xây dựng thiết chế công đoàn cần sự vào cuộc của cấp ủy, chính quyền địa phương",
        "Lãnh đạo {org} cho rằng khó khăn lớn nhất hiện nay là quỹ đất và nguồn vốn xây dựng.",
    ),
    (
        "Sân chơi, nhà văn hóa cho công nhân: mảnh ghép còn thiếu ở các KCN",
        "Theo kế hoạch, thiết chế công đoàn tại KCN {kcn} sẽ có nhà văn hóa và sân thể thao phục vụ hàng nghìn công nhân.",
    ),
    ("Thiết chế công đoàn {place}: hoàn thành giai đoạn 1 với {n} căn hộ", None),
    ("Nhà trẻ công đoàn – nơi con công nhân được chăm sóc khi cha mẹ làm ca", None),
]
DAI_HOI += [
    (
        "Đại hội Công đoàn tỉnh {place}: bầu trực tiếp Chủ tịch tại đại hội",
        "Đại hội Công đoàn tỉnh lần thứ {roman} đã bầu Ban Chấp hành gồm 35 ủy viên và thông qua chương trình hành động nhiệm kỳ 2018 - 2023.",
    ),
    ("{n} đại biểu dự Đại hội Công đoàn ngành {sector} nhiệm kỳ 2018 - 2023", None),
    (
        "Những đóng góp tâm huyết vào dự thảo văn kiện trình Đại hội XII Công đoàn Việt Nam",
        "Đoàn viên {place} đề nghị văn kiện nêu rõ giải pháp bảo vệ quyền lợi người lao động ở doanh nghiệp ngoài nhà nước.",
    ),
    ("Đại hội CĐCS nhiệm kỳ 2017 - 2022 ở doanh nghiệp ngoài nhà nước: vẫn còn lúng túng", None),
    (
        "Chuẩn bị nhân sự Ban Chấp hành công đoàn khóa mới: bảo đảm cơ cấu công nhân trực tiếp sản xuất",
        "Hướng dẫn của Tổng Liên đoàn yêu cầu đại hội công đoàn các cấp bảo đảm tỷ lệ ủy viên là công nhân trực tiếp sản xuất.",
    ),
    ("Đại hội Công đoàn các KCN {place}: nghị quyết hướng về quyền lợi công nhân", None),
    (
        "Hội nghị Ban Chấp hành Tổng Liên đoàn cho ý kiến vào dự thảo văn kiện Đại hội XII",
        "Hội nghị thảo luận dự thảo Báo cáo chính trị và Điều lệ Công đoàn Việt Nam (sửa đổi) trình Đại hội XII.",
    ),
    ("Đoàn đại biểu Công đoàn {place} đi dự Đại hội XII Công đoàn Việt Nam gồm {n} đồng chí", None),
    ("Đại hội Công đoàn Việt Nam lần thứ XII: dấu ấn của những đại biểu công nhân", None),
    ("Công đoàn {place} tổ chức hội thảo góp ý dự thảo Điều lệ Công đoàn Việt Nam", None),
]
KHAC += [
    ("Doanh nghiệp nợ lương, công nhân Công ty {company} kéo đến trụ sở LĐLĐ", None),
    (
        "{org} hỗ trợ pháp lý miễn phí cho người lao động bị sa thải",
        "Văn phòng tư vấn pháp luật công đoàn đã tư vấn cho {n} lượt người lao động trong năm.",
    ),
    ("Thương lượng tập thể về tiền lương tại doanh nghiệp FDI: công đoàn còn yếu thế", None),
    ("Người lao động bị trừ lương vì đi vệ sinh quá giờ", None),
    ("Điều kiện làm việc nắng nóng, công nhân ngất xỉu tại xưởng", None),
    ("Quy định mới về nghỉ hưu: tuổi nghỉ hưu tăng dần", None),
    ("Hội nghị tổng kết phong trào thi đua lao động giỏi năm 2017", None),
    ("Tuyên dương {n} công nhân lao động tiêu biểu của {place}", None),
    (
        "Tháng Công nhân năm 2018: nhiều hoạt động hướng về người lao động",
        "Các cấp công đoàn tổ chức đối thoại, thăm hỏi, tặng quà công nhân có hoàn cảnh khó khăn.",
    ),
    ("Công đoàn tổ chức Hội thao công nhân viên chức lao động năm 2018", None),
    ("Hội diễn văn nghệ quần chúng CNVCLĐ {place}", None),
    ("Ra mắt câu lạc bộ nữ công nhân KCN {kcn}", None),
    ("Lễ kỷ niệm 89 năm Ngày thành lập Công đoàn Việt Nam", None),
    ("Bình đẳng giới tại nơi làm việc: nữ công nhân vẫn chịu thiệt", None),
    ("Đại hội Hội Luật gia tỉnh {place} nhiệm kỳ 2018 - 2023", None),
    ("Đại hội Chi bộ Công ty {company} nhiệm kỳ 2018 - 2020", None),
    ("Đại hội Đoàn trường THPT nhiệm kỳ 2017 - 2018", None),
    ("Siêu thị điện máy ưu đãi trả góp 0% cho khách hàng", None),
    ("Vé tàu Tết giảm giá cho hành khách đặt sớm", None),
    ("Phòng khám tư giảm giá khám sức khỏe tổng quát dịp cuối năm", None),
    ("Chung cư giá rẻ cho người thu nhập thấp ở {place} khó bán", None),
    ("Dự án khu đô thị mới tại {place} được phê duyệt", None),
    ("Trường mầm non công lập quá tải tại các khu công nghiệp", None),
    ("Thủ tướng chỉ đạo tháo gỡ khó khăn cho doanh nghiệp", None),
    ("Quốc hội thảo luận dự án Luật Công đoàn sửa đổi", None),
    ("Tập huấn kỹ năng đối thoại, thương lượng cho cán bộ công đoàn cơ sở tại {place}", None),
    ("Kỳ họp HĐND tỉnh {place} bàn về phát triển KCN", None),
    ("Mưa lũ gây thiệt hại nặng cho các tỉnh miền Trung", None),
    ("Bộ LĐTBXH công bố số liệu thất nghiệp quý III", None),
    ("Tổng LĐLĐ Việt Nam làm việc với Bộ LĐTBXH về chính sách tiền lương", None),
]

TOPICS = {
    "loi_ich_doan_vien": LOI_ICH,
    "thiet_che_cong_doan": THIET_CHE,
    "dai_hoi_cong_doan": DAI_HOI,
    "khac": KHAC,
}

# Written out whole, not from patterns: articles that belong to two columns, and more
# near misses. Held out or trained on like any other pattern.
HANDWRITTEN = [
    (
        "Siêu thị công đoàn giảm 10% cho đoàn viên có thẻ",
        "",
        ["loi_ich_doan_vien", "thiet_che_cong_doan"],
    ),
    (
        "Thi đua chào mừng Đại hội XII: hoàn thành khu nhà ở công đoàn trước thời hạn",
        "Công trình thiết chế công đoàn được gắn biển chào mừng Đại hội Công đoàn Việt Nam lần thứ XII.",
        ["thiet_che_cong_doan", "dai_hoi_cong_doan"],
    ),
    (
        "Đại hội CĐCS thông qua nghị quyết mở rộng các thỏa thuận ưu đãi cho đoàn viên",
        "Nghị quyết đại hội đặt mục tiêu ký thêm thỏa thuận giảm giá với các đối tác trong nhiệm kỳ.",
        ["dai_hoi_cong_doan", "loi_ich_doan_vien"],
    ),
    (
        "Công nhân thuê nhà ở thiết chế công đoàn được giảm tiền điện nước theo thỏa thuận",
        "Thỏa thuận giữa công đoàn và công ty điện lực đem lại lợi ích trực tiếp cho đoàn viên.",
        ["thiet_che_cong_doan", "loi_ich_doan_vien"],
    ),
    ("Tỉnh đoàn tổ chức Đại hội Hội Sinh viên", "", ["khac"]),
    ("Hỏi đáp: Doanh nghiệp có bắt buộc đóng kinh phí công đoàn?", "", ["khac"]),
    ("Thỏa ước lao động tập thể: công nhân được thêm 1 ngày nghỉ phép", "", ["khac"]),
    ("Siêu thị điện máy khuyến mãi lớn mừng khai trương", "", ["khac"]),
    ("Nhà ở xã hội: người thu nhập thấp vẫn khó mua", "", ["khac"]),
    ("Đại hội đồng cổ đông Công ty Cao su thông qua kế hoạch lợi nhuận", "", ["khac"]),
    ("Công nhân xếp hàng mua vé tàu Tết tại ga Sài Gòn", "", ["khac"]),
    ("Chủ tịch công đoàn bị doanh nghiệp sa thải trái luật", "", ["khac"]),
    ("Đoàn viên thanh niên hiến máu tình nguyện", "", ["khac"]),
    ("Hội nghị cán bộ, công chức, viên chức năm 2018 của Sở Giáo dục", "", ["khac"]),
    ("Đoàn viên CĐ được giảm giá vé xem phim tại rạp đối tác của LĐLĐ", "", ["loi_ich_doan_vien"]),
    ("Nhà trẻ cho con CN trong khu thiết chế CĐ sắp đi vào hoạt động", "", ["thiet_che_cong_doan"]),
    ("ĐH CĐ tỉnh lần thứ XIV bầu 35 đồng chí vào BCH", "", ["dai_hoi_cong_doan"]),
    ("Góp ý Điều lệ CĐVN: đề nghị bỏ quy định về đoàn phí tối đa", "", ["dai_hoi_cong_doan"]),
]


def fill(pattern: str, rng: random.Random) -> str:
    def one(match: re.Match) -> str:
        value = rng.choice(FILL[match.group(1)])
        return fill(value, rng) if "{" in value else value

    return re.sub(r"\{(\w+)\}", one, pattern)


def compose(rng: random.Random) -> list[dict]:
    items = []
    per_pattern = {"khac": 24}
    for label, patterns in TOPICS.items():
        for index, (title, lead) in enumerate(patterns):
            for _ in range(per_pattern.get(label, 18)):
                t = fill(title, rng)
                summary = fill(lead, rng) if lead and rng.random() < 0.7 else ""
                items.append(
                    {
                        "title": t,
                        "summary": summary,
                        "labels": [label],
                        "source": f"team:pattern:{label}:{index}",
                    }
                )
    for index, (title, summary, labels) in enumerate(HANDWRITTEN):
        items.append(
            {
                "title": title,
                "summary": summary,
                "labels": labels,
                "source": f"team:handwritten:{index}",
            }
        )
    unique = {(i["title"], i["summary"]): i for i in items}
    return list(unique.values())


def split(items: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Held-out: every fifth pattern of each topic, whole, plus a fifth of the handwritten."""
    held = set()
    for label, patterns in TOPICS.items():
        for index in range(len(patterns)):
            if index % 5 == 2:
                held.add(f"team:pattern:{label}:{index}")
    for index in range(len(HANDWRITTEN)):
        if index % 5 == 2:
            held.add(f"team:handwritten:{index}")
    train = [i for i in items if i["source"] not in held]
    test = [i for i in items if i["source"] in held]
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def write(path: Path, items: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    rng = random.Random(SEED)
    train, test = split(compose(rng), rng)
    write(HERE / "train.jsonl", train)
    write(HERE / "heldout.jsonl", test)
    counts = {}
    for item in train:
        for label in item["labels"]:
            counts[label] = counts.get(label, 0) + 1
    print(f"train {len(train)}, held out {len(test)}; per label in train: {counts}")
