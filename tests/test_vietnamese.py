from assistant.vietnamese import accented_tokens, canonical_syllable, fold, folded_tokens, has_diacritics, nfc


def test_fold_strips_marks_and_d():
    assert fold("Đường giao thông NÔNG THÔN") == "duong giao thong nong thon"


def test_tone_placement_styles_match():
    assert canonical_syllable("hoà") == canonical_syllable("hòa")
    assert canonical_syllable("thuý") == canonical_syllable("thúy")
    assert canonical_syllable("hoa") != canonical_syllable("hòa")


def test_nfd_input_is_normalised():
    decomposed = "nông thôn".encode().decode("utf-8")
    import unicodedata

    assert accented_tokens(unicodedata.normalize("NFD", decomposed)) == accented_tokens(decomposed)
    assert nfc(unicodedata.normalize("NFD", "mới")) == "mới"


def test_tokens_carry_bigrams_and_detect_diacritics():
    assert "nong_thon" in folded_tokens("nông thôn mới")
    assert has_diacritics("Bảo hiểm") and not has_diacritics("bao hiem y te")
