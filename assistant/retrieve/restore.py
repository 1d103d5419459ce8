"""Put the diacritics back on a question typed without them, from the corpus's own words.

"ha tang trong yeu nao duoc uu tien" becomes "hạ tầng trọng yếu nào được ưu tiên": each
folded syllable may stand for several accented ones ("trong" is "trong" or "trọng"), and a
bigram language model of the documents picks the most likely accented sentence. Its
probabilities are conditional — how often a syllable follows the one before, against how
often that one is followed at all — so a library's laws, which write "máy" hundreds of times,
do not turn "có mấy xã" into "có máy xã": "máy" is rarely followed by "xã". Question frames
("bao nhiêu", "có mấy") are counted as if read many times, since documents rarely ask. The
restored question is what the embedder and the accented lexical field see; the folded field
still gets the original.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from assistant.vietnamese import fold, nfc, syllables

_SYLLABLE = re.compile(r"\w+")  # as ``syllables`` reads them

SMOOTHING = 1.0  # Witten-Bell: the unconditional share grows with how many different syllables follow
FRAME_WEIGHT = 20  # how many documents' sentences one question frame counts as


class DiacriticRestorer:
    """Most likely accented spelling of a folded question under an interpolated bigram model
    (``frames``: how questions are spelt, counted ``FRAME_WEIGHT`` times)."""

    def __init__(self, texts: list[str], frames: Sequence[str] = ()):
        spellings: dict[str, set] = defaultdict(set)
        unigrams: Counter = Counter()
        pairs: Counter = Counter()
        for weight, group in ((1, texts), (FRAME_WEIGHT, frames)):
            for text in group:
                words = syllables(text)
                for word in words:
                    spellings[fold(word)].add(word)
                    unigrams[word] += weight
                for pair in zip(words, words[1:]):
                    pairs[pair] += weight
        self.unigrams = unigrams
        self.total = sum(unigrams.values()) + 1
        self.pairs = pairs
        self.followed: Counter = Counter()  # how often each syllable has a right neighbour
        self.followers: Counter = Counter()  # how many different ones
        for (left, _), n in pairs.items():
            self.followed[left] += n
            self.followers[left] += 1
        self.options = {
            folded: sorted(words, key=lambda w: (-unigrams[w], w))[:6] for folded, words in spellings.items()
        }

    def restore(self, text: str) -> str:
        """The question with its syllables accented as the corpus writes them (unknown ones unchanged),
        its punctuation kept: a comma still sets off a clause ("…, e đang làm bài đăng fb")."""
        chosen = iter(self._accented(syllables(text)))
        return _SYLLABLE.sub(lambda m: next(chosen, m.group(0)), nfc(text).lower()) if text.strip() else text

    def _accented(self, words: list[str]) -> list[str]:
        """The most likely accented spelling of each folded syllable."""
        if not words:
            return []
        options = [self.options.get(fold(w), [w]) for w in words]
        # Viterbi over the choices.
        best = {c: (math.log(self._probability(c)), [c]) for c in options[0]}
        for choices in options[1:]:
            best = {
                c: max(((s + math.log(self._conditional(p[-1], c)), p + [c]) for s, p in best.values()), key=_score)
                for c in choices
            }
        return max(best.values(), key=_score)[1]

    def _probability(self, word: str) -> float:
        return (self.unigrams.get(word, 0) + 0.5) / self.total

    def _conditional(self, left: str, right: str) -> float:
        backoff = SMOOTHING * max(self.followers.get(left, 0), 1)
        return (self.pairs.get((left, right), 0) + backoff * self._probability(right)) / (
            self.followed.get(left, 0) + backoff
        )


def _score(scored: tuple[float, list[str]]) -> float:
    return scored[0]
