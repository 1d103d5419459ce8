"""Put the diacritics back on a question typed without them, from the corpus's own words.

"ha tang trong yeu nao duoc uu tien" becomes "hạ tầng trọng yếu nào được ưu tiên": each
folded syllable may stand for several accented ones ("trong" is "trong" or "trọng"), and
the pairs of syllables that occur in the documents decide. The restored question is what
the embedder and the accented lexical field see; the folded field still gets the original.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from assistant.vietnamese import fold, syllables


class DiacriticRestorer:
    """Most likely accented spelling of a folded question, by syllable and pair counts."""

    def __init__(self, texts: list[str]):
        unigrams: dict[str, Counter] = defaultdict(Counter)
        pairs: Counter = Counter()
        for text in texts:
            words = syllables(text)
            for word in words:
                unigrams[fold(word)][word] += 1
            pairs.update(zip(words, words[1:]))
        self.unigrams = unigrams
        self.pairs = pairs

    def restore(self, text: str) -> str:
        """The question with its syllables accented as the corpus writes them (unknown ones unchanged)."""
        words = syllables(text)
        if not words:
            return text
        options = [self._options(w) for w in words]
        # Viterbi over the choices: a pair seen in the documents outweighs single-syllable frequency.
        best = {c: (self._unigram_score(words[0], c), [c]) for c in options[0]}
        for i in range(1, len(words)):
            step = {}
            for c in options[i]:
                score, path = max(((s + self._pair_score(p[-1], c), p) for s, p in best.values()), key=lambda sp: sp[0])
                step[c] = (score + self._unigram_score(words[i], c), path + [c])
            best = step
        return " ".join(max(best.values(), key=lambda sp: sp[0])[1])

    def _options(self, word: str) -> list[str]:
        seen = self.unigrams.get(fold(word))
        return [w for w, _ in seen.most_common(6)] if seen else [word]

    def _unigram_score(self, word: str, choice: str) -> float:
        seen = self.unigrams.get(fold(word))
        if not seen:
            return 0.0
        return math.log((seen[choice] + 0.5) / (sum(seen.values()) + 0.5))

    def _pair_score(self, left: str, right: str) -> float:
        return 3.0 * math.log1p(self.pairs.get((left, right), 0))
