"""The pure part of the double-random draw: tickets, target selection, teams, the record.

No database and no IO here: given candidates, parameters and a seed, which targets and which
teams. `domain.campaigns` reads the candidates and saves the result; `verify` recomputes it.

- `tickets`: consistent_sampler 1.0.10 tickets and fast exact selection (`smallest`, `in_order`);
- `seed`: secret, commitment, entropy rules, seed;
- `compute`: stratified selection, assignment order, the whole draw (`run`), `build_record`;
- `teams`: the plain values (Inspector, TargetFacts, TeamParams, Member) and the team rules;
- `record`: canonical JSON, hashes, digests, load/dump;
- `amend`: recusal replacements appended to the record, and their replay;
- `candidates`: the published candidate-list directory;
- `verify`: recompute everything from a record (and the candidate lists).
"""
