"""The whole pure draw on random inputs: stratum counts, determinism, and a record that verifies."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.draw.compute import assignment_order, build_record, run, select_targets
from domain.draw.record import ids_digest, take_count
from domain.draw.seed import commitment_of, normalize_entropy, seed_of
from domain.draw.teams import TeamsUnavailable
from domain.draw.verify import verify_record
from tests.kit.draw_strategies import params, pools, targets

codes = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18)
strata_st = st.dictionaries(
    st.sampled_from(["419802:A", "419802:B", "419803:C", "high-risk"]),
    st.lists(codes, unique=True, max_size=60),
    min_size=1,
)
ratio_st = st.decimals(min_value=0, max_value=100, places=1).map(lambda d: format(d, "f"))


def disjoint(strata: dict[str, list[str]]) -> dict[str, list[str]]:
    seen: set[str] = set()
    out = {}
    for name, ids in sorted(strata.items()):
        out[name] = [i for i in ids if not (i in seen or seen.add(i))]
    return out


@settings(max_examples=100, deadline=None)
@given(strata_st, st.lists(ratio_st, min_size=4, max_size=4), st.text(max_size=10))
def test_each_stratum_draws_exactly_its_share_from_itself(strata, ratios, seed):
    strata = disjoint(strata)
    ratio_of = {name: ratios[n] for n, name in enumerate(sorted(strata))}
    drawn = select_targets(strata, ratio_of, seed)
    assert drawn == select_targets(
        {k: list(reversed(v)) for k, v in strata.items()}, ratio_of, seed
    )
    for name, ids in strata.items():
        assert len(drawn[name]) == take_count(len(ids), ratio_of[name])
        assert {i for i, _ in drawn[name]} <= set(ids)
    order = assignment_order(drawn)
    assert len(order) == len(set(order)) == sum(len(p) for p in drawn.values())


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_successful_draw_always_verifies(data):
    pool = data.draw(pools(min_size=4))
    p = data.draw(params())
    facts_list = data.draw(targets([x.cert_no for x in pool], max_size=30))
    facts = {f.credit_code: f for f in facts_list}
    half = len(facts_list) // 2
    strata = {
        "419802:A": [f.credit_code for f in facts_list[:half]],
        "high-risk": [f.credit_code for f in facts_list[half:]],
    }
    ratios = {"419802:A": data.draw(ratio_st), "high-risk": "50"}
    entropy = normalize_entropy(data.draw(st.from_regex(r"[0-9]{20,30}", fullmatch=True)))
    secret = "ab" * 32
    seed = seed_of(secret, entropy)
    try:
        drawn, teams = run(seed, strata, ratios, facts, pool, p)
    except TeamsUnavailable:
        assume(False)
    assert (drawn, teams) == run(seed, strata, ratios, facts, pool, p)
    record = build_record(
        header={
            "campaign": {"code": "P"},
            "commitment": commitment_of(secret),
            "secret": secret,
            "entropy": entropy,
            "seed": seed,
            "practice": False,
            "beacon": None,
        },
        strata=[
            {"name": n, "eligible": len(i), "take": len(drawn[n]), "digest": ids_digest(i)}
            for n, i in strata.items()
        ],
        ratios=ratios,
        drawn=drawn,
        pool=pool,
        pool_digest=ids_digest([x.cert_no for x in pool]),
        facts={c: facts[c] for c in assignment_order(drawn)},
        params=p,
        teams=teams,
        exclusions={},
    )
    assert verify_record(record, strata).targets == len(teams)
