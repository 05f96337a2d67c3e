"""公共资源交易: electronic tendering and government procurement (docs/trading.md)."""
