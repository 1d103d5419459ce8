# Builds and verifies questions.jsonl (held-out set). Run: python3 build.py
# ruff: noqa: E501, UP031, E402 - a one-off data script: one question per line, as written
import json
import pathlib
import unicodedata

HERE = pathlib.Path(__file__).parent
RES = "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025"
KH = "ke-hoach-xa-thach-kim-ntm-nang-cao-2022-2025"
QD = "quyet-dinh-huyen-can-loc-muc-ho-tro-2023"
HD = "huong-dan-so-nn-ptnt-tieu-chi-moi-truong-2024"
LAWS = {
    "luat-bao-ve-moi-truong": "Luật Bảo vệ môi trường",
    "luat-trong-trot": "Luật Trồng trọt",
    "luat-chan-nuoi": "Luật Chăn nuôi",
    "luat-du-lich": "Luật Du lịch",
    "luat-giao-duc": "Luật Giáo dục",
    "luat-thanh-nien": "Luật Thanh niên",
}
docs = {RES: open(f"/work/shared/corpus-source/{RES}.txt", encoding="utf-8").read()}
for s in (KH, QD, HD):
    docs[s] = open(f"/work/main/eval/library/{s}.txt", encoding="utf-8").read()
articles = {}
for line in open("/work/shared/bench/alqac/corpus.jsonl", encoding="utf-8"):
    d = json.loads(line)
    if d["law_id"] in LAWS.values():
        articles[(d["law_id"], d["article_id"])] = d["text"]

