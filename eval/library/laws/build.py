# ruff: noqa
"""Build and verify questions.jsonl for the six-law design set.

Each row: (doc slug, article_id, question, evidence, answer facts).
The script checks every evidence string against the article text in the
corpus, every first answer fact against its evidence, id uniqueness and NFC.
"""

import json
import sys
import unicodedata
from pathlib import Path

CORPUS = Path("/work/shared/bench/alqac/corpus.jsonl")
OUT = Path(__file__).with_name("questions.jsonl")

LAWS = {
    "luat-bao-ve-moi-truong": "Luật Bảo vệ môi trường",
    "luat-trong-trot": "Luật Trồng trọt",
    "luat-chan-nuoi": "Luật Chăn nuôi",
    "luat-du-lich": "Luật Du lịch",
    "luat-giao-duc": "Luật Giáo dục",
    "luat-thanh-nien": "Luật Thanh niên",
}

ROWS = [
    # --- Luật Chăn nuôi ---
    (
        "luat-chan-nuoi",
        "12",
        "nuôi heo trong khu dân cư thị trấn có bị cấm không",
        "Chăn nuôi trong khu vực không được phép chăn nuôi của thành phố, thị xã, thị trấn, khu dân cư",
        [["khu vực không được phép chăn nuôi"]],
    ),
    (
        "luat-chan-nuoi",
        "12",
        "luật chăn nuôi có cấm trộn kháng sinh vô cám cho heo mau lớn không",
        "Sử dụng kháng sinh trong thức ăn chăn nuôi nhằm mục đích kích thích sinh trưởng.",
        [["kích thích sinh trưởng"]],
    ),
    (
        "luat-chan-nuoi",
        "53",
        "1 don vi vat nuoi la bao nhieu kg",
        "Mỗi đơn vị vật nuôi tương đương với 500 kg khối lượng vật nuôi sống.",
        [["500 kg"]],
    ),
    (
        "luat-chan-nuoi",
        "54",
        "nhà tôi nuôi gà vịt thì phải khai báo với ai",
        "Tổ chức, cá nhân chăn nuôi phải kê khai hoạt động chăn nuôi với Ủy ban nhân dân cấp xã.",
        [["Ủy ban nhân dân cấp xã"]],
    ),
    (
        "luat-chan-nuoi",
        "56",
        "nuôi heo sau nhà thì chuồng phải làm sao, để sát chỗ ở được không",
        "Chuồng nuôi phải tách biệt với nơi ở của người;",
        [["tách biệt với nơi ở của người"]],
    ),
    (
        "luat-chan-nuoi",
        "66",
        "nuôi chó mèo ở nhà bắt buộc phải tiêm phòng bệnh gì",
        "Thực hiện tiêm phòng bệnh dại cho chó, mèo theo quy định của pháp luật về thú y;",
        [["bệnh dại"]],
    ),
    (
        "luat-chan-nuoi",
        "66",
        "cho nha hang xom can nguoi thi chu cho phai lam gi",
        "Trường hợp chó, mèo tấn công, gây thiệt hại thì phải bồi thường thiệt hại theo quy định của pháp luật.",
        [["bồi thường thiệt hại"]],
    ),
    (
        "luat-chan-nuoi",
        "82",
        "When did the Livestock Law take effect?",
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2020.",
        [["01 tháng 01 năm 2020"]],
    ),
    # --- Luật Giáo dục ---
    (
        "luat-giao-duc",
        "28",
        "con tôi mấy tuổi thì vào lớp 1",
        "Tuổi của học sinh vào học lớp một là 06 tuổi và được tính theo năm",
        [["06 tuổi"]],
    ),
    (
        "luat-giao-duc",
        "28",
        "cap 2 hoc may nam vay",
        "Giáo dục trung học cơ sở được thực hiện trong 04 năm học, từ lớp sáu đến hết lớp chín.",
        [["04 năm học"]],
    ),
    (
        "luat-giao-duc",
        "26",
        "nhà trẻ nhận bé từ mấy tháng tuổi",
        "Nhà trẻ, nhóm trẻ độc lập nhận trẻ em từ 03 tháng tuổi đến 03 tuổi;",
        [["03 tháng tuổi"]],
    ),
    (
        "luat-giao-duc",
        "14",
        "học cấp mấy là bắt buộc phải học",
        "Giáo dục tiểu học là giáo dục bắt buộc.",
        [["Giáo dục tiểu học"]],
    ),
    (
        "luat-giao-duc",
        "75",
        "ngày nhà giáo VN là ngày nào",
        "Ngày 20 tháng 11 hằng năm là ngày Nhà giáo Việt Nam.",
        [["20 tháng 11"]],
    ),
    (
        "luat-giao-duc",
        "99",
        "học sinh tiểu học trường công có phải đóng học phí không",
        "Học sinh tiểu học trong cơ sở giáo dục công lập không phải đóng học phí",
        [["không phải đóng học phí"]],
    ),
    (
        "luat-giao-duc",
        "72",
        "theo luật giáo dục cô giáo mầm non phải có bằng gì",
        "Có bằng tốt nghiệp cao đẳng sư phạm trở lên đối với giáo viên mầm non;",
        [["cao đẳng sư phạm"]],
    ),
    (
        "luat-giao-duc",
        "11",
        "What language must be used in schools in Vietnam?",
        "Tiếng Việt là ngôn ngữ chính thức dùng trong cơ sở giáo dục.",
        [["Tiếng Việt"]],
    ),
    # --- Luật Thanh niên ---
    (
        "luat-thanh-nien",
        "1",
        "bao nhiêu tuổi thì được tính là thanh niên",
        "Thanh niên là công dân Việt Nam từ đủ 16 tuổi đến 30 tuổi.",
        [["từ đủ 16 tuổi đến 30 tuổi"]],
    ),
    ("luat-thanh-nien", "9", "thang thanh nien la thang may", "Tháng 3 hằng năm là Tháng Thanh niên.", [["Tháng 3"]]),
    (
        "luat-thanh-nien",
        "9",
        "ai đứng ra tổ chức các hoạt động tháng thanh niên",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh chủ trì, phối hợp với cơ quan, tổ chức, cá nhân có liên quan tổ chức hoạt động Tháng Thanh niên.",
        [["Đoàn Thanh niên Cộng sản Hồ Chí Minh"]],
    ),
    (
        "luat-thanh-nien",
        "10",
        "chủ tịch UBND xã có phải đối thoại với thanh niên không, bao lâu 1 lần",
        "đối thoại với thanh niên ít nhất mỗi năm một lần",
        [["ít nhất mỗi năm một lần"]],
    ),
    (
        "luat-thanh-nien",
        "10",
        "doi thoai xong bao nhieu ngay thi phai cong khai ket luan",
        "Trong thời hạn 10 ngày kể từ ngày đối thoại, nội dung kết luận đối thoại phải được công khai",
        [["10 ngày"]],
    ),
    (
        "luat-thanh-nien",
        "23",
        "luật thanh niên nói thanh niên tình nguyện là ai",
        "Thanh niên tình nguyện là thanh niên tự nguyện tham gia hoạt động vì lợi ích của cộng đồng, xã hội",
        [["tự nguyện tham gia hoạt động vì lợi ích của cộng đồng, xã hội"]],
    ),
    (
        "luat-thanh-nien",
        "22",
        "thanh niên xung phong làm xong nhiệm vụ có được hưởng chế độ gì không",
        "Thanh niên xung phong được hưởng chế độ, chính sách trong và sau khi hoàn thành nhiệm vụ.",
        [["trong và sau khi hoàn thành nhiệm vụ"]],
    ),
    (
        "luat-thanh-nien",
        "41",
        "When does the current Youth Law come into force?",
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021.",
        [["01 tháng 01 năm 2021"]],
    ),
    # --- Luật Du lịch ---
    (
        "luat-du-lich",
        "11",
        "khách du lịch có quyền gì khi bị thiệt hại",
        "Được bồi thường thiệt hại theo quy định của pháp luật.",
        [["Được bồi thường thiệt hại"]],
    ),
    (
        "luat-du-lich",
        "11",
        "đi tour mà bị công ty lừa thì khách có được khiếu nại, kiện không",
        "Khiếu nại, tố cáo, khởi kiện hành vi vi phạm pháp luật về du lịch.",
        [["Khiếu nại, tố cáo, khởi kiện"]],
    ),
    (
        "luat-du-lich",
        "12",
        "khach du lich phai lam gi khi lam hu do cua khu du lich",
        "Bồi thường thiệt hại theo quy định của pháp luật về dân sự.",
        [["Bồi thường thiệt hại"]],
    ),
    (
        "luat-du-lich",
        "10",
        "Việt kiều về quê chơi thì tính là khách du lịch loại nào",
        "Khách du lịch quốc tế đến Việt Nam là người nước ngoài, người Việt Nam định cư ở nước ngoài vào Việt Nam du lịch.",
        [["Khách du lịch quốc tế đến Việt Nam"]],
    ),
    (
        "luat-du-lich",
        "48",
        "nhà tôi có phòng cho khách du lịch thuê thì có được tính là cơ sở lưu trú không",
        "Nhà ở có phòng cho khách du lịch thuê.",
        [["Nhà ở có phòng cho khách du lịch thuê"]],
    ),
    (
        "luat-du-lich",
        "58",
        "the HDV du lich noi dia co thoi han bao lau",
        "Thẻ hướng dẫn viên du lịch quốc tế và thẻ hướng dẫn viên du lịch nội địa có thời hạn 05 năm.",
        [["05 năm"]],
    ),
    (
        "luat-du-lich",
        "59",
        "muốn làm hướng dẫn viên du lịch quốc tế thì phải tốt nghiệp trình độ gì",
        "Tốt nghiệp cao đẳng trở lên chuyên ngành hướng dẫn du lịch",
        [["cao đẳng trở lên"]],
    ),
    (
        "luat-du-lich",
        "31",
        "mở cty du lịch lữ hành nội địa thì phải ký quỹ ở đâu",
        "Ký quỹ kinh doanh dịch vụ lữ hành nội địa tại ngân hàng;",
        [["tại ngân hàng"]],
    ),
    # --- Luật Trồng trọt ---
    (
        "luat-trong-trot",
        "42",
        "mở tiệm bán phân bón thì cần giấy gì",
        "Tổ chức, cá nhân buôn bán phân bón phải có Giấy chứng nhận đủ điều kiện buôn bán phân bón",
        [["Giấy chứng nhận đủ điều kiện buôn bán phân bón"]],
    ),
    (
        "luat-trong-trot",
        "42",
        "phân bón nhà tự sản xuất ra đem bán có cần giấy chứng nhận buôn bán không",
        "trường hợp buôn bán phân bón do mình sản xuất thì không phải có Giấy chứng nhận đủ điều kiện buôn bán phân bón",
        [["không phải có Giấy chứng nhận"]],
    ),
    (
        "luat-trong-trot",
        "9",
        "luat trong trot co cam ban giong cay khong ro nguon goc khong",
        "Sản xuất, buôn bán, nhập khẩu giống cây trồng, phân bón, vật tư nông nghiệp khác và sản phẩm cây trồng giả, hết hạn sử dụng, không rõ nguồn gốc.",
        [["không rõ nguồn gốc"]],
    ),
    (
        "luat-trong-trot",
        "56",
        "chuyển ruộng lúa sang trồng cây khác thì phải đảm bảo điều gì",
        "Không làm mất đi điều kiện cần thiết để trồng lúa trở lại.",
        [["trồng lúa trở lại"]],
    ),
    (
        "luat-trong-trot",
        "57",
        "lớp đất mặt ruộng lúa nước có được đào bán để san lấp không",
        "Tầng đất mặt của đất chuyên trồng lúa nước chỉ được sử dụng vào mục đích nông nghiệp",
        [["mục đích nông nghiệp"]],
    ),
    (
        "luat-trong-trot",
        "72",
        "thấy ruộng bị ô nhiễm bất thường thì báo cho ai",
        "kịp thời thông báo cho Ủy ban nhân dân cấp xã khi phát hiện dấu hiệu bất thường về ô nhiễm môi trường",
        [["Ủy ban nhân dân cấp xã"]],
    ),
    (
        "luat-trong-trot",
        "76",
        "rơm rạ sau thu hoạch xử lý sao cho đúng luật",
        "Phụ phẩm cây trồng phải được thu gom, xử lý, sử dụng phù hợp, không gây ô nhiễm môi trường",
        [["thu gom, xử lý, sử dụng phù hợp"]],
    ),
    (
        "luat-trong-trot",
        "84",
        "When did the Crop Production Law take effect?",
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2020.",
        [["01 tháng 01 năm 2020"]],
    ),
    # --- Luật Bảo vệ môi trường ---
    (
        "luat-bao-ve-moi-truong",
        "58",
        "thả bò đi lung tung ngoài đường làng, chỗ công cộng có được không",
        "không chăn, thả động vật nuôi gây mất vệ sinh nơi công cộng",
        [["không chăn, thả động vật nuôi"]],
    ),
    (
        "luat-bao-ve-moi-truong",
        "75",
        "ở quê thì đồ ăn thừa nên xử lý thế nào",
        "Khuyến khích tận dụng tối đa chất thải thực phẩm để làm phân bón hữu cơ, làm thức ăn chăn nuôi;",
        [["làm phân bón hữu cơ, làm thức ăn chăn nuôi"]],
    ),
    (
        "luat-bao-ve-moi-truong",
        "79",
        "rac tai che da phan loai rieng co phai tra tien thu gom khong",
        "đã được phân loại riêng thì không phải chi trả giá dịch vụ thu gom, vận chuyển và xử lý",
        [["không phải chi trả"]],
    ),
    (
        "luat-bao-ve-moi-truong",
        "79",
        "nhà không phân loại rác thì bị tính tiền rác thế nào",
        "thì phải chi trả giá dịch vụ thu gom, vận chuyển và xử lý như đối với chất thải rắn sinh hoạt khác",
        [["như đối với chất thải rắn sinh hoạt khác"]],
    ),
    (
        "luat-bao-ve-moi-truong",
        "60",
        "chuồng heo quy mô hộ gia đình phải đảm bảo gì về môi trường",
        "Chuồng trại chăn nuôi quy mô hộ gia đình phải bảo đảm vệ sinh, không gây ô nhiễm tiếng ồn, phát tán mùi khó chịu",
        [["không gây ô nhiễm tiếng ồn, phát tán mùi khó chịu"]],
    ),
    (
        "luat-bao-ve-moi-truong",
        "6",
        "luật bvmt có cấm nhập rác thải từ nước ngoài về không",
        "Nhập khẩu, tạm nhập, tái xuất, quá cảnh chất thải từ nước ngoài dưới mọi hình thức.",
        [["dưới mọi hình thức"]],
    ),
    (
        "luat-bao-ve-moi-truong",
        "63",
        "nhà nước khuyến khích chôn cất người mất thế nào",
        "Nhà nước khuyến khích việc hỏa táng, mai táng hợp vệ sinh, trong khu nghĩa trang theo quy hoạch",
        [["hỏa táng"]],
    ),
    (
        "luat-bao-ve-moi-truong",
        "170",
        "When did the 2020 Environmental Protection Law take effect?",
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2022",
        [["01 tháng 01 năm 2022"]],
    ),
]


