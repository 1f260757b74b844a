"""示范市: a fictional prefecture-level city with two districts and a county.

Codes follow the 6-digit administrative-division pattern; the 4198xx prefix is unused by real
divisions, so demo data never collides with a real region imported later.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.spec import DeptSpec

CITY_CODE = "419800"
CITY_NAME = "示范市"
CITY_CENTRE = (33.7468, 113.3072)  # (latitude, longitude) of the city government


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class District:
    code: str
    name: str
    centre: tuple[float, float]
    spread_km: float
    share: float  # of the targets located here
    streets: tuple[str, ...]
    towns: tuple[str, ...] = ()  # a county's addresses name the town before the road


DISTRICTS = (
    District(
        "419802",
        "城东区",
        (33.7531, 113.3487),
        3.5,
        0.45,
        _words(
            "建设路 人民东路 光明路 朝阳路 新华东路 开源大道 东环路 兴业街 金山路 和平街 创业大道"
        ),
    ),
    District(
        "419803",
        "城西区",
        (33.7402, 113.2655),
        3.0,
        0.35,
        _words("人民西路 西环路 文化路 胜利街 工业路 中兴路 园林路 育才街 湖滨路 长青路 矿建路"),
    ),
    District(
        "419825",
        "北山县",
        (33.9047, 113.2931),
        5.0,
        0.20,
        _words("迎宾大道 解放路 北山大道 商贸街 健康路 滨河路 产业路"),
        _words("城关镇 北山镇 柳林乡 石桥镇"),
    ),
)

OFFICE_SUFFIX = "人防办"


def departments() -> tuple[DeptSpec, ...]:
    """The city's 人防办 and one 人防办 per district; each doubles as a region (属地)."""
    city = DeptSpec(CITY_CODE, CITY_NAME + OFFICE_SUFFIX, None, f"/{CITY_CODE}/")
    districts = (
        DeptSpec(d.code, d.name + OFFICE_SUFFIX, CITY_CODE, f"/{CITY_CODE}/{d.code}/")
        for d in DISTRICTS
    )
    return (city, *districts)
