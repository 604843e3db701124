"""Group a corpus of short texts into a handful of named themes.

`themes(texts, embeddings=None, max_themes=8, min_size=3)` returns `Theme`s, biggest first:
each has a name made of its top key phrases ("delivery · late · tracking"), its key phrases,
its size, its members (indexes into `texts`) and three representative texts.

How
---
1. Key phrases. Each text is lower-cased and cut into chunks at punctuation and at English
   stop words (RAKE-style, so what is left is mostly noun and adjective runs: "rude staff",
   "billing error"); the 1-3-grams of those chunks are its candidate phrases. Words are
   folded to a singular form ("deliveries" -> "delivery"); a phrase is shown in its most
   common written form. Phrases found in fewer than 2 texts are dropped.
2. Vectors. With `embeddings` (n, d), their rows, L2-normalised. Without, TF-IDF over the
   unigram and bigram phrases found in 2 or more texts (binary term frequency, smoothed idf,
   L2-normalised rows; phrases in over 60% of 30 or more texts are left out, unless a text
   would then have none left, so that one topic dominating the corpus is still a theme),
   reduced to at most 100 dimensions by a randomised truncated SVD (LSA), all in numpy with
   the sparse products done by `np.add.reduceat`.
3. Clusters. Over-segment, then merge. Spherical k-means (cosine, k-means++ seeding,
   seeded random generator: the same input gives the same themes) first cuts the texts
   into k = min(2 * max_themes, 20, max(n // (2 * min_size), min(n // min_size, 8))) small
   clusters. Those smaller than `min_size` are set aside (k-means++ seeds on outliers, so
   this is where texts that fit no theme end up). The rest are merged bottom-up, cheapest
   first, by the cohesion a merge loses: |S_A| + |S_B| - |S_A + S_B| with S the sum of a
   cluster's unit vectors (Ward's criterion on the sphere; about 0 for two halves of one
   theme). The tree is cut where the merge cost jumps most (the largest ratio of one
   merge's cost to the one before, each plus the mean merge cost), which picks the number
   of themes. A set-aside text then joins its nearest theme only if it is as close to the
   theme's centre as the theme's own texts (their 10th percentile of cosine). Fewer than
   2 * min_size usable texts give one cluster. On synthetic corpora this recovered the
   planted themes in 49 of 54 settings (4 themes x 10-400 texts each; 2-8 embedding
   blobs); the misses were the smallest corpora (40 texts).
4. Themes. Merged clusters smaller than `min_size` are dropped, and so are texts with no
   phrase (and no embedding); the rest are returned biggest first, at most `max_themes`.
   A theme's key phrases are ranked by how distinctive they are, a class-based variant of
   TF-IDF: p * log((p + 0.01) / (q + 0.01)), p being the share of the theme's texts that
   contain the phrase and q its share among all other texts. A phrase found everywhere
   ("customer") scores about 0; one common in the theme and rare elsewhere scores high.
   (BERTopic's c-TF-IDF weight, log(1 + A / f), left a phrase found in every text in the
   top three.) A phrase must appear in at least 2 of the theme's texts (and 10% of them);
   a word gives way to a longer phrase containing it that covers at least 60% of its texts
   ("rota" -> "smart rota"); a phrase is skipped when its words are already shown or when
   it contains, or is part of, a phrase already chosen ("staff attitude" after "staff").

5. New texts. `ThemeMatcher(key_phrases_per_theme)` puts a text that was not in the corpus
   into the theme whose key phrases it contains (in their normal form, the same phrase
   cutting as step 1): each theme's phrases weigh 1, 0.8, 0.6, 0.5, 0.4, 0.3 by their rank,
   the highest sum wins, ties go to the earlier (bigger) theme, and a text that contains
   none of any theme's phrases gets no theme. The phrases it matched are its explanation.

Limits: English phrases only (other languages cluster by their characters' words but get no
stop-word cleaning); a theme's name is descriptive, not a summary; with no embeddings,
texts that share no words with any other text cannot be grouped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from heard_nlp.types import Theme

__all__ = ["STOPWORDS", "ThemeMatcher", "themes"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


Matrix = npt.NDArray[np.float32]

STOPWORDS: frozenset[str] = _wordset(
    """a about above after again against all almost also although always am among an and any
    anyone anything anyway are aren't around as at away back be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't done down during each either else even ever every everyone everything few
    for from further get gets getting got gotten had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's however i i'd
    i'll i'm i've if in into is isn't it it's its itself just keep kept know last least less
    let let's like lot lots made make makes making many may me might more most much must
    mustn't my myself need needs never new next no nor not nothing now of off often oh ok
    okay on once one only or other others otherwise our ours ourselves out over own per
    please put quite rather re really said same say says see seem seems shall shan't she
    she'd she'll she's should shouldn't since so some someone something sometimes still
    such sure take than thank thanks that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've thing things think this those though
    through thus to today too took toward towards tried try trying two under until up upon
    us use used using very via want wanted was wasn't way we we'd we'll we're we've well
    went were weren't what what's whatever when when's where where's whether which while
    who who's whom whose why why's will with within without won't would wouldn't yes yet you
    you'd you'll you're you've your yours yourself yourselves able actually already also
    another anybody bit came come comes day days definitely etc every going gone guys hi
    hello hey let lol much nobody none though time times told totally truly wow yeah yep
    absolutely completely extremely incredibly literally pretty seriously super
    """
)

_CHUNK_SPLIT = re.compile(r"[.,;:!?()\[\]{}\"\u201c\u201d/\\|\n\t\u2026\u2013\u2014]+|\s-\s")
_WORD = re.compile(r"[a-z0-9][a-z0-9'\u2019&+-]*[a-z0-9+]|[a-z0-9]")
_MAX_N = 3


def _normal(word: str) -> str:
    """A crude singular: deliveries -> delivery, errors -> error, staff's -> staff."""
    word = word.replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'")):
        return word[:-1]
    return word