def nfc(s):
    return unicodedata.normalize("NFC", s)


def main():
    texts = {}
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        texts[(d["law_id"], str(d["article_id"]))] = nfc(d["text"])

    errors = []
    out = []
    seen = set()
    per_doc = {}
    for i, (doc, art, q, ev, facts) in enumerate(ROWS, 1):
        qid = f"law-{i:02d}"
        if qid in seen:
            errors.append(f"{qid}: duplicate id")
        seen.add(qid)
        law = LAWS[doc]
        text = texts.get((law, art))
        if text is None:
            errors.append(f"{qid}: no article {law} {art}")
            continue
        for s in [q, ev] + [f for grp in facts for f in grp]:
            if s != nfc(s):
                errors.append(f"{qid}: not NFC: {s!r}")
        if ev not in text:
            errors.append(f"{qid}: evidence not in article: {ev!r}")
        if not 30 <= len(ev) <= 150:
            errors.append(f"{qid}: evidence length {len(ev)}")
        for grp in facts:
            if grp[0] not in ev:
                errors.append(f"{qid}: fact {grp[0]!r} not in evidence")
        per_doc[doc] = per_doc.get(doc, 0) + 1
        out.append(
            {
                "id": qid,
                "doc": doc,
                "article": art,
                "question": q,
                "answerable": True,
                "evidence": [ev],
                "answer_facts": facts,
                "tags": ["law-design", doc],
            }
        )

    if errors:
        print("\n".join(errors))
        sys.exit(1)
    with OUT.open("w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} questions to {OUT.name}")
    for doc, n in sorted(per_doc.items()):
        arts = sorted({r["article"] for r in out if r["doc"] == doc}, key=int)
        print(f"  {doc}: {n} questions, articles {', '.join(arts)}")


if __name__ == "__main__":
    main()