# (doc, tag, question, evidence, fact, article_id-for-laws)
Q = [
    # ---- resolution (20)
    (
        RES,
        "res",
        "tỉnh mình phấn đấu tới 2025 bao nhiêu % hộ dân dùng nước sạch đạt quy chuẩn vậy?",
        "55% hộ dân sử dụng nước sạch đạt quy chuẩn",
        "55%",
    ),
    (
        RES,
        "res",
        "thu nhap binh quan o nong thon ha tinh muc tieu 2025 la bao nhieu trieu 1 nguoi 1 nam?",
        "Thu nhập bình quân đầu người khu vực nông thôn đạt tối thiểu 60 triệu",
        "60 triệu",
    ),
    (
        RES,
        "res",
        "bhyt toàn tỉnh phải lên tới bao nhiêu % mới đạt chỉ tiêu ntm?",
        "Tỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95%",
        "95%",
    ),
    (
        RES,
        "res",
        "hộ nghèo đa chiều mỗi năm phải giảm bao nhiêu phần trăm theo chỉ tiêu của tỉnh?",
        "chiều giảm bình quân mỗi năm trên 1,5%",
        "1,5%",
    ),
    (
        RES,
        "res",
        "toàn tỉnh cần có ít nhất bao nhiêu sp ocop cấp tỉnh đến năm 2025?",
        "có ít nhất trên 200 sản phẩm, dịch vụ đạt chuẩn OCOP cấp tỉnh",
        "200",
    ),
    (
        RES,
        "res",
        "đến 2025 tối thiểu mấy phần trăm số xã phải lên ntm nâng cao ạ?",
        "100% số xã đạt chuẩn nông thôn mới, ít nhất 50% số xã đạt chuẩn nông",
        "50%",
    ),
    (
        RES,
        "res",
        "xa ntm kieu mau thi tinh dat chi tieu bao nhieu phan tram so xa?",
        "có trên 10% số xã đạt chuẩn nông thôn mới kiểu mẫu",
        "10%",
    ),
    (
        RES,
        "res",
        "huyện nào được giao phấn đấu thành huyện ntm kiểu mẫu gắn với du lịch văn hóa?",
        "huyện đạt chuẩn nông thôn mới nâng cao; huyện Nghi Xuân đạt chuẩn nông",
        "Nghi Xuân",
    ),
    (
        RES,
        "res",
        "trong 13 huyện thị thì ít nhất mấy huyện phải đạt ntm nâng cao?",
        "13/13 đơn vị cấp huyện đạt chuẩn nông thôn mới, trong đó ít nhất 03",
        "03",
    ),
    (
        RES,
        "res",
        "chỉ tiêu của tỉnh: rác thải rắn phát sinh thì phải phân loại, thu gom xử lý đúng quy định tối thiểu bao nhiêu %?",
        "Tối thiểu 95% lượng chất thải rắn phát sinh trên địa bàn được phân loại",
        "95%",
    ),
    (
        RES,
        "res",
        "nước thải sinh hoạt của hộ dân toàn tỉnh, phần xử lý theo mô hình khoa học công nghệ là bao nhiêu %?",
        "được xử lý bằng các biện pháp phù hợp, trong đó có 35% xử lý theo mô hình",
        "35%",
    ),
    (
        RES,
        "res",
        "chỉ tiêu nhà vệ sinh tự hoại cho hộ nông thôn toàn tỉnh là bao nhiêu?",
        "tối thiểu 80% hộ gia đình ở nông thôn",
        "80%",
    ),
    (
        RES,
        "res",
        "What share of administrative procedures must be offered as level 3-4 online public services under the NQ?",
        "Tối thiểu 80% thủ tục hành chính có phát sinh hồ sơ được triển khai",
        "80%",
    ),
    (
        RES,
        "res",
        "chỉ số PCI của tỉnh đặt mục tiêu đạt loại gì?",
        "chỉ số năng lực cạnh tranh cấp tỉnh (PCI) đạt loại khá",
        "khá",
    ),
    (
        RES,
        "res",
        "theo nghị quyết thì đơn vị nào chủ trì mở lớp tập huấn kiến thức ntm cho cán bộ các cấp?",
        "Trường Chính trị Trần Phú chủ trì, phối hợp với Văn phòng Điều phối",
        "Trường Chính trị Trần Phú",
    ),
    (
        RES,
        "res",
        "ai chủ trì làm kế hoạch học tập, quán triệt NQ tới cán bộ đảng viên?",
        "Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các ban, sở, ngành, địa",
        "Ban Tuyên giáo Tỉnh ủy",
    ),
    (
        RES,
        "res",
        "Who is responsible for monitoring and urging implementation of the provincial resolution and reporting to the Standing Committee?",
        "Văn phòng Tỉnh ủy phối hợp với các ban Đảng, Ủy ban Kiểm tra Tỉnh ủy",
        "Văn phòng Tỉnh ủy",
    ),
    (
        RES,
        "res",
        "de an thi diem tinh ntm ha tinh duoc TTg phe duyet o qd so may?",
        "Quyết định số 2114/QĐ-TTg, ngày 16/12/2020 của Thủ tướng Chính phủ",
        "2114/QĐ-TTg",
    ),
    (
        RES,
        "res",
        "lúc ban hành nq tỉnh ủy thì hà tĩnh đã có bao nhiêu xã đạt chuẩn ntm rồi?",
        "toàn tỉnh đã có 171/182 xã (tỷ lệ 94%) đạt chuẩn nông thôn mới",
        "171/182",
    ),
    (
        RES,
        "res",
        "xã đạt ntm rồi mà tiêu chí không giữ được thì có bị rút lại công nhận không?",
        "rà soát, củng cố các tiêu chí đã đạt chuẩn; thu hồi bằng công nhận xã đạt chuẩn",
        "thu hồi bằng công nhận",
    ),
    # ---- Thạch Kim plan (6)
    (
        KH,
        "kh",
        "ở Thạch Kim đặt mục tiêu thu nhập bình quân năm 2025 bao nhiêu?",
        "Thu nhập bình quân đầu người đạt 68 triệu đồng/người/năm vào năm 2025",
        "68 triệu",
    ),
    (
        KH,
        "kh",
        "kế hoạch ntm nâng cao của xã Thạch Kim dự trù tổng kinh phí bao nhiêu tỷ?",
        "Tổng nhu cầu kinh phí giai đoạn 2022 - 2025 dự kiến 58,4 tỷ đồng",
        "58,4 tỷ",
    ),
    (
        KH,
        "kh",
        "rác ở các thôn được thu gom mấy lần một tuần theo kế hoạch của xã?",
        "Duy trì thu gom rác 03 lần/tuần tại tất cả các thôn",
        "03 lần/tuần",
    ),
    (
        KH,
        "kh",
        "ai chịu trách nhiệm tổ chức dọn vệ sinh bãi biển hàng tháng?",
        "Đoàn Thanh niên xã: chủ trì tổ chức tổng vệ sinh bãi biển hằng tháng",
        "Đoàn Thanh niên xã",
    ),
    (
        KH,
        "kh",
        "o thach kim thon nao duoc be tong hoa duong truoc tien?",
        "thôn Bắc Kinh trước, sau đó đến thôn Nam Sơn, thôn Kim Tân",
        "thôn Bắc Kinh",
    ),
    (
        KH,
        "kh",
        "xã Thạch Kim phấn đấu tỷ lệ bhyt bao nhiêu % đến 2025?",
        "Tỷ lệ người dân tham gia bảo hiểm y tế đạt 97% trở lên",
        "97%",
    ),
    # ---- Can Lộc decision (6)
    (
        QD,
        "qd",
        "huyện Can Lộc hỗ trợ làm đường trục thôn bao nhiêu tiền 1 km?",
        "dày tối thiểu 18 cm: hỗ trợ 300 triệu đồng/km",
        "300 triệu đồng/km",
    ),
    (
        QD,
        "qd",
        "sp ocop đạt 4 sao thì được huyện hỗ trợ bao nhiêu?",
        "Sản phẩm đạt 4 sao: hỗ trợ 60 triệu đồng/sản phẩm",
        "60 triệu",
    ),
    (
        QD,
        "qd",
        "vuon mau duoc huyen cong nhan thi ho tro bao nhieu tien 1 vuon?",
        "công nhận đạt chuẩn: hỗ trợ 20 triệu đồng/vườn",
        "20 triệu",
    ),
    (
        QD,
        "qd",
        "làm đường bê tông thì dân phải góp ít nhất bao nhiêu % theo qđ hỗ trợ của huyện?",
        "Nhân dân đóng góp tối thiểu 20% giá trị xây lắp",
        "20%",
    ),
    (
        QD,
        "qd",
        "How much support does the district give a household that sorts waste and composts organic waste at home?",
        "hỗ trợ 500.000 đồng/hộ để mua thùng ủ và chế phẩm sinh học",
        "500.000 đồng",
    ),
    (
        QD,
        "qd",
        "hạn chót nộp hồ sơ đề nghị hỗ trợ năm 2023 ở Can Lộc là ngày nào?",
        "gửi về Văn phòng Điều phối nông thôn mới huyện trước ngày 10/12/2023",
        "10/12/2023",
    ),
    # ---- criterion 17 guidance (6)
    (
        HD,
        "hd",
        "tiêu chí 17.1 thì xã ntm thường phải có tối thiểu bao nhiêu % hộ dùng nước sạch?",
        "tối thiểu 60% số hộ sử dụng nước sạch đạt quy chuẩn; xã nông thôn mới nâng cao tối thiểu 70%",
        "60%",
    ),
    (
        HD,
        "hd",
        "khi tính tỷ lệ thu gom rác thì lượng rác phát sinh ước bao nhiêu kg mỗi người mỗi ngày?",
        "khối lượng phát sinh ước tính 0,4 kg/người/ngày",
        "0,4 kg/người/ngày",
    ),
    (
        HD,
        "hd",
        "What is the minimum public green space per person required under criterion 17.8?",
        "diện tích đất cây xanh sử dụng công cộng tại điểm dân cư nông thôn đạt tối thiểu 2 m2/người",
        "2 m2/người",
    ),
    (
        HD,
        "hd",
        "đồng ruộng bao nhiêu ha thì phải đặt 1 bể chứa vỏ bao thuốc sâu?",
        "tối thiểu 01 bể chứa bao gói thuốc bảo vệ thực vật trên 05 ha canh tác",
        "05 ha",
    ),
    (
        HD,
        "hd",
        "an toan thuc pham: vu ngo doc tu bao nhieu nguoi tro len thi xa bi truot chi tieu?",
        "không xảy ra vụ ngộ độc thực phẩm từ 30 người mắc trở lên",
        "30 người",
    ),
    (
        HD,
        "hd",
        "theo hướng dẫn của Sở NN&PTNT thì xã gửi báo cáo tự đánh giá tiêu chí 17 lên huyện trước ngày nào?",
        "(qua Văn phòng Điều phối nông thôn mới huyện) trước ngày 15/8/2024",
        "15/8/2024",
    ),
    # ---- laws (14)
    (
        "luat-chan-nuoi",
        "law",
        "nhà em nuôi heo ngay trong xóm, khu dân cư thì luật có cấm ko?",
        "Chăn nuôi trong khu vực không được phép chăn nuôi của thành phố, thị xã, thị trấn, khu dân cư",
        "khu dân cư",
        "12",
    ),
    (
        "luat-chan-nuoi",
        "law",
        "nhà nuôi vài con lợn thì chuồng có được làm sát chỗ ở không?",
        "Chuồng nuôi phải tách biệt với nơi ở của người",
        "tách biệt",
        "56",
    ),
    (
        "luat-chan-nuoi",
        "law",
        "nuoi cho meo thi chu nuoi co bat buoc tiem phong dai khong?",
        "Thực hiện tiêm phòng bệnh dại cho chó, mèo theo quy định của pháp luật về thú y",
        "tiêm phòng bệnh dại",
        "66",
    ),
    (
        "luat-bao-ve-moi-truong",
        "law",
        "luật có bắt hộ gia đình phải phân loại rác tại nguồn không?",
        "Giảm thiểu, phân loại chất thải rắn sinh hoạt tại nguồn, thu gom và chuyển rác thải sinh hoạt",
        "phân loại chất thải rắn sinh hoạt tại nguồn",
        "60",
    ),
    (
        "luat-bao-ve-moi-truong",
        "law",
        "ở quê thì đồ ăn thừa, rác thực phẩm nhà mình luật khuyến khích xử lý sao?",
        "Khuyến khích tận dụng tối đa chất thải thực phẩm để làm phân bón hữu cơ, làm thức ăn chăn nuôi",
        "phân bón hữu cơ",
        "75",
    ),
    (
        "luat-bao-ve-moi-truong",
        "law",
        "thả trâu bò đi lung tung làm bẩn đường làng thì luật môi trường nói sao?",
        "không chăn, thả động vật nuôi gây mất vệ sinh nơi công cộng",
        "không chăn, thả động vật nuôi",
        "58",
    ),
    (
        "luat-trong-trot",
        "law",
        "rơm rạ sau thu hoạch thì luật quy định xử lý thế nào?",
        "Phụ phẩm cây trồng phải được thu gom, xử lý, sử dụng phù hợp, không gây ô nhiễm môi trường",
        "thu gom, xử lý, sử dụng phù hợp",
        "76",
    ),
    (
        "luat-trong-trot",
        "law",
        "chuyển ruộng lúa sang trồng màu thì có điều kiện gì, có phải giữ được khả năng trồng lại lúa ko?",
        "Không làm mất đi điều kiện cần thiết để trồng lúa trở lại",
        "trồng lúa trở lại",
        "56",
    ),
    (
        "luat-du-lich",
        "law",
        "dân làm homestay du lịch cộng đồng có được nhà nước ưu đãi gì không?",
        "được ưu đãi, khuyến khích cung cấp dịch vụ lưu trú, ăn uống",
        "ưu đãi, khuyến khích",
        "19",
    ),
    (
        "luat-du-lich",
        "law",
        "muốn làm hướng dẫn viên du lịch nội địa thì cần bằng cấp gì?",
        "Tốt nghiệp trung cấp trở lên chuyên ngành hướng dẫn du lịch",
        "trung cấp",
        "59",
    ),
    (
        "luat-giao-duc",
        "law",
        "tre may tuoi thi vao lop 1?",
        "Tuổi của học sinh vào học lớp một là 06 tuổi",
        "06 tuổi",
        "28",
    ),
    (
        "luat-giao-duc",
        "law",
        "ngày nhà giáo vn là ngày nào theo luật?",
        "Ngày 20 tháng 11 hằng năm là ngày Nhà giáo Việt Nam",
        "20 tháng 11",
        "75",
    ),
    (
        "luat-thanh-nien",
        "law",
        "bao nhiêu tuổi thì được tính là thanh niên?",
        "Thanh niên là công dân Việt Nam từ đủ 16 tuổi đến 30 tuổi",
        "16 tuổi đến 30 tuổi",
        "1",
    ),
    (
        "luat-thanh-nien",
        "law",
        "tháng thanh niên là tháng mấy hàng năm?",
        "Tháng 3 hằng năm là Tháng Thanh niên",
        "Tháng 3",
        "9",
    ),
]
U = [
    "Nghệ An đặt mục tiêu bao nhiêu % xã đạt ntm nâng cao đến năm 2025?",
    "giai đoạn 2026-2030 hà tĩnh phấn đấu thu nhập bình quân nông thôn bao nhiêu?",
    "huyện Can Lộc hỗ trợ bao nhiêu tiền mỗi km kè chắn sóng?",
    "nuôi heo trong khu dân cư thì bị phạt bao nhiêu tiền?",
    "muc ho tro lam duong ngo xom nam 2024 o Can Loc la bao nhieu?",
    "xả rác ra bãi biển bị phạt hành chính mấy triệu?",
    "xã Thạch Bằng đặt chỉ tiêu thu nhập bình quân năm 2025 là bao nhiêu?",
    "hộ nghèo ở huyện Hương Sơn xây nhà tiêu tự hoại được hỗ trợ mấy triệu?",
]
out, ids, errs = [], set(), []