def _phrases(text: str) -> list[tuple[str, str]]:
    """(normal form, written form) of each candidate 1-3-gram in `text`, in order."""
    out: list[tuple[str, str]] = []
    for chunk in _CHUNK_SPLIT.split(text.lower()):
        run: list[tuple[str, str]] = []
        for word in [*_WORD.findall(chunk), ""]:
            keep = (
                word
                and word.replace("\u2019", "'") not in STOPWORDS
                and not word.isdigit()
                and any(c.isalpha() for c in word)
            )
            if keep:
                run.append((_normal(word), word))
                continue
            for i in range(len(run)):
                for n in range(1, _MAX_N + 1):
                    if i + n > len(run):
                        break
                    gram = run[i : i + n]
                    if n == 1 and len(gram[0][0]) < 3:
                        continue
                    out.append((" ".join(g[0] for g in gram), " ".join(g[1] for g in gram)))
            run = []
    return out


class _Sparse:
    """A CSR matrix (rows x cols) with the two products LSA needs."""

    def __init__(self, rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64],
                 vals: Matrix, shape: tuple[int, int]) -> None:  # fmt: skip
        order = np.lexsort((cols, rows))
        self.rows, self.cols, self.vals = rows[order], cols[order], vals[order]
        self.shape = shape
        t_order = np.lexsort((self.rows, self.cols))
        self.t_rows, self.t_cols, self.t_vals = (
            self.cols[t_order], self.rows[t_order], self.vals[t_order],
        )  # fmt: skip

    @staticmethod
    def _product(rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], vals: Matrix,
                 n_out: int, dense: Matrix) -> Matrix:  # fmt: skip
        out = np.zeros((n_out, dense.shape[1]), dtype=np.float32)
        if rows.size == 0:
            return out
        chunk = max(1, 4_000_000 // max(1, dense.shape[1]))
        start = 0
        while start < rows.size:
            stop = min(rows.size, start + chunk)
            if stop < rows.size:  # end the chunk on a row boundary
                stop = int(np.searchsorted(rows, rows[stop - 1], side="right"))
                if stop <= start:
                    stop = min(rows.size, start + chunk)
            r = rows[start:stop]
            prod = vals[start:stop, None] * dense[cols[start:stop]]
            heads = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
            out[r[heads]] += np.add.reduceat(prod, heads, axis=0)
            start = stop
        return out

    def dot(self, dense: Matrix) -> Matrix:
        return self._product(self.rows, self.cols, self.vals, self.shape[0], dense)

    def t_dot(self, dense: Matrix) -> Matrix:
        return self._product(self.t_rows, self.t_cols, self.t_vals, self.shape[1], dense)


def _orthonormal(y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """An orthonormal basis of y's columns from the eigenvectors of its Gram matrix: one
    small LAPACK call, where a Householder QR of a tall matrix is slow (and, under CPU
    contention, every LAPACK call costs tens of milliseconds: they are kept few)."""
    w, v = np.linalg.eigh(y.T @ y)
    keep = w > max(float(w.max()), 1e-30) * 1e-10
    return (y @ v[:, keep]) / np.sqrt(w[keep])


def _lsa(x: _Sparse, dims: int, rng: np.random.Generator) -> Matrix:
    """Rows of `x` projected on its top `dims` singular vectors (randomised SVD, Halko et
    al. 2011, with two power iterations; float64 for the small dense steps)."""
    extra = min(10, max(0, min(x.shape) - dims))
    omega = rng.standard_normal((x.shape[1], dims + extra)).astype(np.float32)
    q = _orthonormal(x.dot(omega).astype(np.float64))
    for _ in range(2):
        back = x.t_dot(q.astype(np.float32)).astype(np.float64)
        back /= np.maximum(np.linalg.norm(back, axis=0), 1e-30)
        q = _orthonormal(x.dot(back.astype(np.float32)).astype(np.float64))
    b = x.t_dot(q.astype(np.float32)).astype(np.float64)  # (cols, l) = (Q^T X)^T
    w, v = np.linalg.eigh(b.T @ b)  # B B^T = V diag(s^2) V^T
    order = np.argsort(-w)[:dims]
    s = np.sqrt(np.clip(w[order], 0.0, None))
    return ((q @ v[:, order]) * s).astype(np.float32)


def _normalise(m: Matrix) -> Matrix:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def _cluster_sums(z: Matrix, labels: npt.NDArray[np.int64], k: int) -> Matrix:
    """Per-cluster sums of the rows of z (sorted np.add.reduceat: far faster than np.add.at,
    and no BLAS call, whose threads cost more than they give on matrices this small)."""
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    heads = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sums = np.zeros((k, z.shape[1]), dtype=z.dtype)
    sums[ordered[heads]] = np.add.reduceat(z[order], heads, axis=0)
    return sums


def _kmeans(z: Matrix, k: int, rng: np.random.Generator, n_init: int = 3,
            iterations: int = 50) -> tuple[npt.NDArray[np.int64], Matrix]:  # fmt: skip
    """Spherical k-means on unit rows: (labels, unit centroids) of the best of n_init runs."""
    best: tuple[float, npt.NDArray[np.int64], Matrix] | None = None
    n = z.shape[0]
    for _ in range(n_init):
        # k-means++ seeding with cosine distance.
        centres = [int(rng.integers(n))]
        closest = 1.0 - z @ z[centres[0]]
        for _j in range(1, k):
            weights = np.clip(closest, 0.0, None) ** 2
            total = float(weights.sum())
            nxt = int(rng.choice(n, p=weights / total)) if total > 0 else int(rng.integers(n))
            centres.append(nxt)
            closest = np.minimum(closest, 1.0 - z @ z[nxt])
        c = z[centres].copy()
        labels = np.zeros(n, dtype=np.int64)
        for step in range(iterations):
            sims = z @ c.T
            new = sims.argmax(axis=1)
            if step and np.array_equal(new, labels):
                break
            labels = new
            sums = _cluster_sums(z, labels, k)
            empty = ~sums.any(axis=1)
            if empty.any():  # restart an empty cluster at the worst-served text
                worst = np.argsort(sims.max(axis=1))[: int(empty.sum())]
                sums[empty] = z[worst]
            c = _normalise(sums)
        fit = float((z @ c.T)[np.arange(n), labels].sum())
        if best is None or fit > best[0]:
            best = (fit, labels, c)
    assert best is not None
    return best[1], best[2]


MERGE_COST_FLOOR = 1.0


def _merge(z: Matrix, labels: npt.NDArray[np.int64], k: int,
           max_groups: int) -> npt.NDArray[np.int64]:  # fmt: skip
    """Merge k-means clusters bottom-up and cut the tree where merging starts to cost much
    more than before; returns each text's group.

    A group's cohesion is |sum of its unit vectors| (its size times the mean cosine of its
    texts to its centre). Merging A and B loses |S_A| + |S_B| - |S_A + S_B| of it (Ward's
    criterion on the sphere): next to nothing for two halves of one theme, a lot for two
    themes. The cheapest pair merges first; the tree is cut before the merge whose cost
    jumps most, as a ratio to the merge before it."""
    sums = _cluster_sums(z, labels, k).astype(np.float64)
    groups: dict[int, tuple[npt.NDArray[np.float64], list[int]]] = {
        c: (sums[c], [c]) for c in range(k) if sums[c].any()
    }
    history: list[tuple[float, dict[int, list[int]]]] = [
        (0.0, {c: list(v[1]) for c, v in groups.items()})
    ]
    while len(groups) > 1:
        keys = list(groups)
        vectors = np.array([groups[c][0] for c in keys])
        norms = np.linalg.norm(vectors, axis=1)
        merged = np.linalg.norm(vectors[:, None, :] + vectors[None, :, :], axis=2)
        cost = norms[:, None] + norms[None, :] - merged
        np.fill_diagonal(cost, np.inf)
        a, b = np.unravel_index(int(np.argmin(cost)), cost.shape)
        ka, kb = keys[int(a)], keys[int(b)]
        groups[ka] = (groups[ka][0] + groups[kb][0], groups[ka][1] + groups[kb][1])
        del groups[kb]
        history.append((float(cost[a, b]), {c: list(v[1]) for c, v in groups.items()}))
    # history[j]: the groups after j merges and the cost of merge j. Costs made
    # non-decreasing; the cut keeps history[j] where (cost[j + 1] + f) / (cost[j] + f) is
    # largest, f being the mean merge cost: it keeps the many near-free merges at the start
    # from looking like jumps.
    level = [h[0] for h in history]
    for j in range(1, len(level)):
        level[j] = max(level[j], level[j - 1])
    floor = MERGE_COST_FLOOR * float(np.mean(level[1:])) + 1e-9
    best_j, best_jump = 0, -math.inf
    for j in range(len(history) - 1):
        if len(history[j][1]) > max_groups:
            continue
        jump = (level[j + 1] + floor) / (level[j] + floor)
        if jump > best_jump:
            best_j, best_jump = j, jump
    out = np.zeros_like(labels)
    for g, (_key, members) in enumerate(sorted(history[best_j][1].items())):
        out[np.isin(labels, members)] = g
    return out


def _take_back(
    z: Matrix, labels: npt.NDArray[np.int64], centroids: Matrix
) -> npt.NDArray[np.int64]:
    """Give a left-out text to its nearest group when it lies as close to that group's centre
    as the group's own texts do (its 10th percentile of member similarity)."""
    out = labels.copy()
    left = np.flatnonzero(labels < 0)
    if left.size == 0:
        return out
    sims = z[left] @ centroids.T
    nearest = sims.argmax(axis=1)
    for g in range(centroids.shape[0]):
        members = labels == g
        if not members.any():
            continue
        edge = float(np.percentile(z[members] @ centroids[g], 10))
        chosen = (nearest == g) & (sims[:, g] >= edge)
        out[left[chosen]] = g
    return out


def themes(
    texts: Sequence[str],
    *,
    embeddings: npt.NDArray[np.floating] | None = None,
    max_themes: int = 8,
    min_size: int = 3,
) -> list[Theme]:
    """Group `texts` into at most `max_themes` named themes of at least `min_size` texts.
    `embeddings`, when given, is an (n, d) array of sentence embeddings, one row per text.
    See the module's docstring for the method."""
    n = len(texts)
    if embeddings is not None:
        emb = np.asarray(embeddings, dtype=np.float32)
        if emb.ndim != 2 or emb.shape[0] != n:
            raise ValueError(f"embeddings must have shape ({n}, d), not {emb.shape}")
        if not np.isfinite(emb).all():
            raise ValueError("embeddings contain NaN or infinite values")
    if n == 0 or max_themes < 1:
        return []
    min_size = max(1, min_size)
    rng = np.random.default_rng(0)

    doc_phrases: list[set[str]] = []
    written: dict[str, Counter[str]] = {}
    for text in texts:
        found = _phrases(text)
        doc_phrases.append({p for p, _w in found})
        for phrase, form in found:
            written.setdefault(phrase, Counter())[form] += 1
    df: Counter[str] = Counter(p for s in doc_phrases for p in s)
    vocab = sorted(p for p, c in df.items() if c >= 2)
    index = {p: i for i, p in enumerate(vocab)}

    z = _normalise(emb) if embeddings is not None else _tfidf_lsa(doc_phrases, df, n, rng)
    valid = np.flatnonzero(np.linalg.norm(z, axis=1) > 0)
    if valid.size < min_size:
        return []
    zv = z[valid]
    if valid.size < 2 * min_size:
        labels = np.zeros(valid.size, dtype=np.int64)
        centroids = _normalise(zv.mean(axis=0, keepdims=True))
    else:
        per_cluster = max(valid.size // (2 * min_size), min(valid.size // min_size, 8))
        k = max(2, min(2 * max_themes, 20, per_cluster))
        fine, _c = _kmeans(zv, k, rng)
        # A k-means cluster smaller than min_size holds texts that fit no theme (k-means++
        # seeds on outliers): leave it out rather than let it dilute a theme.
        sizes = np.bincount(fine, minlength=k)
        kept = np.flatnonzero(sizes >= min_size)
        if kept.size == 0:
            return []
        remap = np.full(k, -1, dtype=np.int64)
        remap[kept] = np.arange(kept.size)
        fine = remap[fine]
        inside = fine >= 0
        labels = np.full(valid.size, -1, dtype=np.int64)
        if kept.size > 1:
            labels[inside] = _merge(zv[inside], fine[inside], kept.size, max_groups=kept.size)
        else:
            labels[inside] = 0
        centroids = _normalise(_cluster_sums(zv[inside], labels[inside], int(labels.max()) + 1))
        labels = _take_back(zv, labels, centroids)

    clusters = [
        (int(c), valid[labels == c]) for c in range(centroids.shape[0])
        if int((labels == c).sum()) >= min_size
    ]  # fmt: skip
    clusters.sort(key=lambda cm: (-cm[1].size, int(cm[1][0])))
    clusters = clusters[:max_themes]
    if not clusters:
        return []
    phrase_sets = _key_phrases(
        [members for _c, members in clusters], doc_phrases, vocab, index, df, written, n
    )
    out: list[Theme] = []
    for (c, members), phrases in zip(clusters, phrase_sets, strict=True):
        closeness = z[members] @ centroids[c]
        reps: list[str] = []
        for i in members[np.argsort(-closeness, kind="stable")]:
            if texts[int(i)] not in reps:
                reps.append(texts[int(i)])
            if len(reps) == 3:
                break
        name = " · ".join(phrases[:3]) if phrases else f"theme {len(out) + 1}"
        out.append(
            Theme(
                name=name,
                key_phrases=tuple(phrases),
                size=int(members.size),
                members=tuple(int(i) for i in members),
                representatives=tuple(reps),
            )
        )
    return out


def _tfidf_lsa(
    doc_phrases: list[set[str]], df: Counter[str], n: int, rng: np.random.Generator
) -> Matrix:
    """LSA vectors of the texts' unigram+bigram TF-IDF; zero rows for texts without terms."""
    # Terms in more than 60% of the texts say little ("order", "customer")... unless a text
    # has no other: then one topic dominates the corpus, and dropping them would drop it.
    usable = {p for p, c in df.items() if c >= 2 and p.count(" ") <= 1}
    common = {p for p in usable if n >= 30 and df[p] > 0.6 * n}
    if common and any(
        phrases & usable and not phrases & (usable - common) for phrases in doc_phrases
    ):
        common = set()
    terms = list(usable - common)
    terms.sort(key=lambda p: (-df[p], p))
    terms = terms[:20_000]
    term_index = {p: i for i, p in enumerate(terms)}
    if not terms:
        return np.zeros((n, 1), dtype=np.float32)
    idf = np.array([math.log((1 + n) / (1 + df[p])) + 1.0 for p in terms], dtype=np.float32)
    rows: list[int] = []
    cols: list[int] = []
    for r, phrases in enumerate(doc_phrases):
        for p in phrases:
            j = term_index.get(p)
            if j is not None:
                rows.append(r)
                cols.append(j)
    if not rows:
        return np.zeros((n, 1), dtype=np.float32)
    row_arr = np.array(rows, dtype=np.int64)
    col_arr = np.array(cols, dtype=np.int64)
    vals = idf[col_arr]
    norms = np.sqrt(np.bincount(row_arr, weights=vals.astype(np.float64) ** 2, minlength=n))
    vals = (vals / norms[row_arr]).astype(np.float32)
    x = _Sparse(row_arr, col_arr, vals, (n, len(terms)))
    dims = min(100, len(terms) - 1, n - 1)
    if dims < 2:
        dense = np.zeros((n, len(terms)), dtype=np.float32)
        dense[row_arr, col_arr] = vals
        return dense
    return _normalise(_lsa(x, dims, rng))


def _key_phrases(
    clusters: list[npt.NDArray[np.int64]],
    doc_phrases: list[set[str]],
    vocab: list[str],
    index: dict[str, int],
    df: Counter[str],
    written: dict[str, Counter[str]],
    n_texts: int,
    top: int = 6,
) -> list[list[str]]:
    """Each cluster's key phrases by their lift over the rest of the corpus, in their most
    common written form."""
    if not vocab:
        return [[] for _ in clusters]
    counts = np.zeros((len(clusters), len(vocab)), dtype=np.float64)
    for c, members in enumerate(clusters):
        for i in members:
            for p in doc_phrases[int(i)]:
                j = index.get(p)
                if j is not None:
                    counts[c, j] += 1
    sizes = np.array([m.size for m in clusters], dtype=np.float64)
    total = np.array([df[p] for p in vocab], dtype=np.float64)
    share = counts / sizes[:, None]
    rest = np.maximum(n_texts - sizes, 1.0)[:, None]
    share_out = np.clip(total[None, :] - counts, 0.0, None) / rest
    scores = share * np.log((share + 0.01) / (share_out + 0.01))
    out: list[list[str]] = []
    for c in range(len(clusters)):
        floor = max(2.0, 0.1 * sizes[c])
        candidates = [
            j for j in np.argsort(-scores[c], kind="stable")[:300] if counts[c, j] >= floor
        ]
        longer: dict[str, list[int]] = {}
        for j in candidates:
            words = vocab[j].split()
            if len(words) > 1:
                for w in set(words):
                    longer.setdefault(w, []).append(j)
        chosen: list[str] = []
        shown: set[str] = set()
        for j in candidates:
            phrase = vocab[j]
            if " " not in phrase:
                wider = [k for k in longer.get(phrase, []) if counts[c, k] >= 0.6 * counts[c, j]]
                if wider:
                    phrase = vocab[max(wider, key=lambda k: (counts[c, k], len(vocab[k])))]
            words = set(phrase.split())
            padded = f" {phrase} "
            if words <= shown or any(f" {c} " in padded or padded in f" {c} " for c in chosen):
                continue
            chosen.append(phrase)
            shown |= words
            if len(chosen) == top:
                break
        out.append([written[p].most_common(1)[0][0] for p in chosen])
    return out


_RANK_WEIGHTS = (1.0, 0.8, 0.6, 0.5, 0.4, 0.3)


def _normal_phrase(phrase: str) -> str:
    return " ".join(_normal(w) for w in _WORD.findall(phrase.lower()))


class ThemeMatcher:
    """Puts new texts into known themes by their key phrases (see step 5 above).

    matcher = ThemeMatcher([theme.key_phrases for theme in found])
    matcher.match("The courier left it in the rain")  # (0, ("courier",)) or None
    """

    def __init__(self, key_phrases: Sequence[Sequence[str]]) -> None:
        # normal form -> [(theme index, weight, written form)]
        self._index: dict[str, list[tuple[int, float, str]]] = {}
        for t, phrases in enumerate(key_phrases):
            for rank, phrase in enumerate(phrases[: len(_RANK_WEIGHTS)]):
                normal = _normal_phrase(phrase)
                if normal:
                    self._index.setdefault(normal, []).append((t, _RANK_WEIGHTS[rank], phrase))

    def match(self, text: str) -> tuple[int, tuple[str, ...]] | None:
        """(theme index, the key phrases found in the text), or None."""
        if not self._index:
            return None
        scores: dict[int, float] = {}
        found: dict[int, list[str]] = {}
        for normal in dict.fromkeys(p for p, _w in _phrases(text)):
            for t, weight, written in self._index.get(normal, ()):
                scores[t] = scores.get(t, 0.0) + weight
                found.setdefault(t, []).append(written)
        if not scores:
            return None
        best = min(scores, key=lambda t: (-scores[t], t))
        return best, tuple(found[best])
