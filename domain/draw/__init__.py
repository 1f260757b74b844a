"""The pure part of the double-random draw: tickets, target selection, teams, the record.

No database and no IO here: given candidates, parameters and a seed, which targets and which
teams. `domain.campaigns` reads the candidates and saves the result; `verify` recomputes it.
"""
