"""The core of shuangsuiji: rules, storage and services. Imports neither telegram nor aiohttp."""