def nfc(s):
    return unicodedata.normalize("NFC", s)


n = 0
for row in Q:
    n += 1
    doc, tag, q, ev, fact = row[:5]
    if tag == "law":
        text = articles[(LAWS[doc], row[5])]
        where = f"{LAWS[doc]}, Điều {row[5]}"
    else:
        text = docs[doc]
        where = doc
    if ev not in text:
        errs.append(f"evidence not in {where}: {ev!r}")
    if fact not in ev:
        errs.append(f"fact not in evidence: {fact!r}")
    if not 30 <= len(ev) <= 150:
        errs.append("evidence length %d: %r" % (len(ev), ev))
    out.append(
        {
            "id": "lh-%02d" % n,
            "doc": doc,
            "question": nfc(q),
            "answerable": True,
            "evidence": [nfc(ev)],
            "answer_facts": [[nfc(fact)]],
            "tags": ["library-heldout", tag],
        }
    )
for q in U:
    n += 1
    out.append(
        {
            "id": "lh-%02d" % n,
            "doc": None,
            "question": nfc(q),
            "answerable": False,
            "evidence": [],
            "answer_facts": [],
            "tags": ["library-heldout", "unanswerable"],
        }
    )
for o in out:
    assert o["id"] not in ids
    ids.add(o["id"])
    for s in [o["question"]] + o["evidence"]:
        assert unicodedata.is_normalized("NFC", s)
if errs:
    print("\n".join(errs))
    raise SystemExit(1)
with open(HERE / "questions.jsonl", "w", encoding="utf-8") as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
from collections import Counter

print(len(out), Counter(o["tags"][1] for o in out), Counter(o["doc"] for o in out if o["tags"][1] == "law"))
