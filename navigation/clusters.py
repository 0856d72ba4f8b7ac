"""Keyword clusters (技术主题聚类) of patent titles and abstracts: a term co-occurrence graph
split into communities by weighted label propagation, each patent placed in the community
its terms belong to most.  Pure Python and deterministic (same input, same clusters)."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

MAX_TERMS = 300          # vocabulary: the most frequent discriminating terms
MAX_DOC_SHARE = 0.6      # a term in more than this share of the patents (the project's own topic) separates nothing
MIN_LIFT = 1.5           # co-occurrence this many times above chance makes an edge
MAX_CLUSTERS = 12


@dataclass
class Cluster:
    terms: list                              # the cluster's terms, most frequent first
    members: list = field(default_factory=list)  # document ids placed in it

    @property
    def label(self):
        return "、".join(self.terms[:4])


def _vocabulary(docs, min_df):
    df = Counter(t for _id, terms in docs for t in terms)
    cap = max(min_df, int(MAX_DOC_SHARE * len(docs)))
    kept = [t for t, n in df.items() if min_df <= n <= cap]
    kept.sort(key=lambda t: (-df[t], t))
    return {t: df[t] for t in kept[:MAX_TERMS]}


def _graph(docs, df):
    """Edges between terms that occur together clearly more often than chance."""
    n = len(docs)
    pairs = Counter()
    for _id, terms in docs:
        present = sorted(t for t in terms if t in df)
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                pairs[a, b] += 1
    edges = defaultdict(dict)
    for (a, b), together in pairs.items():
        lift = together * n / (df[a] * df[b])
        if together >= 2 and lift >= MIN_LIFT:
            weight = together * min(lift, 10.0)
            edges[a][b] = edges[b][a] = weight
    return edges


def _communities(edges, df, rounds=30):
    """Weighted label propagation in a fixed order (frequent terms first); ties go to the
    smaller label, so the outcome does not depend on hashing."""
    order = sorted(edges, key=lambda t: (-df[t], t))
    label = {t: t for t in order}
    for _round in range(rounds):
        changed = False
        for term in order:
            scores = Counter()
            for other, weight in edges[term].items():
                scores[label[other]] += weight
            if not scores:
                continue
            best = max(scores.values())
            choice = min(lab for lab, s in scores.items() if s == best)
            if choice != label[term]:
                label[term], changed = choice, True
        if not changed:
            break
    groups = defaultdict(list)
    for term, lab in label.items():
        groups[lab].append(term)
    return [sorted(ts, key=lambda t: (-df[t], t)) for ts in groups.values() if len(ts) >= 2]


def cluster_documents(docs, min_df=2, max_clusters=MAX_CLUSTERS):
    """``docs``: [(id, set of terms)].  Returns the clusters (largest first), each with its
    terms and the ids of the documents placed in it; a document none of whose terms is in a
    cluster stays out."""
    docs = [(i, set(terms)) for i, terms in docs if terms]
    if len(docs) < 2:
        return []
    df = _vocabulary(docs, min_df)
    groups = _communities(_graph(docs, df), df)
    term_group = {t: g for g, terms in enumerate(groups) for t in terms}
    clusters = [Cluster(terms) for terms in groups]
    for doc_id, terms in docs:
        votes = Counter(term_group[t] for t in terms if t in term_group)
        if votes:
            best = max(votes.values())
            clusters[min(g for g, v in votes.items() if v == best)].members.append(doc_id)
    clusters = [c for c in clusters if c.members]
    clusters.sort(key=lambda c: (-len(c.members), c.terms[0]))
    return clusters[:max_clusters]
