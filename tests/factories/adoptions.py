"""Projects open to claims and bids, made as staff make them (published through the workflow)."""


def bid_payload(organisation, **overrides):
    return {
        "organisation": organisation,
        "plan": "每周五天午餐配送，志愿者上门",
        "price": 8_000_000,
        "timeline": "2027年1月至12月",
        "team": "社工2名，厨师1名",
        "track_record": "2025年在甲一社区运营助餐点",
        **overrides,
    }
